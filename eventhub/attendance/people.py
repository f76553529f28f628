"""Finding the person at the desk: by badge (signed token and its current version), by id, by name.

A badge that names nobody of the event, another event or a replaced version is refused with
CheckInRefused; badges can be reissued (the old one stops working).
"""

from __future__ import annotations

import functools

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session as DbSession
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from eventhub.accounts.models import User
from eventhub.attendance.checkin import CheckInRefused
from eventhub.attendance.models import BadgeVersion
from eventhub.attendance.tokens import BadgeClaim, read_badge
from eventhub.db import utcnow
from eventhub.events.models import Event
from eventhub.registration.models import Registration
from eventhub.web import parse_id


# Built once: these run for every scan (statement building costs more than SQLite's work here).
@functools.cache  # built on first use: joining a relationship needs every model mapped
def _badge_holder():
    # The economy comes from an explicit join (contains_eager): cheaper than joinedload()'s own join.
    return (
        sa.select(Registration, BadgeVersion.version)
        .join(Registration.economy)
        .outerjoin(BadgeVersion, BadgeVersion.registration_id == Registration.id)
        .where(Registration.id == sa.bindparam("registration_id"), Registration.event_id == sa.bindparam("event_id"))
        .options(contains_eager(Registration.economy))
    )



def badge_claim(event: Event, claim: BadgeClaim | None) -> BadgeClaim:
    """A scanned badge's claim (tokens.read_badge(): None if not genuine), if it is of this event."""
    if claim is None:
        raise CheckInRefused(_("Not a valid badge of EventHub: the code is damaged or forged. Nothing was recorded. "
                               "Search the person by name instead."), "invalid_badge")
    if claim.event_id != event.id:
        raise CheckInRefused(_("This badge is for another event. Nothing was recorded."), "other_event")
    return claim


def badge_holder(claim: BadgeClaim, registration: Registration | None, current_version: int | None) -> Registration:
    """The registration the claim names, read with its badge's current version; refuses replaced badges."""
    if registration is None:
        raise CheckInRefused(_("This badge's registration no longer exists. Nothing was recorded."), "unknown_badge")
    if claim.version != (current_version or 0):
        raise CheckInRefused(_("This badge of %(name)s was replaced by a newer one and no longer works. Nothing "
                               "was recorded.", name=registration.badge_name), "replaced_badge",
                             registration=registration)
    return registration


def registration_for_badge(db_session: DbSession, event: Event, token: str, secret_key: str) -> Registration:
    """The registration a scanned badge belongs to. Refuses forged, other events' and replaced badges."""
    claim = badge_claim(event, read_badge(secret_key, token))
    row = db_session.execute(_badge_holder(), {"registration_id": claim.registration_id, "event_id": event.id}).first()
    return badge_holder(claim, row[0] if row else None, row.version if row else None)


NO_SUCH_REGISTRATION = _l("No such registration in this event. Nothing was recorded.")


def registration_by_id(db_session: DbSession, event: Event, registration_id: int | None) -> Registration:
    if parse_id(registration_id) is None:  # not a plausible id: PostgreSQL would refuse to compare it
        raise CheckInRefused(str(NO_SUCH_REGISTRATION), "unknown_registration")
    registration = db_session.scalar(
        sa.select(Registration).where(Registration.id == registration_id, Registration.event_id == event.id)
        .options(joinedload(Registration.economy))
    )
    if registration is None:
        raise CheckInRefused(str(NO_SUCH_REGISTRATION), "unknown_registration")
    return registration


def badge_versions(db_session: DbSession, registration_ids: list[int]) -> dict[int, int]:
    if not registration_ids:
        return {}
    rows = db_session.execute(sa.select(BadgeVersion.registration_id, BadgeVersion.version)
                              .where(BadgeVersion.registration_id.in_(registration_ids)))
    return dict(rows.all())


def reissue_badge(db_session: DbSession, registration: Registration, *, by: User | None) -> int:
    """Replace a lost badge: the new version is printed next; the old badge is refused at the desk."""
    row = db_session.get(BadgeVersion, registration.id)
    if row is None:
        row = BadgeVersion(registration_id=registration.id, version=1, reissued_by_id=by.id if by else None)
        db_session.add(row)
    else:
        row.version += 1
        row.reissued_at = utcnow()
        row.reissued_by_id = by.id if by else None
    db_session.flush()
    return row.version


def search_registrations(db_session: DbSession, event: Event, text: str, *, limit: int = 25) -> list[Registration]:
    """People of the event whose name (Latin or local script), e-mail or organisation match every word."""
    words = [w for w in (text or "").split() if w][:5]
    if not words:
        return []
    query = sa.select(Registration).where(Registration.event_id == event.id)
    for word in words:
        pattern = f"%{word.replace('%', '').replace('_', '')}%"
        query = query.where(sa.or_(
            Registration.given_name.ilike(pattern), Registration.family_name.ilike(pattern),
            Registration.name_local.ilike(pattern), Registration.email.ilike(pattern),
            Registration.organisation.ilike(pattern),
        ))
    return list(db_session.scalars(
        query.options(selectinload(Registration.economy))
        .order_by(Registration.family_name, Registration.given_name, Registration.id).limit(limit)
    ))


