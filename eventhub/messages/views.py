"""The delegate's home page for an event (endpoint messages.home): what a delegate lands on after log-in."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from eventhub.accounts.permissions import Action, can
from eventhub.db import utcnow
from eventhub.extensions import db
from eventhub.i18n import localized
from eventhub.messages.home import delegate_home
from eventhub.registration import queries, services
from eventhub.registration.forms import ReasonForm
from eventhub.registration.views.common import load_event

bp = Blueprint("messages", __name__)


@bp.route("/events/<slug>/home")
@login_required
def home(slug: str):
    event = load_event(slug)
    # Only the person's own registration: the page is found by the event, never by a registration id.
    reg = queries.registration_for_user(db.session, event, current_user)
    if reg is None:
        flash(_("You have no registration for %(event)s under %(email)s. Register through the link your "
                "economy's focal point sent you.", event=localized(event, "title"), email=current_user.email),
              "info")
        return redirect(url_for("registration.mine"))
    data = delegate_home(db.session, event, reg, utcnow(), services.waitlist_position(db.session, reg))
    return render_template(
        "messages/home.html", event=event, reg=reg, home=data, cancel_form=ReasonForm(),
        can_edit=reg.is_active and can(current_user, Action.EDIT_REGISTRATION, event, registration=reg),
        can_book=data.approved and can(current_user, Action.BOOK_SESSIONS, event, registration=reg),
        badge=data.approved and can(current_user, Action.PRINT_BADGES, event, registration=reg),
        edits_open=utcnow() < services.edits_close_at(event))
