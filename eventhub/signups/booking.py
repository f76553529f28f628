"""Booking, cancelling, staff overrides and moves: the rules a person meets when taking a seat."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session as DbSession
from sqlalchemy.orm import selectinload

from eventhub.agenda.models import Session, SignupMode
from eventhub.calendars.sequence import entry_sequence
from eventhub.db import utcnow
from eventhub.errors import Conflict, DomainError, NotFound
from eventhub.i18n import localized
from eventhub.registration.models import Registration, RegistrationStatus
from eventhub.signups import notify
from eventhub.signups.models import Booking, BookingStatus, SessionEconomySeats, Vehicle
from eventhub.signups.seats import (
    ACTIVE,
    BookingOutcome,
    active_booking,
    format_local,
    load_session,
    lock_registration,
    lock_sessions,
    log_booking,
    overlapping_booking,
    own_booking_and_clash,
    release_economy_seat,
    release_seat,
    take_economy_seat,
    take_seat,
)
from eventhub.signups.vehicles import release_vehicle
from eventhub.signups.waitlist import anyone_waiting, fill_free_seats, waitlist_position


@dataclass(frozen=True)
class SignupWindow:
    """Whether a first-come session takes bookings now, and one sentence that says when it opens or closed."""

    state: str  # "not_open", "open" or "closed"
    at: datetime  # when it opens (not_open) or closes (open, closed)
    sentence: str

    @property
    def open(self) -> bool:
        return self.state == "open"


def signup_window(session: Session, now: datetime | None = None) -> SignupWindow:
    """The sign-up window of a session as delegates meet it. Without a set close, sign-up closes when
    the session starts. Times are event-local with the zone named."""
    from eventhub.formatting import local_dt

    now = now or utcnow()
    event = session.event
    closes = session.signup_closes_at or session.starts_at
    if session.signup_opens_at is not None and now < session.signup_opens_at:
        return SignupWindow("not_open", session.signup_opens_at,
                            _("Sign-up opens %(when)s (%(zone)s).", when=local_dt(session.signup_opens_at, event),
                              zone=event.timezone))
    if now >= closes:
        return SignupWindow("closed", closes, _("Sign-up closed %(when)s (%(zone)s).", when=local_dt(closes, event),
                                                zone=event.timezone))
    return SignupWindow("open", closes, _("Sign-up closes %(when)s (%(zone)s).", when=local_dt(closes, event),
                                          zone=event.timezone))


def check_bookable(session: Session, registration: Registration, now: datetime, *, by_staff: bool = False) -> None:
    """Raise a readable DomainError when this person may not book this session now."""
    if registration.event_id != session.event_id:
        raise DomainError(_("That participant is not registered for this event."))
    if registration.status != RegistrationStatus.APPROVED:
        raise DomainError(_("%(name)s's registration is %(status)s; only approved participants can book sessions.",
                            name=registration.full_name, status=registration.status.label.lower()))
    if session.is_cancelled:
        raise DomainError(_("“%(title)s” has been cancelled.", title=localized(session, "title")))
    if not session.bookable or session.capacity is None:
        raise DomainError(_("“%(title)s” does not take sign-ups.", title=localized(session, "title")))
    if by_staff:
        return
    if session.signup_mode == SignupMode.PREFERENCE:
        raise DomainError(_("“%(title)s” is allocated by preference: rank the roundtables instead.",
                            title=localized(session, "title")))
    window = signup_window(session, now)
    if window.state == "not_open":
        raise DomainError(_("Sign-up for “%(title)s” opens %(when)s (%(zone)s).", title=localized(session, "title"),
                            when=format_local(session.event, window.at), zone=session.event.timezone))
    if window.state == "closed":
        raise DomainError(_("Sign-up for “%(title)s” closed %(when)s (%(zone)s).", title=localized(session, "title"),
                            when=format_local(session.event, window.at), zone=session.event.timezone))


def book(db: DbSession, session_id: int, registration_id: int, *, actor_id: int | None = None,
         now: datetime | None = None, notify_person: bool = True) -> BookingOutcome:
    """Book a seat, or join the waitlist when the session (or the person's economy share) is full.

    Booking twice returns the existing booking. Overlapping confirmed bookings are refused.
    """
    now = now or utcnow()
    registration = lock_registration(db, registration_id)
    # The session row is locked before anything is counted: bookings of one session then follow
    # one another (a seat taken already locked it; now joining the waitlist does too), so the
    # position counted below is the committed order and two people are never told the same one.
    session = load_session(db, session_id, lock=True)
    check_bookable(session, registration, now)

    existing, clash, cancelled_sequence = own_booking_and_clash(db, registration_id, session)
    if existing is not None:
        return BookingOutcome(existing, created=False)
    if clash is not None:
        raise Conflict(_("%(name)s already has a seat in “%(other)s” (%(when)s), which overlaps “%(title)s”. "
                         "Cancel that first.", name=registration.full_name, other=localized(clash, "title"),
                         when=format_local(session.event, clash.starts_at), title=localized(session, "title")))

    if session.seats_left and anyone_waiting(db, session_id):
        # Free seats while people wait (e.g. the economy cap has lapsed, so those held back by it
        # may now be seated): the waitlist is served first, the newcomer takes what is left.
        fill_free_seats(db, session_id, actor_id=actor_id, now=now)

    confirmed = held_by_cap = False
    if take_seat(db, session_id):
        if take_economy_seat(db, session, registration.economy_id, now):
            confirmed = True
        else:
            release_seat(db, session_id)
            held_by_cap = True
    # The invitation's SEQUENCE goes in with the row (the rule of eventhub.calendars.sequence for
    # an entry never sent before), instead of a read and an update after it.
    invited = confirmed and notify_person and bool(registration.email)
    booking = Booking(
        session_id=session_id, registration_id=registration_id, economy_id=registration.economy_id,
        status=BookingStatus.CONFIRMED if confirmed else BookingStatus.WAITLISTED,
        waitlisted_at=None if confirmed else utcnow(), booked_by_id=actor_id,
        itip_sequence=entry_sequence(session.sequence, None, cancelled_sequence) if invited else None,
    )
    db.add(booking)
    db.flush()
    log_booking(db, booking, "booked" if confirmed else "waitlisted", actor_id)
    position = None if confirmed else waitlist_position(db, booking)
    if notify_person:
        if confirmed:
            notify.booking_confirmed(db, booking, registration, session, sequence=booking.itip_sequence)
        else:
            notify.booking_waitlisted(db, booking, registration, session, position,
                                      economy_cap=session.economy_cap if held_by_cap else None)
    return BookingOutcome(booking, created=True, held_by_economy_cap=held_by_cap, position=position)


def add_by_staff(db: DbSession, session_id: int, registration_id: int, reason: str = "", *,
                 actor_id: int | None, now: datetime | None = None) -> Booking:
    """Staff add someone: into a free seat, or — with a recorded reason — beyond capacity.

    Staff are not bound by the sign-up window, the mode or the economy cap."""
    now = now or utcnow()
    reason = (reason or "").strip()
    registration = lock_registration(db, registration_id)
    session = load_session(db, session_id)
    check_bookable(session, registration, now, by_staff=True)
    clash = overlapping_booking(db, registration_id, session)
    if clash is not None:
        raise Conflict(_("%(name)s already has a seat in “%(other)s” at the same time.", name=registration.full_name,
                         other=localized(clash, "title")), field="registration_id")
    booking = active_booking(db, session_id, registration_id)
    if booking is not None and booking.status == BookingStatus.CONFIRMED:
        raise Conflict(_("%(name)s already has a seat in “%(title)s”.", name=registration.full_name,
                         title=localized(session, "title")), field="registration_id")
    holds_seat = take_seat(db, session_id)
    if holds_seat:
        take_economy_seat(db, session, registration.economy_id, now, enforce=False)
    elif not reason:
        raise Conflict(_("“%(title)s” is full. Give a reason to add %(name)s beyond capacity.",
                         title=localized(session, "title"), name=registration.full_name), field="reason")
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
    log_booking(db, booking, "added" if holds_seat else "added_over_capacity", actor_id, reason)
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
        raise NotFound(_("That booking does not exist."))
    registration = lock_registration(db, booking.registration_id)
    session = load_session(db, booking.session_id)
    was = _take_cancel(db, booking_id)
    db.refresh(booking)
    if was is None:
        return booking  # already cancelled: a double click
    if was == BookingStatus.CONFIRMED:
        release_vehicle(db, booking)
        if booking.holds_seat:
            release_seat(db, session.id)
            release_economy_seat(db, session, booking.economy_id)
    db.flush()
    log_booking(db, booking, action, actor_id, note)
    if notify_person:
        notify.booking_cancelled(db, booking, registration, session, by_organizer=(action == "removed"),
                                 had_seat=(was == BookingStatus.CONFIRMED))
    if promote and was == BookingStatus.CONFIRMED and booking.holds_seat:
        fill_free_seats(db, session.id, actor_id=actor_id, now=now)
    return booking


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
        raise NotFound(_("That booking is no longer active."))
    if booking.session_id == to_session_id:
        raise DomainError(_("Choose a different session to move to."), field="to_session_id")
    target = load_session(db, to_session_id)
    source = load_session(db, booking.session_id)
    if target.event_id != source.event_id:
        raise NotFound(_("That session is not part of this event."))
    registration_id = booking.registration_id
    lock_registration(db, registration_id)
    lock_sessions(db, [source.id, target.id])
    cancel_booking(db, booking_id, actor_id=actor_id, action="moved",
                   note=f"to session {to_session_id}: {target.title}", notify_person=False, now=now)
    if active_booking(db, to_session_id, registration_id) is not None:
        return active_booking(db, to_session_id, registration_id)
    registration = lock_registration(db, registration_id)
    check_bookable(target, registration, now, by_staff=True)
    if target.seats_left is not None and target.seats_left <= 0 and reason.strip():
        return add_by_staff(db, to_session_id, registration_id, reason, actor_id=actor_id, now=now)
    clash = overlapping_booking(db, registration_id, target)
    if clash is not None:
        raise Conflict(_("%(name)s already has a seat in “%(other)s” at the same time.", name=registration.full_name,
                         other=localized(clash, "title")), field="to_session_id")
    confirmed = take_seat(db, to_session_id)
    if confirmed and not take_economy_seat(db, target, registration.economy_id, now, enforce=False):
        release_seat(db, to_session_id)
        confirmed = False
    if not confirmed:
        raise Conflict(_("“%(title)s” is full. Give a reason to add %(name)s beyond capacity.",
                         title=localized(target, "title"), name=registration.full_name), field="reason")
    moved = Booking(session_id=to_session_id, registration_id=registration_id, economy_id=registration.economy_id,
                    status=BookingStatus.CONFIRMED, booked_by_id=actor_id)
    db.add(moved)
    db.flush()
    log_booking(db, moved, "moved_in", actor_id, f"from session {source.id}: {source.title}")
    notify.booking_moved(db, moved, registration, source, target)
    return moved


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
        log_booking(db, booking, "session_cancelled", actor_id)
    return list(bookings)
