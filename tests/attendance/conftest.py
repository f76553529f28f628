"""A small workshop for the attendance tests: two days, three economies, staff of every kind."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from eventhub.extensions import db

SECRET = "test-secret-key"  # the SECRET_KEY of tests/conftest.py


@dataclass
class Workshop:
    event: object
    tha: object
    prc: object
    usa: object
    organizer: object
    secretariat: object
    checkin: object
    outsider: object
    focal_tha: object


@pytest.fixture
def workshop(make) -> Workshop:
    event = make.event(slug="cluster", title="SME Cluster Workshop", start=date(2030, 6, 27), days=2,
                       timezone="Asia/Shanghai")
    focal = make.user("focal.tha@example.org")
    tha = make.delegation(event, "THA", quota=10, focal_point=focal)
    prc = make.delegation(event, "PRC", quota=10)
    usa = make.delegation(event, "USA", quota=10)
    return Workshop(
        event=event, tha=tha, prc=prc, usa=usa,
        organizer=make.staff(event, "organizer", "org@example.org"),
        secretariat=make.staff(event, "secretariat", "sec@example.org"),
        checkin=make.staff(event, "checkin", "desk@example.org"),
        outsider=make.user("outsider@example.org"),
        focal_tha=focal,
    )


def badge_token(registration, version: int = 0) -> str:
    from eventhub.attendance.tokens import sign_badge

    return sign_badge(SECRET, registration.event_id, registration.id, version)


def checkins(**filters) -> list:
    import sqlalchemy as sa

    from eventhub.attendance.models import CheckIn

    query = sa.select(CheckIn).order_by(CheckIn.id)
    for key, value in filters.items():
        query = query.where(getattr(CheckIn, key) == value)
    db.session.commit()  # end the test's own read transaction: see what the requests and threads committed
    return list(db.session.scalars(query))
