"""The organizer's pages: matching settings, slots and tables of the sessions, the schedule."""

from __future__ import annotations

from datetime import datetime

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from eventhub.accounts.permissions import Action, authorize
from eventhub.agenda.models import Session, SessionKind
from eventhub.errors import DomainError
from eventhub.events.views import load_event
from eventhub.extensions import db
from eventhub.matching import notify, outcomes, participants, scheduling
from eventhub.matching.forms import RunForm, SessionSetupForm, SettingsForm
from eventhub.matching.models import OUTCOME_LABELS, REQUEST_STATUS_LABELS
from eventhub.matching.views import bp


def _organizer_event(slug: str):
    event = load_event(slug, public=False)
    authorize(Action.MANAGE_MATCHING, event)
    return event


@bp.route("/events/<slug>/matching/settings", methods=["GET", "POST"])
def settings(slug: str):
    event = _organizer_event(slug)
    current = participants.settings_or_default(db.session, event.id)
    form = SettingsForm()
    if request.method == "GET":
        form.enabled.data, form.categories.data = current.enabled, current.category_list
        form.sectors.data = current.sectors
        form.open_request_limit.data = current.open_request_limit
        closes = event.local(current.requests_close_at)
        form.requests_close_local.data = closes.replace(tzinfo=None) if closes else None
    elif form.validate_on_submit():
        closes = form.requests_close_local.data
        try:
            participants.save_settings(
                db.session, event.id, enabled=form.enabled.data, categories=form.categories.data,
                sectors=(form.sectors.data or "").splitlines(), open_request_limit=form.open_request_limit.data,
                requests_close_at=closes.replace(tzinfo=event.tz) if isinstance(closes, datetime) else None)
            db.session.commit()
        except DomainError as exc:
            db.session.rollback()
            getattr(form, exc.field or "enabled").errors.append(exc.message)
        else:
            flash(_("Matching settings saved."), "success")
            return redirect(url_for("matching.settings", slug=event.slug))
    sessions = scheduling.matching_sessions(db.session, event.id)
    return render_template("matching/settings.html", event=event, form=form, sessions=sessions,
                           setup_forms={s.id: _setup_form(s.id, setup) for s, setup in sessions}), \
        422 if form.errors else 200


def _setup_form(session_id: int, setup, formdata=None) -> SessionSetupForm:
    # One form per session on the page: the prefix keeps their fields' ids apart.
    form = SessionSetupForm(formdata=formdata, prefix=f"s{session_id}")
    if formdata is None:
        if setup is not None:
            form.meeting_minutes.data, form.break_minutes.data = setup.meeting_minutes, setup.break_minutes
            form.tables.data = "\n".join(t.name for t in setup.tables)
        else:
            form.tables.data = "\n".join(_("Table %(n)s", n=n) for n in range(1, 11))
    return form


@bp.route("/events/<slug>/matching/sessions/<int:session_id>", methods=["POST"])
def setup_session(slug: str, session_id: int):
    event = _organizer_event(slug)
    session = db.session.get(Session, session_id)
    if session is None or session.event_id != event.id or session.kind != SessionKind.BUSINESS_MATCHING:
        abort(404)  # only business-matching sessions have slots (and a form on the page)
    form = _setup_form(session.id, None, formdata=request.form)
    if form.validate_on_submit():
        try:
            scheduling.configure_session(db.session, session, meeting_minutes=form.meeting_minutes.data,
                                         break_minutes=form.break_minutes.data,
                                         table_names=form.tables.data.splitlines())
            db.session.commit()
        except DomainError as exc:
            db.session.rollback()
            getattr(form, exc.field or "tables").errors.append(exc.message)
        else:
            flash(_("Slots and tables saved."), "success")
            return redirect(url_for("matching.settings", slug=event.slug))
    settings_form = SettingsForm(formdata=None)
    current = participants.settings_or_default(db.session, event.id)
    settings_form.enabled.data, settings_form.categories.data = current.enabled, current.category_list
    settings_form.sectors.data, settings_form.open_request_limit.data = current.sectors, current.open_request_limit
    sessions = scheduling.matching_sessions(db.session, event.id)
    forms = {s.id: _setup_form(s.id, setup) for s, setup in sessions}
    forms[session.id] = form
    return render_template("matching/settings.html", event=event, form=settings_form, sessions=sessions,
                           setup_forms=forms), 422


@bp.route("/events/<slug>/matching/schedule")
def schedule(slug: str):
    event = _organizer_event(slug)
    proposed = scheduling.has_proposal(db.session, event.id)
    rows = scheduling.schedule_rows(db.session, event.id, proposed=proposed)
    return render_template("matching/schedule.html", event=event, rows=rows, proposed=proposed, form=RunForm())


@bp.route("/events/<slug>/matching/schedule/run", methods=["POST"])
def run_schedule(slug: str):
    event = _organizer_event(slug)
    form = RunForm()
    if not form.validate_on_submit():
        abort(400)
    figures = scheduling.propose(db.session, event.id, move_published=form.move_published.data)
    db.session.commit()
    flash(_("Proposal: %(placed)s of %(accepted)s accepted meetings placed, %(cross)s between different "
            "economies. Check it below, then publish it.", placed=figures.placed, accepted=figures.accepted,
            cross=figures.cross_economy), "info")
    return redirect(url_for("matching.schedule", slug=event.slug))


@bp.route("/events/<slug>/matching/schedule/publish", methods=["POST"])
def publish_schedule(slug: str):
    event = _organizer_event(slug)
    try:
        before = notify.schedule_snapshot(db.session, event.id)
        changed = scheduling.publish(db.session, event.id)
        notify.schedule_changed(db.session, event.id, before)  # everyone placed or moved is told
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        flash(_("Schedule published: %(n)s meetings got a new time or table.", n=changed), "success")
    return redirect(url_for("matching.schedule", slug=event.slug))


@bp.route("/events/<slug>/matching/report")
def report(slug: str):
    event = _organizer_event(slug)
    return render_template("matching/report.html", event=event, report=outcomes.report(db.session, event.id),
                           outcome_labels=OUTCOME_LABELS, status_labels=REQUEST_STATUS_LABELS)
