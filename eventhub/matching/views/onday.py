"""On the day: participants mark their meetings held or a no-show and cancel them before the
cut-off; the desk marks any meeting; the organizer sets the cut-off and sends tomorrow's schedules."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from eventhub.accounts.permissions import Action, authorize, can
from eventhub.errors import DomainError
from eventhub.events.views import load_event
from eventhub.extensions import db
from eventhub.matching import onday, participants
from eventhub.matching.forms import CutoffForm
from eventhub.matching.models import ATTENDANCE_LABELS, Attendance
from eventhub.matching.views import bp
from eventhub.matching.views.common import participant_of


@bp.context_processor
def _onday_helpers():
    return {"meeting_can_cancel": onday.can_cancel, "cancel_deadline": onday.cancel_deadline,
            "attendance_labels": ATTENDANCE_LABELS}


def _attendance(value: str | None) -> Attendance | None:
    try:
        return Attendance(value or "")
    except ValueError:
        return None


# --- participants -------------------------------------------------------------------------------------

@bp.route("/events/<slug>/matching/meetings/<int:meeting_id>/cancel", methods=["POST"])
@login_required
def cancel_meeting(slug: str, meeting_id: int):
    event = load_event(slug)
    me = participant_of(event)
    if me.profile is None:
        abort(404)
    try:
        meeting = onday.cancel_meeting(db.session, me.settings, meeting_id, me.profile)
        organisation = meeting.other(me.profile.id).organisation
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        flash(_("Meeting with %(organisation)s cancelled. They have been told, and the slot is free again.",
                organisation=organisation), "success")
    return redirect(url_for("matching.my_meetings", slug=event.slug))


@bp.route("/events/<slug>/matching/meetings/<int:meeting_id>/attendance", methods=["POST"])
@login_required
def mark_my_meeting(slug: str, meeting_id: int):
    event = load_event(slug)
    me = participant_of(event)
    if me.profile is None:
        abort(404)
    attendance = _attendance(request.form.get("attendance"))
    if attendance is None:
        flash(_("Choose whether the meeting was held or the other side did not come."), "error")
        return redirect(url_for("matching.my_meetings", slug=event.slug))
    try:
        onday.mark(db.session, event.id, meeting_id, attendance, profile=me.profile)
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        flash(_("Marked: %(state)s.", state=attendance.label), "success")
    return redirect(url_for("matching.my_meetings", slug=event.slug))


# --- the desk and the organizer -----------------------------------------------------------------------

def _desk_event(slug: str):
    event = load_event(slug, public=False)
    authorize(Action.MARK_MEETINGS, event)
    return event


@bp.route("/events/<slug>/matching/day")
def day(slug: str):
    event = _desk_event(slug)
    settings = participants.settings_or_default(db.session, event.id)
    form = CutoffForm(formdata=None)
    # Unsaved defaults (settings_or_default) have no column defaults applied yet.
    form.hours.data = 24 if settings.cancel_cutoff_hours is None else settings.cancel_cutoff_hours
    return _day_page(event, form)


def _day_page(event, form, status: int = 200):
    return render_template("matching/day.html", event=event, slots=onday.slot_rows(db.session, event.id),
                           form=form, organizer=can(current_user, Action.MANAGE_MATCHING, event)), status


@bp.route("/events/<slug>/matching/day/meetings/<int:meeting_id>/attendance", methods=["POST"])
def desk_mark(slug: str, meeting_id: int):
    event = _desk_event(slug)
    value = request.form.get("attendance")
    try:
        if value == "clear":
            onday.unmark(db.session, event.id, meeting_id)
        else:
            attendance = _attendance(value)
            if attendance is None:
                raise DomainError(_("Choose whether the meeting was held or the other side did not come."))
            onday.mark(db.session, event.id, meeting_id, attendance, profile=None)
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        flash(_("Saved."), "success")
    return redirect(url_for("matching.day", slug=event.slug) + f"#meeting-{meeting_id}")


@bp.route("/events/<slug>/matching/day/cutoff", methods=["POST"])
def set_cutoff(slug: str):
    event = load_event(slug, public=False)
    authorize(Action.MANAGE_MATCHING, event)
    form = CutoffForm()
    if form.validate_on_submit():
        settings = participants.settings_of(db.session, event.id)
        if settings is None:  # nothing saved yet: the defaults, with this cut-off
            default = participants.settings_or_default(db.session, event.id)
            settings = participants.save_settings(
                db.session, event.id, enabled=default.enabled, categories=default.category_list, sectors=[],
                open_request_limit=default.open_request_limit, requests_close_at=None)
        try:
            onday.set_cutoff(db.session, settings, form.hours.data)
            db.session.commit()
        except DomainError as exc:
            db.session.rollback()
            form.hours.errors.append(exc.message)
        else:
            flash(_("Participants may cancel a meeting until %(hours)s hours before it starts.",
                    hours=form.hours.data), "success")
            return redirect(url_for("matching.day", slug=event.slug))
    return _day_page(event, form, 422)


@bp.route("/events/<slug>/matching/day/send-schedules", methods=["POST"])
def send_day_schedules(slug: str):
    event = load_event(slug, public=False)
    authorize(Action.MANAGE_MATCHING, event)
    queued = onday.queue_day_before(db.session, event)
    db.session.commit()
    flash(_("Tomorrow's schedule is on its way to %(n)s participants (each gets it once).", n=queued), "success")
    return redirect(url_for("matching.day", slug=event.slug))
