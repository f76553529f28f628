"""Answering a survey by one's personal link: no log-in, the token is the key; a second visit edits."""

from __future__ import annotations

from flask import render_template, request
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from eventhub.errors import DomainError
from eventhub.extensions import db, limiter
from eventhub.surveys.answers import response_of, save_response
from eventhub.surveys.forms import answer_form, answers_as_data
from eventhub.surveys.invitations import invitation_for_token
from eventhub.surveys.models import SurveyInvitation
from eventhub.surveys.views.common import bp


def _save(invitation_id: int, form) -> None:
    """Save, and commit. Two submissions of the same link at once both find no response: the
    database's UNIQUE(invitation_id) refuses the second insert, which then edits the first's row."""
    for attempt in (1, 2):
        invitation = db.session.get(SurveyInvitation, invitation_id)
        try:
            save_response(db.session, invitation, form)
            db.session.commit()
            return
        except IntegrityError:
            db.session.rollback()
            if attempt == 2:
                raise


@bp.route("/survey/<token>", methods=["GET", "POST"])
@limiter.limit("30 per minute", methods=["POST"])
def answer(token: str):
    invitation = invitation_for_token(db.session, token)
    if invitation is None:
        return render_template("surveys/link_invalid.html"), 404
    survey = invitation.survey
    event = survey.event
    response = response_of(db.session, invitation)
    if request.method == "POST":
        form = answer_form(survey, formdata=request.form)
        if not survey.is_open:
            return render_template("surveys/answer.html", survey=survey, survey_event=event, form=None,
                                   response=response, closed=True, saved=False), 409
        if form.validate():
            try:
                _save(invitation.id, form)
            except DomainError as exc:
                db.session.rollback()
                form.form_errors.append(exc.message)
            else:
                return render_template("surveys/answer.html", survey=survey, survey_event=event, form=form,
                                       response=True, closed=False, saved=True)
        return render_template("surveys/answer.html", survey=survey, survey_event=event, form=form,
                               response=response, closed=False, saved=False), 422
    form = answer_form(survey, data=answers_as_data(survey, response))
    return render_template("surveys/answer.html", survey=survey, survey_event=event, form=form, response=response,
                           closed=not survey.is_open, saved=False, title=_("Evaluation survey"))
