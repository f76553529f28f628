"""Vehicle manifests for the guides of a site visit: rows, CSV (UTF-8 with BOM) and XLSX. Read-only."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import xlsxwriter

HEADERS = ["No.", "Vehicle", "Family name", "Given name", "Name (local)", "Economy", "Phone", "Organisation"]


@dataclass
class ManifestRow:
    number: int
    vehicle: str
    family_name: str
    given_name: str
    name_local: str
    economy: str
    phone: str
    organisation: str

    def cells(self) -> list:
        return [self.number, self.vehicle, self.family_name, self.given_name, self.name_local, self.economy,
                self.phone, self.organisation]


def rows_for(roster, vehicle_id: int | None = None) -> list[ManifestRow]:
    """Manifest rows in vehicle order, then economy (APEC order), then name."""
    names = {v.id: v.name for v in roster.vehicles}
    order = [v.id for v in roster.vehicles] + [None]
    rows: list[ManifestRow] = []
    for vid in order:
        if vehicle_id is not None and vid != vehicle_id:
            continue
        for i, b in enumerate(roster.by_vehicle.get(vid, []), start=1):
            r = b.registration
            rows.append(ManifestRow(i, names.get(vid, "Not assigned"), r.family_name.upper(), r.given_name,
                                    r.name_local, r.economy.name, r.phone, r.organisation))
    return rows


def _safe(value):
    # A cell starting with = + - @ would be a formula in Excel: neutralise it.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def to_csv(rows: list[ManifestRow]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADERS)
    for row in rows:
        writer.writerow([_safe(c) for c in row.cells()])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(rows: list[ManifestRow], title: str) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    sheet = book.add_worksheet("Manifest")
    bold = book.add_format({"bold": True})
    sheet.write(0, 0, title[:250], bold)
    for col, header in enumerate(HEADERS):
        sheet.write(2, col, header, bold)
    for i, row in enumerate(rows, start=3):
        for col, value in enumerate(row.cells()):
            if isinstance(value, int):
                sheet.write_number(i, col, value)
            else:
                sheet.write_string(i, col, value or "")
    sheet.set_column(0, 0, 5)
    sheet.set_column(1, 7, 22)
    sheet.freeze_panes(3, 0)
    book.close()
    return buffer.getvalue()
