"""The organizer's survey pages: list, create, questions (add, move, remove), invite, remind, close."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_wtf import FlaskForm

from eventhub.accounts.permissions import Action, authorize
from eventhub.agenda.models import Session
from eventhub.db import utcnow
from eventhub.errors import DomainError
from eventhub.extensions import db
from eventhub.i18n import localized
from eventhub.surveys import builder, invitations
from eventhub.surveys.forms import QuestionForm, SurveyForm
from eventhub.surveys.models import QuestionKind
from eventhub.surveys.views.common import bp, load_event, load_survey
from eventhub.web import add_domain_error


def _session_choices(event) -> list[tuple[str, str]]:
    sessions = db.session.scalars(db.select(Session).where(Session.event_id == event.id)
                                  .order_by(Session.starts_at, Session.id))
    return [("", _("Everyone who attended the event"))] + [
        (str(s.id), _("Those who attended: %(session)s", session=localized(s, "title"))) for s in sessions]


@bp.route("/events/<slug>/surveys", methods=["GET", "POST"])
def index(slug: str):
    event = load_event(slug)
    authorize(Action.MANAGE_SURVEYS, event)
    form = SurveyForm()
    form.session_id.choices = _session_choices(event)
    if form.validate_on_submit():
        session = db.session.get(Session, int(form.session_id.data)) if form.session_id.data else None
        survey = builder.create_survey(db.session, event, title=form.title.data.strip(), session=session,
                                       from_template=form.from_template.data,
                                       min_group_size=form.min_group_size.data)
        survey_id = survey.id
        db.session.commit()
        return redirect(url_for("surveys.show", slug=slug, survey_id=survey_id))
    if not form.is_submitted():
        form.title.data = _("Participant evaluation")
    surveys = builder.surveys_of(db.session, event)
    counts = invitations.survey_counts(db.session, [s.id for s in surveys])
    status = 422 if form.errors else 200
    return render_template("surveys/index.html", event=event, form=form, surveys=surveys, counts=counts), status


@bp.route("/events/<slug>/surveys/<int:survey_id>", methods=["GET", "POST"])
def show(slug: str, survey_id: int):
    event, survey = load_survey(slug, survey_id)
    form = QuestionForm()
    if form.validate_on_submit():
        try:
            builder.add_question(db.session, survey, kind=QuestionKind(form.kind.data), text=form.text.data,
                                 text_zh=form.text_zh.data or "", choices=form.choices.data or "",
                                 choices_zh=form.choices_zh.data or "", required=form.required.data)
        except DomainError as exc:
            db.session.rollback()
            exc.field = exc.field or "choices"
            add_domain_error(form, exc)
        else:
            db.session.commit()
            return redirect(url_for("surveys.show", slug=slug, survey_id=survey_id) + "#questions")
    attendee_count = len(invitations.attendees(db.session, survey))
    counts = invitations.survey_counts(db.session, [survey.id]).get(survey.id, (0, 0))
    status = 422 if form.errors else 200
    return render_template("surveys/show.html", event=event, survey=survey, form=form, attendee_count=attendee_count,
                           counts=counts, action_form=FlaskForm()), status


@bp.route("/events/<slug>/surveys/<int:survey_id>/questions/<int:question_id>/<any(up, down, remove):what>",
          methods=["POST"])
def question_action(slug: str, survey_id: int, question_id: int, what: str):
    event, survey = load_survey(slug, survey_id)
    if FlaskForm().validate_on_submit():
        try:
            if what == "remove":
                builder.remove_question(db.session, survey, question_id)
            else:
                builder.move_question(db.session, survey, question_id, -1 if what == "up" else 1)
        except DomainError as exc:
            db.session.rollback()
            flash(exc.message, "error")
        else:
            db.session.commit()
    return redirect(url_for("surveys.show", slug=slug, survey_id=survey_id) + "#questions")


@bp.route("/events/<slug>/surveys/<int:survey_id>/<any(invite, remind, close, reopen):what>", methods=["POST"])
def survey_action(slug: str, survey_id: int, what: str):
    event, survey = load_survey(slug, survey_id)
    if not FlaskForm().validate_on_submit():
        flash(_("The form expired. Please submit it again."), "error")
    elif what in ("invite", "remind") and not survey.is_open:
        flash(_("This survey is closed: reopen it to send invitations."), "error")
    elif what == "invite":
        n = invitations.invite_attendees(db.session, survey)
        db.session.commit()
        flash(ngettext("%(num)d invitation sent.", "%(num)d invitations sent.", n), "success")
    elif what == "remind":
        n = invitations.remind_unanswered(db.session, survey)
        db.session.commit()
        flash(ngettext("%(num)d reminder sent.", "%(num)d reminders sent.", n), "success")
    else:
        survey.closed_at = utcnow() if what == "close" else None
        db.session.commit()
        flash(_("The survey is closed.") if what == "close" else _("The survey is open again."), "success")
    return redirect(url_for("surveys.show", slug=slug, survey_id=survey_id))
