"""Forms of the documents pages: passport details, the letter template and certificate rule, and the
small POST forms (issue, revoke, e-mail) that carry only the CSRF token."""

from __future__ import annotations

import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from eventhub.documents.models import AttendanceRule

_PASSPORT_NUMBER = re.compile(r"^[A-Z0-9]{5,20}$")


class IsoDateField(DateField):
    """A date typed as YYYY-MM-DD; anything else gets our message (saying how to write it)."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            raise ValueError(_("Enter the date as year-month-day, like 1985-04-21.")) from exc


def _plausible_date(form, field) -> None:
    if field.data and not 1900 <= field.data.year <= 2100:
        raise ValidationError(_("Enter a date between the years 1900 and 2100, like 1985-04-21."))


class PassportForm(FlaskForm):
    name_in_passport = StringField(
        _l("Name as in the passport"), description=_l("Exactly as printed on the passport's photo page."),
        validators=[DataRequired(_l("Enter the name as it is in the passport.")), Length(max=200)])
    nationality = StringField(_l("Nationality (as in the passport)"),
                              validators=[DataRequired(_l("Enter the nationality.")), Length(max=100)])
    passport_number = StringField(_l("Passport number"),
                                  validators=[DataRequired(_l("Enter the passport number.")), Length(max=40)])
    date_of_birth = IsoDateField(_l("Date of birth"), validators=[
        InputRequired(_l("Enter the date of birth, like 1985-04-21.")), _plausible_date])
    stay_from = IsoDateField(_l("First day of stay"), validators=[
        InputRequired(_l("Enter the first day of the stay.")), _plausible_date])
    stay_to = IsoDateField(_l("Last day of stay"), validators=[
        InputRequired(_l("Enter the last day of the stay.")), _plausible_date])

    def validate_passport_number(self, field) -> None:
        # People type spaces and dashes they see in the printed number; the machine-readable one has none.
        field.data = re.sub(r"[\s-]", "", field.data or "").upper()
        if not _PASSPORT_NUMBER.match(field.data):
            raise ValidationError(_("A passport number has 5 to 20 letters and digits (spaces and dashes are "
                                    "left out)."))

    def values(self) -> dict:
        return {"name_in_passport": self.name_in_passport.data.strip(), "nationality": self.nationality.data.strip(),
                "passport_number": self.passport_number.data, "date_of_birth": self.date_of_birth.data,
                "stay_from": self.stay_from.data, "stay_to": self.stay_to.data}


RULE_CHOICES = [(rule.value, label) for rule, label in (
    (AttendanceRule.EITHER, _l("Checked in on a day or to a session")),
    (AttendanceRule.DAY, _l("Checked in on at least one day")),
    (AttendanceRule.SESSION, _l("Checked in to at least one session")))]


class SettingsForm(FlaskForm):
    letter_body = TextAreaField(_l("Letter text"), validators=[DataRequired(_l("Enter the letter's text.")),
                                                               Length(max=8000)])
    signatory_name = StringField(_l("Signatory's name"), validators=[Optional(), Length(max=200)])
    signatory_title = StringField(_l("Signatory's title"), validators=[Optional(), Length(max=200)])
    signature = FileField(_l("Signature image (PNG or JPEG, at most 1 MB)"))
    remove_signature = BooleanField(_l("Remove the signature image"))
    logo = FileField(_l("Host's logo (PNG or JPEG, at most 1 MB)"))
    remove_logo = BooleanField(_l("Remove the logo"))
    letter_lead_days = IntegerField(_l("Letters due this many days before the event"), default=30, validators=[
        InputRequired(_l("Enter a number of days.")), NumberRange(0, 365, _l("Between 0 and 365 days."))])
    certificate_rule = SelectField(_l("Who gets a certificate of attendance"), choices=RULE_CHOICES,
                                   default=AttendanceRule.EITHER.value)
    certificate_lists_sessions = BooleanField(_l("List the sessions attended on the certificate"), default=True)


class EmptyForm(FlaskForm):
    """A POST button: the CSRF token and nothing else."""
