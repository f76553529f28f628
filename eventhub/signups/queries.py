"""Read-side queries for booking pages: a fixed number of statements, whatever the data size."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import Session as DbSession
from sqlalchemy.orm import selectinload

from eventhub.agenda.models import Session, SessionSpeaker, SessionStatus, SignupMode, busy_span
from eventhub.registration.models import Delegation, FocalPoint, Registration, RegistrationStatus
from eventhub.signups.models import (
    AllocationRun,
    AllocationStatus,
    Booking,
    BookingStatus,
    RoundtablePreference,
    Vehicle,
)

ACTIVE = (BookingStatus.CONFIRMED, BookingStatus.WAITLISTED)


def own_registration(db: DbSession, event_id: int, user) -> Registration | None:
    """The logged-in person's active registration in the event (approved first)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    rows = db.scalars(
        sa.select(Registration).where(Registration.event_id == event_id, Registration.user_id == user.id,
                                      Registration.status.in_([RegistrationStatus.APPROVED,
                                                               RegistrationStatus.SUBMITTED,
                                                               RegistrationStatus.WAITLISTED]))
        .options(selectinload(Registration.economy))
        .order_by(Registration.id)
    ).all()
    for reg in rows:
        if reg.status == RegistrationStatus.APPROVED:
            return reg
    return rows[0] if rows else None


def registrations_user_books_for(db: DbSession, event_id: int, user) -> list[Registration]:
    """Approved registrations the user may book for: their own and, for a focal point, their delegation's."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    focal = sa.select(FocalPoint.delegation_id).join(Delegation, Delegation.id == FocalPoint.delegation_id).where(
        FocalPoint.user_id == user.id, Delegation.event_id == event_id)
    return list(db.scalars(
        sa.select(Registration).where(
            Registration.event_id == event_id, Registration.status == RegistrationStatus.APPROVED,
            sa.or_(Registration.user_id == user.id, Registration.delegation_id.in_(focal)))
        .options(selectinload(Registration.economy))
        .order_by(sa.case((Registration.user_id == user.id, 0), else_=1), Registration.family_name,
                  Registration.given_name)
    ))


def overlapping_seats(db: DbSession, registration_ids: list[int], session: Session) -> dict[int, Session]:
    """registration id -> another session where that person holds a confirmed seat at the same time
    as `session` (departure to return for site visits). One query for all the people."""
    if not registration_ids:
        return {}
    start, end = busy_span(session)
    rows = db.execute(
        sa.select(Booking.registration_id, Session).join(Session, Session.id == Booking.session_id)
        .where(Booking.registration_id.in_(registration_ids), Booking.status == BookingStatus.CONFIRMED,
               Session.id != session.id, Session.status == SessionStatus.SCHEDULED)
        .options(selectinload(Session.site_visit)).order_by(Session.starts_at)
    ).all()
    out: dict[int, Session] = {}
    for rid, other in rows:
        o_start, o_end = busy_span(other)
        if o_start < end and start < o_end:
            out.setdefault(rid, other)
    return out


def bookings_by_person(db: DbSession, registration_ids: list[int]
                       ) -> dict[int, list[tuple[Session, Booking, int | None]]]:
    """registration id -> [(session, active booking, waitlist position or None)], by start time.
    For a focal point's overview of the delegation; three queries whatever the numbers."""
    states = bookings_of(db, registration_ids)
    sessions = {s.id: s for s in db.scalars(
        sa.select(Session).where(Session.id.in_({sid for sid, _ in states} or {0})))}
    out: dict[int, list[tuple[Session, Booking, int | None]]] = {}
    for (sid, rid), (booking, position) in states.items():
        out.setdefault(rid, []).append((sessions[sid], booking, position))
    for items in out.values():
        items.sort(key=lambda item: (item[0].starts_at, item[0].id))
    return out


def _position_column():
    return sa.func.row_number().over(
        partition_by=Booking.session_id, order_by=(Booking.waitlisted_at, Booking.id))


def bookings_of(db: DbSession, registration_ids: list[int], session_ids: list[int] | None = None
                ) -> dict[tuple[int, int], tuple[Booking, int | None]]:
    """(session id, registration id) -> (active booking, waitlist position or None). Two queries."""
    if not registration_ids:
        return {}
    stmt = sa.select(Booking).where(Booking.registration_id.in_(registration_ids), Booking.status.in_(ACTIVE))
    if session_ids is not None:
        stmt = stmt.where(Booking.session_id.in_(session_ids))
    bookings = db.scalars(stmt).all()
    waiting_sessions = {b.session_id for b in bookings if b.status == BookingStatus.WAITLISTED}
    positions: dict[int, int] = {}
    if waiting_sessions:
        ranked = (
            sa.select(Booking.id.label("id"), Booking.registration_id.label("rid"), _position_column().label("pos"))
            .where(Booking.session_id.in_(waiting_sessions), Booking.status == BookingStatus.WAITLISTED)
            .subquery()
        )
        positions = dict(db.execute(
            sa.select(ranked.c.id, ranked.c.pos).where(ranked.c.rid.in_(registration_ids))).all())
    return {(b.session_id, b.registration_id): (b, positions.get(b.id)) for b in bookings}


