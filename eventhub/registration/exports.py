"""Read-side builders: the full list as CSV (UTF-8 with BOM, so Excel keeps Chinese, Thai and
Vietnamese names) and XLSX; one person's data as JSON. They take query results and return bytes.

Times are event-local: real date cells in XLSX, ``YYYY-MM-DD HH:MM`` in CSV, and their headers name
the zone ("Registered (Asia/Shanghai)")."""

from __future__ import annotations

import json

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from eventhub.exports import Workbook, csv_bytes, local_naive, zoned
from eventhub.i18n import localized


def _yes(value: bool) -> str:
    return _("yes") if value else _("no")


# Headers and values in the reader's language (lazy labels, read when the file is made).
ARRIVAL, DEPARTURE, REGISTERED = _l("Arrival"), _l("Departure"), _l("Registered")
HEADERS = [
    (_l("Economy"), lambda r, e, ev: localized(e, "name")), (_l("Economy code"), lambda r, e, ev: e.code),
    (_l("Status"), lambda r, e, ev: r.status.label), (_l("Honorific"), lambda r, e, ev: r.honorific),
    (_l("Given name"), lambda r, e, ev: r.given_name), (_l("Family name"), lambda r, e, ev: r.family_name),
    (_l("Name in local script"), lambda r, e, ev: r.name_local), (_l("Badge name"), lambda r, e, ev: r.badge_name),
    (_l("E-mail"), lambda r, e, ev: r.email), (_l("Sex"), lambda r, e, ev: r.sex.label),
    (_l("Organisation"), lambda r, e, ev: r.organisation), (_l("Position"), lambda r, e, ev: r.position),
    (_l("Sector"), lambda r, e, ev: r.sector), (_l("Category"), lambda r, e, ev: r.category.label),
    (_l("Funding"), lambda r, e, ev: r.funding.label), (_l("Phone"), lambda r, e, ev: r.phone),
    (_l("Dietary needs"), lambda r, e, ev: r.dietary), (_l("Accessibility needs"), lambda r, e, ev: r.accessibility),
    (ARRIVAL, lambda r, e, ev: local_naive(r.arrival_at, ev.tz)),
    (DEPARTURE, lambda r, e, ev: local_naive(r.departure_at, ev.tz)),
    (_l("Visa letter"), lambda r, e, ev: _yes(r.visa_letter)),
    (_l("On participant list"), lambda r, e, ev: _yes(r.consent_list)),
    (_l("Photo consent"), lambda r, e, ev: _yes(r.consent_photo)),
    (_l("Confirmed by delegate"), lambda r, e, ev: _yes(not r.needs_confirmation)),
    (REGISTERED, lambda r, e, ev: local_naive(r.created_at, ev.tz)),
]
ZONED = (ARRIVAL, DEPARTURE, REGISTERED)  # their headers name the event's zone


def headers(event) -> list[str]:
    return [zoned(str(h), event.timezone) if any(h is z for z in ZONED) else str(h) for h, _get in HEADERS]


def _cells(reg, economy, event) -> list:
    return [get(reg, economy, event) for _label, get in HEADERS]


def registrations_csv(rows, event) -> bytes:
    return csv_bytes(headers(event), (_cells(reg, economy, event) for reg, economy in rows))


def registrations_xlsx(rows, event) -> bytes:
    book = Workbook(title=_("Registrations — %(title)s", title=localized(event, "title")), constant_memory=True)
    sheet = book.add_sheet(_("Registrations"))
    widths = [18, 8, 11, 9, 18, 18, 18, 24, 30, 16, 30, 22, 16, 18, 13, 16, 20, 20, 16, 16, 8, 8, 8, 10, 16]
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width)
    book.write_row(sheet, 0, headers(event), book.bold)
    sheet.freeze_panes(1, 0)
    n = 0
    for n, (reg, economy) in enumerate(rows, start=1):
        book.write_row(sheet, n, _cells(reg, economy, event))
    sheet.autofilter(0, 0, max(n, 1), len(HEADERS) - 1)
    return book.close()


def personal_data_json(reg, log_entries, extra: dict | None = None) -> bytes:
    """Everything EventHub holds about one registration, for the delegate to download."""
    def iso(value):
        return value.isoformat() if value else None

    data = {
        "event": {"title": reg.event.title, "slug": reg.event.slug, "start_date": reg.event.start_date.isoformat(),
                  "end_date": reg.event.end_date.isoformat()},
        "registration": {
            "id": reg.id, "status": reg.status.value, "economy": reg.economy.name, "email": reg.email,
            "honorific": reg.honorific, "given_name": reg.given_name, "family_name": reg.family_name,
            "name_local": reg.name_local, "sex": reg.sex.value, "organisation": reg.organisation,
            "position": reg.position, "sector": reg.sector, "category": reg.category.value, "phone": reg.phone,
            "dietary": reg.dietary, "accessibility": reg.accessibility, "arrival_at": iso(reg.arrival_at),
            "departure_at": iso(reg.departure_at), "visa_letter": reg.visa_letter, "funding": reg.funding.value,
            "consent_list": reg.consent_list, "consent_photo": reg.consent_photo,
            "privacy_acknowledged_at": iso(reg.privacy_acknowledged_at), "created_at": iso(reg.created_at),
            "updated_at": iso(reg.updated_at),
        },
        "history": [{"at": iso(e.at), "action": e.action, "from": e.from_status, "to": e.to_status,
                     "note": e.note} for e in log_entries],
        **(extra or {}),  # what other packages hold about the person (documents: passport details, letters)
    }
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
