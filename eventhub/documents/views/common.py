"""What the documents views share."""

from __future__ import annotations

from flask import Response
from flask_login import current_user

from eventhub.accounts.permissions import Action, can
from eventhub.documents.forms import EmptyForm
from eventhub.documents.models import DocumentKind, PassportDetails
from eventhub.extensions import db
from eventhub.registration.views.common import load_event, load_registration  # noqa: F401


def pdf_response(data: bytes, filename: str) -> Response:
    # Letters carry passport details: never kept by a shared cache.
    return Response(data, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"})


def registration_documents(event, reg) -> dict:
    """The documents block of a registration's page: what this reader may see and do."""
    from eventhub.documents import letters
    from eventhub.documents.certificates import is_eligible

    out: dict = {"letter": None, "passport": None, "can_passport": False, "certificate": False,
                 "email_form": EmptyForm()}
    if reg.personal_data_purged_at is not None:
        return out
    if reg.visa_letter and can(current_user, Action.VIEW_PASSPORT, event, registration=reg):
        out["can_passport"] = True
        out["passport"] = db.session.get(PassportDetails, reg.id)
        out["letter"] = letters.valid_document(db.session, reg, DocumentKind.VISA_LETTER)
    # Whoever attended, whatever the registration's state now (an overridden check-in counts).
    settings = letters.settings_for(db.session, event)
    out["certificate"] = is_eligible(db.session, event, reg, settings.certificate_rule)
    return out
