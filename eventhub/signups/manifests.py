"""Vehicle manifests for the guides of a site visit: rows, CSV (UTF-8 with BOM) and XLSX. Read-only."""

from __future__ import annotations

from dataclasses import dataclass

from eventhub.exports import Workbook, csv_bytes

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


def to_csv(rows: list[ManifestRow]) -> bytes:
    return csv_bytes(HEADERS, (row.cells() for row in rows))


def to_xlsx(rows: list[ManifestRow], title: str) -> bytes:
    book = Workbook(title=title)
    sheet = book.add_sheet("Manifest")
    bold = book.add_format({"bold": True})
    book.write(sheet, 0, 0, title[:250], bold)
    book.write_row(sheet, 2, HEADERS, bold)
    for i, row in enumerate(rows, start=3):
        book.write_row(sheet, i, row.cells())
    sheet.set_column(0, 0, 5)
    sheet.set_column(1, 7, 22)
    sheet.freeze_panes(3, 0)
    return book.close()
