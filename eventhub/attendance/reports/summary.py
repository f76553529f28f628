"""`build_summary()`: the totals and the breakdowns by economy, sex, category and funding, then
the tables along the programme (`schedule`). A fixed number of GROUP BY queries whatever the event's size.
"""

from __future__ import annotations

from types import SimpleNamespace

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session as DbSession

from eventhub.attendance.reports.counting import booked_condition, came_condition, counts_of
from eventhub.attendance.reports.figures import Row, Summary
from eventhub.attendance.reports.filters import Filters
from eventhub.attendance.reports.schedule import per_day, per_session, per_vehicle
from eventhub.economies.models import Economy, EconomyKind
from eventhub.events.models import Event
from eventhub.i18n import localized
from eventhub.matching import figures as matching_figures
from eventhub.registration.models import (
    ACTIVE_STATUSES,
    CATEGORY_LABELS,
    Category,
    Funding,
    Registration,
    Sex,
)

SPEAKER_CATEGORIES = (Category.SPEAKER, Category.MODERATOR)

COUNT_FIELDS = ("registered", "approved", "attended", "no_shows", "booked")


def _row(key: str, label: str, values, **kw) -> Row:
    registered, approved, attended, no_shows, booked = (int(v or 0) for v in values)
    return Row(key, label, registered, approved, attended, no_shows, booked=booked, **kw)


def _grouped(db_session: DbSession, event: Event, counts, column, counted) -> dict:
    rows = db_session.execute(
        sa.select(column, *counts).where(Registration.event_id == event.id, counted).group_by(column)
    ).all()
    return {key: tuple(values) for key, *values in rows}


def _enum_rows(counts: dict, enum_cls, labels) -> list[Row]:
    rows = []
    for member in enum_cls:
        values = counts.get(member, counts.get(member.value, (0, 0, 0, 0, 0)))
        rows.append(_row(member.value, str(labels(member)), values))
    return rows


def build_summary(db_session: DbSession, event: Event, filters: Filters | None = None) -> Summary:
    """The attendance summary of an event: a fixed number of GROUP BY queries whatever its size."""
    filters = filters or Filters()
    came = came_condition(filters)
    booked = booked_condition(event, filters) if filters.session_scoped else None
    counts = counts_of(came, booked)
    # Firms' representatives of the business matching count only when the organizer says so.
    counted = matching_figures.counted(db_session, event.id)
    # Whom the "of N" of the economies counts: registered ones, or for session-scoped figures booked ones.
    expected = booked if booked is not None else Registration.status.in_(ACTIVE_STATUSES)

    # 1. Totals and how many economies registered / attended.
    totals = db_session.execute(
        sa.select(*counts,
                  sa.func.count(sa.distinct(sa.case((expected, Registration.economy_id)))),
                  sa.func.count(sa.distinct(sa.case((came, Registration.economy_id)))),
                  sa.select(sa.func.count()).select_from(Economy)
                  .where(Economy.kind == EconomyKind.MEMBER, Economy.active.is_(True)).scalar_subquery())
        .select_from(Registration).where(Registration.event_id == event.id, counted)
    ).one()
    total_row = _row("total", _("Total"), totals[:5])

    # 2. By economy, in APEC order.
    economy_rows = db_session.execute(
        sa.select(Economy.id, Economy.name, Economy.name_zh, Economy.code, *counts).select_from(Registration)
        .join(Economy, Economy.id == Registration.economy_id)
        .where(Registration.event_id == event.id, counted)
        .group_by(Economy.id, Economy.name, Economy.name_zh, Economy.code, Economy.sort_key)
        .order_by(Economy.sort_key, Economy.id)
    ).all()
    by_economy = [_row(str(eid), localized(SimpleNamespace(name=name, name_zh=name_zh), "name"), values, code=code)
                  for eid, name, name_zh, code, *values in economy_rows if any(values)]

    # 3–5. By sex, category and funding.
    by_sex = _enum_rows(_grouped(db_session, event, counts, Registration.sex, counted), Sex, lambda m: m.label)
    by_category = _enum_rows(_grouped(db_session, event, counts, Registration.category, counted), Category,
                             lambda m: CATEGORY_LABELS[m])
    names = {"speakers": _("Speakers and moderators"), "participants": _("Participants")}
    for row in by_category:
        row.group = names["speakers"] if row.key in SPEAKER_CATEGORIES else names["participants"]
    by_category = [r for r in by_category if r.registered or r.attended or r.booked]
    groups = []
    for key, name in names.items():
        members = [r for r in by_category if r.group == name]
        groups.append(_row(key, name, [sum(getattr(r, f) for r in members) for f in COUNT_FIELDS]))
    by_funding = _enum_rows(_grouped(db_session, event, counts, Registration.funding, counted), Funding, lambda m: m.label)

    summary = Summary(event, filters, total_row, int(totals[5] or 0), int(totals[6] or 0), by_economy, by_sex,
                      by_category, groups, by_funding)
    summary.members_total = int(totals[7] or 0)
    _economies_by_kind(db_session, event, came, summary, counted)
    summary.per_day = per_day(db_session, event, filters, total_row.approved)
    summary.per_session = per_session(db_session, event, filters)
    summary.per_vehicle = per_vehicle(db_session, event, filters)
    return summary


def _economies_by_kind(db_session: DbSession, event: Event, came, summary: Summary, counted) -> None:
    """Economies that attended, per kind (one query)."""
    rows = db_session.execute(
        sa.select(Economy.kind, sa.func.count(sa.distinct(Registration.economy_id)))
        .select_from(Registration).join(Economy, Economy.id == Registration.economy_id)
        .where(Registration.event_id == event.id, came, counted)
        .group_by(Economy.kind)
    ).all()
    found = {EconomyKind(kind): int(n) for kind, n in rows}
    summary.members_attended = found.pop(EconomyKind.MEMBER, 0)
    summary.others_attended = found
