"""Paper for the matching hall (Wi-Fi there is poor; people carry paper): each person's schedule on
one page, the organizers' table plan per slot, and a sign for each table. HTML through WeasyPrint,
with the shipped fonts and the system's Noto Sans CJK (static/fonts/fonts.css), like the reports.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import sqlalchemy as sa
from flask import current_app, render_template
from flask_babel import gettext as _
from sqlalchemy.orm import Session as DbSession

from eventhub.attendance.pdf import html_to_pdf, page_counter_css
from eventhub.matching.models import MatchingProfile, MatchingSession, MatchingTable, Meeting
from eventhub.matching.onday import local_day_bounds, slot_rows
from eventhub.matching.scheduling import meetings_of


def person_name(registration) -> str:
    """Given FAMILY, and the name in its own script when it is another one (陈伟)."""
    name = registration.badge_name
    local = (registration.name_local or "").strip()
    if local and local.casefold() not in (name.casefold(), registration.full_name.casefold()):
        name = f"{name} ({local})"
    return name


def scheduled_meetings(db: DbSession, profile: MatchingProfile) -> list[tuple[Meeting, MatchingProfile]]:
    """The person's meetings that have a slot, in time order, each with the other side."""
    return [(m, m.other(profile.id)) for m in meetings_of(db, profile.id)
            if m.slot is not None and m.cancelled_at is None]


def day_meetings(db: DbSession, profile: MatchingProfile, day: date) -> list[tuple[Meeting, MatchingProfile]]:
    """The person's meetings on one day of the event's clock."""
    start, end = local_day_bounds(day, profile.registration.event.timezone)
    return [(m, o) for m, o in scheduled_meetings(db, profile) if start <= m.slot.starts_at < end]


def _pdf(template: str, footer: str, **context) -> bytes:
    html = render_template(template, page_footer=page_counter_css(footer), **context)
    return html_to_pdf(html, base_dir=Path(current_app.static_folder))


def personal_schedule_pdf(db: DbSession, event, profile: MatchingProfile) -> bytes:
    rows = scheduled_meetings(db, profile)
    return _pdf("matching/schedule_pdf.html", _("My meetings · page %(page)s of %(pages)s", page="{page}",
                                                pages="{pages}"),
                event=event, me=profile, rows=rows, person_name=person_name)


def table_plan_pdf(db: DbSession, event) -> bytes:
    """Every slot with its tables and who sits at each: one slot after the other."""
    slots = [(slot, meetings) for slot, meetings in slot_rows(db, event.id) if meetings]
    return _pdf("matching/table_plan_pdf.html", _("Table plan · page %(page)s of %(pages)s", page="{page}",
                                                  pages="{pages}"),
                event=event, slots=slots, person_name=person_name)


def table_signs_pdf(db: DbSession, event) -> bytes:
    """One A4 sign per table, its name large, with the session it belongs to."""
    tables = db.execute(
        sa.select(MatchingTable, MatchingSession).join(MatchingSession)
        .where(MatchingSession.event_id == event.id)
        .order_by(MatchingSession.session_id, MatchingTable.position)).all()
    return _pdf("matching/table_signs_pdf.html", "", event=event, tables=tables)
