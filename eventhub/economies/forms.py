from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from eventhub.economies.models import EconomyKind

KIND_LABELS = {
    EconomyKind.MEMBER: _l("APEC member economy"),
    EconomyKind.GUEST: _l("Guest / non-member"),
    EconomyKind.OBSERVER: _l("Official observer"),
    EconomyKind.ORGANISATION: _l("International organisation or business"),
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
                raise ValueError(_("Enter a whole number, like 170.")) from exc
        else:
            self.data = None


class EconomyForm(FlaskForm):
    code = StringField(_l("Abbreviation"), filters=[_strip, lambda v: v.upper() if isinstance(v, str) else v],
                       validators=[DataRequired(_l("Enter the customary abbreviation, e.g. PRC.")), Length(max=12)])
    name = StringField(_l("Official name"), filters=[_strip],
                       validators=[DataRequired(_l("Enter the economy's official name.")), Length(max=120)])
    name_zh = StringField(_l("Name in Chinese"), filters=[_strip], validators=[Optional(), Length(max=120)])
    kind = SelectField(_l("Kind"), choices=[(k.value, label) for k, label in KIND_LABELS.items()])
    sort_key = SortKeyField(_l("Sort key"), validators=[InputRequired(_l("Enter a sort key.")),
                                                    NumberRange(min=0, max=1_000_000,
                                                                message=_l("Enter a whole number from 0 to 1,000,000."))])
    active = BooleanField(_l("Active (offered when inviting economies)"), default=True)


class EligibilityForm(FlaskForm):
    effective_from = DateField(_l("Eligible from"), validators=[InputRequired(_l("Enter the first day."))])
    effective_to = DateField(_l("Eligible until"), validators=[Optional()])

    def validate_effective_to(self, field):
        if field.data and self.effective_from.data and field.data < self.effective_from.data:
            raise ValidationError(_("The period cannot end before it starts."))
