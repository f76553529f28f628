"""Badges, the check-in desk, the scanner API, API tokens, and the attendance reports."""

from __future__ import annotations

import re
from datetime import date, datetime

import sqlalchemy as sa
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload

from eventhub.accounts.permissions import Action, authorize, can
from eventhub.agenda.models import Session, SessionKind
from eventhub.attendance import badges as badge_builder
from eventhub.attendance import exports, present, reports, services
from eventhub.attendance.charts import summary_charts
from eventhub.attendance.forms import (
    BadgeFilterForm,
    EmptyForm,
    PersonCheckInForm,
    ReportFilterForm,
    ScanForm,
    WalkInForm,
)
from eventhub.attendance.models import CheckInSource
from eventhub.attendance.services import CheckInRefused
from eventhub.economies.models import Economy
from eventhub.economies.services import economies_in_order
from eventhub.errors import DomainError
from eventhub.events.models import Event
from eventhub.extensions import csrf, db
from eventhub.registration.models import Category, Delegation

bp = Blueprint("attendance", __name__)

# Text typed into the scan field that looks like a name is searched instead of verified as a code.
_NAME_LIKE = re.compile(r"^[^\d/:.=_?&#]+$")


def _event(slug: str) -> Event:
    event = db.session.scalar(sa.select(Event).where(Event.slug == slug))
    if event is None:
        abort(404)
    return event


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


def _download(data: bytes, mimetype: str, filename: str) -> Response:
    return Response(data, mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "private, no-store"})


# --- Check-in desk ---------------------------------------------------------------------------------

def _desk_url(event: Event, scope_key: str | None, **kw) -> str:
    """The desk page again, keeping the chosen scope and the desk's name."""
    desk = (request.values.get("desk") or "").strip()[:60] or None
    return url_for("attendance.desk", slug=event.slug, scope=scope_key or None, desk=desk, **kw)


@bp.route("/events/<slug>/checkin")
def desk(slug: str):
    event = _event(slug)
    authorize(Action.CHECK_IN, event)
    try:
        scope = services.parse_scope_key(db.session, event, request.args.get("scope"))
    except DomainError as exc:
        flash(exc.message, "error")
        scope = services.parse_scope_key(db.session, event, None)
    query = request.args.get("q", "").strip()[:100]
    desk = request.args.get("desk", "").strip()[:60]
    results = services.search_registrations(db.session, event, query) if query else []
    shown = None
    person_id = request.args.get("person", type=int)
    if person_id:
        try:
            shown = services.registration_by_id(db.session, event, person_id)
        except CheckInRefused:
            shown = None
    states = services.scope_state(db.session, [r.id for r in results] + ([shown.id] if shown else []), scope)
    return render_template(
        "attendance/desk.html", event=event, scope=scope, query=query, results=results, shown=shown,
        states=states, choices=services.scope_choices(db.session, event),
        recent=services.recent_checkins(db.session, event, scope), count=services.scope_count(db.session, scope, event),
        scan_form=ScanForm(formdata=None, scope=scope.key, desk=desk), desk=desk,
        person_form=PersonCheckInForm, undo_form=EmptyForm(),
        can_override=can(current_user, Action.OVERRIDE_CHECK_IN, event),
        can_walk_in=can(current_user, Action.REGISTER_WALK_IN, event) and "attendance.walk_in" in current_app.view_functions,
        refused=request.args.get("refused") == "1",
    )


def _answer(event: Event, scope_key: str | None, payload: dict, *, status: int = 200):
    """Answer a desk action: JSON for the desk's script, or a flash message and the desk again."""
    if _wants_json():
        if payload.get("checkin") and payload["checkin"].get("id") and not payload["checkin"]["undone"]:
            payload["undo_url"] = url_for("attendance.undo", slug=event.slug, checkin_id=payload["checkin"]["id"])
        payload["can_override"] = can(current_user, Action.OVERRIDE_CHECK_IN, event)
        return jsonify(payload), status
    category = {"new": "success", "already_recorded": "warning", "refused": "error"}.get(payload["result"], "error")
    flash(payload["message"], category)
    for warning in payload.get("warnings", []):
        flash(warning, "warning")
    person = payload.get("person") or {}
    return redirect(_desk_url(event, scope_key, person=person.get("registration_id"),
                              refused="1" if payload["result"] == "refused" else None))


