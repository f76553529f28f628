"""Vehicle manifests for the guides of a site visit: rows, CSV (UTF-8 with BOM) and XLSX. Read-only."""

from __future__ import annotations

from dataclasses import dataclass

from eventhub.exports import Workbook, csv_bytes

HEADERS = ["No.", "Vehicle", "Family name", "Given name", "Name (local)", "Economy", "Phone", "Organisation",
           "Note"]
NOT_ASSIGNED = "Not assigned"


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
    note: str = ""  # why a person has no vehicle seat

    def cells(self) -> list:
        return [self.number, self.vehicle, self.family_name, self.given_name, self.name_local, self.economy,
                self.phone, self.organisation, self.note]


def no_seat_reason(roster) -> str:
    """Why the confirmed people without a vehicle have none ("" when the visit has no vehicles)."""
    if not roster.vehicles:
        return ""
    seats = sum(v.seats for v in roster.vehicles)
    if all(v.taken >= v.seats for v in roster.vehicles):
        return (f"No vehicle seat: every vehicle is full ({seats} of {seats} seats taken). Add a vehicle, "
                "then seat everyone from the participants page.")
    return "Not seated yet, though vehicle seats are free: seat everyone from the participants page."


def rows_for(roster, vehicle_id: int | None = None) -> list[ManifestRow]:
    """Manifest rows in vehicle order, then economy (APEC order), then name."""
    names = {v.id: v.name for v in roster.vehicles}
    order = [v.id for v in roster.vehicles] + [None]
    rows: list[ManifestRow] = []
    reason = no_seat_reason(roster)
    for vid in order:
        if vehicle_id is not None and vid != vehicle_id:
            continue
        for i, b in enumerate(roster.by_vehicle.get(vid, []), start=1):
            r = b.registration
            rows.append(ManifestRow(i, names.get(vid, NOT_ASSIGNED), r.family_name.upper(), r.given_name,
                                    r.name_local, r.economy.name, r.phone, r.organisation,
                                    reason if vid is None else ""))
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
    sheet.set_column(8, 8, 60)
    sheet.freeze_panes(3, 0)
    return book.close()
