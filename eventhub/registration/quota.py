"""A delegation's quota and waitlist: the counter taken and given back with conditional UPDATEs,
the places left, and where a person stands on the waitlist."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session as DbSession
from sqlalchemy.orm.util import identity_key

from eventhub.registration.models import Delegation, Registration, RegistrationStatus

S = RegistrationStatus


def _expire_taken(db_session: DbSession, delegation_id: int) -> None:
    key = identity_key(Delegation, delegation_id)
    obj = db_session.identity_map.get(key)
    if obj is not None:
        db_session.expire(obj, ["taken"])


def take_place(db_session: DbSession, delegation_id: int) -> bool:
    """Take one place of the delegation's quota with one conditional UPDATE. False when full."""
    result = db_session.execute(
        sa.update(Delegation)
        .where(Delegation.id == delegation_id, Delegation.taken < Delegation.quota)
        .values(taken=Delegation.taken + 1)
        .execution_options(synchronize_session=False)
    )
    _expire_taken(db_session, delegation_id)
    return result.rowcount == 1


def release_place(db_session: DbSession, delegation_id: int) -> None:
    db_session.execute(
        sa.update(Delegation)
        .where(Delegation.id == delegation_id, Delegation.taken > 0)
        .values(taken=Delegation.taken - 1)
        .execution_options(synchronize_session=False)
    )
    _expire_taken(db_session, delegation_id)


def waitlist_position(db_session: DbSession, reg: Registration) -> int | None:
    """The position of a waitlisted registration on its delegation's waitlist (None if not waitlisted)."""
    if reg.status != S.WAITLISTED or reg.delegation_id is None:
        return None
    at = reg.waitlisted_at
    ahead = db_session.scalar(
        sa.select(sa.func.count()).select_from(Registration).where(
            Registration.delegation_id == reg.delegation_id,
            Registration.status == S.WAITLISTED,
            sa.or_(Registration.waitlisted_at < at,
                   sa.and_(Registration.waitlisted_at == at, Registration.id < reg.id)),
        )
    )
    return (ahead or 0) + 1


def places_left(delegation: Delegation | None) -> int | None:
    """How many places of the delegation's quota are still free (None without a delegation)."""
    if delegation is None:
        return None
    return max(delegation.quota - delegation.taken, 0)


def standing(db_session: DbSession, reg: Registration) -> int | None:
    """Where the person stands on their delegation's waitlist.

    A waitlisted registration has its position. A registration still waiting for approval in a
    delegation whose quota is already full is told the position it would take if approved now
    (everyone already on the waitlist is ahead). Otherwise None.
    """
    if reg.status == S.WAITLISTED:
        return waitlist_position(db_session, reg)
    if reg.status != S.SUBMITTED or reg.delegation_id is None:
        return None
    delegation = db_session.get(Delegation, reg.delegation_id)
    if delegation is None or places_left(delegation):
        return None
    waiting = db_session.scalar(sa.select(sa.func.count()).select_from(Registration).where(
        Registration.delegation_id == reg.delegation_id, Registration.status == S.WAITLISTED))
    return (waiting or 0) + 1
