"""Forms of the event set-up pages. They check shape and length; the services check the rules."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    EmailField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

from eventhub.accounts.models import EventRoleKind
from eventhub.errors import DomainError
from eventhub.events.models import EventStatus, RoomKind
from eventhub.events.rooms import RoomFields
from eventhub.events.services import SLUG_RE, EventFields, check_timezone
from eventhub.i18n import language_name, localized, match, offered

NOT_NEGATIVE = _l("The quota cannot be below zero.")
WHOLE_NUMBER = _l("Enter a whole number, like 4.")


class IntField(IntegerField):
    """An integer field that says what is wrong in words a user understands."""

    def process_formdata(self, valuelist):
        if valuelist and valuelist[0].strip():
            try:
                self.data = int(valuelist[0].strip())
            except ValueError as exc:
                self.data = None
                raise ValueError(WHOLE_NUMBER) from exc
        else:
            self.data = None


def _optional_int(value):
    return int(value) if value not in (None, "", "None") else None


def _strip(value):
    return value.strip() if isinstance(value, str) else value


STATUS_CHOICES = [(EventStatus.DRAFT.value, _l("Draft — only staff can see it")),
                  (EventStatus.PUBLISHED.value, _l("Published — on the public list")),
                  (EventStatus.CLOSED.value, _l("Closed — shown, but registration is over"))]


class EventForm(FlaskForm):
    title = StringField(_l("Title"), filters=[_strip],
                        validators=[DataRequired(_l("Give the event a title.")), Length(max=300)])
    slug = StringField(
        _l("Short address (slug)"), filters=[_strip, lambda v: v.lower() if isinstance(v, str) else v],
        validators=[DataRequired(_l("Give the event a short address.")), Length(max=80),
                    Regexp(SLUG_RE, message=_l("Use lower-case letters, digits and single hyphens, e.g. smewg-61-lima."))],
    )
    series = StringField(_l("Series"), filters=[_strip], validators=[Optional(), Length(max=120)])
    description = TextAreaField(_l("Description"), filters=[_strip], validators=[Optional(), Length(max=20_000)])
    host_economy_id = SelectField(_l("Host economy"), coerce=_optional_int, validate_choice=True)
    host_organisation = StringField(_l("Host organisation"), filters=[_strip], validators=[Optional(), Length(max=300)])
    city = StringField(_l("City"), filters=[_strip], validators=[Optional(), Length(max=120)])
    venue = StringField(_l("Venue"), filters=[_strip], validators=[Optional(), Length(max=300)])
    address = StringField(_l("Address"), filters=[_strip], validators=[Optional(), Length(max=500)])
    timezone = StringField(_l("Time zone"), filters=[_strip],
                           validators=[DataRequired(_l("Choose the event's time zone, for example Asia/Shanghai.")),
                                       Length(max=64)])
    start_date = DateField(_l("First day"), validators=[InputRequired(_l("Enter the first day of the event."))])
    end_date = DateField(_l("Last day"), validators=[InputRequired(_l("Enter the last day of the event."))])
    registration_opens_local = DateTimeLocalField(_l("Registration opens"), format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"],
                                                  validators=[Optional()])
    registration_closes_local = DateTimeLocalField(_l("Registration closes"),
                                                   format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"],
                                                   validators=[Optional()])
    status = SelectField(_l("Status"), choices=STATUS_CHOICES, default=EventStatus.DRAFT.value)
    contact_email = EmailField(
        _l("Contact e-mail"), filters=[_strip],
        validators=[Optional(), Length(max=254),
                    Email(_l("Enter an e-mail address like name@example.org."), check_deliverability=False)],
    )
    default_quota = IntField(_l("Default places per economy"),
                             validators=[InputRequired(_l("Enter how many places each economy gets.")),
                                         NumberRange(min=0, message=NOT_NEGATIVE),
                                         NumberRange(max=10_000, message=_l("At most 10,000 places per economy."))],
                             default=5)
    approval_required = BooleanField(_l("Registrations need approval by the secretariat"), default=True)
    default_language = SelectField(_l("Default language"), default="en", validate_choice=True)
    title_zh = StringField(_l("Title in Chinese"), filters=[_strip], validators=[Optional(), Length(max=300)])
    description_zh = TextAreaField(_l("Description in Chinese"), filters=[_strip],
                                   validators=[Optional(), Length(max=20_000)])

    def __init__(self, *args, economies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.host_economy_id.choices = [(None, _("— none —"))] + [(e.id, localized(e, "name")) for e in economies]
        self.default_language.choices = [(code, language_name(code)) for code in offered()]

    def validate_timezone(self, field):
        try:
            check_timezone(field.data)
        except DomainError as exc:
            raise ValidationError(exc.message) from exc

    def validate_end_date(self, field):
        if field.data and self.start_date.data and field.data < self.start_date.data:
            raise ValidationError(_("The event cannot end before it starts."))

    def validate_registration_closes_local(self, field):
        opens = self.registration_opens_local.data
        if field.data and opens and field.data <= opens:
            raise ValidationError(_("Registration must close after it opens."))

    def to_fields(self) -> EventFields:
        return EventFields(
            title=self.title.data, slug=self.slug.data, timezone=self.timezone.data,
            start_date=self.start_date.data, end_date=self.end_date.data, description=self.description.data or "",
            series=self.series.data or "", host_economy_id=self.host_economy_id.data,
            host_organisation=self.host_organisation.data or "", city=self.city.data or "",
            venue=self.venue.data or "", address=self.address.data or "",
            registration_opens_local=self.registration_opens_local.data,
            registration_closes_local=self.registration_closes_local.data,
            status=EventStatus(self.status.data), contact_email=self.contact_email.data or "",
            default_quota=self.default_quota.data, approval_required=bool(self.approval_required.data),
            title_zh=self.title_zh.data or "", description_zh=self.description_zh.data or "",
            default_language=self.default_language.data,
        )

    def fill_from(self, event) -> None:
        """Show an event's values; registration times in the event's own zone (naive wall clock)."""
        for name in ("title", "slug", "series", "description", "host_economy_id", "host_organisation", "city",
                     "venue", "address", "timezone", "start_date", "end_date", "contact_email",
                     "default_quota", "approval_required", "title_zh", "description_zh"):
            self[name].data = getattr(event, name)
        zone = ZoneInfo(event.timezone)
        for name, value in (("registration_opens_local", event.registration_opens_at),
                            ("registration_closes_local", event.registration_closes_at)):
            self[name].data = value.astimezone(zone).replace(tzinfo=None) if value else None
        self.status.data = event.status.value
        self.default_language.data = match(event.default_language) or "en"


class StatusForm(FlaskForm):
    status = SelectField(_l("Status"), choices=STATUS_CHOICES)


class RoomForm(FlaskForm):
    name = StringField(_l("Name"), filters=[_strip],
                       validators=[DataRequired(_l("Give the room or place a name.")), Length(max=200)])
    name_zh = StringField(_l("Name in Chinese"), filters=[_strip], validators=[Optional(), Length(max=200)])
    kind = SelectField(_l("Kind"), choices=[(RoomKind.ROOM.value, _l("Room at the venue")),
                                            (RoomKind.OFFSITE.value, _l("Off-site location (site visit)"))],
                       default=RoomKind.ROOM.value)
    address = StringField(_l("Address"), filters=[_strip], validators=[Optional(), Length(max=500)])
    capacity = IntField(_l("Capacity"), validators=[Optional(),
                                                NumberRange(min=0, message=_l("The capacity cannot be below zero.")),
                                                NumberRange(max=100_000, message=_l("That is too many places."))])

    def to_fields(self) -> RoomFields:
        return RoomFields(name=self.name.data, kind=RoomKind(self.kind.data), address=self.address.data or "",
                          capacity=self.capacity.data, name_zh=self.name_zh.data or "")


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class InviteForm(FlaskForm):
    economy_ids = MultiCheckboxField(_l("Economies to invite"), coerce=int,
                                     validators=[DataRequired(_l("Choose at least one economy to invite."))])
    quota = IntField(_l("Places for each of them"),
                     validators=[Optional(), NumberRange(min=0, message=NOT_NEGATIVE),
                                 NumberRange(max=10_000, message=_l("At most 10,000 places per economy."))])

    def __init__(self, *args, economies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.economy_ids.choices = [(e.id, localized(e, "name")) for e in economies]


class QuotaForm(FlaskForm):
    quota = IntField(_l("Places"), validators=[Optional(), NumberRange(min=0, message=NOT_NEGATIVE),
                                           NumberRange(max=10_000, message=_l("At most 10,000 places."))])


class StaffForm(FlaskForm):
    email = EmailField(_l("E-mail"), filters=[_strip],
                       validators=[DataRequired(_l("Enter the person's e-mail address.")), Length(max=254),
                                   Email(_l("Enter an e-mail address like name@example.org."),
                                         check_deliverability=False)])
    role = SelectField(_l("Role"), default=EventRoleKind.SECRETARIAT.value)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = [(k.value, k.label) for k in EventRoleKind]  # labels in the reader's language
