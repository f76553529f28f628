"""Forms of the booking pages (book/cancel buttons are plain POST forms with a CSRF token)."""

from __future__ import annotations

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
    registration_id = SelectField("Participant", coerce=int, validate_choice=False, validators=[
        DataRequired("Choose a participant."), _id_in_range("Choose a participant from the list.")])
    reason = StringField("Reason (required when the session is full)", filters=[_strip],
                         validators=[Length(max=300)])


class MoveForm(FlaskForm):
    to_session_id = SelectField("Move to", coerce=int, validate_choice=False, validators=[
        DataRequired("Choose the session to move to."), _id_in_range("Choose a session from the list.")])
    reason = StringField("Reason if the other session is full", filters=[_strip], validators=[Length(max=300)])


class VehicleForm(FlaskForm):
    name = StringField("Name", filters=[_strip], validators=[DataRequired(), Length(max=100)])
    kind = SelectField("Kind", choices=[("bus", "Bus"), ("van", "Van"), ("car", "Car")])
    seats = IntegerField("Seats", validators=[DataRequired(), NumberRange(min=1, max=200)])
    plate = StringField("Plate", filters=[_strip], validators=[Optional(), Length(max=30)])
    guide_name = StringField("Guide", filters=[_strip], validators=[Optional(), Length(max=120)])
    guide_phone = StringField("Guide's phone", filters=[_strip], validators=[Optional(), Length(max=50)])
