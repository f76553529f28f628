"""CSV and XLSX writing shared by every export (registrations, manifests, attendance).

- CSV is UTF-8 with a BOM (so Excel shows Chinese, Thai and Vietnamese names), CRLF line ends,
  and is sent as ``text/csv; charset=utf-8`` — the charset exactly once.
- Every text cell goes through one formula-injection escaper, in CSV and XLSX alike: a cell that
  starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is prefixed with ``'`` so that a
  spreadsheet shows it as text instead of running it (OWASP "CSV injection"). Numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from flask import Response

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def escape_cell(value):
    """A text cell that a spreadsheet would read as a formula, made plain text; anything else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_bytes(header: Sequence | None, rows: Iterable[Sequence]) -> bytes:
    """Rows as CSV: UTF-8 with BOM, CRLF, every text cell escaped; None is written as an empty cell."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    if header is not None:
        writer.writerow([escape_cell(h) for h in header])
    for row in rows:
        writer.writerow(["" if v is None else escape_cell(v) for v in row])
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
    """An in-memory XlsxWriter workbook whose `write` escapes text cells; `close()` returns the bytes.

        book = Workbook(title="Registrations")
        sheet = book.add_sheet("Registrations")
        book.write_row(sheet, 0, ["Name", "Count"], book.bold)
        data = book.close()
    """

    def __init__(self, *, title: str = "", constant_memory: bool = False):
        import xlsxwriter

        self._buffer = io.BytesIO()
        self.book = xlsxwriter.Workbook(self._buffer, {
            "in_memory": not constant_memory, "constant_memory": constant_memory,
            "strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False})
        self.book.set_properties({"title": title, "creator": "EventHub"})
        self.bold = self.book.add_format({"bold": True, "bg_color": "#EEF2F6", "bottom": 1})

    def add_sheet(self, name: str):
        return self.book.add_worksheet(name[:31])

    def add_format(self, properties: dict):
        return self.book.add_format(properties)

    def write(self, sheet, row: int, col: int, value, fmt=None) -> None:
        if value is None or value == "":
            sheet.write_blank(row, col, None, fmt)
        elif isinstance(value, bool):
            sheet.write_string(row, col, "yes" if value else "no", fmt)
        elif isinstance(value, int | float):
            sheet.write_number(row, col, value, fmt)
        else:
            sheet.write_string(row, col, escape_cell(str(value)), fmt)

    def write_row(self, sheet, row: int, values: Sequence, fmt=None) -> None:
        for col, value in enumerate(values):
            self.write(sheet, row, col, value, fmt)

    def close(self) -> bytes:
        self.book.close()
        return self._buffer.getvalue()
