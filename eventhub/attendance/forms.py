from __future__ import annotations

import uuid

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, IntegerField, RadioField, SelectField, StringField
from wtforms.validators import AnyOf, DataRequired, Email, InputRequired, Length, NumberRange, Optional

from eventhub.registration.models import CATEGORY_LABELS, Funding, Sex


def new_nonce() -> str:
    return uuid.uuid4().hex


NUL_MESSAGE = _l("Remove the NUL character (\\0): it cannot be stored.")


class NoNulForm(FlaskForm):
    """A form whose text fields refuse a NUL character next to the field (PostgreSQL cannot store it
    in text, SQLite's length() stops at it), along with their other errors."""

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for field in self:
            if isinstance(field.data, str) and "\x00" in field.data:
                field.errors = [*field.errors, NUL_MESSAGE]
                valid = False
        return valid


class _DeskForm(NoNulForm):
    scope = HiddenField()
    # A fresh key per shown form: a double submit or a retry records once.
    nonce = HiddenField(default=new_nonce)
    desk = HiddenField()


class ScanForm(_DeskForm):
    code = StringField(_l("Scan the badge (or type its code)"), validators=[
        DataRequired(_l("Scan a badge or type its code.")), Length(max=200)],
        render_kw={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false",
                   "autofocus": True, "inputmode": "text"})


class PersonCheckInForm(_DeskForm):
    registration_id = IntegerField(validators=[InputRequired()])
    override = BooleanField(_l("Check in anyway (secretariat override)"))
    override_reason = StringField(_l("Reason for the override"), validators=[Optional(), Length(max=300)])


class EmptyForm(FlaskForm):
    pass


class BadgeFilterForm(FlaskForm):
    class Meta:
        csrf = False

    delegation = SelectField(_l("Delegation"), coerce=str, validators=[Optional()], default="")
    category = SelectField(_l("Category"), choices=lambda: [("", _l("All categories"))] + [
                               (c.value, label) for c, label in CATEGORY_LABELS.items()],
                           validators=[Optional()], default="")
    layout = SelectField(_l("Paper"), choices=[("sheet", _l("A4 sheets, four badges each")),
                                           ("single", _l("One A6 badge per page"))],
                         default="sheet")
    include_pending = BooleanField(_l("Include registrations not yet approved"))


class ReportFilterForm(FlaskForm):
    class Meta:
        csrf = False

    day = SelectField(_l("Day"), choices=[], validators=[Optional()], default="")
    kind = SelectField(_l("Session kind"), choices=[], validators=[Optional()], default="")


SEX_MISSING = _l("Choose one, as the person tells you (“prefer not to say” is an answer too).")


class WalkInForm(NoNulForm):
    """The few details the desk takes from someone who turns up unregistered; they complete the rest by e-mail."""

    scope = HiddenField()
    submission_key = HiddenField(default=new_nonce)
    given_name = StringField(_l("Given name"), validators=[DataRequired(_l("Enter the given name.")), Length(max=120)])
    family_name = StringField(_l("Family name"), validators=[DataRequired(_l("Enter the family name.")), Length(max=120)])
    name_local = StringField(_l("Name in local script"), validators=[Optional(), Length(max=200)])
    email = EmailField(_l("E-mail"), validators=[DataRequired(_l("Enter the e-mail address.")),
                                             Email(_l("Enter a valid e-mail address, like name@example.org."),
                                                   check_deliverability=False), Length(max=254)])
    # "— choose —" is 0: refused here, with the other fields' errors, not after them.
    economy = SelectField(_l("Economy"), coerce=int, validators=[InputRequired(_l("Choose the economy.")),
                                                             NumberRange(min=1, message=_l("Choose the economy."))])
    organisation = StringField(_l("Organisation"), validators=[Optional(), Length(max=300)])
    # Choices are read when the form is shown: the labels are in the reader's language.
    # No default: a preselected answer would be counted in the reports as if the person had given it.
    sex = RadioField(_l("Sex / gender (for reporting)"), choices=lambda: [(s.value, s.label) for s in Sex], default=None,
                     validate_choice=False, validators=[
                         InputRequired(SEX_MISSING), AnyOf([s.value for s in Sex], message=SEX_MISSING)])
    category = SelectField(_l("Category"), choices=lambda: [(c.value, label) for c, label in CATEGORY_LABELS.items()],
                           default="delegate")
    funding = RadioField(_l("Funding"), choices=lambda: [(f.value, f.label) for f in Funding], default=Funding.SELF.value)
