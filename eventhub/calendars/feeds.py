"""Read-side builders of the calendar feeds. They query, then return bytes; they never write.

- event_ics: every public, scheduled session of an event (the public agenda feed);
- personal_ics: the sessions that concern one participant (for everyone, confirmed bookings
  including roundtable placements, sessions they speak at or moderate);
- session_ics: one session.

A `Feed` names which sessions a calendar holds. `fingerprint(feed)` is one aggregate statement
giving a strong ETag and Last-Modified, so a conditional request is answered 304 without loading or
building anything; `load(feed)` reads the sessions (with rooms, speakers and site-visit details) in
one statement and derives the same validators from what it read.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import NamedTuple

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.orm import Session as DbSession
from sqlalchemy.sql.visitors import replacement_traverse

from eventhub.agenda.models import Session, SessionKind, SessionSpeaker, SessionStatus, SiteVisit
from eventhub.calendars.ical import TimeWriter, calendar_lines, serialize_text
from eventhub.calendars.meetings import MeetingEntry, entries_for, feed_vevents, feed_years
from eventhub.calendars.meetings import feed_validators as meeting_validators
from eventhub.calendars.sequence import entry_sequence_sql
from eventhub.calendars.vevent import (
    Item,
    Visit,
    entry_span,
    session_url_maker,
    session_vevent,
    speaker_affiliation,
)
from eventhub.economies.models import Economy
from eventhub.events.models import Event, EventStatus, Room, RoomKind
from eventhub.i18n import SOURCE_LANGUAGE, localized, match, recipient_language
from eventhub.registration.models import Registration, RegistrationStatus
from eventhub.signups.models import Booking, BookingStatus
from eventhub.web import base_url

# Bump when the output format changes, so every ETag changes with it.
FORMAT_VERSION = "5"


# --- which sessions ---------------------------------------------------------------------------------
#
# The statements are built once per process with bound parameters (:event_id, :session_id,
# :registration_id): constructing SQLAlchemy statements costs more than running them on a feed of
# twenty sessions.

EVENT_ID = sa.bindparam("event_id")
SESSION_ID = sa.bindparam("session_id")
REGISTRATION_ID = sa.bindparam("registration_id")


def _where(kind: str):
    """Which sessions a feed of this kind holds; the extra aggregates its validators cover; the
    SEQUENCE of its entries."""
    if kind == "event":  # every public, scheduled session
        return sa.and_(
            Session.event_id == EVENT_ID, Session.status == SessionStatus.SCHEDULED, Session.is_public.is_(True)
        ), (), Session.sequence
    if kind == "session":  # one session (the view checks that it may be shown)
        return sa.and_(Session.event_id == EVENT_ID, Session.id == SESSION_ID), (), Session.sequence
    if kind == "personal":
        # Sessions for everyone, confirmed bookings (roundtable placements included), sessions they
        # speak at or moderate. Their bookings' count and last change are part of the validators.
        concerned = sa.union(
            sa.select(Booking.session_id).where(
                Booking.registration_id == REGISTRATION_ID, Booking.status == BookingStatus.CONFIRMED
            ),
            sa.select(SessionSpeaker.session_id).where(SessionSpeaker.registration_id == REGISTRATION_ID),
            sa.select(Session.id).where(Session.event_id == EVENT_ID, Session.for_everyone.is_(True)),
        )
        bookings = (
            sa.select(sa.func.count(Booking.id)).where(Booking.registration_id == REGISTRATION_ID).scalar_subquery(),
            sa.select(sa.func.max(Booking.updated_at)).where(Booking.registration_id == REGISTRATION_ID)
            .scalar_subquery(),
            *meeting_validators(REGISTRATION_ID),  # business-matching meetings (eventhub.calendars.meetings)
        )
        # The person's entry carries the SEQUENCE their invitations carried (after cancel and re-book).
        return sa.and_(
            Session.id.in_(concerned), Session.event_id == EVENT_ID, Session.status == SessionStatus.SCHEDULED
        ), bookings, entry_sequence_sql(Session.sequence, Session.id, REGISTRATION_ID)
    if kind == "none":  # a registration that is not approved: an empty calendar
        return sa.and_(sa.false(), Session.event_id == EVENT_ID), (), Session.sequence
    raise ValueError(kind)


# --- feeds: which sessions, and what identifies their content ------------------------------------------

@dataclass(frozen=True)
class Fingerprint:
    etag: str  # without quotes; strong
    last_modified: datetime


@dataclass(frozen=True)
class Feed:
    """One calendar: its kind (which sessions), the values bound into its statements, and a key that
    is part of its ETag."""

    kind: str
    params: dict
    key: tuple


def feed_language(event, requested: str | None = None) -> str:
    """The language of a public feed: the one asked for (?lang=zh_Hans) if offered, else the event's
    default language, else English. Unknown codes fall back, never an error."""
    return match(requested) or match(getattr(event, "default_language", None)) or SOURCE_LANGUAGE


def event_feed(event: Event | sa.Row, language: str = SOURCE_LANGUAGE) -> Feed:
    # The language is part of every key, so of the ETag: a client never keeps another language's copy.
    return Feed("event", {"event_id": event.id}, (event.id, event.slug, event.status.value, event.timezone, language))


def session_feed(event: Event | sa.Row, session_id: int, language: str = SOURCE_LANGUAGE) -> Feed:
    return Feed("session", {"event_id": event.id, "session_id": session_id},
                (event.id, session_id, event.slug, event.status.value, event.timezone, language))


def personal_feed(registration: Registration, language: str | None = None) -> Feed:
    """Only an approved registration has a programme; any other state gives an empty calendar.
    language: default, the owner's saved language (eventhub.i18n.recipient_language)."""
    approved = registration.status == RegistrationStatus.APPROVED and registration.personal_data_purged_at is None
    language = language or recipient_language(registration=registration, event=registration.event)
    return Feed(
        "personal" if approved else "none",
        {"event_id": registration.event_id, "registration_id": registration.id},
        (registration.id, registration.calendar_token, registration.status.value, language),
    )


