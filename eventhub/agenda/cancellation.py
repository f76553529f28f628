"""Cancelling a session (after the organizer confirmed) and reinstating a cancelled one.

Who is told when a session is cancelled (`audience()`), the same list the confirmation page counts:
- people holding a seat: they were sent an invitation, so they get an iTIP CANCEL;
- people on its waitlist: a plain message (they never had an invitation);
- for a session everyone attends (opening, plenary, meals): every other approved participant of the
  event, with a plain message (the session leaves their personal feed by itself).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session as DbSession

from eventhub.agenda.models import Session, SessionStatus
from eventhub.db import utcnow
from eventhub.errors import DomainError
from eventhub.registration.models import Registration, RegistrationStatus
from eventhub.signups import notify
from eventhub.signups import services as signups
from eventhub.signups.models import Booking, BookingStatus


@dataclass
class Audience:
    """The people a cancellation tells, by how they are told."""

    invited: list[Registration] = field(default_factory=list)  # seat holders: METHOD:CANCEL
    waitlisted: list[Registration] = field(default_factory=list)  # plain message
    everyone: list[Registration] = field(default_factory=list)  # approved participants, plain message

    @property
    def count(self) -> int:
        return len(self.invited) + len(self.waitlisted) + len(self.everyone)


def _reachable(stmt):
    return stmt.where(Registration.email != "", Registration.personal_data_purged_at.is_(None))


def holders(db: DbSession, session_id: int, status: BookingStatus) -> list[Registration]:
    """The people with an active booking of this status in the session (with an address to write to)."""
    return list(db.scalars(_reachable(
        sa.select(Registration).join(Booking, Booking.registration_id == Registration.id)
        .where(Booking.session_id == session_id, Booking.status == status)
    ).order_by(Registration.id)))


def audience(db: DbSession, session: Session) -> Audience:
    """Who will be told if this session is cancelled (nobody once it is cancelled)."""
    if session.is_cancelled:
        return Audience()
    result = Audience(invited=holders(db, session.id, BookingStatus.CONFIRMED),
                      waitlisted=holders(db, session.id, BookingStatus.WAITLISTED))
    if session.for_everyone:
        booked = {r.id for r in result.invited} | {r.id for r in result.waitlisted}
        result.everyone = [r for r in db.scalars(_reachable(
            sa.select(Registration).where(Registration.event_id == session.event_id,
                                          Registration.status == RegistrationStatus.APPROVED)
        ).order_by(Registration.id)) if r.id not in booked]
    return result


def cancel_session(db: DbSession, session: Session, *, actor_id: int | None = None) -> int:
    """Cancel a session: its seats are freed and the people in `audience()` told. Returns how many
    were told (0 when it was already cancelled)."""
    if session.is_cancelled:
        return 0
    told = audience(db, session)
    session.status = SessionStatus.CANCELLED
    session.sequence = (session.sequence or 0) + 1
    session.changed_at = utcnow()
    db.flush()
    signups.cancel_all_bookings(db, session, actor_id=actor_id)
    db.refresh(session)
    notify.session_cancelled(db, session, told.invited)
    notify.session_cancelled(db, session, told.waitlisted + told.everyone, invited=False)
    return told.count


def reinstate_session(db: DbSession, session: Session) -> Session:
    """Put a cancelled session back on the agenda and in the feeds. Its bookings stay cancelled:
    people book again (the seats are all free)."""
    if not session.is_cancelled:
        raise DomainError(_("This session is not cancelled."))
    session.status = SessionStatus.SCHEDULED
    session.sequence = (session.sequence or 0) + 1
    session.changed_at = utcnow()
    db.flush()
    return session
