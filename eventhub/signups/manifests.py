"""Vehicle manifests for the guides of a site visit: rows, CSV (UTF-8 with BOM) and XLSX. Read-only."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from eventhub.exports import Workbook, csv_bytes
from eventhub.i18n import localized

# Column headers in the reader's language (str() when written: the manifest is made per request).
HEADERS = [_l("No."), _l("Vehicle"), _l("Family name"), _l("Given name"), _l("Name (local)"), _l("Economy"),
           _l("Phone"), _l("Organisation"), _l("Note")]
NOT_ASSIGNED = _l("Not assigned")


def _headers() -> list[str]:
    return [str(h) for h in HEADERS]


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
        return _("No vehicle seat: every vehicle is full (%(seats)d of %(seats)d seats taken). Add a vehicle, "
                 "then seat everyone from the participants page.", seats=seats)
    return _("Not seated yet, though vehicle seats are free: seat everyone from the participants page.")


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
            rows.append(ManifestRow(i, names.get(vid, str(NOT_ASSIGNED)), r.family_name.upper(), r.given_name,
                                    r.name_local, localized(r.economy, "name"), r.phone, r.organisation,
                                    reason if vid is None else ""))
    return rows


def to_csv(rows: list[ManifestRow]) -> bytes:
    return csv_bytes(_headers(), (row.cells() for row in rows))


def to_xlsx(rows: list[ManifestRow], title: str) -> bytes:
    book = Workbook(title=title)
    sheet = book.add_sheet(_("Manifest"))
    bold = book.add_format({"bold": True})
    book.write(sheet, 0, 0, title[:250], bold)
    book.write_row(sheet, 2, _headers(), bold)
    for i, row in enumerate(rows, start=3):
        book.write_row(sheet, i, row.cells())
    sheet.set_column(0, 0, 5)
    sheet.set_column(1, 7, 22)
    sheet.set_column(8, 8, 60)
    sheet.freeze_panes(3, 0)
    return book.close()
