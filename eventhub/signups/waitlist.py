"""Waitlists: positions, and giving free seats to people added beyond capacity and then to the
waitlist in order (a conditional UPDATE per promotion, so a person is never promoted twice)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session as DbSession
from sqlalchemy.orm import selectinload

from eventhub.db import utcnow
from eventhub.registration.models import RegistrationStatus
from eventhub.signups import notify
from eventhub.signups.models import Booking, BookingStatus
from eventhub.signups.seats import (
    load_session,
    log_booking,
    overlapping_booking,
    release_economy_seat,
    release_seat,
    take_economy_seat,
    take_seat,
)
from eventhub.signups.vehicles import has_vehicles, seat_on_free_vehicle


def anyone_waiting(db: DbSession, session_id: int) -> bool:
    """Whether anyone is on the session's waitlist."""
    return db.scalar(sa.select(Booking.id).where(
        Booking.session_id == session_id, Booking.status == BookingStatus.WAITLISTED).limit(1)) is not None


def waitlist_position(db: DbSession, booking: Booking) -> int | None:
    if booking.status != BookingStatus.WAITLISTED:
        return None
    ahead = db.scalar(
        sa.select(sa.func.count()).select_from(Booking).where(
            Booking.session_id == booking.session_id, Booking.status == BookingStatus.WAITLISTED,
            sa.or_(Booking.waitlisted_at < booking.waitlisted_at,
                   sa.and_(Booking.waitlisted_at == booking.waitlisted_at, Booking.id < booking.id)),
        )
    )
    return (ahead or 0) + 1


def fill_free_seats(db: DbSession, session_id: int, *, actor_id: int | None = None,
                    now: datetime | None = None) -> list[Booking]:
    """Give free seats first to people added beyond capacity, then to the waitlist in order.

    Skips waitlisted people who are not eligible now (registration no longer approved, a seat
    elsewhere at the same time, their economy's share used up while the cap is in force).
    """
    now = now or utcnow()
    session = load_session(db, session_id)
    if session.is_cancelled or not session.bookable or session.capacity is None:
        return []
    promoted: list[Booking] = []
    # 1. Over-capacity bookings take the seat first: they are already in the room.
    for extra in db.scalars(
        sa.select(Booking).where(Booking.session_id == session_id, Booking.status == BookingStatus.CONFIRMED,
                                 Booking.holds_seat.is_(False)).order_by(Booking.created_at, Booking.id)
    ).all():
        if not take_seat(db, session_id):
            return promoted
        take_economy_seat(db, session, extra.economy_id, now, enforce=False)
        extra.holds_seat = True
        db.flush()
        log_booking(db, extra, "absorbed", actor_id, "counted in capacity after a seat was freed")
    # 2. The waitlist, first come first served.
    candidates = db.scalars(
        sa.select(Booking).where(Booking.session_id == session_id, Booking.status == BookingStatus.WAITLISTED)
        .order_by(Booking.waitlisted_at, Booking.id)
        .options(selectinload(Booking.registration))
    ).all()
    for candidate in candidates:
        registration = candidate.registration
        if registration.status != RegistrationStatus.APPROVED:
            continue
        if overlapping_booking(db, registration.id, session) is not None:
            continue
        if not take_seat(db, session_id):
            break
        if not take_economy_seat(db, session, candidate.economy_id, now):
            release_seat(db, session_id)
            continue
        result = db.execute(
            sa.update(Booking).where(Booking.id == candidate.id, Booking.status == BookingStatus.WAITLISTED)
            .values(status=BookingStatus.CONFIRMED, updated_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:  # left the waitlist meanwhile
            release_economy_seat(db, session, candidate.economy_id)
            release_seat(db, session_id)
            continue
        db.refresh(candidate)
        note = ""
        if has_vehicles(db, session_id):  # a site visit's bus: the promoted person rides too
            vehicle = seat_on_free_vehicle(db, candidate)
            note = f"seated on {vehicle.name}" if vehicle else "no free vehicle seat: every vehicle is full"
        log_booking(db, candidate, "promoted", actor_id, note)
        notify.booking_promoted(db, candidate, registration, session)
        promoted.append(candidate)
    return promoted
