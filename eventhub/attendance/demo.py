"""Check-ins for the demo workshop, so the desk, the summary, its charts and exports show real figures.

Idempotent: once the demo's check-ins exist (source "demo"), nothing is added or changed — not even
a check-in a user undid. Choices are deterministic (by position), never random.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session as DbSession

from eventhub.accounts.models import User
from eventhub.agenda.models import Session, SessionKind, SessionStatus
from eventhub.attendance.checkin import check_in
from eventhub.attendance.models import CheckIn, CheckInSource
from eventhub.attendance.scopes import Scope, session_day
from eventhub.registration.models import Registration, RegistrationStatus
from eventhub.signups.models import Booking, BookingStatus

DESK_USER = "checkin@example.org"
SECRETARIAT_USER = "secretariat@example.org"  # records the sign-in sheets of unallocated roundtables
UNALLOCATED = "Sign-in sheet at the table: the roundtable's seats were not allocated in advance."


def load(db_session: DbSession, event) -> list[tuple[str, str]]:
    if db_session.scalar(sa.select(CheckIn.id).where(CheckIn.event_id == event.id,
                                                     CheckIn.source == CheckInSource.DEMO).limit(1)):
        return []
    people = list(db_session.scalars(
        sa.select(Registration).where(Registration.event_id == event.id,
                                      Registration.status == RegistrationStatus.APPROVED)
        .order_by(Registration.id)))
    if not people:
        return []
    desk = db_session.scalar(sa.select(User).where(User.email == DESK_USER))
    secretariat = db_session.scalar(sa.select(User).where(User.email == SECRETARIAT_USER))
    sessions = list(db_session.scalars(
        sa.select(Session).where(Session.event_id == event.id, Session.status == SessionStatus.SCHEDULED)
        .order_by(Session.starts_at, Session.id)))
    tz = event.tz
    day = event.start_date

    def at(base: datetime, minutes: float) -> datetime:
        return base + timedelta(minutes=minutes)

    def record(reg, scope, when, desk_name, override_reason=None):
        # A plain check-in needs a booking of a bookable session: the sign-in sheets of tables
        # nobody was allocated to are recorded as the secretariat's overrides, with the reason.
        check_in(db_session, event, reg, scope, by=secretariat if override_reason else desk,
                 source=CheckInSource.DEMO, desk=desk_name, scanned_at=when, now=when + timedelta(seconds=2),
                 override=override_reason is not None, override_reason=override_reason)

    # Most people come: every seventh approved delegate is a no-show.
    came = [r for i, r in enumerate(people) if i % 7 != 6]
    morning = datetime(day.year, day.month, day.day, 8, 20, tzinfo=tz)
    for i, reg in enumerate(came):
        record(reg, Scope(day), at(morning, i * 1.5 + (i % 3) * 0.4), "Main desk" if i % 2 else "Desk 2")

    # The plenary: the opening and the expert presentations.
    for s in sessions:
        if s.kind not in (SessionKind.OPENING, SessionKind.PLENARY, SessionKind.PRESENTATION):
            continue
        start = s.starts_at.astimezone(tz)
        for i, reg in enumerate(came):
            if s.kind == SessionKind.PRESENTATION and i % 6 == 5:
                continue  # a few were in the corridor
            record(reg, Scope(session_day(event, s), s), at(start, -8 + i * 0.2), "Hall A door")

    came_ids = {r.id for r in came}
    by_id = {r.id: r for r in people}
    bookings = list(db_session.scalars(
        sa.select(Booking).where(Booking.session_id.in_([s.id for s in sessions]),
                                 Booking.status == BookingStatus.CONFIRMED).order_by(Booking.id)))
    booked: dict[int, list[Booking]] = {}
    for b in bookings:
        booked.setdefault(b.session_id, []).append(b)

    # Roundtables: sign-in sheets at each table (the booked people, or everyone in turn if not allocated).
    tables = [s for s in sessions if s.kind == SessionKind.ROUNDTABLE]
    unallocated = list(came)
    for t_index, table in enumerate(tables):
        start = table.starts_at.astimezone(tz)
        seated = [by_id[b.registration_id] for b in booked.get(table.id, []) if b.registration_id in came_ids]
        reason = None
        if not booked.get(table.id):
            seated = [r for i, r in enumerate(unallocated) if i % len(tables) == t_index]
            reason = UNALLOCATED if table.bookable else None
        for i, reg in enumerate(seated):
            if i % 8 == 7:
                continue
            record(reg, Scope(session_day(event, table), table), at(start, -3 + i * 0.3), table.title[:60], reason)

    # Site visits: boarding the buses, each person on the vehicle they were assigned.
    for s in sessions:
        if s.kind != SessionKind.SITE_VISIT:
            continue
        start = s.starts_at.astimezone(tz)
        for i, b in enumerate(booked.get(s.id, [])):
            reg = by_id.get(b.registration_id)
            if reg is None or reg.id not in came_ids or i % 9 == 8:
                continue
            vehicle = b.vehicle
            scope = Scope(session_day(event, s), s, vehicle)
            record(reg, scope, at(start, -20 + i * 0.5), f"{vehicle.name} door" if vehicle else "Coach park")
    db_session.flush()
    return []
