"""The sign-ups blueprint (endpoints signups.*).

This package owns the blueprint; the view modules beside it register their routes on it and import
only downwards (common.py, then the services), never each other:

- common.py: what the pages share (the person acted for, the session of the URL, the way back)
- delegates.py: booking, cancelling, my programme, roundtable ranking
- allocation.py: the organizer's roundtable allocation
- staff.py: rosters, overrides (add beyond capacity, remove, move), vehicles and manifests
"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("signups", __name__)


@bp.app_context_processor
def _signup_helpers():
    from eventhub.signups.booking import signup_window

    return {"signup_window": signup_window}


# The view modules register their routes on bp (they import it from here, so it exists first).
from eventhub.signups.views import allocation, delegates, staff  # noqa: E402,F401

__all__ = ["bp"]
