"""What the purge of personal data (registration/privacy.py) removes of the documents: the passport
details, the stored letter PDFs, and the holder's name and nationality copied for verification (the
verification page then still says a document with that reference was issued, for whom no longer)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session as DbSession

from eventhub.documents.models import IssuedDocument, PassportDetails


def purge_documents(db_session: DbSession, registration_ids) -> None:
    """`registration_ids`: a subquery of the ids being purged. Set-based, two statements."""
    db_session.execute(sa.delete(PassportDetails).where(PassportDetails.registration_id.in_(registration_ids))
                       .execution_options(synchronize_session=False))
    db_session.execute(sa.update(IssuedDocument).where(IssuedDocument.registration_id.in_(registration_ids))
                       .values(holder_name="(removed)", holder_nationality="", pdf=None)
                       .execution_options(synchronize_session=False))
