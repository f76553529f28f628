"""The session editor. Times are typed in the event's local time; the form turns them into UTC."""

from __future__ import annotations

from datetime import datetime

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from eventhub.agenda.models import SessionKind, SignupMode, SpeakerRole
from eventhub.agenda.services import SessionInput, SpeakerInput, VisitInput

DT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]
EXTRA_SPEAKER_ROWS = 3


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _optional_int(value):
    return int(value) if value not in (None, "", "0", 0) else None


class SpeakerForm(Form):
    role = SelectField("Role", choices=[(r.value, r.value.capitalize()) for r in SpeakerRole],
                       default=SpeakerRole.SPEAKER.value)
    registration_id = SelectField("Participant", coerce=str, choices=[], validate_choice=False)
    external_name = StringField("or external person", filters=[_strip], validators=[Length(max=200)])
    affiliation = StringField("Affiliation", filters=[_strip], validators=[Length(max=300)])

    @property
    def is_blank(self) -> bool:
        return not (self.registration_id.data or "").strip("0") and not (self.external_name.data or "").strip()


class SessionForm(FlaskForm):
    kind = SelectField("Kind", choices=[(k.value, k.label) for k in SessionKind])
    title = StringField("Title", filters=[_strip], validators=[DataRequired(), Length(max=300)])
    description = TextAreaField("Description", filters=[_strip], validators=[Length(max=10000)])
    day = DateField("Day", validators=[DataRequired()])
    start_time = TimeField("Starts", validators=[DataRequired()])
    end_time = TimeField("Ends", validators=[DataRequired()])
    room_id = SelectField("Room", coerce=str, choices=[], validate_choice=False)
    location = StringField("Or place off-site", filters=[_strip], validators=[Length(max=500)])
    sector_tags = StringField("Sector tags", filters=[_strip], validators=[Length(max=300)])
    is_public = BooleanField("Public (shown on the public agenda)", default=True)
    for_everyone = BooleanField("Everyone attends (shown in every personal programme)")
    speakers = FieldList(FormField(SpeakerForm), min_entries=0)

    bookable = BooleanField("Takes sign-ups")
    capacity = IntegerField("Capacity (seats)", validators=[Optional(), NumberRange(min=0, max=100000)])
    signup_mode = SelectField("Sign-up mode", choices=[
        (SignupMode.FIRST_COME.value, "First come, first served (with waitlist)"),
        (SignupMode.PREFERENCE.value, "By preference (delegates rank, the organizer allocates)"),
    ])
    signup_opens = DateTimeLocalField("Sign-up opens", format=DT_FORMATS, validators=[Optional()])
    signup_closes = DateTimeLocalField("Sign-up closes (ranking deadline in preference mode)", format=DT_FORMATS,
                                       validators=[Optional()])
    economy_cap = IntegerField("Cap per economy", validators=[Optional(), NumberRange(min=1, max=10000)])
    economy_cap_until = DateTimeLocalField("Cap applies until", format=DT_FORMATS, validators=[Optional()])

    host_name = StringField("Host organisation", filters=[_strip], validators=[Length(max=300)])
    host_sector = StringField("Sector", filters=[_strip], validators=[Length(max=200)])
    host_address = StringField("Address", filters=[_strip], validators=[Length(max=500)])
    cluster = StringField("Industrial cluster", filters=[_strip], validators=[Length(max=200)])
    meeting_point = StringField("Meeting point", filters=[_strip], validators=[Length(max=300)])
    departs = TimeField("Departure", validators=[Optional()])
    returns = TimeField("Return", validators=[Optional()])
    requirements = TextAreaField("Requirements (one per line)", filters=[_strip], validators=[Length(max=2000)])

    accept_warnings = BooleanField("Save despite the warnings")

    def __init__(self, *args, rooms=(), participants=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.room_id.choices = [("0", "— none / off-site —")] + [(str(r.id), r.name) for r in rooms]
        self._participant_choices = [("0", "— external person —")] + [
            (str(r.id), f"{r.full_name} ({r.economy.code})") for r in participants]
        for entry in self.speakers:
            entry.form.registration_id.choices = self._participant_choices

    def pad_speakers(self) -> None:
        blanks = sum(1 for e in self.speakers if e.form.is_blank)
        for _ in range(max(EXTRA_SPEAKER_ROWS - blanks, 0)):
            self.speakers.append_entry()
        for entry in self.speakers:
            entry.form.registration_id.choices = self._participant_choices

    def validate_end_time(self, field):
        if self.start_time.data and field.data and field.data <= self.start_time.data:
            raise ValidationError("The session must end after it starts.")

    def validate_capacity(self, field):
        if self.bookable.data and field.data is None:
            raise ValidationError("A bookable session needs a capacity.")

    def validate_returns(self, field):
        if self.departs.data and field.data and field.data <= self.departs.data:
            raise ValidationError("The return must be after the departure.")

    def validate_signup_closes(self, field):
        if self.signup_opens.data and field.data and field.data <= self.signup_opens.data:
            raise ValidationError("Sign-up must close after it opens.")

    # --- conversion ---------------------------------------------------------------------------------
    def to_input(self, event) -> SessionInput:
        tz = event.tz

        def local(moment: datetime | None):
            return moment.replace(tzinfo=tz) if moment else None

        def at(t):
            return datetime.combine(self.day.data, t, tzinfo=tz) if t else None

        kind = SessionKind(self.kind.data)
        speakers = []
        for entry in self.speakers:
            f = entry.form
            if f.is_blank:
                continue
            speakers.append(SpeakerInput(role=SpeakerRole(f.role.data), registration_id=_optional_int(
                f.registration_id.data), external_name=f.external_name.data or "", affiliation=f.affiliation.data or ""))
        visit = None
        if kind == SessionKind.SITE_VISIT:
            visit = VisitInput(
                host_name=self.host_name.data or "", host_sector=self.host_sector.data or "",
                host_address=self.host_address.data or "", cluster=self.cluster.data or "",
                meeting_point=self.meeting_point.data or "", departs_at=at(self.departs.data),
                returns_at=at(self.returns.data), requirements=self.requirements.data or "")
        return SessionInput(
            kind=kind, title=self.title.data or "", description=self.description.data or "",
            starts_at=at(self.start_time.data), ends_at=at(self.end_time.data),
            room_id=_optional_int(self.room_id.data), location=self.location.data or "",
            sector_tags=self.sector_tags.data or "", is_public=self.is_public.data,
            for_everyone=self.for_everyone.data, bookable=self.bookable.data, capacity=self.capacity.data,
            signup_mode=SignupMode(self.signup_mode.data), signup_opens_at=local(self.signup_opens.data),
            signup_closes_at=local(self.signup_closes.data), economy_cap=self.economy_cap.data,
            economy_cap_until=local(self.economy_cap_until.data), speakers=speakers, visit=visit,
        )

    def fill_from(self, session) -> None:
        event = session.event
        tz = event.tz

        def naive(moment):
            return moment.astimezone(tz).replace(tzinfo=None) if moment else None

        self.kind.data = session.kind.value
        self.title.data = session.title
        self.description.data = session.description
        start = session.starts_at.astimezone(tz)
        self.day.data = start.date()
        self.start_time.data = start.time()
        self.end_time.data = session.ends_at.astimezone(tz).time()
        self.room_id.data = str(session.room_id or 0)
        self.location.data = session.location
        self.sector_tags.data = session.sector_tags
        self.is_public.data = session.is_public
        self.for_everyone.data = session.for_everyone
        self.bookable.data = session.bookable
        self.capacity.data = session.capacity
        self.signup_mode.data = session.signup_mode.value
        self.signup_opens.data = naive(session.signup_opens_at)
        self.signup_closes.data = naive(session.signup_closes_at)
        self.economy_cap.data = session.economy_cap
        self.economy_cap_until.data = naive(session.economy_cap_until)
        visit = session.site_visit
        if visit is not None:
            for name in ("host_name", "host_sector", "host_address", "cluster", "meeting_point", "requirements"):
                getattr(self, name).data = getattr(visit, name)
            self.departs.data = visit.departs_at.astimezone(tz).time() if visit.departs_at else None
            self.returns.data = visit.returns_at.astimezone(tz).time() if visit.returns_at else None
        while len(self.speakers):
            self.speakers.pop_entry()
        for sp in session.speakers:
            self.speakers.append_entry({"role": sp.role.value, "registration_id": str(sp.registration_id or 0),
                                        "external_name": sp.external_name, "affiliation": sp.affiliation})
