"""Forms of firms in the matching: the registration behind the invitation link, the organizer's
link settings, a profile image upload."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, EmailField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, ValidationError

from eventhub.events.forms import MultiCheckboxField
from eventhub.matching.models import COOPERATION_LABELS

REPRESENTATIVE_ROWS = 3
REP_FIELDS = ("given_name", "family_name", "position", "email", "phone")
IMAGE_LABEL = _l("Logo or photo (PNG or JPEG, at most 1 MB, optional)")


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class FirmForm(FlaskForm):
    name = StringField(_l("Organisation"), filters=[_strip], validators=[
        DataRequired(_l("Give the name of your organisation.")), Length(max=300)])
    economy = SelectField(_l("Economy"), coerce=int, validate_choice=False,
                          validators=[DataRequired(_l("Choose your organisation's economy."))])
    website = StringField(_l("Website (optional)"), filters=[_strip], validators=[Length(max=300)])
    cluster_name = StringField(_l("Industrial cluster"), filters=[_strip], validators=[Length(max=200)])
    cluster_location = StringField(_l("Location of the cluster"), filters=[_strip], validators=[Length(max=200)])
    sectors = MultiCheckboxField(_l("Sectors"))
    offers = TextAreaField(_l("What you offer"), filters=[_strip], validators=[Length(max=3000)])
    offer_types = MultiCheckboxField(_l("Cooperation you offer"),
                                     choices=[(t.value, label) for t, label in COOPERATION_LABELS.items()])
    seeks = TextAreaField(_l("What you seek"), filters=[_strip], validators=[Length(max=3000)])
    seek_types = MultiCheckboxField(_l("Cooperation you seek"),
                                    choices=[(t.value, label) for t, label in COOPERATION_LABELS.items()])
    image = FileField(IMAGE_LABEL)

    def rows(self):
        """Each representative's fields, as (number, {name: field})."""
        return [(i, {f: self[f"rep{i}_{f}"] for f in REP_FIELDS}) for i in range(1, REPRESENTATIVE_ROWS + 1)]

    def languages_of(self, i: int):
        return self[f"rep{i}_languages"]

    def filled_rows(self):
        return [(i, fields) for i, fields in self.rows() if any((fld.data or "").strip() for fld in fields.values())]

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        filled = self.filled_rows()
        if not filled:
            self["rep1_given_name"].errors.append(_l("Name at least one representative."))
            return False
        for _i, fields in filled:
            for name, message in (("given_name", _l("Enter the given name.")),
                                  ("family_name", _l("Enter the family name.")),
                                  ("email", _l("Enter the e-mail address."))):
                if not (fields[name].data or "").strip():
                    fields[name].errors.append(message)
                    ok = False
        return ok


def _valid_email_or_empty(form, field):
    if field.data and field.data.strip():
        Email(_l("Enter a valid e-mail address, like name@example.org."))(form, field)


def _rep_label(i: int, text):
    # The row's number stays out of the catalog: one translation serves every row.
    return _l("%(field)s (representative %(n)s)", field=text, n=i)


for _i in range(1, REPRESENTATIVE_ROWS + 1):
    setattr(FirmForm, f"rep{_i}_given_name", StringField(_rep_label(_i, _l("Given name")), filters=[_strip],
                                                          validators=[Length(max=120)]))
    setattr(FirmForm, f"rep{_i}_family_name", StringField(_rep_label(_i, _l("Family name")), filters=[_strip],
                                                           validators=[Length(max=120)]))
    setattr(FirmForm, f"rep{_i}_position", StringField(_rep_label(_i, _l("Position")), filters=[_strip],
                                                        validators=[Length(max=200)]))
    setattr(FirmForm, f"rep{_i}_email", EmailField(_rep_label(_i, _l("E-mail")), filters=[_strip],
                                                    validators=[Length(max=254), _valid_email_or_empty]))
    setattr(FirmForm, f"rep{_i}_phone", StringField(_rep_label(_i, _l("Phone")), filters=[_strip],
                                                     validators=[Length(max=50)]))
    setattr(FirmForm, f"rep{_i}_languages", MultiCheckboxField(_rep_label(_i, _l("Languages spoken"))))


class ImageForm(FlaskForm):
    image = FileField(IMAGE_LABEL)

    def validate_image(self, field):
        if not field.data or not getattr(field.data, "filename", ""):
            raise ValidationError(_l("Choose an image file."))


class FiguresForm(FlaskForm):
    count_in_figures = BooleanField(_l("Count firm representatives in the event's figures (attendance by "
                                       "economy, registration lists, completion report)"))
