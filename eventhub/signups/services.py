"""Booking rules: seats, waitlists, promotion, per-economy caps, organizer overrides.

Concurrency (design.md, "Capacity under concurrency"):
- A seat is taken with ONE conditional UPDATE on sessions.taken; nothing is inserted as confirmed
  when no row changed. A per-economy cap is a second conditional UPDATE on session_economy_seats.
- Locks are taken in one order everywhere: the person's registration row (FOR UPDATE on
  PostgreSQL; SQLite requests hold the write lock from BEGIN IMMEDIATE), then the session rows by
  id (`seats.lock_sessions` when an operation touches several), then economy counters, then
  vehicles. A failed economy counter gives the seat back. Promotions change other people's
  bookings, never lock their registrations.
- Releasing a seat and promoting the first eligible waitlisted person happen in the same
  transaction; the promotion itself is a conditional UPDATE (status = 'waitlisted'), so two
  concurrent cancellations never promote the same person twice.
- The partial UNIQUE index on (session, person) and CHECK taken <= capacity stay the last line
  of defence; a double click finds the first booking and returns it.

Services flush and never commit.

The code lives in booking.py (book, cancel, staff overrides, moves), waitlist.py (positions and
promotion), vehicles.py and seats.py (the counters they share); this module is the one place the
rest of the application imports them from.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session as DbSession

from eventhub.signups.booking import (
    add_by_staff,
    book,
    cancel_all_bookings,
    cancel_booking,
    check_bookable,
    move_booking,
    remove_booking,
)
from eventhub.signups.models import Booking
from eventhub.signups.seats import (
    ACTIVE,
    BookingOutcome,
    active_booking,
    economy_cap_active,
    lock_registration,
    lock_sessions,
    overlapping_booking,
    rebuild_economy_counters,
)
from eventhub.signups.vehicles import add_vehicle, assign_vehicle, auto_assign_vehicles
from eventhub.signups.waitlist import fill_free_seats, waitlist_position

__all__ = [
    "ACTIVE", "BookingOutcome", "active_booking", "add_by_staff", "add_vehicle", "assign_vehicle",
    "auto_assign_vehicles", "book", "cancel_all_bookings", "cancel_booking", "cancel_bookings_of", "check_bookable",
    "economy_cap_active", "fill_free_seats", "move_booking", "overlapping_booking", "rebuild_economy_counters",
    "remove_booking", "waitlist_position",
]


# --- the person's registration ended ----------------------------------------------------------------------

def cancel_bookings_of(db: DbSession, registration_id: int, *, actor_id: int | None = None,
                       note: str = "") -> list[Booking]:
    """The registration was cancelled, declined or replaced: cancel each of the person's active bookings
    through cancel_booking, so their seats are freed and waitlists promoted in the same transaction.
    (registration.services calls it.) Every session involved is locked first, in id order."""
    rows = db.execute(
        sa.select(Booking.id, Booking.session_id)
        .where(Booking.registration_id == registration_id, Booking.status.in_(ACTIVE))
        .order_by(Booking.session_id, Booking.id)
    ).all()
    lock_registration(db, registration_id)
    lock_sessions(db, [row.session_id for row in rows])
    return [cancel_booking(db, row.id, actor_id=actor_id, action="registration_ended", note=note)
            for row in rows]
