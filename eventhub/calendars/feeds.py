"""Read-side builders of the calendar feeds. They query, then return bytes; they never write.

- event_ics: every public, scheduled session of an event (the public agenda feed);
- personal_ics: the sessions that concern one participant (for everyone, confirmed bookings
  including roundtable placements, sessions they speak at or moderate);
- session_ics: one session.

Each feed has a fingerprint computed by one cheap aggregate query, from which the views derive a
strong ETag and Last-Modified and answer 304 without building anything.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Session as DbSession
from sqlalchemy.orm import joinedload, selectinload

from eventhub.agenda.models import Session, SessionSpeaker, SessionStatus
from eventhub.calendars.ical import TimeWriter, calendar_lines, serialize
from eventhub.calendars.vevent import base_url, session_url_maker, session_vevent
from eventhub.events.models import Event, Room
from eventhub.registration.models import Registration, RegistrationStatus
from eventhub.signups.models import Booking, BookingStatus

# Bump when the output format changes, so every ETag changes with it.
FORMAT_VERSION = "3"


# --- which sessions ---------------------------------------------------------------------------------

def _event_sessions_where(event_id: int):
    return sa.and_(
        Session.event_id == event_id,
        Session.status == SessionStatus.SCHEDULED,
        Session.is_public.is_(True),
    )


def _personal_sessions_where(registration: Registration):
    if registration.status != RegistrationStatus.APPROVED or registration.personal_data_purged_at is not None:
        return sa.false()
    booked = sa.select(Booking.session_id).where(
        Booking.registration_id == registration.id, Booking.status == BookingStatus.CONFIRMED
    )
    speaking = sa.select(SessionSpeaker.session_id).where(SessionSpeaker.registration_id == registration.id)
    return sa.and_(
        Session.event_id == registration.event_id,
        Session.status == SessionStatus.SCHEDULED,
        sa.or_(Session.for_everyone.is_(True), Session.id.in_(booked), Session.id.in_(speaking)),
    )


def _load_options() -> list:
    options = [
        joinedload(Session.room),
        selectinload(Session.speakers).joinedload(SessionSpeaker.registration),
    ]
    if hasattr(Session, "site_visit"):  # the agenda's site-visit details (meeting point, host)
        options.append(selectinload(Session.site_visit))
    return options


def _load_sessions(db_session: DbSession, where) -> list[Session]:
    stmt = sa.select(Session).where(where).options(*_load_options()).order_by(Session.starts_at, Session.id)
    return list(db_session.scalars(stmt).unique())


def event_sessions(db_session: DbSession, event: Event) -> list[Session]:
    return _load_sessions(db_session, _event_sessions_where(event.id))


def session_of_event(db_session: DbSession, event: Event, session_id: int) -> Session | None:
    """One session of the event (any status) with what its VEVENT shows."""
    found = _load_sessions(db_session, sa.and_(Session.event_id == event.id, Session.id == session_id))
    return found[0] if found else None


def personal_sessions(db_session: DbSession, registration: Registration) -> list[Session]:
    return _load_sessions(db_session, _personal_sessions_where(registration))


# --- building ---------------------------------------------------------------------------------------

def _time_writer(event: Event, sessions: list[Session]) -> TimeWriter:
    years = [s.starts_at.year for s in sessions] + [s.ends_at.year for s in sessions]
    years += [event.start_date.year, event.end_date.year]
    return TimeWriter(event.timezone, min(years), max(years))


def build_calendar(
    event: Event,
    sessions: list[Session],
    *,
    name: str,
    description: str = "",
    method: str | None = "PUBLISH",
    feed: bool = True,
) -> bytes:
    """A VCALENDAR of the given sessions (all of `event`)."""
    times = _time_writer(event, sessions)
    url_for_session = session_url_maker(event.slug)
    lines = calendar_lines(method=method, name=name, description=description, tzid=event.timezone, feed=feed)
    lines += times.timezone_lines()
    for session in sessions:
        lines += session_vevent(session, times, url_for_session(session.id))
    lines.append("END:VCALENDAR")
    return serialize(lines)


def event_calendar_name(event: Event) -> str:
    return event.title


def event_ics(db_session: DbSession, event: Event) -> bytes:
    """All public, scheduled sessions of the event, as a subscribable feed."""
    sessions = event_sessions(db_session, event)
    return build_calendar(
        event,
        sessions,
        name=event_calendar_name(event),
        description=f"Agenda of {event.title}" + (f", {event.city}" if event.city else ""),
    )


def personal_ics(db_session: DbSession, registration: Registration) -> bytes:
    """The sessions that concern one participant. Names no person: the token alone identifies it."""
    event = registration.event
    sessions = personal_sessions(db_session, registration)
    return build_calendar(
        event,
        sessions,
        name=f"{event.title} – my programme",
        description=f"My programme at {event.title}",
    )


def session_ics(db_session: DbSession, session: Session) -> bytes:
    """One session, for a one-off download from the agenda."""
    event = session.event
    return build_calendar(event, [session], name=f"{session.title} – {event.title}", feed=False)


# --- fingerprints: ETag and Last-Modified from one aggregate query ----------------------------------------

@dataclass(frozen=True)
class Fingerprint:
    etag: str  # without quotes; strong
    last_modified: datetime


def _session_aggregates(where):
    """count, max(changed_at), sum(sequence), sum(id) and speaker count/ids of the selected sessions."""
    ids = sa.select(Session.id).where(where)
    extra = []
    site_visit = getattr(Session, "site_visit", None)
    if site_visit is not None:  # the agenda's SiteVisit: meeting point, host, departure show in the feed
        visit = site_visit.property.mapper.class_
        extra.append(sa.select(sa.func.max(visit.updated_at)).where(visit.session_id.in_(ids)).scalar_subquery())
    return extra + [
        sa.select(sa.func.count(Session.id)).where(where).scalar_subquery(),
        sa.select(sa.func.max(Session.changed_at)).where(where).scalar_subquery(),
        sa.select(sa.func.coalesce(sa.func.sum(Session.sequence), 0)).where(where).scalar_subquery(),
        sa.select(sa.func.coalesce(sa.func.sum(Session.id), 0)).where(where).scalar_subquery(),
        sa.select(sa.func.count(SessionSpeaker.id)).where(SessionSpeaker.session_id.in_(ids)).scalar_subquery(),
        sa.select(sa.func.coalesce(sa.func.sum(SessionSpeaker.id), 0))
        .where(SessionSpeaker.session_id.in_(ids))
        .scalar_subquery(),
    ]


def _event_aggregates(event_id: int):
    return [
        sa.select(Event.updated_at).where(Event.id == event_id).scalar_subquery(),
        sa.select(sa.func.max(Room.updated_at)).where(Room.event_id == event_id).scalar_subquery(),
    ]


def _fingerprint(kind: str, key: object, row: tuple) -> Fingerprint:
    config = current_app.config
    material = repr((FORMAT_VERSION, kind, key, base_url(), config["SERVER_NAME_FOR_UIDS"], tuple(map(str, row))))
    etag = hashlib.sha256(material.encode()).hexdigest()[:40]
    stamps = [v for v in row if isinstance(v, datetime)]
    last = max(stamps) if stamps else datetime(2000, 1, 1, tzinfo=UTC)
    if last.tzinfo is None:
        last = last.replace(tzinfo=UTC)
    return Fingerprint(etag=etag, last_modified=last.astimezone(UTC).replace(microsecond=0))


def event_fingerprint(db_session: DbSession, event_id: int, event_key: tuple) -> Fingerprint:
    """Of the public event feed; event_key holds what the view already knows (slug, status, …)."""
    where = _event_sessions_where(event_id)
    row = db_session.execute(sa.select(*_session_aggregates(where), *_event_aggregates(event_id))).one()
    return _fingerprint("event", (event_id, *event_key), tuple(row))


def session_fingerprint(db_session: DbSession, event_id: int, session_id: int, event_key: tuple) -> Fingerprint:
    where = sa.and_(Session.event_id == event_id, Session.id == session_id)
    row = db_session.execute(sa.select(*_session_aggregates(where), *_event_aggregates(event_id))).one()
    return _fingerprint("session", (event_id, session_id, *event_key), tuple(row))


def personal_fingerprint(db_session: DbSession, registration: Registration) -> Fingerprint:
    where = _personal_sessions_where(registration)
    bookings = [
        sa.select(sa.func.count(Booking.id)).where(Booking.registration_id == registration.id).scalar_subquery(),
        sa.select(sa.func.max(Booking.updated_at))
        .where(Booking.registration_id == registration.id)
        .scalar_subquery(),
    ]
    row = db_session.execute(
        sa.select(*_session_aggregates(where), *_event_aggregates(registration.event_id), *bookings)
    ).one()
    key = (registration.id, registration.calendar_token, registration.status.value)
    return _fingerprint("personal", key, tuple(row))


# --- lookups for the views ----------------------------------------------------------------------------

def registration_by_token(db_session: DbSession, token: str) -> Registration | None:
    import hmac

    if not token or len(token) > 64:
        return None
    reg = db_session.scalars(
        sa.select(Registration).where(Registration.calendar_token == token).options(joinedload(Registration.event))
    ).first()
    if reg is None or not hmac.compare_digest(reg.calendar_token.encode(), token.encode()):
        return None
    return reg


def registration_for_user(db_session: DbSession, event: Event, user_id: int) -> Registration | None:
    """The user's current registration in the event (approved first), for the help page."""
    from eventhub.registration.models import ACTIVE_STATUSES

    return db_session.scalars(
        sa.select(Registration)
        .where(
            Registration.event_id == event.id,
            Registration.user_id == user_id,
            Registration.status.in_(ACTIVE_STATUSES),
        )
        .order_by((Registration.status == RegistrationStatus.APPROVED).desc(), Registration.id.desc())
    ).first()
