"""The surveys blueprint and what its view modules share."""

from __future__ import annotations

from flask import Blueprint, abort

from eventhub.accounts.permissions import Action, authorize
from eventhub.extensions import db
from eventhub.surveys.builder import survey_of

bp = Blueprint("surveys", __name__)


def load_event(slug: str):
    from eventhub.events.views import load_event as load

    return load(slug)


def load_survey(slug: str, survey_id: int, action: Action = Action.MANAGE_SURVEYS):
    event = load_event(slug)
    authorize(action, event)
    survey = survey_of(db.session, event, survey_id)
    if survey is None:
        abort(404)
    return event, survey
