"""Registrations: the ways in, the states, the quota and the waitlist.

Plain functions with explicit arguments; they flush, never commit. The request or CLI commits.

States: submitted → approved | waitlisted | declined; approved | waitlisted | submitted → cancelled | declined.
A registration that ends (cancelled, declined, replaced) also ends the person's bookings.
An approved registration of a delegation holds one place of its quota. A place is taken with one
conditional UPDATE (`taken = taken + 1 WHERE taken < quota`); when no row changes the registration
is waitlisted instead. A freed place goes to the first waitlisted person of the same delegation in
the same transaction. Every change of a registration's state first claims the row with a conditional
UPDATE on its current status, so two people acting on it at once cannot both succeed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session as DbSession
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from eventhub.accounts.models import User, normalise_email
from eventhub.db import utcnow
from eventhub.errors import Conflict, DomainError, NotFound
from eventhub.events.models import Event, EventStatus
from eventhub.registration import mails
from eventhub.registration.models import (
    ACTIVE_STATUSES,
    Category,
    Delegation,
    FocalPoint,
    Funding,
    Registration,
    RegistrationLog,
    RegistrationStatus,
    Sex,
    new_token,
)

S = RegistrationStatus

# Details a person gives about themself (everything but e-mail, economy and state).
DETAIL_FIELDS = (
    "honorific", "given_name", "family_name", "name_local", "sex", "organisation", "position", "sector",
    "category", "phone", "dietary", "accessibility", "arrival_at", "departure_at", "visa_letter", "funding",
    "consent_list", "consent_photo",
)
TEXT_LIMITS = {
    "honorific": 20, "given_name": 120, "family_name": 120, "name_local": 200, "organisation": 300,
    "position": 200, "sector": 120, "phone": 50, "dietary": 300, "accessibility": 300,
}
FIELD_LABELS = {
    "honorific": "Honorific", "given_name": "Given name", "family_name": "Family name",
    "name_local": "Name in local script", "sex": "Sex / gender", "organisation": "Organisation",
    "position": "Position", "sector": "Sector", "category": "Participant category", "phone": "Phone",
    "dietary": "Dietary needs", "accessibility": "Accessibility needs", "arrival_at": "Arrival",
    "departure_at": "Departure", "visa_letter": "Visa invitation letter", "funding": "Funding",
    "consent_list": "Participant list consent", "consent_photo": "Photo consent", "email": "E-mail",
}


# --- Input ---------------------------------------------------------------------------------------------

def clean_details(details: Mapping[str, Any]) -> dict[str, Any]:
    """Check and normalise a person's details (from a form or an imported row).

    Raises DomainError naming the field. The form validates the same things first; this is the
    rule that holds whatever the way in.
    """
    out: dict[str, Any] = {}
    for name, limit in TEXT_LIMITS.items():
        value = details.get(name) or ""
        if not isinstance(value, str):
            value = str(value)
        value = " ".join(value.split()) if name not in ("dietary", "accessibility") else value.strip()
        if len(value) > limit:
            raise DomainError(f"{FIELD_LABELS[name]} is longer than {limit} characters.", field=name)
        out[name] = value
    for name in ("given_name", "family_name"):
        if not out[name]:
            raise DomainError(f"{FIELD_LABELS[name]} is required.", field=name)
    for name, enum_cls, default in (("sex", Sex, Sex.UNDISCLOSED), ("category", Category, Category.DELEGATE),
                                    ("funding", Funding, Funding.SELF)):
        value = details.get(name) or default
        try:
            out[name] = enum_cls(value)
        except ValueError:
            choices = ", ".join(m.value for m in enum_cls)
            raise DomainError(f"{FIELD_LABELS[name]} must be one of: {choices}.", field=name) from None
    for name in ("arrival_at", "departure_at"):
        value = details.get(name)
        if value is not None and (not isinstance(value, datetime) or value.tzinfo is None):
            raise DomainError(f"{FIELD_LABELS[name]} is not a valid date and time.", field=name)
        out[name] = value
    if out["arrival_at"] and out["departure_at"] and out["departure_at"] < out["arrival_at"]:
        raise DomainError("Departure is before arrival.", field="departure_at")
    for name in ("visa_letter", "consent_list", "consent_photo"):
        out[name] = bool(details.get(name))
    return out


def clean_email(email: str | None) -> str:
    from email_validator import EmailNotValidError, validate_email

    email = normalise_email(email or "")
    if not email:
        raise DomainError("E-mail is required.", field="email")
    if len(email) > 254:
        raise DomainError("E-mail is longer than 254 characters.", field="email")
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        raise DomainError(f"{email} is not a valid e-mail address.", field="email") from None
    return email


# --- The registration window ------------------------------------------------------------------------------

def window_text(event: Event) -> str:
    from eventhub.formatting import local_dt

    opens = local_dt(event.registration_opens_at, event) if event.registration_opens_at else None
    if event.registration_closes_at:
        closes = local_dt(event.registration_closes_at, event)
    else:  # no closing time set: registration ends with the event's last day
        closes = f"the end of the event's last day, {event.end_date.day} {event.end_date:%B %Y}"
    if opens:
        return f"from {opens} to {closes} ({event.timezone})"
    return f"until {closes} ({event.timezone})"


def window_sentence(event: Event, now: datetime | None = None) -> str:
    """One sentence for pages: whether registration is open now, with the dates."""
    now = now or utcnow()
    if event.registration_opens_at and now < event.registration_opens_at:
        return f"Registration has not opened yet. It is open {window_text(event)}."
    if now >= event.registration_ends_at:
        return f"Registration has closed. It was open {window_text(event)}."
    return f"Registration is open {window_text(event)}."


def check_window(event: Event, now: datetime | None = None) -> None:
    """Refuse with the dates when registration is not open now (self-registration, nominations).

    Without a closing time, registration closes when the event's last day ends (event-local time).
    Staff additions do not come through here: they are allowed after closing.
    """
    now = now or utcnow()
    if event.status != EventStatus.PUBLISHED:
        raise DomainError("Registration for this event is not open: the event is not published or has closed.")
    if event.registration_opens_at and now < event.registration_opens_at:
        raise DomainError(f"Registration for this event has not opened yet. It is open {window_text(event)}.")
    if now >= event.registration_ends_at:
        raise DomainError(f"Registration for this event has closed. It was open {window_text(event)}.")


def edits_close_at(event: Event) -> datetime:
    """Delegates may edit their details while registration is open: until it closes, or else until the
    event's last day ends (the same rule as check_window)."""
    return event.registration_ends_at


