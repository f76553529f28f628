"""Visa invitation letters: the passport details, the organizer's template, issuing and revoking.

Plain functions with explicit arguments; they flush, never commit. Every issue, re-issue and
revocation is written to the registration's history (RegistrationLog) with the letter's reference.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from sqlalchemy.orm import Session as DbSession
from sqlalchemy.orm import aliased, joinedload

from eventhub.db import utcnow
from eventhub.documents.models import (
    AttendanceRule,
    DocumentKind,
    DocumentSettings,
    IssuedDocument,
    PassportDetails,
)
from eventhub.documents.verification import new_reference
from eventhub.errors import DomainError
from eventhub.events.models import Event
from eventhub.formatting import date_range, day_label
from eventhub.i18n import localized, recipient_language
from eventhub.registration.models import ACTIVE_STATUSES, Registration, RegistrationLog, RegistrationStatus

PLACEHOLDERS = {
    "name": _l("the name as in the passport"),
    "nationality": _l("the nationality as in the passport"),
    "passport_number": _l("the passport number"),
    "date_of_birth": _l("the date of birth"),
    "stay": _l("the dates of stay"),
    "event": _l("the event's title"),
    "dates": _l("the event's dates"),
    "place": _l("the venue and city"),
    "economy": _l("the delegate's economy"),
    "organisation": _l("the delegate's organisation"),
    "position": _l("the delegate's position"),
    "reference": _l("the letter's reference number"),
}
_PLACEHOLDER = re.compile(r"\{([A-Za-z_]+)\}")

DEFAULT_LETTER = (
    "To the consular section concerned,\n\n"
    "This is to confirm that {name}, a national of {nationality}, holder of passport number "
    "{passport_number}, born on {date_of_birth}, is invited by the host to attend {event}, to be held at "
    "{place} on {dates}.\n\n"
    "{name} attends as a member of the {economy} delegation and will stay from {stay}. We kindly ask you "
    "to issue the visa needed for this visit.\n\n"
    "The authenticity of this letter can be checked with the QR code below (reference {reference})."
)


def unknown_placeholders(body: str) -> list[str]:
    return sorted({name for name in _PLACEHOLDER.findall(body) if name not in PLACEHOLDERS})


def settings_for(db_session: DbSession, event: Event) -> DocumentSettings:
    """The event's document settings; a fresh unsaved default when the organizer has set none."""
    found = db_session.get(DocumentSettings, event.id)
    if found is not None:
        return found
    return DocumentSettings(event_id=event.id, letter_body=DEFAULT_LETTER, signatory_name="", signatory_title="",
                            letter_lead_days=30, certificate_rule=AttendanceRule.EITHER,
                            certificate_lists_sessions=True)


def save_settings(db_session: DbSession, event: Event, *, letter_body: str, signatory_name: str,
                  signatory_title: str, letter_lead_days: int, certificate_rule, certificate_lists_sessions: bool,
                  signature_png: bytes | None = None, logo_png: bytes | None = None,
                  remove_signature: bool = False, remove_logo: bool = False) -> DocumentSettings:
    unknown = unknown_placeholders(letter_body)
    if unknown:
        raise DomainError(_("Unknown placeholder %(names)s. Use only: %(allowed)s.",
                            names=", ".join("{" + n + "}" for n in unknown),
                            allowed=", ".join("{" + n + "}" for n in PLACEHOLDERS)), field="letter_body")
    settings = db_session.get(DocumentSettings, event.id)
    if settings is None:
        settings = DocumentSettings(event_id=event.id)
        db_session.add(settings)
    settings.letter_body = letter_body
    settings.signatory_name = signatory_name
    settings.signatory_title = signatory_title
    settings.letter_lead_days = letter_lead_days
    settings.certificate_rule = certificate_rule
    settings.certificate_lists_sessions = certificate_lists_sessions
    if signature_png is not None:
        settings.signature_png = signature_png
    elif remove_signature:
        settings.signature_png = None
    if logo_png is not None:
        settings.logo_png = logo_png
    elif remove_logo:
        settings.logo_png = None
    db_session.flush()
    return settings


