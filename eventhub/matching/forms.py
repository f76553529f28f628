"""Forms of business matching: the organizer's settings and sessions, profiles, requests, answers."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateTimeLocalField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from eventhub.events.forms import IntField, MultiCheckboxField
from eventhub.matching.models import COOPERATION_LABELS
from eventhub.registration.models import CATEGORY_LABELS


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class SettingsForm(FlaskForm):
    enabled = BooleanField(_l("Business matching is open to participants"))
    categories = MultiCheckboxField(_l("Participant categories that take part"),
                                    choices=[(c.value, label) for c, label in CATEGORY_LABELS.items()],
                                    validators=[DataRequired(_l("Choose at least one category."))])
    sectors = TextAreaField(_l("Sectors (one per line)"), filters=[_strip],
                            validators=[Length(max=5000)])
    open_request_limit = IntField(_l("Open requests per participant"), default=10, validators=[
        InputRequired(_l("Enter how many requests a participant may have waiting.")),
        NumberRange(min=1, max=500, message=_l("Enter a number from 1 to 500."))])
    requests_close_local = DateTimeLocalField(_l("Requests close"), format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"],
                                              validators=[Optional()])


class SessionSetupForm(FlaskForm):
    meeting_minutes = IntField(_l("Meeting length (minutes)"), default=20, validators=[
        InputRequired(_l("Enter the length of a meeting.")),
        NumberRange(min=5, max=240, message=_l("Enter a length from 5 to 240 minutes."))])
    break_minutes = IntField(_l("Break between meetings (minutes)"), default=5, validators=[
        InputRequired(_l("Enter the break between meetings (0 for none).")),
        NumberRange(min=0, max=120, message=_l("Enter a break from 0 to 120 minutes."))])
    tables = TextAreaField(_l("Tables (one per line)"), filters=[_strip], validators=[
        DataRequired(_l("Give at least one table.")), Length(max=12000)])


class ProfileForm(FlaskForm):
    organisation = StringField(_l("Organisation"), filters=[_strip], validators=[
        DataRequired(_l("Give the name of your organisation.")), Length(max=300)])
    sectors = MultiCheckboxField(_l("Sectors"))
    cluster_name = StringField(_l("Industrial cluster"), filters=[_strip], validators=[Length(max=200)])
    cluster_location = StringField(_l("Location of the cluster"), filters=[_strip], validators=[Length(max=200)])
    offers = TextAreaField(_l("What you offer"), filters=[_strip], validators=[Length(max=3000)])
    offer_types = MultiCheckboxField(_l("Cooperation you offer"),
                                     choices=[(t.value, label) for t, label in COOPERATION_LABELS.items()])
    seeks = TextAreaField(_l("What you seek"), filters=[_strip], validators=[Length(max=3000)])
    seek_types = MultiCheckboxField(_l("Cooperation you seek"),
                                    choices=[(t.value, label) for t, label in COOPERATION_LABELS.items()])
    languages = MultiCheckboxField(_l("Languages you can meet in"))
    available = MultiCheckboxField(_l("Meeting slots you are free for"), coerce=int)
    listed = BooleanField(_l("List my profile in the catalogue"), default=True)


class RequestForm(FlaskForm):
    message = TextAreaField(_l("Message"), filters=[_strip], validators=[Length(max=1000)])


class DeclineForm(FlaskForm):
    reason = StringField(_l("Reason (optional)"), filters=[_strip], validators=[Length(max=500)])


class RunForm(FlaskForm):
    move_published = BooleanField(_l("Published meetings may move"))


class CutoffForm(FlaskForm):
    hours = IntField(_l("Participants may cancel a meeting until (hours before it starts)"), default=24, validators=[
        InputRequired(_l("Enter a number of hours (0: until the meeting starts).")),
        NumberRange(min=0, max=720, message=_l("Enter a number of hours from 0 to 720."))])
