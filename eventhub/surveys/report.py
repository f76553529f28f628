"""The completion report: participants by economy × sex (with totals and women's share), and the
survey results summary, in the shape an APEC project completion report asks for.

The counts are one GROUP BY over the registrations with the attendance summary's own conditions
(eventhub.attendance.reports.counting), so "attended" and "approved" match the summary's figures.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import SimpleNamespace

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session as DbSession

from eventhub.attendance.exports import Percent, Table
from eventhub.attendance.reports.counting import came_condition
from eventhub.attendance.reports.filters import Filters
from eventhub.economies.models import Economy
from eventhub.i18n import localized
from eventhub.matching import figures as matching_figures
from eventhub.registration.models import Registration, RegistrationStatus, Sex
from eventhub.surveys.builder import surveys_of
from eventhub.surveys.results import Results, survey_results

SEXES = tuple(Sex)


@dataclass
class CrossRow:
    label: str
    counts: dict[str, int] = field(default_factory=lambda: {s.value: 0 for s in SEXES})

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def women_share(self) -> float | None:
        return self.counts[Sex.FEMALE.value] / self.total if self.total else None


@dataclass
class CrossTable:
    title: str
    rows: list[CrossRow]
    total: CrossRow


@dataclass
class CompletionReport:
    event: object
    attended: CrossTable
    approved: CrossTable
    economies_attended: int
    surveys: list[Results]


def _cross(title: str, rows, index: int) -> CrossTable:
    by_economy: dict[int, CrossRow] = {}
    total = CrossRow(_("Total"))
    for economy_id, name, name_zh, sex, *counts in rows:
        n = int(counts[index] or 0)
        if not n:
            continue
        row = by_economy.setdefault(economy_id, CrossRow(localized(SimpleNamespace(name=name, name_zh=name_zh),
                                                                   "name")))
        row.counts[sex.value if hasattr(sex, "value") else sex] += n
        total.counts[sex.value if hasattr(sex, "value") else sex] += n
    return CrossTable(title, list(by_economy.values()), total)


def completion_report(db_session: DbSession, event) -> CompletionReport:
    came = came_condition(Filters())
    approved = Registration.status == RegistrationStatus.APPROVED
    rows = db_session.execute(
        sa.select(Economy.id, Economy.name, Economy.name_zh, Registration.sex,
                  sa.func.sum(sa.case((came, 1), else_=0)), sa.func.sum(sa.case((approved, 1), else_=0)))
        .select_from(Registration).join(Economy, Economy.id == Registration.economy_id)
        .where(Registration.event_id == event.id, matching_figures.counted(db_session, event.id))
        .group_by(Economy.id, Economy.name, Economy.name_zh, Economy.sort_key, Registration.sex)
        .order_by(Economy.sort_key, Economy.id)).all()
    attended = _cross(_("Participants who attended, by economy and sex"), rows, 0)
    approved_table = _cross(_("Approved registrations, by economy and sex"), rows, 1)
    return CompletionReport(event, attended, approved_table, len(attended.rows),
                            [survey_results(db_session, s) for s in surveys_of(db_session, event)])


def cross_table(table: CrossTable, name: str) -> Table:
    headers = [_("Economy"), *[s.label for s in SEXES], _("Total"), _("Women's share")]

    def line(row: CrossRow) -> list:
        share = row.women_share
        return [row.label, *[row.counts[s.value] for s in SEXES], row.total,
                None if share is None else Percent(round(share, 4))]

    return Table(name, headers, [line(r) for r in table.rows] + [line(table.total)])


def survey_table(results: Results, name: str) -> Table:
    """One line per question: answers, mean (after, and change, for before/after pairs)."""
    headers = [_("Question"), _("Answers"), _("Mean"), _("Mean after"), _("Change")]
    rows = []
    for q in results.questions:
        if q.mean is None and not q.distribution:
            rows.append([localized(q.question, "text"), q.count, None, None, None])
            continue
        rows.append([localized(q.question, "text"), q.count,
                     None if q.mean is None else round(q.mean, 2),
                     None if q.mean_after is None else round(q.mean_after, 2),
                     None if q.change is None else round(q.change, 2)])
    return Table(name, headers, rows)


def report_tables(report: CompletionReport) -> list[Table]:
    tables = [cross_table(report.attended, _("Attended")), cross_table(report.approved, _("Approved"))]
    for n, results in enumerate(report.surveys, 1):
        tables.append(survey_table(results, _("Survey %(n)s", n=n)))
    return tables
