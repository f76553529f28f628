"""What the registration pages share. Imports nothing of the other view modules."""

from __future__ import annotations

from flask import abort, current_app

from eventhub.accounts.permissions import Action, authorize
from eventhub.errors import DomainError
from eventhub.extensions import db
from eventhub.registration import queries
from eventhub.web import add_domain_error


def load_event(slug: str):
    """The event of the URL (404 when unknown; a draft only for those who may see it)."""
    from eventhub.events.views import load_event as load

    return load(slug)


def own_registration(event):
    """The logged-in person's registration for `event`; None — after telling them how to register —
    when they have none (the caller sends them to their registrations)."""
    from flask import flash
    from flask_babel import gettext as _
    from flask_login import current_user

    from eventhub.i18n import localized

    reg = queries.registration_for_user(db.session, event, current_user)
    if reg is None:
        flash(_("You have no registration for %(event)s under %(email)s. Register through the link your "
                "economy's focal point sent you.", event=localized(event, "title"), email=current_user.email),
              "info")
    return reg


def add_error(form, exc: DomainError) -> None:
    """Roll back what the service did, then show its message next to its field."""
    db.session.rollback()
    add_domain_error(form, exc)


def registration_limit() -> str:
    """The rate limit of the public registration forms (flask-limiter calls it per request)."""
    return current_app.config.get("REGISTRATION_RATE_LIMIT", "30 per minute")


def limits_disabled() -> bool:
    return not current_app.config.get("RATELIMIT_ENABLED", True)


def load_registration(slug: str, registration_id: int, action: Action) -> tuple:
    """(event, registration) of the URL, after checking that the user may do `action` on it (404 if not)."""
    event = load_event(slug)
    reg = queries.load_registration(db.session, event, registration_id)
    if reg is None:
        abort(404)
    authorize(action, event, registration=reg, hide=True)
    return event, reg
