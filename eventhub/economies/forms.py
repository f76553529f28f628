from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from eventhub.economies.models import EconomyKind

KIND_LABELS = {
    EconomyKind.MEMBER: "APEC member economy",
    EconomyKind.GUEST: "Guest / non-member",
    EconomyKind.OBSERVER: "Official observer",
    EconomyKind.ORGANISATION: "International organisation or business",
}


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class SortKeyField(IntegerField):
    def process_formdata(self, valuelist):
        if valuelist and valuelist[0].strip():
            try:
                self.data = int(valuelist[0].strip())
            except ValueError as exc:
                self.data = None
                raise ValueError("Enter a whole number, like 170.") from exc
        else:
            self.data = None


class EconomyForm(FlaskForm):
    code = StringField("Abbreviation", filters=[_strip, lambda v: v.upper() if isinstance(v, str) else v],
                       validators=[DataRequired("Enter the customary abbreviation, e.g. PRC."), Length(max=12)])
    name = StringField("Official name", filters=[_strip],
                       validators=[DataRequired("Enter the economy's official name."), Length(max=120)])
    kind = SelectField("Kind", choices=[(k.value, label) for k, label in KIND_LABELS.items()])
    sort_key = SortKeyField("Sort key", validators=[InputRequired("Enter a sort key."),
                                                    NumberRange(min=0, max=1_000_000,
                                                                message="Enter a whole number from 0 to 1,000,000.")])
    active = BooleanField("Active (offered when inviting economies)", default=True)


class EligibilityForm(FlaskForm):
    effective_from = DateField("Eligible from", validators=[InputRequired("Enter the first day.")])
    effective_to = DateField("Eligible until", validators=[Optional()])

    def validate_effective_to(self, field):
        if field.data and self.effective_from.data and field.data < self.effective_from.data:
            raise ValidationError("The period cannot end before it starts.")
