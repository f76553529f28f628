"""Conflict checks for the agenda editor: end before start is an error; the rest are warnings the
organizer may accept (a room double-booked, a speaker in two places, a session outside the event's
dates, a site visit whose return overlaps its participants' next session)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session as DbSession
from sqlalchemy.orm import selectinload

from eventhub.agenda.models import Session, SessionSpeaker, SessionStatus
from eventhub.formatting import date_range, day_label, local_dt
from eventhub.i18n import localized


@dataclass(frozen=True)
class Problem:
    level: str  # "error" or "warning"
    message: str
    field: str | None = None

    @property
    def is_error(self) -> bool:
        return self.level == "error"


@dataclass
class Draft:
    """What the editor is about to save (times aware, in UTC or any zone)."""

    starts_at: datetime
    ends_at: datetime
    room_id: int | None = None
    speaker_registration_ids: tuple[int, ...] = ()
    speaker_names: tuple[str, ...] = ()  # external people
    is_site_visit: bool = False
    departs_at: datetime | None = None
    returns_at: datetime | None = None
    bookable: bool = False
    capacity: int | None = None


_DAY = timedelta(days=1)
# A session up to this far before or after the event's dates is a warning (a pre-event visit);
# further is an error.
OUTSIDE_LIMIT = timedelta(days=7)


@dataclass
class Context:
    """The event's scheduled sessions (speakers and rooms loaded) and who holds a confirmed seat
    where (only people on a site visit: what the return check needs), loaded once so the organizer's
    agenda list checks every session in memory instead of ~4 queries per session."""

    sessions: list[Session]
    confirmed: dict[int, set[int]]  # session id -> registration ids with a confirmed seat


def load_context(db: DbSession, event, sessions: list[Session]) -> Context:
    """sessions: the event's sessions as the agenda loads them (speakers, rooms); one more query."""
    from eventhub.agenda.models import SessionKind
    from eventhub.signups.models import Booking, BookingStatus

    on_visits = (
        sa.select(Booking.registration_id).join(Session, Session.id == Booking.session_id)
        .where(Session.event_id == event.id, Session.kind == SessionKind.SITE_VISIT,
               Booking.status == BookingStatus.CONFIRMED)
    )
    confirmed: dict[int, set[int]] = {}
    for sid, rid in db.execute(
        sa.select(Booking.session_id, Booking.registration_id)
        .where(Booking.status == BookingStatus.CONFIRMED, Booking.registration_id.in_(on_visits))
    ):
        confirmed.setdefault(sid, set()).add(rid)
    scheduled = sorted((x for x in sessions if x.status == SessionStatus.SCHEDULED),
                       key=lambda x: (x.starts_at, x.id))
    return Context(scheduled, confirmed)


def _fmt(event, moment: datetime) -> str:
    return local_dt(moment, event, "short_datetime")


