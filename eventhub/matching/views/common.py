"""What the participants' pages share: who the participant of the request is."""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, render_template
from flask_login import current_user

from eventhub.accounts.permissions import Action, authorize
from eventhub.extensions import db
from eventhub.matching.models import MatchingProfile, MatchingSettings
from eventhub.matching.participants import participant_registration, profile_of, settings_of, takes_part
from eventhub.registration.models import Registration


@dataclass
class Participant:
    settings: MatchingSettings
    registration: Registration
    profile: MatchingProfile | None


class NotParticipant(Exception):
    """Raised by participant_of(); the view answers with a page that says why (403)."""


def participant_of(event) -> Participant:
    """The current user as a participant of the event's matching. Matching that is off does not
    exist for participants (404); a user who does not take part is told so (403)."""
    settings = settings_of(db.session, event.id)
    if settings is None or not settings.enabled:
        abort(404)
    if not current_user.is_authenticated:
        abort(401)
    registration = participant_registration(db.session, event.id, current_user.id)
    if not takes_part(settings, registration):
        raise NotParticipant()
    authorize(Action.USE_MATCHING, event, registration=registration)
    return Participant(settings, registration, profile_of(db.session, registration.id))


def not_participant_page(event):
    return render_template("matching/not_participant.html", event=event), 403
