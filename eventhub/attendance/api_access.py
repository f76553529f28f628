"""The scanner app's access: per-user API tokens (shown once, stored hashed) and the one statement
that reads everything a scan request needs — the caller with their roles, the event, the session,
the badge holder with their economy, badge version and booking."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session as DbSession
from sqlalchemy.orm import contains_eager

from eventhub.accounts.models import EventRole, User
from eventhub.accounts.permissions import remember_event_roles
from eventhub.agenda.models import Session as AgendaSession
from eventhub.attendance import desk_tokens
from eventhub.attendance.checkin import ACTIVE_BOOKING, BookingState
from eventhub.attendance.models import BadgeVersion
from eventhub.attendance.tokens import hash_api_token, new_api_token
from eventhub.events.models import Event
from eventhub.registration.models import Registration
from eventhub.signups.models import Booking, Vehicle

_USER_BY_TOKEN = sa.select(User).where(User.api_token_hash == sa.bindparam("token_hash"))


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
    booking: BookingState | None = None  # the registration's active booking of the session (checkin.check_scan())
    # A desk's token (desk_tokens): the desk's name, and whether it was revoked or is for another event.
    desk: str | None = None
    revoked: bool = False


@functools.cache  # built on first use: joining a relationship needs every model mapped
def _api_reads(by_desk: bool = False):
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
                                    ACTIVE_BOOKING))
        .outerjoin(Vehicle, Vehicle.id == Booking.vehicle_id)
        .where(User.id == sa.bindparam("user_id") if by_desk else User.api_token_hash == sa.bindparam("token_hash"),
               User.active.is_(True), Event.slug == sa.bindparam("slug"))
        # A desk's token is for its own event only: another event's slug reads nothing.
        .where(Event.id == sa.bindparam("event_id") if by_desk else sa.true())
        .options(contains_eager(Registration.economy))
    )


def api_reads(db_session: DbSession, token: str | None, slug: str, *, session_id: int | None,
              registration_id: int | None) -> ApiReads:
    """The caller of an API token (with their roles in the event, remembered for can()), the event
    of a slug, and the session and registration a scan names."""
    token_hash = _token_hash(token)
    if token_hash is None:
        return ApiReads(None, None)
    params = {"token_hash": token_hash, "slug": slug, "session_id": session_id, "registration_id": registration_id}
    desk = None
    if desk_tokens.is_desk_token(token):
        desk = desk_tokens.desk_token(db_session, token)
        if desk is None or not desk.active:
            return ApiReads(None, None, revoked=desk is not None)
        params.update(user_id=desk.created_by_id, event_id=desk.event_id)
    rows = db_session.execute(_api_reads(desk is not None), params).all()
    if not rows:
        if desk is not None:  # another event's slug (or its creator's account was deactivated)
            return ApiReads(ApiCaller(desk.created_by_id, False), None, desk=desk.desk)
        user = user_for_api_token(db_session, token)
        return ApiReads(ApiCaller(user.id, user.is_admin) if user else None, None)
    first = rows[0]
    user, event, session, registration = ApiCaller(first.user_id, first.is_admin), first[2], first[4], first[5]
    remember_event_roles(user, event.id, (row.role for row in rows if row.role is not None))
    booking = None
    if first.booking_status is not None:
        booking = BookingState(first.booking_status, first.vehicle_id, first.vehicle_name)
    return ApiReads(user, event, session, registration, first.version, booking,
                    desk=desk.desk if desk is not None else None)


