"""Registrations: the ways in and the changes of state.

Plain functions with explicit arguments; they flush, never commit. The request or CLI commits.

States: submitted → approved | waitlisted | declined; approved | waitlisted | submitted → cancelled | declined.
A registration that ends (cancelled, declined, replaced) also ends the person's bookings.
An approved registration of a delegation holds one place of its quota. A place is taken with one
conditional UPDATE (`taken = taken + 1 WHERE taken < quota`); when no row changes the registration
is waitlisted instead. A freed place goes to the first waitlisted person of the same delegation in
the same transaction. Every change of a registration's state first claims the row with a conditional
UPDATE on its current status, so two people acting on it at once cannot both succeed.

The rest of registration's domain lives beside it and is re-exported here, so callers keep one
module to ask: details.py (a person's details and their checks), window.py (when registration is
open), quota.py (the quota counter, places left, waitlist positions) and records.py (claiming a row,
the history, whom to copy).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session as DbSession

from eventhub.accounts.models import User
from eventhub.db import utcnow
from eventhub.errors import Conflict, DomainError, NotFound
from eventhub.events.models import Event
from eventhub.i18n import SOURCE_LANGUAGE
from eventhub.registration import mails
from eventhub.registration.details import DETAIL_FIELDS, FIELD_LABELS, TEXT_LIMITS, clean_details, clean_email
from eventhub.registration.models import Delegation, Registration, RegistrationStatus, new_token
from eventhub.registration.quota import places_left, release_place, standing, take_place, waitlist_position
from eventhub.registration.records import (
    acting_focal_point,
    active_registration,
    claim,
    focal_point_emails,
    link_user,
    log_change,
)
from eventhub.registration.window import check_window, edits_close_at, window_sentence, window_text

__all__ = [
    "DETAIL_FIELDS", "FIELD_LABELS", "TEXT_LIMITS", "clean_details", "clean_email", "places_left", "release_place",
    "standing", "take_place", "waitlist_position", "active_registration", "focal_point_emails", "check_window",
    "edits_close_at", "window_sentence", "window_text", "self_register", "nominate", "staff_add",
    "confirm_nomination", "update_details", "admit", "approve", "decline", "cancel", "promote_next",
    "fill_from_waitlist", "substitute", "get_registration", "UNCONFIRMED_FIELD", "SELF_APPROVAL",
]

S = RegistrationStatus


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
            raise Conflict(_("%(email)s already has a registration for this event (%(status)s). One "
                             "registration per e-mail address.", email=email,
                             status=existing.status.label.lower()), field="email")
        try:
            with db_session.begin_nested():
                user = link_user(db_session, email, f"{values['given_name']} {values['family_name']}")
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
                raise Conflict(_("%(email)s already has a registration for this event.", email=email), field="email") from None
    reg.user = user
    log_change(db_session, reg, source, actor, None, S.SUBMITTED)
    cc = acting_focal_point(db_session, reg, actor)
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
        raise DomainError(_("Please confirm that you have read the privacy notice."), field="privacy")
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
        raise Conflict(_("This registration is already confirmed."))
    if not reg.is_active:
        raise Conflict(_("This registration is %(status)s; there is nothing to confirm.",
                         status=reg.status.label.lower()))
    if not privacy_acknowledged:
        raise DomainError(_("Please confirm that you have read the privacy notice."), field="privacy")
    for key, value in clean_details(details).items():
        setattr(reg, key, value)
    reg.needs_confirmation = False
    reg.privacy_acknowledged_at = utcnow()
    log_change(db_session, reg, "confirmed", actor or reg.user, reg.status, reg.status, "details confirmed by the delegate")
    db_session.flush()


def update_details(db_session: DbSession, reg: Registration, *, details: Mapping[str, Any], actor: User,
                   staff: bool = False, now: datetime | None = None) -> None:
    """Change a registration's details: the delegate and focal point until edits close; staff always."""
    now = now or utcnow()
    if not staff:
        if now >= edits_close_at(reg.event):
            from eventhub.formatting import local_dt

            raise DomainError(_("Details could be changed until %(when)s (%(zone)s). Contact the secretariat "
                                "for changes now.", when=local_dt(edits_close_at(reg.event), reg.event),
                                zone=reg.event.timezone))
        if not reg.is_active:
            raise Conflict(_("This registration is %(status)s and can no longer be changed.",
                             status=reg.status.label.lower()))
    values = clean_details(details)
    with force_locale(SOURCE_LANGUAGE):  # the history is stored text: in English, as all of it
        changed = [str(FIELD_LABELS[k]) for k, v in values.items() if getattr(reg, k) != v]
    for key, value in values.items():
        setattr(reg, key, value)
    if changed:
        log_change(db_session, reg, "details changed", actor, None, None, ", ".join(changed))
    db_session.flush()


