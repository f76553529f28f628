"""Write endpoints: a registration in a delegation (the form's service: quota, waitlist, window),
approve or decline, book a session (the check-in endpoint is in checkins.py).

One transaction per request; services flush, the view commits. An `Idempotency-Key` makes a
retried creation return the first registration: the key (per token) becomes the registration's
submission_key, UNIQUE in the database, so two concurrent requests with one key create one row.
"""

from __future__ import annotations

import hashlib

from flask import abort, request
from flask_babel import gettext as _
from pydantic import BaseModel, ConfigDict
from spectree import Response as Answers

from eventhub.accounts.permissions import Action, can
from eventhub.api import schemas as s
from eventhub.api.auth import allow, caller
from eventhub.api.errors import ApiError
from eventhub.api.models import Scope
from eventhub.api.read_views import ERRORS, _registration, visible_event
from eventhub.api.views import api, bp
from eventhub.errors import Conflict, DomainError, NotFound
from eventhub.extensions import db
from eventhub.registration import services as registrations
from eventhub.registration.delegations import get_delegation
from eventhub.signups import booking as bookings

WRITE_ERRORS = {**ERRORS, "HTTP_409": s.Error, "HTTP_422": s.Error}


class IdempotencyHeaders(BaseModel):
    model_config = ConfigDict(extra="allow")
    idempotency_key: str | None = None


def _refused(exc: DomainError) -> ApiError:
    db.session.rollback()
    if isinstance(exc, NotFound):
        return ApiError(404, "not_found", exc.message, exc.field)
    if isinstance(exc, Conflict):
        return ApiError(409, "conflict", exc.message, exc.field)
    return ApiError(422, "refused", exc.message, exc.field)


def _submission_key(token_id: int | None, key: str | None) -> str | None:
    """The registration's submission_key for an Idempotency-Key: one namespace per token."""
    if key is None:
        return None
    key = key.strip()
    if not 1 <= len(key) <= 200:
        raise ApiError(400, "invalid", _("Idempotency-Key must be 1 to 200 characters."), field="Idempotency-Key")
    return "api-" + hashlib.sha256(f"{token_id}:{key}".encode()).hexdigest()[:56]


@bp.route("/events/<slug>/delegations/<int:delegation_id>/registrations", methods=["POST"])
@api.validate(json=s.NewRegistration, resp=Answers(HTTP_201=s.Registration, HTTP_200=s.Registration, **WRITE_ERRORS),
              tags=["registrations"])
def create_registration(slug: str, delegation_id: int, json: s.NewRegistration):
    """Register a person in a delegation, as a focal point or the secretariat would with the form.

    The person confirms by e-mail; approval takes a place of the quota or puts them on the waitlist.
    Send `Idempotency-Key: <any unique text>`: a retry with the same key answers 200 with the
    registration the first request made, instead of a second one; the same key with another person
    or delegation is refused (422).
    """
    event = visible_event(slug)
    who = caller(db.session)
    try:
        delegation = get_delegation(db.session, event, delegation_id)
    except NotFound:
        abort(404)
    allow(who, Scope.WRITE_REGISTRATIONS, Action.MANAGE_DELEGATION, event, delegation=delegation)
    key = _submission_key(who.token_id or -who.user.id, request.headers.get("Idempotency-Key"))
    details = json.model_dump(exclude={"email"}, exclude_none=True)
    try:
        reg, created = registrations.nominate(
            db.session, delegation, email=json.email, details=details, actor=who.user, submission_key=key,
            staff=can(who.user, Action.MANAGE_REGISTRATIONS, event))
    except DomainError as exc:
        raise _refused(exc) from None
    if not created and (reg.email.lower() != str(json.email).strip().lower() or reg.delegation_id != delegation.id):
        # The key names another request: answering with that registration would hide the mistake.
        raise ApiError(422, "idempotency_key_reused", _(
            "This Idempotency-Key was used for a different request (another person or delegation). "
            "Use a new key for a new registration."), field="Idempotency-Key")
    answer = _registration(reg)
    db.session.commit()
    return answer, 201 if created else 200


@bp.route("/events/<slug>/registrations/<int:registration_id>/decision", methods=["POST"])
@api.validate(json=s.Decision, resp=Answers(HTTP_200=s.Registration, **WRITE_ERRORS), tags=["registrations"])
def decide(slug: str, registration_id: int, json: s.Decision):
    """Approve (a place of the quota, else the waitlist) or decline a registration."""
    event = visible_event(slug)
    who = caller(db.session)
    try:
        reg = registrations.get_registration(db.session, event, registration_id)
    except NotFound:
        abort(404)
    allow(who, Scope.WRITE_REGISTRATIONS, Action.APPROVE_REGISTRATION, event, registration=reg)
    try:
        if json.decision == "approve":
            registrations.approve(db.session, reg, actor=who.user, unconfirmed_ok=json.approve_unconfirmed)
        else:
            registrations.decline(db.session, reg, actor=who.user, reason=json.reason)
    except DomainError as exc:
        raise _refused(exc) from None
    db.session.refresh(reg)
    answer = _registration(reg)
    db.session.commit()
    return answer


@bp.route("/events/<slug>/sessions/<int:session_id>/bookings", methods=["POST"])
@api.validate(json=s.NewBooking, resp=Answers(HTTP_201=s.BookingResult, HTTP_200=s.BookingResult, **WRITE_ERRORS),
              tags=["bookings"])
def book_session(slug: str, session_id: int, json: s.NewBooking):
    """Book a seat of a session for a registration (the waitlist when it is full)."""
    event = visible_event(slug)
    who = caller(db.session)
    try:
        reg = registrations.get_registration(db.session, event, json.registration_id)
    except NotFound:
        raise ApiError(404, "not_found", _("No such registration in this event."), field="registration_id") from None
    allow(who, Scope.WRITE_REGISTRATIONS, Action.BOOK_SESSIONS, event, registration=reg)
    from eventhub.agenda.models import Session as AgendaSession

    session = db.session.get(AgendaSession, session_id)
    if session is None or session.event_id != event.id:
        abort(404)
    try:
        outcome = bookings.book(db.session, session_id, reg.id, actor_id=who.user.id)
    except DomainError as exc:
        raise _refused(exc) from None
    answer = s.BookingResult(id=outcome.booking.id, status=outcome.booking.status.value)
    db.session.commit()
    return answer, 201 if outcome.created else 200
