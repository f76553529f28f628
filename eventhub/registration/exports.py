"""Read-side builders: the full list as CSV (UTF-8 with BOM, so Excel keeps Chinese, Thai and
Vietnamese names) and XLSX; one person's data as JSON. They take query results and return bytes."""

from __future__ import annotations

import json

from eventhub.exports import Workbook, csv_bytes
from eventhub.formatting import local_dt

HEADERS = [
    ("Economy", lambda r, e, ev: e.name), ("Economy code", lambda r, e, ev: e.code),
    ("Status", lambda r, e, ev: r.status.label), ("Honorific", lambda r, e, ev: r.honorific),
    ("Given name", lambda r, e, ev: r.given_name), ("Family name", lambda r, e, ev: r.family_name),
    ("Name in local script", lambda r, e, ev: r.name_local), ("Badge name", lambda r, e, ev: r.badge_name),
    ("E-mail", lambda r, e, ev: r.email), ("Sex", lambda r, e, ev: r.sex.label),
    ("Organisation", lambda r, e, ev: r.organisation), ("Position", lambda r, e, ev: r.position),
    ("Sector", lambda r, e, ev: r.sector), ("Category", lambda r, e, ev: r.category.label),
    ("Funding", lambda r, e, ev: r.funding.label), ("Phone", lambda r, e, ev: r.phone),
    ("Dietary needs", lambda r, e, ev: r.dietary), ("Accessibility needs", lambda r, e, ev: r.accessibility),
    ("Arrival ({zone})", lambda r, e, ev: local_dt(r.arrival_at, ev, "%Y-%m-%d %H:%M")),
    ("Departure ({zone})", lambda r, e, ev: local_dt(r.departure_at, ev, "%Y-%m-%d %H:%M")),
    ("Visa letter", lambda r, e, ev: "yes" if r.visa_letter else "no"),
    ("On participant list", lambda r, e, ev: "yes" if r.consent_list else "no"),
    ("Photo consent", lambda r, e, ev: "yes" if r.consent_photo else "no"),
    ("Confirmed by delegate", lambda r, e, ev: "no" if r.needs_confirmation else "yes"),
    ("Registered ({zone})", lambda r, e, ev: local_dt(r.created_at, ev, "%Y-%m-%d %H:%M")),
]


def header_names(event) -> list[str]:
    """The column names; those holding a time name the event's zone, e.g. "Registered (Asia/Shanghai)"."""
    return [h.format(zone=event.timezone) for h, _ in HEADERS]


def registrations_csv(rows, event) -> bytes:
    return csv_bytes(header_names(event),
                     ([str(get(reg, economy, event)) for _, get in HEADERS] for reg, economy in rows))


def registrations_xlsx(rows, event) -> bytes:
    book = Workbook(title=f"Registrations — {event.title}", constant_memory=True)
    sheet = book.add_sheet("Registrations")
    widths = [18, 8, 11, 9, 18, 18, 18, 24, 30, 16, 30, 22, 16, 18, 13, 16, 20, 20, 16, 16, 8, 8, 8, 10, 16]
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width)
    book.write_row(sheet, 0, header_names(event), book.bold)
    sheet.freeze_panes(1, 0)
    n = 0
    for n, (reg, economy) in enumerate(rows, start=1):
        book.write_row(sheet, n, [str(get(reg, economy, event)) for _, get in HEADERS])
    sheet.autofilter(0, 0, max(n, 1), len(HEADERS) - 1)
    return book.close()


def personal_data_json(reg, log_entries) -> bytes:
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
    }
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