# --- Helpers -------------------------------------------------------------------------------------------

def _log(db_session: DbSession, reg: Registration, action: str, actor: User | None,
         from_status: S | None, to_status: S | None, note: str = "") -> None:
    entry = RegistrationLog(registration=reg, action=action, actor_id=actor.id if actor else None,
                            from_status=from_status.value if from_status else None,
                            to_status=to_status.value if to_status else None, note=note[:500], at=utcnow())
    db_session.add(entry)


def _expire_taken(db_session: DbSession, delegation_id: int) -> None:
    key = identity_key(Delegation, delegation_id)
    obj = db_session.identity_map.get(key)
    if obj is not None:
        db_session.expire(obj, ["taken"])


def take_place(db_session: DbSession, delegation_id: int) -> bool:
    """Take one place of the delegation's quota with one conditional UPDATE. False when full."""
    result = db_session.execute(
        sa.update(Delegation)
        .where(Delegation.id == delegation_id, Delegation.taken < Delegation.quota)
        .values(taken=Delegation.taken + 1)
        .execution_options(synchronize_session=False)
    )
    _expire_taken(db_session, delegation_id)
    return result.rowcount == 1


def release_place(db_session: DbSession, delegation_id: int) -> None:
    db_session.execute(
        sa.update(Delegation)
        .where(Delegation.id == delegation_id, Delegation.taken > 0)
        .values(taken=Delegation.taken - 1)
        .execution_options(synchronize_session=False)
    )
    _expire_taken(db_session, delegation_id)


