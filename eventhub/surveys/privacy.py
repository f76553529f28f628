"""What a personal-data purge does to evaluation surveys.

Ratings stay (the completion report's figures keep their counts, which name nobody), but the
person's free-text answers go, since people write their names and stories there, and their
personal link stops working.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session as DbSession

from eventhub.surveys.models import SurveyAnswer, SurveyInvitation, SurveyResponse


def purge_surveys(db_session: DbSession, registration_ids) -> None:
    """`registration_ids`: a subquery of the registrations being purged."""
    invitations = sa.select(SurveyInvitation.id).where(SurveyInvitation.registration_id.in_(registration_ids))
    responses = sa.select(SurveyResponse.id).where(SurveyResponse.invitation_id.in_(invitations))
    db_session.execute(sa.update(SurveyAnswer).where(SurveyAnswer.response_id.in_(responses), SurveyAnswer.text != "")
                       .values(text="").execution_options(synchronize_session=False))
    # No SHA-256 hex digest starts with "purged:", so no link can match again (and each stays unique).
    db_session.execute(sa.update(SurveyInvitation).where(SurveyInvitation.id.in_(invitations))
                       .values(token_hash=sa.literal("purged:") + sa.cast(SurveyInvitation.id, sa.String))
                       .execution_options(synchronize_session=False))


def personal_data(db_session: DbSession, reg, reader) -> dict:
    """The surveys part of the person's data download: their invitations and their own answers.

    Answers only when the reader is the person themself: responses are kept apart from identities
    so that staff never read who answered what, and the download is open to their focal point and
    the secretariat too."""
    from eventhub.surveys.models import Survey, SurveyQuestion

    if reg.user_id is None or getattr(reader, "id", None) != reg.user_id:
        return {}
    invitations = db_session.execute(
        sa.select(SurveyInvitation, Survey).join(Survey, Survey.id == SurveyInvitation.survey_id)
        .where(SurveyInvitation.registration_id == reg.id).order_by(SurveyInvitation.id)).all()
    responses = {r.invitation_id: r for r in db_session.scalars(
        sa.select(SurveyResponse).where(SurveyResponse.invitation_id.in_([i.id for i, _s in invitations])))} \
        if invitations else {}
    questions = {q.id: q for q in db_session.scalars(
        sa.select(SurveyQuestion).where(SurveyQuestion.survey_id.in_({s.id for _i, s in invitations})))} \
        if invitations else {}
    out = []
    for invitation, survey in invitations:
        response = responses.get(invitation.id)
        answers = []
        if response is not None:
            for a in sorted(response.answers, key=lambda a: questions[a.question_id].position):
                q = questions[a.question_id]
                answer = {"question": q.text, "kind": q.kind.value}
                if q.kind.value in ("single", "multiple"):
                    picked = [a.value] if q.kind.value == "single" else [int(c) for c in a.text.split(",") if c]
                    answer["answer"] = [q.choice_list[i] for i in picked if i is not None and i < len(q.choice_list)]
                elif q.kind.value == "before_after":
                    answer["before"], answer["after"] = a.value, a.value_after
                elif q.kind.value == "rating":
                    answer["answer"] = a.value
                else:
                    answer["answer"] = a.text
                answers.append(answer)
        out.append({"survey": survey.title, "invited_at": invitation.invited_at.isoformat(),
                    "answered_at": response.updated_at.isoformat() if response else None, "answers": answers})
    return {"surveys": out}
