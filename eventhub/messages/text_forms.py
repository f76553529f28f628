"""Forms of the notification texts editor and the reminder settings."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange


class TextForm(FlaskForm):
    subject = StringField(_l("Subject"), validators=[DataRequired(), Length(max=300)])
    body = TextAreaField(_l("Text"), validators=[DataRequired(), Length(max=20000)])


class ReminderForm(FlaskForm):
    enabled = BooleanField(_l("Send this reminder"))
    offset_hours = IntegerField(_l("Hours"), validators=[DataRequired(), NumberRange(min=1, max=1440)])
