"""Saving a person's answers: one response per invitation, edited in place until the survey closes."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session as DbSession

from eventhub.db import utcnow
from eventhub.errors import DomainError
from eventhub.surveys.models import QuestionKind, SurveyAnswer, SurveyInvitation, SurveyResponse


def response_of(db_session: DbSession, invitation: SurveyInvitation) -> SurveyResponse | None:
    return db_session.scalar(sa.select(SurveyResponse).where(SurveyResponse.invitation_id == invitation.id))


def _int(value) -> int | None:
    return int(value) if value not in (None, "", "None") else None


def save_response(db_session: DbSession, invitation: SurveyInvitation, form) -> SurveyResponse:
    """Store the validated answering form. A second submission replaces the first one's answers."""
    survey = invitation.survey
    if not survey.is_open:
        raise DomainError(_("This survey is closed: answers can no longer be changed."))
    response = response_of(db_session, invitation)
    registration = invitation.registration
    if response is None:
        response = SurveyResponse(survey_id=survey.id, invitation_id=invitation.id)
        db_session.add(response)
    response.economy_id = registration.economy_id
    response.sex = registration.sex.value if registration.sex else "undisclosed"
    response.updated_at = utcnow()
    response.answers.clear()
    db_session.flush()
    for question in survey.questions:
        value = form[f"q{question.id}"].data
        answer = SurveyAnswer(question_id=question.id)
        if question.kind in (QuestionKind.RATING, QuestionKind.SINGLE):
            answer.value = _int(value)
        elif question.kind == QuestionKind.BEFORE_AFTER:
            answer.value = _int(value)
            answer.value_after = _int(form[f"q{question.id}_after"].data)
        elif question.kind == QuestionKind.MULTIPLE:
            answer.text = ",".join(sorted(set(value or []), key=int))
        else:
            answer.text = (value or "").strip()
        if answer.value is None and answer.value_after is None and not answer.text:
            continue
        response.answers.append(answer)
    db_session.flush()
    return response
