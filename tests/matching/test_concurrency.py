"""Races forced with barriers, on the SQLite file database and on PostgreSQL.

- Two people ask each other at the same moment: one request, one meeting, neither sees an error.
- Many clicks on "Accept" at once: one meeting.
- The database keeps a person out of two meetings of one slot and a table to one meeting per slot.
- Control: the naive read-then-insert lets both racers through the check, which is why the rules
  live in UNIQUE constraints and conditional UPDATEs.
"""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from eventhub.errors import DomainError
from eventhub.extensions import db
from eventhub.matching import requests as mr
from eventhub.matching import scheduling
from eventhub.matching.models import MatchingProfile, Meeting, MeetingRequest, MeetingSeat, RequestStatus
from eventhub.matching.participants import settings_of
from tests.conftest import run_in_threads
from tests.matching.conftest import add_participant

pytestmark = pytest.mark.slow


def _count(model) -> int:
    db.session.rollback()  # see what the workers committed
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_crossing_requests_at_the_same_moment_make_one_meeting(app, world):
    event_id = world.event.id
    pairs = [(world.profiles["ana"].id, world.profiles["seye"].id), (world.profiles["seye"].id, world.profiles["ana"].id)]

    def ask(i: int):
        sender_id, receiver_id = pairs[i % 2]
        return mr.send_request(db.session, settings_of(db.session, event_id), db.session.get(MatchingProfile, sender_id),
                               receiver_id, f"from {sender_id}").crossed

    results = run_in_threads(app, 2, ask)
    assert sorted(results) == [False, True], results
    assert _count(MeetingRequest) == 1 and _count(Meeting) == 1
    assert db.session.scalar(sa.select(MeetingRequest.status)) == RequestStatus.ACCEPTED


def test_many_accepts_at_once_make_one_meeting(app, world):
    sent = mr.send_request(db.session, world.settings, world.profiles["ana"], world.profiles["seye"].id, "")
    db.session.commit()
    request_id, seye_id = sent.request.id, world.profiles["seye"].id

    def click(i: int):
        return mr.accept_request(db.session, request_id, db.session.get(MatchingProfile, seye_id)).id

    results = run_in_threads(app, 8, click)
    assert sum(1 for r in results if isinstance(r, int)) == 1
    assert all(isinstance(r, DomainError) for r in results if not isinstance(r, int)), results
    assert _count(Meeting) == 1


@pytest.fixture
def two_meetings_one_slot(make, world):
    """Ana has two accepted meetings; the matching session has one slot and two tables."""
    ids = []
    for other in ("seye", "shifei"):  # accepted before there are slots: not placed yet
        sent = mr.send_request(db.session, world.settings, world.profiles["ana"], world.profiles[other].id, "")
        ids.append(mr.accept(db.session, sent.request).id)
    session = make.session(world.event, kind="business_matching", start="14:00", end="14:20")
    scheduling.configure_session(db.session, session, meeting_minutes=20, break_minutes=0,
                                 table_names=["T1", "T2"])
    db.session.commit()
    setup = scheduling.matching_sessions(db.session, world.event.id)[0][1]
    return ids, setup.slots[0].id, [t.id for t in setup.tables]


def test_the_database_keeps_a_person_out_of_two_meetings_of_a_slot(app, world, two_meetings_one_slot):
    (m1, m2), slot_id, (t1, t2) = two_meetings_one_slot
    ana_id = world.profiles["ana"].id

    def place(i: int):
        meeting = db.session.get(Meeting, (m1, m2)[i])
        meeting.slot_id, meeting.table_id = slot_id, (t1, t2)[i]
        db.session.add_all([MeetingSeat(meeting_id=meeting.id, profile_id=p, slot_id=slot_id)
                            for p in (meeting.profile_a_id, meeting.profile_b_id)])
        db.session.flush()

    results = run_in_threads(app, 2, place)
    assert sum(1 for r in results if isinstance(r, IntegrityError)) == 1, results
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(MeetingSeat).where(
        MeetingSeat.profile_id == ana_id)) == 1


