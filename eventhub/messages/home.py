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
    checklist: list = field(default_factory=list)  # eventhub.messages.checklist.Item
    meetings: list[tuple] = field(default_factory=list)  # (slot, table, the other person)
    messages: list[tuple[str, datetime]] = field(default_factory=list)  # (subject, sent at)
    badge_qr: str | None = None  # an SVG data URI of the badge's signed token: the e-ticket

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
    from eventhub.messages.checklist import checklists

    approved = reg.status == RegistrationStatus.APPROVED
    todo = checklists(db, event, [reg], now, for_self=True)[reg.id]
    received = messages_received(db, reg)
    if not approved:
        return Home(reg, False, waitlist_position, None, checklist=todo, messages=received)
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
    from eventhub.messages.reminders_values import scheduled_meetings

    return Home(reg, True, waitlist_position, prog, coming[:NEXT_ITEMS], departures, checklist=todo,
                meetings=scheduled_meetings(db, [reg.id]).get(reg.id, []), messages=received,
                badge_qr=badge_qr(db, event, reg))


def badge_qr(db: DbSession, event, reg: Registration) -> str:
    """The badge's QR code (the same signed token as the printed badge, its current version) to show
    at the desk from a phone."""
    import segno
    from flask import current_app

    from eventhub.attendance.people import badge_versions
    from eventhub.attendance.tokens import sign_badge

    token = sign_badge(current_app.config["SECRET_KEY"], event.id, reg.id, badge_versions(db, [reg.id]).get(reg.id, 0))
    return segno.make(token, error="m").svg_data_uri(scale=6, border=2, dark="#000000")


# How many of the messages a person was sent the page lists.
MESSAGES_SHOWN = 20


def messages_received(db: DbSession, reg: Registration) -> list[tuple[str, datetime]]:
    """(subject, sent at) of the e-mails sent to this person about this registration, newest first: the
    deferred messages record the registration's id (registration, booking and reminder e-mails)."""
    from eventhub.mail.models import MailStatus, OutboxMessage

    return [tuple(row) for row in db.execute(
        sa.select(OutboxMessage.subject, OutboxMessage.sent_at)
        .where(OutboxMessage.recipients == reg.email, OutboxMessage.status == MailStatus.SENT,
               OutboxMessage.params["registration"].as_integer() == reg.id)
        .order_by(OutboxMessage.sent_at.desc(), OutboxMessage.id.desc()).limit(MESSAGES_SHOWN)).all()]


@dataclass
class DelegationChecklist:
    delegation: object
    people: list[tuple[Registration, list]]  # (registration, its checklist items)


def focal_checklists(db: DbSession, event, user, now: datetime) -> list[DelegationChecklist]:
    """The checklist of each person of each delegation `user` is focal point of, in a fixed number of
    queries whatever the delegations' size."""
    from sqlalchemy.orm import selectinload

    from eventhub.messages.checklist import checklists
    from eventhub.registration.models import ACTIVE_STATUSES, Delegation, FocalPoint

    delegations = list(db.scalars(
        sa.select(Delegation).join(FocalPoint, FocalPoint.delegation_id == Delegation.id)
        .where(FocalPoint.user_id == user.id, Delegation.event_id == event.id)
        .options(selectinload(Delegation.economy)).order_by(Delegation.id)))
    if not delegations:
        return []
    regs = list(db.scalars(sa.select(Registration).where(
        Registration.delegation_id.in_([d.id for d in delegations]), Registration.status.in_(ACTIVE_STATUSES))
        .order_by(Registration.family_name, Registration.given_name, Registration.id)))
    items = checklists(db, event, regs, now)
    return [DelegationChecklist(d, [(r, items[r.id]) for r in regs if r.delegation_id == d.id]) for d in delegations]


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
