"""The business-matching blueprint (endpoints matching.*).

This package owns the blueprint; the view modules beside it register their routes on it and import
only downwards (common.py, then the services), never each other:

- common.py: the participant of the request (settings, registration, profile)
- participants.py: profile, catalogue and suggestions, requests, my meetings
- organizer.py: settings, slots and tables, the schedule (run, preview, publish)
- onday.py: held / no-show, cancelling before the cut-off, the desk's list, tomorrow's schedules
- printouts.py: the personal schedule, the table plan and the table signs (PDF)
- firms.py: firms through the invitation link, profile images
"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("matching", __name__)



@bp.app_context_processor
def _matching_helpers():
    def matching_open(registration) -> bool:
        """Whether the registration's person takes part in its event's business matching (for links)."""
        from flask import g

        from eventhub.extensions import db
        from eventhub.matching.participants import settings_of, takes_part

        cache = g.setdefault("_matching_settings", {})
        if registration.event_id not in cache:
            cache[registration.event_id] = settings_of(db.session, registration.event_id)
        return takes_part(cache[registration.event_id], registration)

    def matching_meetings(registration) -> list:
        """The registration's scheduled business-matching meetings, for their programme page."""
        from eventhub.extensions import db
        from eventhub.matching.participants import profile_of
        from eventhub.matching.scheduling import meetings_of

        if registration is None or not matching_open(registration):
            return []
        profile = profile_of(db.session, registration.id)
        if profile is None:
            return []
        return [(m, m.other(profile.id)) for m in meetings_of(db.session, profile.id) if m.slot is not None]

    return {"matching_open": matching_open, "matching_meetings": matching_meetings}


# The view modules register their routes on bp (they import it from here, so it exists first).
from eventhub.matching.views import firms, onday, organizer, participants, printouts  # noqa: E402,F401

__all__ = ["bp"]
