"""Exports of the attendance summary and of session lists: CSV, XLSX and PDF, returned as bytes.

CSV is UTF-8 with a BOM so that Excel shows Chinese, Thai and Vietnamese names; XLSX has one
sheet per table, with times as event-local date cells under a header that names the zone; the PDF (eventhub.attendance.pdf) is WeasyPrint's rendering of the same HTML tables and SVG charts.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from eventhub.attendance.reports.figures import Summary
from eventhub.attendance.reports.session_list import ListEntry
from eventhub.economies.models import EconomyKind
from eventhub.exports import Workbook, csv_bytes, local_naive, zoned
from eventhub.i18n import localized

# The overview's line for each kind of non-member economy that attended.
KIND_ATTENDED = {EconomyKind.GUEST: _l("Guests attended"), EconomyKind.OBSERVER: _l("Observers attended"),
                 EconomyKind.ORGANISATION: _l("Organisations attended"), EconomyKind.MEMBER: _l("Members attended")}


class Percent(float):
    """A share (0.25): written as 25.0% in CSV and with a percent format in XLSX."""


@dataclass
class Table:
    name: str  # sheet name (≤ 31 characters)
    headers: list[str]
    rows: list[list]


def _pct(value: float | None):
    return None if value is None else Percent(round(value, 4))


def summary_tables(summary: Summary) -> list[Table]:
    t = summary.totals
    columns = summary.count_columns
    counts = [heading for heading, _ in columns]

    def values(r):
        return [getattr(r, attr) for _, attr in columns]

    def rows(items, extra=None):
        return [[r.label, *([extra(r)] if extra else []), *values(r)] for r in items]

    booked = summary.session_scoped
    scope = (_("Session-scoped: booked = confirmed bookings for the matching sessions; attended = checked in to "
               "one of them; no-shows = booked, not checked in to any") if booked else
             _("Registered = submitted, approved or waitlisted; no-shows = approved, not checked in"))
    overview = Table(_("Summary"), [_("Figure"), _("Value")], [
        [_("Event"), localized(summary.event, "title")],
        [_("Filters"), summary.filters.describe()],
        [_("What the figures count"), scope],
        *[[heading, getattr(t, attr)] for heading, attr in columns],
        [_("Economies booked") if booked else _("Economies registered"), summary.economies_registered],
        [_("Economies represented (attended)"), summary.economies_represented],
        [_("Women attended"), summary.women_attended],
        [_("Women's share of attendees"), _pct(summary.women_share)],
        [_("Women's share of booked") if booked else _("Women's share of registered"),
         _pct(summary.women_share_registered)],
        [_("Economies attended"), summary.economies_headline],
        [_("Member economies attended"), summary.members_attended],
        [_("Member economies"), summary.members_total],
        *[[str(KIND_ATTENDED[kind]), n] for kind, n in summary.others_attended.items()],
    ])
    return [
        overview,
        Table(_("By economy"), [_("Economy"), _("Code"), *counts],
              [[r.label, r.code, *values(r)] for r in summary.by_economy]
              + [[_("Total"), "", *values(t)]]),
        Table(_("By sex"), [_("Sex"), *counts, _("Share of attendees")],
              [[r.label, *values(r), _pct(r.share_of(t.attended))]
               for r in summary.by_sex]),
        Table(_("By category"), [_("Category"), _("Group"), *counts], rows(summary.by_category, lambda r: r.group)
              + [[g.label, _("subtotal"), *values(g)]
                 for g in summary.category_groups]),
        Table(_("By funding"), [_("Funding"), *counts], rows(summary.by_funding)),
        Table(_("Per day"), [_("Day"), _("Attended"), _("Women"), _("Economies"),
                             _("No-shows (booked)") if booked else _("Approved no-shows")],
              [[d.day, d.attended, d.women, d.economies, d.no_shows] for d in summary.per_day]),
        Table(_("Per session"), [zoned(_("Starts"), summary.event.timezone), _("Session"), _("Kind"), _("Booked"),
                                 _("Attended"), _("Capacity"), _("Fill rate")],
              [[local_naive(r.starts_at, summary.event.tz), r.title, str(r.kind.label),
                r.booked, r.attended, r.capacity, _pct(r.fill_rate)] for r in summary.per_session]),
        Table(_("Vehicles"), [_("Site visit"), _("Vehicle"), _("Seats"), _("Assigned"), _("Boarded")],
              [[v.session_title, v.name, v.seats, v.assigned, v.boarded] for v in summary.per_vehicle]),
    ]


def _csv_value(value):
    if isinstance(value, Percent):
        return f"{value * 100:.1f}%"
    return value


def to_csv(tables: list[Table]) -> bytes:
    """Tables one after another, each under its name and separated by a blank line; UTF-8 with BOM,
    every text cell escaped against formula injection (eventhub.exports)."""
    lines: list[list] = []
    for i, table in enumerate(tables):
        if i:
            lines.append([])
        lines.append([table.name])
        lines.append(table.headers)
        lines.extend([_csv_value(v) for v in row] for row in table.rows)
    return csv_bytes(None, lines)


def to_xlsx(tables: list[Table], *, title: str = "") -> bytes:
    book = Workbook(title=title)
    percent = book.add_format({"num_format": "0.0%"})
    for table in tables:
        sheet = book.add_sheet(table.name)
        book.write_row(sheet, 0, table.headers, book.bold)
        widths = [len(h) for h in table.headers]
        for r, row in enumerate(table.rows, start=1):
            for c, value in enumerate(row):
                book.write(sheet, r, c, value, percent if isinstance(value, Percent) else None)
                widths[c] = max(widths[c], min(len(str(value)), 60))
        for c, w in enumerate(widths):
            sheet.set_column(c, c, w + 2)
        sheet.freeze_panes(1, 0)
    return book.close()


def session_list_table(event, entries: list[ListEntry]) -> Table:
    rows = []
    for e in entries:
        reg = e.registration
        rows.append([reg.given_name, reg.family_name.upper(), reg.name_local, localized(reg.economy, "name"),
                     str(reg.category.label), reg.organisation, _("yes") if e.booked else _("no"), e.vehicle_name,
                     local_naive(e.checked_in_at, event.tz),
                     e.checkin_vehicle])
    return Table(_("Attendance"), [_("Given name"), _("Family name"), _("Name (local script)"), _("Economy"),
                                   _("Category"), _("Organisation"), _("Booked"), _("Assigned vehicle"),
                                   zoned(_("Checked in"), event.timezone), _("Boarded")], rows)

