"""Signed, expiring password links (itsdangerous, keyed by SECRET_KEY).

A token carries the user's id and password_version. Setting a password bumps the version, so a
link stops working once used, and every older link stops working too. Nothing is stored.
"""

from __future__ import annotations

import enum

from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from eventhub.db import utcnow
from eventhub.errors import DomainError

SALT = "eventhub.password-link"


class Purpose(enum.StrEnum):
    RESET = "reset"  # "Forgot password?": short-lived
    WELCOME = "welcome"  # a new staff account sets its first password: a few days


class TokenInvalid(DomainError):
    """The link is forged, malformed, expired, or was already used."""

    def __init__(self, message: str, *, expired: bool = False):
        super().__init__(message)
        self.expired = expired


def _serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=SALT)


def make_password_token(secret_key: str, user, purpose: Purpose = Purpose.RESET) -> str:
    return _serializer(secret_key).dumps({"u": user.id, "v": user.password_version or 0, "p": purpose.value})


def read_password_token(secret_key: str, token: str, *, max_age: dict[Purpose, int]) -> tuple[int, int, Purpose]:
    """(user id, password version, purpose) of a valid, unexpired token; raises TokenInvalid otherwise."""
    serializer = _serializer(secret_key)
    try:
        payload, signed_at = serializer.loads(token, return_timestamp=True)
    except SignatureExpired as exc:  # pragma: no cover - we pass no max_age to loads
        raise TokenInvalid(_("This link has expired."), expired=True) from exc
    except BadSignature as exc:
        raise TokenInvalid(_("This link is not valid. Check that you copied all of it.")) from exc
    try:
        user_id, version, purpose = int(payload["u"]), int(payload["v"]), Purpose(payload["p"])
    except (KeyError, TypeError, ValueError) as exc:
        raise TokenInvalid(_("This link is not valid. Check that you copied all of it.")) from exc
    age = (utcnow() - signed_at).total_seconds()
    if age > max_age[purpose]:
        raise TokenInvalid(_("This link has expired."), expired=True)
    return user_id, version, purpose
