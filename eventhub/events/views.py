from flask import Blueprint, abort, render_template
from flask_login import current_user, login_required

from eventhub.accounts.permissions import Action, can
from eventhub.events import queries
from eventhub.extensions import db

bp = Blueprint("events", __name__)


def load_event(slug: str, *, public: bool = True):
    """The event for a URL. Drafts exist only for their staff: everyone else gets 404."""
    event = queries.event_by_slug(db.session, slug)
    if event is None:
        abort(404)
    if public and not event.is_published and not can(current_user, Action.VIEW_DRAFT, event):
        if event.status.value == "draft":
            abort(404)
    return event


@bp.route("/")
def index():
    return render_template("events/index.html", events=queries.published_events(db.session))


@bp.route("/events/<slug>/")
def page(slug: str):
    event = load_event(slug)
    return render_template("events/page.html", event=event)


@bp.route("/my/events")
@login_required
def mine():
    return render_template("events/mine.html", staff_events=queries.staff_events(db.session, current_user))
