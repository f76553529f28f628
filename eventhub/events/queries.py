"""Read-side queries for event pages. Each returns everything a page needs in a bounded number of queries."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session as DbSession
from sqlalchemy.orm import selectinload

from eventhub.accounts.models import EventRole, User
from eventhub.events.models import Event, EventStatus


def published_events(db_session: DbSession) -> list[Event]:
    return list(
        db_session.scalars(
            sa.select(Event)
            .where(Event.status.in_([EventStatus.PUBLISHED, EventStatus.CLOSED]))
            .options(selectinload(Event.host_economy))
            .order_by(Event.start_date.desc(), Event.id)
        )
    )


def event_by_slug(db_session: DbSession, slug: str) -> Event | None:
    return db_session.scalar(
        sa.select(Event).where(Event.slug == slug).options(selectinload(Event.host_economy), selectinload(Event.rooms))
    )


def staff_events(db_session: DbSession, user: User) -> list[tuple[Event, list[str]]]:
    """Events in which the user holds a staff role, with those roles."""
    rows = db_session.execute(
        sa.select(Event, EventRole.role).join(EventRole, EventRole.event_id == Event.id)
        .where(EventRole.user_id == user.id).order_by(Event.start_date.desc(), Event.id)
    ).all()
    grouped: dict[int, tuple[Event, list[str]]] = {}
    for event, role in rows:
        grouped.setdefault(event.id, (event, []))[1].append(role.label)
    return list(grouped.values())
