"""What the desk page shows for a scope: who of a list is checked in, the latest scans, the count."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session as DbSession
from sqlalchemy.orm import selectinload

from eventhub.attendance.models import CheckIn
from eventhub.attendance.scopes import Scope
from eventhub.events.models import Event
from eventhub.registration.models import Registration


def scope_state(db_session: DbSession, registration_ids: list[int], scope: Scope) -> dict[int, CheckIn]:
    """The active check-in of each of these people for the scope (one query)."""
    if not registration_ids:
        return {}
    query = sa.select(CheckIn).where(CheckIn.registration_id.in_(registration_ids), CheckIn.undone_at.is_(None))
    if scope.session is None:
        query = query.where(CheckIn.session_id.is_(None), CheckIn.day == scope.day)
    else:
        query = query.where(CheckIn.session_id == scope.session.id)
    return {c.registration_id: c for c in db_session.scalars(query.options(selectinload(CheckIn.vehicle)))}


def recent_checkins(db_session: DbSession, event: Event, scope: Scope, *, limit: int = 10) -> list[CheckIn]:
    query = sa.select(CheckIn).where(CheckIn.event_id == event.id)
    if scope.session is None:
        query = query.where(CheckIn.session_id.is_(None), CheckIn.day == scope.day)
    else:
        query = query.where(CheckIn.session_id == scope.session.id)
    return list(db_session.scalars(
        query.options(selectinload(CheckIn.registration).selectinload(Registration.economy),
                      selectinload(CheckIn.vehicle), selectinload(CheckIn.recorded_by))
        .order_by(CheckIn.recorded_at.desc(), CheckIn.id.desc()).limit(limit)
    ))


def scope_count(db_session: DbSession, scope: Scope, event: Event) -> int:
    query = sa.select(sa.func.count()).select_from(CheckIn).where(
        CheckIn.event_id == event.id, CheckIn.undone_at.is_(None))
    if scope.session is None:
        query = query.where(CheckIn.session_id.is_(None), CheckIn.day == scope.day)
    elif scope.vehicle is not None:
        query = query.where(CheckIn.session_id == scope.session.id, CheckIn.vehicle_id == scope.vehicle.id)
    else:
        query = query.where(CheckIn.session_id == scope.session.id)
    return db_session.scalar(query) or 0


