"""The session editor. Times are typed in the event's local time; the form turns them into UTC.

Times are typed as HH:MM, 24-hour, in text inputs (`Time24Field`, `DateTime24Field`): the browser's
time inputs show "10:45 AM" in some locales, and the rest of the product shows 24-hour times.
Speakers are found by typing in a search box (a datalist of the event's participants), not picked
from one long drop-down.
"""

from __future__ import annotations

import re
from datetime import datetime, time

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from eventhub.agenda.models import KIND_LABELS, SessionKind, SignupMode, SpeakerRole
from eventhub.agenda.services import SessionInput, SpeakerInput, VisitInput
from eventhub.i18n import localized
from eventhub.web import parse_id

EXTRA_SPEAKER_ROWS = 3
# The role as a heading in the speaker rows' drop-down ("Moderator"); the agenda says "moderator".
ROLE_LABELS_CAPITAL = {SpeakerRole.SPEAKER: _l("Speaker"), SpeakerRole.MODERATOR: _l("Moderator"),
                       SpeakerRole.CHAIR: _l("Chair")}
TIME_PATTERN = r"([01]?[0-9]|2[0-3]):[0-5][0-9]"
DATETIME_PATTERN = r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ]" + TIME_PATTERN


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _optional_int(value):
    return int(value) if value not in (None, "", "0", 0) else None


class Time24Field(StringField):
    """A time of day typed as HH:MM (24-hour) in a text input; `data` is a `datetime.time` or None."""

    message = _l("Enter the time as HH:MM in 24-hour time, e.g. 14:30.")

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("render_kw", {"inputmode": "numeric", "pattern": TIME_PATTERN, "placeholder": "HH:MM",
                                        "autocomplete": "off", "size": 6, "maxlength": 5})
        super().__init__(label, validators, **kwargs)

    def process_formdata(self, valuelist):
        self.data = None
        text = (valuelist[0] if valuelist else "").strip()
        if not text:
            return
        if not re.fullmatch(TIME_PATTERN, text):
            raise ValueError(str(self.message))
        hours, minutes = text.split(":")
        self.data = time(int(hours), int(minutes))

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return self.data.strftime("%H:%M") if isinstance(self.data, time) else ""


class DateTime24Field(StringField):
    """A date and time typed as YYYY-MM-DD HH:MM (24-hour); `data` is a naive datetime or None."""

    message = _l("Enter the date and time as YYYY-MM-DD HH:MM in 24-hour time, e.g. 2025-06-20 18:00.")

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("render_kw", {"pattern": DATETIME_PATTERN, "placeholder": "YYYY-MM-DD HH:MM",
                                        "autocomplete": "off", "size": 17, "maxlength": 19})
        super().__init__(label, validators, **kwargs)

    def process_formdata(self, valuelist):
        self.data = None
        text = (valuelist[0] if valuelist else "").strip()
        if not text:
            return
        for fmt in ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S"):
            try:
                self.data = datetime.strptime(text, fmt)
                return
            except ValueError:
                continue
        raise ValueError(str(self.message))

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return self.data.strftime("%Y-%m-%d %H:%M") if isinstance(self.data, datetime) else ""


