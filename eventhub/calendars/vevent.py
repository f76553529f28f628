"""One session as a VEVENT: the same UID, times, text and place in every feed and every e-mail."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from flask import current_app, has_request_context, request, url_for
from werkzeug.routing import BuildError

from eventhub.agenda.models import Session, SessionKind, SpeakerRole
from eventhub.calendars.ical import TimeWriter, escape_text, utc_stamp

SPEAKER_HEADINGS = {
    SpeakerRole.CHAIR: ("Chair", "Chairs"),
    SpeakerRole.MODERATOR: ("Moderator", "Moderators"),
    SpeakerRole.SPEAKER: ("Speaker", "Speakers"),
}


def uid(session_id: int) -> str:
    """Stable, never random, never personal: session-<id>@<host>."""
    return f"session-{session_id}@{current_app.config['SERVER_NAME_FOR_UIDS']}"


def base_url() -> str:
    """Absolute base for links inside calendars: PUBLIC_BASE_URL, else the request's host."""
    configured = current_app.config.get("PUBLIC_BASE_URL") or ""
    if configured:
        return configured.rstrip("/")
    if has_request_context():
        return request.host_url.rstrip("/")
    return f"https://{current_app.config['SERVER_NAME_FOR_UIDS']}"


def path_for(endpoint: str, **values) -> str:
    """url_for's path, also outside a request (e-mails queued by CLI commands)."""
    if has_request_context():
        return url_for(endpoint, **values)
    adapter = current_app.url_map.bind(current_app.config["SERVER_NAME_FOR_UIDS"])
    return adapter.build(endpoint, values)


def absolute_url(endpoint: str, **values) -> str:
    return base_url() + path_for(endpoint, **values)


_SENTINEL = 987654321


def session_url_maker(event_slug: str):
    """A function session_id -> absolute URL of the session's page (built once per feed)."""
    base = base_url()
    template = None
    for endpoint, args in (
        ("agenda.session", {"slug": event_slug, "session_id": _SENTINEL}),
        ("agenda.session_page", {"slug": event_slug, "session_id": _SENTINEL}),
        ("agenda.session_detail", {"slug": event_slug, "session_id": _SENTINEL}),
    ):
        if endpoint in current_app.view_functions:
            try:
                template = base + path_for(endpoint, **args)
                break
            except BuildError:
                continue
    if template is None:
        try:
            template = base + path_for("agenda.agenda", slug=event_slug) + f"#session-{_SENTINEL}"
        except BuildError:
            template = f"{base}/events/{event_slug}/agenda#session-{_SENTINEL}"
    marker = str(_SENTINEL)
    return lambda session_id: template.replace(marker, str(session_id))


def speaker_text(session: Session) -> list[str]:
    by_role: dict[SpeakerRole, list[str]] = {}
    for sp in session.speakers:
        name = sp.display_name
        if sp.affiliation:
            name = f"{name} ({sp.affiliation})"
        by_role.setdefault(sp.role, []).append(name)
    lines = []
    for role in (SpeakerRole.CHAIR, SpeakerRole.MODERATOR, SpeakerRole.SPEAKER):
        names = by_role.get(role)
        if names:
            heading = SPEAKER_HEADINGS[role][len(names) > 1]
            lines.append(f"{heading}: {', '.join(names)}")
    return lines


def site_visit(session: Session):
    """The agenda's SiteVisit details of a site-visit session, when that model exists and has a row."""
    if session.kind != SessionKind.SITE_VISIT:
        return None
    return getattr(session, "site_visit", None)


def meeting_point(session: Session) -> str:
    visit = site_visit(session)
    if visit is not None:
        return (visit.meeting_point or "").strip()
    return (getattr(session, "meeting_point", "") or "").strip()


def _site_visit_lines(session: Session) -> list[str]:
    visit = site_visit(session)
    if visit is None:
        return []
    zone = session.event.tz
    lines = []
    if visit.host_name:
        lines.append(f"Host: {visit.host_name}")
    if visit.departs_at:
        lines.append(f"Departure: {visit.departs_at.astimezone(zone).strftime('%H:%M')} ({session.event.timezone})")
    if visit.returns_at:
        lines.append(f"Return: {visit.returns_at.astimezone(zone).strftime('%H:%M')} ({session.event.timezone})")
    for requirement in visit.requirement_list if hasattr(visit, "requirement_list") else []:
        lines.append(f"Bring / note: {requirement}")
    return lines


def place_text(session: Session) -> str:
    """Room (or off-site place) and its address; the event's venue for rooms at the venue."""
    room = session.room
    event = session.event
    parts: list[str] = []
    visit = site_visit(session)
    if visit is not None and (visit.host_name or visit.host_address):
        parts += [visit.host_name, visit.host_address]
    elif room is not None:
        parts.append(room.name)
        if room.address:
            parts.append(room.address)
        elif getattr(room.kind, "value", room.kind) == "room":
            parts += [p for p in (event.venue, event.address) if p]
    elif session.location:
        parts.append(session.location)
    else:
        parts += [p for p in (event.venue, event.address) if p]
    out: list[str] = []
    for p in parts:  # drop repeats such as a venue already named in the address
        if p and p not in out:
            out.append(p)
    return ", ".join(out)


def location_text(session: Session) -> str:
    point = meeting_point(session)
    if session.kind == SessionKind.SITE_VISIT and point:
        return f"Meeting point: {point}"
    return place_text(session)


def description_text(session: Session, url: str) -> str:
    lines: list[str] = []
    if session.description:
        lines += [session.description.strip(), ""]
    lines += speaker_text(session)
    point = meeting_point(session)
    if session.kind == SessionKind.SITE_VISIT:
        if point:
            lines.append(f"Meeting point: {point}")
        place = place_text(session)
        if place:
            lines.append(f"Destination: {place}")
        lines += _site_visit_lines(session)
    else:
        place = place_text(session)
        if place:
            lines.append(f"Room: {place}")
        if point:
            lines.append(f"Meeting point: {point}")
    lines.append(f"Details: {url}")
    return "\n".join(lines).strip()


def session_vevent(
    session: Session,
    times: TimeWriter,
    url: str,
    *,
    sequence: int | None = None,
    status: str = "CONFIRMED",
    dtstamp: datetime | None = None,
    extra: Iterable[str] = (),
) -> list[str]:
    changed = session.changed_at
    lines = [
        "BEGIN:VEVENT",
        f"UID:{uid(session.id)}",
        f"DTSTAMP:{utc_stamp(dtstamp or changed)}",
        f"LAST-MODIFIED:{utc_stamp(changed)}",
        f"CREATED:{utc_stamp(session.created_at or changed)}",
        f"SEQUENCE:{session.sequence if sequence is None else sequence}",
        times.prop("DTSTART", session.starts_at),
        times.prop("DTEND", session.ends_at),
        f"SUMMARY:{escape_text(session.title.strip())}",
        f"DESCRIPTION:{escape_text(description_text(session, url))}",
    ]
    location = location_text(session)
    if location:
        lines.append(f"LOCATION:{escape_text(location)}")
    lines += [
        f"URL:{url}",
        f"CATEGORIES:{escape_text(session.kind.label)}",
        f"STATUS:{status}",
        "TRANSP:OPAQUE",
        "CLASS:PUBLIC",
    ]
    lines += list(extra)
    lines.append("END:VEVENT")
    return lines
