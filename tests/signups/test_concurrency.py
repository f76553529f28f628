"""Races forced with barriers, on the SQLite file database and on PostgreSQL.

- 100 people book a 10-seat visit at once: exactly 10 confirmed, 90 waitlisted in order.
- Concurrent cancellations promote each waitlisted person once.
- The per-economy cap holds under contention.
- Control: the naive read-then-insert oversells, which is why the services do not work that way.
"""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from eventhub.agenda.models import Session
from eventhub.db import write_intent
from eventhub.extensions import db
from eventhub.signups import services
from eventhub.signups.models import Booking, BookingLog, BookingStatus
from tests.conftest import run_in_threads

pytestmark = pytest.mark.slow


def run_concurrently(app, n: int, work) -> list[Exception]:
    """Run work(i) in n threads released together by a barrier; each is one committed transaction."""
    return [r for r in run_in_threads(app, n, work) if isinstance(r, Exception)]


def _visit(make, event, capacity, **kw):
    return make.session(event, kind="site_visit", bookable=True, capacity=capacity, start="14:00", end="17:00", **kw)


def _statuses(session_id):
    db.session.rollback()  # end the test thread's read snapshot: see what the workers committed
    return db.session.execute(
        sa.select(Booking.registration_id, Booking.status, Booking.id, Booking.waitlisted_at)
        .where(Booking.session_id == session_id).order_by(Booking.waitlisted_at, Booking.id)
    ).all()


def test_hundred_concurrent_bookings_of_ten_seats(app, make):
    event = make.event()
    visit = _visit(make, event, 10)
    visit_id = visit.id
    reg_ids = [make.registration(event).id for _ in range(100)]  # plain ids: threads share no ORM objects
    db.session.rollback()
    errors = run_concurrently(app, 100, lambda i: services.book(db.session, visit_id, reg_ids[i],
                                                                 notify_person=False))
    assert errors == []
    rows = _statuses(visit.id)
    confirmed = [r for r in rows if r.status == BookingStatus.CONFIRMED]
    waitlisted = [r for r in rows if r.status == BookingStatus.WAITLISTED]
    assert len(confirmed) == 10 and len(waitlisted) == 90
    assert db.session.get(Session, visit.id).taken == 10
    # Positions 1..90 without gaps or ties, in the order people joined.
    positions = [services.waitlist_position(db.session, db.session.get(Booking, r.id)) for r in waitlisted]
    assert positions == list(range(1, 91))
    # Seats that free up go to the waitlist in that order.
    first_three = [r.registration_id for r in waitlisted[:3]]
    for r in confirmed[:3]:
        with write_intent():
            services.cancel_booking(db.session, r.id, notify_person=False)
            db.session.commit()
    promoted = {r.registration_id for r in _statuses(visit.id) if r.status == BookingStatus.CONFIRMED}
    assert set(first_three) <= promoted and len(promoted) == 10


def test_concurrent_cancellations_promote_each_waitlisted_person_once(app, make):
    event = make.event()
    visit = _visit(make, event, 10)
    regs = [make.registration(event) for _ in range(30)]
    for reg in regs:
        with write_intent():
            services.book(db.session, visit.id, reg.id, notify_person=False)
            db.session.commit()
    holders = [r.id for r in _statuses(visit.id) if r.status == BookingStatus.CONFIRMED]
    queue = [r.registration_id for r in _statuses(visit.id) if r.status == BookingStatus.WAITLISTED]
    assert len(holders) == 10 and len(queue) == 20

    db.session.rollback()
    errors = run_concurrently(app, 10, lambda i: services.cancel_booking(db.session, holders[i]))
    assert errors == []
    rows = _statuses(visit.id)
    confirmed = sorted(r.registration_id for r in rows if r.status == BookingStatus.CONFIRMED)
    assert confirmed == sorted(queue[:10])  # the first ten in line, each once
    assert db.session.get(Session, visit.id).taken == 10
    promotions = db.session.execute(
        sa.select(BookingLog.registration_id, sa.func.count()).where(BookingLog.action == "promoted")
        .group_by(BookingLog.registration_id)).all()
    assert len(promotions) == 10 and all(n == 1 for _, n in promotions)


