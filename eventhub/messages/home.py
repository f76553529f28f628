"""What a delegate's home page for an event shows: their registration's state, what comes next in their
programme, their bookings and waitlist places, and for a site visit when and where the bus leaves.

A plain function over explicit arguments, read-only: the page (views.py) and tests call it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session as DbSession

from eventhub.agenda.models import Session, SessionKind
from eventhub.registration.models import Registration, RegistrationStatus
from eventhub.signups.models import Vehicle
from eventhub.signups.queries import Programme, programme

# How many of the coming programme items the page lists before linking to the full programme.
NEXT_ITEMS = 5


@dataclass
class Departure:
    """A booked site visit's departure: what the delegate needs on the day."""

    session: Session
    departs_at: datetime | None
    meeting_point: str
    vehicle: Vehicle | None


@dataclass
class Home:
    registration: Registration
    approved: bool
    waitlist_position: int | None
    programme: Programme | None
    next_items: list[tuple[Session, str]] = field(default_factory=list)
    departures: list[Departure] = field(default_factory=list)

    @property
    def todo(self) -> list[str]:
        """Keys of what the delegate still has to do (the template words them)."""
        reg = self.registration
        keys = []
        if reg.needs_confirmation and not reg.confirmed_by_delegate:
            keys.append("confirm")
        if self.programme is not None and self.programme.pending_slots:
            keys.append("ranking_pending")
        return keys


def delegate_home(db: DbSession, event, reg: Registration, now: datetime, waitlist_position: int | None) -> Home:
    """The home page of `reg` in `event` at `now`, in a fixed number of queries (programme() plus one
    for the vehicles)."""
    approved = reg.status == RegistrationStatus.APPROVED
    if not approved:
        return Home(reg, False, waitlist_position, None)
    prog = programme(db, event.id, reg)
    coming = [(s, how) for s, how in prog.timeline if s.ends_at > now and not s.is_cancelled]
    vehicle_ids = {b.vehicle_id for _s, b in prog.booked if b.vehicle_id is not None}
    vehicles = {v.id: v for v in db.scalars(sa.select(Vehicle).where(Vehicle.id.in_(vehicle_ids)))} \
        if vehicle_ids else {}
    departures = []
    for s, booking in prog.booked:
        if s.kind != SessionKind.SITE_VISIT or s.ends_at <= now:
            continue
        visit = s.site_visit
        departures.append(Departure(
            session=s, departs_at=(visit.departs_at if visit is not None else None) or s.starts_at,
            meeting_point=visit.meeting_point if visit is not None else "",
            vehicle=vehicles.get(booking.vehicle_id) if booking.vehicle_id else None))
    return Home(reg, True, waitlist_position, prog, coming[:NEXT_ITEMS], departures)


def single_home_registration(db: DbSession, user) -> Registration | None:
    """The user's one active registration when they have exactly one and manage nothing (no staff role,
    no delegation): where log-in should take them. None otherwise (they choose on "My events")."""
    from eventhub.accounts.models import EventRole
    from eventhub.registration.models import ACTIVE_STATUSES, FocalPoint

    if user.is_admin:
        return None
    for model in (EventRole, FocalPoint):
        if db.scalar(sa.select(model.id).where(model.user_id == user.id).limit(1)) is not None:
            return None
    regs = list(db.scalars(sa.select(Registration).where(
        Registration.user_id == user.id, Registration.status.in_(ACTIVE_STATUSES)).limit(2)))
    return regs[0] if len(regs) == 1 else None