def _claim(db_session: DbSession, reg: Registration, expected: S, new: S, **values) -> None:
    """Move `reg` from `expected` to `new` with a conditional UPDATE; Conflict if it changed meanwhile."""
    db_session.flush()
    result = db_session.execute(
        sa.update(Registration)
        .where(Registration.id == reg.id, Registration.status == expected)
        .values(status=new, updated_at=utcnow(), **values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db_session.refresh(reg)
        raise Conflict(f"The registration of {reg.full_name} was changed meanwhile: it is now "
                       f"{reg.status.label.lower()}. Reload the page to see it.")
    set_committed_value(reg, "status", new)
    for key, value in values.items():
        set_committed_value(reg, key, value)


def waitlist_position(db_session: DbSession, reg: Registration) -> int | None:
    if reg.status != S.WAITLISTED or reg.delegation_id is None:
        return None
    at = reg.waitlisted_at
    ahead = db_session.scalar(
        sa.select(sa.func.count()).select_from(Registration).where(
            Registration.delegation_id == reg.delegation_id,
            Registration.status == S.WAITLISTED,
            sa.or_(Registration.waitlisted_at < at,
                   sa.and_(Registration.waitlisted_at == at, Registration.id < reg.id)),
        )
    )
    return (ahead or 0) + 1


def places_left(delegation: Delegation | None) -> int | None:
    """How many places of the delegation's quota are still free (None without a delegation)."""
    if delegation is None:
        return None
    return max(delegation.quota - delegation.taken, 0)


def standing(db_session: DbSession, reg: Registration) -> int | None:
    """Where the person stands on their delegation's waitlist.

    A waitlisted registration has its position. A registration still waiting for approval in a
    delegation whose quota is already full is told the position it would take if approved now
    (everyone already on the waitlist is ahead). Otherwise None.
    """
    if reg.status == S.WAITLISTED:
        return waitlist_position(db_session, reg)
    if reg.status != S.SUBMITTED or reg.delegation_id is None:
        return None
    delegation = db_session.get(Delegation, reg.delegation_id)
    if delegation is None or places_left(delegation):
        return None
    waiting = db_session.scalar(sa.select(sa.func.count()).select_from(Registration).where(
        Registration.delegation_id == reg.delegation_id, Registration.status == S.WAITLISTED))
    return (waiting or 0) + 1


def focal_point_emails(db_session: DbSession, delegation_id: int | None) -> list[str]:
    if delegation_id is None:
        return []
    return list(db_session.scalars(
        sa.select(User.email).join(FocalPoint, FocalPoint.user_id == User.id)
        .where(FocalPoint.delegation_id == delegation_id).order_by(User.email)
    ))


def _cc(db_session: DbSession, reg: Registration, actor: User | None) -> list[str]:
    """The focal point in copy when they are the one who acted."""
    if actor is None or actor.id == reg.user_id or reg.delegation_id is None:
        return []
    is_focal = db_session.scalar(sa.select(FocalPoint.id).where(
        FocalPoint.delegation_id == reg.delegation_id, FocalPoint.user_id == actor.id))
    return [actor.email] if is_focal and actor.email != reg.email else []


def active_registration(db_session: DbSession, event_id: int, email: str) -> Registration | None:
    return db_session.scalar(sa.select(Registration).where(
        Registration.event_id == event_id, Registration.email == normalise_email(email),
        Registration.status.in_(ACTIVE_STATUSES)))


def _link_user(db_session: DbSession, email: str, name: str) -> User:
    user = db_session.scalar(sa.select(User).where(User.email == email))
    if user is None:
        user = User(email=email, name=name)
        db_session.add(user)
        db_session.flush()
    return user


# --- Ways in ------------------------------------------------------------------------------------------

def _create(db_session: DbSession, event: Event, *, economy_id: int, delegation: Delegation | None,
            email: str, details: Mapping[str, Any], actor: User | None, source: str,
            needs_confirmation: bool, privacy_acknowledged: bool, submission_key: str | None = None,
            send_mail: bool = True) -> tuple[Registration, bool]:
    """Insert a submitted registration (then approve it at once when the event needs no approval).

    Returns (registration, created). A repeated submission_key returns the registration it made.
    """
    email = clean_email(email)
    values = clean_details(details)
    if submission_key:
        earlier = db_session.scalar(sa.select(Registration).where(Registration.submission_key == submission_key))
        if earlier is not None:
            return earlier, False
    for attempt in range(2):
        existing = active_registration(db_session, event.id, email)
        if existing is not None:
            raise Conflict(f"{email} already has a registration for this event "
                           f"({existing.status.label.lower()}). One registration per e-mail address.",
                           field="email")
        try:
            with db_session.begin_nested():
                user = _link_user(db_session, email, f"{values['given_name']} {values['family_name']}")
                reg = Registration(
                    event_id=event.id, economy_id=economy_id,
                    delegation_id=delegation.id if delegation is not None else None,
                    user_id=user.id, email=email, status=S.SUBMITTED,
                    needs_confirmation=needs_confirmation, submission_key=submission_key,
                    privacy_acknowledged_at=utcnow() if privacy_acknowledged else None,
                    confirm_token=new_token(), calendar_token=new_token(), **values,
                )
                db_session.add(reg)
                db_session.flush()
            break
        except IntegrityError:
            # Another request registered the same e-mail or submission at the same moment.
            if submission_key:
                earlier = db_session.scalar(
                    sa.select(Registration).where(Registration.submission_key == submission_key))
                if earlier is not None:
                    return earlier, False
            if attempt:
                raise Conflict(f"{email} already has a registration for this event.", field="email") from None
    reg.user = user
    _log(db_session, reg, source, actor, None, S.SUBMITTED)
    cc = _cc(db_session, reg, actor)
    if not event.approval_required:
        admit(db_session, reg, actor=None, note="approval not required", notify=False)
    if send_mail:
        if needs_confirmation:
            mails.nominated(db_session, reg, cc=cc)
        else:
            mails.status_mail(db_session, reg, cc=cc, position=standing(db_session, reg))
    return reg, True


def self_register(db_session: DbSession, delegation: Delegation, *, email: str, details: Mapping[str, Any],
                  privacy_acknowledged: bool, submission_key: str | None = None,
                  now: datetime | None = None) -> tuple[Registration, bool]:
    """A delegate registers through their economy's link. The economy is the delegation's."""
    event = delegation.event
    check_window(event, now)
    if not privacy_acknowledged:
        raise DomainError("Please confirm that you have read the privacy notice.", field="privacy")
    return _create(db_session, event, economy_id=delegation.economy_id, delegation=delegation, email=email,
                   details=details, actor=None, source="registered", needs_confirmation=False,
                   privacy_acknowledged=True, submission_key=submission_key)


def nominate(db_session: DbSession, delegation: Delegation, *, email: str, details: Mapping[str, Any],
             actor: User, submission_key: str | None = None, staff: bool = False,
             now: datetime | None = None) -> tuple[Registration, bool]:
    """A focal point (or staff) registers a delegate on their behalf; the delegate confirms by e-mail."""
    event = delegation.event
    if not staff:
        check_window(event, now)
    return _create(db_session, event, economy_id=delegation.economy_id, delegation=delegation, email=email,
                   details=details, actor=actor, source="nominated", needs_confirmation=True,
                   privacy_acknowledged=False, submission_key=submission_key)


def staff_add(db_session: DbSession, event: Event, *, economy_id: int, email: str, details: Mapping[str, Any],
              actor: User, submission_key: str | None = None) -> tuple[Registration, bool]:
    """The secretariat or an organizer adds anyone, at any time. An invited economy's quota applies."""
    delegation = db_session.scalar(sa.select(Delegation).where(
        Delegation.event_id == event.id, Delegation.economy_id == economy_id))
    return _create(db_session, event, economy_id=economy_id, delegation=delegation, email=email,
                   details=details, actor=actor, source="added by staff", needs_confirmation=True,
                   privacy_acknowledged=False, submission_key=submission_key)


def confirm_nomination(db_session: DbSession, reg: Registration, *, details: Mapping[str, Any],
                       privacy_acknowledged: bool, actor: User | None = None) -> None:
    """The nominated delegate confirms and completes their details."""
    if not reg.needs_confirmation:
        raise Conflict("This registration is already confirmed.")
    if not reg.is_active:
        raise Conflict(f"This registration is {reg.status.label.lower()}; there is nothing to confirm.")
    if not privacy_acknowledged:
        raise DomainError("Please confirm that you have read the privacy notice.", field="privacy")
    for key, value in clean_details(details).items():
        setattr(reg, key, value)
    reg.needs_confirmation = False
    reg.privacy_acknowledged_at = utcnow()
    _log(db_session, reg, "confirmed", actor or reg.user, reg.status, reg.status, "details confirmed by the delegate")
    db_session.flush()


def update_details(db_session: DbSession, reg: Registration, *, details: Mapping[str, Any], actor: User,
                   staff: bool = False, now: datetime | None = None) -> None:
    """Change a registration's details: the delegate and focal point until edits close; staff always."""
    now = now or utcnow()
    if not staff:
        if now >= edits_close_at(reg.event):
            from eventhub.formatting import local_dt

            raise DomainError(f"Details could be changed until {local_dt(edits_close_at(reg.event), reg.event)} "
                              f"({reg.event.timezone}). Contact the secretariat for changes now.")
        if not reg.is_active:
            raise Conflict(f"This registration is {reg.status.label.lower()} and can no longer be changed.")
    values = clean_details(details)
    changed = [FIELD_LABELS[k] for k, v in values.items() if getattr(reg, k) != v]
    for key, value in values.items():
        setattr(reg, key, value)
    if changed:
        _log(db_session, reg, "details changed", actor, None, None, ", ".join(changed))
    db_session.flush()


# --- State changes ---------------------------------------------------------------------------------------

def admit(db_session: DbSession, reg: Registration, *, actor: User | None, note: str = "",
          notify: bool = True, cc: Iterable[str] = ()) -> S:
    """Approve when the delegation has a place; otherwise waitlist. Returns the new state.

    No checks of who approves: approve() makes them; the ways in call this directly when the event
    needs no approval."""
    old = reg.status
    if reg.delegation_id is None or take_place(db_session, reg.delegation_id):
        _claim(db_session, reg, old, S.APPROVED, waitlisted_at=None)
        _log(db_session, reg, "approved", actor, old, S.APPROVED, note)
    elif old == S.WAITLISTED:
        raise Conflict(f"{reg.full_name} stays on the waitlist: the delegation's quota is full.")
    else:
        _claim(db_session, reg, old, S.WAITLISTED, waitlisted_at=utcnow())
        _log(db_session, reg, "waitlisted", actor, old, S.WAITLISTED, "quota full")
    if notify:
        mails.status_mail(db_session, reg, cc=cc, position=waitlist_position(db_session, reg))
    return reg.status


UNCONFIRMED_FIELD = "approve_unconfirmed"
SELF_APPROVAL = ("Nobody approves their own registration: the secretariat or another focal point of the "
                 "delegation decides on it.")


def unconfirmed_message(names: list[str]) -> str:
    who = names[0] if len(names) == 1 else f"{len(names)} of the selected people ({', '.join(names[:10])}" + (
        ", …)" if len(names) > 10 else ")")
    has = "has" if len(names) == 1 else "have"
    return (f"Nothing was approved: {who} {has} not yet confirmed their details or accepted the privacy "
            "notice. Tick “Approve although not confirmed” to approve anyway.")


def approve(db_session: DbSession, reg: Registration, *, actor: User, unconfirmed_ok: bool = False) -> S:
    """Approve a submitted (or waitlisted) registration: approved if a place is free, else waitlisted.

    A person who has not confirmed their details or accepted the privacy notice is approved only
    when the approver says so (`unconfirmed_ok`, a checkbox on the page); otherwise nothing changes.
    """
    if reg.status not in (S.SUBMITTED, S.WAITLISTED):
        raise Conflict(f"{reg.full_name} is {reg.status.label.lower()} and cannot be approved.")
    if actor is not None and actor.id == reg.user_id:
        raise DomainError(SELF_APPROVAL)
    if not unconfirmed_ok and not reg.confirmed_by_delegate:
        raise DomainError(unconfirmed_message([reg.full_name]), field=UNCONFIRMED_FIELD)
    return admit(db_session, reg, actor=actor, cc=_cc(db_session, reg, actor))


def decline(db_session: DbSession, reg: Registration, *, actor: User, reason: str = "") -> None:
    """Decline a submitted, waitlisted or approved registration. An approved one frees its place (the
    delegation's first waitlisted person gets it) and its bookings (seats go to the session waitlists)."""
    if reg.status not in (S.SUBMITTED, S.WAITLISTED, S.APPROVED):
        raise Conflict(f"{reg.full_name} is {reg.status.label.lower()} and cannot be declined.")
    old = reg.status
    _claim(db_session, reg, old, S.DECLINED, waitlisted_at=None)
    _log(db_session, reg, "declined", actor, old, S.DECLINED, reason)
    mails.status_mail(db_session, reg, cc=_cc(db_session, reg, actor), reason=reason)
    _end_bookings(db_session, reg, actor, "registration declined")
    if old == S.APPROVED and reg.delegation_id is not None:
        release_place(db_session, reg.delegation_id)
        promote_next(db_session, reg.delegation_id)


def _end_bookings(db_session: DbSession, reg: Registration, actor: User | None, note: str) -> None:
    """The person no longer comes: cancel their site-visit and roundtable bookings in this transaction,
    so the seats are freed and each session's first eligible waitlisted person is promoted and e-mailed."""
    from eventhub.signups.services import cancel_bookings_of

    cancel_bookings_of(db_session, reg.id, actor_id=actor.id if actor else None, note=note)


def cancel(db_session: DbSession, reg: Registration, *, actor: User | None, reason: str = "",
           notify: bool = True) -> Registration | None:
    """Cancel an active registration. A freed place goes to the delegation's first waitlisted person,
    who is returned."""
    if not reg.is_active:
        raise Conflict(f"The registration of {reg.full_name} is already {reg.status.label.lower()}.")
    old = reg.status
    _claim(db_session, reg, old, S.CANCELLED, waitlisted_at=None)
    _log(db_session, reg, "cancelled", actor, old, S.CANCELLED, reason)
    if notify:
        mails.status_mail(db_session, reg, cc=_cc(db_session, reg, actor), reason=reason)
    _end_bookings(db_session, reg, actor, "registration cancelled")
    if old == S.APPROVED and reg.delegation_id is not None:
        release_place(db_session, reg.delegation_id)
        return promote_next(db_session, reg.delegation_id)
    return None


def promote_next(db_session: DbSession, delegation_id: int) -> Registration | None:
    """Give free places of the delegation to its waitlist, first come first served."""
    promoted = None
    while True:
        candidate = db_session.scalar(
            sa.select(Registration)
            .where(Registration.delegation_id == delegation_id, Registration.status == S.WAITLISTED)
            .order_by(Registration.waitlisted_at, Registration.id)
            .limit(1)
        )
        if candidate is None or not take_place(db_session, delegation_id):
            return promoted
        try:
            with db_session.begin_nested():
                _claim(db_session, candidate, S.WAITLISTED, S.APPROVED, waitlisted_at=None)
        except Conflict:
            release_place(db_session, delegation_id)
            continue
        _log(db_session, candidate, "promoted", None, S.WAITLISTED, S.APPROVED, "a place became free")
        mails.status_mail(db_session, candidate, kind="promoted",
                          cc=focal_point_emails(db_session, delegation_id))
        promoted = candidate


def fill_from_waitlist(db_session: DbSession, delegation: Delegation) -> list[Registration]:
    """After a quota goes up: promote waitlisted people into the new places."""
    promoted = []
    while (reg := promote_next(db_session, delegation.id)) is not None:
        promoted.append(reg)
        if not db_session.scalar(sa.select(sa.func.count()).select_from(Registration).where(
                Registration.delegation_id == delegation.id, Registration.status == S.WAITLISTED)):
            break
    return promoted


def substitute(db_session: DbSession, reg: Registration, *, email: str, details: Mapping[str, Any],
               actor: User, submission_key: str | None = None) -> Registration:
    """Replace one delegate by another who takes their place (or their waitlist position) directly."""
    if not reg.is_active:
        raise Conflict(f"{reg.full_name} is {reg.status.label.lower()}; only an active registration can be "
                       "replaced.")
    if reg.delegation_id is None:
        raise DomainError("Only a delegation's registrations can be substituted.")
    if submission_key:
        earlier = db_session.scalar(sa.select(Registration).where(Registration.submission_key == submission_key))
        if earlier is not None:
            return earlier
    email = clean_email(email)
    values = clean_details(details)
    if email == reg.email:
        raise DomainError("The substitute must have another e-mail address.", field="email")
    if active_registration(db_session, reg.event_id, email) is not None:
        raise Conflict(f"{email} already has a registration for this event.", field="email")
    old_status, old_waitlisted_at = reg.status, reg.waitlisted_at
    new_name = f"{values['given_name']} {values['family_name']}"
    _claim(db_session, reg, old_status, S.CANCELLED, waitlisted_at=None)
    _log(db_session, reg, "substituted", actor, old_status, S.CANCELLED, f"replaced by {new_name}")
    _end_bookings(db_session, reg, actor, "replaced by a substitute")
    try:
        with db_session.begin_nested():
            user = _link_user(db_session, email, new_name)
            new = Registration(
                event_id=reg.event_id, economy_id=reg.economy_id, delegation_id=reg.delegation_id,
                user_id=user.id, email=email, status=old_status, waitlisted_at=old_waitlisted_at,
                needs_confirmation=True, submission_key=submission_key,
                confirm_token=new_token(), calendar_token=new_token(), **values,
            )
            db_session.add(new)
            db_session.flush()
    except IntegrityError:
        raise Conflict(f"{email} already has a registration for this event.", field="email") from None
    new.user = user
    _log(db_session, new, "substitute", actor, None, old_status, f"replaces {reg.full_name}")
    cc = _cc(db_session, reg, actor)
    mails.status_mail(db_session, reg, cc=cc, reason=f"replaced by {new_name}")
    mails.nominated(db_session, new, cc=cc)
    return new


def bulk_decide(db_session: DbSession, event: Event, ids: Iterable[int], decision: str, *,
                actor: User, unconfirmed_ok: bool = False) -> tuple[int, int, list[str]]:
    """Approve or decline many registrations of one event. Returns (done, waitlisted, problems).

    Each one goes in its own savepoint: one that changed meanwhile does not undo the others.
    Approving people among whom some have not confirmed their details or the privacy notice is
    refused as a whole (nothing changes) unless `unconfirmed_ok`.
    """
    if decision not in ("approve", "decline"):
        raise DomainError("Choose approve or decline.")
    wanted = sorted({int(i) for i in ids})
    if not wanted:
        raise DomainError("Select at least one registration.")
    regs = db_session.scalars(
        sa.select(Registration).where(Registration.event_id == event.id, Registration.id.in_(wanted))
        .order_by(Registration.id)
    ).all()
    if decision == "approve" and not unconfirmed_ok:
        unconfirmed = [r.full_name for r in regs
                       if r.status in (S.SUBMITTED, S.WAITLISTED) and not r.confirmed_by_delegate]
        if unconfirmed:
            raise DomainError(unconfirmed_message(unconfirmed), field=UNCONFIRMED_FIELD)
    done = waitlisted = 0
    problems: list[str] = []
    for reg in regs:
        try:
            with db_session.begin_nested():
                if decision == "approve":
                    if approve(db_session, reg, actor=actor, unconfirmed_ok=unconfirmed_ok) == S.WAITLISTED:
                        waitlisted += 1
                    else:
                        done += 1
                else:
                    decline(db_session, reg, actor=actor)
                    done += 1
        except DomainError as exc:
            problems.append(exc.message)
    if len(regs) < len(wanted):
        problems.append(f"{len(wanted) - len(regs)} selected registrations are not part of this event.")
    return done, waitlisted, problems


def get_registration(db_session: DbSession, event: Event, registration_id: int) -> Registration:
    reg = db_session.get(Registration, registration_id)
    if reg is None or reg.event_id != event.id:
        raise NotFound("No such registration.")
    return reg
