"""The completion report pack: what an APEC project completion report asks for, in one place.

- participants and speakers who attended, each by economy × sex (totals and women's share per economy),
  and everyone together (the attendance summary's figures);
- attendees by category × sex;
- APEC-funded travellers by economy, checked against the travel-eligible list in force on the event's
  dates (funded people from an economy that is not eligible are flagged);
- how many economies were represented (members apart from guests and observers);
- attendance per day and per session (the attendance summary's own tables);
- the evaluation surveys' results.

Speakers: people registered as speaker / expert or moderator, and anyone listed as a speaker,
moderator or chair of one of the event's scheduled sessions. External speakers (named on the agenda
without a registration) have no economy or sex to count; the report says how many there are.

Every figure comes from one GROUP BY over the registrations (economy × sex × category × funding ×
speaker, with the attendance summary's own "came" and "approved" conditions, so the numbers match
it), plus the summary's per-day and per-session queries and one small query of totals: a fixed
number of statements whatever the event's size. Python only adds up the grouped rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import SimpleNamespace

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session as DbSession

from eventhub.agenda.models import Session, SessionSpeaker, SessionStatus
from eventhub.attendance.reports.counting import came_condition
from eventhub.attendance.reports.figures import DayRow, SessionRow
from eventhub.attendance.reports.filters import Filters
from eventhub.attendance.reports.schedule import per_day, per_session
from eventhub.attendance.reports.summary import SPEAKER_CATEGORIES
from eventhub.economies.models import Economy, EconomyKind, TravelEligibility
from eventhub.i18n import localized
from eventhub.matching import figures as matching_figures
from eventhub.registration.models import (
    CATEGORY_LABELS,
    Category,
    Funding,
    Registration,
    RegistrationStatus,
    Sex,
)
from eventhub.surveys.builder import surveys_of
from eventhub.surveys.results import Results, survey_results

SEXES = tuple(Sex)


@dataclass
class CrossRow:
    label: str
    counts: dict[str, int] = field(default_factory=lambda: {s.value: 0 for s in SEXES})
    key: str = ""

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def women_share(self) -> float | None:
        return self.counts[Sex.FEMALE.value] / self.total if self.total else None


@dataclass
class CrossTable:
    title: str
    heading: str  # of the first column: economy or category
    rows: list[CrossRow]
    total: CrossRow


@dataclass
class TravelRow:
    label: str
    eligible: bool
    approved: int = 0
    attended: int = 0

    @property
    def flagged(self) -> bool:
        """APEC-funded people from an economy not travel-eligible on the event's dates."""
        return not self.eligible and (self.approved or self.attended) > 0


@dataclass
class CompletionReport:
    event: object
    participants: CrossTable
    speakers: CrossTable
    attended: CrossTable
    approved: CrossTable
    by_category: CrossTable
    travel: list[TravelRow]
    travel_total: TravelRow
    economies_attended: int
    members_attended: int
    members_total: int
    others_attended: dict[EconomyKind, int]
    external_speakers: int
    per_day: list[DayRow]
    per_session: list[SessionRow]
    surveys: list[Results]

    @property
    def flagged(self) -> list[TravelRow]:
        return [r for r in self.travel if r.flagged]


def speaker_condition(event):
    """The registration is a speaker: by category, or named on a scheduled session of the event."""
    on_agenda = (sa.select(SessionSpeaker.id).join(Session, Session.id == SessionSpeaker.session_id)
                 .where(SessionSpeaker.registration_id == Registration.id, Session.event_id == event.id,
                        Session.status == SessionStatus.SCHEDULED)
                 .correlate(Registration).exists())
    return sa.or_(Registration.category.in_(SPEAKER_CATEGORIES), on_agenda)


def eligible_economies(event):
    """The economies with a travel-eligibility period in force on (some of) the event's dates."""
    return (sa.select(TravelEligibility.economy_id)
            .where(TravelEligibility.effective_from <= event.end_date,
                   sa.or_(TravelEligibility.effective_to.is_(None),
                          TravelEligibility.effective_to >= event.start_date))
            .distinct().subquery("eligible"))


def grouped_rows(db_session: DbSession, event):
    """The one GROUP BY every table of the pack is added up from: per registration its flags (an
    inner select), grouped by economy, sex, category, funding and speaker."""
    came = came_condition(Filters())
    person = (sa.select(Registration.economy_id, Registration.sex, Registration.category, Registration.funding,
                        sa.case((speaker_condition(event), 1), else_=0).label("speaker"),
                        sa.case((came, 1), else_=0).label("came"),
                        sa.case((Registration.status == RegistrationStatus.APPROVED, 1), else_=0).label("approved"))
              .where(Registration.event_id == event.id, matching_figures.counted(db_session, event.id))
              .subquery("person"))
    eligible = eligible_economies(event)
    return db_session.execute(
        sa.select(Economy.id, Economy.name, Economy.name_zh, Economy.kind, eligible.c.economy_id.label("eligible"),
                  person.c.sex, person.c.category, person.c.funding, person.c.speaker,
                  sa.func.sum(person.c.came).label("came"), sa.func.sum(person.c.approved).label("approved"))
        .select_from(person).join(Economy, Economy.id == person.c.economy_id)
        .outerjoin(eligible, eligible.c.economy_id == Economy.id)
        .group_by(Economy.id, Economy.name, Economy.name_zh, Economy.kind, Economy.sort_key, eligible.c.economy_id,
                  person.c.sex, person.c.category, person.c.funding, person.c.speaker)
        .order_by(Economy.sort_key, Economy.id)).all()


