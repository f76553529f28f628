"""Certificates of attendance, built from the check-ins.

Who attended follows the organizer's rule (DocumentSettings.certificate_rule): at least one day
check-in, at least one session check-in, or either. Undone check-ins never count; overridden ones
do (the secretariat recorded them deliberately). A certificate gets its reference the first time it
is made for a person and keeps it: downloading again, e-mailing or the bulk PDF print the same one.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session as DbSession
from sqlalchemy.orm import joinedload

from eventhub.agenda.models import Session
from eventhub.attendance.models import CheckIn
from eventhub.documents.models import AttendanceRule, DocumentKind, IssuedDocument
from eventhub.documents.verification import new_reference
from eventhub.economies.models import Economy
from eventhub.errors import DomainError
from eventhub.events.models import Event
from eventhub.registration.models import Registration, RegistrationLog


def _attended(event: Event, rule: AttendanceRule):
    """A condition on Registration: has an active check-in the rule counts."""
    kinds = {AttendanceRule.DAY: CheckIn.session_id.is_(None), AttendanceRule.SESSION: CheckIn.session_id.is_not(None),
             AttendanceRule.EITHER: sa.true()}[rule]
    return (sa.select(CheckIn.id).where(CheckIn.registration_id == Registration.id, CheckIn.event_id == event.id,
                                        CheckIn.undone_at.is_(None), kinds).exists())


@dataclass
class CertificateItem:
    """One certificate to print: plain values, so the PDF can be drawn after the transaction ends."""

    reference: str
    name: str
    name_local: str
    economy: str
    sessions: list[str] = field(default_factory=list)


def eligible(db_session: DbSession, event: Event, rule: AttendanceRule,
             registration_ids: list[int] | None = None) -> list[Registration]:
    query = (sa.select(Registration).join(Economy, Economy.id == Registration.economy_id)
             .where(Registration.event_id == event.id, Registration.personal_data_purged_at.is_(None),
                    _attended(event, rule))
             .options(joinedload(Registration.economy))
             .order_by(Economy.sort_key, Registration.family_name, Registration.given_name, Registration.id))
    if registration_ids is not None:
        query = query.where(Registration.id.in_(registration_ids))
    return list(db_session.scalars(query))


def is_eligible(db_session: DbSession, event: Event, reg: Registration, rule: AttendanceRule) -> bool:
    return bool(eligible(db_session, event, rule, [reg.id]))


def _sessions_attended(db_session: DbSession, event: Event, ids: list[int]) -> dict[int, list[Session]]:
    found: dict[int, list[Session]] = defaultdict(list)
    if not ids:
        return found
    rows = db_session.execute(
        sa.select(CheckIn.registration_id, Session).join(Session, Session.id == CheckIn.session_id)
        .where(CheckIn.event_id == event.id, CheckIn.undone_at.is_(None), CheckIn.registration_id.in_(ids))
        .order_by(Session.starts_at, Session.id))
    for reg_id, session in rows:
        if session not in found[reg_id]:
            found[reg_id].append(session)
    return found


def certificates_for(db_session: DbSession, event: Event, registrations: list[Registration], *, actor,
                     with_sessions: bool, localized) -> list[CertificateItem]:
    """The certificates of these (eligible) people, giving a reference to those who have none yet.
    Set-based: one read of the existing references, one INSERT batch, one read of the sessions."""
    ids = [r.id for r in registrations]
    existing = dict(db_session.execute(
        sa.select(IssuedDocument.registration_id, IssuedDocument.reference)
        .where(IssuedDocument.registration_id.in_(ids), IssuedDocument.kind == DocumentKind.CERTIFICATE,
               IssuedDocument.revoked_at.is_(None))).all()) if ids else {}
    new_docs, new_logs = [], []
    for reg in registrations:
        if reg.id not in existing:
            existing[reg.id] = new_reference(DocumentKind.CERTIFICATE)
            new_docs.append({"reference": existing[reg.id], "kind": DocumentKind.CERTIFICATE, "event_id": event.id,
                             "registration_id": reg.id, "holder_name": reg.full_name, "holder_nationality": "",
                             "issued_by_id": getattr(actor, "id", None)})
            new_logs.append({"registration_id": reg.id, "actor_id": getattr(actor, "id", None),
                             "action": "certificate_issued", "note": existing[reg.id]})
    if new_docs:
        db_session.execute(sa.insert(IssuedDocument), new_docs)
        db_session.execute(sa.insert(RegistrationLog), new_logs)
    sessions = _sessions_attended(db_session, event, ids) if with_sessions else {}
    return [CertificateItem(existing[r.id], r.full_name, (r.name_local or "").strip(), localized(r.economy, "name"),
                            [localized(s, "title") for s in sessions.get(r.id, [])]) for r in registrations]


def certificate_of(db_session: DbSession, event: Event, reg: Registration, rule: AttendanceRule, *, actor,
                   with_sessions: bool, localized) -> CertificateItem:
    if reg.event_id != event.id or not is_eligible(db_session, event, reg, rule):
        raise DomainError(_("No certificate: the check-ins do not show attendance of %(event)s.",
                            event=localized(event, "title")))
    return certificates_for(db_session, event, [reg], actor=actor, with_sessions=with_sessions,
                            localized=localized)[0]
