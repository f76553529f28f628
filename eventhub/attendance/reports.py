"""The attendance summary: every figure is one SQL GROUP BY; the number of queries is fixed.

Definitions (shown on the page too):
- whole event or one day (no session kind chosen):
  - registered: registrations that are submitted, approved or waitlisted (not cancelled or declined);
  - approved: registrations approved;
  - attended: people with at least one active (not undone) check-in matching the filters (the day)
    — including a cancelled registration the secretariat checked in by override;
  - no-shows: approved registrations without such a check-in.
- session-scoped (a session kind chosen, perhaps also a day): the figures count the matching
  sessions only, so registered/approved do not apply:
  - booked: people (registration not cancelled or declined) with a confirmed booking for at least
    one matching session;
  - attended: people checked in to at least one matching session (walk-ins without a booking too);
  - no-shows: booked people with no check-in to any matching session.
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
from eventhub.economies.models import Economy, EconomyKind
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

OTHER_KIND_NAMES = {EconomyKind.GUEST: ("guest", "guests"), EconomyKind.OBSERVER: ("observer", "observers"),
                    EconomyKind.ORGANISATION: ("organisation", "organisations"),
                    EconomyKind.MEMBER: ("member", "members")}
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

    @property
    def session_scoped(self) -> bool:
        """A session kind is chosen: the figures are about bookings of and check-ins to those sessions."""
        return self.kind is not None

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
    booked: int = 0

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
    # How many of the member economies (21 in APEC) attended, and how many non-members by kind.
    members_total: int = 0
    members_attended: int = 0
    others_attended: dict[EconomyKind, int] = field(default_factory=dict)

    @property
    def economies_headline(self) -> str:
        """ "11 of 21 member economies, plus 2 guests and 1 observer" — members apart from the others."""
        text = f"{self.members_attended} of {self.members_total} member economies"
        others = [f"{n} {OTHER_KIND_NAMES[kind][n != 1]}" for kind, n in sorted(
            self.others_attended.items(), key=lambda kv: list(EconomyKind).index(kv[0])) if n]
        if others:
            text += ", plus " + (others[0] if len(others) == 1 else ", ".join(others[:-1]) + " and " + others[-1])
        return text

    @property
    def women_attended(self) -> int:
        return next((r.attended for r in self.by_sex if r.key == Sex.FEMALE.value), 0)

    @property
    def session_scoped(self) -> bool:
        return self.filters.session_scoped

    @property
    def expected_label(self) -> str:
        """What the "expected" figure is: registered people, or for session-scoped figures booked ones."""
        return "Booked" if self.session_scoped else "Registered"

    def expected(self, row: Row) -> int:
        return row.booked if self.session_scoped else row.registered

    @property
    def count_columns(self) -> list[tuple[str, str]]:
        """(heading, Row attribute) of the count columns of every table, page and exports alike."""
        if self.session_scoped:
            return [("Booked", "booked"), ("Attended", "attended"), ("No-shows", "no_shows")]
        return [("Registered", "registered"), ("Approved", "approved"), ("Attended", "attended"),
                ("No-shows", "no_shows")]

    @property
    def women_registered(self) -> int:
        return next((self.expected(r) for r in self.by_sex if r.key == Sex.FEMALE.value), 0)

    @property
    def women_share(self) -> float | None:
        return self.women_attended / self.totals.attended if self.totals.attended else None

    @property
    def women_share_registered(self) -> float | None:
        expected = self.expected(self.totals)
        return self.women_registered / expected if expected else None

    @property
    def attendance_rate(self) -> float | None:
        base = self.totals.booked if self.session_scoped else self.totals.approved
        return (base - self.totals.no_shows) / base if base else None


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


def _booked(event: Event, filters: Filters):
    """Correlated EXISTS: the registration holds a confirmed booking for a session matching the filters."""
    query = (sa.select(Booking.id).join(Session, Session.id == Booking.session_id)
             .where(Booking.registration_id == Registration.id, Booking.status == BookingStatus.CONFIRMED,
                    Session.event_id == event.id, Session.status == SessionStatus.SCHEDULED,
                    Session.kind == filters.kind, Registration.status.in_(ACTIVE_STATUSES)))
    if filters.day is not None:
        start, end = _local_day_bounds(event, filters.day)
        query = query.where(Session.starts_at >= start, Session.starts_at < end)
    return query.correlate(Registration).exists()


def _counts(came, booked=None):
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


def _row(key: str, label: str, values, **kw) -> Row:
    registered, approved, attended, no_shows, booked = (int(v or 0) for v in values)
    return Row(key, label, registered, approved, attended, no_shows, booked=booked, **kw)


def _grouped(db_session: DbSession, event: Event, counts, column) -> dict:
    rows = db_session.execute(
        sa.select(column, *counts).where(Registration.event_id == event.id).group_by(column)
    ).all()
    return {key: tuple(values) for key, *values in rows}


def _enum_rows(counts: dict, enum_cls, labels) -> list[Row]:
    rows = []
    for member in enum_cls:
        values = counts.get(member, counts.get(member.value, (0, 0, 0, 0, 0)))
        rows.append(_row(member.value, labels(member), values))
    return rows


COUNT_FIELDS = ("registered", "approved", "attended", "no_shows", "booked")


def build_summary(db_session: DbSession, event: Event, filters: Filters | None = None) -> Summary:
    """The attendance summary of an event: a fixed number of GROUP BY queries whatever its size."""
    filters = filters or Filters()
    came = _came(filters)
    booked = _booked(event, filters) if filters.session_scoped else None
    counts = _counts(came, booked)
    # Whom the "of N" of the economies counts: registered ones, or for session-scoped figures booked ones.
    expected = booked if booked is not None else Registration.status.in_(ACTIVE_STATUSES)

    # 1. Totals and how many economies registered / attended.
    totals = db_session.execute(
        sa.select(*counts,
                  sa.func.count(sa.distinct(sa.case((expected, Registration.economy_id)))),
                  sa.func.count(sa.distinct(sa.case((came, Registration.economy_id)))),
                  sa.select(sa.func.count()).select_from(Economy)
                  .where(Economy.kind == EconomyKind.MEMBER, Economy.active.is_(True)).scalar_subquery())
        .select_from(Registration).where(Registration.event_id == event.id)
    ).one()
    total_row = _row("total", "Total", totals[:5])

    # 2. By economy, in APEC order.
    economy_rows = db_session.execute(
        sa.select(Economy.id, Economy.name, Economy.code, *counts).select_from(Registration)
        .join(Economy, Economy.id == Registration.economy_id)
        .where(Registration.event_id == event.id)
        .group_by(Economy.id, Economy.name, Economy.code, Economy.sort_key)
        .order_by(Economy.sort_key, Economy.id)
    ).all()
    by_economy = [_row(str(eid), name, values, code=code)
                  for eid, name, code, *values in economy_rows if any(values)]

    # 3–5. By sex, category and funding.
    by_sex = _enum_rows(_grouped(db_session, event, counts, Registration.sex), Sex, lambda m: m.label)
    by_category = _enum_rows(_grouped(db_session, event, counts, Registration.category), Category,
                             lambda m: CATEGORY_LABELS[m])
    for row in by_category:
        row.group = "Speakers and moderators" if row.key in SPEAKER_CATEGORIES else "Participants"
    by_category = [r for r in by_category if r.registered or r.attended or r.booked]
    groups = []
    for name in ("Speakers and moderators", "Participants"):
        members = [r for r in by_category if r.group == name]
        groups.append(_row(name.lower().split()[0], name,
                           [sum(getattr(r, f) for r in members) for f in COUNT_FIELDS]))
    by_funding = _enum_rows(_grouped(db_session, event, counts, Registration.funding), Funding, lambda m: m.label)

    summary = Summary(event, filters, total_row, int(totals[5] or 0), int(totals[6] or 0), by_economy, by_sex,
                      by_category, groups, by_funding)
    summary.members_total = int(totals[7] or 0)
    _economies_by_kind(db_session, event, came, summary)
    summary.per_day = _per_day(db_session, event, filters, total_row.approved)
    summary.per_session = _per_session(db_session, event, filters)
    summary.per_vehicle = _per_vehicle(db_session, event, filters)
    return summary


def _economies_by_kind(db_session: DbSession, event: Event, came, summary: Summary) -> None:
    """Economies that attended, per kind (one query)."""
    rows = db_session.execute(
        sa.select(Economy.kind, sa.func.count(sa.distinct(Registration.economy_id)))
        .select_from(Registration).join(Economy, Economy.id == Registration.economy_id)
        .where(Registration.event_id == event.id, came)
        .group_by(Economy.kind)
    ).all()
    found = {EconomyKind(kind): int(n) for kind, n in rows}
    summary.members_attended = found.pop(EconomyKind.MEMBER, 0)
    summary.others_attended = found


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
                       for d in days for start, end in [_local_day_bounds(event, d)]], else_=None)
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
