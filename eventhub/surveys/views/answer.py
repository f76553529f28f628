"""Answering a survey by one's personal link: no log-in, the token is the key; a second visit edits."""

from __future__ import annotations

from flask import render_template, request
from flask_babel import gettext as _

from eventhub.errors import DomainError
from eventhub.extensions import db, limiter
from eventhub.surveys.answers import response_of, save_response
from eventhub.surveys.forms import answer_form, answers_as_data
from eventhub.surveys.invitations import invitation_for_token
from eventhub.surveys.views.common import bp


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
                save_response(db.session, invitation, form)
            except DomainError as exc:
                db.session.rollback()
                form.form_errors.append(exc.message)
            else:
                db.session.commit()
                return render_template("surveys/answer.html", survey=survey, survey_event=event, form=form,
                                       response=True, closed=False, saved=True)
        return render_template("surveys/answer.html", survey=survey, survey_event=event, form=form,
                               response=response, closed=False, saved=False), 422
    form = answer_form(survey, data=answers_as_data(survey, response))
    return render_template("surveys/answer.html", survey=survey, survey_event=event, form=form, response=response,
                           closed=not survey.is_open, saved=False, title=_("Evaluation survey"))
