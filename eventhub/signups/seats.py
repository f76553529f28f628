"""Seat counters and the small helpers every booking operation shares.

A seat is taken with ONE conditional UPDATE on sessions.taken; a per-economy cap is a second
conditional UPDATE on session_economy_seats (see eventhub.signups.services for the lock order).

What this module offers booking.py, waitlist.py and roundtables.py (all public, documented below):
lock_registration, load_session, take_seat / release_seat, take_economy_seat / release_economy_seat,
economy_cap_active, rebuild_economy_counters, active_booking, overlapping_booking,
own_booking_and_clash, log_booking,
format_local and BookingOutcome.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session as DbSession
from sqlalchemy.orm import joinedload, selectinload

from eventhub.agenda.models import Session, SessionStatus, busy_span
from eventhub.errors import NotFound
from eventhub.registration.models import Registration
from eventhub.signups.models import Booking, BookingLog, BookingStatus, SessionEconomySeats

ACTIVE = (BookingStatus.CONFIRMED, BookingStatus.WAITLISTED)


@dataclass
class BookingOutcome:
    booking: Booking
    created: bool  # False when the person already held a booking (a double click)
    # True when seats were free but the person's economy had used its share (the economy cap):
    # the waitlist is then because of the cap, not because the session is full.
    held_by_economy_cap: bool = False
    # The waitlist position, counted inside the booking's transaction after the session row was
    # locked, so it is the rank the booking keeps once committed (None when confirmed).
    position: int | None = None

    @property
    def confirmed(self) -> bool:
        return self.booking.status == BookingStatus.CONFIRMED


def log_booking(db: DbSession, booking: Booking, action: str, actor_id: int | None, note: str = "") -> None:
    """Add a line to the booking log (what the roster's history shows): who did `action` to `booking`."""
    db.add(BookingLog(booking_id=booking.id, session_id=booking.session_id,
                      registration_id=booking.registration_id, actor_id=actor_id, action=action, note=note[:500]))


def lock_registration(db: DbSession, registration_id: int) -> Registration:
    """The registration, re-read and locked (FOR UPDATE on PostgreSQL) — first in the lock order of
    every booking operation (see lock_sessions). NotFound when it does not exist."""
    reg = db.scalar(
        # NO KEY UPDATE (key_share): a promotion elsewhere inserts rows that refer to this person
        # (the booking log), and those foreign-key checks must not wait on this lock.
        sa.select(Registration).where(Registration.id == registration_id).with_for_update(key_share=True)
        .execution_options(populate_existing=True)
    )
    if reg is None:
        raise NotFound(_("That participant does not exist."))
    return reg


def lock_sessions(db: DbSession, session_ids) -> None:
    """Lock the sessions' rows (FOR UPDATE on PostgreSQL) in id order.

    The lock order of every booking operation is: the acting person's registration, then every
    session it will touch, by id, then economy shares, then vehicles. An operation on several
    sessions (a registration ending, a move) locks them all here before changing any, so two people
    who booked the same sessions in opposite orders cannot each hold the other's next lock.
    Promotions change other people's bookings, never lock their registrations.
    """
    ids = sorted(set(session_ids))
    if ids:
        db.execute(sa.select(Session.id).where(Session.id.in_(ids)).order_by(Session.id)
                   .with_for_update(key_share=True))


def load_session(db: DbSession, session_id: int, *, lock: bool = False) -> Session:
    """The session with its site visit and event, re-read from the database (its counters are fresh).
    lock=True also locks its row (FOR NO KEY UPDATE on PostgreSQL), as lock_sessions does.
    NotFound when it does not exist."""
    query = sa.select(Session).where(Session.id == session_id)
    if lock:
        query = query.with_for_update(key_share=True, of=Session)
    # One statement: the site visit and the event come in the same SELECT (FOR UPDATE OF sessions only).
    session = db.scalar(
        query.options(joinedload(Session.site_visit), joinedload(Session.event))
        .execution_options(populate_existing=True)
    )
    if session is None:
        raise NotFound(_("That session does not exist."))
    return session


def take_seat(db: DbSession, session_id: int) -> bool:
    """The one conditional UPDATE that takes a seat of a scheduled session; False when none is free."""
    result = db.execute(
        sa.update(Session)
        .where(Session.id == session_id, Session.capacity.is_not(None), Session.taken < Session.capacity,
               Session.status == SessionStatus.SCHEDULED)
        .values(taken=Session.taken + 1)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def release_seat(db: DbSession, session_id: int) -> None:
    """Give back one seat of the session (never below zero)."""
    db.execute(
        sa.update(Session).where(Session.id == session_id, Session.taken > 0)
        .values(taken=Session.taken - 1).execution_options(synchronize_session=False)
    )


def economy_cap_active(session: Session, now: datetime) -> bool:
    """Whether the session's per-economy cap is in force at `now` (it may lapse at economy_cap_until)."""
    if session.economy_cap is None:
        return False
    return session.economy_cap_until is None or now < session.economy_cap_until


def _ensure_counter(db: DbSession, session_id: int, economy_id: int) -> None:
    insert = pg_insert if db.get_bind().dialect.name == "postgresql" else sqlite_insert
    db.execute(insert(SessionEconomySeats).values(session_id=session_id, economy_id=economy_id, taken=0)
               .on_conflict_do_nothing())


def take_economy_seat(db: DbSession, session: Session, economy_id: int, now: datetime, *,
                       enforce: bool = True) -> bool:
    """Count the seat for the person's economy; refuses when the cap is in force and reached
    (enforce=False: an organizer's decision, counted but never refused)."""
    if session.economy_cap is None:
        return True
    _ensure_counter(db, session.id, economy_id)
    stmt = sa.update(SessionEconomySeats).where(
        SessionEconomySeats.session_id == session.id, SessionEconomySeats.economy_id == economy_id
    )
    if enforce and economy_cap_active(session, now):
        stmt = stmt.where(SessionEconomySeats.taken < session.economy_cap)
    return db.execute(stmt.values(taken=SessionEconomySeats.taken + 1)).rowcount == 1


def release_economy_seat(db: DbSession, session: Session, economy_id: int) -> None:
    """Give back one seat of the economy's share (sessions with an economy cap only)."""
    if session.economy_cap is None:
        return
    db.execute(
        sa.update(SessionEconomySeats)
        .where(SessionEconomySeats.session_id == session.id, SessionEconomySeats.economy_id == economy_id,
               SessionEconomySeats.taken > 0)
        .values(taken=SessionEconomySeats.taken - 1)
    )


def rebuild_economy_counters(db: DbSession, session_id: int) -> None:
    """Recount seats per economy from the confirmed bookings (after the organizer sets a cap)."""
    db.execute(sa.delete(SessionEconomySeats).where(SessionEconomySeats.session_id == session_id))
    rows = db.execute(
        sa.select(Booking.economy_id, sa.func.count())
        .where(Booking.session_id == session_id, Booking.status == BookingStatus.CONFIRMED,
               Booking.holds_seat.is_(True))
        .group_by(Booking.economy_id)
    ).all()
    for economy_id, count in rows:
        db.add(SessionEconomySeats(session_id=session_id, economy_id=economy_id, taken=count))
    db.flush()


def active_booking(db: DbSession, session_id: int, registration_id: int) -> Booking | None:
    """The person's confirmed or waitlisted booking of the session, if any (fresh from the database)."""
    return db.scalar(
        sa.select(Booking).where(Booking.session_id == session_id, Booking.registration_id == registration_id,
                                 Booking.status.in_(ACTIVE))
        .execution_options(populate_existing=True)
    )


def own_booking_and_clash(db: DbSession, registration_id: int, session: Session
                          ) -> tuple[Booking | None, Session | None, int | None]:
    """What active_booking and overlapping_booking answer, in one statement: the person's active
    booking of this session, another session in which they hold a seat at the same time, and the
    highest iTIP SEQUENCE sent for a cancelled booking of this session (a new invitation must
    carry a higher one)."""
    rows = db.execute(
        sa.select(Booking, Session).join(Session, Session.id == Booking.session_id)
        .where(Booking.registration_id == registration_id,
               sa.or_(Booking.session_id == session.id,
                      sa.and_(Booking.status == BookingStatus.CONFIRMED, Session.status == SessionStatus.SCHEDULED)))
        .options(joinedload(Session.site_visit))
        .execution_options(populate_existing=True)
    ).all()
    own = next((b for b, s in rows if b.session_id == session.id and b.status in ACTIVE), None)
    cancelled = [b.itip_sequence for b, s in rows if b.session_id == session.id and b.status not in ACTIVE
                 and b.itip_sequence is not None]
    start, end = busy_span(session)
    clash = None
    for other in sorted((s for b, s in rows if s.id != session.id), key=lambda s: s.starts_at):
        o_start, o_end = busy_span(other)
        if o_start < end and start < o_end:
            clash = other
            break
    return own, clash, max(cancelled, default=None)


def overlapping_booking(db: DbSession, registration_id: int, session: Session) -> Session | None:
    """Another session in which the person holds a confirmed seat at the same time, if any."""
    start, end = busy_span(session)
    others = db.scalars(
        sa.select(Session).join(Booking, Booking.session_id == Session.id)
        .where(Booking.registration_id == registration_id, Booking.status == BookingStatus.CONFIRMED,
               Session.id != session.id, Session.status == SessionStatus.SCHEDULED)
        .options(selectinload(Session.site_visit))
    ).all()
    for other in sorted(others, key=lambda s: s.starts_at):
        o_start, o_end = busy_span(other)
        if o_start < end and start < o_end:
            return other
    return None


def format_local(event, moment: datetime) -> str:
    """A moment in the event's time zone, short ("Sat 28 Jun, 14:00"), for messages; the caller names the zone."""
    from eventhub.formatting import local_dt

    return local_dt(moment, event, "short_datetime")