def _totals(db_session: DbSession, event) -> tuple[int, int]:
    """Member economies in the reference list, and external speakers on the event's agenda (one query)."""
    members = (sa.select(sa.func.count()).select_from(Economy)
               .where(Economy.kind == EconomyKind.MEMBER, Economy.active.is_(True)).scalar_subquery())
    external = (sa.select(sa.func.count()).select_from(SessionSpeaker)
                .join(Session, Session.id == SessionSpeaker.session_id)
                .where(Session.event_id == event.id, Session.status == SessionStatus.SCHEDULED,
                       SessionSpeaker.registration_id.is_(None)).scalar_subquery())
    found = db_session.execute(sa.select(members, external)).one()
    return int(found[0] or 0), int(found[1] or 0)


class _Cross:
    """Adds grouped rows into a cross-table, rows in first-seen order (APEC order for economies)."""

    def __init__(self, title: str, heading: str):
        self.title, self.heading = title, heading
        self.rows: dict = {}
        self.total = CrossRow(_("Total"))

    def add(self, key, label: str, sex: str, n: int) -> None:
        if not n:
            return
        self.rows.setdefault(key, CrossRow(label, key=str(key))).counts[sex] += n
        self.total.counts[sex] += n

    def table(self, order=None) -> CrossTable:
        rows = list(self.rows.values())
        if order is not None:
            rows.sort(key=lambda r: order.index(r.key))
        return CrossTable(self.title, self.heading, rows, self.total)


def completion_report(db_session: DbSession, event) -> CompletionReport:
    rows = grouped_rows(db_session, event)
    economy_h, category_h = _("Economy"), _("Category")
    participants = _Cross(_("Participants who attended, by economy and sex"), economy_h)
    speakers = _Cross(_("Speakers and moderators who attended, by economy and sex"), economy_h)
    attended = _Cross(_("Everyone who attended, by economy and sex"), economy_h)
    approved = _Cross(_("Approved registrations, by economy and sex"), economy_h)
    categories = _Cross(_("Everyone who attended, by category and sex"), category_h)
    travel: dict[int, TravelRow] = {}
    travel_total = TravelRow(_("Total"), True)
    kinds: dict[EconomyKind, set[int]] = {}
    for r in rows:
        label = localized(SimpleNamespace(name=r.name, name_zh=r.name_zh), "name")
        sex = Sex(r.sex).value
        came, ok = int(r.came or 0), int(r.approved or 0)
        (speakers if r.speaker else participants).add(r.id, label, sex, came)
        attended.add(r.id, label, sex, came)
        approved.add(r.id, label, sex, ok)
        categories.add(Category(r.category).value, str(CATEGORY_LABELS[Category(r.category)]), sex, came)
        if came:
            kinds.setdefault(EconomyKind(r.kind), set()).add(r.id)
        if Funding(r.funding) == Funding.APEC and (came or ok):
            row = travel.setdefault(r.id, TravelRow(label, r.eligible is not None))
            row.approved += ok
            row.attended += came
            travel_total.approved += ok
            travel_total.attended += came
    members_total, external = _totals(db_session, event)
    economies = {kind: len(ids) for kind, ids in kinds.items()}
    members = economies.pop(EconomyKind.MEMBER, 0)
    return CompletionReport(
        event, participants.table(), speakers.table(), attended.table(), approved.table(),
        categories.table(order=[c.value for c in Category]), list(travel.values()), travel_total,
        members + sum(economies.values()), members, members_total, economies, external,
        per_day(db_session, event, Filters(), approved.total.total), per_session(db_session, event, Filters()),
        [survey_results(db_session, s) for s in surveys_of(db_session, event)])


def flagged_people(db_session: DbSession, event, report: CompletionReport, limit: int = 200) -> list:
    """(registration, economy name) of the APEC-funded people from economies not travel-eligible on the
    event's dates, for the secretariat to check (no query when there are none)."""
    if not report.flagged:
        return []
    eligible = eligible_economies(event)
    rows = db_session.execute(
        sa.select(Registration, Economy).join(Economy, Economy.id == Registration.economy_id)
        .outerjoin(eligible, eligible.c.economy_id == Economy.id)
        .where(Registration.event_id == event.id, Registration.funding == Funding.APEC,
               matching_figures.counted(db_session, event.id),
               eligible.c.economy_id.is_(None),
               sa.or_(Registration.status == RegistrationStatus.APPROVED, came_condition(Filters())))
        .order_by(Economy.sort_key, Registration.family_name, Registration.given_name, Registration.id)
        .limit(limit)).all()
    return [(reg, localized(economy, "name")) for reg, economy in rows]