def _record(event: Event, form, find_registration, *, override: bool = False):
    """Shared by the scan field and the person buttons: find, check in, commit once, answer."""
    try:
        scope = services.parse_scope_key(db.session, event, form.scope.data)
        registration = find_registration()
        outcome = services.check_in(db.session, event, registration, scope, by=current_user,
                                    source=CheckInSource.DESK, desk=form.desk.data or "",
                                    nonce=form.nonce.data or None, override=override)
    except CheckInRefused as exc:
        db.session.rollback()
        return _answer(event, form.scope.data, present.refusal_payload(exc))
    except DomainError as exc:
        db.session.rollback()
        return _answer(event, form.scope.data, {"result": "error", "message": exc.message, "person": None},
                       status=400)
    payload = present.outcome_payload(event, outcome, scope)
    db.session.commit()
    return _answer(event, scope.key, payload)


@bp.route("/events/<slug>/checkin/scan", methods=["POST"])
def scan(slug: str):
    event = _event(slug)
    authorize(Action.CHECK_IN, event)
    form = ScanForm()
    if not form.validate_on_submit():
        message = "Scan a badge or type its code."
        if _wants_json():
            return jsonify({"result": "error", "message": message, "person": None}), 400
        flash(message, "error")
        return redirect(_desk_url(event, form.scope.data))
    code = form.code.data.strip()
    if _NAME_LIKE.match(code):  # a name typed into the scan field: search for it
        target = _desk_url(event, form.scope.data, q=code)
        if _wants_json():
            return jsonify({"result": "search", "message": f"Searching for “{code}”.", "url": target})
        return redirect(target)
    secret = current_app.config["SECRET_KEY"]
    return _record(event, form, lambda: services.registration_for_badge(db.session, event, code, secret))


@bp.route("/events/<slug>/checkin/person", methods=["POST"])
def check_in_person(slug: str):
    event = _event(slug)
    authorize(Action.CHECK_IN, event)
    form = PersonCheckInForm()
    if not form.validate_on_submit():
        abort(400)
    if form.override.data:
        authorize(Action.OVERRIDE_CHECK_IN, event)
    return _record(event, form, lambda: services.registration_by_id(db.session, event, form.registration_id.data),
                   override=bool(form.override.data))


@bp.route("/events/<slug>/checkin/walk-in", methods=["GET", "POST"])
def walk_in(slug: str):
    event = _event(slug)
    authorize(Action.REGISTER_WALK_IN, event)
    form = WalkInForm(scope=request.args.get("scope", ""))
    form.economy.choices = [(0, "— choose —")] + [
        (e.id, e.name) for e in economies_in_order(db.session)]
    if form.validate_on_submit():
        details = {name: getattr(form, name).data for name in
                   ("given_name", "family_name", "name_local", "organisation", "sex", "category", "funding")}
        try:
            scope = services.parse_scope_key(db.session, event, form.scope.data)
            if not form.economy.data:
                raise DomainError("Choose the economy.", field="economy")
            outcome = services.register_walk_in(db.session, event, scope, economy_id=form.economy.data,
                                                email=form.email.data, details=details, actor=current_user,
                                                submission_key=form.submission_key.data or None)
        except DomainError as exc:
            db.session.rollback()
            _field_error(form, exc)
        else:
            payload = present.outcome_payload(event, outcome, scope)
            db.session.commit()
            flash("Walk-in registered. " + payload["message"], "success")
            for warning in payload["warnings"]:
                flash(warning, "warning")
            return redirect(_desk_url(event, scope.key, person=outcome.registration.id))
    return render_template("attendance/walk_in.html", event=event, form=form), 200 if not form.errors else 400


