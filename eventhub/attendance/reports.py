"""The attendance summary: every figure is one SQL GROUP BY; the number of queries is fixed.

Definitions (shown on the page too):
- registered: registrations that are submitted, approved or waitlisted (not cancelled or declined);
- approved: registrations approved;
- attended: people with at least one active (not undone) check-in matching the filters (day,
  session kind) — including a cancelled registration the secretariat checked in by override;
- no-shows: approved registrations without such a check-in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session as DbSession
from sqlalchemy.orm import aliased

from eventhub.agenda.models import Session, SessionKind, SessionStatus
from eventhub.attendance.models import CheckIn
from eventhub.attendance.scopes import event_days
from eventhub.economies.models import Economy
from eventhub.events.models import Event, Room
from eventhub.registration.models import (
    ACTIVE_STATUSES,
    CATEGORY_LABELS,
    Category,
    Funding,
    Registration,
    RegistrationStatus,
    Sex,
)
from eventhub.signups.models import Booking, BookingStatus, Vehicle

SPEAKER_CATEGORIES = (Category.SPEAKER, Category.MODERATOR)
# Sessions nobody checks in to.
UNTRACKED_KINDS = (SessionKind.BREAK, SessionKind.MEAL)


@dataclass
class Filters:
    day: date | None = None
    kind: SessionKind | None = None

    @property
    def active(self) -> bool:
        return self.day is not None or self.kind is not None

    def describe(self) -> str:
        parts = []
        if self.day:
            parts.append(self.day.strftime("%a %-d %b %Y"))
        if self.kind:
            parts.append(f"{self.kind.label} sessions")
        return ", ".join(parts) or "whole event"

    def query_args(self) -> dict:
        args = {}
        if self.day:
            args["day"] = self.day.isoformat()
        if self.kind:
            args["kind"] = self.kind.value
        return args


@dataclass
class Row:
    key: str
    label: str
    registered: int = 0
    approved: int = 0
    attended: int = 0
    no_shows: int = 0
    code: str = ""
    group: str = ""

    def share_of(self, total: int) -> float | None:
        return self.attended / total if total else None


@dataclass
class DayRow:
    day: date
    attended: int
    women: int
    economies: int
    no_shows: int


@dataclass
class SessionRow:
    session_id: int
    title: str
    kind: SessionKind
    starts_at: datetime
    booked: int
    attended: int
    capacity: int | None

    @property
    def fill_rate(self) -> float | None:
        return self.attended / self.capacity if self.capacity else None


@dataclass
class VehicleRow:
    vehicle_id: int
    session_title: str
    name: str
    seats: int
    assigned: int
    boarded: int


@dataclass
class Summary:
    event: Event
    filters: Filters
    totals: Row
    economies_registered: int
    economies_represented: int
    by_economy: list[Row] = field(default_factory=list)
    by_sex: list[Row] = field(default_factory=list)
    by_category: list[Row] = field(default_factory=list)
    category_groups: list[Row] = field(default_factory=list)
    by_funding: list[Row] = field(default_factory=list)
    per_day: list[DayRow] = field(default_factory=list)
    per_session: list[SessionRow] = field(default_factory=list)
    per_vehicle: list[VehicleRow] = field(default_factory=list)

    @property
    def women_attended(self) -> int:
        return next((r.attended for r in self.by_sex if r.key == Sex.FEMALE.value), 0)

    @property
    def women_registered(self) -> int:
        return next((r.registered for r in self.by_sex if r.key == Sex.FEMALE.value), 0)

    @property
    def women_share(self) -> float | None:
        return self.women_attended / self.totals.attended if self.totals.attended else None

    @property
    def women_share_registered(self) -> float | None:
        return self.women_registered / self.totals.registered if self.totals.registered else None

    @property
    def attendance_rate(self) -> float | None:
        approved_attended = self.totals.approved - self.totals.no_shows
        return approved_attended / self.totals.approved if self.totals.approved else None


def _came(filters: Filters):
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


def _counts(came):
    approved = Registration.status == RegistrationStatus.APPROVED
    return (
        sa.func.sum(sa.case((Registration.status.in_(ACTIVE_STATUSES), 1), else_=0)).label("registered"),
        sa.func.sum(sa.case((approved, 1), else_=0)).label("approved"),
        sa.func.sum(sa.case((came, 1), else_=0)).label("attended"),
        sa.func.sum(sa.case((sa.and_(approved, ~came), 1), else_=0)).label("no_shows"),
    )


def _grouped(db_session: DbSession, event: Event, came, column) -> dict:
    rows = db_session.execute(
        sa.select(column, *_counts(came)).where(Registration.event_id == event.id).group_by(column)
    ).all()
    return {key: tuple(int(v or 0) for v in values) for key, *values in rows}


def _enum_rows(counts: dict, enum_cls, labels) -> list[Row]:
    rows = []
    for member in enum_cls:
        values = counts.get(member, counts.get(member.value, (0, 0, 0, 0)))
        rows.append(Row(member.value, labels(member), *values))
    return rows


def build_summary(db_session: DbSession, event: Event, filters: Filters | None = None) -> Summary:
    """The attendance summary of an event: eight GROUP BY queries whatever the size of the event."""
    filters = filters or Filters()
    came = _came(filters)

    # 1. Totals and how many economies registered / attended.
    totals = db_session.execute(
        sa.select(*_counts(came),
                  sa.func.count(sa.distinct(sa.case((Registration.status.in_(ACTIVE_STATUSES),
                                                     Registration.economy_id)))),
                  sa.func.count(sa.distinct(sa.case((came, Registration.economy_id)))))
        .select_from(Registration).where(Registration.event_id == event.id)
    ).one()
    total_row = Row("total", "Total", *(int(v or 0) for v in totals[:4]))

    # 2. By economy, in APEC order.
    economy_rows = db_session.execute(
        sa.select(Economy.id, Economy.name, Economy.code, *_counts(came)).select_from(Registration)
        .join(Economy, Economy.id == Registration.economy_id)
        .where(Registration.event_id == event.id)
        .group_by(Economy.id, Economy.name, Economy.code, Economy.sort_key)
        .order_by(Economy.sort_key, Economy.id)
    ).all()
    by_economy = [Row(str(eid), name, *(int(v or 0) for v in values), code=code)
                  for eid, name, code, *values in economy_rows if any(values)]

    # 3–5. By sex, category and funding.
    by_sex = _enum_rows(_grouped(db_session, event, came, Registration.sex), Sex, lambda m: m.label)
    by_category = _enum_rows(_grouped(db_session, event, came, Registration.category), Category,
                             lambda m: CATEGORY_LABELS[m])
    for row in by_category:
        row.group = "Speakers and moderators" if row.key in SPEAKER_CATEGORIES else "Participants"
    by_category = [r for r in by_category if r.registered or r.attended]
    groups = []
    for name in ("Speakers and moderators", "Participants"):
        members = [r for r in by_category if r.group == name]
        groups.append(Row(name.lower().split()[0], name, *(sum(getattr(r, f) for r in members)
                                                          for f in ("registered", "approved", "attended", "no_shows"))))
    by_funding = _enum_rows(_grouped(db_session, event, came, Registration.funding), Funding, lambda m: m.label)

    summary = Summary(event, filters, total_row, int(totals[4] or 0), int(totals[5] or 0), by_economy, by_sex,
                      by_category, groups, by_funding)
    summary.per_day = _per_day(db_session, event, filters, total_row.approved)
    summary.per_session = _per_session(db_session, event, filters)
    summary.per_vehicle = _per_vehicle(db_session, event, filters)
    return summary


def _per_day(db_session: DbSession, event: Event, filters: Filters, approved_total: int) -> list[DayRow]:
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
    rows = []
    for day in days:
        n, women, economies, approved = found.get(day, (0, 0, 0, 0))
        rows.append(DayRow(day, n, women, economies, approved_total - approved))
    return rows


def _local_day_bounds(event: Event, day: date) -> tuple[datetime, datetime]:
    start = datetime(day.year, day.month, day.day, tzinfo=event.tz)
    return start, start + timedelta(days=1)


def _per_session(db_session: DbSession, event: Event, filters: Filters) -> list[SessionRow]:
    booked = (sa.select(Booking.session_id, sa.func.count().label("n"))
              .join(Session, Session.id == Booking.session_id)
              .where(Session.event_id == event.id, Booking.status == BookingStatus.CONFIRMED)
              .group_by(Booking.session_id).subquery("booked"))
    # count(*) counts people: the partial unique index allows one active check-in per person and session.
    came = (sa.select(CheckIn.session_id, sa.func.count().label("n"))
            .where(CheckIn.event_id == event.id, CheckIn.undone_at.is_(None), CheckIn.session_id.is_not(None))
            .group_by(CheckIn.session_id).subquery("came"))
    query = (
        sa.select(Session.id, Session.title, Session.kind, Session.starts_at, Session.capacity, Room.capacity,
                  booked.c.n, came.c.n)
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
        start, end = _local_day_bounds(event, filters.day)
        query = query.where(Session.starts_at >= start, Session.starts_at < end)
    return [SessionRow(sid, title, SessionKind(kind), starts_at, int(nb or 0), int(na or 0),
                       capacity if capacity is not None else room_capacity)
            for sid, title, kind, starts_at, capacity, room_capacity, nb, na in db_session.execute(query)]


def _per_vehicle(db_session: DbSession, event: Event, filters: Filters) -> list[VehicleRow]:
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
        start, end = _local_day_bounds(event, filters.day)
        query = query.where(Session.starts_at >= start, Session.starts_at < end)
    return [VehicleRow(vid, title, name, seats, int(na or 0), int(nb or 0))
            for vid, title, name, seats, na, nb in db_session.execute(query)]


def session_kinds_in_use(db_session: DbSession, event: Event) -> list[SessionKind]:
    kinds = db_session.scalars(sa.select(Session.kind).where(Session.event_id == event.id,
                                                             Session.kind.not_in(UNTRACKED_KINDS)).distinct())
    present = set(kinds)
    return [k for k in SessionKind if k in present]


# --- One session's attendance list -----------------------------------------------------------------

@dataclass
class ListEntry:
    registration: Registration
    booked: bool
    vehicle_name: str
    checked_in_at: datetime | None
    checkin_vehicle: str


def session_attendance(db_session: DbSession, event: Event, session: Session) -> list[ListEntry]:
    """Everyone booked for or checked in to one session, in APEC economy order then name (one query)."""
    booking = aliased(Booking)
    checkin = aliased(CheckIn)
    booked_vehicle = aliased(Vehicle)
    checkin_vehicle = aliased(Vehicle)
    rows = db_session.execute(
        sa.select(Registration, Economy, booking.id, booked_vehicle.name, checkin.scanned_at, checkin_vehicle.name)
        .join(Economy, Economy.id == Registration.economy_id)
        .outerjoin(booking, sa.and_(booking.registration_id == Registration.id, booking.session_id == session.id,
                                    booking.status == BookingStatus.CONFIRMED))
        .outerjoin(booked_vehicle, booked_vehicle.id == booking.vehicle_id)
        .outerjoin(checkin, sa.and_(checkin.registration_id == Registration.id, checkin.session_id == session.id,
                                    checkin.undone_at.is_(None)))
        .outerjoin(checkin_vehicle, checkin_vehicle.id == checkin.vehicle_id)
        .where(Registration.event_id == event.id, sa.or_(booking.id.is_not(None), checkin.id.is_not(None)))
        .order_by(Economy.sort_key, Registration.family_name, Registration.given_name, Registration.id)
    ).all()
    return [ListEntry(reg, booking_id is not None, bv or "", scanned, cv or "")
            for reg, _economy, booking_id, bv, scanned, cv in rows]
