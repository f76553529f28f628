"""What the phone desk asks with its desk token: its offline roster, the latest scans of its scope
(polled, so every desk of a scope sees the others' scans) and walk-ins (sent at once online, or
from the desk's queue when the network is back). Scans go to the scanner API (api_views)."""

from __future__ import annotations

from datetime import datetime

from flask import current_app, jsonify, request
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from eventhub.accounts.models import User
from eventhub.accounts.permissions import Action, can
from eventhub.attendance import checkin, desk_roster, desk_settings, desk_tokens, present, scopes
from eventhub.attendance.api_views import DESK_OTHER_EVENT, DESK_REVOKED, BadBody, json_body
from eventhub.attendance.forms import WalkInForm
from eventhub.attendance.walk_in import register_walk_in
from eventhub.attendance.web import bp, load_event
from eventhub.db import utcnow
from eventhub.economies.services import economies_in_order
from eventhub.errors import DomainError
from eventhub.extensions import csrf, db
from eventhub.i18n import localized

WALK_IN_FIELDS = ("given_name", "family_name", "name_local", "email", "economy", "organisation", "sex",
                  "category", "funding", "submission_key", "scope")


def _error(status: int, error: str, message: str, **extra):
    return jsonify({"result": "error", "error": error, "message": message, **extra}), status


def desk_caller(slug: str):
    """(event, user, desk) of the request's desk token, or an error answer for the desk to show."""
    header = request.headers.get("Authorization", "")
    token = header[7:].strip() if header[:7].lower() == "bearer " else ""
    row = desk_tokens.desk_token(db.session, token)
    if row is None:
        return None, _error(401, "unauthorized", _("Set this desk up again: its token is unknown."))
    if not row.active:
        return None, _error(401, "revoked", str(DESK_REVOKED))
    event = load_event(slug)
    user = db.session.get(User, row.created_by_id)
    if event.id != row.event_id:
        return None, _error(403, "forbidden", str(DESK_OTHER_EVENT))
    if user is None or not user.active or not can(user, Action.CHECK_IN, event):
        return None, _error(403, "forbidden", _("The person who set up this desk may no longer check people in."))
    return (event, user, row), None


def _scope(event, key):
    try:
        return scopes.parse_scope_key(db.session, event, key), None
    except DomainError as exc:
        return None, _error(400, "bad_request", exc.message)


def _no_store(response):
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/api/events/<slug>/desk/roster")
@csrf.exempt
def desk_roster_api(slug: str):
    caller, error = desk_caller(slug)
    if error:
        return error
    event, user, row = caller
    scope, error = _scope(event, request.args.get("scope"))
    if error:
        return error
    people = desk_roster.roster(db.session, event, scope, current_app.config["SECRET_KEY"])
    can_walk_in = can(user, Action.REGISTER_WALK_IN, event)
    return _no_store(jsonify({
        "generated_at": utcnow().isoformat(), "event_id": event.id, "title": localized(event, "title"),
        "timezone": event.timezone, "desk": row.desk, "scope": scope.key, "scope_label": scope.label,
        "scopes": [{"key": c.key, "label": c.label, "group": c.group} for c in scopes.scope_choices(db.session, event)],
        "can_override": can(user, Action.OVERRIDE_CHECK_IN, event),
        "can_walk_in": can_walk_in,
        "economies": [{"id": e.id, "name": localized(e, "name")} for e in economies_in_order(db.session)]
        if can_walk_in else [],
        "max_age_hours": desk_settings.roster_max_hours(db.session, event),
        "people": people,
    }))


@bp.route("/api/events/<slug>/desk/recent")
@csrf.exempt
def desk_recent_api(slug: str):
    caller, error = desk_caller(slug)
    if error:
        return error
    event, _user, _row = caller
    scope, error = _scope(event, request.args.get("scope"))
    if error:
        return error
    return _no_store(jsonify(desk_roster.recent(db.session, event, scope)))


def _walk_in_form(data: dict) -> WalkInForm:
    values = MultiDict({k: str(data[k]) for k in WALK_IN_FIELDS if isinstance(data.get(k), str | int)
                        and not isinstance(data.get(k), bool)})
    form = WalkInForm(formdata=values, meta={"csrf": False})
    form.economy.choices = [(0, "")] + [(e.id, localized(e, "name")) for e in economies_in_order(db.session)]
    return form


@bp.route("/api/events/<slug>/desk/walk-ins", methods=["POST"])
@csrf.exempt
def desk_walk_in_api(slug: str):
    """A walk-in from the phone desk: registered, approved (if there is a place) and checked in.

    Body: the walk-in form's fields as JSON, with "submission_key" (the desk's nonce: sent again,
    it finds the walk-in it made), "scope" and "scanned_at" (when the desk took it). Answers 201
    checked in, 200 sent before, 422 registered but not checked in (e.g. waitlisted), 400 with
    "errors" by field.
    """
    caller, error = desk_caller(slug)
    if error:
        return error
    event, user, row = caller
    if not can(user, Action.REGISTER_WALK_IN, event):
        # Its own code: the desk lists this walk-in as refused and goes on sending its other scans.
        return _error(403, "walk_in_forbidden", _("Only the secretariat or an organizer may register walk-ins."))
    try:
        data = json_body()
    except BadBody as exc:
        return _error(exc.status, "bad_request", exc.message)
    if not isinstance(data, dict):
        return _error(400, "bad_request", _("Send a JSON object."))
    form = _walk_in_form(data)
    if not form.submission_key.data or not 8 <= len(form.submission_key.data) <= 64:
        return _error(400, "bad_request", _("Send a client-generated nonce (8 to 64 characters) with every scan."))
    if not form.validate():
        errors = {name: str(messages[0]) for name, messages in form.errors.items() if messages}
        return _error(400, "invalid", next(iter(errors.values())), errors=errors)
    scope, error = _scope(event, form.scope.data)
    if error:
        return error
    details = {name: getattr(form, name).data for name in
               ("given_name", "family_name", "name_local", "organisation", "sex", "category", "funding")}
    try:
        scanned_at = _scanned_at(event, data.get("scanned_at"))
        done = register_walk_in(db.session, event, scope, economy_id=form.economy.data, email=form.email.data,
                                details=details, actor=user, submission_key=form.submission_key.data,
                                scanned_at=scanned_at)
    except DomainError as exc:
        db.session.rollback()
        errors = {exc.field: exc.message} if exc.field else {}
        return _error(400, "invalid", exc.message, errors=errors)
    if done.outcome is None:
        payload = {"result": "refused", "person": present.person(done.registration),
                   "message": _("Walk-in registered as %(status)s, not checked in. %(refusal)s",
                                status=done.registration.status.label.lower(), refusal=done.refused.message)}
        db.session.commit()
        return jsonify(payload), 422
    payload = present.outcome_payload(event, done.outcome, scope)
    payload["message"] = _("Walk-in registered. %(outcome)s", outcome=payload["message"])
    db.session.commit()
    return jsonify(payload), 201 if done.outcome.is_new else 200


def _scanned_at(event, value) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise DomainError(_("scanned_at must be an ISO 8601 time with its UTC offset."), field="scanned_at") from exc
    return checkin.scan_time(event, moment)