class SpeakerForm(Form):
    role = SelectField(_l("Role"), choices=[(r.value, ROLE_LABELS_CAPITAL[r]) for r in SpeakerRole],
                       default=SpeakerRole.SPEAKER.value)
    # A search box: type part of a name, pick from the list (its value ends in "#<id>").
    registration_id = StringField(_l("Participant (type to search)"), filters=[_strip], validators=[Length(max=400)],
                                  render_kw={"list": "participant-options", "autocomplete": "off"})
    external_name = StringField(_l("or external person"), filters=[_strip], validators=[Length(max=200)])
    affiliation = StringField(_l("Affiliation"), filters=[_strip], validators=[Length(max=300)])

    participants: dict[int, str] = {}  # id -> label, set per request by SessionForm

    @property
    def is_blank(self) -> bool:
        return not (self.registration_id.data or "").strip("0") and not (self.external_name.data or "").strip()

    def chosen_id(self) -> int | None:
        """The participant chosen: "", "0" → none; "<id>" or "… #<id>" or an exact label → that id.
        Raises ValueError with a message for anything else."""
        text = (self.registration_id.data or "").strip()
        if text in ("", "0"):
            return None
        match = re.fullmatch(r"(?:.*#)?\s*(\d{1,12})", text)
        if match:
            number = parse_id(match.group(1))
            if number is not None:
                return number
        else:
            wanted = text.casefold()
            found = [i for i, label in self.participants.items() if label.casefold() == wanted]
            if len(found) == 1:
                return found[0]
        raise ValueError(str(_l("Choose a participant from the list (type part of the name), or leave this empty "
                                "and type an external person's name.")))

    def validate_registration_id(self, field):
        try:
            self.chosen_id()
        except ValueError as exc:
            raise ValidationError(str(exc)) from None


