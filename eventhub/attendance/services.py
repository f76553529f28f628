"""Check-in: scopes, scanning, undo, badge reissue and scanner-app API tokens.

Services take the database session first, flush and never commit. A refused check-in raises
CheckInRefused (a DomainError) whose message the desk and the API show as it is; nothing is
recorded then.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session as DbSession
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from eventhub.accounts.models import EventRole, User
from eventhub.accounts.permissions import remember_event_roles
from eventhub.agenda.models import Session as AgendaSession
from eventhub.attendance.models import BadgeVersion, CheckIn, CheckInSource
from eventhub.attendance.scopes import (  # noqa: F401 - re-exported for views, reports and tests
    Scope,
    ScopeChoice,
    default_day,
    event_days,
    local_today,
    parse_scope_key,
    resolve_scope,
    scope_choices,
    scope_of,
    session_day,
)
from eventhub.attendance.tokens import BadgeClaim, hash_api_token, new_api_token, read_badge
from eventhub.db import utcnow
from eventhub.errors import Conflict, DomainError, NotFound
from eventhub.events.models import Event
from eventhub.registration.models import Registration, RegistrationStatus
from eventhub.signups.models import Booking, BookingStatus, Vehicle
from eventhub.web import parse_id

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


# --- Finding the person --------------------------------------------------------------------------

# Built once: these run for every scan (statement building costs more than SQLite's work here).
@functools.cache  # built on first use: joining a relationship needs every model mapped
def _badge_holder():
    # The economy comes from an explicit join (contains_eager): cheaper than joinedload()'s own join.
    return (
        sa.select(Registration, BadgeVersion.version)
        .join(Registration.economy)
        .outerjoin(BadgeVersion, BadgeVersion.registration_id == Registration.id)
        .where(Registration.id == sa.bindparam("registration_id"), Registration.event_id == sa.bindparam("event_id"))
        .options(contains_eager(Registration.economy))
    )


_USER_BY_TOKEN = sa.select(User).where(User.api_token_hash == sa.bindparam("token_hash"))

def badge_claim(event: Event, claim: BadgeClaim | None) -> BadgeClaim:
    """A scanned badge's claim (tokens.read_badge(): None if not genuine), if it is of this event."""
    if claim is None:
        raise CheckInRefused("Not a valid badge of EventHub: the code is damaged or forged. Nothing was recorded. "
                             "Search the person by name instead.", "invalid_badge")
    if claim.event_id != event.id:
        raise CheckInRefused("This badge is for another event. Nothing was recorded.", "other_event")
    return claim


def badge_holder(claim: BadgeClaim, registration: Registration | None, current_version: int | None) -> Registration:
    """The registration the claim names, read with its badge's current version; refuses replaced badges."""
    if registration is None:
        raise CheckInRefused("This badge's registration no longer exists. Nothing was recorded.", "unknown_badge")
    if claim.version != (current_version or 0):
        raise CheckInRefused(f"This badge of {registration.badge_name} was replaced by a newer one and no longer "
                             "works. Nothing was recorded.", "replaced_badge", registration=registration)
    return registration


def registration_for_badge(db_session: DbSession, event: Event, token: str, secret_key: str) -> Registration:
    """The registration a scanned badge belongs to. Refuses forged, other events' and replaced badges."""
    claim = badge_claim(event, read_badge(secret_key, token))
    row = db_session.execute(_badge_holder(), {"registration_id": claim.registration_id, "event_id": event.id}).first()
    return badge_holder(claim, row[0] if row else None, row.version if row else None)


NO_SUCH_REGISTRATION = "No such registration in this event. Nothing was recorded."


def registration_by_id(db_session: DbSession, event: Event, registration_id: int | None) -> Registration:
    if parse_id(registration_id) is None:  # not a plausible id: PostgreSQL would refuse to compare it
        raise CheckInRefused(NO_SUCH_REGISTRATION, "unknown_registration")
    registration = db_session.scalar(
        sa.select(Registration).where(Registration.id == registration_id, Registration.event_id == event.id)
        .options(joinedload(Registration.economy))
    )
    if registration is None:
        raise CheckInRefused(NO_SUCH_REGISTRATION, "unknown_registration")
    return registration


def badge_versions(db_session: DbSession, registration_ids: list[int]) -> dict[int, int]:
    if not registration_ids:
        return {}
    rows = db_session.execute(sa.select(BadgeVersion.registration_id, BadgeVersion.version)
                              .where(BadgeVersion.registration_id.in_(registration_ids)))
    return dict(rows.all())


