"""Who gets a survey (those who attended, from the check-ins) and their personal links.

A link carries a random token (secrets.token_urlsafe, 32 bytes); only its SHA-256 is stored, so the
database alone cannot answer for anyone, and rotating the token kills the old link.
"""

from __future__ import annotations

import hashlib
import secrets

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.orm import Session as DbSession

from eventhub.attendance.models import CheckIn
from eventhub.i18n import localized, recipient_language
from eventhub.mail.outbox import queue_template
from eventhub.registration.models import Registration
from eventhub.surveys.models import Survey, SurveyInvitation, SurveyResponse
from eventhub.web import absolute_url


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def attended_condition(survey: Survey):
    """EXISTS an active check-in of the registration for the survey's event (any day) or its session."""
    query = sa.select(CheckIn.id).where(CheckIn.registration_id == Registration.id, CheckIn.undone_at.is_(None),
                                        CheckIn.event_id == survey.event_id)
    if survey.session_id is not None:
        query = query.where(CheckIn.session_id == survey.session_id)
    return query.correlate(Registration).exists()


def attendees(db_session: DbSession, survey: Survey) -> list[Registration]:
    return list(db_session.scalars(
        sa.select(Registration).where(Registration.event_id == survey.event_id, attended_condition(survey))
        .order_by(Registration.id)))


def invitation_for_token(db_session: DbSession, token: str) -> SurveyInvitation | None:
    if not token or len(token) > 100:
        return None
    return db_session.scalar(sa.select(SurveyInvitation).where(SurveyInvitation.token_hash == hash_token(token)))


def _mail(db_session: DbSession, survey: Survey, registration: Registration, token: str, *,
          reminder: bool = False) -> None:
    event = survey.event
    with force_locale(recipient_language(registration=registration, event=event)):
        subject = (_("Reminder: please evaluate %(title)s", title=localized(event, "title")) if reminder
                   else _("Please evaluate %(title)s", title=localized(event, "title")))
        queue_template(db_session, to=[registration.email], subject=subject, template="surveys/invitation",
                       registration=registration, event=event, survey=survey, reminder=reminder,
                       url=absolute_url("surveys.answer", token=token))


def invite_attendees(db_session: DbSession, survey: Survey) -> int:
    """Invite every attendee not yet invited, one personal link each; returns how many were invited."""
    invited = set(db_session.scalars(sa.select(SurveyInvitation.registration_id)
                                     .where(SurveyInvitation.survey_id == survey.id)))
    count = 0
    for registration in attendees(db_session, survey):
        if registration.id in invited:
            continue
        token = secrets.token_urlsafe(32)
        db_session.add(SurveyInvitation(survey_id=survey.id, registration_id=registration.id,
                                        token_hash=hash_token(token)))
        _mail(db_session, survey, registration, token)
        count += 1
    db_session.flush()
    return count


def remind_unanswered(db_session: DbSession, survey: Survey) -> int:
    """A new link, by e-mail, to each invited person who has not answered (the old link stops working:
    only the hash is kept, so a reminder cannot repeat the first link)."""
    rows = db_session.scalars(
        sa.select(SurveyInvitation).where(
            SurveyInvitation.survey_id == survey.id,
            ~sa.select(SurveyResponse.id).where(SurveyResponse.invitation_id == SurveyInvitation.id).exists())
        .order_by(SurveyInvitation.id)).all()
    for invitation in rows:
        token = rotate_token(db_session, invitation)
        _mail(db_session, survey, invitation.registration, token, reminder=True)
    return len(rows)


def rotate_token(db_session: DbSession, invitation: SurveyInvitation) -> str:
    token = secrets.token_urlsafe(32)
    invitation.token_hash = hash_token(token)
    db_session.flush()
    return token


def survey_counts(db_session: DbSession, survey_ids: list[int]) -> dict[int, tuple[int, int]]:
    """{survey id: (invited, answered)} in one query for a list of surveys."""
    if not survey_ids:
        return {}
    rows = db_session.execute(
        sa.select(SurveyInvitation.survey_id, sa.func.count(SurveyInvitation.id), sa.func.count(SurveyResponse.id))
        .outerjoin(SurveyResponse, SurveyResponse.invitation_id == SurveyInvitation.id)
        .where(SurveyInvitation.survey_id.in_(survey_ids)).group_by(SurveyInvitation.survey_id)).all()
    return {sid: (int(a), int(b)) for sid, a, b in rows}
