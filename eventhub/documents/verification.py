"""References and the public verification page's answer.

A reference is random (about 50 bits in Crockford base 32, no 0/O or 1/I to misread off paper):
it cannot be guessed from another one, so the public /verify/<reference> page reveals nothing to
someone trying references in turn. The page reads the copy made at issue, never the registration.
"""

from __future__ import annotations

import io
import re
import secrets
from dataclasses import dataclass

import segno
import sqlalchemy as sa
from sqlalchemy.orm import Session as DbSession

from eventhub.documents.models import DocumentKind, IssuedDocument
from eventhub.events.models import Event
from eventhub.web import absolute_url

_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
_PREFIX = {DocumentKind.VISA_LETTER: "VL", DocumentKind.CERTIFICATE: "CA"}
REFERENCE_FORMAT = re.compile(r"^(VL|CA)-[2-9A-HJ-NP-Z]{5}-[2-9A-HJ-NP-Z]{5}$")


def new_reference(kind: DocumentKind) -> str:
    body = "".join(secrets.choice(_ALPHABET) for _ in range(10))
    return f"{_PREFIX[kind]}-{body[:5]}-{body[5:]}"


def verify_url(reference: str) -> str:
    return absolute_url("documents.verify", reference=reference)


def qr_svg(reference: str) -> str:
    """The QR code of the verification address, as inline SVG markup for the PDF."""
    return segno.make(verify_url(reference), error="m").svg_inline(scale=3, border=1, dark="#000000")


def qr_png(reference: str) -> bytes:
    """The QR code of the verification address as a small PNG, for the certificates: hundreds go into
    one PDF, and a picture costs WeasyPrint far less than parsing an SVG path per page. A fixed mask
    pattern (any of the eight is valid and scans) skips scoring all eight for each code."""
    out = io.BytesIO()
    segno.make(verify_url(reference), error="m", mask=0).save(out, kind="png", scale=4, border=1)
    return out.getvalue()


@dataclass(frozen=True)
class Verification:
    """What the public page says: found or not, valid or revoked, for whom and which event."""

    document: IssuedDocument | None
    event: Event | None

    @property
    def found(self) -> bool:
        return self.document is not None


def verify(db_session: DbSession, reference: str) -> Verification:
    reference = (reference or "").strip().upper()
    if not REFERENCE_FORMAT.match(reference):
        return Verification(None, None)
    row = db_session.execute(
        sa.select(IssuedDocument, Event).join(Event, Event.id == IssuedDocument.event_id)
        .where(IssuedDocument.reference == reference)).first()
    return Verification(row[0], row[1]) if row else Verification(None, None)
