"""The organizer's roundtable allocation: compute, check per person, publish."""

from __future__ import annotations

import json

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from eventhub.accounts.permissions import Action, authorize
from eventhub.db import utcnow
from eventhub.economies.models import Economy
from eventhub.errors import DomainError
from eventhub.events.views import load_event
from eventhub.extensions import db
from eventhub.signups import roundtables
from eventhub.signups.models import AllocationStatus
from eventhub.signups.views import bp
from eventhub.signups.views.common import parse_slot


@bp.route("/events/<slug>/allocation")
def allocation(slug: str):
    event = load_event(slug, public=False)
    authorize(Action.MANAGE_AGENDA, event)
    all_slots = roundtables.slots(db.session, event.id)
    runs = roundtables.latest_runs(db.session, event.id)
    ranked = dict(db.session.execute(
        sa.select(roundtables.RoundtablePreference.slot,
                  sa.func.count(sa.distinct(roundtables.RoundtablePreference.registration_id)))
        .where(roundtables.RoundtablePreference.event_id == event.id)
        .group_by(roundtables.RoundtablePreference.slot)).all())
    figures = {slot: json.loads(run.figures_json) for slot, run in runs.items()}
    previews = {slot.starts_at: roundtables.preview_lines(db.session, runs[slot.starts_at], slot)
                for slot in all_slots
                if slot.starts_at in runs and runs[slot.starts_at].status == AllocationStatus.PREVIEW}
    economies = {str(e.id): e for e in db.session.scalars(sa.select(Economy))}
    return render_template("signups/allocation.html", event=event, slots=all_slots, runs=runs, figures=figures,
                           ranked=ranked, economies=economies, now=utcnow(), AllocationStatus=AllocationStatus,
                           previews=previews)


@bp.route("/events/<slug>/allocation/run", methods=["POST"])
def run_allocation(slug: str):
    event = load_event(slug, public=False)
    authorize(Action.MANAGE_AGENDA, event)
    slot = parse_slot(request.form.get("slot"))
    if slot is None:
        abort(400)
    try:
        roundtables.run_allocation(db.session, event.id, slot, actor_id=current_user.id)
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        flash(_("Allocation computed. Check the figures, then publish it."), "success")
    return redirect(url_for("signups.allocation", slug=event.slug))


@bp.route("/events/<slug>/allocation/<int:run_id>/publish", methods=["POST"])
def publish_allocation(slug: str, run_id: int):
    event = load_event(slug, public=False)
    authorize(Action.MANAGE_AGENDA, event)
    if not request.form.get("confirm"):
        flash(_("Tick the box to confirm that you want to publish and notify everyone."), "error")
        return redirect(url_for("signups.allocation", slug=event.slug))
    try:
        n = roundtables.publish(db.session, event.id, run_id, actor_id=current_user.id,
                                before_deadline_ok=bool(request.form.get("before_deadline")))
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        flash(ngettext("Published: %(num)d participant placed and told by e-mail.",
                       "Published: %(num)d participants placed and told by e-mail.", n), "success")
    return redirect(url_for("signups.allocation", slug=event.slug))
