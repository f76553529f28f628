"""The SQL pieces every breakdown of the summary shares: who came, who booked, the count columns."""

from __future__ import annotations

import sqlalchemy as sa

from eventhub.agenda.models import Session, SessionStatus
from eventhub.attendance.models import CheckIn
from eventhub.attendance.reports.filters import Filters, local_day_bounds
from eventhub.events.models import Event
from eventhub.registration.models import ACTIVE_STATUSES, Registration, RegistrationStatus
from eventhub.signups.models import Booking, BookingStatus


def came_condition(filters: Filters):
    """Correlated EXISTS: the registration has an active check-in matching the filters.

    One index probe per registration (ix_checkins_registration); a LEFT JOIN to a DISTINCT
    subquery instead makes SQLite's planner nest loops over 100,000 check-ins.
    """
    query = sa.select(CheckIn.id).where(CheckIn.registration_id == Registration.id, CheckIn.undone_at.is_(None))
    if filters.day is not None:
        query = query.where(CheckIn.day == filters.day)
    if filters.kind is not None:
        query = query.join(Session, Session.id == CheckIn.session_id).where(Session.kind == filters.kind)
    return query.correlate(Registration).exists()


def booked_condition(event: Event, filters: Filters):
    """Correlated EXISTS: the registration holds a confirmed booking for a session matching the filters."""
    query = (sa.select(Booking.id).join(Session, Session.id == Booking.session_id)
             .where(Booking.registration_id == Registration.id, Booking.status == BookingStatus.CONFIRMED,
                    Session.event_id == event.id, Session.status == SessionStatus.SCHEDULED,
                    Session.kind == filters.kind, Registration.status.in_(ACTIVE_STATUSES)))
    if filters.day is not None:
        start, end = local_day_bounds(event, filters.day)
        query = query.where(Session.starts_at >= start, Session.starts_at < end)
    return query.correlate(Registration).exists()


def counts_of(came, booked=None):
    """registered, approved, attended, no-shows, booked (the last only for session-scoped figures)."""
    approved = Registration.status == RegistrationStatus.APPROVED
    attended = sa.func.sum(sa.case((came, 1), else_=0)).label("attended")
    if booked is not None:
        return (sa.literal(0).label("registered"), sa.literal(0).label("approved"), attended,
                sa.func.sum(sa.case((sa.and_(booked, ~came), 1), else_=0)).label("no_shows"),
                sa.func.sum(sa.case((booked, 1), else_=0)).label("booked"))
    return (
        sa.func.sum(sa.case((Registration.status.in_(ACTIVE_STATUSES), 1), else_=0)).label("registered"),
        sa.func.sum(sa.case((approved, 1), else_=0)).label("approved"),
        attended,
        sa.func.sum(sa.case((sa.and_(approved, ~came), 1), else_=0)).label("no_shows"),
        sa.literal(0).label("booked"),
    )
