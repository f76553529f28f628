"""A small workshop with check-ins: the survey tests' shared world."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from eventhub.attendance.models import CheckIn
from eventhub.extensions import db


def check_in(event, reg, session=None) -> None:
    db.session.add(CheckIn(event_id=event.id, registration_id=reg.id, day=event.start_date,
                           session_id=session.id if session else None,
                           scanned_at=datetime.now(UTC), source="demo"))
    db.session.commit()


def link_in(mail) -> str:
    return re.search(r"/survey/[A-Za-z0-9_\-]+", mail.text()).group(0)


@pytest.fixture
def world(make):
    event = make.event(title="Green Ports Workshop", title_zh="绿色港口研讨会")
    organizer = make.staff(event, "organizer")
    secretariat = make.staff(event, "secretariat")
    tha = make.delegation(event, "THA", quota=20)
    prc = make.delegation(event, "PRC", quota=20)
    session = make.session(event, title="Port finance")
    return SimpleNamespace(event=event, organizer=organizer, secretariat=secretariat, tha=tha, prc=prc,
                           session=session, make=make)
