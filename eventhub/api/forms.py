from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length

from eventhub.api.models import KIND_LABELS, SCOPE_LABELS
from eventhub.events.forms import MultiCheckboxField


class TokenForm(FlaskForm):
    name = StringField(_l("Name (what the token is for)"),
                       validators=[DataRequired(_l("Give the token a name.")), Length(max=100)])
    scopes = MultiCheckboxField(_l("What it may do"), choices=[(k.value, v) for k, v in SCOPE_LABELS.items()],
                                validators=[DataRequired(_l("Choose at least one scope."))])
    valid_days = SelectField(_l("Works for"), default="90", choices=[
        ("30", _l("30 days")), ("90", _l("90 days")), ("365", _l("a year")), ("", _l("until revoked"))])


class WebhookForm(FlaskForm):
    url = StringField(_l("Address (URL)"), validators=[DataRequired(_l("Enter the receiver's address.")),
                                                       Length(max=500)])
    kinds = MultiCheckboxField(_l("Changes to send"), choices=[(k.value, v) for k, v in KIND_LABELS.items()],
                               validators=[DataRequired(_l("Choose at least one kind of change."))])


class EmptyForm(FlaskForm):
    pass
