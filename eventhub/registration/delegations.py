"""Delegations: focal points, the private registration link, the delegation overview."""

from __future__ import annotations

import hmac
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session as DbSession
from sqlalchemy.orm import selectinload

from eventhub.accounts.models import User, normalise_email
from eventhub.economies.models import Economy
from eventhub.errors import Conflict, NotFound
from eventhub.events.models import Event
from eventhub.i18n import localized
from eventhub.registration import mails
from eventhub.registration.models import (
    Delegation,
    FocalPoint,
    Registration,
    RegistrationStatus,
    new_token,
)
from eventhub.registration.services import clean_email

S = RegistrationStatus


def delegation_by_token(db_session: DbSession, token: str) -> Delegation | None:
    """The delegation whose current link carries this token; None for an unknown or rotated one."""
    if not token or len(token) > 64:
        return None
    delegation = db_session.scalar(
        sa.select(Delegation).where(Delegation.invite_token == token)
        .options(selectinload(Delegation.event), selectinload(Delegation.economy))
    )
    if delegation is None or not hmac.compare_digest(delegation.invite_token.encode(), token.encode()):
        return None
    return delegation


def get_delegation(db_session: DbSession, event: Event, delegation_id: int) -> Delegation:
    delegation = db_session.scalar(
        sa.select(Delegation).where(Delegation.id == delegation_id, Delegation.event_id == event.id)
        .options(selectinload(Delegation.economy),
                 selectinload(Delegation.focal_points).selectinload(FocalPoint.user))
    )
    if delegation is None:
        raise NotFound(_("No such delegation in this event."))
    return delegation


def rotate_link(db_session: DbSession, delegation: Delegation) -> str:
    """A new private link; the old one stops working at once."""
    delegation.invite_token = new_token()
    db_session.flush()
    return delegation.invite_token


def invite_focal_point(db_session: DbSession, delegation: Delegation, *, email: str, name: str = "",
                       actor: User | None) -> tuple[FocalPoint, bool]:
    """Make `email` a focal point of the delegation, creating the account if needed, and e-mail them.

    Returns (focal point, account created). A new account gets a link to choose its password.
    """
    email = clean_email(email)
    try:
        # A double submit meets the UNIQUE constraints (user e-mail; delegation and user): the savepoint
        # keeps the transaction usable and the person gets a message instead of a 500.
        with db_session.begin_nested():
            user = db_session.scalar(sa.select(User).where(User.email == normalise_email(email)))
            created = user is None
            if created:
                user = User(email=email, name=" ".join(name.split())[:200])
                db_session.add(user)
                db_session.flush()
            if _is_focal_point(db_session, delegation.id, user.id):
                raise Conflict(_("%(email)s is already a focal point of %(economy)s.", email=email,
                                 economy=localized(delegation.economy, "name")), field="email")
            focal = FocalPoint(delegation_id=delegation.id, user_id=user.id)
            db_session.add(focal)
            db_session.flush()
    except IntegrityError:
        raise Conflict(_("%(email)s was just made a focal point of %(economy)s (a second click?). Reload the "
                         "page to see them.", email=email, economy=localized(delegation.economy, "name")),
                       field="email") from None
    mails.focal_point_invited(db_session, user=user, delegation=delegation, actor=actor)
    return focal, created


def _is_focal_point(db_session: DbSession, delegation_id: int, user_id: int) -> bool:
    return db_session.scalar(sa.select(FocalPoint.id).where(
        FocalPoint.delegation_id == delegation_id, FocalPoint.user_id == user_id)) is not None


def remove_focal_point(db_session: DbSession, delegation: Delegation, focal_point_id: int) -> FocalPoint:
    focal = db_session.get(FocalPoint, focal_point_id)
    if focal is None or focal.delegation_id != delegation.id:
        raise NotFound(_("That focal point does not exist (any more)."))
    db_session.delete(focal)
    db_session.flush()
    return focal


@dataclass
class DelegationView:
    delegation: Delegation
    registrations: list[Registration]  # active ones, approved first, then submitted, then waitlist order
    inactive: list[Registration]
    positions: dict[int, int]  # waitlist position by registration id

    @property
    def used(self) -> int:
        return self.delegation.taken

    @property
    def left(self) -> int:
        return max(self.delegation.quota - self.delegation.taken, 0)

    @property
    def waitlist(self) -> list[Registration]:
        return [r for r in self.registrations if r.status == S.WAITLISTED]

    def count(self, status: str) -> int:
        return sum(1 for r in self.registrations if r.status.value == status)


_STATUS_ORDER = {S.APPROVED: 0, S.SUBMITTED: 1, S.WAITLISTED: 2, S.DECLINED: 3, S.CANCELLED: 4}


def delegation_view(db_session: DbSession, delegation: Delegation) -> DelegationView:
    """Everything the delegation page shows, in two queries."""
    regs = list(db_session.scalars(
        sa.select(Registration).where(Registration.delegation_id == delegation.id)
        .order_by(Registration.family_name, Registration.given_name, Registration.id)
    ))
    waitlist = sorted((r for r in regs if r.status == S.WAITLISTED), key=lambda r: (r.waitlisted_at, r.id))
    positions = {r.id: n for n, r in enumerate(waitlist, start=1)}
    active = [r for r in regs if r.is_active]
    active.sort(key=lambda r: (_STATUS_ORDER[r.status], positions.get(r.id, 0)))
    inactive = [r for r in regs if not r.is_active]
    return DelegationView(delegation, active, inactive, positions)


def event_delegations(db_session: DbSession, event: Event) -> list[Delegation]:
    """The event's delegations in APEC order with their focal points."""
    return list(db_session.scalars(
        sa.select(Delegation).join(Economy, Economy.id == Delegation.economy_id)
        .where(Delegation.event_id == event.id)
        .options(sa.orm.contains_eager(Delegation.economy),
                 selectinload(Delegation.focal_points).selectinload(FocalPoint.user))
        .order_by(Economy.sort_key, Economy.name)
    ))


def delegation_counts(db_session: DbSession, event: Event) -> dict[int, dict[str, int]]:
    """Registrations per delegation and state (one GROUP BY)."""
    counts: dict[int, dict[str, int]] = {}
    for delegation_id, status, n in db_session.execute(
        sa.select(Registration.delegation_id, Registration.status, sa.func.count())
        .where(Registration.event_id == event.id, Registration.delegation_id.is_not(None))
        .group_by(Registration.delegation_id, Registration.status)
    ):
        counts.setdefault(delegation_id, {})[status.value] = n
    return counts


def user_delegations(db_session: DbSession, user: User) -> list[Delegation]:
    """The delegations a user is focal point of, across events."""
    return list(db_session.scalars(
        sa.select(Delegation).join(FocalPoint, FocalPoint.delegation_id == Delegation.id)
        .where(FocalPoint.user_id == user.id)
        .options(selectinload(Delegation.event), selectinload(Delegation.economy))
        .order_by(Delegation.id.desc())
    ))