def reissue_badge(db_session: DbSession, registration: Registration, *, by: User | None) -> int:
    """Replace a lost badge: the new version is printed next; the old badge is refused at the desk."""
    row = db_session.get(BadgeVersion, registration.id)
    if row is None:
        row = BadgeVersion(registration_id=registration.id, version=1, reissued_by_id=by.id if by else None)
        db_session.add(row)
    else:
        row.version += 1
        row.reissued_at = utcnow()
        row.reissued_by_id = by.id if by else None
    db_session.flush()
    return row.version


# --- Checking in ---------------------------------------------------------------------------------

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


# Not IN (…): a list in a statement is expanded into its SQL again at every execution.
_ACTIVE_BOOKING = sa.or_(Booking.status == BookingStatus.CONFIRMED, Booking.status == BookingStatus.WAITLISTED)
# A scan for a bookable session checks the person's booking (and bus): one plain statement.
_BOOKING_OF = (
    sa.select(Booking.status, Booking.vehicle_id, Vehicle.name.label("vehicle_name"))
    .outerjoin(Vehicle, Vehicle.id == Booking.vehicle_id)
    .where(Booking.session_id == sa.bindparam("session_id"), Booking.registration_id == sa.bindparam("registration_id"),
           _ACTIVE_BOOKING)
)


# check_scan(booking=NOT_READ): the booking was not read along with the person (api_reads() does).
NOT_READ = object()


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
        found.append(Problem(registration.status.value, f"registration {label}" if registration.status in (
            RegistrationStatus.CANCELLED, RegistrationStatus.DECLINED) else f"registration {label}, not approved"))
    if scope.session is not None and scope.session.bookable:
        if booking is None:
            found.append(Problem("not_booked", "not booked for this session"))
        elif booking.status == BookingStatus.WAITLISTED:
            found.append(Problem("waitlisted_for_session", "only on the waitlist of this session"))
        elif scope.vehicle is not None and booking.vehicle_id is not None and booking.vehicle_id != scope.vehicle.id:
            found.append(Problem("other_vehicle", f"assigned to {booking.vehicle_name}, not {scope.vehicle.name}"))
    return found


def refusal_message(registration: Registration, found: list[Problem]) -> str:
    return (f"Check-in refused: {registration.badge_name} — {'; '.join(p.text for p in found)}. Nothing was "
            "recorded. Only the secretariat can record an override, with a reason.")


_BOOKINGS_OF = (
    sa.select(Booking.registration_id, Booking.status, Booking.vehicle_id, Vehicle.name.label("vehicle_name"))
    .outerjoin(Vehicle, Vehicle.id == Booking.vehicle_id)
    .where(Booking.session_id == sa.bindparam("session_id"), _ACTIVE_BOOKING)
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
            _BOOKING_OF, {"session_id": scope.session.id, "registration_id": registration.id}).first()
    return None if booking is NOT_READ else booking


