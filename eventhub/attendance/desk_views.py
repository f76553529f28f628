"""The phone desk: an installable page (manifest, service worker) that keeps checking people in
through a lost connection. It talks to the scanner API with a desk token that staff create for it
once (desk_tokens); what else it asks with that token is in desk_api. The event's desk settings
and the revoking of a desk are here too."""

from __future__ import annotations

import hashlib
import json

from flask import Response, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from eventhub.accounts.permissions import Action, authorize, can
from eventhub.attendance import desk_settings, desk_tokens
from eventhub.attendance.forms import EmptyForm
from eventhub.attendance.web import bp, load_event
from eventhub.economies.services import economies_in_order
from eventhub.errors import DomainError
from eventhub.extensions import db
from eventhub.i18n import localized
from eventhub.registration.models import CATEGORY_LABELS, Funding, Sex
from eventhub.web import add_domain_error

# What the service worker keeps for the desk to open without the network (besides the page itself).
SHELL_STATIC = ("desk/desk.css", "desk/store.js", "desk/desk.js", "desk/camera.js", "desk/people.js", "desk/keep.js",
                "vendor/jsqr/jsQR.js", "favicon.svg")
# Set when a browser is set up as a desk (it holds no secret: the desk's token is in IndexedDB), so
# that a desk whose sign-in expired still opens, while anyone else is sent to log in.
DESK_COOKIE = "eventhub_desk"
DESK_COOKIE_DAYS = 60


def _shell_urls(slug: str) -> list[str]:
    return [url_for("attendance.desk_app", slug=slug), url_for("attendance.desk_manifest", slug=slug)] + [
        url_for("static", filename=name) for name in SHELL_STATIC]


@bp.route("/events/<slug>/desk/")
def desk_app(slug: str):
    """The desk's shell. It holds no personal data (the roster comes with the desk's token), so the
    service worker may keep it, and a desk whose sign-in expired still opens (it carries the desk
    cookie). Anyone else who is not signed in is sent to log in, not shown a desk that cannot work."""
    event = load_event(slug)
    signed_in = current_user.is_authenticated
    if not signed_in and request.cookies.get(DESK_COOKIE) != event.slug:
        authorize(Action.CHECK_IN, event)  # to the login page (404 for a draft)
    if signed_in and not can(current_user, Action.CHECK_IN, event):
        authorize(Action.CHECK_IN, event)  # 403, or 404 for a draft they may not see
    response = Response(render_template(
        "attendance/desk_app.html", slug=event.slug, form=EmptyForm(), signed_in=signed_in,
        login_url=url_for("accounts.login", next=request.path), event_url=url_for("events.page", slug=event.slug),
        economies=[(e.id, localized(e, "name")) for e in economies_in_order(db.session)],
        sexes=[(s.value, s.label) for s in Sex], categories=list(CATEGORY_LABELS.items()),
        fundings=[(f.value, f.label) for f in Funding]))
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
    response.set_cookie(DESK_COOKIE, event.slug, max_age=DESK_COOKIE_DAYS * 86400,
                        path=url_for("attendance.desk_app", slug=event.slug), samesite="Lax",
                        secure=current_app.config.get("SESSION_COOKIE_SECURE", False), httponly=False)
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


@bp.route("/events/<slug>/manage/desks/settings", methods=["GET", "POST"])
def desk_settings_page(slug: str):
    event = load_event(slug)
    authorize(Action.EDIT_EVENT, event)
    form = desk_settings.DeskSettingsForm(
        data={"roster_max_hours": desk_settings.roster_max_hours(db.session, event)} if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            desk_settings.set_roster_max_hours(db.session, event, form.roster_max_hours.data)
        except DomainError as exc:
            db.session.rollback()
            add_domain_error(form, exc)
        else:
            db.session.commit()
            flash(_("Saved: desks warn when their list is older than %(hours)d hours.",
                    hours=form.roster_max_hours.data), "success")
            return redirect(url_for("events.staff", slug=event.slug) + "#desks")
    return render_template("attendance/desk_settings.html", event=event, form=form), 422 if form.errors else 200


@bp.app_template_global()
def desk_roster_max_hours(event) -> int:
    """For the staff page's list of desks (events/staff.html includes attendance/_desk_tokens.html)."""
    return desk_settings.roster_max_hours(db.session, event)