# --- State changes ---------------------------------------------------------------------------------------

def admit(db_session: DbSession, reg: Registration, *, actor: User | None, note: str = "",
          notify: bool = True, cc: Iterable[str] = ()) -> S:
    """Approve when the delegation has a place; otherwise waitlist. Returns the new state.

    No checks of who approves: approve() makes them; the ways in call this directly when the event
    needs no approval."""
    old = reg.status
    if reg.delegation_id is None or take_place(db_session, reg.delegation_id):
        claim(db_session, reg, old, S.APPROVED, waitlisted_at=None)
        log_change(db_session, reg, "approved", actor, old, S.APPROVED, note)
    elif old == S.WAITLISTED:
        raise Conflict(_("%(name)s stays on the waitlist: the delegation's quota is full.", name=reg.full_name))
    else:
        claim(db_session, reg, old, S.WAITLISTED, waitlisted_at=utcnow())
        log_change(db_session, reg, "waitlisted", actor, old, S.WAITLISTED, "quota full")
    if notify:
        mails.status_mail(db_session, reg, cc=cc, position=waitlist_position(db_session, reg))
    return reg.status


UNCONFIRMED_FIELD = "approve_unconfirmed"
SELF_APPROVAL = _l("Nobody approves their own registration: the secretariat or another focal point of the "
                   "delegation decides on it.")


def unconfirmed_message(names: list[str]) -> str:
    if len(names) == 1:
        return _("Nothing was approved: %(name)s has not yet confirmed their details or accepted the privacy "
                 "notice. Tick “Approve although not confirmed” to approve anyway.", name=names[0])
    listed = ", ".join(names[:10]) + (", …" if len(names) > 10 else "")
    return ngettext("Nothing was approved: %(num)d of the selected people (%(names)s) have not yet confirmed "
                    "their details or accepted the privacy notice. Tick “Approve although not confirmed” to "
                    "approve anyway.",
                    "Nothing was approved: %(num)d of the selected people (%(names)s) have not yet confirmed "
                    "their details or accepted the privacy notice. Tick “Approve although not confirmed” to "
                    "approve anyway.", len(names), names=listed)


def approve(db_session: DbSession, reg: Registration, *, actor: User, unconfirmed_ok: bool = False) -> S:
    """Approve a submitted (or waitlisted) registration: approved if a place is free, else waitlisted.

    A person who has not confirmed their details or accepted the privacy notice is approved only
    when the approver says so (`unconfirmed_ok`, a checkbox on the page); otherwise nothing changes.
    """
    if reg.status not in (S.SUBMITTED, S.WAITLISTED):
        raise Conflict(_("%(name)s is %(status)s and cannot be approved.", name=reg.full_name,
                         status=reg.status.label.lower()))
    if actor is not None and actor.id == reg.user_id:
        raise DomainError(str(SELF_APPROVAL))
    if not unconfirmed_ok and not reg.confirmed_by_delegate:
        raise DomainError(unconfirmed_message([reg.full_name]), field=UNCONFIRMED_FIELD)
    return admit(db_session, reg, actor=actor, cc=acting_focal_point(db_session, reg, actor))