@cache
def _statements(kind: str) -> tuple[sa.Select, sa.Select]:
    """(fingerprint statement, load statement) of a feed kind, built once."""
    where, extra, sequence = _where(kind)
    # What the feed's sessions show from other tables, each by its last change (uncorrelated: over
    # the feed's own sessions): speakers who are registered participants (their names) and their
    # economies, and site-visit details (host, address, meeting point).
    def speakers_last(column):
        return (
            sa.select(sa.func.max(column)).select_from(SessionSpeaker)
            .join(Session, Session.id == SessionSpeaker.session_id)
            .join(Registration, Registration.id == SessionSpeaker.registration_id)
            .join(Economy, Economy.id == Registration.economy_id)
            .where(where).correlate(None).scalar_subquery()
        )

    visits_last = (sa.select(sa.func.max(SiteVisit.updated_at)).join(Session, Session.id == SiteVisit.session_id)
                   .where(where).correlate(None).scalar_subquery())
    context = (
        # The event's and its rooms' last change: calendar name, venue, room names and addresses.
        sa.select(Event.updated_at).where(Event.id == EVENT_ID).scalar_subquery(),
        sa.select(sa.func.max(Room.updated_at)).where(Room.event_id == EVENT_ID).scalar_subquery(),
        speakers_last(Registration.updated_at),
        speakers_last(Economy.updated_at),
        visits_last,
        *extra,
    )
    fingerprint_stmt = sa.select(
        sa.func.count(Session.id),
        sa.func.max(Session.changed_at),
        sa.func.coalesce(sa.func.sum(sequence), 0),
        sa.func.coalesce(sa.func.sum(Session.id), 0),
        *context,
    ).where(where)
    load_stmt = (
        sa.select(
            Session.id, Session.kind, Session.title, Session.description, Session.starts_at, Session.ends_at,
            sequence, Session.changed_at, Session.location,
            Room.name, Room.address, Room.kind,
            SiteVisit.id, SiteVisit.host_name, SiteVisit.host_address, SiteVisit.meeting_point,
            SiteVisit.departs_at, SiteVisit.returns_at, SiteVisit.requirements,
            SessionSpeaker.id, SessionSpeaker.role, SessionSpeaker.external_name, SessionSpeaker.affiliation,
            Registration.given_name, Registration.family_name, Economy.name,
            Session.title_zh, Session.description_zh, Room.name_zh, SiteVisit.host_name_zh, Economy.name_zh,
            *context,
        )
        .select_from(Session)
        .outerjoin(Room, Room.id == Session.room_id)
        .outerjoin(SiteVisit, SiteVisit.session_id == Session.id)
        .outerjoin(SessionSpeaker, SessionSpeaker.session_id == Session.id)
        .outerjoin(Registration, Registration.id == SessionSpeaker.registration_id)
        .outerjoin(Economy, Economy.id == Registration.economy_id)
        .where(where)
        .order_by(Session.starts_at, Session.id, SessionSpeaker.position, SessionSpeaker.id)
    )
    return fingerprint_stmt, load_stmt


