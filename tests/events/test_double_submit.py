"""A double submit that slips past the "already there?" check meets the UNIQUE constraint: the person
gets a clear message next to the field, never a 500, and nothing is doubled.

The race is forced deterministically: the check is made blind, as if the other request's row had
been committed just after the check ran."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from eventhub.accounts import services as accounts
from eventhub.accounts.models import EventRole
from eventhub.errors import Conflict
from eventhub.events import services
from eventhub.events.models import Event
from eventhub.extensions import db
from eventhub.registration.models import Delegation


@pytest.fixture
def event(make, login_as):
    event = make.event(slug="cluster", title="Cluster Workshop")
    login_as(make.staff(event, "organizer", "lead@example.org"))
    return event


def test_second_grant_of_the_same_role_is_a_message(client, make, event, monkeypatch):
    make.user("desk@example.org")
    client.post("/events/cluster/manage/staff", data={"email": "desk@example.org", "role": "checkin"})
    monkeypatch.setattr(accounts, "_has_role", lambda *a: False)
    response = client.post("/events/cluster/manage/staff", data={"email": "desk@example.org", "role": "checkin"})
    assert response.status_code in (200, 409, 422)
    assert "was just made check-in staff of this event" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(EventRole)) == 2


def test_second_invitation_of_the_same_economy_is_a_conflict(make, event, monkeypatch):
    # (Through the page, the second click already fails: the picker no longer offers the economy.)
    tha = make.economy("THA")
    services.invite_economies(db.session, event, [tha.id])
    db.session.commit()
    monkeypatch.setattr(services, "_already_invited", lambda *a: set())
    with pytest.raises(Conflict, match="invited meanwhile") as info:
        services.invite_economies(db.session, event, [tha.id])
    assert info.value.field == "economy_ids"
    db.session.commit()  # the transaction is still usable
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Delegation)) == 1


def test_two_events_with_one_slug_at_once_is_a_conflict_on_the_slug(make, monkeypatch):
    make.event(slug="workshop-2026")
    monkeypatch.setattr(services, "_slug_taken", lambda *a: False)
    data = services.EventFields(title="Workshop", slug="workshop-2026", timezone="Asia/Bangkok",
                                start_date=date(2026, 8, 3), end_date=date(2026, 8, 4))
    with pytest.raises(Conflict) as info:
        services.create_event(db.session, data, creator=make.user())
    assert info.value.field == "slug"
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Event)) == 1


def test_renaming_to_a_slug_taken_at_the_same_moment_is_a_conflict(make, monkeypatch):
    make.event(slug="taken-slug")
    event = make.event(slug="mine")
    monkeypatch.setattr(services, "_slug_taken", lambda *a: False)
    data = services.EventFields(title=event.title, slug="taken-slug", timezone=event.timezone,
                                start_date=event.start_date, end_date=event.end_date)
    with pytest.raises(Conflict) as info:
        services.update_event(db.session, event, data)
    assert info.value.field == "slug"
    db.session.rollback()
    assert db.session.get(Event, event.id).slug == "mine"
