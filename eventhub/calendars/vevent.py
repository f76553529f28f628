"""One session as a VEVENT: the same UID, times, text and place in every feed and every e-mail.

The builders work on `Item`s — plain snapshots of a session with its room, speakers and site-visit
details — so feeds can load them with two Core queries (fast for 500 sessions) and e-mails can make
one from the ORM session they already hold (`item_from_session`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.routing import BuildError

from eventhub.agenda.models import Session, SessionKind, SpeakerRole, span_of
from eventhub.calendars.ical import TimeWriter, escape_text, fold_text, utc_stamp
from eventhub.formatting import local_dt
from eventhub.i18n import localized
from eventhub.web import base_url, path_for

SPEAKER_HEADINGS = {
    SpeakerRole.CHAIR: (_l("Chair"), _l("Chairs")),
    SpeakerRole.MODERATOR: (_l("Moderator"), _l("Moderators")),
    SpeakerRole.SPEAKER: (_l("Speaker"), _l("Speakers")),
}
ROLE_ORDER = (SpeakerRole.CHAIR, SpeakerRole.MODERATOR, SpeakerRole.SPEAKER)


@dataclass(slots=True)
class Visit:
    host_name: str = ""
    host_address: str = ""
    meeting_point: str = ""
    departs_at: datetime | None = None
    returns_at: datetime | None = None
    requirements: str = ""
    host_name_zh: str = ""  # shown to Chinese readers where given (eventhub.i18n.localized)


@dataclass(slots=True)
class Item:
    """What a VEVENT shows of one session."""

    id: int
    kind: SessionKind
    title: str
    description: str
    starts_at: datetime
    ends_at: datetime
    sequence: int
    changed_at: datetime
    created_at: datetime | None
    location: str = ""  # free text when there is no room
    room_name: str | None = None
    room_address: str = ""
    room_is_venue: bool = True  # a room at the event's venue (not off-site)
    speakers: list[tuple[SpeakerRole, str, str]] = field(default_factory=list)  # role, name, affiliation
    visit: Visit | None = None
    title_zh: str = ""
    description_zh: str = ""
    room_name_zh: str = ""


def entry_span(item: Item) -> tuple[datetime, datetime]:
    """DTSTART and DTEND of the entry. A site visit's entry runs from the departure from the meeting
    point to the return (people's alarms must fire before the bus leaves, not when the visit starts)."""
    visit = item.visit
    if visit is None:
        return item.starts_at, item.ends_at
    return span_of(item.starts_at, item.ends_at, visit.departs_at, visit.returns_at)


def item_from_session(session: Session) -> Item:
    """An Item from an ORM session (lazy-loads room, speakers and site visit if not loaded)."""
    room = session.room
    visit = session.site_visit if session.kind == SessionKind.SITE_VISIT else None
    return Item(
        id=session.id,
        kind=session.kind,
        title=session.title,
        description=session.description or "",
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        sequence=session.sequence or 0,
        changed_at=session.changed_at,
        created_at=session.created_at,
        location=session.location or "",
        room_name=room.name if room is not None else None,
        room_name_zh=(room.name_zh or "") if room is not None else "",
        title_zh=session.title_zh or "",
        description_zh=session.description_zh or "",
        room_address=room.address if room is not None else "",
        room_is_venue=room is None or getattr(room.kind, "value", room.kind) == "room",
        speakers=[(sp.role, sp.display_name, speaker_affiliation(
            sp.affiliation, localized(sp.registration.economy, "name") if sp.registration is not None else None))
            for sp in session.speakers],
        visit=Visit(visit.host_name or "", visit.host_address or "", visit.meeting_point or "", visit.departs_at,
                    visit.returns_at, visit.requirements or "", visit.host_name_zh or "") if visit is not None else None,
    )


def speaker_affiliation(affiliation: str | None, economy: str | None) -> str:
    """What follows a speaker's name: their affiliation and, for a registered participant, economy."""
    return ", ".join(p for p in ((affiliation or "").strip(), economy or "") if p)


# --- identity and links ---------------------------------------------------------------------------

def uid(session_id: int) -> str:
    """Stable, never random, never personal: session-<id>@<host>."""
    return f"session-{session_id}@{current_app.config['SERVER_NAME_FOR_UIDS']}"




_SENTINEL = 987654321


def session_url_maker(event_slug: str):
    """A function session_id -> absolute URL of the session's page (url_for once per feed, not per session)."""
    base = base_url()
    marker = str(_SENTINEL)
    try:
        template = base + path_for("agenda.session", slug=event_slug, session_id=_SENTINEL)
    except (BuildError, KeyError):
        template = f"{base}/events/{event_slug}/agenda#session-{marker}"
    return lambda session_id: template.replace(marker, str(session_id))


# --- text --------------------------------------------------------------------------------------------

def speaker_lines(item: Item) -> list[str]:
    by_role: dict[SpeakerRole, list[str]] = {}
    for role, name, affiliation in item.speakers:
        by_role.setdefault(role, []).append(f"{name} ({affiliation})" if affiliation else name)
    lines = []
    for role in ROLE_ORDER:
        names = by_role.get(role)
        if names:
            lines.append(_("%(role)s: %(names)s", role=SPEAKER_HEADINGS[role][len(names) > 1], names=", ".join(names)))
    return lines


def place_text(item: Item, event) -> str:
    """Room (or off-site place) and its address; the event's venue for rooms at the venue.

    For a site visit: the host company and its address.
    """
    visit = item.visit
    if visit is not None and (visit.host_name or visit.host_address):
        parts = [localized(visit, "host_name"), visit.host_address]
    elif item.room_name is not None:
        parts = [localized(item, "room_name")]
        if item.room_address:
            parts.append(item.room_address)
        elif item.room_is_venue:
            parts += [event.venue, event.address]
    elif item.location:
        parts = [item.location]
    else:
        parts = [event.venue, event.address]
    out: list[str] = []
    for p in parts:
        if p and p not in out:
            out.append(p)
    return ", ".join(out)


def location_text(item: Item, event) -> str:
    if item.visit is not None and item.visit.meeting_point:
        return _("Meeting point: %(place)s", place=item.visit.meeting_point)
    return place_text(item, event)


def description_text(item: Item, event, url: str) -> str:
    lines: list[str] = []
    description = localized(item, "description")
    if description:
        lines += [description.strip(), ""]
    lines += speaker_lines(item)
    place = place_text(item, event)
    visit = item.visit
    if visit is not None:
        if visit.meeting_point:
            lines.append(_("Meeting point: %(place)s", place=visit.meeting_point))
        if place:
            lines.append(_("Destination: %(place)s", place=place))
        zone = event.timezone
        if visit.departs_at:
            lines.append(_("Departure: %(time)s (%(zone)s)", time=local_dt(visit.departs_at, zone, "time"), zone=zone))
        if entry_span(item) != (item.starts_at, item.ends_at):
            lines.append(_("Visit: %(start)s–%(end)s (%(zone)s)", start=local_dt(item.starts_at, zone, "time"),
                           end=local_dt(item.ends_at, zone, "time"), zone=zone))
        if visit.returns_at:
            lines.append(_("Return: %(time)s (%(zone)s)", time=local_dt(visit.returns_at, zone, "time"), zone=zone))
        lines += [_("Please note: %(requirement)s", requirement=r.strip())
                  for r in visit.requirements.splitlines() if r.strip()]
    elif place:
        lines.append(_("Room: %(place)s", place=place))
    lines.append(_("Details: %(url)s", url=url))
    return "\n".join(lines).strip()


# --- the VEVENT ----------------------------------------------------------------------------------------

def session_vevent(
    item: Item,
    event,
    times: TimeWriter,
    url: str,
    *,
    sequence: int | None = None,
    status: str = "CONFIRMED",
    dtstamp: datetime | None = None,
    extra: Iterable[str] = (),
) -> str:
    """The VEVENT as folded text, every line ended by CRLF.

    Lines of fixed, short shape are written as they are; only those carrying free text (or a URL)
    go through folding — this is the inner loop of a 500-session feed.
    """
    changed = utc_stamp(item.changed_at)
    location = location_text(item, event)
    starts_at, ends_at = entry_span(item)
    variable = [
        f"UID:{uid(item.id)}",
        f"SUMMARY:{escape_text(localized(item, 'title').strip())}",
        f"DESCRIPTION:{escape_text(description_text(item, event, url))}",
    ]
    if location:
        variable.append(f"LOCATION:{escape_text(location)}")
    variable += [f"URL:{url}", f"CATEGORIES:{escape_text(item.kind.label)}", *extra]
    return (
        "BEGIN:VEVENT\r\n"
        f"DTSTAMP:{utc_stamp(dtstamp) if dtstamp else changed}\r\n"
        f"LAST-MODIFIED:{changed}\r\n"
        f"SEQUENCE:{item.sequence if sequence is None else sequence}\r\n"
        f"{fold_text(times.prop('DTSTART', starts_at))}\r\n"
        f"{fold_text(times.prop('DTEND', ends_at))}\r\n"
        + "\r\n".join(map(fold_text, variable))
        + f"\r\nSTATUS:{status}\r\nTRANSP:OPAQUE\r\nCLASS:PUBLIC\r\nEND:VEVENT\r\n"
    )
