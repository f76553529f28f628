"""A survey's results: response rate, each question's distribution and mean, before/after change,
free text without names, and breakdowns by economy and by sex for groups of at least
`survey.min_group_size` answers (smaller groups are not broken down, so no one is identifiable).

Three queries whatever the survey's size: the counts, the answers with the respondent's economy and
sex (no identity), and the economies' names.
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


def _mean(values: list[int]) -> float | None:
    return sum(values) / len(values) if values else None


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


def _groups(pairs: list[tuple[object, int]], labels: dict, minimum: int) -> list[Group]:
    by_key: dict = defaultdict(list)
    for key, value in pairs:
        by_key[key].append(value)
    groups = [Group(labels.get(key, "—"), len(values), _mean(values) if len(values) >= minimum else None)
              for key, values in by_key.items()]
    return sorted(groups, key=lambda g: g.label)


def survey_results(db_session: DbSession, survey: Survey) -> Results:
    invited, responded = db_session.execute(sa.select(
        sa.select(sa.func.count()).where(SurveyInvitation.survey_id == survey.id).scalar_subquery(),
        sa.select(sa.func.count()).where(SurveyResponse.survey_id == survey.id).scalar_subquery())).one()
    rows = db_session.execute(
        sa.select(SurveyAnswer.question_id, SurveyAnswer.value, SurveyAnswer.value_after, SurveyAnswer.text,
                  SurveyResponse.economy_id, SurveyResponse.sex)
        .join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id)
        .where(SurveyResponse.survey_id == survey.id)
        .order_by(SurveyAnswer.question_id, SurveyResponse.updated_at)).all()
    economy_ids = {r.economy_id for r in rows if r.economy_id is not None}
    economies = {e.id: localized(e, "name") for e in db_session.scalars(
        sa.select(Economy).where(Economy.id.in_(economy_ids)))} if economy_ids else {}
    sexes = {s.value: s.label for s in Sex}
    by_question = defaultdict(list)
    for row in rows:
        by_question[row.question_id].append(row)

    results = []
    minimum = survey.min_group_size
    for question in survey.questions:
        answers = by_question.get(question.id, [])
        result = QuestionResult(question, count=len(answers))
        if question.kind in (QuestionKind.RATING, QuestionKind.BEFORE_AFTER):
            values = [a.value for a in answers if a.value is not None]
            result.distribution = [(str(n), values.count(n)) for n in range(1, 6)]
            result.mean = _mean(values)
            scored = [a for a in answers if (a.value_after if question.kind == QuestionKind.BEFORE_AFTER
                                             else a.value) is not None]
            score = (lambda a: a.value_after) if question.kind == QuestionKind.BEFORE_AFTER else (lambda a: a.value)
            if question.kind == QuestionKind.BEFORE_AFTER:
                after = [a.value_after for a in scored]
                result.mean_after = _mean(after)
                result.after_distribution = [(str(n), after.count(n)) for n in range(1, 6)]
            result.by_economy = _groups([(a.economy_id, score(a)) for a in scored], economies, minimum)
            result.by_sex = _groups([(a.sex, score(a)) for a in scored], sexes, minimum)
        elif question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            labels = [localized(SimpleNamespace(c=c, c_zh=z), "c") for c, z in
                      zip(question.choice_list, question.choice_list_zh + [""] * len(question.choice_list), strict=False)]
            counts = [0] * len(labels)
            for a in answers:
                picked = [a.value] if question.kind == QuestionKind.SINGLE else [int(c) for c in a.text.split(",") if c]
                for index in picked:
                    if index is not None and 0 <= index < len(counts):
                        counts[index] += 1
            result.distribution = list(zip(labels, counts, strict=True))
        else:
            result.texts = [a.text for a in answers if a.text]
        results.append(result)
    return Results(survey, int(invited), int(responded), results)
