"""The announcement form: the text in English and optionally Chinese, and the audience filters."""

from __future__ import annotations

import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy.orm import Session as DbSession
from wtforms import (
    BooleanField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from eventhub.agenda.models import Session
from eventhub.economies.models import Economy
from eventhub.formatting import day_label, local_dt
from eventhub.i18n import localized
from eventhub.messages.announcements import BODY_MAX, SUBJECT_MAX, Draft
from eventhub.messages.audience import Audience
from eventhub.registration.models import CATEGORY_LABELS, SEX_LABELS, STATUS_LABELS, Delegation, Registration
from eventhub.signups.models import Vehicle


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


YES_NO_ANY = [("", _l("Any")), ("yes", _l("Yes")), ("no", _l("No"))]


class AnnouncementForm(FlaskForm):
    subject = StringField(_l("Subject"), validators=[DataRequired(), Length(max=SUBJECT_MAX)])
    body = TextAreaField(_l("Message"), validators=[DataRequired(), Length(max=BODY_MAX)])
    subject_zh = StringField(_l("Subject in Chinese (optional)"), validators=[Optional(), Length(max=SUBJECT_MAX)])
    body_zh = TextAreaField(_l("Message in Chinese (optional)"), validators=[Optional(), Length(max=BODY_MAX)])

    economy_ids = MultiCheckboxField(_l("Economy"), coerce=int, choices=[])
    delegation_ids = MultiCheckboxField(_l("Delegation"), coerce=int, choices=[])
    statuses = MultiCheckboxField(_l("Registration state"), choices=[(k, v) for k, v in STATUS_LABELS.items()])
    categories = MultiCheckboxField(_l("Category"), choices=[(k.value, v) for k, v in CATEGORY_LABELS.items()])
    sexes = MultiCheckboxField(_l("Sex"), choices=[(k, v) for k, v in SEX_LABELS.items()])
    sex_confirmed = BooleanField(_l("I confirm that this message is to be sent by sex"))
    session_id = SelectField(_l("Booked on"), choices=[], default="")
    booking = SelectField(_l("Booking"), choices=[("booked", _l("Holds a seat")), ("waitlisted", _l("On the waitlist")),
                                                  ("either", _l("Holds a seat or on the waitlist"))],
                          default="booked")
    vehicle_id = SelectField(_l("Assigned to vehicle"), choices=[], default="")
    checked_in = SelectField(_l("Checked in"), choices=YES_NO_ANY, default="")
    checkin_day = SelectField(_l("Checked in on the day"), choices=[], default="")
    checkin_session_id = SelectField(_l("Checked in for the session"), choices=[], default="")
    ranked = SelectField(_l("Has ranked the roundtables"), choices=YES_NO_ANY, default="")
    meeting = SelectField(_l("Has a business-matching meeting"), choices=YES_NO_ANY, default="")
    focal_points = BooleanField(_l("Focal points only"))

    send_token = HiddenField()
    preview = SubmitField(_l("Preview"))
    send = SubmitField(_l("Send"))


def fill_choices(form: AnnouncementForm, db_session: DbSession, event) -> None:
    """The event's economies, delegations, sessions, vehicles and days as choices. Four queries."""
    economies = db_session.scalars(
        sa.select(Economy).where(Economy.id.in_(
            sa.select(Registration.economy_id).where(Registration.event_id == event.id).distinct()))
        .order_by(Economy.sort_key)).all()
    form.economy_ids.choices = [(e.id, localized(e, "name")) for e in economies]
    delegations = db_session.execute(
        sa.select(Delegation.id, Economy).join(Economy, Economy.id == Delegation.economy_id)
        .where(Delegation.event_id == event.id).order_by(Economy.sort_key)).all()
    form.delegation_ids.choices = [(d_id, localized(e, "name")) for d_id, e in delegations]
    sessions = db_session.scalars(sa.select(Session).where(Session.event_id == event.id)
                                  .order_by(Session.starts_at, Session.id)).all()
    labelled = [(str(s.id), f"{localized(s, 'title')} · {local_dt(s.starts_at, event, 'short_datetime')}")
                for s in sessions]
    form.session_id.choices = [("", _l("Any (no booking filter)"))] + [
        c for c, s in zip(labelled, sessions, strict=True) if s.bookable]
    form.checkin_session_id.choices = [("", _l("Any session or day"))] + labelled
    vehicles = db_session.execute(
        sa.select(Vehicle.id, Vehicle.name, Session).join(Session, Session.id == Vehicle.session_id)
        .where(Session.event_id == event.id).order_by(Session.starts_at, Vehicle.name)).all()
    form.vehicle_id.choices = [("", _l("Any (no vehicle filter)"))] + [
        (str(v_id), f"{name} · {localized(s, 'title')}") for v_id, name, s in vehicles]
    days = [event.start_date + timedelta(days=i) for i in range((event.end_date - event.start_date).days + 1)]
    form.checkin_day.choices = [("", _l("Any day"))] + [(d.isoformat(), day_label(d)) for d in days]
    if not form.send_token.data:
        form.send_token.data = secrets.token_urlsafe(24)


def _id(value) -> int | None:
    return int(value) if value and str(value).isdigit() else None


def audience_from(form: AnnouncementForm) -> Audience:
    return Audience(
        economy_ids=list(form.economy_ids.data or []), delegation_ids=list(form.delegation_ids.data or []),
        statuses=list(form.statuses.data or []), categories=list(form.categories.data or []),
        sexes=list(form.sexes.data or []), sex_confirmed=bool(form.sex_confirmed.data),
        session_id=_id(form.session_id.data), booking=form.booking.data or "booked",
        vehicle_id=_id(form.vehicle_id.data), checked_in=form.checked_in.data or "",
        checkin_day=form.checkin_day.data or None, checkin_session_id=_id(form.checkin_session_id.data),
        ranked=form.ranked.data or "", meeting=form.meeting.data or "", focal_points=bool(form.focal_points.data))


def draft_from(form: AnnouncementForm) -> Draft:
    return Draft(subject=form.subject.data or "", body=form.body.data or "",
                 subject_zh=form.subject_zh.data or "", body_zh=form.body_zh.data or "")


FILTERS = ("economy_ids", "delegation_ids", "statuses", "categories", "sexes", "session_id", "booking", "vehicle_id",
           "checked_in", "checkin_day", "checkin_session_id", "ranked", "meeting", "focal_points")


def describe(db_session: DbSession, event, audience: Audience) -> list[tuple[str, str]]:
    """The filters an announcement was sent with, as (label, chosen values) in the reader's language."""
    values = audience.to_json()
    data = {k: (str(v) if isinstance(v, int) and not isinstance(v, bool) and k not in ("economy_ids",
                "delegation_ids") else v) for k, v in values.items() if v is not None}
    form = AnnouncementForm(formdata=None, meta={"csrf": False}, data=data)
    fill_choices(form, db_session, event)
    shown = []
    for name in FILTERS:
        field = form[name]
        if name == "booking" and not values.get("session_id"):
            continue
        if isinstance(field, BooleanField):
            if field.data:
                shown.append((str(field.label.text), str(_l("Yes"))))
            continue
        chosen = field.data if isinstance(field.data, list) else [field.data]
        labels = [str(label) for value, label in field.choices if value in chosen and value != ""]
        if labels:
            shown.append((str(field.label.text), ", ".join(labels)))
    return shown
