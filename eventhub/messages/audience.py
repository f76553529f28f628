"""Who an announcement goes to: filters that combine (AND), turned into one SQL statement.

Each filter is a WHERE condition on registrations (EXISTS subqueries for bookings, check-ins,
roundtable rankings, matching meetings and focal points), so counting or listing the audience is a
single bounded query whatever the size of the event. Within a filter the choices are alternatives
(economy Thailand or Japan); across filters they all have to hold.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session as DbSession

from eventhub.attendance.models import CheckIn
from eventhub.errors import DomainError
from eventhub.matching.models import MatchingProfile, Meeting
from eventhub.messages.models_announcements import MessageConsent
from eventhub.registration.models import (
    ACTIVE_STATUSES,
    Category,
    Delegation,
    FocalPoint,
    Registration,
    RegistrationStatus,
    Sex,
)
from eventhub.signups.models import Booking, BookingStatus, RoundtablePreference

BOOKING_CHOICES = {"booked": (BookingStatus.CONFIRMED,), "waitlisted": (BookingStatus.WAITLISTED,),
                   "either": (BookingStatus.CONFIRMED, BookingStatus.WAITLISTED)}
YES_NO = ("", "yes", "no")
# How many first names the preview lists.
PREVIEW_NAMES = 20


@dataclass
class Audience:
    economy_ids: list[int] = field(default_factory=list)
    delegation_ids: list[int] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)  # none chosen: the active ones
    categories: list[str] = field(default_factory=list)
    sexes: list[str] = field(default_factory=list)
    sex_confirmed: bool = False
    session_id: int | None = None
    booking: str = "booked"  # of BOOKING_CHOICES, for session_id
    vehicle_id: int | None = None
    checked_in: str = ""  # of YES_NO
    checkin_day: str | None = None  # ISO date, event-local
    checkin_session_id: int | None = None
    ranked: str = ""  # has ranked the roundtables
    meeting: str = ""  # has a business-matching meeting
    focal_points: bool = False

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> Audience:
        known = {k: v for k, v in (data or {}).items() if k in cls.__dataclass_fields__}
        return cls(**known)

    def check(self) -> None:
        """Refuse a combination that cannot be used, naming the field."""
        if self.sexes and not self.sex_confirmed:
            raise DomainError(str(_l("Sex is recorded for reporting. Tick the confirmation to choose "
                                     "recipients by it.")), field="sex_confirmed")
        for name, value in (("checked_in", self.checked_in), ("ranked", self.ranked), ("meeting", self.meeting)):
            if value not in YES_NO:
                raise DomainError(str(_l("Not a valid choice.")), field=name)
        if self.booking not in BOOKING_CHOICES:
            raise DomainError(str(_l("Not a valid choice.")), field="booking")
        if self.checkin_day is not None:
            try:
                date.fromisoformat(self.checkin_day)
            except ValueError:
                raise DomainError(str(_l("Not a valid choice.")), field="checkin_day") from None
        for name, values, allowed in (("statuses", self.statuses, {s.value for s in RegistrationStatus}),
                                      ("categories", self.categories, {c.value for c in Category}),
                                      ("sexes", self.sexes, {s.value for s in Sex})):
            if set(values) - allowed:
                raise DomainError(str(_l("Not a valid choice.")), field=name)


def _exists(stmt):
    return stmt.correlate(Registration).exists()


def conditions(event_id: int, audience: Audience) -> list:
    """The WHERE conditions on Registration that select the audience in `event_id`."""
    a = audience
    where = [Registration.event_id == event_id, Registration.personal_data_purged_at.is_(None)]
    where.append(Registration.status.in_([RegistrationStatus(s) for s in a.statuses] or ACTIVE_STATUSES))
    if a.economy_ids:
        where.append(Registration.economy_id.in_(a.economy_ids))
    if a.delegation_ids:
        where.append(Registration.delegation_id.in_(a.delegation_ids))
    if a.categories:
        where.append(Registration.category.in_([Category(c) for c in a.categories]))
    if a.sexes and a.sex_confirmed:
        where.append(Registration.sex.in_([Sex(s) for s in a.sexes]))
    if a.session_id is not None:
        where.append(_exists(sa.select(Booking.id).where(
            Booking.registration_id == Registration.id, Booking.session_id == a.session_id,
            Booking.status.in_(BOOKING_CHOICES[a.booking]))))
    if a.vehicle_id is not None:
        where.append(_exists(sa.select(Booking.id).where(
            Booking.registration_id == Registration.id, Booking.vehicle_id == a.vehicle_id,
            Booking.status == BookingStatus.CONFIRMED)))
    if a.checked_in:
        seen = sa.select(CheckIn.id).where(CheckIn.registration_id == Registration.id,
                                           CheckIn.event_id == event_id, CheckIn.undone_at.is_(None))
        if a.checkin_session_id is not None:
            seen = seen.where(CheckIn.session_id == a.checkin_session_id)
        elif a.checkin_day:
            seen = seen.where(CheckIn.session_id.is_(None), CheckIn.day == date.fromisoformat(a.checkin_day))
        where.append(_exists(seen) if a.checked_in == "yes" else ~_exists(seen))
    if a.ranked:
        ranked = _exists(sa.select(RoundtablePreference.id).where(
            RoundtablePreference.registration_id == Registration.id, RoundtablePreference.event_id == event_id))
        where.append(ranked if a.ranked == "yes" else ~ranked)
    if a.meeting:
        met = _exists(sa.select(Meeting.id).join(
            MatchingProfile, sa.or_(MatchingProfile.id == Meeting.profile_a_id,
                                    MatchingProfile.id == Meeting.profile_b_id))
            .where(MatchingProfile.registration_id == Registration.id, Meeting.event_id == event_id))
        where.append(met if a.meeting == "yes" else ~met)
    if a.focal_points:
        where.append(_exists(sa.select(FocalPoint.id).join(Delegation, Delegation.id == FocalPoint.delegation_id)
                             .where(FocalPoint.user_id == Registration.user_id, Delegation.event_id == event_id)))
    return where


@dataclass(frozen=True)
class Summary:
    matching: int  # everyone the filters select
    opted_out: int  # of those, who asked for no optional messages (not mailed)
    names: list[str]  # first names of the first recipients, in name order
    first_id: int | None  # a recipient whose message the preview shows

    @property
    def recipients(self) -> int:
        return self.matching - self.opted_out


def summary(db_session: DbSession, event_id: int, audience: Audience, names: int = PREVIEW_NAMES) -> Summary:
    """Counts and the first names, in two queries."""
    where = conditions(event_id, audience)
    matching, opted_out = db_session.execute(
        sa.select(sa.func.count(Registration.id), sa.func.count(MessageConsent.opted_out_at))
        .outerjoin(MessageConsent, MessageConsent.registration_id == Registration.id).where(*where)).one()
    first = db_session.execute(
        sa.select(Registration.id, Registration.given_name)
        .outerjoin(MessageConsent, MessageConsent.registration_id == Registration.id)
        .where(*where, MessageConsent.opted_out_at.is_(None))
        .order_by(Registration.family_name, Registration.given_name, Registration.id).limit(names)).all()
    return Summary(int(matching), int(opted_out), [r.given_name for r in first], first[0].id if first else None)


def recipients(db_session: DbSession, event_id: int, audience: Audience) -> list[tuple[int, str]]:
    """(registration id, e-mail address) of everyone to mail: the audience less who opted out. One query."""
    return [(r.id, r.email) for r in db_session.execute(
        sa.select(Registration.id, Registration.email)
        .outerjoin(MessageConsent, MessageConsent.registration_id == Registration.id)
        .where(*conditions(event_id, audience), MessageConsent.opted_out_at.is_(None))
        .order_by(Registration.id))]
