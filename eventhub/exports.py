"""CSV and XLSX writing shared by every export (registrations, manifests, attendance).

- CSV is UTF-8 with a BOM (so Excel shows Chinese, Thai and Vietnamese names), CRLF line ends,
  and is sent as ``text/csv; charset=utf-8`` — the charset exactly once.
- Every text cell goes through one formula-injection guard (OWASP "CSV injection"), in CSV and XLSX
  alike: `needs_escape()` decides. A cell is a formula risk when it starts with a tab, CR or LF, or
  when its first visible character is ``=``, ``+``, ``-`` or ``@`` — in any Unicode form that a
  spreadsheet (or an IME's auto-conversion) folds into them: full-width ``＝ ＋ － ＠``, small and
  superscript forms, the minus sign — also after leading spaces (ASCII, no-break, ideographic),
  other control characters or invisible format characters (zero-width space, BOM, direction marks). CSV has no cell types, so such a cell is written with a leading
  ``'``. XLSX has them: the cell is a string cell with Excel's "quote prefix" style, so the sheet
  shows the text exactly as typed (no apostrophe), treats it as text and keeps it text when edited.
- Dates and times are real date cells in XLSX (with a number format) and ``YYYY-MM-DD HH:MM`` in
  CSV. They must be given as event-local naive values (`local_naive()`), and the column header names
  the zone, e.g. "Registered (Asia/Shanghai)" (`zoned()`): spreadsheets have no time zones.
- Numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import Response
from flask_babel import gettext as _

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_STARTS = ("\t", "\r", "\n")  # dangerous as the very first character
FORMULA_CHARS = frozenset("=+-@\u2212")  # dangerous as the first visible character, after NFKC folding
DATETIME_FORMAT = "%Y-%m-%d %H:%M"  # CSV; XLSX uses XLSX_DATETIME_FORMAT
XLSX_DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
XLSX_DATE_FORMAT = "yyyy-mm-dd"


def _invisible(ch: str) -> bool:
    return ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf", "Zs", "Zl", "Zp")


def needs_escape(value) -> bool:
    """True for a text cell that a spreadsheet would read as a formula (see the module's notes)."""
    if not isinstance(value, str) or not value:
        return False
    if value.startswith(FORMULA_STARTS):
        return True
    for ch in value:
        if not _invisible(ch):
            return unicodedata.normalize("NFKC", ch)[:1] in FORMULA_CHARS
    return False


def escape_cell(value):
    """For CSV: a text cell that a spreadsheet would read as a formula, prefixed with ``'``; anything
    else unchanged."""
    if needs_escape(value):
        return "'" + value
    return value


def local_naive(moment: datetime | None, tz: ZoneInfo | str) -> datetime | None:
    """An aware datetime as the naive wall-clock time in `tz` (what a spreadsheet cell holds)."""
    if moment is None:
        return None
    zone = ZoneInfo(tz) if isinstance(tz, str) else tz
    return moment.astimezone(zone).replace(tzinfo=None)


def zoned(heading: str, tz: ZoneInfo | str) -> str:
    """A column heading that names the zone its times are in: "Registered (Asia/Shanghai)"."""
    return f"{heading} ({tz if isinstance(tz, str) else tz.key})"


def _naive(value: datetime) -> datetime:
    if value.tzinfo is not None:
        raise ValueError("an export writes event-local naive times: convert with local_naive() first")
    return value


def csv_value(value):
    """One cell as CSV writes it: None empty, dates as ISO text, text escaped."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return _naive(value).strftime(DATETIME_FORMAT)
    if isinstance(value, date):
        return value.isoformat()
    return escape_cell(value)


def csv_bytes(header: Sequence | None, rows: Iterable[Sequence]) -> bytes:
    """Rows as CSV: UTF-8 with BOM, CRLF, every text cell escaped; None is written as an empty cell."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    if header is not None:
        writer.writerow([csv_value(h) for h in header])
    for row in rows:
        writer.writerow([csv_value(v) for v in row])
    return out.getvalue().encode("utf-8-sig")


def download(data: bytes, content_type: str, filename: str) -> Response:
    """An attachment. `content_type` is sent as given (Werkzeug's `mimetype=` would add a second charset)."""
    return Response(data, content_type=content_type, headers={
        "Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "private, no-store"})


def csv_response(filename: str, header: Sequence | None, rows: Iterable[Sequence]) -> Response:
    return download(csv_bytes(header, rows), CSV_CONTENT_TYPE, filename)


def xlsx_response(filename: str, data: bytes) -> Response:
    return download(data, XLSX_CONTENT_TYPE, filename)


class Workbook:
    """An in-memory XlsxWriter workbook whose `write` types every cell; `close()` returns the bytes.

        book = Workbook(title="Registrations")
        sheet = book.add_sheet("Registrations")
        book.write_row(sheet, 0, ["Name", "Count"], book.bold)
        data = book.close()

    Text is a string cell (never a formula; one that looks like one gets the quote-prefix style),
    numbers are numbers, naive datetimes and dates are date cells with a number format. Make formats
    with `add_format` so that `write` can derive the quote-prefix and date variants of them.
    """

    def __init__(self, *, title: str = "", constant_memory: bool = False):
        import xlsxwriter

        self._buffer = io.BytesIO()
        self.book = xlsxwriter.Workbook(self._buffer, {
            "in_memory": not constant_memory, "constant_memory": constant_memory,
            "strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False})
        self.book.set_properties({"title": title, "creator": "EventHub"})
        self._properties: dict[int, dict] = {}
        self._variants: dict[tuple, object] = {}
        self.bold = self.add_format({"bold": True, "bg_color": "#EEF2F6", "bottom": 1})

    def add_sheet(self, name: str):
        return self.book.add_worksheet(name[:31])

    def add_format(self, properties: dict):
        fmt = self.book.add_format(properties)
        self._properties[id(fmt)] = dict(properties)
        return fmt

    def _variant(self, fmt, **extra):
        """`fmt` (or no format) with `extra` properties added, made once per workbook."""
        key = (id(fmt) if fmt is not None else None, tuple(sorted(extra.items())))
        if key not in self._variants:
            base = self._properties.get(id(fmt), {}) if fmt is not None else {}
            self._variants[key] = self.add_format({**base, **extra})
        return self._variants[key]

    def write(self, sheet, row: int, col: int, value, fmt=None) -> None:
        if value is None or value == "":
            sheet.write_blank(row, col, None, fmt)
        elif isinstance(value, bool):
            sheet.write_string(row, col, _("yes") if value else _("no"), fmt)
        elif isinstance(value, int | float):
            sheet.write_number(row, col, value, fmt)
        elif isinstance(value, datetime):
            sheet.write_datetime(row, col, _naive(value), self._variant(fmt, num_format=XLSX_DATETIME_FORMAT))
        elif isinstance(value, date):
            sheet.write_datetime(row, col, datetime(value.year, value.month, value.day),
                                 self._variant(fmt, num_format=XLSX_DATE_FORMAT))
        else:
            text = str(value)
            sheet.write_string(row, col, text, self._variant(fmt, quote_prefix=True) if needs_escape(text) else fmt)

    def write_row(self, sheet, row: int, values: Sequence, fmt=None) -> None:
        for col, value in enumerate(values):
            self.write(sheet, row, col, value, fmt)

    def close(self) -> bytes:
        self.book.close()
        return self._buffer.getvalue()
