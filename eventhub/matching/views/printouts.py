"""Paper for the matching hall: a participant's schedule (one page), the organizers' table plan and
table signs (PDF, eventhub.matching.printouts)."""

from __future__ import annotations

from flask import redirect, url_for
from flask_login import login_required

from eventhub.accounts.permissions import Action, authorize
from eventhub.events.views import load_event
from eventhub.exports import download
from eventhub.extensions import db
from eventhub.matching import printouts
from eventhub.matching.views import bp
from eventhub.matching.views.common import participant_of

PDF = "application/pdf"


@bp.route("/events/<slug>/matching/meetings.pdf")
@login_required
def schedule_pdf(slug: str):
    event = load_event(slug)
    me = participant_of(event)
    if me.profile is None:
        return redirect(url_for("matching.profile", slug=event.slug))
    return download(printouts.personal_schedule_pdf(db.session, event, me.profile), PDF,
                    f"{event.slug}-my-meetings.pdf")


def _organizer_event(slug: str):
    event = load_event(slug, public=False)
    authorize(Action.MANAGE_MATCHING, event)
    return event


@bp.route("/events/<slug>/matching/table-plan.pdf")
def table_plan_pdf(slug: str):
    event = _organizer_event(slug)
    return download(printouts.table_plan_pdf(db.session, event), PDF, f"{event.slug}-table-plan.pdf")


@bp.route("/events/<slug>/matching/table-signs.pdf")
def table_signs_pdf(slug: str):
    event = _organizer_event(slug)
    return download(printouts.table_signs_pdf(db.session, event), PDF, f"{event.slug}-table-signs.pdf")
