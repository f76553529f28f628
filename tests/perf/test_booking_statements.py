"""A booking is a handful of statements in a short write transaction, whatever the number of
sessions and bookings already there."""

from __future__ import annotations

import pytest

from eventhub.db import write_intent
from eventhub.extensions import db
from eventhub.signups import services

pytestmark = pytest.mark.slow

# What the confirmation e-mail adds inside the transaction (it is recorded with the booking, so it is
# sent exactly when the booking commits): the outbox row, nothing else. The invitation's SEQUENCE
# goes in with the booking; the delivery process writes the message itself.
MAIL_STATEMENTS = 1


def _one_booking(make, query_counter, *, others: int, full: bool, notify: bool):
    event = make.event(days=21)
    visit = make.session(event, kind="site_visit", title="Port visit", bookable=True,
                         capacity=others if full else others + 10, start="14:00", end="17:00")
    talks = [make.session(event, title=f"Talk {k}", bookable=True, capacity=1000, day=k + 1)
             for k in range(min(others, 20))]
    for _ in range(others):
        reg = make.registration(event)
        with write_intent():
            services.book(db.session, visit.id, reg.id, notify_person=False)
            db.session.commit()
    newcomer = make.registration(event)
    for talk in talks:  # the newcomer holds seats elsewhere that day (checked for overlaps)
        with write_intent():
            services.book(db.session, talk.id, newcomer.id, notify_person=False)
            db.session.commit()
    visit_id, newcomer_id = visit.id, newcomer.id
    db.session.expire_all()  # as in a request: nothing loaded yet
    with write_intent():
        with query_counter() as q:
            outcome = services.book(db.session, visit_id, newcomer_id, notify_person=notify)
            db.session.flush()
        confirmed = outcome.confirmed
        db.session.commit()
    return q, confirmed


@pytest.mark.parametrize("others", [1, 200])
@pytest.mark.parametrize("full", [False, True], ids=["seat", "waitlist"])
def test_a_booking_is_a_handful_of_statements_however_many_bookings_and_sessions(make, query_counter,
                                                                                 others, full):
    q, confirmed = _one_booking(make, query_counter, others=others, full=full, notify=False)
    assert confirmed is not full
    # Lock the person, lock and read the session, the person's bookings, (seats free: anyone
    # waiting?), take the seat, insert the booking and its log line (waitlist: count the position).
    assert q.count <= 8, "\n".join(q.statements)


@pytest.mark.parametrize("full", [False, True], ids=["seat", "waitlist"])
def test_the_e_mail_adds_a_fixed_few(make, query_counter, full):
    q, _ = _one_booking(make, query_counter, others=200, full=full, notify=True)
    assert q.count <= 8 + MAIL_STATEMENTS, "\n".join(q.statements)
