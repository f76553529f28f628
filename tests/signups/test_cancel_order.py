"""Concurrent cancellations of people who booked the same sessions in opposite orders finish with
no error: every transaction takes its locks in one fixed order (sessions by id first)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from eventhub.agenda.models import Session
from eventhub.db import write_intent
from eventhub.extensions import db
from eventhub.registration import services as registration
from eventhub.registration.models import Registration
from eventhub.signups import services
from eventhub.signups.models import Booking, BookingStatus
from tests.conftest import run_in_threads

pytestmark = pytest.mark.slow

PEOPLE = 60
SEATS = 40


def test_people_booked_in_opposite_orders_cancel_together_without_error(app, make):
    event = make.event()
    first = make.session(event, kind="site_visit", bookable=True, capacity=SEATS, start="09:00", end="10:00")
    second = make.session(event, kind="site_visit", bookable=True, capacity=SEATS, start="11:00", end="12:00")
    ids = (first.id, second.id)
    reg_ids = [make.registration(event).id for _ in range(PEOPLE)]
    for n, reg_id in enumerate(reg_ids):  # half book first-then-second, half the other way round
        for session_id in (ids if n % 2 == 0 else ids[::-1]):
            with write_intent():
                services.book(db.session, session_id, reg_id, notify_person=False)
                db.session.commit()
    db.session.rollback()
    leaving = reg_ids[: PEOPLE // 2] + reg_ids[-5:]  # holders and some of the waitlist leave together

    def cancel(i: int) -> None:
        reg = db.session.get(Registration, leaving[i])
        registration.cancel(db.session, reg, actor=None, notify=False)

    results = run_in_threads(app, len(leaving), cancel)
    assert [r for r in results if isinstance(r, Exception)] == []

    db.session.rollback()
    for session_id in ids:
        confirmed = db.session.scalar(sa.select(sa.func.count()).select_from(Booking).where(
            Booking.session_id == session_id, Booking.status == BookingStatus.CONFIRMED))
        staying = PEOPLE - len(leaving)  # fewer than the seats: everyone still here has one
        assert confirmed == staying
        assert db.session.get(Session, session_id).taken == staying
        active = set(db.session.scalars(sa.select(Booking.registration_id).where(
            Booking.session_id == session_id, Booking.status != BookingStatus.CANCELLED)))
        assert not active & set(leaving)
