"""Business-matching meetings as calendar entries: in the personal feed and in iTIP e-mails.

A meeting's UID is `meeting-<id>@<host>` in the feed and in every invitation, so a client that
subscribed and got the e-mail shows one entry. Its SEQUENCE is the meeting's own
(`matching_meetings.sequence`), raised by eventhub.matching.notify on each move and on
cancellation: the REQUEST after a move and the CANCEL carry the number the feed shows next.

Entries are plain snapshots (`MeetingEntry`) read with one Core statement, so the personal feed
stays one statement for its sessions and one for its meetings.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.orm import Session as DbSession
from sqlalchemy.orm import aliased

from eventhub.calendars.ical import (
    TimeWriter,
    calendar_lines,
    escape_text,
    fold_text,
    serialize_text,
    utc_stamp,
)
from eventhub.db import utcnow
from eventhub.i18n import localized
from eventhub.mail.outbox import CalendarPart


@dataclass(slots=True)
class MeetingEntry:
    """What a VEVENT shows of one meeting, seen by one of its two people."""

    id: int
    sequence: int
    starts_at: datetime
    ends_at: datetime
    changed_at: datetime
    table: str
    room: str  # the session's room or place ("" when none)
    organisation: str  # the other side's
    person: str
    economy: str
    url: str = ""


def uid(meeting_id: int) -> str:
    """Stable, never random, never personal: meeting-<id>@<host>."""
    return f"meeting-{meeting_id}@{current_app.config['SERVER_NAME_FOR_UIDS']}"


def _statement(chinese: bool):
    from eventhub.agenda.models import Session
    from eventhub.economies.models import Economy
    from eventhub.events.models import Room
    from eventhub.matching.models import (
        MatchingProfile,
        MatchingSession,
        MatchingSlot,
        MatchingTable,
        Meeting,
    )
    from eventhub.registration.models import Registration

    other = aliased(MatchingProfile)
    me = sa.bindparam("profile_id")
    other_id = sa.case((Meeting.profile_a_id == me, Meeting.profile_b_id), else_=Meeting.profile_a_id)
    economy = sa.func.coalesce(sa.func.nullif(Economy.name_zh, ""), Economy.name) if chinese else Economy.name
    room = sa.func.coalesce(sa.func.nullif(Room.name_zh, "") if chinese else Room.name, Room.name, Session.location, "")
    return (
        sa.select(Meeting.id, Meeting.sequence, MatchingSlot.starts_at, MatchingSlot.ends_at, Meeting.updated_at,
                  MatchingTable.name, room, other.organisation, Registration.given_name, Registration.family_name,
                  economy)
        .join(MatchingSlot, MatchingSlot.id == Meeting.slot_id)
        .join(MatchingTable, MatchingTable.id == Meeting.table_id)
        .join(MatchingSession, MatchingSession.session_id == MatchingSlot.session_id)
        .join(Session, Session.id == MatchingSession.session_id)
        .outerjoin(Room, Room.id == Session.room_id)
        .join(other, other.id == other_id)
        .join(Registration, Registration.id == other.registration_id)
        .outerjoin(Economy, Economy.id == Registration.economy_id)
        .where(sa.or_(Meeting.profile_a_id == me, Meeting.profile_b_id == me), Meeting.cancelled_at.is_(None))
        .order_by(MatchingSlot.starts_at, Meeting.id)
    )


def _profile_id(db: DbSession, registration_id: int) -> int | None:
    from eventhub.matching.models import MatchingProfile

    return db.scalar(sa.select(MatchingProfile.id).where(MatchingProfile.registration_id == registration_id))


def entries_for(db: DbSession, registration, language: str) -> list[MeetingEntry]:
    """The registration's scheduled, not cancelled meetings, in time order."""
    from eventhub.web import absolute_url

    profile_id = _profile_id(db, registration.id)
    if profile_id is None:
        return []
    rows = db.execute(_statement(str(language).startswith("zh")), {"profile_id": profile_id}).all()
    if not rows:
        return []
    url = absolute_url("matching.my_meetings", slug=registration.event.slug)
    return [MeetingEntry(mid, seq or 0, start, end, changed, table, room or "", org or "",
                         f"{given} {family}".strip(), economy or "", url)
            for mid, seq, start, end, changed, table, room, org, given, family, economy in rows]


