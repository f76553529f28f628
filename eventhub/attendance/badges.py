"""Badges: who gets one, and the printable PDF (A4 sheets of four badges inside printer margins, or one
A6 badge per page).

Names print with the fonts shipped under static/fonts/ (see eventhub.attendance.fonts); a name with
characters no font covers is logged once and listed on a note page at the front of the PDF, never
printed as empty boxes without a word.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

import segno
import sqlalchemy as sa
from flask import current_app, render_template
from flask_babel import gettext as _
from sqlalchemy.orm import Session as DbSession
from sqlalchemy.orm import selectinload

from eventhub.attendance import fonts
from eventhub.attendance.pdf import html_to_pdf
from eventhub.attendance.services import badge_versions
from eventhub.attendance.tokens import sign_badge
from eventhub.attendance.web import bp
from eventhub.economies.models import Economy
from eventhub.events.models import Event
from eventhub.registration.models import CATEGORY_LABELS, Category, Registration, RegistrationStatus

# Colour bands by category; the category is printed too, never shown by colour alone.
CATEGORY_COLOURS = {
    Category.HEAD: "#7a1f2b",
    Category.DELEGATE: "#0b5394",
    Category.SPEAKER: "#c25e00",
    Category.MODERATOR: "#8a4f9e",
    Category.OBSERVER: "#4f6d7a",
    Category.GUEST: "#1e7a3c",
    Category.MEDIA: "#b08900",
    Category.SECRETARIAT: "#222222",
    Category.STAFF: "#00796b",
}
LAYOUTS = ("sheet", "single")


@dataclass
class Badge:
    registration: Registration
    token: str
    qr_data_uri: str
    colour: str
    local_name: str | None = None  # the name in local script, when it differs from the Latin one

    @property
    def category(self) -> str:
        words = CATEGORY_LABELS.get(self.registration.category)
        return str(words) if words is not None else str(self.registration.category.label)


def _name_key(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def distinct_local_name(reg: Registration) -> str | None:
    """The name in local script, or None when there is none or it only repeats the Latin name (in either
    order, any case): a Vietnamese "Nguyễn Thị Lan" for Lan NGUYỄN THỊ prints once."""
    local = (reg.name_local or "").strip()
    if not local:
        return None
    latin = {_name_key(f"{reg.given_name} {reg.family_name}"), _name_key(f"{reg.family_name} {reg.given_name}")}
    return None if _name_key(local) in latin else local


@bp.record_once
def _check_fonts_at_start_up(_state) -> None:
    fonts.check_fonts()


@bp.app_template_global("pdf_font_problems")
def pdf_font_problems() -> list[str]:
    """What the start-up check found missing, in the reader's language (shown on the badges page)."""
    files, no_cjk = fonts.missing_fonts()
    problems = [_("The font file static/fonts/%(file)s is missing: names in its script print as empty boxes.",
                  file=name) for name in files]
    if no_cjk:
        problems.append(_("The font %(font)s is not installed: Chinese, Japanese and Korean names on badges and "
                          "reports print as empty boxes. Install the Debian package %(package)s (`make run` does "
                          "this when it can).", font=fonts.CJK_FAMILY, package=fonts.CJK_PACKAGE))
    return problems


def badge_registrations(db_session: DbSession, event: Event, *, delegation_id: int | None = None,
                        category: Category | None = None, registration_ids: list[int] | None = None,
                        include_pending: bool = False) -> list[Registration]:
    """Approved (optionally also submitted and waitlisted) people, in APEC economy order then name."""
    statuses = [RegistrationStatus.APPROVED]
    if include_pending:
        statuses += [RegistrationStatus.SUBMITTED, RegistrationStatus.WAITLISTED]
    query = (sa.select(Registration).join(Economy, Economy.id == Registration.economy_id)
             .where(Registration.event_id == event.id, Registration.status.in_(statuses))
             .options(selectinload(Registration.economy))
             .order_by(Economy.sort_key, Registration.family_name, Registration.given_name, Registration.id))
    if delegation_id is not None:
        query = query.where(Registration.delegation_id == delegation_id)
    if category is not None:
        query = query.where(Registration.category == category)
    if registration_ids is not None:
        query = query.where(Registration.id.in_(registration_ids))
    return list(db_session.scalars(query))


def make_badges(db_session: DbSession, event: Event, registrations: list[Registration], secret_key: str) -> list[Badge]:
    versions = badge_versions(db_session, [r.id for r in registrations])
    badges = []
    for reg in registrations:
        token = sign_badge(secret_key, event.id, reg.id, versions.get(reg.id, 0))
        qr = segno.make(token, error="m")
        badges.append(Badge(reg, token, qr.svg_data_uri(scale=4, border=2, dark="#000000"),
                            CATEGORY_COLOURS.get(reg.category, "#0b5394"), distinct_local_name(reg)))
    return badges


def badges_pdf(event: Event, badges: list[Badge], *, layout: str = "sheet") -> bytes:
    """The PDF; when some names have characters no font covers, a note page in front lists them."""
    gaps = fonts.name_gaps([b.registration for b in badges])
    fonts.warn_uncovered(gaps)
    html = render_template("attendance/badges_pdf.html", event=event, badges=badges, font_gaps=gaps,
                           layout=layout if layout in LAYOUTS else "sheet")
    return html_to_pdf(html, base_dir=Path(current_app.static_folder))
