"""Forms of the booking pages (book/cancel buttons are plain POST forms with a CSRF token)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from eventhub.web import MAX_ID


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _id_in_range(message: str) -> NumberRange:
    """An id the database can hold (1..2**31-1): anything else is refused next to the field, never
    sent to the database (PostgreSQL answers "integer out of range", SQLite overflows past 2**63)."""
    return NumberRange(min=1, max=MAX_ID, message=message)


class AddPersonForm(FlaskForm):
    registration_id = SelectField(_l("Participant"), coerce=int, validate_choice=False, validators=[
        DataRequired(_l("Choose a participant.")), _id_in_range(_l("Choose a participant from the list."))])
    reason = StringField(_l("Reason (required when the session is full)"), filters=[_strip],
                         validators=[Length(max=300)])


class MoveForm(FlaskForm):
    to_session_id = SelectField(_l("Move to"), coerce=int, validate_choice=False, validators=[
        DataRequired(_l("Choose the session to move to.")), _id_in_range(_l("Choose a session from the list."))])
    reason = StringField(_l("Reason if the other session is full"), filters=[_strip], validators=[Length(max=300)])


class VehicleForm(FlaskForm):
    name = StringField(_l("Name"), filters=[_strip], validators=[DataRequired(), Length(max=100)])
    kind = SelectField(_l("Kind"), choices=[("bus", _l("Bus")), ("van", _l("Van")), ("car", _l("Car"))])
    seats = IntegerField(_l("Seats"), validators=[DataRequired(), NumberRange(min=1, max=200)])
    plate = StringField(_l("Plate"), filters=[_strip], validators=[Optional(), Length(max=30)])
    guide_name = StringField(_l("Guide"), filters=[_strip], validators=[Optional(), Length(max=120)])
    guide_phone = StringField(_l("Guide's phone"), filters=[_strip], validators=[Optional(), Length(max=50)])