# --- Passport details ---------------------------------------------------------------------------------

def save_passport(db_session: DbSession, reg: Registration, *, name_in_passport: str, nationality: str,
                  passport_number: str, date_of_birth: date, stay_from: date, stay_to: date,
                  actor) -> PassportDetails:
    if not reg.visa_letter:
        raise DomainError(_("This registration does not ask for a visa letter."))
    if stay_to < stay_from:
        raise DomainError(_("The last day of stay is before the first."), field="stay_to")
    if date_of_birth >= stay_from:
        raise DomainError(_("The date of birth must be before the stay."), field="date_of_birth")
    details = db_session.get(PassportDetails, reg.id)
    if details is None:
        details = PassportDetails(registration_id=reg.id)
        db_session.add(details)
    details.name_in_passport = name_in_passport
    details.nationality = nationality
    details.passport_number = passport_number
    details.date_of_birth = date_of_birth
    details.stay_from = stay_from
    details.stay_to = stay_to
    # No passport data in the note: the history is shown more widely than the details.
    db_session.add(RegistrationLog(registration_id=reg.id, actor_id=getattr(actor, "id", None),
                                   action="passport_details_saved"))
    db_session.flush()
    return details


# --- Issuing ------------------------------------------------------------------------------------------

def due_date(event: Event, settings: DocumentSettings) -> date:
    return event.start_date - timedelta(days=settings.letter_lead_days or 0)


def letter_fields(event: Event, reg: Registration, passport: PassportDetails, reference: str) -> dict[str, str]:
    return {
        "name": passport.name_in_passport, "nationality": passport.nationality,
        "passport_number": passport.passport_number, "date_of_birth": day_label(passport.date_of_birth, "long"),
        "stay": date_range(passport.stay_from, passport.stay_to), "event": localized(event, "title"),
        "dates": date_range(event.start_date, event.end_date),
        "place": ", ".join(p for p in (event.venue, event.city) if p),
        "economy": localized(reg.economy, "name"), "organisation": reg.organisation, "position": reg.position,
        "reference": reference,
    }