def decline(db_session: DbSession, reg: Registration, *, actor: User, reason: str = "") -> None:
    """Decline a submitted, waitlisted or approved registration. An approved one frees its place (the
    delegation's first waitlisted person gets it) and its bookings (seats go to the session waitlists)."""
    if reg.status not in (S.SUBMITTED, S.WAITLISTED, S.APPROVED):
        raise Conflict(_("%(name)s is %(status)s and cannot be declined.", name=reg.full_name,
                         status=reg.status.label.lower()))
    old = reg.status
    claim(db_session, reg, old, S.DECLINED, waitlisted_at=None)
    log_change(db_session, reg, "declined", actor, old, S.DECLINED, reason)
    mails.status_mail(db_session, reg, cc=acting_focal_point(db_session, reg, actor), reason=reason)
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
        raise Conflict(_("The registration of %(name)s is already %(status)s.", name=reg.full_name,
                         status=reg.status.label.lower()))
    old = reg.status
    claim(db_session, reg, old, S.CANCELLED, waitlisted_at=None)
    log_change(db_session, reg, "cancelled", actor, old, S.CANCELLED, reason)
    if notify:
        mails.status_mail(db_session, reg, cc=acting_focal_point(db_session, reg, actor), reason=reason)
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
                claim(db_session, candidate, S.WAITLISTED, S.APPROVED, waitlisted_at=None)
        except Conflict:
            release_place(db_session, delegation_id)
            continue
        log_change(db_session, candidate, "promoted", None, S.WAITLISTED, S.APPROVED, "a place became free")
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
        raise Conflict(_("%(name)s is %(status)s; only an active registration can be replaced.",
                         name=reg.full_name, status=reg.status.label.lower()))
    if reg.delegation_id is None:
        raise DomainError(_("Only a delegation's registrations can be substituted."))
    if submission_key:
        earlier = db_session.scalar(sa.select(Registration).where(Registration.submission_key == submission_key))
        if earlier is not None:
            return earlier
    email = clean_email(email)
    values = clean_details(details)
    if email == reg.email:
        raise DomainError(_("The substitute must have another e-mail address."), field="email")
    if active_registration(db_session, reg.event_id, email) is not None:
        raise Conflict(_("%(email)s already has a registration for this event.", email=email), field="email")
    old_status, old_waitlisted_at = reg.status, reg.waitlisted_at
    new_name = f"{values['given_name']} {values['family_name']}"
    claim(db_session, reg, old_status, S.CANCELLED, waitlisted_at=None)
    log_change(db_session, reg, "substituted", actor, old_status, S.CANCELLED, f"replaced by {new_name}")
    _end_bookings(db_session, reg, actor, "replaced by a substitute")
    try:
        with db_session.begin_nested():
            user = link_user(db_session, email, new_name)
            new = Registration(
                event_id=reg.event_id, economy_id=reg.economy_id, delegation_id=reg.delegation_id,
                user_id=user.id, email=email, status=old_status, waitlisted_at=old_waitlisted_at,
                needs_confirmation=True, submission_key=submission_key,
                confirm_token=new_token(), calendar_token=new_token(), **values,
            )
            db_session.add(new)
            db_session.flush()
    except IntegrityError:
        raise Conflict(_("%(email)s already has a registration for this event.", email=email), field="email") from None
    new.user = user
    log_change(db_session, new, "substitute", actor, None, old_status, f"replaces {reg.full_name}")
    cc = acting_focal_point(db_session, reg, actor)
    mails.status_mail(db_session, reg, cc=cc, replaced_by=new_name)
    mails.nominated(db_session, new, cc=cc)
    return new


def get_registration(db_session: DbSession, event: Event, registration_id: int) -> Registration:
    reg = db_session.get(Registration, registration_id)
    if reg is None or reg.event_id != event.id:
        raise NotFound(_("No such registration."))
    return reg