def _field_error(form, exc: DomainError) -> None:
    if exc.field and exc.field in form._fields:
        form[exc.field].errors = [*form[exc.field].errors, exc.message]
    else:
        flash(exc.message, "error")


@bp.route("/events/<slug>/checkin/<int:checkin_id>/undo", methods=["POST"])
def undo(slug: str, checkin_id: int):
    event = _event(slug)
    authorize(Action.CHECK_IN, event)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        checkin = services.undo_check_in(db.session, event, checkin_id, by=current_user)
    except DomainError as exc:
        db.session.rollback()
        if _wants_json():
            return jsonify({"result": "error", "message": exc.message}), 409
        flash(exc.message, "error")
        return redirect(_desk_url(event, request.form.get("scope")))
    message = f"Undone: {checkin.registration.badge_name} is no longer checked in for this."
    db.session.commit()
    if _wants_json():
        return jsonify({"result": "undone", "message": message})
    flash(message, "info")
    return redirect(_desk_url(event, request.form.get("scope"), person=checkin.registration_id))


@bp.route("/events/<slug>/registrations/<int:registration_id>/reissue-badge", methods=["POST"])
def reissue_badge(slug: str, registration_id: int):
    event = _event(slug)
    authorize(Action.OVERRIDE_CHECK_IN, event)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        registration = services.registration_by_id(db.session, event, registration_id)
    except CheckInRefused:
        abort(404)
    services.reissue_badge(db.session, registration, by=current_user)
    db.session.commit()
    flash(f"New badge for {registration.badge_name}: print it now. The old badge no longer works.", "success")
    return redirect(url_for("attendance.badge_pdf", slug=event.slug, registration_id=registration.id, layout="single"))


# --- Scanner API -------------------------------------------------------------------------------------

def _api_error(status: int, message: str, error: str):
    return jsonify({"result": "error", "error": error, "message": message}), status


def _parse_time(value) -> datetime | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise DomainError("scanned_at must be an ISO 8601 time with its UTC offset.", field="scanned_at")
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise DomainError("scanned_at must be an ISO 8601 time with its UTC offset.", field="scanned_at") from exc
    if moment.tzinfo is None:
        raise DomainError("scanned_at must carry its UTC offset (e.g. 2025-06-28T09:02:00+08:00).",
                          field="scanned_at")
    return moment


def _int_or_none(data: dict, key: str) -> int | None:
    value = data.get(key)
    if value in (None, ""):
        return None
    if isinstance(value, bool) or not isinstance(value, int | str) or not str(value).isdigit():
        raise DomainError(f"{key} must be a number.", field=key)
    return int(value)


