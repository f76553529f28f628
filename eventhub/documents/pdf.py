"""The letter and certificate PDFs (WeasyPrint, the project's fonts: static/fonts/fonts.css with the
system's Noto Sans CJK for Chinese, Japanese and Korean names).

Images are put in as data: URIs of the re-encoded PNGs and the QR code as inline SVG (letters) or a
small PNG (certificates), so drawing a PDF reads no file and no URL beyond the fonts.
"""

from __future__ import annotations

import base64
from pathlib import Path

from flask import current_app, render_template

from eventhub.attendance.pdf import html_to_pdf
from eventhub.db import utcnow
from eventhub.documents.bulk_pdf import draw_in_parts, processes_for
from eventhub.documents.certificates import CertificateItem
from eventhub.documents.letters import fill_letter, letter_fields
from eventhub.documents.models import DocumentSettings, PassportDetails
from eventhub.documents.verification import qr_png, qr_svg, verify_url
from eventhub.events.models import Event
from eventhub.formatting import date_range
from eventhub.registration.models import Registration


def png_data_uri(data: bytes | None) -> str | None:
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii") if data else None


def _pdf(html: str) -> bytes:
    return html_to_pdf(html, base_dir=Path(current_app.static_folder))


def letter_html(event: Event, reg: Registration, passport: PassportDetails, settings: DocumentSettings,
                reference: str, *, preview: bool = False) -> str:
    return render_template(
        "documents/letter_pdf.html", event=event, settings=settings, reference=reference, preview=preview,
        paragraphs=fill_letter(settings.letter_body, letter_fields(event, reg, passport, reference)),
        logo=png_data_uri(settings.logo_png), signature=png_data_uri(settings.signature_png),
        qr=qr_svg(reference), verify=verify_url(reference), today=utcnow().date())


def letter_pdf(event: Event, reg: Registration, passport: PassportDetails, settings: DocumentSettings,
               reference: str, *, preview: bool = False) -> bytes:
    return _pdf(letter_html(event, reg, passport, settings, reference, preview=preview))


def certificates_pdf(event: Event, settings: DocumentSettings, items: list[CertificateItem]) -> bytes:
    """One page per certificate. Takes plain values only: callable after the transaction has ended.
    A long run is drawn in chunks on several cores (bulk_pdf.py); each chunk is one WeasyPrint
    rendering of its pages."""
    common = {"event": event, "settings": settings, "dates": date_range(event.start_date, event.end_date),
              "place": ", ".join(p for p in (event.venue, event.city) if p),
              "logo": png_data_uri(settings.logo_png), "signature": png_data_uri(settings.signature_png)}
    parts = processes_for(len(items))
    size = -(-len(items) // parts) if items else 1
    htmls = [render_template("documents/certificates_pdf.html", **common, items=[
        (item, png_data_uri(qr_png(item.reference)), verify_url(item.reference)) for item in chunk])
        for chunk in (items[i:i + size] for i in range(0, max(len(items), 1), size))]
    return draw_in_parts(htmls, Path(current_app.static_folder))
