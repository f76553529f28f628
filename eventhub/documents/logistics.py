"""The catering and logistics lists the secretariat sends before the day: dietary and accessibility
needs with counts, arrivals and departures per day, and the visa letters still pending.

Who is counted: registrations that are submitted, approved or waitlisted (the attendance summary's
"registered"), so the caterer hears of everyone who may come. Needs are counted as written, with
case and surrounding spaces ignored ("Halal" and "halal " are one need). Days are event-local; the
days from a week before the event to a week after it are counted one by one, any other date under
"other dates". Read-only: a fixed number of queries (GROUP BY for the counts) whatever the size.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session as DbSession

from eventhub.attendance.exports import Table
from eventhub.attendance.reports.filters import local_day_bounds
from eventhub.documents.letters import LETTER_STATES, LetterRow, due_date, letter_rows, settings_for
from eventhub.economies.models import Economy
from eventhub.events.models import Event
from eventhub.exports import local_naive, zoned
from eventhub.formatting import day_label
from eventhub.i18n import localized
from eventhub.registration.models import ACTIVE_STATUSES, Registration

WINDOW_DAYS = 7


@dataclass(frozen=True)
class NeedCount:
    need: str
    count: int


@dataclass(frozen=True)
class Person:
    """One registered person's logistics line (plain values: no lazy loads in templates or exports)."""

    registration_id: int
    name: str
    economy: str
    status: str
    dietary: str
    accessibility: str
    arrival_at: datetime | None
    departure_at: datetime | None


@dataclass(frozen=True)
class DayCount:
    day: date | None  # None: a date outside the counted window
    arrivals: int
    departures: int


@dataclass
class Logistics:
    event: Event
    dietary: list[NeedCount]
    accessibility: list[NeedCount]
    days: list[DayCount]
    needs: list[Person]  # people with a dietary or accessibility need
    travellers: list[Person]  # people who gave an arrival or a departure
    letters_pending: list[LetterRow]
    letters_due: date

    @property
    def dietary_total(self) -> int:
        return sum(n.count for n in self.dietary)

    @property
    def accessibility_total(self) -> int:
        return sum(n.count for n in self.accessibility)


def _registered(event: Event):
    return sa.and_(Registration.event_id == event.id, Registration.status.in_(ACTIVE_STATUSES),
                   Registration.personal_data_purged_at.is_(None))


def _need_counts(db_session: DbSession, event: Event, column) -> list[NeedCount]:
    key = sa.func.lower(sa.func.trim(column))
    rows = db_session.execute(
        sa.select(sa.func.min(sa.func.trim(column)), sa.func.count())
        .where(_registered(event), sa.func.trim(column) != "")
        .group_by(key).order_by(sa.func.count().desc(), key)).all()
    return [NeedCount(need, int(n)) for need, n in rows]


def _window(event: Event) -> list[date]:
    first = event.start_date - timedelta(days=WINDOW_DAYS)
    return [first + timedelta(days=i) for i in range((event.end_date - first).days + WINDOW_DAYS + 1)]


def _per_day(db_session: DbSession, event: Event, column, days: list[date]) -> dict[date | None, int]:
    """{event-local day or None (outside the window): people}, one GROUP BY over a CASE of the
    days' UTC bounds (the same in SQLite and PostgreSQL, whatever the zone's offset)."""
    day_of = sa.case(*[(sa.and_(column >= start, column < end), sa.literal(d, sa.Date))
                       for d in days for start, end in [local_day_bounds(event, d)]], else_=None)
    rows = db_session.execute(sa.select(day_of, sa.func.count()).where(_registered(event), column.is_not(None))
                              .group_by(day_of)).all()
    return {(d if d is None or isinstance(d, date) else date.fromisoformat(str(d))): int(n) for d, n in rows}


def _people(db_session: DbSession, event: Event, condition, order) -> list[Person]:
    rows = db_session.execute(
        sa.select(Registration, Economy).join(Economy, Economy.id == Registration.economy_id)
        .where(_registered(event), condition).order_by(*order, Registration.id)).all()
    return [Person(r.id, r.full_name, localized(e, "name"), r.status.label, r.dietary.strip(),
                   r.accessibility.strip(), r.arrival_at, r.departure_at) for r, e in rows]


def logistics(db_session: DbSession, event: Event) -> Logistics:
    days = _window(event)
    arrivals = _per_day(db_session, event, Registration.arrival_at, days)
    departures = _per_day(db_session, event, Registration.departure_at, days)
    per_day = [DayCount(d, arrivals.get(d, 0), departures.get(d, 0)) for d in days
               if arrivals.get(d) or departures.get(d)]
    if arrivals.get(None) or departures.get(None):
        per_day.append(DayCount(None, arrivals.get(None, 0), departures.get(None, 0)))
    by_name = (Economy.sort_key, Registration.family_name, Registration.given_name)
    needs = _people(db_session, event, sa.or_(sa.func.trim(Registration.dietary) != "",
                                              sa.func.trim(Registration.accessibility) != ""), by_name)
    travellers = _people(db_session, event, sa.or_(Registration.arrival_at.is_not(None),
                                                   Registration.departure_at.is_not(None)),
                         (Registration.arrival_at.is_(None), Registration.arrival_at, *by_name))
    pending = [row for row in letter_rows(db_session, event) if row.letter is None]
    return Logistics(event, _need_counts(db_session, event, Registration.dietary),
                     _need_counts(db_session, event, Registration.accessibility), per_day, needs, travellers,
                     pending, due_date(event, settings_for(db_session, event)))


def logistics_tables(data: Logistics, *, other_dates: str) -> list:
    """The lists as tables for CSV (UTF-8 with BOM) and XLSX; times event-local under a zoned header."""
    event = data.event
    tz = event.tz

    def day(d):
        return day_label(d, "date") if d is not None else other_dates

    return [
        Table(_("Dietary needs"), [_("Need"), _("People")],
              [[n.need, n.count] for n in data.dietary] + [[_("Total"), data.dietary_total]]),
        Table(_("Accessibility needs"), [_("Need"), _("People")],
              [[n.need, n.count] for n in data.accessibility] + [[_("Total"), data.accessibility_total]]),
        Table(_("Needs by person"), [_("Name"), _("Economy"), _("Status"), _("Dietary needs"),
                                     _("Accessibility needs")],
              [[p.name, p.economy, p.status, p.dietary, p.accessibility] for p in data.needs]),
        Table(_("Arrivals and departures"), [_("Day"), _("Arrivals"), _("Departures")],
              [[day(d.day), d.arrivals, d.departures] for d in data.days]),
        Table(_("Travel by person"), [_("Name"), _("Economy"), _("Status"), zoned(_("Arrival"), event.timezone),
                                      zoned(_("Departure"), event.timezone)],
              [[p.name, p.economy, p.status, local_naive(p.arrival_at, tz), local_naive(p.departure_at, tz)]
               for p in data.travellers]),
        Table(_("Letters pending"), [_("Name"), _("Economy"), _("Status"), _("Letter"), _("Due")],
              [[row.registration.full_name, localized(row.registration.economy, "name"),
                row.registration.status.label, str(_letter_state(row)), day_label(data.letters_due, "date")]
               for row in data.letters_pending]),
    ]


def _letter_state(row: LetterRow):
    return LETTER_STATES[row.state]
