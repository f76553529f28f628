"""Forms of the event set-up pages. They check shape and length; the services check the rules."""

from __future__ import annotations

from zoneinfo import ZoneInfo

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
from eventhub.events.services import SLUG_RE, EventFields, RoomFields, check_timezone

NOT_NEGATIVE = "The quota cannot be below zero."
WHOLE_NUMBER = "Enter a whole number, like 4."


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


STATUS_CHOICES = [(EventStatus.DRAFT.value, "Draft — only staff can see it"),
                  (EventStatus.PUBLISHED.value, "Published — on the public list"),
                  (EventStatus.CLOSED.value, "Closed — shown, but registration is over")]


class EventForm(FlaskForm):
    title = StringField("Title", filters=[_strip],
                        validators=[DataRequired("Give the event a title."), Length(max=300)])
    slug = StringField(
        "Short address (slug)", filters=[_strip, lambda v: v.lower() if isinstance(v, str) else v],
        validators=[DataRequired("Give the event a short address."), Length(max=80),
                    Regexp(SLUG_RE, message="Use lower-case letters, digits and single hyphens, e.g. smewg-61-lima.")],
    )
    series = StringField("Series", filters=[_strip], validators=[Optional(), Length(max=120)])
    description = TextAreaField("Description", filters=[_strip], validators=[Optional(), Length(max=20_000)])
    host_economy_id = SelectField("Host economy", coerce=_optional_int, validate_choice=True)
    host_organisation = StringField("Host organisation", filters=[_strip], validators=[Optional(), Length(max=300)])
    city = StringField("City", filters=[_strip], validators=[Optional(), Length(max=120)])
    venue = StringField("Venue", filters=[_strip], validators=[Optional(), Length(max=300)])
    address = StringField("Address", filters=[_strip], validators=[Optional(), Length(max=500)])
    timezone = StringField("Time zone", filters=[_strip],
                           validators=[DataRequired("Choose the event's time zone, for example Asia/Shanghai."),
                                       Length(max=64)])
    start_date = DateField("First day", validators=[InputRequired("Enter the first day of the event.")])
    end_date = DateField("Last day", validators=[InputRequired("Enter the last day of the event.")])
    registration_opens_local = DateTimeLocalField("Registration opens", format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"],
                                                  validators=[Optional()])
    registration_closes_local = DateTimeLocalField("Registration closes",
                                                   format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"],
                                                   validators=[Optional()])
    status = SelectField("Status", choices=STATUS_CHOICES, default=EventStatus.DRAFT.value)
    contact_email = EmailField(
        "Contact e-mail", filters=[_strip],
        validators=[Optional(), Length(max=254),
                    Email("Enter an e-mail address like name@example.org.", check_deliverability=False)],
    )
    default_quota = IntField("Default places per economy",
                             validators=[InputRequired("Enter how many places each economy gets."),
                                         NumberRange(min=0, message=NOT_NEGATIVE),
                                         NumberRange(max=10_000, message="At most 10,000 places per economy.")],
                             default=5)
    approval_required = BooleanField("Registrations need approval by the secretariat", default=True)

    def __init__(self, *args, economies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.host_economy_id.choices = [(None, "— none —")] + [(e.id, e.name) for e in economies]

    def validate_timezone(self, field):
        try:
            check_timezone(field.data)
        except DomainError as exc:
            raise ValidationError(exc.message) from exc

    def validate_end_date(self, field):
        if field.data and self.start_date.data and field.data < self.start_date.data:
            raise ValidationError("The event cannot end before it starts.")

    def validate_registration_closes_local(self, field):
        opens = self.registration_opens_local.data
        if field.data and opens and field.data <= opens:
            raise ValidationError("Registration must close after it opens.")

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
        )

    def fill_from(self, event) -> None:
        """Show an event's values; registration times in the event's own zone (naive wall clock)."""
        for name in ("title", "slug", "series", "description", "host_economy_id", "host_organisation", "city",
                     "venue", "address", "timezone", "start_date", "end_date", "contact_email",
                     "default_quota", "approval_required"):
            self[name].data = getattr(event, name)
        zone = ZoneInfo(event.timezone)
        for name, value in (("registration_opens_local", event.registration_opens_at),
                            ("registration_closes_local", event.registration_closes_at)):
            self[name].data = value.astimezone(zone).replace(tzinfo=None) if value else None
        self.status.data = event.status.value


class StatusForm(FlaskForm):
    status = SelectField("Status", choices=STATUS_CHOICES)


class RoomForm(FlaskForm):
    name = StringField("Name", filters=[_strip],
                       validators=[DataRequired("Give the room or place a name."), Length(max=200)])
    kind = SelectField("Kind", choices=[(RoomKind.ROOM.value, "Room at the venue"),
                                        (RoomKind.OFFSITE.value, "Off-site location (site visit)")],
                       default=RoomKind.ROOM.value)
    address = StringField("Address", filters=[_strip], validators=[Optional(), Length(max=500)])
    capacity = IntField("Capacity", validators=[Optional(),
                                                NumberRange(min=0, message="The capacity cannot be below zero."),
                                                NumberRange(max=100_000, message="That is too many places.")])

    def to_fields(self) -> RoomFields:
        return RoomFields(name=self.name.data, kind=RoomKind(self.kind.data), address=self.address.data or "",
                          capacity=self.capacity.data)


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class InviteForm(FlaskForm):
    economy_ids = MultiCheckboxField("Economies to invite", coerce=int,
                                     validators=[DataRequired("Choose at least one economy to invite.")])
    quota = IntField("Places for each of them",
                     validators=[Optional(), NumberRange(min=0, message=NOT_NEGATIVE),
                                 NumberRange(max=10_000, message="At most 10,000 places per economy.")])

    def __init__(self, *args, economies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.economy_ids.choices = [(e.id, e.name) for e in economies]


class QuotaForm(FlaskForm):
    quota = IntField("Places", validators=[Optional(), NumberRange(min=0, message=NOT_NEGATIVE),
                                           NumberRange(max=10_000, message="At most 10,000 places.")])


class StaffForm(FlaskForm):
    email = EmailField("E-mail", filters=[_strip],
                       validators=[DataRequired("Enter the person's e-mail address."), Length(max=254),
                                   Email("Enter an e-mail address like name@example.org.",
                                         check_deliverability=False)])
    role = SelectField("Role", choices=[(k.value, k.label) for k in EventRoleKind],
                       default=EventRoleKind.SECRETARIAT.value)
