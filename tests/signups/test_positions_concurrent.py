"""Waitlist positions told to people booking at the same moment (on SQLite and on PostgreSQL).

People who press Book on a full session together must each be told a different position, and the
position each is told — in the page's message and in the e-mail subject — must be the rank their
booking keeps in the waitlist once everything is committed.
"""

from __future__ import annotations

import re
import threading

import pytest
import requests
import sqlalchemy as sa

from eventhub.db import write_intent
from eventhub.extensions import db
from eventhub.signups import services
from eventhub.signups.models import Booking, BookingStatus
from tests.conftest import PASSWORD, run_in_threads

pytestmark = pytest.mark.slow


def _full_visit(make, event, capacity: int = 2):
    visit = make.session(event, kind="site_visit", title="Port visit", bookable=True, capacity=capacity,
                         start="14:00", end="17:00")
    for _ in range(capacity):
        reg = make.registration(event)
        with write_intent():
            services.book(db.session, visit.id, reg.id, notify_person=False)
            db.session.commit()
    return visit


def _final_ranks(session_id: int) -> dict[int, int]:
    """registration id → rank in the committed waitlist (1 = next in line)."""
    db.session.rollback()
    rows = db.session.execute(
        sa.select(Booking.registration_id).where(Booking.session_id == session_id,
                                                 Booking.status == BookingStatus.WAITLISTED)
        .order_by(Booking.waitlisted_at, Booking.id)
    ).scalars().all()
    return {reg_id: rank for rank, reg_id in enumerate(rows, start=1)}


def test_concurrent_bookers_are_told_distinct_positions_that_match_the_final_order(app, make, mailbox):
    event = make.event()
    visit = _full_visit(make, event)
    visit_id = visit.id
    n = 40
    regs = [make.registration(event) for _ in range(n)]
    reg_ids = [r.id for r in regs]
    emails = {r.id: r.email for r in regs}
    db.session.rollback()

    results = run_in_threads(app, n, lambda i: services.book(db.session, visit_id, reg_ids[i]).position)
    assert [r for r in results if isinstance(r, Exception)] == []
    told = dict(zip(reg_ids, results, strict=True))
    assert sorted(told.values()) == list(range(1, n + 1))  # distinct, no gaps
    assert told == _final_ranks(visit_id)

    # The e-mail subject says the same number (the delivery process writes it from what was recorded).
    for reg_id, position in told.items():
        [received] = mailbox.to(emails[reg_id])
        assert received.subject.startswith(f"Waitlist position {position}: Port visit")


def test_positions_on_screen_under_concurrent_presses(app, make, live_server):
    """Real requests through a threaded server: each person's page says a different position,
    and it is the one their booking keeps."""
    event = make.event()
    visit = _full_visit(make, event)
    visit_id, slug = visit.id, event.slug
    n = 12
    users = [make.user() for _ in range(n)]
    regs = [make.registration(event, user=u) for u in users]
    reg_ids = [r.id for r in regs]
    db.session.rollback()

    clients = []
    for user in users:
        client = requests.Session()
        response = client.post(f"{live_server}/login", data={"email": user.email, "password": PASSWORD},
                               allow_redirects=False)
        assert response.status_code == 302
        clients.append(client)

    barrier = threading.Barrier(n, timeout=60)
    pages: list[str] = [""] * n

    def press(i: int) -> None:
        barrier.wait()
        response = clients[i].post(f"{live_server}/events/{slug}/sessions/{visit_id}/book", timeout=60)
        pages[i] = response.text

    threads = [threading.Thread(target=press, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)

    told = {}
    for reg_id, page in zip(reg_ids, pages, strict=True):
        match = re.search(r"on the waitlist at position (\d+)", page)
        assert match, page[:2000]
        told[reg_id] = int(match.group(1))
    assert sorted(told.values()) == list(range(1, n + 1))
    assert told == _final_ranks(visit_id)
