"""Building a survey: create (empty or from the APEC template), add, move and remove questions.

Plain functions: they flush, never commit.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session as DbSession

from eventhub.errors import DomainError
from eventhub.surveys.models import QuestionKind, Survey, SurveyQuestion
from eventhub.surveys.template import APEC_EVALUATION


def surveys_of(db_session: DbSession, event) -> list[Survey]:
    return list(db_session.scalars(sa.select(Survey).where(Survey.event_id == event.id).order_by(Survey.id)))


def survey_of(db_session: DbSession, event, survey_id: int) -> Survey | None:
    return db_session.scalar(sa.select(Survey).where(Survey.id == survey_id, Survey.event_id == event.id))


def create_survey(db_session: DbSession, event, *, title: str, session=None, from_template: bool = True,
                  min_group_size: int = 5) -> Survey:
    survey = Survey(event_id=event.id, session_id=session.id if session else None, title=title,
                    min_group_size=min_group_size)
    db_session.add(survey)
    if from_template:
        for position, (kind, text, text_zh, choices, choices_zh, required) in enumerate(APEC_EVALUATION, 1):
            survey.questions.append(SurveyQuestion(position=position, kind=kind, text=text, text_zh=text_zh,
                                                   choices=choices, choices_zh=choices_zh, required=required))
    db_session.flush()
    return survey


def add_question(db_session: DbSession, survey: Survey, *, kind: QuestionKind, text: str, text_zh: str = "",
                 choices: str = "", choices_zh: str = "", required: bool = True) -> SurveyQuestion:
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE) and len(
            [c for c in choices.splitlines() if c.strip()]) < 2:
        raise DomainError(_("A choice question needs at least two choices, one per line."))
    position = max((q.position for q in survey.questions), default=0) + 1
    question = SurveyQuestion(position=position, kind=kind, text=text.strip(), text_zh=text_zh.strip(),
                              choices=choices.strip(), choices_zh=choices_zh.strip(), required=required)
    survey.questions.append(question)
    db_session.flush()
    return question


def move_question(db_session: DbSession, survey: Survey, question_id: int, step: int) -> None:
    """Swap a question with its neighbour (step -1 up, +1 down); the positions stay 1..n."""
    ordered = list(survey.questions)
    index = next((i for i, q in enumerate(ordered) if q.id == question_id), None)
    if index is None or not 0 <= index + step < len(ordered):
        return
    a, b = ordered[index], ordered[index + step]
    # Through a free position: UNIQUE(survey_id, position) holds at every statement.
    pa, pb = a.position, b.position
    a.position = max(q.position for q in ordered) + 1
    db_session.flush()
    b.position = pa
    db_session.flush()
    a.position = pb
    db_session.flush()
    survey.questions.sort(key=lambda q: q.position)


def remove_question(db_session: DbSession, survey: Survey, question_id: int) -> None:
    if survey_has_responses(db_session, survey):
        raise DomainError(_("Questions cannot be removed once people have answered."))
    for question in list(survey.questions):
        if question.id == question_id:
            survey.questions.remove(question)
    db_session.flush()
    for position, question in enumerate(survey.questions, 1):
        question.position = position
    db_session.flush()


def survey_has_responses(db_session: DbSession, survey: Survey) -> bool:
    from eventhub.surveys.models import SurveyResponse

    return db_session.scalar(sa.select(SurveyResponse.id).where(SurveyResponse.survey_id == survey.id)
                             .limit(1)) is not None
