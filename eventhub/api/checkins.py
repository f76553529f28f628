"""The check-in endpoint under /api/v1/ (the scanner endpoint's old address keeps working).

Three kinds of token record scans here:
- the scanner app's per-user token and a desk's token: answered by the scanner endpoint itself
  (eventhub.attendance), exactly as at the old address;
- a scoped token from the API tokens page: it needs the `checkins:write` scope and an owner who is
  check-in staff of this event (a token of another event's staff is refused); its scan is checked
  against the Scan model and recorded by the same services (check_scan, record_check_in), and the
  answer has the same shape. Errors other than a refused scan are in the API's one error shape.
"""

from __future__ import annotations

import warnings
from datetime import date

from flask import current_app, jsonify, request
from flask_babel import gettext as _
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError
from spectree import Response as Answers

from eventhub.accounts.permissions import Action, can
from eventhub.api import schemas as s
from eventhub.api.auth import TOKEN_PREFIX, allow, caller
from eventhub.api.errors import ApiError
from eventhub.api.models import Scope
from eventhub.api.read_views import ERRORS, visible_event
from eventhub.api.views import api, bp, invalid
from eventhub.attendance import checkin as checkins
from eventhub.attendance import people, present, scopes
from eventhub.attendance.api_views import BadBody, api_checkin, json_body
from eventhub.attendance.checkin import CheckInRefused
from eventhub.attendance.models import CheckInSource
from eventhub.db import commit_keeping_loaded, end_read_phase, set_write_intent
from eventhub.errors import DomainError
from eventhub.extensions import db
from eventhub.web import MAX_ID, checks_own_input

ID = Field(None, ge=1, le=MAX_ID)


class Scan(BaseModel):
    """One scan: the badge's token or a registration_id, and a nonce of the app's own (a retried
    or offline-recorded scan counts once)."""

    model_config = ConfigDict(extra="forbid")
    nonce: str = Field(min_length=8, max_length=64, pattern=r"^[^\x00]*$")
    token: str | None = Field(None, max_length=1000, description="the badge's QR code")
    registration_id: int | None = ID
    scanned_at: AwareDatetime | None = Field(None, description="when the app scanned (default: now)")
    day: date | None = Field(None, description="the event day checked in to (default: the scan's day)")
    session_id: int | None = ID
    vehicle_id: int | None = ID
    desk: str = Field("", max_length=60, pattern=r"^[^\x00]*$")
    override: bool = Field(False, description="record despite a refusal (secretariat only), with a reason")
    override_reason: str | None = Field(None, max_length=300, pattern=r"^[^\x00]*$")


class ScanResult(BaseModel):
    model_config = ConfigDict(extra="allow")
    result: str = Field(description="new, already_recorded or refused (with reason)")
    reason: str | None = None
    message: str


def _scan_of_body() -> Scan:
    try:
        data = json_body()
    except BadBody as exc:  # too large, too deep, a NUL character
        raise ApiError(exc.status, "too_large" if exc.status == 413 else "invalid", exc.message) from None
    if not isinstance(data, dict):
        raise ApiError(400, "malformed_json", _("Send a JSON object with Content-Type: application/json."))
    try:
        return Scan.model_validate(data)
    except ValidationError as exc:
        raise invalid(exc) from None


def _scoped_checkin(slug: str):
    who = caller(db.session)
    event = visible_event(slug)
    allow(who, Scope.WRITE_CHECKINS, Action.CHECK_IN, event)
    scan = _scan_of_body()
    if scan.override and not can(who.user, Action.OVERRIDE_CHECK_IN, event):
        raise ApiError(403, "forbidden", _("Only the secretariat may record an override."), field="override")
    try:
        scanned_at = checkins.scan_time(event, scan.scanned_at) if scan.scanned_at else None
        day = scan.day
        if day is None and scan.session_id is None and scanned_at is not None:
            day = scanned_at.astimezone(event.tz).date()
        scope = scopes.resolve_scope(db.session, event, day=day, session_id=scan.session_id,
                                     vehicle_id=scan.vehicle_id)
        if scan.token:
            registration = people.registration_for_badge(db.session, event, scan.token,
                                                         current_app.config["SECRET_KEY"])
        elif scan.registration_id is not None:
            registration = people.registration_by_id(db.session, event, scan.registration_id)
        else:
            raise ApiError(400, "invalid", _("Send the badge's token or a registration_id."), field="token")
        checked = checkins.check_scan(db.session, event, registration, scope, by=who.user, source=CheckInSource.API,
                                      desk=scan.desk, scanned_at=scanned_at, nonce=scan.nonce,
                                      override=scan.override, override_reason=scan.override_reason)
        end_read_phase(db.session)  # the INSERT in a short write transaction of its own, as the scanner API
        outcome = checkins.record_check_in(db.session, checked)
    except CheckInRefused as exc:
        payload = present.refusal_payload(exc)
        db.session.rollback()
        return jsonify(payload), 422
    except DomainError as exc:
        raise ApiError(400, "invalid", exc.message, exc.field) from None
    finally:
        set_write_intent(False)
    commit_keeping_loaded(db.session)
    return jsonify(present.outcome_payload(event, outcome, scope)), 201 if outcome.is_new else 200


@checks_own_input
def checkin(slug: str):
    """Record a scan (201 new, 200 already recorded, 422 refused with a reason, always with the person).

    Send `Authorization: Bearer <token>`: a scoped token with `checkins:write` of the event's check-in
    staff, or the scanner app's or a desk's token (those get the scanner endpoint's own error answers,
    `{"result": "error", "error", "message"}`, as at its older address /api/events/{slug}/checkins).
    """
    header = request.headers.get("Authorization", "")
    token = header[7:].strip() if header[:7].lower() == "bearer " else ""
    if token and not token.startswith(TOKEN_PREFIX):
        return api_checkin(slug)
    return _scoped_checkin(slug)


with warnings.catch_warnings():  # spectree warns that skip_validation passes no models: checked above
    warnings.simplefilter("ignore", UserWarning)
    documented = api.validate(
        json=Scan, resp=Answers(HTTP_201=ScanResult, HTTP_200=ScanResult, HTTP_422=ScanResult, HTTP_413=s.Error,
                                HTTP_415=s.Error, **ERRORS),
        skip_validation=True, tags=["check-ins"])(checkin)
bp.add_url_rule("/events/<slug>/checkins", endpoint="checkin", view_func=checks_own_input(documented),
                methods=["POST"])
