"""The phone desk: an installable page (manifest, service worker) that keeps checking people in
through a lost connection. It talks to the scanner API with a desk token that staff create for it
once (desk_tokens); the roster it keeps offline and the latest scans it polls are read here."""

from __future__ import annotations

import hashlib
import json

from flask import Response, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from eventhub.accounts.models import User
from eventhub.accounts.permissions import Action, authorize, can
from eventhub.attendance import desk_roster, desk_tokens, scopes
from eventhub.attendance.api_views import DESK_OTHER_EVENT, DESK_REVOKED
from eventhub.attendance.forms import EmptyForm
from eventhub.attendance.web import bp, load_event
from eventhub.db import utcnow
from eventhub.errors import DomainError
from eventhub.extensions import csrf, db

# What the service worker keeps for the desk to open without the network (besides the page itself).
SHELL_STATIC = ("desk/desk.css", "desk/desk.js", "desk/camera.js", "vendor/jsqr/jsQR.js", "favicon.svg")


def _shell_urls(slug: str) -> list[str]:
    return [url_for("attendance.desk_app", slug=slug), url_for("attendance.desk_manifest", slug=slug)] + [
        url_for("static", filename=name) for name in SHELL_STATIC]


@bp.route("/events/<slug>/desk/")
def desk_app(slug: str):
    """The desk's shell. It holds no personal data (the roster comes with the desk's token), so the
    service worker may keep it, and a desk whose sign-in expired still opens."""
    event = load_event(slug)
    signed_in = current_user.is_authenticated
    if signed_in and not can(current_user, Action.CHECK_IN, event):
        authorize(Action.CHECK_IN, event)  # 403, or 404 for a draft they may not see
    response = Response(render_template(
        "attendance/desk_app.html", slug=event.slug, form=EmptyForm(), signed_in=signed_in,
        login_url=url_for("accounts.login", next=request.path)))
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.route("/events/<slug>/desk/sw.js")
def desk_service_worker(slug: str):
    # Served from the desk's path so that its scope covers the desk page (and nothing else).
    urls = _shell_urls(slug)
    version = hashlib.sha256(json.dumps(urls).encode() + current_app.config.get("SHELL_VERSION", "1").encode())
    body = render_template("attendance/desk_sw.js", urls=urls, version=version.hexdigest()[:12])
    response = Response(body, mimetype="application/javascript")
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.route("/events/<slug>/desk/manifest.webmanifest")
def desk_manifest(slug: str):
    manifest = {
        "name": _("EventHub check-in desk"), "short_name": _("Check-in"),
        "start_url": url_for("attendance.desk_app", slug=slug), "scope": url_for("attendance.desk_app", slug=slug),
        "display": "standalone", "background_color": "#ffffff", "theme_color": "#1d4e89",
        "icons": [{"src": url_for("static", filename="favicon.svg"), "sizes": "any", "type": "image/svg+xml"}],
    }
    return Response(json.dumps(manifest, ensure_ascii=False), mimetype="application/manifest+json")


@bp.route("/events/<slug>/desk/token", methods=["POST"])
def desk_setup(slug: str):
    """Staff (signed in, with check-in rights) set this browser up as a desk: it gets its own token."""
    event = load_event(slug)
    if not current_user.is_authenticated:
        return jsonify({"result": "error", "message": _("Sign in first to set up this desk.")}), 401
    if not can(current_user, Action.CHECK_IN, event):
        return jsonify({"result": "error", "message": _("You may not check people in at this event.")}), 403
    if not EmptyForm().validate_on_submit():
        return jsonify({"result": "error", "message": _("The page was open too long: reload it and try again.")}), 400
    try:
        row, token = desk_tokens.issue_desk_token(db.session, event, current_user, request.form.get("desk", ""))
    except DomainError as exc:
        db.session.rollback()
        return jsonify({"result": "error", "message": exc.message, "field": exc.field}), 400
    db.session.commit()
    response = jsonify({"result": "ok", "token": token, "desk": row.desk})
    response.headers["Cache-Control"] = "no-store"
    return response


def _desk_caller(slug: str):
    """(event, user, desk) of the request's desk token, or an error answer for the desk to show."""
    header = request.headers.get("Authorization", "")
    token = header[7:].strip() if header[:7].lower() == "bearer " else ""
    row = desk_tokens.desk_token(db.session, token)
    if row is None:
        return None, (jsonify({"result": "error", "error": "unauthorized",
                               "message": _("Set this desk up again: its token is unknown.")}), 401)
    if not row.active:
        return None, (jsonify({"result": "error", "error": "revoked", "message": str(DESK_REVOKED)}), 401)
    event = load_event(slug)
    user = db.session.get(User, row.created_by_id)
    if event.id != row.event_id:
        return None, (jsonify({"result": "error", "error": "forbidden", "message": str(DESK_OTHER_EVENT)}), 403)
    if user is None or not user.active or not can(user, Action.CHECK_IN, event):
        return None, (jsonify({"result": "error", "error": "forbidden",
                               "message": _("The person who set up this desk may no longer check people in.")}), 403)
    return (event, user, row), None


def _scope(event):
    try:
        return scopes.parse_scope_key(db.session, event, request.args.get("scope")), None
    except DomainError as exc:
        return None, (jsonify({"result": "error", "error": "bad_request", "message": exc.message}), 400)


@bp.route("/api/events/<slug>/desk/roster")
@csrf.exempt
def desk_roster_api(slug: str):
    caller, error = _desk_caller(slug)
    if error:
        return error
    event, user, row = caller
    scope, error = _scope(event)
    if error:
        return error
    people = desk_roster.roster(db.session, event, scope, current_app.config["SECRET_KEY"])
    response = jsonify({
        "generated_at": utcnow().isoformat(), "event_id": event.id, "title": event.title,
        "timezone": event.timezone, "desk": row.desk, "scope": scope.key, "scope_label": scope.label,
        "scopes": [{"key": c.key, "label": c.label, "group": c.group} for c in scopes.scope_choices(db.session, event)],
        "can_override": can(user, Action.OVERRIDE_CHECK_IN, event),
        "people": people,
    })
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/api/events/<slug>/desk/recent")
@csrf.exempt
def desk_recent_api(slug: str):
    caller, error = _desk_caller(slug)
    if error:
        return error
    event, _user, _row = caller
    scope, error = _scope(event)
    if error:
        return error
    response = jsonify(desk_roster.recent(db.session, event, scope))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/events/<slug>/manage/desks/<int:token_id>/revoke", methods=["POST"])
def revoke_desk(slug: str, token_id: int):
    event = load_event(slug)
    authorize(Action.MANAGE_ROLES, event)
    if EmptyForm().validate_on_submit():
        try:
            row = desk_tokens.revoke_desk_token(db.session, event, token_id, by=current_user)
        except DomainError as exc:
            db.session.rollback()
            flash(exc.message, "error")
        else:
            name = row.desk or _("unnamed desk")
            db.session.commit()
            flash(_("Desk “%(desk)s” revoked: it stops at its next sync.", desk=name), "success")
    return redirect(url_for("events.staff", slug=event.slug))