def _fingerprint(feed: Feed, sessions: tuple, context: tuple) -> Fingerprint:
    """From (count, newest changed_at, sum of SEQUENCE, sum of ids) of the feed's sessions — a session
    added, dropped, moved, cancelled or edited changes one of them — and the context. (A person's
    booking changes show in their bookings' count and last change, part of the context.)

    What sessions show from elsewhere moves the context: the event, its rooms (names, addresses),
    the speakers' registrations (names) and economies, the site-visit details.
    """
    def norm(value):
        if isinstance(value, datetime):
            value = (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC)
            return value.isoformat()
        return "" if value is None else str(int(value)) if isinstance(value, (int, float)) else str(value)

    config = current_app.config
    material = repr((FORMAT_VERSION, feed.kind, feed.key, base_url(), config["SERVER_NAME_FOR_UIDS"],
                     tuple(map(norm, sessions)), tuple(map(norm, context))))
    etag = hashlib.sha256(material.encode()).hexdigest()[:40]
    stamps = [v for v in (*sessions, *context) if isinstance(v, datetime)]
    last = max((v if v.tzinfo else v.replace(tzinfo=UTC)) for v in stamps) if stamps else datetime(
        2000, 1, 1, tzinfo=UTC)
    return Fingerprint(etag=etag, last_modified=last.astimezone(UTC).replace(microsecond=0))


def fingerprint(db_session: DbSession, feed: Feed) -> Fingerprint:
    """ETag and Last-Modified from one aggregate statement; nothing is built."""
    row = db_session.connection().execute(_statements(feed.kind)[0], feed.params).one()
    return _fingerprint(feed, tuple(row[:4]), tuple(row[4:]))


class EventKey(NamedTuple):
    """What the event feed's ETag and permission check need of the event (see event_key())."""

    id: int
    slug: str
    status: EventStatus
    timezone: str
    default_language: str | None


@cache
def _event_feed_by_slug() -> sa.Select:
    # The event feed's fingerprint statement with the event found by its slug, and the event's key
    # alongside: a calendar app polling for changes costs one statement.
    event_id = sa.select(Event.id).where(Event.slug == sa.bindparam("slug")).scalar_subquery()

    def by_slug(element):
        if isinstance(element, sa.BindParameter) and element.key == EVENT_ID.key:
            return event_id
        return None

    key = [sa.select(column).where(Event.slug == sa.bindparam("slug")).scalar_subquery()
           for column in (Event.id, Event.slug, Event.status, Event.timezone, Event.default_language)]
    return replacement_traverse(_statements("event")[0], {}, by_slug).add_columns(*key)


def event_feed_validators(db_session: DbSession, slug: str,
                          requested_language: str | None = None) -> tuple[EventKey, Fingerprint] | None:
    """The event's key and its public feed's validators, in one statement; None for no such event."""
    row = db_session.connection().execute(_event_feed_by_slug(), {"slug": slug}).one()
    if row[-5] is None:
        return None
    key = EventKey(*row[-5:])
    feed = event_feed(key, feed_language(key, requested_language))
    return key, _fingerprint(feed, tuple(row[:4]), tuple(row[4:-5]))


LOAD_CONTEXT_AT = 31  # the load statement's columns before the context (validators)


def load(db_session: DbSession, feed: Feed) -> tuple[list[Item], Fingerprint]:
    """The feed's sessions as Items, with the same fingerprint `fingerprint()` gives, in one statement
    (sessions × their speakers; a second one only when the feed is empty). Core rows: no ORM
    machinery for 500 sessions."""
    rows = db_session.connection().execute(_statements(feed.kind)[1], feed.params).all()
    if not rows:
        return [], fingerprint(db_session, feed)
    items: list[Item] = []
    item = None
    # The feed's language, not the request's: it is built later, inside force_locale(language).
    chinese = str(feed.key[-1]).startswith("zh")
    for (sid, kind, title, description, starts_at, ends_at, sequence, changed_at, location,
         room_name, room_address, room_kind,
         visit_id, host_name, host_address, meeting_point, departs_at, returns_at, requirements,
         speaker_id, role, external_name, affiliation, given_name, family_name, economy,
         title_zh, description_zh, room_name_zh, host_name_zh, economy_zh, *_context) in rows:
        if item is None or item.id != sid:
            visit = None
            if visit_id is not None and kind == SessionKind.SITE_VISIT:
                visit = Visit(host_name or "", host_address or "", meeting_point or "", departs_at, returns_at,
                              requirements or "", host_name_zh or "")
            item = Item(
                id=sid, kind=kind, title=title, description=description or "", starts_at=starts_at,
                ends_at=ends_at, sequence=sequence or 0, changed_at=changed_at, created_at=None,
                location=location or "", room_name=room_name, room_address=room_address or "",
                room_is_venue=room_kind is None or room_kind == RoomKind.ROOM, visit=visit,
                title_zh=title_zh or "", description_zh=description_zh or "", room_name_zh=room_name_zh or "",
            )
            items.append(item)
        if speaker_id is not None:
            name = f"{given_name} {family_name}" if given_name is not None else external_name
            if economy_zh and chinese:
                economy = economy_zh
            item.speakers.append((role, name or "", speaker_affiliation(affiliation, economy)))
    aggregate = (
        len(items),
        max(i.changed_at for i in items),
        sum(i.sequence for i in items),
        sum(i.id for i in items),
    )
    return items, _fingerprint(feed, aggregate, tuple(rows[0][LOAD_CONTEXT_AT:]))


