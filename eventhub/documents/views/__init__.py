"""The documents blueprint. Each view: one permission check through `authorize`, one service call,
one commit. PDFs of one page are drawn in the request; the bulk certificates PDF is drawn after the
transaction has committed (see certificates.py in this package)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("documents", __name__)

from eventhub.documents.views import certificates, letters, logistics, public, settings  # noqa: E402,F401


@bp.app_template_global("registration_documents")
def _registration_documents(event, reg) -> dict:
    from eventhub.documents.views.common import registration_documents

    return registration_documents(event, reg)


@bp.record_once
def _history_labels(_state) -> None:
    # The registration's history names what happened to its documents in the reader's language.
    from flask_babel import lazy_gettext as _l

    from eventhub.registration.display import HISTORY_ACTIONS

    HISTORY_ACTIONS.update({
        "passport_details_saved": _l("Passport details saved"), "visa_letter_issued": _l("Visa letter issued"),
        "visa_letter_reissued": _l("Visa letter re-issued"), "visa_letter_superseded": _l("Visa letter replaced"),
        "visa_letter_revoked": _l("Visa letter revoked"), "certificate_issued": _l("Certificate of attendance issued"),
    })
