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