def feed_validators(registration_id):
    """What the personal feed's ETag covers of the person's meetings (scalar subqueries over a bound
    registration id): how many they have, their SEQUENCE sum and their last change. A meeting
    scheduled, moved or cancelled changes one of them."""
    from eventhub.matching.models import MatchingProfile, Meeting
    from eventhub.registration.models import Registration

    mine = sa.select(MatchingProfile.id).where(MatchingProfile.registration_id == registration_id)
    where = (sa.or_(Meeting.profile_a_id.in_(mine), Meeting.profile_b_id.in_(mine)),)
    # The other sides' names, organisations and economies show in the entries: their last change too.
    sides = sa.union(sa.select(Meeting.profile_a_id).where(*where), sa.select(Meeting.profile_b_id).where(*where))
    partners_last = (sa.select(sa.func.max(sa.func.coalesce(Registration.updated_at, MatchingProfile.updated_at)))
                     .select_from(MatchingProfile)
                     .join(Registration, Registration.id == MatchingProfile.registration_id)
                     .where(MatchingProfile.id.in_(sides)).correlate(None).scalar_subquery())
    profiles_last = (sa.select(sa.func.max(MatchingProfile.updated_at)).where(MatchingProfile.id.in_(sides))
                     .correlate(None).scalar_subquery())
    return (
        sa.select(sa.func.count(Meeting.slot_id)).where(*where).correlate(None).scalar_subquery(),
        sa.select(sa.func.coalesce(sa.func.sum(Meeting.sequence), 0)).where(*where).correlate(None)
        .scalar_subquery(),
        sa.select(sa.func.max(Meeting.updated_at)).where(*where).correlate(None).scalar_subquery(),
        partners_last, profiles_last,
    )


# --- text ----------------------------------------------------------------------------------------------

def summary(entry: MeetingEntry) -> str:
    return _("Meeting: %(organisation)s", organisation=entry.organisation or entry.person)


def location(entry: MeetingEntry) -> str:
    if entry.room:
        return _("%(table)s, %(room)s", table=entry.table, room=entry.room)
    return entry.table


def description(entry: MeetingEntry) -> str:
    lines = [_("Business matching meeting with %(person)s (%(organisation)s, %(economy)s).", person=entry.person,
               organisation=entry.organisation, economy=entry.economy), _("Table: %(table)s", table=entry.table)]
    if entry.url:
        lines.append(_("Details: %(url)s", url=entry.url))
    return "\n".join(lines)


def vevent(entry: MeetingEntry, times: TimeWriter, *, status: str = "CONFIRMED", dtstamp: datetime | None = None,
           extra: tuple[str, ...] = ()) -> str:
    """The VEVENT as folded text, every line ended by CRLF."""
    changed = utc_stamp(entry.changed_at)
    lines = [
        "BEGIN:VEVENT",
        f"UID:{uid(entry.id)}",
        f"DTSTAMP:{utc_stamp(dtstamp) if dtstamp else changed}",
        f"LAST-MODIFIED:{changed}",
        f"SEQUENCE:{entry.sequence}",
        times.prop("DTSTART", entry.starts_at),
        times.prop("DTEND", entry.ends_at),
        f"SUMMARY:{escape_text(summary(entry))}",
        f"DESCRIPTION:{escape_text(description(entry))}",
        f"LOCATION:{escape_text(location(entry))}",
        *([f"URL:{entry.url}"] if entry.url else []),
        f"CATEGORIES:{escape_text(_('Business matching'))}",
        *extra,
        f"STATUS:{status}",
        "TRANSP:OPAQUE",
        "CLASS:PRIVATE",
        "END:VEVENT",
    ]
    return "".join(fold_text(line) + "\r\n" for line in lines)


def feed_vevents(times: TimeWriter, entries: list[MeetingEntry]) -> list[str]:
    """The meetings' VEVENTs for a feed whose TimeWriter covers their years (feed_years)."""
    return [vevent(e, times) for e in entries]


def feed_years(entries: list[MeetingEntry]) -> set[int]:
    return {moment.year for e in entries for moment in (e.starts_at, e.ends_at)}


# --- iTIP -----------------------------------------------------------------------------------------------

def itip_part(event, agenda_session, entry: MeetingEntry, method: str, attendee_email: str,
              attendee_name: str) -> CalendarPart:
    """METHOD:REQUEST (scheduled, moved) or METHOD:CANCEL (cancelled, lost its slot) for one of the
    two people. The SEQUENCE is the entry's: the caller settled it when the change was made."""
    from eventhub.calendars.itip import attendee_line, organizer_line

    times = TimeWriter(event.timezone, entry.starts_at.year, entry.ends_at.year)
    stamp = max(utcnow(), entry.changed_at)
    body = vevent(entry, times, status="CANCELLED" if method == "CANCEL" else "CONFIRMED", dtstamp=stamp,
                  extra=(organizer_line(agenda_session), attendee_line(attendee_email, attendee_name)))
    lines = calendar_lines(method=method, name=localized(event, "title"), tzid=event.timezone)
    lines += times.timezone_lines()
    ics = serialize_text(lines) + body + "END:VCALENDAR\r\n"
    return CalendarPart(ics=ics.encode("utf-8"), method=method)
