"""The registration blueprint (endpoints registration.*).

This package owns the blueprint; the view modules beside it register their routes on it and import
only downwards (common.py, then the services), never each other:

- common.py: what the pages share (loading the event and a registration with its permission check,
  showing a DomainError next to its field, the rate limit of the public forms)
- delegates.py: the economy's link, confirming a nomination, my registration, the participant list
- manage.py: focal points' and staff pages: delegations, nominations, imports, the staff list, exports
"""

from __future__ import annotations

from flask import Blueprint
from flask_login import current_user

from eventhub.extensions import db
from eventhub.registration import queries, services
from eventhub.registration.display import history_action, history_note

bp = Blueprint("registration", __name__)
# Globals, not context: the history macro is imported without the page's context.
bp.add_app_template_global(history_action, "history_action")
bp.add_app_template_global(history_note, "history_note")


@bp.app_context_processor
def _registration_helpers():
    def my_delegations(event):
        from eventhub.registration.delegations import user_delegations

        if not current_user.is_authenticated:
            return []
        return [d for d in user_delegations(db.session, current_user) if d.event_id == event.id]

    def is_registered(event) -> bool:
        """Whether the user has an active registration in the event (for "My programme" links)."""
        if not current_user.is_authenticated:
            return False
        return queries.has_active_registration(db.session, event, current_user)

    return {"my_delegations": my_delegations, "registration_window": services.window_text,
            "registration_window_sentence": services.window_sentence, "is_registered": is_registered}


# The view modules register their routes on bp (they import it from here, so it exists first).
from eventhub.registration.views import delegates, manage  # noqa: E402,F401

__all__ = ["bp"]
