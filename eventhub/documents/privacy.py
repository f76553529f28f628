"""What the purge of personal data (registration/privacy.py) removes of the documents: the passport
details, the stored letter PDFs, and the holder's name and nationality copied for verification (the
verification page then still says a document with that reference was issued, for whom no longer)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session as DbSession

from eventhub.accounts.permissions import Action, can
from eventhub.documents.models import IssuedDocument, PassportDetails


def purge_documents(db_session: DbSession, registration_ids) -> None:
    """`registration_ids`: a subquery of the ids being purged. Set-based, two statements."""
    db_session.execute(sa.delete(PassportDetails).where(PassportDetails.registration_id.in_(registration_ids))
                       .execution_options(synchronize_session=False))
    db_session.execute(sa.update(IssuedDocument).where(IssuedDocument.registration_id.in_(registration_ids))
                       .values(holder_name="(removed)", holder_nationality="", pdf=None)
                       .execution_options(synchronize_session=False))


def personal_data(db_session: DbSession, event, reg, reader) -> dict:
    """The documents part of the person's data download. Passport details only for who may see them
    (the person, their focal point, the secretariat) — the download is open to more people."""
    docs = db_session.scalars(sa.select(IssuedDocument).where(IssuedDocument.registration_id == reg.id)
                              .order_by(IssuedDocument.id)).all()
    out: dict = {"documents": [{"kind": d.kind.value, "reference": d.reference, "issued_at": d.issued_at.isoformat(),
                                "revoked_at": d.revoked_at.isoformat() if d.revoked_at else None} for d in docs]}
    passport = db_session.get(PassportDetails, reg.id)
    if passport is not None and can(reader, Action.VIEW_PASSPORT, event, registration=reg):
        out["passport"] = {"name_in_passport": passport.name_in_passport, "nationality": passport.nationality,
                           "passport_number": passport.passport_number,
                           "date_of_birth": passport.date_of_birth.isoformat(),
                           "stay_from": passport.stay_from.isoformat(), "stay_to": passport.stay_to.isoformat()}
    return out