@bp.route("/api/events/<slug>/checkins", methods=["POST"])
@csrf.exempt
def api_checkin(slug: str):
    """Record a scan from a scanner app. Authorization: Bearer <API token>.

    Body: {"nonce": "...", "token": "<badge code>" | "registration_id": 12, "scanned_at": ISO 8601,
           "day": "2025-06-28" | "session_id": 3 [, "vehicle_id": 2], "desk": "Gate A", "override": false}
    Answers 201 new, 200 already recorded, 422 refused (with "reason"), each with the person.
    """
    header = request.headers.get("Authorization", "")
    token = header[7:].strip() if header[:7].lower() == "bearer " else ""
    user = services.user_for_api_token(db.session, token)
    if user is None:
        return _api_error(401, "Send a valid API token: Authorization: Bearer <token>.", "unauthorized")
    event = _event(slug)
    if not can(user, Action.CHECK_IN, event):
        return _api_error(403, "This token's user may not check people in at this event.", "forbidden")
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        return _api_error(400, "Send a JSON object.", "bad_request")
    override = data.get("override") is True
    if override and not can(user, Action.OVERRIDE_CHECK_IN, event):
        return _api_error(403, "Only the secretariat may check in a cancelled or declined registration.", "forbidden")
    nonce = data.get("nonce")
    if not isinstance(nonce, str) or not nonce.strip():
        return _api_error(400, "Send a client-generated nonce (8 to 64 characters) with every scan.", "bad_request")
    try:
        scanned_at = _parse_time(data.get("scanned_at"))
        day = None
        if data.get("day"):
            try:
                day = date.fromisoformat(str(data["day"]))
            except ValueError as exc:
                raise DomainError("day must be a date like 2025-06-28.", field="day") from exc
        session_id = _int_or_none(data, "session_id")
        if day is None and session_id is None and scanned_at is not None:
            day = scanned_at.astimezone(event.tz).date()
        scope = services.resolve_scope(db.session, event, day=day, session_id=session_id,
                                       vehicle_id=_int_or_none(data, "vehicle_id"))
        if data.get("token"):
            registration = services.registration_for_badge(db.session, event, str(data["token"]),
                                                           current_app.config["SECRET_KEY"])
        elif data.get("registration_id") is not None:
            registration = services.registration_by_id(db.session, event, _int_or_none(data, "registration_id"))
        else:
            raise DomainError("Send the badge's token or a registration_id.", field="token")
        outcome = services.check_in(db.session, event, registration, scope, by=user, source=CheckInSource.API,
                                    desk=str(data.get("desk") or "")[:60], scanned_at=scanned_at, nonce=nonce,
                                    override=override)
    except CheckInRefused as exc:
        db.session.rollback()
        return jsonify(present.refusal_payload(exc)), 422
    except DomainError as exc:
        db.session.rollback()
        return _api_error(400, exc.message, "bad_request")
    payload = present.outcome_payload(event, outcome, scope)
    db.session.commit()
    return jsonify(payload), 201 if outcome.is_new else 200


# --- API tokens --------------------------------------------------------------------------------------

@bp.route("/my/api-token", methods=["GET", "POST"])
@login_required
def api_token():
    form = EmptyForm()
    token = None
    if form.validate_on_submit():
        if request.form.get("action") == "revoke":
            services.revoke_api_token(db.session, current_user)
            db.session.commit()
            flash("Your API token is revoked: scanner apps using it stop working now.", "info")
            return redirect(url_for("attendance.api_token"))
        token = services.issue_api_token(db.session, current_user)
        db.session.commit()
    response = Response(render_template("attendance/api_token.html", form=form, token=token,
                                        has_token=bool(current_user.api_token_hash)))
    response.headers["Cache-Control"] = "no-store"
    return response


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
    choices = [(str(d.id), d.economy.name) for d in delegations
               if staff or can(current_user, Action.PRINT_BADGES, event, delegation=d)]
    form.delegation.choices = ([("", "All delegations")] if staff else []) + choices
    return form


@bp.route("/events/<slug>/badges")
def badges(slug: str):
    event = _event(slug)
    if not current_user.is_authenticated:
        abort(401)
    form = _badge_form(event)
    if not form.delegation.choices:
        abort(403)
    return render_template("attendance/badges.html", event=event, form=form)


@bp.route("/events/<slug>/badges.pdf")
def badges_pdf(slug: str):
    event = _event(slug)
    delegation_id = request.args.get("delegation", type=int)
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
    return _download(pdf, "application/pdf", f"badges-{event.slug}{suffix}.pdf")


@bp.route("/events/<slug>/registrations/<int:registration_id>/badge.pdf")
def badge_pdf(slug: str, registration_id: int):
    event = _event(slug)
    try:
        registration = services.registration_by_id(db.session, event, registration_id)
    except CheckInRefused:
        abort(404)
    authorize(Action.PRINT_BADGES, event, registration=registration, hide=True)
    built = badge_builder.make_badges(db.session, event, [registration], current_app.config["SECRET_KEY"])
    pdf = badge_builder.badges_pdf(event, built, layout=request.args.get("layout", "single"))
    return _download(pdf, "application/pdf", f"badge-{registration.id}.pdf")


