"""Badge QR tokens and scanner-app API tokens.

A badge token carries no personal data: the event id, the registration id and the badge's
version, signed with an HMAC-SHA256 keyed by the app's SECRET_KEY (truncated to 128 bits, so a
badge can be neither forged nor guessed from its neighbours' ids). It is written in upper case,
digits and dots so the QR code uses the dense alphanumeric mode and a USB scanner types it as is:

    EH1.12.3456.0.MFRGGZDFMZTWQ2LKNNWG23TPOA
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

PREFIX = "EH1"
_TOKEN_RE = re.compile(r"^EH1\.(\d{1,12})\.(\d{1,12})\.(\d{1,6})\.([A-Z2-7]{26})$")
API_TOKEN_PREFIX = "ehk_"


@dataclass(frozen=True)
class BadgeClaim:
    event_id: int
    registration_id: int
    version: int


def _key(secret_key: str) -> bytes:
    # A key of its own, so a badge signature can never be replayed as another kind of signed value.
    return hashlib.sha256(b"eventhub.badge.v1\x00" + secret_key.encode()).digest()


def _mac(secret_key: str, payload: str) -> str:
    digest = hmac.new(_key(secret_key), payload.encode(), hashlib.sha256).digest()[:16]
    return base64.b32encode(digest).decode().rstrip("=")


def sign_badge(secret_key: str, event_id: int, registration_id: int, version: int = 0) -> str:
    payload = f"{PREFIX}.{event_id}.{registration_id}.{version}"
    return f"{payload}.{_mac(secret_key, payload)}"


def read_badge(secret_key: str, token: str) -> BadgeClaim | None:
    """The claim of a genuine token, or None for anything malformed or forged."""
    token = (token or "").strip().upper()
    match = _TOKEN_RE.match(token)
    if match is None:
        return None
    payload = token.rsplit(".", 1)[0]
    if not hmac.compare_digest(_mac(secret_key, payload), match.group(4)):
        return None
    return BadgeClaim(int(match.group(1)), int(match.group(2)), int(match.group(3)))


def looks_like_badge(text: str) -> bool:
    return (text or "").strip().upper().startswith(PREFIX + ".")


# --- API tokens ------------------------------------------------------------------------------------

def new_api_token() -> str:
    """A fresh token of 256 bits; only its SHA-256 is stored."""
    return API_TOKEN_PREFIX + secrets.token_urlsafe(32)


def hash_api_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
