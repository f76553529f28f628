"""The check-in desk, walk-ins and badges. The scanner API and the reports are in api_views.py
and report_views.py, registered on the same blueprint (web.bp)."""

from __future__ import annotations

import re

import sqlalchemy as sa
from flask import (
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.orm import joinedload

from eventhub.accounts.permissions import Action, authorize, can
from eventhub.attendance import badges as badge_builder
from eventhub.attendance import checkin, desk_queries, people, present, scopes
from eventhub.attendance.checkin import CheckInRefused
from eventhub.attendance.forms import (
    NUL_MESSAGE,
    BadgeFilterForm,
    EmptyForm,
    PersonCheckInForm,
    ScanForm,
    WalkInForm,
)
from eventhub.attendance.models import CheckInSource
from eventhub.attendance.walk_in import register_walk_in
from eventhub.attendance.web import bp, download, load_event, wants_json
from eventhub.economies.models import Economy
from eventhub.economies.services import economies_in_order
from eventhub.errors import DomainError
from eventhub.events.models import Event
from eventhub.extensions import db
from eventhub.i18n import localized
from eventhub.registration.models import Category, Delegation
from eventhub.web import add_domain_error, checks_own_input, parse_id

# Text typed into the scan field that looks like a name is searched instead of verified as a code.
_NAME_LIKE = re.compile(r"^[^\d/:.=_?&#]+$")


# --- Check-in desk ---------------------------------------------------------------------------------

def _desk_url(event: Event, scope_key: str | None, **kw) -> str:
    """The desk page again, keeping the chosen scope and the desk's name."""
    desk = (request.values.get("desk") or "").strip()[:60] or None
    return url_for("attendance.desk", slug=event.slug, scope=scope_key or None, desk=desk, **kw)


@bp.route("/events/<slug>/checkin")
@checks_own_input
def desk(slug: str):
    event = load_event(slug)
    authorize(Action.CHECK_IN, event)
    try:
        scope = scopes.parse_scope_key(db.session, event, request.args.get("scope"))
    except DomainError as exc:
        flash(exc.message, "error")
        scope = scopes.parse_scope_key(db.session, event, None)
    query = request.args.get("q", "").strip()[:100]
    desk = request.args.get("desk", "").strip()[:60]
    if "\x00" in query or "\x00" in desk:  # PostgreSQL cannot compare text holding one
        flash(_("Search text and desk names cannot contain a NUL character (\\0)."), "error")
        query, desk = query.replace("\x00", ""), desk.replace("\x00", "")
    results = people.search_registrations(db.session, event, query) if query else []
    shown = None
    person_id = parse_id(request.args.get("person"))
    if person_id:
        try:
            shown = people.registration_by_id(db.session, event, person_id)
        except CheckInRefused:
            shown = None
    cards = results + ([shown] if shown else [])
    states = desk_queries.scope_state(db.session, [r.id for r in cards], scope)
    return render_template(
        "attendance/desk.html", event=event, scope=scope, query=query, results=results, shown=shown,
        states=states, refusals=checkin.refusals(db.session, cards, scope), choices=scopes.scope_choices(db.session, event),
        recent=desk_queries.recent_checkins(db.session, event, scope), count=desk_queries.scope_count(db.session, scope, event),
        scan_form=ScanForm(formdata=None, scope=scope.key, desk=desk), desk=desk,
        person_form=PersonCheckInForm, undo_form=EmptyForm(),
        can_override=can(current_user, Action.OVERRIDE_CHECK_IN, event),
        can_walk_in=can(current_user, Action.REGISTER_WALK_IN, event),
        refused=request.args.get("refused") == "1", today=scopes.local_today(event),
    )


def _answer(event: Event, scope_key: str | None, payload: dict, *, status: int = 200, person_id: int | None = None):
    """Answer a desk action: JSON for the desk's script, or a flash message and the desk again
    (showing `person_id`, or the person of the payload)."""
    if wants_json():
        if payload.get("checkin") and payload["checkin"].get("id") and not payload["checkin"]["undone"]:
            payload["undo_url"] = url_for("attendance.undo", slug=event.slug, checkin_id=payload["checkin"]["id"])
        payload["can_override"] = can(current_user, Action.OVERRIDE_CHECK_IN, event)
        return jsonify(payload), status
    category = {"new": "success", "already_recorded": "warning", "refused": "error"}.get(payload["result"], "error")
    flash(payload["message"], category)
    for warning in payload.get("warnings", []):
        flash(warning, "warning")
    person = payload.get("person") or {}
    return redirect(_desk_url(event, scope_key, person=person.get("registration_id") or person_id,
                              refused="1" if payload["result"] in ("refused", "error") else None))


def _record(event: Event, form, find_registration, *, override: bool = False, override_reason: str | None = None):
    """Shared by the scan field and the person buttons: find, check in, commit once, answer."""
    registration = None
    try:
        scope = scopes.parse_scope_key(db.session, event, form.scope.data)
        registration = find_registration()
        outcome = checkin.check_in(db.session, event, registration, scope, by=current_user,
                                    source=CheckInSource.DESK, desk=form.desk.data or "",
                                    nonce=form.nonce.data or None, override=override,
                                    override_reason=override_reason)
    except CheckInRefused as exc:
        db.session.rollback()
        return _answer(event, form.scope.data, present.refusal_payload(exc))
    except DomainError as exc:
        person_id = registration.id if registration is not None else None
        db.session.rollback()
        return _answer(event, form.scope.data, {"result": "error", "message": exc.message, "person": None,
                                                "field": exc.field}, status=400, person_id=person_id)
    payload = present.outcome_payload(event, outcome, scope)
    db.session.commit()
    return _answer(event, scope.key, payload)


@bp.route("/events/<slug>/checkin/scan", methods=["POST"])
@checks_own_input
def scan(slug: str):
    event = load_event(slug)
    authorize(Action.CHECK_IN, event)
    form = ScanForm()
    if not form.validate_on_submit():
        message = _first_error(form) or _("Scan a badge or type its code.")
        if wants_json():
            return jsonify({"result": "error", "message": message, "person": None}), 400
        flash(message, "error")
        return redirect(_desk_url(event, form.scope.data))
    code = form.code.data.strip()
    if _NAME_LIKE.match(code):  # a name typed into the scan field: search for it
        target = _desk_url(event, form.scope.data, q=code)
        if wants_json():
            return jsonify({"result": "search", "message": _("Searching for “%(code)s”.", code=code),
                            "url": target})
        return redirect(target)
    secret = current_app.config["SECRET_KEY"]
    return _record(event, form, lambda: people.registration_for_badge(db.session, event, code, secret))


@bp.route("/events/<slug>/checkin/person", methods=["POST"])
@checks_own_input
def check_in_person(slug: str):
    event = load_event(slug)
    authorize(Action.CHECK_IN, event)
    form = PersonCheckInForm()
    if not form.validate_on_submit():
        message = _first_error(form)
        if message is None or not form.registration_id.data:
            abort(400)
        if wants_json():
            return jsonify({"result": "error", "message": message, "person": None}), 400
        flash(message, "error")
        return redirect(_desk_url(event, form.scope.data, person=form.registration_id.data, refused="1"))
    if form.override.data:
        authorize(Action.OVERRIDE_CHECK_IN, event)
    return _record(event, form, lambda: people.registration_by_id(db.session, event, form.registration_id.data),
                   override=bool(form.override.data), override_reason=form.override_reason.data)


@bp.route("/events/<slug>/checkin/walk-in", methods=["GET", "POST"])
@checks_own_input
def walk_in(slug: str):
    event = load_event(slug)
    authorize(Action.REGISTER_WALK_IN, event)
    form = WalkInForm(scope=request.args.get("scope", ""))
    form.economy.choices = [(0, _("— choose —"))] + [
        (e.id, localized(e, "name")) for e in economies_in_order(db.session)]
    if form.validate_on_submit():
        details = {name: getattr(form, name).data for name in
                   ("given_name", "family_name", "name_local", "organisation", "sex", "category", "funding")}
        try:
            scope = scopes.parse_scope_key(db.session, event, form.scope.data)
            done = register_walk_in(db.session, event, scope, economy_id=form.economy.data,
                                    email=form.email.data, details=details, actor=current_user,
                                    submission_key=form.submission_key.data or None)
        except DomainError as exc:
            db.session.rollback()
            _field_error(form, exc)
        else:
            if done.outcome is None:
                message = _("Walk-in registered as %(status)s, not checked in. %(refusal)s",
                            status=done.registration.status.label.lower(), refusal=done.refused.message)
                db.session.commit()
                flash(message, "warning")
                return redirect(_desk_url(event, scope.key, person=done.registration.id, refused="1"))
            payload = present.outcome_payload(event, done.outcome, scope)
            db.session.commit()
            flash(_("Walk-in registered. %(outcome)s", outcome=payload["message"]), "success")
            for warning in payload["warnings"]:
                flash(warning, "warning")
            return redirect(_desk_url(event, scope.key, person=done.registration.id))
    # As the other forms of the project: 422 when the form comes back with its errors.
    return render_template("attendance/walk_in.html", event=event, form=form), 422 if form.errors else 200


# The desk's hidden fields have no label of their own: named in a message about them.
HIDDEN_FIELD_NAMES = {"scope": _l("The scope"), "nonce": _l("The nonce"), "desk": _l("The desk")}


def _first_error(form) -> str | None:
    """The first error of a desk form's fields, named (for a flash message or the desk's script)."""
    for name, errors in form.errors.items():
        if errors and name != "csrf_token" and name in form._fields:
            if str(errors[0]) != str(NUL_MESSAGE):
                return str(errors[0])
            label = form[name].label.text if name not in ("scope", "nonce", "desk") else HIDDEN_FIELD_NAMES[name]
            return _("%(field)s: %(error)s", field=label, error=errors[0])
    return None


def _field_error(form, exc: DomainError) -> None:
    if exc.field and exc.field in form._fields:
        add_domain_error(form, exc)
    else:
        flash(exc.message, "error")


@bp.route("/events/<slug>/checkin/<int:checkin_id>/undo", methods=["POST"])
def undo(slug: str, checkin_id: int):
    event = load_event(slug)
    authorize(Action.CHECK_IN, event)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        undone = checkin.undo_check_in(db.session, event, checkin_id, by=current_user)
    except DomainError as exc:
        db.session.rollback()
        if wants_json():
            return jsonify({"result": "error", "message": exc.message}), 409
        flash(exc.message, "error")
        return redirect(_desk_url(event, request.form.get("scope")))
    message = _("Undone: %(name)s is no longer checked in for this.", name=undone.registration.badge_name)
    db.session.commit()
    if wants_json():
        return jsonify({"result": "undone", "message": message})
    flash(message, "info")
    return redirect(_desk_url(event, request.form.get("scope"), person=undone.registration_id))


@bp.route("/events/<slug>/registrations/<int:registration_id>/reissue-badge", methods=["POST"])
def reissue_badge(slug: str, registration_id: int):
    event = load_event(slug)
    authorize(Action.OVERRIDE_CHECK_IN, event)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        registration = people.registration_by_id(db.session, event, registration_id)
    except CheckInRefused:
        abort(404)
    people.reissue_badge(db.session, registration, by=current_user)
    db.session.commit()
    flash(_("New badge for %(name)s: print it now. The old badge no longer works.", name=registration.badge_name),
          "success")
    return redirect(url_for("attendance.badge_pdf", slug=event.slug, registration_id=registration.id, layout="single"))


# --- Badges ----------------------------------------------------------------------------------------

def _badge_scope(event: Event, delegation_id: int | None) -> Delegation | None:
    """Staff print any badges; a focal point only their delegation's. Returns the delegation, if any."""
    delegation = None
    if delegation_id is not None:
        delegation = db.session.get(Delegation, delegation_id)
        if delegation is None or delegation.event_id != event.id:
            abort(404)
    if can(current_user, Action.PRINT_BADGES, event):
        return delegation
    if delegation is None:
        authorize(Action.PRINT_BADGES, event)  # 401 for the anonymous, 403 otherwise
    authorize(Action.PRINT_BADGES, event, delegation=delegation)
    return delegation


def _badge_form(event: Event) -> BadgeFilterForm:
    form = BadgeFilterForm(request.args)
    delegations = db.session.scalars(
        sa.select(Delegation).join(Economy, Economy.id == Delegation.economy_id)
        .where(Delegation.event_id == event.id).options(joinedload(Delegation.economy))
        .order_by(Economy.sort_key)).all()
    staff = can(current_user, Action.PRINT_BADGES, event)
    choices = [(str(d.id), localized(d.economy, "name")) for d in delegations
               if staff or can(current_user, Action.PRINT_BADGES, event, delegation=d)]
    form.delegation.choices = ([("", _("All delegations"))] if staff else []) + choices
    return form


@bp.route("/events/<slug>/badges")
def badges(slug: str):
    event = load_event(slug)
    if not current_user.is_authenticated:
        abort(401)
    form = _badge_form(event)
    if not form.delegation.choices:
        abort(403)
    return render_template("attendance/badges.html", event=event, form=form)


@bp.route("/events/<slug>/badges.pdf")
def badges_pdf(slug: str):
    event = load_event(slug)
    delegation_id = None
    if request.args.get("delegation"):
        delegation_id = parse_id(request.args["delegation"])
        if delegation_id is None:
            abort(404)
    delegation = _badge_scope(event, delegation_id)
    category = request.args.get("category") or None
    if category is not None and category not in {c.value for c in Category}:
        abort(400)
    registrations = badge_builder.badge_registrations(
        db.session, event, delegation_id=delegation.id if delegation else None,
        category=Category(category) if category else None, include_pending=request.args.get("include_pending") == "y")
    built = badge_builder.make_badges(db.session, event, registrations, current_app.config["SECRET_KEY"])
    pdf = badge_builder.badges_pdf(event, built, layout=request.args.get("layout", "sheet"))
    suffix = f"-{delegation.economy.code.lower()}" if delegation else ""
    return download(pdf, "application/pdf", f"badges-{event.slug}{suffix}.pdf")


@bp.route("/events/<slug>/registrations/<int:registration_id>/badge.pdf")
def badge_pdf(slug: str, registration_id: int):
    event = load_event(slug)
    try:
        registration = people.registration_by_id(db.session, event, registration_id)
    except CheckInRefused:
        abort(404)
    authorize(Action.PRINT_BADGES, event, registration=registration, hide=True)
    built = badge_builder.make_badges(db.session, event, [registration], current_app.config["SECRET_KEY"])
    pdf = badge_builder.badges_pdf(event, built, layout=request.args.get("layout", "single"))
    return download(pdf, "application/pdf", f"badge-{registration.id}.pdf")


# The other attendance views register their routes on the same blueprint.
from eventhub.attendance import api_views, desk_api, desk_views, report_views  # noqa: E402,F401
