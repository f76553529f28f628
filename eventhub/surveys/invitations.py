"""Who gets a survey (those who attended, from the check-ins) and their personal links.

A link carries a random token (secrets.token_urlsafe, 32 bytes); only its SHA-256 is stored, so the
database alone cannot answer for anyone, and rotating the token kills the old link.
"""

from __future__ import annotations

import hashlib
import secrets

import sqlalchemy as sa
from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.orm import Session as DbSession

from eventhub.attendance.models import CheckIn
from eventhub.i18n import localized, recipient_language
from eventhub.mail.kinds import register
from eventhub.mail.outbox import build_message, queue_deferred_many
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


KIND = "surveys.invitation"


def build_invitation(db_session: DbSession, params: dict, recipients: list[str]):
    """Write a recorded invitation or reminder (eventhub.mail.kinds), in the person's language. A
    message whose link was replaced meanwhile (a reminder sent before it went out) is dropped."""
    invitation = db_session.get(SurveyInvitation, params["invitation"])
    if invitation is None or invitation.token_hash != hash_token(params["token"]):
        return None
    registration, survey = invitation.registration, invitation.survey
    if registration.personal_data_purged_at is not None:
        return None
    event, reminder = survey.event, bool(params.get("reminder"))
    with force_locale(recipient_language(registration=registration, event=event)):
        subject = (_("Reminder: please evaluate %(title)s", title=localized(event, "title")) if reminder
                   else _("Please evaluate %(title)s", title=localized(event, "title")))
        text = render_template("mail/surveys/invitation.txt", registration=registration, event=event,
                               survey=survey, reminder=reminder,
                               url=absolute_url("surveys.answer", token=params["token"]))
        return build_message(to=recipients, subject=subject, text=text)


register(KIND, build_invitation)


def invite_attendees(db_session: DbSession, survey: Survey) -> int:
    """Invite every attendee not yet invited, one personal link each; returns how many were invited.
    The e-mails are recorded as a kind and ids (one INSERT); the delivery process writes them."""
    invited = set(db_session.scalars(sa.select(SurveyInvitation.registration_id)
                                     .where(SurveyInvitation.survey_id == survey.id)))
    new = []
    for registration in attendees(db_session, survey):
        if registration.id in invited:
            continue
        token = secrets.token_urlsafe(32)
        invitation = SurveyInvitation(survey_id=survey.id, registration_id=registration.id,
                                      token_hash=hash_token(token))
        db_session.add(invitation)
        new.append((invitation, registration.email, token))
    db_session.flush()
    queue_deferred_many(db_session, kind=KIND, messages=[
        ([email], {"invitation": invitation.id, "token": token}) for invitation, email, token in new])
    return len(new)


def remind_unanswered(db_session: DbSession, survey: Survey) -> int:
    """A new link, by e-mail, to each invited person who has not answered (the old link stops working:
    only the hash is kept, so a reminder cannot repeat the first link)."""
    rows = db_session.execute(
        sa.select(SurveyInvitation, Registration.email)
        .join(Registration, Registration.id == SurveyInvitation.registration_id)
        .where(SurveyInvitation.survey_id == survey.id, Registration.personal_data_purged_at.is_(None),
               ~sa.select(SurveyResponse.id).where(SurveyResponse.invitation_id == SurveyInvitation.id).exists())
        .order_by(SurveyInvitation.id)).all()
    messages = [([email], {"invitation": invitation.id, "token": rotate_token(db_session, invitation),
                           "reminder": True}) for invitation, email in rows]
    queue_deferred_many(db_session, kind=KIND, messages=messages)
    return len(messages)


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
