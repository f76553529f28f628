"""What an offline desk keeps: the event's roster for its scope, with a one-way digest of each badge.

The desk checks a scan against this copy while the network is gone. A badge's digest is the
SHA-256 (hex) of its signed token as printed: a desk can recognise a badge it is shown, but a
lost phone holds no signing key and cannot make one. The server checks every queued scan again
when it arrives (the desk's copy is never trusted).
"""

from __future__ import annotations

import hashlib

import sqlalchemy as sa
from sqlalchemy.orm import Session as DbSession
from sqlalchemy.orm import contains_eager

from eventhub.attendance import checkin, desk_queries
from eventhub.attendance.models import BadgeVersion, CheckIn
from eventhub.attendance.present import local_hm
from eventhub.attendance.scopes import Scope
from eventhub.attendance.tokens import sign_badge
from eventhub.events.models import Event
from eventhub.i18n import localized
from eventhub.registration.models import Registration


def badge_digest(token: str) -> str:
    """What the desk compares: sha256 of the token in upper case (as tokens.read_badge() reads it)."""
    return hashlib.sha256(token.strip().upper().encode()).hexdigest()


def _checked_in_ids(db_session: DbSession, event: Event, scope: Scope) -> set[int]:
    query = sa.select(CheckIn.registration_id).where(CheckIn.event_id == event.id, CheckIn.undone_at.is_(None))
    if scope.session is None:
        query = query.where(CheckIn.session_id.is_(None), CheckIn.day == scope.day)
    else:
        query = query.where(CheckIn.session_id == scope.session.id)
    return set(db_session.scalars(query))


def roster(db_session: DbSession, event: Event, scope: Scope, secret_key: str) -> list[dict]:
    """Everyone registered for the event (any state), as the desk needs them for `scope`: three
    queries whatever the size (people with economy and badge version, bookings, check-ins)."""
    rows = db_session.execute(
        sa.select(Registration, BadgeVersion.version)
        .join(Registration.economy)
        .outerjoin(BadgeVersion, BadgeVersion.registration_id == Registration.id)
        .where(Registration.event_id == event.id)
        .options(contains_eager(Registration.economy))
        .order_by(Registration.id)
    ).all()
    registrations = [row[0] for row in rows]
    problems = checkin.refusals(db_session, registrations, scope)
    present = _checked_in_ids(db_session, event, scope)
    people = []
    for registration, version in rows:
        found = problems.get(registration.id, [])
        people.append({
            "id": registration.id,
            "name": registration.badge_name,
            "name_local": registration.name_local,
            "economy": localized(registration.economy, "name"),
            "economy_code": registration.economy.code,
            "category": str(registration.category.label),
            "status": registration.status.value,
            "status_label": str(registration.status.label),
            "photo_consent": registration.consent_photo,
            "problems": [{"code": p.code, "text": p.text} for p in found],
            "refusal": checkin.refusal_message(registration, found) if found else None,
            "checked_in": registration.id in present,
            "digest": badge_digest(sign_badge(secret_key, event.id, registration.id, version or 0)),
        })
    return people


def recent(db_session: DbSession, event: Event, scope: Scope) -> dict:
    """The latest scans and the count of the scope, for every desk of it to poll (bounded queries)."""
    latest = desk_queries.recent_checkins(db_session, event, scope)
    return {
        "count": desk_queries.scope_count(db_session, scope, event),
        "recent": [{
            "id": c.id, "name": c.registration.badge_name, "name_local": c.registration.name_local,
            "economy_code": c.registration.economy.code, "time": local_hm(event, c.scanned_at),
            "overridden": c.overridden, "desk": c.desk, "source": str(c.source.label),
            "undone": c.undone_at is not None,
        } for c in latest],
    }
