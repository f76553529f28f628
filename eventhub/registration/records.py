"""What every change of a registration shares: claiming the row in its current state, the history
line, the people to copy, the linked account. Used by services.py and imports.py."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session as DbSession
from sqlalchemy.orm.attributes import set_committed_value

from eventhub.accounts.models import User, normalise_email
from eventhub.db import utcnow
from eventhub.errors import Conflict
from eventhub.registration.models import (
    ACTIVE_STATUSES,
    FocalPoint,
    Registration,
    RegistrationLog,
    RegistrationStatus,
)

S = RegistrationStatus


def log_change(db_session: DbSession, reg: Registration, action: str, actor: User | None,
         from_status: S | None, to_status: S | None, note: str = "") -> None:
    """Add a line to the registration's history (what its page shows): who did what, from and to which state."""
    entry = RegistrationLog(registration=reg, action=action, actor_id=actor.id if actor else None,
                            from_status=from_status.value if from_status else None,
                            to_status=to_status.value if to_status else None, note=note[:500], at=utcnow())
    db_session.add(entry)


def claim(db_session: DbSession, reg: Registration, expected: S, new: S, **values) -> None:
    """Move `reg` from `expected` to `new` with a conditional UPDATE; Conflict if it changed meanwhile."""
    db_session.flush()
    result = db_session.execute(
        sa.update(Registration)
        .where(Registration.id == reg.id, Registration.status == expected)
        .values(status=new, updated_at=utcnow(), **values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db_session.refresh(reg)
        raise Conflict(_("The registration of %(name)s was changed meanwhile: it is now %(status)s. Reload "
                         "the page to see it.", name=reg.full_name, status=reg.status.label.lower()))
    set_committed_value(reg, "status", new)
    for key, value in values.items():
        set_committed_value(reg, key, value)


def focal_point_emails(db_session: DbSession, delegation_id: int | None) -> list[str]:
    """The e-mail addresses of the delegation's focal points."""
    if delegation_id is None:
        return []
    return list(db_session.scalars(
        sa.select(User.email).join(FocalPoint, FocalPoint.user_id == User.id)
        .where(FocalPoint.delegation_id == delegation_id).order_by(User.email)
    ))


def acting_focal_point(db_session: DbSession, reg: Registration, actor: User | None) -> list[str]:
    """The focal point in copy when they are the one who acted."""
    if actor is None or actor.id == reg.user_id or reg.delegation_id is None:
        return []
    is_focal = db_session.scalar(sa.select(FocalPoint.id).where(
        FocalPoint.delegation_id == reg.delegation_id, FocalPoint.user_id == actor.id))
    return [actor.email] if is_focal and actor.email != reg.email else []


def active_registration(db_session: DbSession, event_id: int, email: str) -> Registration | None:
    """The active registration of this e-mail address in the event, if any (one per address)."""
    return db_session.scalar(sa.select(Registration).where(
        Registration.event_id == event_id, Registration.email == normalise_email(email),
        Registration.status.in_(ACTIVE_STATUSES)))


def link_user(db_session: DbSession, email: str, name: str) -> User:
    """The account of this e-mail address, made (without a password) if there is none."""
    user = db_session.scalar(sa.select(User).where(User.email == email))
    if user is None:
        user = User(email=email, name=name)
        db_session.add(user)
        db_session.flush()
    return user