def checked_reason(reason: str | None) -> str:
    """An override's reason as stored, or DomainError: an override needs one."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise DomainError("Give the reason for the override (e.g. “approved by phone by the head of "
                          "delegation”).", field="override_reason")
    if "\x00" in reason:
        raise DomainError("The reason must not contain a NUL character.", field="override_reason")
    if len(reason) > OVERRIDE_REASON_MAX:
        raise DomainError(f"Keep the reason under {OVERRIDE_REASON_MAX} characters.", field="override_reason")
    return reason


def scan_time(event: Event, scanned_at: datetime) -> datetime:
    """A scanner's time in UTC, refused with a readable message when it has no offset or cannot be a
    real time (0001-01-01T00:00:00+14:00 is before year 1 in UTC: Python cannot even compare it)."""
    if scanned_at.tzinfo is None:
        raise DomainError("The scan time must carry its UTC offset.", field="scanned_at")
    try:
        moment = scanned_at.astimezone(UTC)
        moment.astimezone(event.tz)
    except (OverflowError, ValueError) as exc:
        raise DomainError("The scan time is out of range: check the scanner's clock.", field="scanned_at") from exc
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
        raise CheckInRefused("This person is registered for another event. Nothing was recorded.", "other_event")
    if scanned_at is None:
        scanned_at = now
    else:
        scanned_at = scan_time(event, scanned_at)
    if scanned_at > now + CLOCK_SKEW:
        raise DomainError("The scan time is in the future: check the scanner's clock.", field="scanned_at")
    if nonce is not None:
        nonce = nonce.strip()
        if not 8 <= len(nonce) <= 64:
            raise DomainError("The nonce must be 8 to 64 characters long.", field="nonce")
        if "\x00" in nonce:  # SQLite's length() stops at it; PostgreSQL refuses it
            raise DomainError("The nonce must not contain a NUL character.", field="nonce")
    if desk and "\x00" in desk:
        raise DomainError("The desk name must not contain a NUL character.", field="desk")

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
    return Scan(registration, scope, values, [f"Recorded by override: {p.text}." for p in found])


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
    return Outcome("already", existing, scan.registration, scan.warnings)


def _replay(earlier: CheckIn, registration: Registration) -> Outcome:
    if earlier.registration_id != registration.id:
        raise CheckInRefused("This scan's nonce was already used for someone else. Nothing was recorded.",
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
        raise NotFound("No such check-in in this event.")
    if checkin.undone_at is not None:
        raise Conflict("This check-in was already undone.")
    checkin.undone_at = now or utcnow()
    checkin.undone_by_id = by.id if by else None
    db_session.flush()
    return checkin


def scope_state(db_session: DbSession, registration_ids: list[int], scope: Scope) -> dict[int, CheckIn]:
    """The active check-in of each of these people for the scope (one query)."""
    if not registration_ids:
        return {}
    query = sa.select(CheckIn).where(CheckIn.registration_id.in_(registration_ids), CheckIn.undone_at.is_(None))
    if scope.session is None:
        query = query.where(CheckIn.session_id.is_(None), CheckIn.day == scope.day)
    else:
        query = query.where(CheckIn.session_id == scope.session.id)
    return {c.registration_id: c for c in db_session.scalars(query.options(selectinload(CheckIn.vehicle)))}


def search_registrations(db_session: DbSession, event: Event, text: str, *, limit: int = 25) -> list[Registration]:
    """People of the event whose name (Latin or local script), e-mail or organisation match every word."""
    words = [w for w in (text or "").split() if w][:5]
    if not words:
        return []
    query = sa.select(Registration).where(Registration.event_id == event.id)
    for word in words:
        pattern = f"%{word.replace('%', '').replace('_', '')}%"
        query = query.where(sa.or_(
            Registration.given_name.ilike(pattern), Registration.family_name.ilike(pattern),
            Registration.name_local.ilike(pattern), Registration.email.ilike(pattern),
            Registration.organisation.ilike(pattern),
        ))
    return list(db_session.scalars(
        query.options(selectinload(Registration.economy))
        .order_by(Registration.family_name, Registration.given_name, Registration.id).limit(limit)
    ))


def recent_checkins(db_session: DbSession, event: Event, scope: Scope, *, limit: int = 10) -> list[CheckIn]:
    query = sa.select(CheckIn).where(CheckIn.event_id == event.id)
    if scope.session is None:
        query = query.where(CheckIn.session_id.is_(None), CheckIn.day == scope.day)
    else:
        query = query.where(CheckIn.session_id == scope.session.id)
    return list(db_session.scalars(
        query.options(selectinload(CheckIn.registration).selectinload(Registration.economy),
                      selectinload(CheckIn.vehicle), selectinload(CheckIn.recorded_by))
        .order_by(CheckIn.recorded_at.desc(), CheckIn.id.desc()).limit(limit)
    ))


def scope_count(db_session: DbSession, scope: Scope, event: Event) -> int:
    query = sa.select(sa.func.count()).select_from(CheckIn).where(
        CheckIn.event_id == event.id, CheckIn.undone_at.is_(None))
    if scope.session is None:
        query = query.where(CheckIn.session_id.is_(None), CheckIn.day == scope.day)
    elif scope.vehicle is not None:
        query = query.where(CheckIn.session_id == scope.session.id, CheckIn.vehicle_id == scope.vehicle.id)
    else:
        query = query.where(CheckIn.session_id == scope.session.id)
    return db_session.scalar(query) or 0


# --- API tokens ----------------------------------------------------------------------------------

def issue_api_token(db_session: DbSession, user: User) -> str:
    """A new token for the user's scanner app; the previous one stops working. Shown once, stored hashed."""
    token = new_api_token()
    user.api_token_hash = hash_api_token(token)
    db_session.flush()
    return token


def revoke_api_token(db_session: DbSession, user: User) -> None:
    user.api_token_hash = None
    db_session.flush()


def _token_hash(token: str | None) -> str | None:
    return hash_api_token(token.strip()) if token and len(token) <= 200 else None


def user_for_api_token(db_session: DbSession, token: str | None) -> User | None:
    token_hash = _token_hash(token)
    if token_hash is None:
        return None
    user = db_session.scalar(_USER_BY_TOKEN, {"token_hash": token_hash})
    if user is None or not user.active:
        return None
    return user


@dataclass(frozen=True)
class _BookingState:  # as a row of _BOOKING_OF
    status: BookingStatus
    vehicle_id: int | None
    vehicle_name: str | None


@dataclass(frozen=True)
class ApiCaller:
    """The user of an API token, as far as permissions.can() and the check-in record need them."""

    id: int
    is_admin: bool
    is_authenticated: bool = True


