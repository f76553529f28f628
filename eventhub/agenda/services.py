"""Agenda editing: create, change and cancel sessions, with conflict checks and calendar bookkeeping.

Every change sets changed_at (feeds use it for DTSTAMP, LAST-MODIFIED and ETags); a change of time
or place also raises SEQUENCE and sends an updated invitation to everyone holding a seat.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy.orm import Session as DbSession
from sqlalchemy.orm import selectinload

from eventhub.agenda.conflicts import Context, Draft, Problem, check, load_context
from eventhub.agenda.models import (
    Session,
    SessionKind,
    SessionSpeaker,
    SignupMode,
    SiteVisit,
    SpeakerRole,
)
from eventhub.db import utcnow
from eventhub.errors import DomainError
from eventhub.events.models import Event, Room
from eventhub.formatting import local_dt
from eventhub.registration.models import Registration
from eventhub.signups import notify
from eventhub.signups import services as signups
from eventhub.signups.models import Booking, BookingStatus


class WarningsNotAccepted(DomainError):
    """Only warnings stand in the way; the organizer may accept them and save again."""

    def __init__(self, problems: list[Problem]):
        super().__init__(_("Check the warnings below; tick “Save despite the warnings” to save anyway."))
        self.problems = problems


@dataclass
class SpeakerInput:
    role: SpeakerRole
    registration_id: int | None = None
    external_name: str = ""
    affiliation: str = ""


@dataclass
class VisitInput:
    host_name: str = ""
    host_name_zh: str = ""
    host_sector: str = ""
    host_address: str = ""
    cluster: str = ""
    meeting_point: str = ""
    departs_at: datetime | None = None
    returns_at: datetime | None = None
    requirements: str = ""


@dataclass
class SessionInput:
    kind: SessionKind
    title: str
    starts_at: datetime
    ends_at: datetime
    description: str = ""
    title_zh: str = ""
    description_zh: str = ""
    room_id: int | None = None
    location: str = ""
    sector_tags: str = ""
    is_public: bool = True
    for_everyone: bool = False
    bookable: bool = False
    capacity: int | None = None
    signup_mode: SignupMode = SignupMode.FIRST_COME
    signup_opens_at: datetime | None = None
    signup_closes_at: datetime | None = None
    economy_cap: int | None = None
    economy_cap_until: datetime | None = None
    speakers: list[SpeakerInput] = field(default_factory=list)
    visit: VisitInput | None = None


def draft_of(data: SessionInput) -> Draft:
    visit = data.visit if data.kind == SessionKind.SITE_VISIT else None
    return Draft(
        starts_at=data.starts_at, ends_at=data.ends_at, room_id=data.room_id,
        speaker_registration_ids=tuple(s.registration_id for s in data.speakers if s.registration_id),
        speaker_names=tuple(s.external_name for s in data.speakers if not s.registration_id),
        is_site_visit=visit is not None,
        departs_at=visit.departs_at if visit else None, returns_at=visit.returns_at if visit else None,
        bookable=data.bookable, capacity=data.capacity,
    )


def conflicts_of(db: DbSession, event: Event, session: Session, *, context: Context | None = None) -> list[Problem]:
    """The problems of a saved session, for the editor (and, with a context, the agenda list)."""
    visit = session.site_visit
    return check(db, event, Draft(
        starts_at=session.starts_at, ends_at=session.ends_at, room_id=session.room_id,
        speaker_registration_ids=tuple(s.registration_id for s in session.speakers if s.registration_id),
        speaker_names=tuple(s.external_name for s in session.speakers if not s.registration_id),
        is_site_visit=session.kind == SessionKind.SITE_VISIT and visit is not None,
        departs_at=visit.departs_at if visit else None, returns_at=visit.returns_at if visit else None,
        bookable=session.bookable, capacity=session.capacity,
    ), session_id=session.id, context=context)


def conflicts_of_all(db: DbSession, event: Event, sessions: list[Session]) -> dict[int, list[Problem]]:
    """The problems of every scheduled session of the organizer's agenda list, in a fixed number of
    queries (sessions as event_sessions loads them)."""
    context = load_context(db, event, sessions)
    return {s.id: conflicts_of(db, event, s, context=context) for s in sessions if not s.is_cancelled}


def signup_window(data: SessionInput) -> tuple[datetime | None, datetime]:
    """The sign-up window as it will be applied: (opens, closes). Without an opening, sign-up is open
    at once (None); without a close, it closes when the session starts (the ranking deadline in
    preference mode too) — as eventhub.signups.booking and roundtables apply them."""
    return data.signup_opens_at, data.signup_closes_at or data.starts_at


def _validate_signup_window(event: Event, data: SessionInput) -> None:
    opens, closes = signup_window(data)
    if opens is None or closes > opens:
        return
    if data.signup_closes_at is not None:
        raise DomainError(_("Sign-up must close after it opens."), field="signup_closes")
    raise DomainError(_("Without a closing time, sign-up closes when the session starts (%(starts)s (%(zone)s)), "
                        "which is not after this opening. Open sign-up earlier, or give a closing time after "
                        "the opening.", starts=local_dt(data.starts_at, event), zone=event.timezone),
                      field="signup_opens")


def _taken_message(taken: int) -> str:
    return ngettext("%(num)d seat is already taken; the capacity cannot go below that. Remove or move people first.",
                    "%(num)d seats are already taken; the capacity cannot go below that. Remove or move people "
                    "first.", taken)


def _validate(db: DbSession, event: Event, data: SessionInput) -> None:
    if not data.title.strip():
        raise DomainError(_("Give the session a title."), field="title")
    if data.room_id is not None:
        room = db.get(Room, data.room_id)
        if room is None or room.event_id != event.id:
            raise DomainError(_("Choose a room of this event."), field="room_id")
    if data.capacity is not None and data.capacity < 0:
        raise DomainError(_("Capacity cannot be negative."), field="capacity")
    if data.economy_cap is not None and data.economy_cap <= 0:
        raise DomainError(_("The cap per economy must be at least 1."), field="economy_cap")
    _validate_signup_window(event, data)
    reg_ids = [s.registration_id for s in data.speakers if s.registration_id]
    if reg_ids:
        found = set(db.scalars(sa.select(Registration.id).where(
            Registration.id.in_(reg_ids), Registration.event_id == event.id)))
        if set(reg_ids) - found:
            raise DomainError(_("A speaker must be a participant of this event or an external person."),
                              field="speakers")
    for s in data.speakers:
        if not s.registration_id and not s.external_name.strip():
            raise DomainError(_("Each speaker needs a participant or a name."), field="speakers")


def save_session(db: DbSession, event: Event, data: SessionInput, *, session: Session | None = None,
                 accept_warnings: bool = False, actor_id: int | None = None) -> Session:
    """Create (session=None) or change a session. Errors raise DomainError; warnings raise
    WarningsNotAccepted unless accepted. Returns the saved session."""
    _validate(db, event, data)
    problems = check(db, event, draft_of(data), session_id=session.id if session else None)
    errors = [p for p in problems if p.is_error]
    if errors:
        raise DomainError(errors[0].message, field=errors[0].field)
    if problems and not accept_warnings:
        raise WarningsNotAccepted(problems)

    creating = session is None
    if creating:
        session = Session(event_id=event.id, sequence=0, taken=0)
        db.add(session)
    elif session.is_cancelled:
        raise DomainError(_("This session is cancelled; it can no longer be changed."))
    if not creating and data.capacity is not None and session.bookable and data.capacity < session.taken:
        raise DomainError(_taken_message(session.taken), field="capacity")
    if not creating and not data.bookable and session.taken:
        raise DomainError(_("People hold seats in this session; remove them before turning sign-ups off."),
                          field="bookable")
    if not creating and data.capacity is not None and data.capacity != session.capacity:
        # Seats may have been taken since the form was read: lower the capacity with one
        # conditional UPDATE, never below the seats taken (the CHECK would make that a 500).
        changed = db.execute(
            sa.update(Session).where(Session.id == session.id, Session.taken <= data.capacity)
            .values(capacity=data.capacity).execution_options(synchronize_session=False)
        ).rowcount
        if changed != 1:
            taken = db.scalar(sa.select(Session.taken).where(Session.id == session.id))
            raise DomainError(_taken_message(taken), field="capacity")

    old_place = (session.room_id, session.location) if not creating else None
    old_times = (session.starts_at, session.ends_at) if not creating else None
    old_visit = session.site_visit if not creating else None
    old_visit_times = (old_visit.departs_at, old_visit.returns_at, old_visit.meeting_point) if old_visit else None
    old_capacity = session.capacity
    old_cap = (session.economy_cap, session.economy_cap_until)

    session.kind = data.kind
    session.title = data.title.strip()
    session.description = data.description.strip()
    session.title_zh = data.title_zh.strip()
    session.description_zh = data.description_zh.strip()
    session.starts_at = data.starts_at
    session.ends_at = data.ends_at
    session.room_id = data.room_id
    session.location = data.location.strip()
    session.sector_tags = ", ".join(t.strip() for t in data.sector_tags.split(",") if t.strip())
    session.is_public = data.is_public
    session.for_everyone = data.for_everyone
    session.bookable = data.bookable
    session.capacity = data.capacity
    session.signup_mode = data.signup_mode
    session.signup_opens_at = data.signup_opens_at
    session.signup_closes_at = data.signup_closes_at
    session.economy_cap = data.economy_cap
    session.economy_cap_until = data.economy_cap_until if data.economy_cap else None

    # Speakers: replaced as a whole, in the order given.
    if not creating:
        session.speakers.clear()
        db.flush()
    for i, s in enumerate(data.speakers):
        session.speakers.append(SessionSpeaker(
            registration_id=s.registration_id, external_name="" if s.registration_id else s.external_name.strip(),
            affiliation=s.affiliation.strip(), role=s.role, position=i))

    if data.kind == SessionKind.SITE_VISIT and data.visit is not None:
        visit = session.site_visit or SiteVisit()
        for name, value in vars(data.visit).items():
            setattr(visit, name, value.strip() if isinstance(value, str) else value)
        session.site_visit = visit
    elif session.site_visit is not None and data.kind != SessionKind.SITE_VISIT:
        session.site_visit = None

    now = utcnow()
    session.changed_at = now
    changes: list[str] = []
    if not creating:
        # Written out in each recipient's language by eventhub.signups.notify.change_lines.
        if old_times != (session.starts_at, session.ends_at):
            changes.append("time")
        if old_place != (session.room_id, session.location):
            changes.append("place")
        visit = session.site_visit
        new_visit_times = (visit.departs_at, visit.returns_at, visit.meeting_point) if visit else None
        if old_visit_times is not None and new_visit_times is not None and old_visit_times != new_visit_times:
            changes.append("visit")
        if changes:
            session.sequence = (session.sequence or 0) + 1
    db.flush()

    if not creating:
        if old_cap != (session.economy_cap, session.economy_cap_until) and session.economy_cap is not None:
            signups.rebuild_economy_counters(db, session.id)
        if session.bookable and (old_capacity or 0) < (session.capacity or 0):
            signups.fill_free_seats(db, session.id, actor_id=actor_id, now=now)
        if changes:
            db.refresh(session)
            notify.session_moved(db, session, _seat_holders(db, session.id), changes)
    return session


def _seat_holders(db: DbSession, session_id: int, statuses=(BookingStatus.CONFIRMED,)) -> list[Registration]:
    return list(db.scalars(
        sa.select(Registration).join(Booking, Booking.registration_id == Registration.id)
        .where(Booking.session_id == session_id, Booking.status.in_(statuses))
        .order_by(Registration.id)
    ))


def event_sessions(db: DbSession, event_id: int, *, public_only: bool = False) -> list[Session]:
    """All sessions of an event with what the agenda shows, in a fixed number of queries."""
    stmt = (
        sa.select(Session).where(Session.event_id == event_id)
        .options(selectinload(Session.room), selectinload(Session.site_visit),
                 selectinload(Session.speakers).selectinload(SessionSpeaker.registration))
        .order_by(Session.starts_at, Session.ends_at, Session.id)
    )
    if public_only:
        stmt = stmt.where(Session.is_public.is_(True))
    return list(db.scalars(stmt))


def agenda_fingerprint(db: DbSession, event_id: int) -> tuple:
    """One cheap statement whose result changes whenever anything the agenda shows changes:
    sessions (any edit, seats taken), their speakers' registrations, and the event's rooms."""
    speakers_changed = (
        sa.select(sa.func.max(Registration.updated_at))
        .join(SessionSpeaker, SessionSpeaker.registration_id == Registration.id)
        .join(Session, Session.id == SessionSpeaker.session_id)
        .where(Session.event_id == event_id).scalar_subquery()
    )
    rooms_changed = sa.select(sa.func.max(Room.updated_at)).where(Room.event_id == event_id).scalar_subquery()
    row = db.execute(
        sa.select(sa.func.count(Session.id), sa.func.max(Session.updated_at), sa.func.max(Session.changed_at),
                  sa.func.coalesce(sa.func.sum(Session.taken), 0), speakers_changed, rooms_changed)
        .where(Session.event_id == event_id)
    ).one()
    return tuple(row)
