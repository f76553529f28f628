"""Public event pages and the organizer's set-up pages (/events/<slug>/manage/...)."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from markupsafe import Markup

from eventhub.accounts import services as accounts
from eventhub.accounts.models import EventRoleKind
from eventhub.accounts.permissions import (
    Action,
    authorize,
    authorize_create_event,
    can,
    can_create_events,
    is_staff,
)
from eventhub.accounts.views import password_link
from eventhub.attendance.desk_tokens import desk_tokens as event_desk_tokens
from eventhub.economies.services import economies_in_order
from eventhub.errors import DomainError, NotFound
from eventhub.events import queries, services
from eventhub.events import rooms as event_rooms
from eventhub.events.forms import EventForm, InviteForm, QuotaForm, RoomForm, StaffForm, StatusForm
from eventhub.events.models import EventStatus
from eventhub.events.nav import event_nav
from eventhub.extensions import db
from eventhub.i18n import localized
from eventhub.page_cache import page_cache
from eventhub.web import absolute_url, add_domain_error

bp = Blueprint("events", __name__)


@bp.app_context_processor
def _event_helpers():
    return {
        "is_event_staff": lambda event: is_staff(current_user, event),
        "can_create_events": lambda: can_create_events(current_user),
        "event_nav": event_nav,
    }


def load_event(slug: str, *, public: bool = True):
    """The event for a URL. Drafts exist only for their staff: everyone else gets 404."""
    event = queries.event_by_slug(db.session, slug)
    if event is None:
        abort(404)
    if public and event.status == EventStatus.DRAFT and not can(current_user, Action.VIEW_DRAFT, event):
        abort(404)
    return event


def _staff_event(slug: str, action: Action):
    """The event of a staff page, after the permission check (drafts answer 404 to outsiders)."""
    event = load_event(slug, public=False)
    authorize(action, event)
    return event


def _or_404(fn, *args):
    try:
        return fn(*args)
    except NotFound:
        abort(404)


# --- Public ---------------------------------------------------------------------------------------------

PER_PAGE = 30


@bp.route("/")
def index():
    today = date.today()
    page = request.args.get("page", "1")
    page = int(page) if page.isdigit() and 0 < int(page) < 10_000 else 1
    # The list is the same for everyone who reads a language: kept per worker (eventhub/page_cache.py)
    # until an event or an economy changes or the day turns (upcoming events become past ones).
    cache, key = page_cache("events"), (today, queries.public_list_stamp(db.session))
    listing = cache.get(page, key)
    if listing is None:
        upcoming, past, more = queries.public_events_page(db.session, today, page=page, per_page=PER_PAGE)
        listing = Markup(render_template("events/_list.html", upcoming=upcoming, past=past, page=page, older=more))
        cache.put(page, key, listing)
    return render_template("events/index.html", listing=listing)


@bp.route("/events/<slug>/")
def page(slug: str):
    event = load_event(slug)
    venue_rooms, offsite = queries.public_rooms(db.session, event)
    return render_template("events/page.html", event=event, venue_rooms=venue_rooms, offsite=offsite)


@bp.route("/my/events")
@login_required
def mine():
    """Where everyone lands after log-in: the events they work on, the delegations they manage, and
    their own registrations — each with the links they need next."""
    from eventhub.registration.delegations import user_delegations
    from eventhub.registration.queries import user_registrations

    others = queries.all_events(db.session) if current_user.is_admin else []
    return render_template("events/mine.html", staff_events=queries.staff_events(db.session, current_user),
                           delegations=user_delegations(db.session, current_user),
                           registrations=user_registrations(db.session, current_user), all_events=others)


# --- Creating and editing ------------------------------------------------------------------------------

@bp.route("/events/new", methods=["GET", "POST"])
def new():
    authorize_create_event()
    form = EventForm(economies=economies_in_order(db.session))
    if request.method == "GET":
        form.timezone.data = form.timezone.data or "Asia/Shanghai"
    if form.validate_on_submit():
        try:
            event = services.create_event(db.session, form.to_fields(), creator=current_user)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            db.session.commit()
            flash(_("“%(title)s” is created. You are its organizer. Next: add rooms and invite economies.",
                    title=localized(event, "title")), "success")
            return redirect(url_for("events.manage", slug=event.slug))
    return render_template("events/form.html", form=form, event=None,
                           timezones=services.timezone_names())


@bp.route("/events/<slug>/manage/details", methods=["GET", "POST"])
def edit(slug: str):
    event = _staff_event(slug, Action.EDIT_EVENT)
    form = EventForm(economies=economies_in_order(db.session))
    if request.method == "GET":
        form.fill_from(event)
    if form.validate_on_submit():
        try:
            services.update_event(db.session, event, form.to_fields())
        except DomainError as exc:
            db.session.rollback()
            add_domain_error(form, exc)
            event = load_event(slug, public=False)
        else:
            db.session.commit()
            flash(_("The event's details are saved."), "success")
            return redirect(url_for("events.manage", slug=event.slug))
    return render_template("events/form.html", form=form, event=event, timezones=services.timezone_names())


@bp.route("/events/<slug>/manage/status", methods=["POST"])
def set_status(slug: str):
    event = _staff_event(slug, Action.EDIT_EVENT)
    form = StatusForm()
    if not form.validate_on_submit():
        flash(_("Choose draft, published or closed."), "error")
        return redirect(url_for("events.manage", slug=slug))
    services.set_status(db.session, event, EventStatus(form.status.data))
    db.session.commit()
    flash({"draft": _("The event is a draft again: only its staff can see it."),
           "published": _("The event is published: it is on the public list."),
           "closed": _("The event is closed.")}[form.status.data], "success")
    return redirect(url_for("events.manage", slug=slug))


# --- The dashboard -------------------------------------------------------------------------------------

@bp.route("/events/<slug>/manage")
def manage(slug: str):
    event = _staff_event(slug, Action.VIEW_DASHBOARD)
    board = queries.dashboard(db.session, event)
    return render_template("events/manage.html", event=event, board=board, status_form=StatusForm())


# --- Rooms and off-site locations ----------------------------------------------------------------------

@bp.route("/events/<slug>/manage/rooms", methods=["GET", "POST"])
def rooms(slug: str):
    event = _staff_event(slug, Action.EDIT_EVENT)
    form = RoomForm()
    if form.validate_on_submit():
        try:
            room = event_rooms.add_room(db.session, event, form.to_fields())
        except DomainError as exc:
            db.session.rollback()
            add_domain_error(form, exc)
            event = load_event(slug, public=False)
        else:
            db.session.commit()
            flash(_("“%(name)s” is added.", name=localized(room, "name")), "success")
            return redirect(url_for("events.rooms", slug=slug))
    return render_template("events/rooms.html", event=event, form=form)


@bp.route("/events/<slug>/manage/rooms/<int:room_id>", methods=["GET", "POST"])
def edit_room(slug: str, room_id: int):
    event = _staff_event(slug, Action.EDIT_EVENT)
    room = _or_404(event_rooms.get_room, db.session, event, room_id)
    form = RoomForm(obj=room if request.method == "GET" else None)
    if request.method == "GET":
        form.kind.data = room.kind.value
    if form.validate_on_submit():
        try:
            event_rooms.update_room(db.session, room, form.to_fields())
        except DomainError as exc:
            db.session.rollback()
            add_domain_error(form, exc)
        else:
            db.session.commit()
            flash(_("“%(name)s” is saved.", name=localized(room, "name")), "success")
            return redirect(url_for("events.rooms", slug=slug))
    return render_template("events/room_form.html", event=event, room=room, form=form)


@bp.route("/events/<slug>/manage/rooms/<int:room_id>/delete", methods=["POST"])
def delete_room(slug: str, room_id: int):
    event = _staff_event(slug, Action.EDIT_EVENT)
    room = _or_404(event_rooms.get_room, db.session, event, room_id)
    name = localized(room, "name")
    try:
        event_rooms.delete_room(db.session, room)
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        db.session.commit()
        flash(_("“%(name)s” is deleted.", name=name), "success")
    return redirect(url_for("events.rooms", slug=slug))


# --- Invited economies ---------------------------------------------------------------------------------

def _render_delegations(event, invite_form, *, quota_errors=None, quota_values=None, status=200):
    return render_template(
        "events/delegations.html", event=event, invite_form=invite_form,
        delegations=queries.delegations(db.session, event), quota_form=QuotaForm(),
        quota_errors=quota_errors or {}, quota_values=quota_values or {},
    ), status


@bp.route("/events/<slug>/manage/economies", methods=["GET", "POST"])
def delegations(slug: str):
    event = _staff_event(slug, Action.EDIT_EVENT)
    form = InviteForm(economies=queries.economies_not_invited(db.session, event))
    if form.validate_on_submit():
        try:
            created = services.invite_economies(db.session, event, form.economy_ids.data, quota=form.quota.data)
        except DomainError as exc:
            db.session.rollback()
            add_domain_error(form, exc)
            event = load_event(slug, public=False)
        else:
            db.session.commit()
            flash(ngettext("Invited %(num)d economy.", "Invited %(num)d economies.", len(created)), "success")
            return redirect(url_for("events.delegations", slug=slug))
    return _render_delegations(event, form)


@bp.route("/events/<slug>/manage/economies/<int:delegation_id>/quota", methods=["POST"])
def set_quota(slug: str, delegation_id: int):
    event = _staff_event(slug, Action.EDIT_EVENT)
    delegation = _or_404(services.get_delegation, db.session, event, delegation_id)
    form = QuotaForm()
    follow_default = request.form.get("use_default") == "1"
    error = None
    if not form.validate_on_submit():
        error = next(iter(form.quota.errors), _("Enter a whole number of places."))
    elif form.quota.data is None and not follow_default:
        error = _("Enter a number of places, or choose “Use the default”.")
    else:
        try:
            services.set_delegation_quota(db.session, delegation, None if follow_default else form.quota.data)
        except DomainError as exc:
            db.session.rollback()
            error = exc.message
        else:
            name = localized(delegation.economy, "name")
            db.session.commit()
            if follow_default:
                message = ngettext("%(economy)s: %(num)d place (the event's default).",
                                   "%(economy)s: %(num)d places (the event's default).", delegation.quota, economy=name)
            else:
                message = ngettext("%(economy)s: %(num)d place.", "%(economy)s: %(num)d places.", delegation.quota,
                                   economy=name)
            flash(message, "success")
            return redirect(url_for("events.delegations", slug=slug) + f"#delegation-{delegation_id}")
    event = load_event(slug, public=False)
    invite_form = InviteForm(formdata=None, economies=queries.economies_not_invited(db.session, event))
    return _render_delegations(event, invite_form, quota_errors={delegation_id: error},
                               quota_values={delegation_id: request.form.get("quota", "")})


@bp.route("/events/<slug>/manage/economies/<int:delegation_id>/remove", methods=["POST"])
def remove_delegation(slug: str, delegation_id: int):
    event = _staff_event(slug, Action.EDIT_EVENT)
    delegation = _or_404(services.get_delegation, db.session, event, delegation_id)
    name = localized(delegation.economy, "name")
    try:
        services.remove_delegation(db.session, delegation)
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        db.session.commit()
        flash(_("The invitation of %(economy)s is withdrawn.", economy=name), "success")
    return redirect(url_for("events.delegations", slug=slug))


# --- Staff roles ---------------------------------------------------------------------------------------

@bp.route("/events/<slug>/manage/staff", methods=["GET", "POST"])
def staff(slug: str):
    event = _staff_event(slug, Action.MANAGE_ROLES)
    form = StaffForm()
    if form.validate_on_submit():
        try:
            _grant, created = accounts.grant_role(
                db.session, event, form.email.data, EventRoleKind(form.role.data), granted_by=current_user,
                secret_key=current_app.config["SECRET_KEY"], link_for=password_link,
                event_url=absolute_url("events.manage", slug=event.slug),
            )
        except DomainError as exc:
            db.session.rollback()
            add_domain_error(form, exc)
            event = load_event(slug, public=False)
        else:
            email = form.email.data.strip().lower()
            db.session.commit()
            role = EventRoleKind(form.role.data).label.lower()
            if created:
                message = _("%(email)s is now %(role)s. An account was created and a link to set its password "
                            "was e-mailed.", email=email, role=role)
            else:
                message = _("%(email)s is now %(role)s. They were told by e-mail.", email=email, role=role)
            flash(message, "success")
            return redirect(url_for("events.staff", slug=slug))
    return render_template("events/staff.html", event=event, form=form,
                           roles=accounts.event_staff(db.session, event),
                           desks=event_desk_tokens(db.session, event))


@bp.route("/events/<slug>/manage/staff/<int:role_id>/revoke", methods=["POST"])
def revoke_role(slug: str, role_id: int):
    event = _staff_event(slug, Action.MANAGE_ROLES)
    try:
        grant = accounts.revoke_role(db.session, event, role_id)
    except NotFound:
        abort(404)
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        label, email = grant.role.label.lower(), grant.user.email
        db.session.commit()
        flash(_("%(email)s is no longer %(role)s.", email=email, role=label), "success")
    return redirect(url_for("events.staff", slug=slug))
