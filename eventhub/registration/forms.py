"""Registration forms. The same details form serves every way in; the economy is never a field of
a public form (the link fixes it)."""

from __future__ import annotations

import secrets
from datetime import datetime
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    EmailField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TelField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    Optional,
    Regexp,
    ValidationError,
)

from eventhub.i18n import current_language, language_name, offered
from eventhub.registration.models import CATEGORY_LABELS, FUNDING_LABELS, SEX_LABELS, Funding, Sex

HONORIFICS = ["", "Mr", "Ms", "Mrs", "Dr", "Prof", "H.E.", "Hon."]
# The lazy labels themselves (not .label, which is read once): shown in the reader's language.
SEX_CHOICES = [(s.value, SEX_LABELS[s.value]) for s in Sex]
CATEGORY_CHOICES = [(c.value, label) for c, label in CATEGORY_LABELS.items()]
FUNDING_CHOICES = [(f.value, FUNDING_LABELS[f.value]) for f in Funding]


def _check_year(field) -> None:
    """A year such as 0001 cannot be converted to UTC (it lies before the first representable moment)."""
    if field.data and not 1900 <= field.data.year <= 9998:
        raise ValidationError(_("Enter a date between the years 1900 and 9998, like 2025-06-27 14:30."))


class DetailsForm(FlaskForm):
    """A person's details: everything but e-mail, economy and state."""

    honorific = SelectField(_l("Honorific"), choices=[(h, h or "—") for h in HONORIFICS], default="",
                            validators=[Optional()])
    given_name = StringField(_l("Given name"), validators=[DataRequired(_l("Enter the given name.")), Length(max=120)])
    family_name = StringField(_l("Family name"), validators=[DataRequired(_l("Enter the family name.")), Length(max=120)])
    name_local = StringField(_l("Name in local script"), validators=[Optional(), Length(max=200)])
    sex = RadioField(_l("Sex / gender (for reporting)"), choices=SEX_CHOICES,
                     validators=[InputRequired(_l("Choose one (“Prefer not to say” is fine)."))])
    organisation = StringField(_l("Organisation"), validators=[DataRequired(_l("Enter the organisation.")),
                                                           Length(max=300)])
    position = StringField(_l("Position"), validators=[Optional(), Length(max=200)])
    sector = StringField(_l("Sector"), validators=[Optional(), Length(max=120)])
    category = SelectField(_l("Participant category"), choices=CATEGORY_CHOICES, default="delegate",
                           validators=[InputRequired()])
    phone = TelField(_l("Phone"), validators=[
        Optional(), Length(max=50),
        Regexp(r"^\+?[0-9 ()./-]{5,}$", message=_l("Use digits, spaces and + ( ) - only, e.g. +66 2 123 4567."))])
    dietary = TextAreaField(_l("Dietary needs"), validators=[Optional(), Length(max=300)])
    accessibility = TextAreaField(_l("Accessibility needs"), validators=[Optional(), Length(max=300)])
    arrival_at = DateTimeLocalField(_l("Arrival"), format="%Y-%m-%dT%H:%M", validators=[Optional()])
    departure_at = DateTimeLocalField(_l("Departure"), format="%Y-%m-%dT%H:%M", validators=[Optional()])
    visa_letter = BooleanField(_l("I need an invitation letter for a visa"))
    funding = RadioField(_l("Funding"), choices=FUNDING_CHOICES, default="self_funded",
                         validators=[InputRequired(_l("Choose how the travel is funded."))])
    consent_list = BooleanField(_l("Show my name, economy and organisation on the public participant list"))
    consent_photo = BooleanField(_l("I agree to be photographed at the event"))
    language = SelectField(_l("Language for e-mails"), validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Each offered language named in itself; unless chosen, the language the form is read in.
        self.language.choices = [(code, language_name(code)) for code in offered()]
        if not self.language.data:
            self.language.data = current_language()

    def validate_arrival_at(self, field):
        _check_year(field)

    def validate_departure_at(self, field):
        _check_year(field)
        if field.data and self.arrival_at.data and field.data < self.arrival_at.data:
            raise ValidationError(_("Departure must be after arrival."))

    def details(self, timezone: str) -> dict:
        """The details as the services take them; arrival and departure from event-local time to UTC."""
        zone = ZoneInfo(timezone)

        def utc(value: datetime | None):
            return value.replace(tzinfo=zone).astimezone(ZoneInfo("UTC")) if value else None

        return {
            "honorific": self.honorific.data or "", "given_name": self.given_name.data,
            "family_name": self.family_name.data, "name_local": self.name_local.data or "",
            "sex": self.sex.data, "organisation": self.organisation.data, "position": self.position.data or "",
            "sector": self.sector.data or "", "category": self.category.data, "phone": self.phone.data or "",
            "dietary": self.dietary.data or "", "accessibility": self.accessibility.data or "",
            "arrival_at": utc(self.arrival_at.data), "departure_at": utc(self.departure_at.data),
            "visa_letter": self.visa_letter.data, "funding": self.funding.data,
            "consent_list": self.consent_list.data, "consent_photo": self.consent_photo.data,
            "language": self.language.data,
        }

    def fill(self, reg, timezone: str) -> None:
        """Show a registration's details in the form (event-local times)."""
        zone = ZoneInfo(timezone)
        for name in ("honorific", "given_name", "family_name", "name_local", "organisation", "position",
                     "sector", "phone", "dietary", "accessibility", "visa_letter", "consent_list",
                     "consent_photo"):
            getattr(self, name).data = getattr(reg, name)
        self.sex.data = reg.sex.value
        self.category.data = reg.category.value
        self.funding.data = reg.funding.value
        self.language.data = reg.language or current_language()
        for name in ("arrival_at", "departure_at"):
            value = getattr(reg, name)
            getattr(self, name).data = value.astimezone(zone).replace(tzinfo=None) if value else None


class _WithEmail:
    email = EmailField(_l("E-mail"), validators=[DataRequired(_l("Enter the e-mail address.")),
                                             Email(_l("Enter a valid e-mail address, like name@example.org."),
                                                   check_deliverability=False), Length(max=254)])
    # Put in the form when it is shown: a double click or retry finds the registration it made.
    submission_key = HiddenField("Form")

    def validate_submission_key(self, field):
        if field.data and (len(field.data) > 64 or not field.data.replace("-", "").replace("_", "").isalnum()):
            field.data = secrets.token_urlsafe(24)  # the page shown again carries a good key
            raise ValidationError(_("The form was damaged on its way. Please submit it again."))

    def ensure_key(self) -> None:
        if not self.submission_key.data:
            self.submission_key.data = secrets.token_urlsafe(24)


_PRIVACY = BooleanField(_l("I have read the privacy notice and agree that my details are used to run this event"),
                        validators=[DataRequired(_l("Please confirm that you have read the privacy notice."))])


class SelfRegistrationForm(_WithEmail, DetailsForm):
    privacy = _PRIVACY


class NominationForm(_WithEmail, DetailsForm):
    """A focal point or staff member registers someone; the person confirms by e-mail."""


class StaffAddForm(NominationForm):
    economy = SelectField(_l("Economy"), coerce=int, validators=[InputRequired(_l("Choose the economy."))])


class ConfirmForm(DetailsForm):
    privacy = _PRIVACY


class EditForm(DetailsForm):
    pass


class ReasonForm(FlaskForm):
    reason = StringField(_l("Reason (optional, sent to the delegate)"), validators=[Optional(), Length(max=300)])


class FocalPointForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(_l("Enter the e-mail address.")),
                                             Email(_l("Enter a valid e-mail address."), check_deliverability=False),
                                             Length(max=254)])
    name = StringField(_l("Name"), validators=[Optional(), Length(max=200)])


class ImportForm(FlaskForm):
    file = FileField(_l("Spreadsheet (CSV or XLSX)"), validators=[FileRequired(_l("Choose a CSV or XLSX file."))])
    send_mail = BooleanField(_l("E-mail each imported delegate a link to confirm their details"), default=True)


class ImportConfirmForm(FlaskForm):
    payload = HiddenField(validators=[DataRequired()])
    filename = HiddenField(validators=[DataRequired()])
    send_mail = HiddenField()


class EmptyForm(FlaskForm):
    """CSRF only (buttons that post)."""
