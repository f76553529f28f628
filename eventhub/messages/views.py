"""The delegate's home page for an event (endpoint messages.home): what a delegate lands on after log-in."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user, login_required

from eventhub.accounts.permissions import Action, can
from eventhub.calendars.views import personal_calendar_links
from eventhub.db import utcnow
from eventhub.extensions import db
from eventhub.messages.home import delegate_home, focal_checklists
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
    # A focal point's version: each delegation's checklist per person (beside their own, if registered).
    delegations = focal_checklists(db.session, event, current_user, utcnow())
    if reg is None and not delegations:
        return redirect(url_for("registration.mine"))
    if reg is None:
        return render_template("messages/home_focal.html", event=event, delegations=delegations)
    data = delegate_home(db.session, event, reg, utcnow(), services.waitlist_position(db.session, reg))
    return render_template(
        "messages/home.html", event=event, reg=reg, home=data, cancel_form=ReasonForm(), delegations=delegations,
        calendar=personal_calendar_links(reg) if data.approved else None,
        can_edit=reg.is_active and can(current_user, Action.EDIT_REGISTRATION, event, registration=reg),
        can_book=data.approved and can(current_user, Action.BOOK_SESSIONS, event, registration=reg),
        badge=data.approved and can(current_user, Action.PRINT_BADGES, event, registration=reg),
        edits_open=utcnow() < services.edits_close_at(event))


# The organizer's pages for automatic e-mails register on this blueprint when imported.
from eventhub.messages import text_views  # noqa: E402,F401
