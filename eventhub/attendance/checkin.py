"""Checking in: the rules of a plain check-in and its override, recording a scan once, undoing it.

Services take the database session first, flush and never commit. A refused check-in raises
CheckInRefused (a DomainError) whose message the desk and the API show as it is; nothing is
recorded then. Only an approved registration (with a confirmed booking of a bookable session, on
its own vehicle) is checked in plainly; anything else needs the secretariat's override with a reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session as DbSession
from sqlalchemy.orm import joinedload, selectinload

from eventhub.accounts.models import User
from eventhub.attendance.models import CheckIn, CheckInSource
from eventhub.attendance.scopes import Scope
from eventhub.db import utcnow
from eventhub.errors import Conflict, DomainError, NotFound
from eventhub.events.models import Event
from eventhub.registration.models import Registration, RegistrationStatus
from eventhub.signups.models import Booking, BookingStatus, Vehicle

if TYPE_CHECKING:
    from eventhub.attendance.api_access import ApiCaller

# A scanner app's clock may run a little fast; a scan further in the future is a wrong clock.
CLOCK_SKEW = timedelta(minutes=5)
OVERRIDE_REASON_MAX = 300  # CheckIn.override_reason


class CheckInRefused(DomainError):
    """A scan that records nothing: forged or unknown badge, other event, a registration that is not
    approved, a session the person has not booked…

    `reason` is a stable code for scanner apps; `registration` is set when the person is known;
    `needs_override` when the secretariat may record the check-in anyway (with a reason).
    """

    def __init__(self, message: str, reason: str, *, registration: Registration | None = None,
                 needs_override: bool = False):
        super().__init__(message)
        self.reason = reason
        self.registration = registration
        self.needs_override = needs_override



@dataclass
class Outcome:
    """What a scan did: `new` or `already` (a refusal is raised, not returned)."""

    result: str
    checkin: CheckIn
    registration: Registration
    warnings: list[str] = field(default_factory=list)

    @property
    def is_new(self) -> bool:
        return self.result == "new"


def _active_for_scope(db_session: DbSession, registration_id: int, scope: Scope) -> CheckIn | None:
    query = sa.select(CheckIn).where(CheckIn.registration_id == registration_id, CheckIn.undone_at.is_(None))
    if scope.session is None:
        query = query.where(CheckIn.session_id.is_(None), CheckIn.day == scope.day)
    else:
        query = query.where(CheckIn.session_id == scope.session.id)
    return db_session.scalar(query.options(joinedload(CheckIn.vehicle)))  # named in the answer


_NONCE_USED = sa.select(CheckIn.id).where(CheckIn.nonce == sa.bindparam("nonce"))
_CHECKIN = CheckIn.__table__
# The scanner API's INSERT, built once (it runs for every scan): nothing is written when a unique
# index refuses the row, i.e. the nonce was used or the scope already has an active check-in.
_INSERT_UNLESS_RECORDED = {
    "sqlite": sqlite_insert(_CHECKIN).on_conflict_do_nothing().returning(_CHECKIN.c.id),
    "postgresql": postgresql_insert(_CHECKIN).on_conflict_do_nothing().returning(_CHECKIN.c.id),
}


def _by_nonce(db_session: DbSession, nonce: str) -> CheckIn | None:
    # Almost every nonce is new: ask for the id alone (plain SQL, no ORM) before loading anything.
    checkin_id = db_session.connection().execute(_NONCE_USED, {"nonce": nonce}).scalar()
    if checkin_id is None:
        return None
    return db_session.get(CheckIn, checkin_id, options=[joinedload(CheckIn.vehicle)])  # named in the answer


# A booking that holds a place or a waitlist spot. Public: api_access reads bookings with it too.
# Not IN (…): a list in a statement is expanded into its SQL again at every execution.
ACTIVE_BOOKING = sa.or_(Booking.status == BookingStatus.CONFIRMED, Booking.status == BookingStatus.WAITLISTED)
# A scan for a bookable session checks the person's booking (and bus): one plain statement.
BOOKING_OF = (
    sa.select(Booking.status, Booking.vehicle_id, Vehicle.name.label("vehicle_name"))
    .outerjoin(Vehicle, Vehicle.id == Booking.vehicle_id)
    .where(Booking.session_id == sa.bindparam("session_id"), Booking.registration_id == sa.bindparam("registration_id"),
           ACTIVE_BOOKING)
)


# check_scan(booking=NOT_READ): the booking was not read along with the person (api_reads() does).
NOT_READ = object()


@dataclass(frozen=True)
class BookingState:
    """A person's active booking of a session, as a row of BOOKING_OF (and as api_reads() reads it)."""

    status: BookingStatus
    vehicle_id: int | None
    vehicle_name: str | None