def test_economy_cap_holds_under_contention(app, make):
    event = make.event()
    codes = ["THA", "JPN", "MAS", "SGP", "USA"]
    delegations = [make.delegation(event, code, quota=20) for code in codes]
    visit = _visit(make, event, 30, economy_cap=3)
    visit_id = visit.id
    reg_ids = [make.registration(event, delegations[i % 5]).id for i in range(50)]
    db.session.rollback()
    errors = run_concurrently(app, 50, lambda i: services.book(db.session, visit_id, reg_ids[i],
                                                                notify_person=False))
    assert errors == []
    per_economy = dict(db.session.execute(
        sa.select(Booking.economy_id, sa.func.count()).where(
            Booking.session_id == visit.id, Booking.status == BookingStatus.CONFIRMED)
        .group_by(Booking.economy_id)).all())
    assert sorted(per_economy.values()) == [3, 3, 3, 3, 3]
    assert db.session.get(Session, visit_id).taken == 15


def test_control_naive_read_then_insert_oversells(app, make):
    """What the services avoid: count the seats, then insert. With the race forced, it oversells."""
    event = make.event()
    visit = _visit(make, event, 10)
    visit_id = visit.id
    regs = [(r.id, r.economy_id) for r in (make.registration(event) for _ in range(20))]
    after_read = threading.Barrier(20)

    def naive(i: int) -> None:
        taken = db.session.scalar(sa.select(sa.func.count()).select_from(Booking).where(
            Booking.session_id == visit_id, Booking.status == BookingStatus.CONFIRMED))
        db.session.commit()  # the read's transaction ends, as in a typical read-then-write view
        after_read.wait()
        if taken < 10:
            db.session.add(Booking(session_id=visit_id, registration_id=regs[i][0],
                                   economy_id=regs[i][1], status=BookingStatus.CONFIRMED))

    db.session.rollback()
    errors = run_concurrently(app, 20, naive)
    assert errors == []
    confirmed = sum(1 for r in _statuses(visit.id) if r.status == BookingStatus.CONFIRMED)
    assert confirmed > 10  # oversold


def _process_worker(config, visit_id, reg_ids, barrier, results):
    """One worker process with its own app and connections, like a gunicorn worker."""
    from eventhub import create_app

    app = create_app(config)

    def one(reg_id):
        with app.app_context():
            try:
                barrier.wait()
                with write_intent():
                    outcome = services.book(db.session, visit_id, reg_id, notify_person=False)
                    results.put((reg_id, outcome.booking.status.value))
                    db.session.commit()
            except Exception as exc:  # reported to the parent
                results.put((reg_id, f"error: {exc!r}"))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=one, args=(r,)) for r in reg_ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)


def test_bookings_from_several_worker_processes(app, app_config, make):
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    event = make.event()
    visit = _visit(make, event, 10)
    visit_id = visit.id
    reg_ids = [make.registration(event).id for _ in range(60)]
    db.session.rollback()
    db.session.remove()
    db.engine.dispose()  # no connection crosses the fork
    barrier = ctx.Barrier(60)
    results = ctx.Queue()
    processes = [ctx.Process(target=_process_worker, args=(app_config, visit_id, reg_ids[i::4], barrier, results))
                 for i in range(4)]
    for p in processes:
        p.start()
    answers = [results.get(timeout=120) for _ in range(60)]
    for p in processes:
        p.join(timeout=60)
    assert not [a for a in answers if a[1].startswith("error")]
    rows = _statuses(visit_id)
    assert sum(1 for r in rows if r.status == BookingStatus.CONFIRMED) == 10
    assert sum(1 for r in rows if r.status == BookingStatus.WAITLISTED) == 50
    assert db.session.get(Session, visit_id).taken == 10