@dataclass
class ApiReads:
    """What a scanner-app request needs from the database, read in one statement before any rule
    is applied (every scan asks; each statement costs more in SQLAlchemy than in the database).

    user is None for an unknown or revoked token, event for an unknown slug; session and
    registration are None when the request names none, or one that is not the event's.
    """

    user: ApiCaller | None
    event: Event | None
    session: AgendaSession | None = None
    registration: Registration | None = None
    badge_version: int | None = None
    booking: _BookingState | None = None  # the registration's active booking of the session (check_scan())


@functools.cache  # built on first use: joining a relationship needs every model mapped
def _api_reads():
    # One row per staff role of the caller in the event (or one row with none): the user (two
    # columns: an ORM object costs more than the rest of the row), the event and the named session
    # and registration (with economy, badge version and booking) side by side.
    return (
        sa.select(User.id.label("user_id"), User.is_admin, Event, EventRole.role, AgendaSession, Registration,
                  BadgeVersion.version,
                  Booking.status.label("booking_status"), Booking.vehicle_id, Vehicle.name.label("vehicle_name"))
        .select_from(User).join(Event, sa.true())
        .outerjoin(EventRole, sa.and_(EventRole.user_id == User.id, EventRole.event_id == Event.id))
        .outerjoin(AgendaSession, sa.and_(AgendaSession.id == sa.bindparam("session_id"),
                                          AgendaSession.event_id == Event.id))
        .outerjoin(Registration, sa.and_(Registration.id == sa.bindparam("registration_id"),
                                         Registration.event_id == Event.id))
        .outerjoin(Registration.economy)
        .outerjoin(BadgeVersion, BadgeVersion.registration_id == Registration.id)
        .outerjoin(Booking, sa.and_(Booking.session_id == AgendaSession.id, Booking.registration_id == Registration.id,
                                    _ACTIVE_BOOKING))
        .outerjoin(Vehicle, Vehicle.id == Booking.vehicle_id)
        .where(User.api_token_hash == sa.bindparam("token_hash"), User.active.is_(True),
               Event.slug == sa.bindparam("slug"))
        .options(contains_eager(Registration.economy))
    )


def api_reads(db_session: DbSession, token: str | None, slug: str, *, session_id: int | None,
              registration_id: int | None) -> ApiReads:
    """The caller of an API token (with their roles in the event, remembered for can()), the event
    of a slug, and the session and registration a scan names."""
    token_hash = _token_hash(token)
    if token_hash is None:
        return ApiReads(None, None)
    rows = db_session.execute(_api_reads(), {"token_hash": token_hash, "slug": slug, "session_id": session_id,
                                             "registration_id": registration_id}).all()
    if not rows:
        user = user_for_api_token(db_session, token)
        return ApiReads(ApiCaller(user.id, user.is_admin) if user else None, None)
    first = rows[0]
    user, event, session, registration = ApiCaller(first.user_id, first.is_admin), first[2], first[4], first[5]
    remember_event_roles(user, event.id, (row.role for row in rows if row.role is not None))
    booking = None
    if first.booking_status is not None:
        booking = _BookingState(first.booking_status, first.vehicle_id, first.vehicle_name)
    return ApiReads(user, event, session, registration, first.version, booking)


# --- Walk-ins --------------------------------------------------------------------------------------

@dataclass
class WalkIn:
    """A walk-in as registered: checked in (`outcome`), or not (`refused`, e.g. waitlisted)."""

    registration: Registration
    outcome: Outcome | None = None
    refused: CheckInRefused | None = None


def register_walk_in(db_session: DbSession, event: Event, scope: Scope, *, economy_id: int, email: str,
                     details: dict, actor: User, submission_key: str | None = None) -> WalkIn:
    """Someone turns up unregistered: the secretariat registers, approves and checks them in at once.

    Registration goes through the registration service (its rules, quota and e-mails hold); the
    person confirms the rest of their details by e-mail later. A repeated submission_key finds
    the walk-in it made instead of making a second one. Someone who could not be approved (the
    delegation is full: waitlisted) stays registered but is not checked in (`refused`).
    """
    from eventhub.registration import services as registration

    reg, created = registration.staff_add(db_session, event, economy_id=economy_id, email=email, details=details,
                                          actor=actor, submission_key=submission_key)
    if created and reg.status == RegistrationStatus.SUBMITTED:
        registration.approve(db_session, reg, actor=actor, unconfirmed_ok=True)  # waitlisted if the delegation's quota is full
    try:
        return WalkIn(reg, check_in(db_session, event, reg, scope, by=actor, source=CheckInSource.WALK_IN))
    except CheckInRefused as exc:  # nothing was written for the check-in; the registration stays
        return WalkIn(reg, refused=exc)