class SessionForm(FlaskForm):
    kind = SelectField(_l("Kind"), choices=[(k.value, KIND_LABELS[k]) for k in SessionKind])
    title = StringField(_l("Title"), filters=[_strip], validators=[DataRequired(), Length(max=300)])
    description = TextAreaField(_l("Description"), filters=[_strip], validators=[Length(max=10000)])
    # Shown to Chinese readers instead of the English where given (eventhub.i18n.localized).
    title_zh = StringField(_l("Title in Chinese"), filters=[_strip], validators=[Length(max=300)])
    description_zh = TextAreaField(_l("Description in Chinese"), filters=[_strip], validators=[Length(max=10000)])
    day = DateField(_l("Day"), validators=[DataRequired()])
    start_time = Time24Field(_l("Starts"), validators=[InputRequired(_l("Enter when the session starts (HH:MM)."))])
    end_time = Time24Field(_l("Ends"), validators=[InputRequired(_l("Enter when the session ends (HH:MM)."))])
    room_id = SelectField(_l("Room"), coerce=str, choices=[], validate_choice=False)
    location = StringField(_l("Or place off-site"), filters=[_strip], validators=[Length(max=500)])
    sector_tags = StringField(_l("Sector tags"), filters=[_strip], validators=[Length(max=300)])
    is_public = BooleanField(_l("Public (shown on the public agenda)"), default=True)
    for_everyone = BooleanField(_l("Everyone attends (shown in every personal programme)"))
    speakers = FieldList(FormField(SpeakerForm), min_entries=0)

    bookable = BooleanField(_l("Takes sign-ups"))
    capacity = IntegerField(_l("Capacity (seats)"), validators=[Optional(), NumberRange(min=0, max=100000)])
    signup_mode = SelectField(_l("Sign-up mode"), choices=[
        (SignupMode.FIRST_COME.value, _l("First come, first served (with waitlist)")),
        (SignupMode.PREFERENCE.value, _l("By preference (delegates rank, the organizer allocates)")),
    ])
    signup_opens = DateTime24Field(_l("Sign-up opens"))
    signup_closes = DateTime24Field(_l("Sign-up closes (ranking deadline in preference mode)"))
    economy_cap = IntegerField(_l("Cap per economy"), validators=[Optional(), NumberRange(min=1, max=10000)])
    economy_cap_until = DateTime24Field(_l("Cap applies until"))

    host_name = StringField(_l("Host organisation"), filters=[_strip], validators=[Length(max=300)])
    host_name_zh = StringField(_l("Host organisation in Chinese"), filters=[_strip], validators=[Length(max=300)])
    host_sector = StringField(_l("Sector"), filters=[_strip], validators=[Length(max=200)])
    host_address = StringField(_l("Address"), filters=[_strip], validators=[Length(max=500)])
    cluster = StringField(_l("Industrial cluster"), filters=[_strip], validators=[Length(max=200)])
    meeting_point = StringField(_l("Meeting point"), filters=[_strip], validators=[Length(max=300)])
    departs = Time24Field(_l("Departure from the meeting point"))
    returns = Time24Field(_l("Return"))
    requirements = TextAreaField(_l("Requirements (one per line)"), filters=[_strip], validators=[Length(max=2000)])

    accept_warnings = BooleanField(_l("Save despite the warnings"))

    def __init__(self, *args, rooms=(), participants=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.room_id.choices = [("0", str(_l("— none / off-site —")))] + [(str(r.id), localized(r, "name")) for r in rooms]
        # The search list of speakers: "Given FAMILY (ECO) #id", the id making each entry unique.
        self.participant_labels = {r.id: f"{r.full_name} ({r.economy.code})" for r in participants}
        for entry in self.speakers:
            entry.form.participants = self.participant_labels

    @property
    def participant_options(self) -> list[str]:
        return [f"{label} #{rid}" for rid, label in self.participant_labels.items()]

    def pad_speakers(self) -> None:
        blanks = sum(1 for e in self.speakers if e.form.is_blank)
        for _ in range(max(EXTRA_SPEAKER_ROWS - blanks, 0)):
            self.speakers.append_entry()
        for entry in self.speakers:
            entry.form.participants = self.participant_labels

    def validate_room_id(self, field):
        if field.data not in {value for value, _ in field.choices}:
            raise ValidationError(str(_l("Choose a room from the list.")))

    def validate_end_time(self, field):
        if self.start_time.data and field.data and field.data <= self.start_time.data:
            raise ValidationError(str(_l("The session must end after it starts.")))

    def validate_capacity(self, field):
        if self.bookable.data and field.data is None:
            raise ValidationError(str(_l("A bookable session needs a capacity.")))

    def validate_returns(self, field):
        if self.kind.data != SessionKind.SITE_VISIT.value:
            return  # the site-visit fields are ignored for other kinds
        if self.departs.data and field.data and field.data <= self.departs.data:
            raise ValidationError(str(_l("The return must be after the departure.")))

    def validate_signup_closes(self, field):
        if self.signup_opens.data and field.data and field.data <= self.signup_opens.data:
            raise ValidationError(str(_l("Sign-up must close after it opens.")))

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
            speakers.append(SpeakerInput(role=SpeakerRole(f.role.data), registration_id=f.chosen_id(),
                                         external_name=f.external_name.data or "", affiliation=f.affiliation.data or ""))
        visit = None
        if kind == SessionKind.SITE_VISIT:
            visit = VisitInput(
                host_name=self.host_name.data or "", host_name_zh=self.host_name_zh.data or "",
                host_sector=self.host_sector.data or "",
                host_address=self.host_address.data or "", cluster=self.cluster.data or "",
                meeting_point=self.meeting_point.data or "", departs_at=at(self.departs.data),
                returns_at=at(self.returns.data), requirements=self.requirements.data or "")
        return SessionInput(
            kind=kind, title=self.title.data or "", description=self.description.data or "",
            title_zh=self.title_zh.data or "", description_zh=self.description_zh.data or "",
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
        self.title_zh.data = session.title_zh
        self.description_zh.data = session.description_zh
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
            for name in ("host_name", "host_name_zh", "host_sector", "host_address", "cluster", "meeting_point", "requirements"):
                getattr(self, name).data = getattr(visit, name)
            self.departs.data = visit.departs_at.astimezone(tz).time() if visit.departs_at else None
            self.returns.data = visit.returns_at.astimezone(tz).time() if visit.returns_at else None
        while len(self.speakers):
            self.speakers.pop_entry()
        for sp in session.speakers:
            chosen = ""
            if sp.registration_id:
                label = self.participant_labels.get(sp.registration_id, sp.display_name)
                chosen = f"{label} #{sp.registration_id}"
            self.speakers.append_entry({"role": sp.role.value, "registration_id": chosen,
                                        "external_name": sp.external_name, "affiliation": sp.affiliation})
