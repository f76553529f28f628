"""The delegate's home page for an event (endpoint messages.home): what a delegate lands on after log-in."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user, login_required

from eventhub.accounts.permissions import Action, can
from eventhub.db import utcnow
from eventhub.extensions import db
from eventhub.messages.home import delegate_home
from eventhub.registration import services
from eventhub.registration.forms import ReasonForm
from eventhub.registration.views.common import load_event, own_registration

bp = Blueprint("messages", __name__)


@bp.route("/events/<slug>/home")
@login_required
def home(slug: str):
    event = load_event(slug)
    # Only the person's own registration: the page is found by the event, never by a registration id.
    reg = own_registration(event)
    if reg is None:
        return redirect(url_for("registration.mine"))
    data = delegate_home(db.session, event, reg, utcnow(), services.waitlist_position(db.session, reg))
    return render_template(
        "messages/home.html", event=event, reg=reg, home=data, cancel_form=ReasonForm(),
        can_edit=reg.is_active and can(current_user, Action.EDIT_REGISTRATION, event, registration=reg),
        can_book=data.approved and can(current_user, Action.BOOK_SESSIONS, event, registration=reg),
        badge=data.approved and can(current_user, Action.PRINT_BADGES, event, registration=reg),
        edits_open=utcnow() < services.edits_close_at(event))
