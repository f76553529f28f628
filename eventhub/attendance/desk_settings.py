"""An event's phone-desk settings: how old a desk's offline list may be before it warns."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy.orm import Session as DbSession
from wtforms import IntegerField
from wtforms.validators import InputRequired, NumberRange

from eventhub.attendance.models import DESK_ROSTER_HOURS_DEFAULT, DESK_ROSTER_HOURS_MAX, DeskSettings
from eventhub.errors import DomainError
from eventhub.events.models import Event

HOURS_MESSAGE = _l("Enter a whole number of hours from 1 to %(max)d.", max=DESK_ROSTER_HOURS_MAX)


def roster_max_hours(db_session: DbSession, event: Event) -> int:
    row = db_session.get(DeskSettings, event.id)
    return row.roster_max_hours if row is not None else DESK_ROSTER_HOURS_DEFAULT


def set_roster_max_hours(db_session: DbSession, event: Event, hours: int) -> DeskSettings:
    if isinstance(hours, bool) or not isinstance(hours, int) or not 1 <= hours <= DESK_ROSTER_HOURS_MAX:
        raise DomainError(_("Enter a whole number of hours from 1 to %(max)d.", max=DESK_ROSTER_HOURS_MAX),
                          field="roster_max_hours")
    row = db_session.get(DeskSettings, event.id)
    if row is None:
        row = DeskSettings(event_id=event.id)
        db_session.add(row)
    row.roster_max_hours = hours
    db_session.flush()
    return row


class DeskSettingsForm(FlaskForm):
    roster_max_hours = IntegerField(
        _l("Warn when a desk's list of participants is older than (hours)"),
        validators=[InputRequired(HOURS_MESSAGE), NumberRange(min=1, max=DESK_ROSTER_HOURS_MAX, message=HOURS_MESSAGE)])
