"""A change of place is a change of place: when a room is renamed, its address changes or it turns
into an off-site place, every scheduled session held there moves place in people's calendars —
SEQUENCE up, changed_at now, and an updated invitation to everyone holding a seat — just as when
the session editor moves a session to another room. The same when the event's venue or address
changes, for the sessions whose place is the venue (rooms at the venue without an address of their
own, sessions without a room or place)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session as DbSession

from eventhub.agenda.models import Session, SessionStatus
from eventhub.db import utcnow
from eventhub.events.models import Event, Room, RoomKind
from eventhub.signups import notify
from eventhub.signups.models import BookingStatus


def place_of(room: Room) -> tuple:
    """What of a room the calendars show (LOCATION): compare before and after an edit."""
    return room.name, room.address or "", getattr(room.kind, "value", room.kind)


def venue_of(event: Event) -> tuple:
    """What of the event the calendars show as the place of sessions at the venue."""
    return event.venue or "", event.address or ""


def _move(db: DbSession, sessions: list[Session], where: str) -> list[Session]:
    from eventhub.agenda.cancellation import holders

    if not sessions:
        return []
    now = utcnow()
    for session in sessions:
        session.sequence = (session.sequence or 0) + 1
        session.changed_at = now
    db.flush()
    for session in sessions:
        notify.session_moved(db, session, holders(db, session.id, BookingStatus.CONFIRMED), [("place", where)])
    return sessions


def _scheduled(*where):
    return (sa.select(Session).where(Session.status == SessionStatus.SCHEDULED, *where)
            .order_by(Session.starts_at, Session.id))


def room_changed(db: DbSession, room: Room) -> list[Session]:
    """The room's place changed: raise SEQUENCE of its scheduled sessions and tell their seat holders.
    Returns the sessions moved. Call after the room's new values are flushed."""
    sessions = list(db.scalars(_scheduled(Session.room_id == room.id)))
    return _move(db, sessions, room.name + (f", {room.address}" if room.address else ""))


def venue_changed(db: DbSession, event: Event) -> list[Session]:
    """The event's venue or address changed: the same for the sessions held at the venue."""
    at_venue_rooms = sa.select(Room.id).where(Room.event_id == event.id, Room.kind == RoomKind.ROOM,
                                               sa.func.coalesce(Room.address, "") == "")
    sessions = list(db.scalars(_scheduled(
        Session.event_id == event.id,
        sa.or_(Session.room_id.in_(at_venue_rooms),
               sa.and_(Session.room_id.is_(None), sa.func.coalesce(Session.location, "") == "")),
    )))
    return _move(db, sessions, ", ".join(p for p in venue_of(event) if p))