@dataclass
class Roster:
    confirmed: list[Booking]
    waitlist: list[Booking]
    vehicles: list[Vehicle]
    by_vehicle: dict[int | None, list[Booking]] = field(default_factory=dict)


def roster(db: DbSession, session_id: int) -> Roster:
    """Who holds a seat, who waits (in order), and who rides which vehicle."""
    bookings = db.scalars(
        sa.select(Booking).where(Booking.session_id == session_id, Booking.status.in_(ACTIVE))
        .options(selectinload(Booking.registration).selectinload(Registration.economy))
        .order_by(Booking.waitlisted_at, Booking.created_at, Booking.id)
    ).all()
    confirmed = sorted([b for b in bookings if b.status == BookingStatus.CONFIRMED],
                       key=lambda b: (b.registration.economy.sort_key, b.registration.family_name.casefold(),
                                      b.registration.given_name.casefold()))
    waitlist = [b for b in bookings if b.status == BookingStatus.WAITLISTED]
    vehicles = list(db.scalars(sa.select(Vehicle).where(Vehicle.session_id == session_id).order_by(Vehicle.name)))
    by_vehicle: dict[int | None, list[Booking]] = defaultdict(list)
    for b in confirmed:
        by_vehicle[b.vehicle_id].append(b)
    return Roster(confirmed, waitlist, vehicles, dict(by_vehicle))


@dataclass
class Programme:
    registration: Registration
    booked: list[tuple[Session, Booking]]
    waiting: list[tuple[Session, Booking, int]]
    everyone: list[Session]
    preferences: dict  # slot -> list of (rank, session)
    placements: list[tuple[Session, Booking]]  # roundtable results
    pending_slots: list  # slots ranked but not yet allocated
    timeline: list[tuple[Session, str]] = field(default_factory=list)  # (session, "booked"/"everyone"/…)


def programme(db: DbSession, event_id: int, registration: Registration) -> Programme:
    """A delegate's programme in a fixed number of queries."""
    booking_rows = bookings_of(db, [registration.id])
    prefs = db.execute(
        sa.select(RoundtablePreference.slot, RoundtablePreference.rank, RoundtablePreference.session_id)
        .where(RoundtablePreference.registration_id == registration.id)
        .order_by(RoundtablePreference.slot, RoundtablePreference.rank)
    ).all()
    session_ids = {sid for sid, _ in booking_rows} | {p.session_id for p in prefs}
    sessions = {s.id: s for s in db.scalars(
        sa.select(Session).where(
            Session.event_id == event_id,
            sa.or_(Session.id.in_(session_ids or [0]), Session.for_everyone.is_(True)))
        .options(selectinload(Session.room), selectinload(Session.site_visit),
                 selectinload(Session.speakers).selectinload(SessionSpeaker.registration))
    )}
    published_slots = set(db.scalars(
        sa.select(AllocationRun.slot).where(AllocationRun.event_id == event_id,
                                            AllocationRun.status == AllocationStatus.PUBLISHED)))
    booked, waiting, placements = [], [], []
    for (sid, _rid), (booking, position) in booking_rows.items():
        session = sessions[sid]
        if booking.status == BookingStatus.CONFIRMED:
            if session.signup_mode == SignupMode.PREFERENCE:
                placements.append((session, booking))
            booked.append((session, booking))
        else:
            waiting.append((session, booking, position))
    preferences: dict = defaultdict(list)
    for p in prefs:
        preferences[p.slot].append((p.rank, sessions[p.session_id]))
    placed_slots = {s.starts_at for s, _ in placements}
    pending = [slot for slot in preferences if slot not in published_slots and slot not in placed_slots]
    everyone = [s for s in sessions.values() if s.for_everyone and s.status == SessionStatus.SCHEDULED]
    timeline = [(s, "booked") for s, _ in booked] + [(s, "everyone") for s in everyone
                                                     if s.id not in {b.id for b, _ in booked}]
    timeline.sort(key=lambda item: (item[0].starts_at, item[0].id))
    return Programme(
        registration=registration,
        booked=sorted(booked, key=lambda x: x[0].starts_at),
        waiting=sorted(waiting, key=lambda x: x[0].starts_at),
        everyone=sorted(everyone, key=lambda s: s.starts_at),
        preferences=dict(preferences),
        placements=placements,
        pending_slots=sorted(pending),
        timeline=timeline,
    )
