"""Desk tokens: the API token a check-in desk (a phone or laptop page) gets when staff set it up.

A staff member signs in once and sets the desk up; the desk then talks to the scanner API with
its own token, which works for one event and for checking in only (it is not a user's API token:
it opens no other API), acts with its creator's roles in that event, and is listed on the event's
staff page, where it can be revoked. Only the token's SHA-256 is stored.
"""

from __future__ import annotations

import secrets
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session as DbSession
from sqlalchemy.orm import joinedload

from eventhub.accounts.models import User
from eventhub.attendance.models import DESK_NAME_MAX, DeskToken
from eventhub.attendance.tokens import hash_api_token
from eventhub.db import utcnow
from eventhub.errors import DomainError, NotFound
from eventhub.events.models import Event

DESK_TOKEN_PREFIX = "ehd_"


def is_desk_token(token: str | None) -> bool:
    return bool(token) and token.startswith(DESK_TOKEN_PREFIX)


def issue_desk_token(db_session: DbSession, event: Event, user: User, desk: str = "") -> tuple[DeskToken, str]:
    """A new token for a desk of `event`, acting as `user`. The token is returned once, stored hashed."""
    desk = " ".join((desk or "").split())
    if "\x00" in desk:
        raise DomainError(_("The desk name must not contain a NUL character."), field="desk")
    if len(desk) > DESK_NAME_MAX:
        raise DomainError(_("Keep the desk name under %(max)d characters.", max=DESK_NAME_MAX), field="desk")
    token = DESK_TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = DeskToken(event_id=event.id, token_hash=hash_api_token(token), desk=desk, created_by_id=user.id)
    db_session.add(row)
    db_session.flush()
    return row, token


_BY_HASH = sa.select(DeskToken).where(DeskToken.token_hash == sa.bindparam("token_hash"))


def desk_token(db_session: DbSession, token: str | None) -> DeskToken | None:
    """The desk token row of a token (revoked ones too: the desk is told it was revoked), or None."""
    if not is_desk_token(token) or len(token) > 200:
        return None
    return db_session.scalar(_BY_HASH, {"token_hash": hash_api_token(token.strip())})


def desk_tokens(db_session: DbSession, event: Event) -> list[DeskToken]:
    """The event's desks, active first, newest first (one query), for the staff page."""
    return list(db_session.scalars(
        sa.select(DeskToken).where(DeskToken.event_id == event.id)
        .options(joinedload(DeskToken.created_by))
        .order_by(DeskToken.revoked_at.is_not(None), DeskToken.created_at.desc(), DeskToken.id.desc())
    ))


def revoke_desk_token(db_session: DbSession, event: Event, token_id: int, *, by: User,
                      now: datetime | None = None) -> DeskToken:
    row = db_session.get(DeskToken, token_id)
    if row is None or row.event_id != event.id:
        raise NotFound(_("No such desk in this event."))
    if row.revoked_at is None:
        row.revoked_at = now or utcnow()
        row.revoked_by_id = by.id
        db_session.flush()
    return row
