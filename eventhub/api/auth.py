"""Who calls the API and what they may do.

A request carries `Authorization: Bearer <token>`: a scoped token from the tokens page, or the
scanner app's older per-user token (which may only record check-ins). Every answer asks
`allow(...)`: the token must hold the scope, then the owner must pass `permissions.can()` — so a
token never sees more than its owner would in the pages, and only in events where they have a role.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import request
from flask_babel import gettext as _
from sqlalchemy.orm import Session as DbSession

from eventhub.accounts.models import User
from eventhub.accounts.permissions import Action, can
from eventhub.api.errors import ApiError
from eventhub.api.models import ApiToken, Scope
from eventhub.attendance.tokens import hash_api_token
from eventhub.db import utcnow

TOKEN_PREFIX = "ehk_"


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def issue_token(db_session: DbSession, user: User, *, name: str, scopes: set[Scope],
                valid_days: int | None = None) -> tuple[ApiToken, str]:
    """A new scoped token of `user`: the row and the token itself (shown once, stored hashed).
    With `valid_days` it stops working that many days from now; without, when it is revoked."""
    if not scopes:
        raise ValueError("a token needs at least one scope")
    token, now = new_token(), utcnow()
    row = ApiToken(user_id=user.id, name=name.strip()[:100], token_hash=hash_api_token(token),
                   scopes=" ".join(sorted(s.value for s in scopes)), created_at=now,
                   expires_at=now + timedelta(days=valid_days) if valid_days else None)
    db_session.add(row)
    db_session.flush()
    return row, token


def revoke_token(db_session: DbSession, user: User, token_id: int) -> bool:
    result = db_session.execute(sa.update(ApiToken).where(
        ApiToken.id == token_id, ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None)).values(revoked_at=utcnow()))
    return result.rowcount == 1


class Caller:
    """The owner of the request's token and the scopes it holds."""

    def __init__(self, user: User, scopes: frozenset[Scope], token_id: int | None):
        self.user, self.scopes, self.token_id = user, scopes, token_id


def _bearer() -> str | None:
    header = request.headers.get("Authorization", "")
    if header[:7].lower() != "bearer ":
        return None
    token = header[7:].strip()
    return token if 0 < len(token) <= 200 else None


def caller(db_session: DbSession) -> Caller | None:
    """The caller of this request (cached), None without a token; ApiError 401 for a token that is
    unknown, revoked or of a deactivated user."""
    # Kept on the request, not on g: tests (and CLI code) may hold one app context for many requests.
    if hasattr(request, "_api_caller"):
        return request._api_caller
    token = _bearer()
    if token is None:
        if request.headers.get("Authorization"):
            raise ApiError(401, "unauthorized", _("Send a valid API token: Authorization: Bearer <token>."))
        request._api_caller = None
        return None
    token_hash = hash_api_token(token)
    row = db_session.execute(
        sa.select(ApiToken, User).join(User, User.id == ApiToken.user_id)
        .where(ApiToken.token_hash == token_hash)).first()
    if row is not None:
        api_token, user = row
        if api_token.revoked_at is not None or not user.active:
            raise ApiError(401, "token_revoked", _("This API token was revoked."))
        if api_token.expired(utcnow()):
            raise ApiError(401, "token_expired", _("This API token expired on %(day)s: make a new one.",
                                                   day=api_token.expires_at.date().isoformat()))
        found = Caller(user, api_token.scope_set, api_token.id)
    else:
        user = db_session.scalar(sa.select(User).where(User.api_token_hash == token_hash))
        if user is None or not user.active:
            raise ApiError(401, "unauthorized", _("Send a valid API token: Authorization: Bearer <token>."))
        # The scanner app's token predates scopes: it records check-ins, nothing else.
        found = Caller(user, frozenset({Scope.WRITE_CHECKINS}), None)
    request._api_caller = found
    return found


def allow(who: Caller | None, scope: Scope, action: Action, event, *, delegation=None, registration=None) -> None:
    """The one check of every API answer: 401 without a token, 403 without the scope or the right."""
    if who is None:
        raise ApiError(401, "unauthorized", _("Send a valid API token: Authorization: Bearer <token>."))
    if scope not in who.scopes:
        raise ApiError(403, "missing_scope", _("This token lacks the scope %(scope)s.", scope=scope.value))
    if not can(who.user, action, event, delegation=delegation, registration=registration):
        raise ApiError(403, "forbidden", _("This token's user may not do this in this event."))


def may(who: Caller | None, scope: Scope, action: Action, event, **kw) -> bool:
    return who is not None and scope in who.scopes and can(who.user, action, event, **kw)
