"""The scanner app's JSON API and the page where staff get their API token."""

from __future__ import annotations

import json
from datetime import date, datetime

from flask import Response, abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from eventhub.accounts.permissions import Action, can
from eventhub.attendance import api_access, checkin, people, present, scopes
from eventhub.attendance.checkin import CheckInRefused
from eventhub.attendance.forms import EmptyForm
from eventhub.attendance.models import CheckInSource
from eventhub.attendance.tokens import read_badge
from eventhub.attendance.web import bp
from eventhub.db import commit_keeping_loaded, end_read_phase, set_write_intent
from eventhub.errors import DomainError
from eventhub.extensions import csrf, db
from eventhub.i18n import SOURCE_LANGUAGE, match, prefer
from eventhub.web import checks_own_input, parse_id

# --- Scanner API -------------------------------------------------------------------------------------

DESK_REVOKED = _l("This desk's access was revoked on the staff page. Nothing more is sent: ask the "
                  "secretariat to sign in and set the desk up again.")
DESK_OTHER_EVENT = _l("This desk is set up for another event.")

# A scan is a flat object of a few short fields: anything much bigger or deeper is not a scan.
MAX_BODY_BYTES = 64 * 1024
MAX_JSON_DEPTH = 4


class BadBody(Exception):
    """A request body the API refuses before reading anything else: `status` and a readable message."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message, self.status = message, status


def json_body():
    """The request's JSON (None when it sent none or not JSON), or BadBody for a body too large,
    nested deeper than MAX_JSON_DEPTH (a parser's recursion is never reached for a scan: thousands of
    levels are refused, arrays and objects alike, not a server error) or holding a NUL character in
    any text (SQLite's length() stops at it, PostgreSQL refuses it in text columns)."""
    if not request.is_json:
        return None
    if (request.content_length or 0) > MAX_BODY_BYTES:
        raise BadBody(_("The request is too large: send one scan per request."), 413)
    raw = request.get_data(cache=True)
    if len(raw) > MAX_BODY_BYTES:
        raise BadBody(_("The request is too large: send one scan per request."), 413)
    try:
        data = json.loads(raw)
    except RecursionError as exc:
        raise BadBody(_too_deep()) from exc
    except ValueError:  # not JSON, or not UTF-8
        return None
    pending = [(data, 1, None)]
    while pending:  # iterative: no recursion on what the client sent
        value, depth, key = pending.pop()
        if depth > MAX_JSON_DEPTH:
            raise BadBody(_too_deep())
        if isinstance(value, str):
            if "\x00" in value:
                if key and "\x00" not in key:
                    raise BadBody(_("Text must not contain a NUL character (in “%(key)s”).", key=key))
                raise BadBody(_("Text must not contain a NUL character."))
        elif isinstance(value, dict):
            for k, v in value.items():
                pending.append((k, depth, k))
                pending.append((v, depth + 1, k))
        elif isinstance(value, list):
            pending.extend((item, depth + 1, key) for item in value)
    return data


def _too_deep() -> str:
    return _("The JSON is nested too deeply: a scan is one object (at most %(depth)d levels).", depth=MAX_JSON_DEPTH)


def _api_error(status: int, message: str, error: str):
    return jsonify({"result": "error", "error": error, "message": message}), status


def _answer_in_readers_language(event) -> None:
    """Answer in the scanner app's Accept-Language, else the event's default language, chosen from
    what was read: left to the i18n selector, the event's default would be read again (one more
    statement for every scan)."""
    wanted = next((match(code) for code, _quality in request.accept_languages if match(code)), None)
    prefer(wanted or match(event.default_language) or SOURCE_LANGUAGE)


def _parse_time(value) -> datetime | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise DomainError(_("scanned_at must be an ISO 8601 time with its UTC offset."), field="scanned_at")
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise DomainError(_("scanned_at must be an ISO 8601 time with its UTC offset."),
                          field="scanned_at") from exc
    if moment.tzinfo is None:
        raise DomainError(_("scanned_at must carry its UTC offset (e.g. 2025-06-28T09:02:00+08:00)."),
                          field="scanned_at")
    return moment


def _refused(exc: CheckInRefused):
    # The answer is built from what was read before the rollback expires it (no second read).
    payload = present.refusal_payload(exc)
    db.session.rollback()
    set_write_intent(False)
    return jsonify(payload), 422


def _plausible_id(value) -> int | None:
    """An id to read by, or None for anything that cannot be one (refused later, with a message)."""
    return None if isinstance(value, bool) or not isinstance(value, int | str) else parse_id(value)


def _int_or_none(data: dict, key: str) -> int | None:
    value = data.get(key)
    if value in (None, ""):
        return None
    number = _plausible_id(value)
    if number is None:
        raise DomainError(_("%(key)s must be a positive whole number (an id).", key=key), field=key)
    return number


@bp.route("/api/events/<slug>/checkins", methods=["POST"])
@checks_own_input
@csrf.exempt
def api_checkin(slug: str):
    """Record a scan from a scanner app. Authorization: Bearer <API token>.

    Body: {"nonce": "...", "token": "<badge code>" | "registration_id": 12, "scanned_at": ISO 8601,
           "day": "2025-06-28" | "session_id": 3 [, "vehicle_id": 2], "desk": "Gate A", "override": false,
           "override_reason": "…" (needed with override)}
    Answers 201 new, 200 already recorded, 422 refused (with "reason"), each with the person. Only
    approved registrations with a confirmed booking (for a bookable session) are recorded without
    an override.
    """
    # Everything up to the INSERT only reads, outside SQLite's write lock, so that many scanners
    # do not queue behind each other; the INSERT relies on the unique indexes, not on the reads.
    set_write_intent(False)
    header = request.headers.get("Authorization", "")
    token = header[7:].strip() if header[:7].lower() == "bearer " else ""
    try:
        data, bad_body = json_body(), None
    except BadBody as exc:
        data, bad_body = None, exc
    body = data if isinstance(data, dict) else {}
    secret = current_app.config["SECRET_KEY"]
    # One statement reads the caller, the event, and the session and person the scan names (ids
    # that make no sense read nothing here and are refused below, once the caller is known).
    claim = read_badge(secret, body["token"]) if isinstance(body.get("token"), str) and body["token"] else None
    reads = api_access.api_reads(db.session, token, slug, session_id=_plausible_id(body.get("session_id")),
                               registration_id=claim.registration_id if claim is not None
                               else _plausible_id(body.get("registration_id")))
    user, event = reads.user, reads.event
    if reads.revoked:
        return _api_error(401, str(DESK_REVOKED), "revoked")
    if user is None:
        return _api_error(401, _("Send a valid API token: Authorization: Bearer <token>."), "unauthorized")
    if event is None and reads.desk is not None:
        return _api_error(403, str(DESK_OTHER_EVENT), "forbidden")
    if event is None:
        abort(404)
    _answer_in_readers_language(event)
    if not can(user, Action.CHECK_IN, event):
        return _api_error(403, _("This token's user may not check people in at this event."), "forbidden")
    if bad_body is not None:
        return _api_error(bad_body.status, bad_body.message, "bad_request")
    if not isinstance(data, dict):
        return _api_error(400, _("Send a JSON object."), "bad_request")
    for key in ("token", "nonce", "desk", "day", "scanned_at", "override_reason"):
        if data.get(key) is not None and not isinstance(data[key], str):
            return _api_error(400, _("%(key)s must be text.", key=key), "bad_request")
    override = data.get("override") is True
    if override and not can(user, Action.OVERRIDE_CHECK_IN, event):
        return _api_error(403, _("Only the secretariat may record an override."), "forbidden")
    override_reason = data.get("override_reason")
    nonce = data.get("nonce")
    if not isinstance(nonce, str) or not nonce.strip():
        return _api_error(400, _("Send a client-generated nonce (8 to 64 characters) with every scan."),
                          "bad_request")
    try:
        scanned_at = _parse_time(data.get("scanned_at"))
        if scanned_at is not None:
            scanned_at = checkin.scan_time(event, scanned_at)
        day = None
        if data.get("day"):
            try:
                day = date.fromisoformat(data["day"])
            except ValueError as exc:
                raise DomainError(_("day must be a date like 2025-06-28."), field="day") from exc
        session_id = _int_or_none(data, "session_id")
        if day is None and session_id is None and scanned_at is not None:
            day = scanned_at.astimezone(event.tz).date()
        scope = scopes.scope_of(db.session, event, day=day, session_id=session_id, session=reads.session,
                                  vehicle_id=_int_or_none(data, "vehicle_id"))
        if data.get("token"):
            registration = people.badge_holder(people.badge_claim(event, claim),
                                                 reads.registration, reads.badge_version)
        elif data.get("registration_id") is not None:
            if _int_or_none(data, "registration_id") is None or reads.registration is None:
                raise CheckInRefused(str(people.NO_SUCH_REGISTRATION), "unknown_registration")
            registration = reads.registration
        else:
            raise DomainError(_("Send the badge's token or a registration_id."), field="token")
        scan = checkin.check_scan(db.session, event, registration, scope, by=user, source=CheckInSource.API,
                                   desk=(data.get("desk") or reads.desk or "")[:60], scanned_at=scanned_at, nonce=nonce,
                                   override=override, override_reason=override_reason, booking=reads.booking)
    except CheckInRefused as exc:
        return _refused(exc)
    except DomainError as exc:
        db.session.rollback()
        return _api_error(400, exc.message, "bad_request")
    end_read_phase(db.session)
    try:
        outcome = checkin.record_check_in(db.session, scan)
    except CheckInRefused as exc:  # the nonce was used for someone else
        return _refused(exc)
    # The write lock is held from the INSERT to here: release it before building the answer.
    commit_keeping_loaded(db.session)
    set_write_intent(False)
    return jsonify(present.outcome_payload(event, outcome, scope)), 201 if outcome.is_new else 200


# --- API tokens --------------------------------------------------------------------------------------

@bp.route("/my/api-token", methods=["GET", "POST"])
@login_required
def api_token():
    form = EmptyForm()
    token = None
    if form.validate_on_submit():
        if request.form.get("action") == "revoke":
            api_access.revoke_api_token(db.session, current_user)
            db.session.commit()
            flash(_("Your API token is revoked: scanner apps using it stop working now."), "info")
            return redirect(url_for("attendance.api_token"))
        token = api_access.issue_api_token(db.session, current_user)
        db.session.commit()
    response = Response(render_template("attendance/api_token.html", form=form, token=token,
                                        has_token=bool(current_user.api_token_hash)))
    response.headers["Cache-Control"] = "no-store"
    return response
