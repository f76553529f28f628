"""A small event for the API tests: three delegations, staff of every kind, tokens per role."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from eventhub.api.auth import issue_token
from eventhub.api.models import Scope
from eventhub.extensions import db

ALL = set(Scope)


@dataclass
class World:
    event: object
    tha: object
    prc: object
    organizer: object
    secretariat: object
    checkin: object
    outsider: object
    focal_tha: object


@pytest.fixture
def world(make) -> World:
    event = make.event(slug="cluster", title="SME Cluster Workshop", start=date(2030, 6, 27), days=2)
    focal = make.user("focal.tha@example.org")
    return World(event=event, tha=make.delegation(event, "THA", quota=2, focal_point=focal),
                 prc=make.delegation(event, "PRC", quota=10),
                 organizer=make.staff(event, "organizer", "org@example.org"),
                 secretariat=make.staff(event, "secretariat", "sec@example.org"),
                 checkin=make.staff(event, "checkin", "desk@example.org"),
                 outsider=make.user("outsider@example.org"), focal_tha=focal)


@pytest.fixture
def token_for():
    def _token(user, scopes=ALL, name="test"):
        _row, token = issue_token(db.session, user, name=name, scopes=set(scopes))
        db.session.commit()
        return {"Authorization": f"Bearer {token}"}
    return _token
