"""Exports of the attendance summary and of session lists: CSV, XLSX and PDF, returned as bytes.

CSV is UTF-8 with a BOM so that Excel shows Chinese, Thai and Vietnamese names; XLSX has one
sheet per table, with times as event-local date cells under a header that names the zone; the PDF (eventhub.attendance.pdf) is WeasyPrint's rendering of the same HTML tables and SVG charts.
"""

from __future__ import annotations

from dataclasses import dataclass

from eventhub.attendance.reports.figures import Summary
from eventhub.attendance.reports.session_list import ListEntry
from eventhub.exports import Workbook, csv_bytes, local_naive, zoned


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

    scope = ("Session-scoped: booked = confirmed bookings for the matching sessions; attended = checked in to "
             "one of them; no-shows = booked, not checked in to any" if summary.session_scoped else
             "Registered = submitted, approved or waitlisted; no-shows = approved, not checked in")
    overview = Table("Summary", ["Figure", "Value"], [
        ["Event", summary.event.title],
        ["Filters", summary.filters.describe()],
        ["What the figures count", scope],
        *[[heading, getattr(t, attr)] for heading, attr in columns],
        [f"Economies {summary.expected_label.lower()}", summary.economies_registered],
        ["Economies represented (attended)", summary.economies_represented],
        ["Women attended", summary.women_attended],
        ["Women's share of attendees", _pct(summary.women_share)],
        [f"Women's share of {summary.expected_label.lower()}", _pct(summary.women_share_registered)],
        ["Economies attended", summary.economies_headline],
        ["Member economies attended", summary.members_attended],
        ["Member economies", summary.members_total],
        *[[f"{kind.value.capitalize()}s attended", n] for kind, n in summary.others_attended.items()],
    ])
    return [
        overview,
        Table("By economy", ["Economy", "Code", *counts],
              [[r.label, r.code, *values(r)] for r in summary.by_economy]
              + [["Total", "", *values(t)]]),
        Table("By sex", ["Sex", *counts, "Share of attendees"],
              [[r.label, *values(r), _pct(r.share_of(t.attended))]
               for r in summary.by_sex]),
        Table("By category", ["Category", "Group", *counts], rows(summary.by_category, lambda r: r.group)
              + [[g.label, "subtotal", *values(g)]
                 for g in summary.category_groups]),
        Table("By funding", ["Funding", *counts], rows(summary.by_funding)),
        Table("Per day", ["Day", "Attended", "Women", "Economies",
                          "No-shows (booked)" if summary.session_scoped else "Approved no-shows"],
              [[d.day, d.attended, d.women, d.economies, d.no_shows] for d in summary.per_day]),
        Table("Per session", [zoned("Starts", summary.event.timezone), "Session", "Kind", "Booked", "Attended",
                              "Capacity", "Fill rate"],
              [[local_naive(r.starts_at, summary.event.tz), r.title, r.kind.label,
                r.booked, r.attended, r.capacity, _pct(r.fill_rate)] for r in summary.per_session]),
        Table("Vehicles", ["Site visit", "Vehicle", "Seats", "Assigned", "Boarded"],
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
        rows.append([reg.given_name, reg.family_name.upper(), reg.name_local, reg.economy.name, reg.category.label,
                     reg.organisation, "yes" if e.booked else "no", e.vehicle_name,
                     local_naive(e.checked_in_at, event.tz),
                     e.checkin_vehicle])
    return Table("Attendance", ["Given name", "Family name", "Name (local script)", "Economy", "Category",
                                "Organisation", "Booked", "Assigned vehicle",
                                zoned("Checked in", event.timezone), "Boarded"], rows)

