"""A scheduled matching world: a business-matching session of three 20-minute slots and two tables,
Ana (Thailand) and Seye (China, 叶思) meeting in the first slot at Table A. The fixture is
offered to the package's tests by conftest.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
import sqlalchemy as sa

from eventhub.db import utcnow
from eventhub.extensions import db
from eventhub.matching import notify, scheduling
from eventhub.matching import requests as mr
from eventhub.matching.models import MatchingSlot, Meeting


@dataclass
class Scheduled:
    world: object
    session: object
    meeting: Meeting


def meet(world, a: str, b: str) -> Meeting:
    """a asks b, b accepts (placed at once in the earliest free slot); both are told."""
    sent = mr.send_request(db.session, world.settings, world.profiles[a], world.profiles[b].id, "Shall we meet?")
    meeting = mr.accept(db.session, sent.request)
    notify.meeting_accepted(db.session, meeting)  # as the accept view does
    db.session.commit()
    return meeting


def move_slots(session_id: int, first_starts_in: timedelta) -> None:
    """Shift the session's slots so that the first begins `first_starts_in` from now (negative: begun)."""
    slots = db.session.scalars(sa.select(MatchingSlot).where(MatchingSlot.session_id == session_id)
                               .order_by(MatchingSlot.starts_at)).all()
    shift = utcnow() + first_starts_in - slots[0].starts_at
    for slot in sorted(slots, key=lambda s: s.starts_at, reverse=shift > timedelta(0)):
        db.session.execute(sa.update(MatchingSlot).where(MatchingSlot.id == slot.id).values(
            starts_at=slot.starts_at + shift, ends_at=slot.ends_at + shift))
        db.session.flush()
    db.session.commit()
    db.session.expire_all()


@pytest.fixture
def scheduled(world, make) -> Scheduled:
    room = make.room(world.event, "Hall B")
    session = make.session(world.event, kind="business_matching", title="Business matching with Baiyun District "
                           "companies", start="14:00", end="15:00", room_id=room.id)
    scheduling.configure_session(db.session, session, meeting_minutes=20, break_minutes=0,
                                 table_names=["Table A", "Table B"])
    seye = world.regs["seye"]
    seye.name_local, seye.language = "叶思", "zh_Hans"
    db.session.commit()
    meeting = meet(world, "ana", "seye")
    assert meeting.slot is not None and meeting.table.name == "Table A"
    return Scheduled(world, session, meeting)
