"""A survey's results: response rate, each question's distribution and mean, before/after change,
free text without names, and breakdowns by economy and by sex for groups of at least
`survey.min_group_size` answers (smaller groups are not broken down, so no one is identifiable).

Four queries whatever the survey's size: the counts, one GROUP BY of the answers by question and the
respondent's economy and sex (no identity) that the figures are added up from, the written answers,
and the economies' names.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from types import SimpleNamespace

import sqlalchemy as sa
from sqlalchemy.orm import Session as DbSession

from eventhub.economies.models import Economy
from eventhub.i18n import localized
from eventhub.registration.models import Sex
from eventhub.surveys.models import QuestionKind, Survey, SurveyAnswer, SurveyInvitation, SurveyResponse


def _mean(total: float, n: int) -> float | None:
    return total / n if n else None


@dataclass
class Group:
    label: str
    count: int
    mean: float | None  # None when the group is too small to show


@dataclass
class QuestionResult:
    question: object
    count: int = 0
    distribution: list[tuple[str, int]] = field(default_factory=list)  # (label, n)
    after_distribution: list[tuple[str, int]] = field(default_factory=list)  # before/after pairs: the after half
    mean: float | None = None
    mean_after: float | None = None
    texts: list[str] = field(default_factory=list)
    by_economy: list[Group] = field(default_factory=list)
    by_sex: list[Group] = field(default_factory=list)

    @property
    def change(self) -> float | None:
        if self.mean is None or self.mean_after is None:
            return None
        return self.mean_after - self.mean


@dataclass
class Results:
    survey: Survey
    invited: int
    responded: int
    questions: list[QuestionResult]

    @property
    def rate(self) -> float | None:
        return self.responded / self.invited if self.invited else None


class _Tally:
    """Answers added up from grouped rows: how many, their sum, and how many of each value."""

    def __init__(self) -> None:
        self.n, self.total = 0, 0
        self.values: dict[int, int] = defaultdict(int)

    def add(self, value: int | None, n: int) -> None:
        if value is not None:
            self.n += n
            self.total += value * n
            self.values[value] += n

    @property
    def mean(self) -> float | None:
        return _mean(self.total, self.n)


def _groups(tallies: dict, labels: dict, minimum: int) -> list[Group]:
    groups = [Group(labels.get(key, "—"), t.n, t.mean if t.n >= minimum else None)
              for key, t in tallies.items() if t.n]
    return sorted(groups, key=lambda g: g.label)


def survey_results(db_session: DbSession, survey: Survey) -> Results:
    """Four queries: the counts, one GROUP BY (question, economy, sex, value, value after) that every
    figure of the scales and single choices is added up from, the texts of free-text and
    multiple-choice answers, and the economies' names."""
    invited, responded = db_session.execute(sa.select(
        sa.select(sa.func.count()).where(SurveyInvitation.survey_id == survey.id).scalar_subquery(),
        sa.select(sa.func.count()).where(SurveyResponse.survey_id == survey.id).scalar_subquery())).one()
    grouped = db_session.execute(
        sa.select(SurveyAnswer.question_id, SurveyResponse.economy_id, SurveyResponse.sex, SurveyAnswer.value,
                  SurveyAnswer.value_after, sa.func.count())
        .join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id)
        .where(SurveyResponse.survey_id == survey.id)
        .group_by(SurveyAnswer.question_id, SurveyResponse.economy_id, SurveyResponse.sex, SurveyAnswer.value,
                  SurveyAnswer.value_after)).all()
    texts = db_session.execute(
        sa.select(SurveyAnswer.question_id, SurveyAnswer.text)
        .join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id)
        .where(SurveyResponse.survey_id == survey.id, SurveyAnswer.text != "")
        .order_by(SurveyAnswer.question_id, SurveyResponse.updated_at, SurveyResponse.id)).all()
    economy_ids = {r.economy_id for r in grouped if r.economy_id is not None}
    economies = {e.id: localized(e, "name") for e in db_session.scalars(
        sa.select(Economy).where(Economy.id.in_(economy_ids)))} if economy_ids else {}
    sexes = {s.value: s.label for s in Sex}
    kinds = {q.id: q.kind for q in survey.questions}

    count: dict[int, int] = defaultdict(int)
    before: dict[int, _Tally] = defaultdict(_Tally)
    after: dict[int, _Tally] = defaultdict(_Tally)
    by_economy: dict[int, dict] = defaultdict(lambda: defaultdict(_Tally))
    by_sex: dict[int, dict] = defaultdict(lambda: defaultdict(_Tally))
    for qid, economy_id, sex, value, value_after, n in grouped:
        n = int(n)
        count[qid] += n
        before[qid].add(value, n)
        after[qid].add(value_after, n)
        # The breakdowns score a pair by its "after" half, a scale by its one value.
        score = value_after if kinds.get(qid) == QuestionKind.BEFORE_AFTER else value
        by_economy[qid][economy_id].add(score, n)
        by_sex[qid][sex].add(score, n)
    written: dict[int, list[str]] = defaultdict(list)
    for qid, text in texts:
        written[qid].append(text)

    results = []
    minimum = survey.min_group_size
    for question in survey.questions:
        qid = question.id
        result = QuestionResult(question, count=count.get(qid, 0))
        if question.kind in (QuestionKind.RATING, QuestionKind.BEFORE_AFTER):
            result.distribution = [(str(v), before[qid].values.get(v, 0)) for v in range(1, 6)]
            result.mean = before[qid].mean
            if question.kind == QuestionKind.BEFORE_AFTER:
                result.mean_after = after[qid].mean
                result.after_distribution = [(str(v), after[qid].values.get(v, 0)) for v in range(1, 6)]
            result.by_economy = _groups(by_economy[qid], economies, minimum)
            result.by_sex = _groups(by_sex[qid], sexes, minimum)
        elif question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            labels = [localized(SimpleNamespace(c=c, c_zh=z), "c") for c, z in
                      zip(question.choice_list, question.choice_list_zh + [""] * len(question.choice_list), strict=False)]
            counts = [0] * len(labels)
            if question.kind == QuestionKind.SINGLE:
                for index, n in before[qid].values.items():
                    if 0 <= index < len(counts):
                        counts[index] += n
            else:
                for text in written[qid]:
                    for index in {int(c) for c in text.split(",") if c.isdigit()}:
                        if 0 <= index < len(counts):
                            counts[index] += 1
            result.distribution = list(zip(labels, counts, strict=True))
        else:
            result.texts = written[qid]
        results.append(result)
    return Results(survey, int(invited), int(responded), results)
