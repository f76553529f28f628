"""Lookups the calendar views need before any feed is built: the event's key for a feed's 304
answer, the registration a personal feed's token names, the user's registration for the help page."""

from __future__ import annotations

import hmac

import sqlalchemy as sa
from sqlalchemy.orm import Session as DbSession
from sqlalchemy.orm import joinedload

from eventhub.agenda.models import Session, SessionStatus
from eventhub.events.models import Event
from eventhub.registration.models import ACTIVE_STATUSES, Registration, RegistrationStatus

_REGISTRATION_BY_TOKEN = (
    sa.select(Registration).where(Registration.calendar_token == sa.bindparam("token"))
    .options(joinedload(Registration.event))
)


# What a feed's ETag needs of its event, as a plain row: a calendar app asking "changed?" is answered
# without building an Event object (feeds are polled far more often than they change).
_EVENT_KEY = sa.select(Event.id, Event.slug, Event.status, Event.timezone, Event.default_language).where(
    Event.slug == sa.bindparam("slug"))


def event_key(db_session: DbSession, slug: str) -> sa.Row | None:
    """(id, slug, status, timezone) of the event: enough for event_feed(), session_feed() and can().
    The Event itself comes from eventhub.events.queries.event_by_slug()."""
    return db_session.connection().execute(_EVENT_KEY, {"slug": slug}).first()


def registration_by_token(db_session: DbSession, token: str) -> Registration | None:
    """The registration whose feed this is (compared in constant time), or None."""
    if not token or len(token) > 64:
        return None
    reg = db_session.scalars(_REGISTRATION_BY_TOKEN, {"token": token}).first()
    if reg is None or not hmac.compare_digest(reg.calendar_token.encode(), token.encode()):
        return None
    return reg


def registration_for_user(db_session: DbSession, event: Event, user_id: int) -> Registration | None:
    """The user's current registration in the event (approved first), for the help page."""
    return db_session.scalars(
        sa.select(Registration)
        .where(
            Registration.event_id == event.id,
            Registration.user_id == user_id,
            Registration.status.in_(ACTIVE_STATUSES),
        )
        .order_by((Registration.status == RegistrationStatus.APPROVED).desc(), Registration.id.desc())
    ).first()


def session_state(db_session: DbSession, event: Event, session_id: int) -> tuple[bool, bool] | None:
    """(is_public, is_cancelled) of one session of the event, or None."""
    row = db_session.execute(
        sa.select(Session.is_public, Session.status).where(Session.event_id == event.id, Session.id == session_id)
    ).first()
    return None if row is None else (bool(row[0]), row[1] == SessionStatus.CANCELLED)