# --- Attendance reports ------------------------------------------------------------------------------

def _report_filters(event: Event) -> tuple[ReportFilterForm, reports.Filters]:
    form = ReportFilterForm(request.args)
    form.day.choices = [("", "All days")] + [(d.isoformat(), d.strftime("%a %-d %b %Y"))
                                             for d in services.event_days(event)]
    form.kind.choices = [("", "All sessions and days")] + [(k.value, k.label)
                                                           for k in reports.session_kinds_in_use(db.session, event)]
    filters = reports.Filters()
    if form.day.data and form.day.data in {v for v, _ in form.day.choices}:
        filters.day = date.fromisoformat(form.day.data)
    if form.kind.data and form.kind.data in {k.value for k in SessionKind}:
        filters.kind = SessionKind(form.kind.data)
    return form, filters


def _summary(slug: str):
    event = _event(slug)
    authorize(Action.VIEW_REPORTS, event)
    form, filters = _report_filters(event)
    return event, form, reports.build_summary(db.session, event, filters)


def _export_name(event: Event, filters: reports.Filters, ext: str) -> str:
    parts = [f"attendance-{event.slug}"]
    if filters.day:
        parts.append(filters.day.isoformat())
    if filters.kind:
        parts.append(filters.kind.value)
    return "-".join(parts) + f".{ext}"


@bp.route("/events/<slug>/reports/attendance")
def summary(slug: str):
    event, form, built = _summary(slug)
    return render_template("attendance/summary.html", event=event, form=form, s=built, charts=summary_charts(built),
                           for_pdf=False)


@bp.route("/events/<slug>/reports/attendance.csv")
def summary_csv(slug: str):
    event, _form, built = _summary(slug)
    return _download(exports.to_csv(exports.summary_tables(built)), "text/csv; charset=utf-8",
                     _export_name(event, built.filters, "csv"))


@bp.route("/events/<slug>/reports/attendance.xlsx")
def summary_xlsx(slug: str):
    event, _form, built = _summary(slug)
    data = exports.to_xlsx(exports.summary_tables(built), title=f"Attendance — {event.title}")
    return _download(data, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                     _export_name(event, built.filters, "xlsx"))


@bp.route("/events/<slug>/reports/attendance.pdf")
def summary_pdf(slug: str):
    from pathlib import Path

    event, form, built = _summary(slug)
    html = render_template("attendance/summary_pdf.html", event=event, form=form, s=built,
                           charts=summary_charts(built), for_pdf=True)
    return _download(exports.html_to_pdf(html, base_dir=Path(current_app.static_folder)), "application/pdf",
                     _export_name(event, built.filters, "pdf"))


def _report_session(event: Event, session_id: int) -> Session:
    session = db.session.get(Session, session_id)
    if session is None or session.event_id != event.id:
        abort(404)
    return session


@bp.route("/events/<slug>/reports/sessions/<int:session_id>")
def session_list(slug: str, session_id: int):
    event = _event(slug)
    authorize(Action.VIEW_REPORTS, event)
    session = _report_session(event, session_id)
    entries = reports.session_attendance(db.session, event, session)
    return render_template("attendance/session_list.html", event=event, session=session, entries=entries)


@bp.route("/events/<slug>/reports/sessions/<int:session_id>.csv")
def session_list_csv(slug: str, session_id: int):
    event = _event(slug)
    authorize(Action.VIEW_REPORTS, event)
    session = _report_session(event, session_id)
    table = exports.session_list_table(event, reports.session_attendance(db.session, event, session))
    return _download(exports.to_csv([table]), "text/csv; charset=utf-8", f"attendance-session-{session.id}.csv")