@dataclass(frozen=True)
class Problem:
    """Why a plain check-in is refused: `code` is stable (scanner apps), `text` a clause for people."""

    code: str
    text: str


def problems(registration: Registration, scope: Scope, booking) -> list[Problem]:
    """What stands between this person and a plain check-in for the scope (empty: nothing).

    Only approved registrations are checked in; for a bookable session, only people with a
    confirmed booking, on their own vehicle if they have one. booking: the person's active booking
    of the scope's session (status, vehicle_id, vehicle_name) or None; read only for bookable sessions.
    """
    found = []
    if registration.status != RegistrationStatus.APPROVED:
        label = registration.status.label.lower()
        found.append(Problem(registration.status.value, _("registration %(status)s", status=label)
                             if registration.status in (RegistrationStatus.CANCELLED, RegistrationStatus.DECLINED)
                             else _("registration %(status)s, not approved", status=label)))
    if scope.session is not None and scope.session.bookable:
        if booking is None:
            found.append(Problem("not_booked", _("not booked for this session")))
        elif booking.status == BookingStatus.WAITLISTED:
            found.append(Problem("waitlisted_for_session", _("only on the waitlist of this session")))
        elif scope.vehicle is not None and booking.vehicle_id is not None and booking.vehicle_id != scope.vehicle.id:
            found.append(Problem("other_vehicle", _("assigned to %(assigned)s, not %(vehicle)s",
                                                     assigned=booking.vehicle_name, vehicle=scope.vehicle.name)))
    return found


def refusal_message(registration: Registration, found: list[Problem]) -> str:
    return _("Check-in refused: %(name)s — %(problems)s. Nothing was recorded. Only the secretariat can record "
             "an override, with a reason.", name=registration.badge_name, problems=problem_list(found))


def problem_list(found: list[Problem]) -> str:
    """The problems' clauses as one list, with the reader's separator (a list, not a sentence)."""
    return _("; ").join(p.text for p in found)


_BOOKINGS_OF = (
    sa.select(Booking.registration_id, Booking.status, Booking.vehicle_id, Vehicle.name.label("vehicle_name"))
    .outerjoin(Vehicle, Vehicle.id == Booking.vehicle_id)
    .where(Booking.session_id == sa.bindparam("session_id"), ACTIVE_BOOKING)
)


def refusals(db_session: DbSession, registrations: list[Registration], scope: Scope) -> dict[int, list[Problem]]:
    """The problems() of each of these people for the scope, by registration id (at most one query),
    so that the desk shows a refusal, not a check-in button, for those a plain check-in refuses."""
    bookings = {}
    if registrations and scope.session is not None and scope.session.bookable:
        ids = [r.id for r in registrations]
        rows = db_session.execute(_BOOKINGS_OF.where(Booking.registration_id.in_(ids)),
                                  {"session_id": scope.session.id})
        bookings = {row.registration_id: row for row in rows}
    found = {r.id: problems(r, scope, bookings.get(r.id)) for r in registrations}
    return {rid: p for rid, p in found.items() if p}


def _booking(db_session: DbSession, registration: Registration, scope: Scope, booking):
    if booking is NOT_READ and scope.session is not None and scope.session.bookable:
        return db_session.connection().execute(
            BOOKING_OF, {"session_id": scope.session.id, "registration_id": registration.id}).first()
    return None if booking is NOT_READ else booking


