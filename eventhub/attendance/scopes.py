"""What a check-in is for: a day of the event, or a session (and for a site visit, one vehicle)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session as DbSession

from eventhub.agenda.models import Session, SessionKind, SessionStatus
from eventhub.db import utcnow
from eventhub.errors import DomainError
from eventhub.events.models import Event
from eventhub.formatting import day_label
from eventhub.i18n import localized
from eventhub.signups.models import Vehicle
from eventhub.web import parse_id


@dataclass(frozen=True)
class Scope:
    """A day of the event, or a session of it (and for a site visit, optionally one vehicle)."""

    day: date
    session: Session | None = None
    vehicle: Vehicle | None = None

    @property
    def key(self) -> str:
        if self.session is None:
            return f"day-{self.day.isoformat()}"
        if self.vehicle is None:
            return f"session-{self.session.id}"
        return f"session-{self.session.id}-vehicle-{self.vehicle.id}"

    @property
    def label(self) -> str:
        if self.session is None:
            return day_scope_label(self.day)
        if self.vehicle is not None:
            return _("%(session)s — boarding %(vehicle)s", session=localized(self.session, "title"),
                     vehicle=self.vehicle.name)
        return localized(self.session, "title")


def day_scope_label(day: date) -> str:
    return _("Day: %(day)s", day=day_label(day, "date"))


def event_days(event: Event) -> list[date]:
    return [event.start_date + timedelta(days=i) for i in range((event.end_date - event.start_date).days + 1)]


def local_today(event: Event, now: datetime | None = None) -> date:
    """Today in the event's zone (the desk may be in another zone than the server)."""
    return (now or utcnow()).astimezone(event.tz).date()


def default_day(event: Event, now: datetime | None = None) -> date:
    today = (now or utcnow()).astimezone(event.tz).date()
    return today if event.start_date <= today <= event.end_date else event.start_date


def session_day(event: Event, session: Session) -> date:
    return session.starts_at.astimezone(event.tz).date()


# Built once: every scan for a session asks.
_SESSION_OF_EVENT = sa.select(Session).where(Session.id == sa.bindparam("session_id"),
                                             Session.event_id == sa.bindparam("event_id"))


def resolve_scope(db_session: DbSession, event: Event, *, day: date | None = None, session_id: int | None = None,
                  vehicle_id: int | None = None) -> Scope:
    session = None
    if session_id is not None:
        session = db_session.scalar(_SESSION_OF_EVENT, {"session_id": session_id, "event_id": event.id})
    return scope_of(db_session, event, day=day, session_id=session_id, session=session, vehicle_id=vehicle_id)


def scope_of(db_session: DbSession, event: Event, *, day: date | None, session_id: int | None,
             session: Session | None, vehicle_id: int | None) -> Scope:
    """resolve_scope() once the session named by session_id was read (None: not one of the event's)."""
    if session_id is None:
        if vehicle_id is not None:
            raise DomainError(_("A vehicle belongs to a site visit: choose the session too."), field="scope")
        day = day or default_day(event)
        if not event.start_date <= day <= event.end_date:
            raise DomainError(_("%(day)s is not a day of this event.", day=day.isoformat()), field="scope")
        return Scope(day)
    if session is None:
        raise DomainError(_("That session is not part of this event."), field="scope")
    if session.status == SessionStatus.CANCELLED:
        raise DomainError(_("“%(session)s” is cancelled: nobody can be checked in to it.",
                                session=localized(session, "title")), field="scope")
    vehicle = None
    if vehicle_id is not None:
        vehicle = db_session.get(Vehicle, vehicle_id)
        if vehicle is None or vehicle.session_id != session.id:
            raise DomainError(_("That vehicle does not belong to this session."), field="scope")
    return Scope(session_day(event, session), session, vehicle)


def parse_scope_key(db_session: DbSession, event: Event, key: str | None) -> Scope:
    """The scope named by a desk URL key: day-2025-06-28, session-12 or session-12-vehicle-3."""
    if not key:
        return resolve_scope(db_session, event)
    parts = key.split("-")
    try:
        if parts[0] == "day" and len(parts) == 4:
            return resolve_scope(db_session, event, day=date.fromisoformat("-".join(parts[1:])))
        if parts[0] == "session" and len(parts) == 2 and parse_id(parts[1]):
            return resolve_scope(db_session, event, session_id=parse_id(parts[1]))
        if (parts[0] == "session" and len(parts) == 4 and parts[2] == "vehicle" and parse_id(parts[1])
                and parse_id(parts[3])):
            return resolve_scope(db_session, event, session_id=parse_id(parts[1]), vehicle_id=parse_id(parts[3]))
    except ValueError:
        pass
    raise DomainError(_("Choose what to check people in for."), field="scope")


@dataclass
class ScopeChoice:
    key: str
    label: str
    group: str


def scope_choices(db_session: DbSession, event: Event) -> list[ScopeChoice]:
    """Days, sessions and site-visit vehicles a desk can check in for, in programme order (two queries)."""
    days = _("Days")
    choices = [ScopeChoice(f"day-{d.isoformat()}", day_scope_label(d), days) for d in event_days(event)]
    sessions = db_session.scalars(
        sa.select(Session).where(Session.event_id == event.id, Session.status == SessionStatus.SCHEDULED,
                                 Session.kind.not_in([SessionKind.BREAK, SessionKind.MEAL]))
        .order_by(Session.starts_at, Session.id)
    ).all()
    vehicles: dict[int, list[Vehicle]] = {}
    if sessions:
        for vehicle in db_session.scalars(
            sa.select(Vehicle).where(Vehicle.session_id.in_([s.id for s in sessions])).order_by(Vehicle.name)
        ):
            vehicles.setdefault(vehicle.session_id, []).append(vehicle)
    for session in sessions:
        local = session.starts_at.astimezone(event.tz)
        group = _("Sessions, %(day)s", day=day_label(local.date(), "short"))
        title, hm = localized(session, "title"), local.strftime("%H:%M")
        choices.append(ScopeChoice(f"session-{session.id}", _("%(time)s %(session)s", time=hm, session=title), group))
        for vehicle in vehicles.get(session.id, []):
            choices.append(ScopeChoice(f"session-{session.id}-vehicle-{vehicle.id}",
                                       _("%(time)s %(session)s — boarding %(vehicle)s", time=hm,
                                         session=title, vehicle=vehicle.name), group))
    return choices
