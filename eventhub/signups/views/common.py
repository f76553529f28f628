"""What the sign-up pages share. Imports nothing of the other view modules."""

from __future__ import annotations

from datetime import datetime

from flask import abort, redirect, request, url_for
from flask_login import current_user

from eventhub.accounts.permissions import Action, authorize
from eventhub.agenda.models import Session
from eventhub.extensions import db
from eventhub.registration.models import Registration
from eventhub.signups import queries
from eventhub.web import parse_id, safe_next


def registration_for(event, raw_id: str | None) -> Registration | None:
    """The person acted for: the given registration (checked; a malformed or huge id is a 404),
    else — when none is given — the user's own."""
    if raw_id not in (None, ""):
        registration_id = parse_id(raw_id)
        if registration_id is None:
            abort(404)
        reg = db.session.get(Registration, registration_id)
        if reg is None or reg.event_id != event.id:
            abort(404)
        authorize(Action.BOOK_SESSIONS, event, registration=reg)
        return reg
    return queries.own_registration(db.session, event.id, current_user)


def session_of(event, session_id: int) -> Session:
    """The session of the URL, which must belong to the event (404 otherwise)."""
    s = db.session.get(Session, session_id)
    if s is None or s.event_id != event.id:
        abort(404)
    return s


def back_to(event, session_id: int):
    """Back to the page the form came from (a same-site path only, see eventhub.web.safe_next), else the session."""
    return redirect(safe_next(request.form.get("next"),
                              url_for("agenda.session", slug=event.slug, session_id=session_id)))


def parse_slot(value: str | None) -> datetime | None:
    """A roundtable slot from a form: an ISO date-time with its offset, else None."""
    try:
        moment = datetime.fromisoformat(value or "")
    except ValueError:
        return None
    return moment if moment.tzinfo else None