def fill_letter(body: str, fields: dict[str, str]) -> list[Markup]:
    """The letter's paragraphs as HTML: the organizer's text escaped, the placeholders filled in."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", body.replace("\r\n", "\n")) if p.strip()]

    def one(text: str) -> Markup:
        parts, last = [], 0
        for found in _PLACEHOLDER.finditer(text):
            parts.append(escape(text[last:found.start()]))
            value = fields.get(found.group(1))
            parts.append(escape(value) if value is not None else escape(found.group(0)))
            last = found.end()
        parts.append(escape(text[last:]))
        return Markup("<br>").join(Markup("").join(parts).split("\n"))

    return [one(p) for p in paragraphs]


def valid_document(db_session: DbSession, reg: Registration, kind: DocumentKind) -> IssuedDocument | None:
    return db_session.scalar(sa.select(IssuedDocument).where(
        IssuedDocument.registration_id == reg.id, IssuedDocument.kind == kind, IssuedDocument.revoked_at.is_(None)))


def _revoke(db_session: DbSession, doc: IssuedDocument, actor, action: str) -> None:
    doc.revoked_at = utcnow()
    doc.revoked_by_id = getattr(actor, "id", None)
    db_session.add(RegistrationLog(registration_id=doc.registration_id, actor_id=getattr(actor, "id", None),
                                   action=action, note=doc.reference))
    # The partial UNIQUE index must see the old letter revoked before the new one goes in.
    db_session.flush()


def issue_letter(db_session: DbSession, event: Event, reg: Registration, *, actor, today: date | None = None,
                 render) -> IssuedDocument:
    """Issue (or re-issue, revoking the valid one) the letter. `render(event, reg, passport, settings,
    reference)` returns the PDF's bytes (pdf.letter_pdf; a parameter so the service holds no HTML)."""
    today = today or utcnow().date()
    if reg.event_id != event.id:
        raise DomainError(_("This registration is not for this event."))
    if reg.status != RegistrationStatus.APPROVED:
        raise DomainError(_("A letter can be issued only for an approved registration; this one is %(status)s.",
                            status=reg.status.label.lower()))
    if event.end_date < today:
        raise DomainError(_("The event is over: no more letters can be issued."))
    if not reg.visa_letter:
        raise DomainError(_("This registration does not ask for a visa letter."))
    passport = db_session.get(PassportDetails, reg.id)
    if passport is None:
        raise DomainError(_("The passport details are missing: the delegate or their focal point enters them first."))
    previous = valid_document(db_session, reg, DocumentKind.VISA_LETTER)
    if previous is not None:
        _revoke(db_session, previous, actor, "visa_letter_superseded")
    settings = settings_for(db_session, event)
    reference = new_reference(DocumentKind.VISA_LETTER)
    with force_locale(recipient_language(event=event)):  # the letter speaks the event's language
        pdf = render(event, reg, passport, settings, reference)
    doc = IssuedDocument(reference=reference, kind=DocumentKind.VISA_LETTER, event_id=event.id,
                         registration_id=reg.id, holder_name=passport.name_in_passport,
                         holder_nationality=passport.nationality, issued_by_id=getattr(actor, "id", None), pdf=pdf)
    db_session.add(doc)
    db_session.add(RegistrationLog(registration_id=reg.id, actor_id=getattr(actor, "id", None),
                                   action="visa_letter_reissued" if previous else "visa_letter_issued",
                                   note=reference))
    db_session.flush()
    return doc


def revoke_letter(db_session: DbSession, reg: Registration, *, actor) -> IssuedDocument:
    doc = valid_document(db_session, reg, DocumentKind.VISA_LETTER)
    if doc is None:
        raise DomainError(_("There is no valid letter to revoke."))
    _revoke(db_session, doc, actor, "visa_letter_revoked")
    return doc


# --- The secretariat's list ---------------------------------------------------------------------------

@dataclass(frozen=True)
class LetterRow:
    registration: Registration
    passport: PassportDetails | None
    letter: IssuedDocument | None

    @property
    def state(self) -> str:
        if self.letter is not None:
            return "issued"
        return "pending" if self.passport is not None else "details_missing"


LETTER_STATES = {"details_missing": _l("Passport details missing"), "pending": _l("Ready to issue"),
                 "issued": _l("Issued")}


def letter_rows(db_session: DbSession, event: Event, *, state: str | None = None) -> list[LetterRow]:
    """Everyone of the event asking for a letter, with their details and valid letter: one query."""
    letter = aliased(IssuedDocument)
    query = (sa.select(Registration, PassportDetails, letter)
             .outerjoin(PassportDetails, PassportDetails.registration_id == Registration.id)
             .outerjoin(letter, sa.and_(letter.registration_id == Registration.id,
                                        letter.kind == DocumentKind.VISA_LETTER, letter.revoked_at.is_(None)))
             .where(Registration.event_id == event.id, Registration.visa_letter.is_(True),
                    Registration.status.in_(ACTIVE_STATUSES))
             .options(joinedload(Registration.economy))
             .order_by(Registration.family_name, Registration.given_name, Registration.id))
    if state == "issued":
        query = query.where(letter.id.is_not(None))
    elif state == "pending":
        query = query.where(letter.id.is_(None), PassportDetails.registration_id.is_not(None))
    elif state == "details_missing":
        query = query.where(PassportDetails.registration_id.is_(None))
    return [LetterRow(*row) for row in db_session.execute(query).unique()]