def checked_reason(reason: str | None) -> str:
    """An override's reason as stored, or DomainError: an override needs one."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise DomainError(_("Give the reason for the override (e.g. “approved by phone by the head of "
                            "delegation”)."), field="override_reason")
    if "\x00" in reason:
        raise DomainError(_("The reason must not contain a NUL character."), field="override_reason")
    if len(reason) > OVERRIDE_REASON_MAX:
        raise DomainError(_("Keep the reason under %(max)d characters.", max=OVERRIDE_REASON_MAX), field="override_reason")
    return reason


def scan_time(event: Event, scanned_at: datetime) -> datetime:
    """A scanner's time in UTC, refused with a readable message when it has no offset or cannot be a
    real time (0001-01-01T00:00:00+14:00 is before year 1 in UTC: Python cannot even compare it)."""
    if scanned_at.tzinfo is None:
        raise DomainError(_("The scan time must carry its UTC offset."), field="scanned_at")
    try:
        moment = scanned_at.astimezone(UTC)
        moment.astimezone(event.tz)
    except (OverflowError, ValueError) as exc:
        raise DomainError(_("The scan time is out of range: check the scanner's clock."),
                          field="scanned_at") from exc
    return moment


@dataclass
class Scan:
    """A check-in that passed every rule and is ready to be recorded (see record_check_in)."""

    registration: Registration
    scope: Scope
    values: dict
    warnings: list[str]
    replay: Outcome | None = None  # set when the nonce was already used: nothing is to be recorded


def check_in(db_session: DbSession, event: Event, registration: Registration, scope: Scope, *,
             by: User | None, source: CheckInSource = CheckInSource.DESK, desk: str = "",
             scanned_at: datetime | None = None, nonce: str | None = None, override: bool = False,
             override_reason: str | None = None, now: datetime | None = None) -> Outcome:
    """Record that `registration` is here for `scope`, once.

    Scanning twice (at one desk or at two desks at the same moment) records once: the second
    scan answers `already` with the first one's time. A retried request with the same nonce
    finds the check-in it made. Only what problems() allows is recorded; the rest is refused
    unless override=True with a reason (stored with who and when: recorded_by, recorded_at).
    The caller checks the OVERRIDE_CHECK_IN permission before passing override=True.
    """
    scan = check_scan(db_session, event, registration, scope, by=by, source=source, desk=desk,
                      scanned_at=scanned_at, nonce=nonce, override=override, override_reason=override_reason,
                      now=now)
    return record_check_in(db_session, scan)


def check_scan(db_session: DbSession, event: Event, registration: Registration, scope: Scope, *,
               by: User | ApiCaller | None, source: CheckInSource = CheckInSource.DESK, desk: str = "",
               scanned_at: datetime | None = None, nonce: str | None = None, override: bool = False,
               override_reason: str | None = None, now: datetime | None = None, booking=NOT_READ) -> Scan:
    """The rules of check_in(), reading only: raises CheckInRefused or DomainError, or returns the Scan.

    booking: the person's active booking of the scope's session (status, vehicle_id, vehicle_name)
    or None, when it was read already; by default it is read here if the session is bookable.
    """
    now = now or utcnow()
    if registration.event_id != event.id:
        raise CheckInRefused(_("This person is registered for another event. Nothing was recorded."), "other_event")
    if scanned_at is None:
        scanned_at = now
    else:
        scanned_at = scan_time(event, scanned_at)
    if scanned_at > now + CLOCK_SKEW:
        raise DomainError(_("The scan time is in the future: check the scanner's clock."), field="scanned_at")
    if nonce is not None:
        nonce = nonce.strip()
        if not 8 <= len(nonce) <= 64:
            raise DomainError(_("The nonce must be 8 to 64 characters long."), field="nonce")
        if "\x00" in nonce:  # SQLite's length() stops at it; PostgreSQL refuses it
            raise DomainError(_("The nonce must not contain a NUL character."), field="nonce")
    if desk and "\x00" in desk:
        raise DomainError(_("The desk name must not contain a NUL character."), field="desk")

    found = problems(registration, scope, _booking(db_session, registration, scope, booking))
    if found and not override:
        # A retried scan is answered as the first one was, even if the registration was cancelled
        # since. (Scans that pass the rules learn about their nonce from the INSERT.)
        earlier = _by_nonce(db_session, nonce) if nonce is not None else None
        if earlier is not None:
            return Scan(registration, scope, {}, [], replay=_replay(earlier, registration))
        raise CheckInRefused(refusal_message(registration, found), found[0].code, registration=registration,
                             needs_override=True)
    reason = checked_reason(override_reason) if found else None

    values = {
        "event_id": event.id, "registration_id": registration.id, "day": scope.day,
        "session_id": scope.session.id if scope.session else None,
        "vehicle_id": scope.vehicle.id if scope.vehicle else None,
        "scanned_at": scanned_at, "recorded_at": now, "recorded_by_id": by.id if by else None,
        "source": source, "desk": (desk or "")[:60], "nonce": nonce,
        "overridden": bool(found), "override_reason": reason,
    }
    return Scan(registration, scope, values, [_("Recorded by override: %(problem)s.", problem=p.text) for p in found])


def record_check_in(db_session: DbSession, scan: Scan) -> Outcome:
    """Write a checked Scan: one INSERT, which the database turns into nothing when the nonce was
    used or the person already has an active check-in for the scope (the partial unique indexes),
    also when two desks scan the same badge at the same moment. Then the first one is answered."""
    if scan.replay is not None:
        return scan.replay
    dialect = db_session.get_bind().dialect.name
    new_id = db_session.connection().execute(_INSERT_UNLESS_RECORDED[dialect], scan.values).scalar()
    if new_id is not None:
        # The row as written; built here rather than read back, it is not attached to the session.
        return Outcome("new", CheckIn(id=new_id, undone_at=None, **scan.values), scan.registration, scan.warnings)
    nonce = scan.values["nonce"]
    if nonce is not None:
        earlier = _by_nonce(db_session, nonce)
        if earlier is not None:
            return _replay(earlier, scan.registration)
    existing = _active_for_scope(db_session, scan.registration.id, scan.scope)
    if existing is None:  # pragma: no cover - only the two indexes above can refuse the row
        raise RuntimeError("check-in refused by the database for an unknown reason")
    _keep_earliest(db_session, existing, scan.values["scanned_at"])
    return Outcome("already", existing, scan.registration, scan.warnings)


def _keep_earliest(db_session: DbSession, existing: CheckIn, scanned_at: datetime) -> None:
    """Two offline desks that scanned the same badge sync in any order: the check-in keeps the
    earliest scan's time. One conditional UPDATE, so two syncs at once cannot move it later."""
    if scanned_at >= existing.scanned_at:
        return
    db_session.execute(sa.update(CheckIn).where(CheckIn.id == existing.id, CheckIn.scanned_at > scanned_at)
                       .values(scanned_at=scanned_at).execution_options(synchronize_session=False))
    db_session.refresh(existing, ["scanned_at"])


def _replay(earlier: CheckIn, registration: Registration) -> Outcome:
    if earlier.registration_id != registration.id:
        raise CheckInRefused(_("This scan's nonce was already used for someone else. Nothing was recorded."),
                             "nonce_reused", registration=registration)
    return Outcome("already", earlier, registration)


def undo_check_in(db_session: DbSession, event: Event, checkin_id: int, *, by: User | None,
                  now: datetime | None = None) -> CheckIn:
    """Take back a check-in made by mistake. It stays in the table, marked undone."""
    checkin = db_session.scalar(
        sa.select(CheckIn).where(CheckIn.id == checkin_id, CheckIn.event_id == event.id)
        .options(selectinload(CheckIn.registration))
    )
    if checkin is None:
        raise NotFound(_("No such check-in in this event."))
    if checkin.undone_at is not None:
        raise Conflict(_("This check-in was already undone."))
    checkin.undone_at = now or utcnow()
    checkin.undone_by_id = by.id if by else None
    db_session.flush()
    return checkin

