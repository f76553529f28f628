"""Booking rules: seats, waitlists, promotion, per-economy caps, organizer overrides.

Concurrency (design.md, "Capacity under concurrency"):
- A seat is taken with ONE conditional UPDATE on sessions.taken; nothing is inserted as confirmed
  when no row changed. A per-economy cap is a second conditional UPDATE on session_economy_seats.
- Locks are taken in one order everywhere: the person's registration row (FOR UPDATE on
  PostgreSQL; SQLite requests hold the write lock from BEGIN IMMEDIATE), then the session row
  (by its UPDATE), then the economy counter. A failed economy counter gives the seat back.
- Releasing a seat and promoting the first eligible waitlisted person happen in the same
  transaction; the promotion itself is a conditional UPDATE (status = 'waitlisted'), so two
  concurrent cancellations never promote the same person twice.
- The partial UNIQUE index on (session, person) and CHECK taken <= capacity stay the last line
  of defence; a double click finds the first booking and returns it.

Services flush and never commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session as DbSession
from sqlalchemy.orm import selectinload

from eventhub.agenda.models import Session, SessionStatus, SignupMode, busy_span
from eventhub.db import utcnow
from eventhub.errors import Conflict, DomainError, NotFound
from eventhub.registration.models import Registration, RegistrationStatus
from eventhub.signups import notify
from eventhub.signups.models import Booking, BookingLog, BookingStatus, SessionEconomySeats, Vehicle

ACTIVE = (BookingStatus.CONFIRMED, BookingStatus.WAITLISTED)


@dataclass
class BookingOutcome:
    booking: Booking
    created: bool  # False when the person already held a booking (a double click)

    @property
    def confirmed(self) -> bool:
        return self.booking.status == BookingStatus.CONFIRMED


# --- small helpers ------------------------------------------------------------------------------------

def _log(db: DbSession, booking: Booking, action: str, actor_id: int | None, note: str = "") -> None:
    db.add(BookingLog(booking_id=booking.id, session_id=booking.session_id,
                      registration_id=booking.registration_id, actor_id=actor_id, action=action, note=note[:500]))


def _lock_registration(db: DbSession, registration_id: int) -> Registration:
    reg = db.scalar(
        sa.select(Registration).where(Registration.id == registration_id).with_for_update()
        .execution_options(populate_existing=True)
    )
    if reg is None:
        raise NotFound("That participant does not exist.")
    return reg


def _load_session(db: DbSession, session_id: int) -> Session:
    session = db.scalar(
        sa.select(Session).where(Session.id == session_id)
        .options(selectinload(Session.site_visit), selectinload(Session.event))
        .execution_options(populate_existing=True)
    )
    if session is None:
        raise NotFound("That session does not exist.")
    return session


def _take_seat(db: DbSession, session_id: int) -> bool:
    """The one conditional UPDATE that takes a seat."""
    result = db.execute(
        sa.update(Session)
        .where(Session.id == session_id, Session.capacity.is_not(None), Session.taken < Session.capacity,
               Session.status == SessionStatus.SCHEDULED)
        .values(taken=Session.taken + 1)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def _release_seat(db: DbSession, session_id: int) -> None:
    db.execute(
        sa.update(Session).where(Session.id == session_id, Session.taken > 0)
        .values(taken=Session.taken - 1).execution_options(synchronize_session=False)
    )


def economy_cap_active(session: Session, now: datetime) -> bool:
    if session.economy_cap is None:
        return False
    return session.economy_cap_until is None or now < session.economy_cap_until


def _ensure_counter(db: DbSession, session_id: int, economy_id: int) -> None:
    insert = pg_insert if db.get_bind().dialect.name == "postgresql" else sqlite_insert
    db.execute(insert(SessionEconomySeats).values(session_id=session_id, economy_id=economy_id, taken=0)
               .on_conflict_do_nothing())


def _take_economy_seat(db: DbSession, session: Session, economy_id: int, now: datetime, *,
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


def _release_economy_seat(db: DbSession, session: Session, economy_id: int) -> None:
    if session.economy_cap is None:
        return
    db.execute(
        sa.update(SessionEconomySeats)
        .where(SessionEconomySeats.session_id == session.id, SessionEconomySeats.economy_id == economy_id,
               SessionEconomySeats.taken > 0)
        .values(taken=SessionEconomySeats.taken - 1)
    )


def _release_vehicle(db: DbSession, booking: Booking) -> None:
    if booking.vehicle_id is not None:
        db.execute(sa.update(Vehicle).where(Vehicle.id == booking.vehicle_id, Vehicle.taken > 0)
                   .values(taken=Vehicle.taken - 1))
        booking.vehicle_id = None


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
    return db.scalar(
        sa.select(Booking).where(Booking.session_id == session_id, Booking.registration_id == registration_id,
                                 Booking.status.in_(ACTIVE))
        .execution_options(populate_existing=True)
    )


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


def _anyone_waiting(db: DbSession, session_id: int) -> bool:
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


def _fmt(event, moment: datetime) -> str:
    return moment.astimezone(event.tz).strftime("%a %d %b, %H:%M")


# --- booking --------------------------------------------------------------------------------------------

def check_bookable(session: Session, registration: Registration, now: datetime, *, by_staff: bool = False) -> None:
    """Raise a readable DomainError when this person may not book this session now."""
    if registration.event_id != session.event_id:
        raise DomainError("That participant is not registered for this event.")
    if registration.status != RegistrationStatus.APPROVED:
        raise DomainError(
            f"{registration.full_name}'s registration is {registration.status.value}; only approved "
            "participants can book sessions."
        )
    if session.is_cancelled:
        raise DomainError(f"“{session.title}” has been cancelled.")
    if not session.bookable or session.capacity is None:
        raise DomainError(f"“{session.title}” does not take sign-ups.")
    if by_staff:
        return
    if session.signup_mode == SignupMode.PREFERENCE:
        raise DomainError(f"“{session.title}” is allocated by preference: rank the roundtables instead.")
    if session.signup_opens_at is not None and now < session.signup_opens_at:
        raise DomainError(f"Sign-up for “{session.title}” opens {_fmt(session.event, session.signup_opens_at)} "
                          f"({session.event.timezone}).")
    # Without a set close, sign-up closes when the session starts.
    closes = session.signup_closes_at or session.starts_at
    if now >= closes:
        raise DomainError(f"Sign-up for “{session.title}” closed {_fmt(session.event, closes)} "
                          f"({session.event.timezone}).")


def book(db: DbSession, session_id: int, registration_id: int, *, actor_id: int | None = None,
         now: datetime | None = None, notify_person: bool = True) -> BookingOutcome:
    """Book a seat, or join the waitlist when the session (or the person's economy share) is full.

    Booking twice returns the existing booking. Overlapping confirmed bookings are refused.
    """
    now = now or utcnow()
    registration = _lock_registration(db, registration_id)
    session = _load_session(db, session_id)
    check_bookable(session, registration, now)

    existing = active_booking(db, session_id, registration_id)
    if existing is not None:
        return BookingOutcome(existing, created=False)

    clash = overlapping_booking(db, registration_id, session)
    if clash is not None:
        raise Conflict(
            f"{registration.full_name} already has a seat in “{clash.title}” "
            f"({_fmt(session.event, clash.starts_at)}), which overlaps “{session.title}”. Cancel that first."
        )

    if session.seats_left and _anyone_waiting(db, session_id):
        # Free seats while people wait (e.g. the economy cap has lapsed, so those held back by it
        # may now be seated): the waitlist is served first, the newcomer takes what is left.
        fill_free_seats(db, session_id, actor_id=actor_id, now=now)

    confirmed = False
    if _take_seat(db, session_id):
        if _take_economy_seat(db, session, registration.economy_id, now):
            confirmed = True
        else:
            _release_seat(db, session_id)
    booking = Booking(
        session_id=session_id, registration_id=registration_id, economy_id=registration.economy_id,
        status=BookingStatus.CONFIRMED if confirmed else BookingStatus.WAITLISTED,
        waitlisted_at=None if confirmed else utcnow(), booked_by_id=actor_id,
    )
    db.add(booking)
    db.flush()
    _log(db, booking, "booked" if confirmed else "waitlisted", actor_id)
    if notify_person:
        if confirmed:
            notify.booking_confirmed(db, booking, registration, session)
        else:
            notify.booking_waitlisted(db, booking, registration, session, waitlist_position(db, booking))
    return BookingOutcome(booking, created=True)


def add_by_staff(db: DbSession, session_id: int, registration_id: int, reason: str = "", *,
                 actor_id: int | None, now: datetime | None = None) -> Booking:
    """Staff add someone: into a free seat, or — with a recorded reason — beyond capacity.

    Staff are not bound by the sign-up window, the mode or the economy cap."""
    now = now or utcnow()
    reason = (reason or "").strip()
    registration = _lock_registration(db, registration_id)
    session = _load_session(db, session_id)
    check_bookable(session, registration, now, by_staff=True)
    clash = overlapping_booking(db, registration_id, session)
    if clash is not None:
        raise Conflict(f"{registration.full_name} already has a seat in “{clash.title}” at the same time.",
                       field="registration_id")
    booking = active_booking(db, session_id, registration_id)
    if booking is not None and booking.status == BookingStatus.CONFIRMED:
        raise Conflict(f"{registration.full_name} already has a seat in “{session.title}”.", field="registration_id")
    holds_seat = _take_seat(db, session_id)
    if holds_seat:
        _take_economy_seat(db, session, registration.economy_id, now, enforce=False)
    elif not reason:
        raise Conflict(f"“{session.title}” is full. Give a reason to add {registration.full_name} beyond capacity.",
                       field="reason")
    if booking is None:
        booking = Booking(session_id=session_id, registration_id=registration_id,
                          economy_id=registration.economy_id, status=BookingStatus.CONFIRMED, booked_by_id=actor_id)
        db.add(booking)
    else:  # on the waitlist: confirm in place
        booking.status = BookingStatus.CONFIRMED
        booking.waitlisted_at = None
    booking.holds_seat = holds_seat
    booking.over_capacity_reason = "" if holds_seat else reason[:300]
    db.flush()
    _log(db, booking, "added" if holds_seat else "added_over_capacity", actor_id, reason)
    db.refresh(booking)
    notify.booking_confirmed(db, booking, registration, session)
    return booking


def _take_cancel(db: DbSession, booking_id: int) -> BookingStatus | None:
    """Cancel with conditional UPDATEs; returns the status it had, or None if already cancelled."""
    for status in ACTIVE:
        result = db.execute(
            sa.update(Booking).where(Booking.id == booking_id, Booking.status == status)
            .values(status=BookingStatus.CANCELLED, updated_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        if result.rowcount == 1:
            return status
    return None


def cancel_booking(db: DbSession, booking_id: int, *, actor_id: int | None = None, action: str = "cancelled",
                   note: str = "", now: datetime | None = None, notify_person: bool = True,
                   promote: bool = True) -> Booking:
    """Cancel a booking or leave the waitlist. A freed seat goes to the first eligible waitlisted person."""
    now = now or utcnow()
    booking = db.get(Booking, booking_id)
    if booking is None:
        raise NotFound("That booking does not exist.")
    registration = _lock_registration(db, booking.registration_id)
    session = _load_session(db, booking.session_id)
    was = _take_cancel(db, booking_id)
    db.refresh(booking)
    if was is None:
        return booking  # already cancelled: a double click
    if was == BookingStatus.CONFIRMED:
        _release_vehicle(db, booking)
        if booking.holds_seat:
            _release_seat(db, session.id)
            _release_economy_seat(db, session, booking.economy_id)
    db.flush()
    _log(db, booking, action, actor_id, note)
    if notify_person:
        notify.booking_cancelled(db, booking, registration, session, by_organizer=(action == "removed"),
                                 had_seat=(was == BookingStatus.CONFIRMED))
    if promote and was == BookingStatus.CONFIRMED and booking.holds_seat:
        fill_free_seats(db, session.id, actor_id=actor_id, now=now)
    return booking


def fill_free_seats(db: DbSession, session_id: int, *, actor_id: int | None = None,
                    now: datetime | None = None) -> list[Booking]:
    """Give free seats first to people added beyond capacity, then to the waitlist in order.

    Skips waitlisted people who are not eligible now (registration no longer approved, a seat
    elsewhere at the same time, their economy's share used up while the cap is in force).
    """
    now = now or utcnow()
    session = _load_session(db, session_id)
    if session.is_cancelled or not session.bookable or session.capacity is None:
        return []
    promoted: list[Booking] = []
    # 1. Over-capacity bookings take the seat first: they are already in the room.
    for extra in db.scalars(
        sa.select(Booking).where(Booking.session_id == session_id, Booking.status == BookingStatus.CONFIRMED,
                                 Booking.holds_seat.is_(False)).order_by(Booking.created_at, Booking.id)
    ).all():
        if not _take_seat(db, session_id):
            return promoted
        _take_economy_seat(db, session, extra.economy_id, now, enforce=False)
        extra.holds_seat = True
        db.flush()
        _log(db, extra, "absorbed", actor_id, "counted in capacity after a seat was freed")
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
        if not _take_seat(db, session_id):
            break
        if not _take_economy_seat(db, session, candidate.economy_id, now):
            _release_seat(db, session_id)
            continue
        result = db.execute(
            sa.update(Booking).where(Booking.id == candidate.id, Booking.status == BookingStatus.WAITLISTED)
            .values(status=BookingStatus.CONFIRMED, updated_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:  # left the waitlist meanwhile
            _release_economy_seat(db, session, candidate.economy_id)
            _release_seat(db, session_id)
            continue
        db.refresh(candidate)
        _log(db, candidate, "promoted", actor_id)
        notify.booking_promoted(db, candidate, registration, session)
        promoted.append(candidate)
    return promoted


def remove_booking(db: DbSession, booking_id: int, *, actor_id: int | None, note: str = "") -> Booking:
    """An organizer removes someone from a session (or its waitlist)."""
    return cancel_booking(db, booking_id, actor_id=actor_id, action="removed", note=note)


def move_booking(db: DbSession, booking_id: int, to_session_id: int, *, actor_id: int | None,
                 reason: str = "", now: datetime | None = None) -> Booking:
    """Move a person to another session: their place here is freed (and offered to the waitlist);
    there they get a seat, the waitlist, or — with a reason — a place beyond capacity."""
    now = now or utcnow()
    booking = db.get(Booking, booking_id)
    if booking is None or booking.status == BookingStatus.CANCELLED:
        raise NotFound("That booking is no longer active.")
    if booking.session_id == to_session_id:
        raise DomainError("Choose a different session to move to.", field="to_session_id")
    target = _load_session(db, to_session_id)
    source = _load_session(db, booking.session_id)
    if target.event_id != source.event_id:
        raise NotFound("That session is not part of this event.")
    registration_id = booking.registration_id
    cancel_booking(db, booking_id, actor_id=actor_id, action="moved",
                   note=f"to session {to_session_id}: {target.title}", notify_person=False, now=now)
    if active_booking(db, to_session_id, registration_id) is not None:
        return active_booking(db, to_session_id, registration_id)
    registration = _lock_registration(db, registration_id)
    check_bookable(target, registration, now, by_staff=True)
    if target.seats_left is not None and target.seats_left <= 0 and reason.strip():
        return add_by_staff(db, to_session_id, registration_id, reason, actor_id=actor_id, now=now)
    clash = overlapping_booking(db, registration_id, target)
    if clash is not None:
        raise Conflict(f"{registration.full_name} already has a seat in “{clash.title}” at the same time.",
                       field="to_session_id")
    confirmed = _take_seat(db, to_session_id)
    if confirmed and not _take_economy_seat(db, target, registration.economy_id, now, enforce=False):
        _release_seat(db, to_session_id)
        confirmed = False
    if not confirmed:
        raise Conflict(f"“{target.title}” is full. Give a reason to add {registration.full_name} beyond capacity.",
                       field="reason")
    moved = Booking(session_id=to_session_id, registration_id=registration_id, economy_id=registration.economy_id,
                    status=BookingStatus.CONFIRMED, booked_by_id=actor_id)
    db.add(moved)
    db.flush()
    _log(db, moved, "moved_in", actor_id, f"from session {source.id}: {source.title}")
    notify.booking_moved(db, moved, registration, source, target)
    return moved


# --- sessions: cancellation, capacity changes ------------------------------------------------------

def cancel_all_bookings(db: DbSession, session: Session, *, actor_id: int | None) -> list[Booking]:
    """The session is cancelled: every active booking is cancelled and its seat freed (no promotion)."""
    bookings = db.scalars(
        sa.select(Booking).where(Booking.session_id == session.id, Booking.status.in_(ACTIVE))
        .options(selectinload(Booking.registration))
    ).all()
    for booking in bookings:
        booking.status = BookingStatus.CANCELLED
        if booking.vehicle_id is not None:
            db.execute(sa.update(Vehicle).where(Vehicle.id == booking.vehicle_id, Vehicle.taken > 0)
                       .values(taken=Vehicle.taken - 1))
            booking.vehicle_id = None
    db.execute(sa.update(Session).where(Session.id == session.id).values(taken=0)
               .execution_options(synchronize_session=False))
    db.execute(sa.update(SessionEconomySeats).where(SessionEconomySeats.session_id == session.id).values(taken=0))
    db.flush()
    for booking in bookings:
        _log(db, booking, "session_cancelled", actor_id)
    return list(bookings)


# --- vehicles ---------------------------------------------------------------------------------------------

def add_vehicle(db: DbSession, session: Session, *, name: str, seats: int, kind: str = "bus", plate: str = "",
                guide_name: str = "", guide_phone: str = "") -> Vehicle:
    name = name.strip()
    if not name:
        raise DomainError("Give the vehicle a name, e.g. “Bus 1”.", field="name")
    if seats is None or seats <= 0:
        raise DomainError("A vehicle needs at least one seat.", field="seats")
    if db.scalar(sa.select(Vehicle.id).where(Vehicle.session_id == session.id, Vehicle.name == name)):
        raise Conflict(f"This visit already has a vehicle called “{name}”.", field="name")
    vehicle = Vehicle(session_id=session.id, name=name, seats=seats, kind=kind, plate=plate.strip(),
                      guide_name=guide_name.strip(), guide_phone=guide_phone.strip())
    db.add(vehicle)
    db.flush()
    return vehicle


def assign_vehicle(db: DbSession, booking_id: int, vehicle_id: int | None) -> Booking:
    """Put a confirmed person on a vehicle (one conditional UPDATE on its seats), or take them off."""
    booking = db.get(Booking, booking_id)
    if booking is None or booking.status != BookingStatus.CONFIRMED:
        raise DomainError("Only confirmed participants can be put on a vehicle.")
    if booking.vehicle_id == vehicle_id:
        return booking
    old_vehicle_id = booking.vehicle_id
    if vehicle_id is not None:
        vehicle = db.get(Vehicle, vehicle_id)
        if vehicle is None or vehicle.session_id != booking.session_id:
            raise NotFound("That vehicle does not belong to this visit.")
        taken = db.execute(sa.update(Vehicle).where(Vehicle.id == vehicle_id, Vehicle.taken < Vehicle.seats)
                           .values(taken=Vehicle.taken + 1)).rowcount
        if taken != 1:
            raise Conflict(f"{vehicle.name} is full ({vehicle.seats} seats).", field="vehicle_id")
    # Move the booking only if it is still on the vehicle we read (someone else may have moved it
    # meanwhile); only then is the old vehicle's seat given back — never twice.
    still = (Booking.vehicle_id.is_(None) if old_vehicle_id is None else Booking.vehicle_id == old_vehicle_id)
    moved = db.execute(
        sa.update(Booking).where(Booking.id == booking.id, Booking.status == BookingStatus.CONFIRMED, still)
        .values(vehicle_id=vehicle_id).execution_options(synchronize_session=False)
    ).rowcount
    if moved != 1:
        if vehicle_id is not None:
            db.execute(sa.update(Vehicle).where(Vehicle.id == vehicle_id, Vehicle.taken > 0)
                       .values(taken=Vehicle.taken - 1))
        db.refresh(booking)
        raise Conflict("This person's vehicle was changed meanwhile. Reload the page and try again.",
                       field="vehicle_id")
    if old_vehicle_id is not None:
        db.execute(sa.update(Vehicle).where(Vehicle.id == old_vehicle_id, Vehicle.taken > 0)
                   .values(taken=Vehicle.taken - 1))
    db.flush()
    db.refresh(booking)
    return booking


def auto_assign_vehicles(db: DbSession, session: Session) -> int:
    """Seat everyone confirmed who has no vehicle yet, filling vehicles in name order. Returns how many."""
    vehicles = db.scalars(sa.select(Vehicle).where(Vehicle.session_id == session.id).order_by(Vehicle.name)).all()
    waiting = db.scalars(
        sa.select(Booking).join(Registration, Registration.id == Booking.registration_id)
        .where(Booking.session_id == session.id, Booking.status == BookingStatus.CONFIRMED,
               Booking.vehicle_id.is_(None))
        .order_by(Booking.economy_id, Registration.family_name, Registration.given_name)
    ).all()
    placed = 0
    for booking in waiting:
        for vehicle in vehicles:
            if db.execute(sa.update(Vehicle).where(Vehicle.id == vehicle.id, Vehicle.taken < Vehicle.seats)
                          .values(taken=Vehicle.taken + 1)).rowcount == 1:
                booking.vehicle_id = vehicle.id
                placed += 1
                break
        else:
            break
    db.flush()
    return placed


# --- the person's registration ended ----------------------------------------------------------------------

def cancel_bookings_of(db: DbSession, registration_id: int, *, actor_id: int | None = None,
                       note: str = "") -> list[Booking]:
    """The registration was cancelled, declined or replaced: cancel each of the person's active bookings
    through cancel_booking, so their seats are freed and waitlists promoted in the same transaction.
    (Added by the registration engineer; registration.services calls it.)"""
    ids = db.scalars(
        sa.select(Booking.id).where(Booking.registration_id == registration_id, Booking.status.in_(ACTIVE))
        .order_by(Booking.id)
    ).all()
    return [cancel_booking(db, booking_id, actor_id=actor_id, action="registration_ended", note=note)
            for booking_id in ids]
