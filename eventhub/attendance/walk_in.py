"""Walk-ins: someone who turns up unregistered is registered, approved and checked in at the desk."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session as DbSession

from eventhub.accounts.models import User
from eventhub.attendance.checkin import CheckInRefused, Outcome, check_in
from eventhub.attendance.models import CheckInSource
from eventhub.attendance.scopes import Scope
from eventhub.events.models import Event
from eventhub.registration.models import Registration, RegistrationStatus


@dataclass
class WalkIn:
    """A walk-in as registered: checked in (`outcome`), or not (`refused`, e.g. waitlisted)."""

    registration: Registration
    outcome: Outcome | None = None
    refused: CheckInRefused | None = None


def register_walk_in(db_session: DbSession, event: Event, scope: Scope, *, economy_id: int, email: str,
                     details: dict, actor: User, submission_key: str | None = None,
                     scanned_at: datetime | None = None) -> WalkIn:
    """Someone turns up unregistered: the secretariat registers, approves and checks them in at once.

    Registration goes through the registration service (its rules, quota and e-mails hold); the
    person confirms the rest of their details by e-mail later. A repeated submission_key finds
    the walk-in it made instead of making a second one (a desk that queued it offline sends it
    again until it hears back; `scanned_at` is then when the desk took it). Someone who could not
    be approved (the delegation is full: waitlisted) stays registered but is not checked in (`refused`).
    """
    from eventhub.registration import services as registration

    reg, created = registration.staff_add(db_session, event, economy_id=economy_id, email=email, details=details,
                                          actor=actor, submission_key=submission_key)
    if created and reg.status == RegistrationStatus.SUBMITTED:
        registration.approve(db_session, reg, actor=actor, unconfirmed_ok=True)  # waitlisted if the delegation's quota is full
    try:
        return WalkIn(reg, check_in(db_session, event, reg, scope, by=actor, source=CheckInSource.WALK_IN,
                                        scanned_at=scanned_at))
    except CheckInRefused as exc:  # nothing was written for the check-in; the registration stays
        return WalkIn(reg, refused=exc)