def test_a_table_holds_one_meeting_per_slot(make, world, two_meetings_one_slot):
    (m1, m2), slot_id, (t1, _) = two_meetings_one_slot
    add_participant(make, world.event, world.settings, "extra", "VN", organisation="Extra")
    for meeting_id in (m1, m2):
        db.session.get(Meeting, meeting_id).slot_id = slot_id
        db.session.get(Meeting, meeting_id).table_id = t1
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_control_naive_read_then_insert_lets_both_through(app, world):
    """What the services avoid: look for the pair's request, then insert. With the race forced, both
    racers find none and both insert: only the UNIQUE on the pair stops the second."""
    a, b = world.profiles["ana"].id, world.profiles["seye"].id
    event_id = world.event.id
    after_read = threading.Barrier(2)
    found_none = []

    def naive(i: int) -> None:
        sender, receiver = (a, b) if i == 0 else (b, a)
        existing = db.session.scalar(sa.select(MeetingRequest.id).where(
            sa.or_(sa.and_(MeetingRequest.sender_id == sender, MeetingRequest.receiver_id == receiver),
                   sa.and_(MeetingRequest.sender_id == receiver, MeetingRequest.receiver_id == sender))))
        db.session.commit()  # the read's transaction ends, as in a typical read-then-write view
        after_read.wait()
        if existing is None:
            found_none.append(i)
            db.session.add(MeetingRequest(event_id=event_id, sender_id=sender, receiver_id=receiver,
                                          low_id=min(a, b), high_id=max(a, b)))

    db.session.rollback()
    results = run_in_threads(app, 2, naive)
    assert sorted(found_none) == [0, 1]  # both passed the check: without the constraint, two requests
    assert sum(1 for r in results if isinstance(r, IntegrityError)) == 1
    assert _count(MeetingRequest) == 1


def test_accepts_at_the_same_moment_never_double_book(app, make, world):
    """Six people ask Ana; she accepts all six at once. Two slots × two tables: four places, but Ana
    can sit in one meeting per slot, so exactly two are placed, in different slots."""
    session = make.session(world.event, kind="business_matching", start="14:00", end="14:40")
    scheduling.configure_session(db.session, session, meeting_minutes=20, break_minutes=0,
                                 table_names=["T1", "T2"])
    db.session.commit()
    ana_id = world.profiles["ana"].id
    request_ids = []
    for i in range(6):
        firm = add_participant(make, world.event, world.settings, f"firm{i}", "PRC", organisation=f"Firm {i}")[2]
        request_ids.append(mr.send_request(db.session, world.settings, firm, ana_id, "").request.id)
        db.session.commit()

    def click(i: int):
        return mr.accept_request(db.session, request_ids[i], db.session.get(MatchingProfile, ana_id)).slot_id

    results = run_in_threads(app, 6, click)
    assert not [r for r in results if isinstance(r, Exception)], results
    placed = [r for r in results if r is not None]
    assert len(placed) == 2 and len(set(placed)) == 2
    db.session.rollback()
    assert _count(Meeting) == 6 and _count(MeetingSeat) == 4


def test_tables_under_contention(app, make, world):
    """Eight pairs of strangers accept at once; one slot with three tables: three placed, three tables."""
    session = make.session(world.event, kind="business_matching", start="14:00", end="14:20")
    scheduling.configure_session(db.session, session, meeting_minutes=20, break_minutes=0,
                                 table_names=["T1", "T2", "T3"])
    db.session.commit()
    pending = []
    for i in range(8):
        a = add_participant(make, world.event, world.settings, f"a{i}", "PRC", organisation=f"A {i}")[2]
        b = add_participant(make, world.event, world.settings, f"b{i}", "VN", organisation=f"B {i}")[2]
        pending.append((mr.send_request(db.session, world.settings, a, b.id, "").request.id, b.id))
        db.session.commit()

    def click(i: int):
        request_id, receiver_id = pending[i]
        meeting = mr.accept_request(db.session, request_id, db.session.get(MatchingProfile, receiver_id))
        return meeting.table_id

    results = run_in_threads(app, 8, click)
    assert not [r for r in results if isinstance(r, Exception)], results
    tables = [r for r in results if r is not None]
    assert len(tables) == 3 and len(set(tables)) == 3
