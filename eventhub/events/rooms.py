"""Rooms and off-site locations of an event (a factory, a company's showroom).

Plain functions with explicit arguments; they raise DomainError with `field=`, flush and never commit.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy.orm import Session as DbSession

from eventhub.errors import Conflict, DomainError, NotFound
from eventhub.events.models import Event, Room, RoomKind
from eventhub.i18n import localized


@dataclass
class RoomFields:
    name: str
    kind: RoomKind = RoomKind.ROOM
    address: str = ""
    capacity: int | None = None
    name_zh: str = ""  # shown to Chinese readers where given


def _validate_room(db_session: DbSession, event: Event, data: RoomFields, room_id: int | None) -> None:
    data.name = (data.name or "").strip()
    data.address = (data.address or "").strip()
    data.name_zh = (data.name_zh or "").strip()
    if not data.name:
        raise DomainError(_("Give the room or place a name."), field="name")
    if len(data.name) > 200:
        raise DomainError(_("Use at most 200 characters."), field="name")
    if len(data.name_zh) > 200:
        raise DomainError(_("Use at most %(num)d characters.", num=200), field="name_zh")
    if len(data.address) > 500:
        raise DomainError(_("Use at most 500 characters."), field="address")
    if data.capacity is not None and data.capacity < 0:
        raise DomainError(_("The capacity cannot be below zero."), field="capacity")
    clash = db_session.scalar(
        sa.select(Room.id).where(Room.event_id == event.id, sa.func.lower(Room.name) == data.name.lower(),
                                 Room.id != (room_id or -1))
    )
    if clash is not None:
        raise Conflict(_("This event already has a place called “%(name)s”.", name=data.name), field="name")


def add_room(db_session: DbSession, event: Event, data: RoomFields) -> Room:
    _validate_room(db_session, event, data, None)
    room = Room(event_id=event.id, name=data.name, name_zh=data.name_zh, kind=RoomKind(data.kind),
                address=data.address, capacity=data.capacity)
    db_session.add(room)
    db_session.flush()
    return room


def update_room(db_session: DbSession, room: Room, data: RoomFields) -> Room:
    """Change a room. A change of its name, address or kind moves the sessions held there in people's
    calendars (eventhub.agenda.places)."""
    from eventhub.agenda import places

    _validate_room(db_session, room.event, data, room.id)
    before = places.place_of(room)
    room.name, room.kind, room.address, room.capacity = data.name, RoomKind(data.kind), data.address, data.capacity
    room.name_zh = data.name_zh
    db_session.flush()
    if places.place_of(room) != before:
        places.room_changed(db_session, room)
    return room


def delete_room(db_session: DbSession, room: Room) -> None:
    """Delete a room. Refused while sessions are scheduled in it, so the agenda never loses its place."""
    from eventhub.agenda.models import Session

    scheduled = db_session.scalar(sa.select(sa.func.count()).select_from(Session).where(Session.room_id == room.id))
    if scheduled:
        raise Conflict(ngettext("%(num)d session takes place in “%(room)s”. Move it to another room first.",
                                "%(num)d sessions take place in “%(room)s”. Move them to another room first.",
                                scheduled, room=localized(room, "name")))
    db_session.delete(room)
    db_session.flush()


def get_room(db_session: DbSession, event: Event, room_id: int) -> Room:
    room = db_session.get(Room, room_id)
    if room is None or room.event_id != event.id:
        raise NotFound(_("There is no such room in this event."))
    return room
