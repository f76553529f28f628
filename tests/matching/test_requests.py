"""Meeting requests: what may be asked, crossing requests, the limit, the deadline, answers."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from eventhub.db import utcnow
from eventhub.errors import DomainError
from eventhub.extensions import db
from eventhub.matching import requests as mr
from eventhub.matching.models import Meeting, MeetingRequest, RequestStatus
from tests.matching.conftest import add_participant


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_send_and_accept_makes_one_meeting(world):
    sent = mr.send_request(db.session, world.settings, world.profiles["ana"], world.profiles["seye"].id, "Hello")
    db.session.commit()
    assert not sent.crossed and sent.request.status == RequestStatus.PENDING
    meeting = mr.accept_request(db.session, sent.request.id, world.profiles["seye"])
    db.session.commit()
    assert {meeting.profile_a_id, meeting.profile_b_id} == {world.profiles["ana"].id, world.profiles["seye"].id}
    with pytest.raises(DomainError, match="already been answered"):
        mr.accept_request(db.session, sent.request.id, world.profiles["seye"])
    assert count(Meeting) == 1


def test_crossing_requests_become_one_meeting(world):
    mr.send_request(db.session, world.settings, world.profiles["ana"], world.profiles["seye"].id, "")
    db.session.commit()
    back = mr.send_request(db.session, world.settings, world.profiles["seye"], world.profiles["ana"].id, "")
    db.session.commit()
    assert back.crossed
    assert count(MeetingRequest) == 1 and count(Meeting) == 1


@pytest.mark.parametrize("case, message", [
    ("self", "yourself"), ("unknown", "cannot be asked"), ("unlisted", "cannot be asked"),
    ("own_org", "own organisation"), ("again", "already been in touch"),
])
def test_refused_requests_change_nothing(world, make, case, message):
    ana = world.profiles["ana"]
    if case == "self":
        target = ana.id
    elif case == "unknown":
        target = 999_999
    elif case == "unlisted":
        target = add_participant(make, world.event, world.settings, "hidden", "PRC", organisation="Hidden Co",
                                 listed=False)[2].id
    elif case == "own_org":
        target = add_participant(make, world.event, world.settings, "colleague", "THA",
                                 organisation="bangkok biotech ")[2].id
    else:
        mr.decline_request(db.session, mr.send_request(db.session, world.settings, ana, world.profiles["seye"].id,
                                                       "").request.id, world.profiles["seye"], "busy")
        db.session.commit()
        target = world.profiles["seye"].id
    before = count(MeetingRequest)
    with pytest.raises(DomainError, match=message):
        mr.send_request(db.session, world.settings, ana, target, "")
    db.session.rollback()
    assert count(MeetingRequest) == before


def test_open_request_limit(world, make):
    ana = world.profiles["ana"]
    world.settings.open_request_limit = 1
    db.session.commit()
    mr.send_request(db.session, world.settings, ana, world.profiles["seye"].id, "")
    db.session.commit()
    with pytest.raises(DomainError, match="1 requests waiting"):
        mr.send_request(db.session, world.settings, ana, world.profiles["shifei"].id, "")


def test_deadline(world):
    world.settings.requests_close_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    with pytest.raises(DomainError, match="closed"):
        mr.send_request(db.session, world.settings, world.profiles["ana"], world.profiles["seye"].id, "")


def test_decline_keeps_the_reason_and_only_the_receiver_answers(world):
    sent = mr.send_request(db.session, world.settings, world.profiles["ana"], world.profiles["seye"].id, "")
    db.session.commit()
    with pytest.raises(DomainError, match="not addressed to you"):
        mr.decline_request(db.session, sent.request.id, world.profiles["ana"], "")
    request = mr.decline_request(db.session, sent.request.id, world.profiles["seye"], "Not our field")
    db.session.commit()
    assert request.status == RequestStatus.DECLINED and request.decline_reason == "Not our field"


def test_an_accepted_meeting_takes_the_earliest_slot_both_are_free(world, make):
    from eventhub.matching import scheduling

    session = make.session(world.event, kind="business_matching", start="14:00", end="15:00")
    scheduling.configure_session(db.session, session, meeting_minutes=20, break_minutes=0, table_names=["T1"])
    db.session.commit()
    first_slot = scheduling.event_slots(db.session, world.event.id)[0]
    from eventhub.matching.models import Unavailability

    db.session.add(Unavailability(profile_id=world.profiles["seye"].id, slot_id=first_slot.id))
    db.session.commit()
    sent = mr.send_request(db.session, world.settings, world.profiles["ana"], world.profiles["seye"].id, "")
    meeting = mr.accept_request(db.session, sent.request.id, world.profiles["seye"])
    db.session.commit()
    slots = scheduling.event_slots(db.session, world.event.id)
    assert meeting.slot_id == slots[1].id and meeting.table.name == "T1"
    # Shifei meets Ana next: the only table is free in slot 1, and Ana is free there.
    sent = mr.send_request(db.session, world.settings, world.profiles["shifei"], world.profiles["ana"].id, "")
    assert mr.accept_request(db.session, sent.request.id, world.profiles["ana"]).slot_id == slots[0].id
