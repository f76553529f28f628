"""The summary's tables along the programme: per day, per session, per site-visit vehicle."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import sqlalchemy as sa
from sqlalchemy.orm import Session as DbSession
from sqlalchemy.orm import aliased

from eventhub.agenda.models import Session, SessionKind, SessionStatus
from eventhub.attendance.models import CheckIn
from eventhub.attendance.reports.figures import DayRow, SessionRow, VehicleRow
from eventhub.attendance.reports.filters import UNTRACKED_KINDS, Filters, local_day_bounds
from eventhub.attendance.scopes import event_days
from eventhub.events.models import Event, Room
from eventhub.i18n import localized
from eventhub.registration.models import ACTIVE_STATUSES, Registration, RegistrationStatus, Sex
from eventhub.signups.models import Booking, BookingStatus, Vehicle


def per_day(db_session: DbSession, event: Event, filters: Filters, approved_total: int) -> list[DayRow]:
    """Per event day (or the filtered day): attended, women, economies and no-shows (one or two queries)."""
    query = (
        sa.select(CheckIn.day,
                  sa.func.count(sa.distinct(CheckIn.registration_id)),
                  sa.func.count(sa.distinct(sa.case((Registration.sex == Sex.FEMALE, CheckIn.registration_id)))),
                  sa.func.count(sa.distinct(Registration.economy_id)),
                  sa.func.count(sa.distinct(sa.case((Registration.status == RegistrationStatus.APPROVED,
                                                     CheckIn.registration_id)))))
        .join(Registration, Registration.id == CheckIn.registration_id)
        .where(CheckIn.event_id == event.id, CheckIn.undone_at.is_(None))
        .group_by(CheckIn.day)
    )
    if filters.kind is not None:
        query = query.join(Session, Session.id == CheckIn.session_id).where(Session.kind == filters.kind)
    found = {day: (n, women, economies, approved) for day, n, women, economies, approved in db_session.execute(query)}
    days = [filters.day] if filters.day else event_days(event)
    no_shows = _session_no_shows_per_day(db_session, event, filters, days) if filters.session_scoped else None
    rows = []
    for day in days:
        n, women, economies, approved = found.get(day, (0, 0, 0, 0))
        missed = no_shows.get(day, 0) if no_shows is not None else approved_total - approved
        rows.append(DayRow(day, n, women, economies, missed))
    return rows


def _session_no_shows_per_day(db_session: DbSession, event: Event, filters: Filters, days: list[date]) -> dict:
    """Per event-local day: people booked for a matching session that day with no check-in to one (one query)."""
    if not days:
        return {}
    # The event-local day of the booked session's start: check-ins carry the same day.
    day_of = sa.case(*[(sa.and_(Session.starts_at >= start, Session.starts_at < end), sa.literal(d, sa.Date))
                       for d in days for start, end in [local_day_bounds(event, d)]], else_=None)
    attended_session = aliased(Session)
    came = (sa.select(CheckIn.id).join(attended_session, attended_session.id == CheckIn.session_id)
            .where(CheckIn.registration_id == Booking.registration_id, CheckIn.undone_at.is_(None),
                   CheckIn.day == day_of, attended_session.kind == filters.kind)
            .correlate(Booking, Session).exists())
    query = (
        sa.select(day_of.label("day"), sa.func.count(sa.distinct(Booking.registration_id)),
                  sa.func.count(sa.distinct(sa.case((came, Booking.registration_id)))))
        .join(Session, Session.id == Booking.session_id)
        .join(Registration, Registration.id == Booking.registration_id)
        .where(Session.event_id == event.id, Session.status == SessionStatus.SCHEDULED,
               Session.kind == filters.kind, Booking.status == BookingStatus.CONFIRMED,
               Registration.status.in_(ACTIVE_STATUSES), day_of.is_not(None))
        .group_by(day_of)
    )
    return {_as_date(day): int(n) - int(attended or 0) for day, n, attended in db_session.execute(query)}


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def per_session(db_session: DbSession, event: Event, filters: Filters) -> list[SessionRow]:
    """Per scheduled session that people check in to: booked, attended, capacity (one query)."""
    booked = (sa.select(Booking.session_id, sa.func.count().label("n"))
              .join(Session, Session.id == Booking.session_id)
              .where(Session.event_id == event.id, Booking.status == BookingStatus.CONFIRMED)
              .group_by(Booking.session_id).subquery("booked"))
    # count(*) counts people: the partial unique index allows one active check-in per person and session.
    came = (sa.select(CheckIn.session_id, sa.func.count().label("n"))
            .where(CheckIn.event_id == event.id, CheckIn.undone_at.is_(None), CheckIn.session_id.is_not(None))
            .group_by(CheckIn.session_id).subquery("came"))
    query = (
        sa.select(Session.id, Session.title, Session.title_zh, Session.kind, Session.starts_at, Session.capacity,
                  Room.capacity, booked.c.n, came.c.n)
        .outerjoin(Room, Room.id == Session.room_id)
        .outerjoin(booked, booked.c.session_id == Session.id)
        .outerjoin(came, came.c.session_id == Session.id)
        .where(Session.event_id == event.id, Session.status == SessionStatus.SCHEDULED,
               Session.kind.not_in(UNTRACKED_KINDS))
        .order_by(Session.starts_at, Session.id)
    )
    if filters.kind is not None:
        query = query.where(Session.kind == filters.kind)
    if filters.day is not None:
        start, end = local_day_bounds(event, filters.day)
        query = query.where(Session.starts_at >= start, Session.starts_at < end)
    return [SessionRow(sid, localized(SimpleNamespace(title=title, title_zh=title_zh), "title"), SessionKind(kind),
                       starts_at, int(nb or 0), int(na or 0), capacity if capacity is not None else room_capacity)
            for sid, title, title_zh, kind, starts_at, capacity, room_capacity, nb, na in db_session.execute(query)]


def per_vehicle(db_session: DbSession, event: Event, filters: Filters) -> list[VehicleRow]:
    """Per site-visit vehicle: seats, assigned and boarded (one query)."""
    assigned = (sa.select(Booking.vehicle_id, sa.func.count().label("n"))
                .where(Booking.vehicle_id.is_not(None), Booking.status == BookingStatus.CONFIRMED)
                .group_by(Booking.vehicle_id).subquery("assigned"))
    boarded = (sa.select(CheckIn.vehicle_id, sa.func.count().label("n"))
               .where(CheckIn.event_id == event.id, CheckIn.undone_at.is_(None), CheckIn.vehicle_id.is_not(None))
               .group_by(CheckIn.vehicle_id).subquery("boarded"))
    query = (
        sa.select(Vehicle.id, Session.title, Vehicle.name, Vehicle.seats, assigned.c.n, boarded.c.n)
        .join(Session, Session.id == Vehicle.session_id)
        .outerjoin(assigned, assigned.c.vehicle_id == Vehicle.id)
        .outerjoin(boarded, boarded.c.vehicle_id == Vehicle.id)
        .where(Session.event_id == event.id, Session.status == SessionStatus.SCHEDULED)
        .order_by(Session.starts_at, Session.id, Vehicle.name)
    )
    if filters.kind is not None:
        query = query.where(Session.kind == filters.kind)
    if filters.day is not None:
        start, end = local_day_bounds(event, filters.day)
        query = query.where(Session.starts_at >= start, Session.starts_at < end)
    return [VehicleRow(vid, title, name, seats, int(na or 0), int(nb or 0))
            for vid, title, name, seats, na, nb in db_session.execute(query)]