# --- building ---------------------------------------------------------------------------------------

def _time_writer(event: Event, items: list[Item], meetings: list[MeetingEntry] = ()) -> TimeWriter:
    years = {event.start_date.year, event.end_date.year, *feed_years(meetings)}
    for item in items:
        for moment in entry_span(item):
            years.add(moment.year)
    return TimeWriter(event.timezone, min(years), max(years))


def build_calendar(
    event: Event,
    items: list[Item],
    *,
    name: str,
    description: str = "",
    method: str | None = "PUBLISH",
    feed: bool = True,
    meetings: list[MeetingEntry] = (),
) -> bytes:
    """A VCALENDAR of the given sessions (all of `event`) and business-matching meetings."""
    times = _time_writer(event, items, meetings)
    url_for_session = session_url_maker(event.slug)
    lines = calendar_lines(method=method, name=name, description=description, tzid=event.timezone, feed=feed)
    lines += times.timezone_lines()
    chunks = [serialize_text(lines)]
    chunks += [session_vevent(item, event, times, url_for_session(item.id)) for item in items]
    chunks += feed_vevents(times, meetings)
    chunks.append("END:VCALENDAR\r\n")
    return "".join(chunks).encode("utf-8")


# Build these inside flask_babel.force_locale(language): names, SUMMARY and DESCRIPTION follow it.
def event_calendar(event: Event, items: list[Item]) -> bytes:
    title = localized(event, "title")
    return build_calendar(
        event, items, name=title,
        description=_("Agenda of %(event)s, %(city)s", event=title, city=event.city) if event.city
        else _("Agenda of %(event)s", event=title),
    )


def personal_calendar(event: Event, items: list[Item], meetings: list[MeetingEntry] = ()) -> bytes:
    """Names no person: the token alone identifies the feed. meetings: from personal_meetings()."""
    title = localized(event, "title")
    return build_calendar(
        event, items, name=_("%(event)s – my programme", event=title),
        description=_("My programme at %(event)s", event=title), meetings=meetings,
    )


def personal_meetings(db_session: DbSession, registration: Registration, feed: Feed) -> list[MeetingEntry]:
    """The business-matching meetings of a personal feed (none for a feed of kind "none")."""
    return entries_for(db_session, registration, feed.key[-1]) if feed.kind == "personal" else []


def session_calendar(event: Event, items: list[Item]) -> bytes:
    title = localized(items[0], "title") if items else _("Session")
    return build_calendar(event, items, name=f"{title} – {localized(event, 'title')}", feed=False)


def event_ics(db_session: DbSession, event: Event) -> bytes:
    """All public, scheduled sessions of the event, as a subscribable feed (e.g. to attach to e-mails)."""
    language = feed_language(event)
    with force_locale(language):
        return event_calendar(event, load(db_session, event_feed(event, language))[0])


def personal_ics(db_session: DbSession, registration: Registration) -> bytes:
    """The sessions that concern one participant."""
    feed = personal_feed(registration)
    with force_locale(feed.key[-1]):
        return personal_calendar(registration.event, load(db_session, feed)[0],
                                 personal_meetings(db_session, registration, feed))


def session_ics(db_session: DbSession, event: Event, session_id: int) -> bytes:
    """One session, for a one-off download from the agenda."""
    language = feed_language(event)
    with force_locale(language):
        return session_calendar(event, load(db_session, session_feed(event, session_id, language))[0])