def check(db: DbSession, event, draft: Draft, *, session_id: int | None = None,
          context: Context | None = None) -> list[Problem]:
    """The problems of a draft. With a `context` (see load_context) no query is issued."""
    problems: list[Problem] = []
    if draft.ends_at <= draft.starts_at:
        problems.append(Problem("error", _("The session must end after it starts."), "end_time"))
    if draft.departs_at and draft.returns_at and draft.returns_at <= draft.departs_at:
        problems.append(Problem("error", _("The return must be after the departure."), "returns"))
    if draft.bookable and draft.capacity is None:
        problems.append(Problem("error", _("A bookable session needs a capacity."), "capacity"))
    if any(p.is_error for p in problems):
        return problems

    first, last = (draft.starts_at.astimezone(event.tz).date(), draft.ends_at.astimezone(event.tz).date())
    if first < event.start_date - OUTSIDE_LIMIT or last > event.end_date + OUTSIDE_LIMIT:
        # Not a pre-event visit but a typo (a year 9998 breaks calendars): refused.
        problems.append(Problem(
            "error", _("The session is on %(day)s, more than %(days)d days outside the event (%(dates)s). "
                       "Check the date.", day=day_label(first, "date"), days=OUTSIDE_LIMIT.days,
                       dates=date_range(event.start_date, event.end_date)), "day"))
        return problems
    if first < event.start_date or last > event.end_date:
        problems.append(Problem(
            "warning", _("The session is outside the event dates (%(dates)s).",
                         dates=date_range(event.start_date, event.end_date)), "day"))

    if draft.is_site_visit:
        # A visit moved while its bus times stayed: the departure or return no longer fits.
        if draft.departs_at and draft.departs_at > draft.starts_at:
            problems.append(Problem(
                "warning", _("The departure (%(departs)s) is after the visit starts (%(starts)s).",
                             departs=_fmt(event, draft.departs_at), starts=_fmt(event, draft.starts_at)), "departs"))
        if draft.returns_at and draft.returns_at < draft.ends_at:
            problems.append(Problem(
                "warning", _("The return (%(returns)s) is before the visit ends (%(ends)s).",
                             returns=_fmt(event, draft.returns_at), ends=_fmt(event, draft.ends_at)), "returns"))

    start, end = draft.starts_at, draft.ends_at
    if draft.departs_at and draft.departs_at < start:
        start = draft.departs_at
    if draft.returns_at and draft.returns_at > end:
        end = draft.returns_at

    if context is not None:
        others = [o for o in context.sessions if o.id != (session_id or 0)
                  and o.starts_at < end + _DAY and o.ends_at > start - _DAY]
    else:
        others = db.scalars(
            sa.select(Session).where(
                Session.event_id == event.id, Session.status == SessionStatus.SCHEDULED,
                Session.id != (session_id or 0),
                Session.starts_at < end + _DAY, Session.ends_at > start - _DAY,
            ).options(selectinload(Session.speakers).selectinload(SessionSpeaker.registration),
                      selectinload(Session.room))
            .order_by(Session.starts_at, Session.id)
        ).all()
    overlapping = [o for o in others if o.starts_at < draft.ends_at and draft.starts_at < o.ends_at]

    if draft.room_id:
        for other in overlapping:
            if other.room_id == draft.room_id:
                problems.append(Problem(
                    "warning", _("%(room)s is already booked for “%(title)s” (%(starts)s–%(ends)s).",
                                 room=localized(other.room, "name"), title=localized(other, "title"),
                                 starts=_fmt(event, other.starts_at), ends=local_dt(other.ends_at, event, "time")),
                    "room_id"))

    wanted_regs = set(draft.speaker_registration_ids)
    wanted_names = {n.strip().casefold() for n in draft.speaker_names if n.strip()}
    for other in overlapping:
        for sp in other.speakers:
            if (sp.registration_id and sp.registration_id in wanted_regs) or (
                    not sp.registration_id and sp.external_name.strip().casefold() in wanted_names):
                problems.append(Problem(
                    "warning", _("%(name)s is also in “%(title)s” at the same time (%(starts)s).",
                                 name=sp.display_name, title=localized(other, "title"),
                                 starts=_fmt(event, other.starts_at)), "speakers"))

    if draft.is_site_visit and draft.returns_at:
        problems += _visit_return_problems(db, event, draft, others, session_id, context)
    return problems




def _visit_return_problems(db, event, draft: Draft, others, session_id, context: Context | None) -> list[Problem]:
    """A site visit coming back after the next session of its participants has begun."""
    from eventhub.signups.models import Booking, BookingStatus

    booked_regs: set[int] = set()
    sessions_of_participants: dict[int, int] = {}
    if session_id and context is not None:
        booked_regs = context.confirmed.get(session_id, set())
        for sid, regs in context.confirmed.items():
            if sid != session_id and regs & booked_regs:
                sessions_of_participants[sid] = len(regs & booked_regs)
    elif session_id:
        booked_regs = set(db.scalars(sa.select(Booking.registration_id).where(
            Booking.session_id == session_id, Booking.status == BookingStatus.CONFIRMED)))
        if booked_regs:
            rows = db.execute(
                sa.select(Booking.session_id, sa.func.count()).where(
                    Booking.registration_id.in_(booked_regs), Booking.status == BookingStatus.CONFIRMED,
                    Booking.session_id != session_id).group_by(Booking.session_id)
            ).all()
            sessions_of_participants = dict(rows)
    problems = []
    visit_start = min(draft.starts_at, draft.departs_at or draft.starts_at)
    for other in others:
        if not (visit_start < other.starts_at < draft.returns_at):
            continue
        who = None
        if other.for_everyone:
            who = _("everyone attends it")
        elif other.id in sessions_of_participants:
            who = _("%(num)d of the visit's participants are booked on it", num=sessions_of_participants[other.id])
        elif any(sp.registration_id in booked_regs for sp in other.speakers if sp.registration_id):
            who = _("a participant of the visit speaks there")
        if who:
            problems.append(Problem(
                "warning", _("The visit returns at %(returns)s, after “%(title)s” starts at %(starts)s (%(who)s).",
                             returns=local_dt(draft.returns_at, event, "time"), title=localized(other, "title"),
                             starts=local_dt(other.starts_at, event, "time"), who=who), "returns"))
    return problems
