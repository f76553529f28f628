"""Webhooks: registering URLs, and queueing a delivery in the transaction of the change it reports.

`queue()` adds a WebhookDelivery row in the transaction of the change, so a change that commits
always has its deliveries and one that rolls back has none. What calls it — listeners on the
changes themselves, whichever page, import or API call made them — is in `sources.py`.
"""

from __future__ import annotations

import hmac
import ipaddress
import json
import secrets
import socket
import time
from hashlib import sha256
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import current_app, has_app_context
from flask_babel import gettext as _
from sqlalchemy.orm import Session as OrmSession

from eventhub.api.models import DeliveryStatus, Webhook, WebhookDelivery, WebhookKind
from eventhub.db import utcnow
from eventhub.errors import DomainError

K = WebhookKind


# --- Addresses ------------------------------------------------------------------------------------------

def _is_private(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    return ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved or ip.is_multicast \
        or ip.is_unspecified


def refused_address(url: str, *, allow_private: bool) -> str | None:
    """Why a webhook may not POST to `url` (None when it may): only http(s), and never the server's
    own network (loopback, link-local, private) unless the site admin allows it
    (WEBHOOKS_ALLOW_PRIVATE) — checked when the URL is entered and again before every delivery,
    since a name can be pointed elsewhere later."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return _("Enter an http:// or https:// address.")
    if allow_private:
        return None
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80),
                                   proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return _("The host %(host)s cannot be found.", host=parts.hostname)
    if any(_is_private(info[4][0]) for info in infos):
        return _("Webhooks may not go to loopback, link-local or private addresses.")
    return None


# --- Registering ----------------------------------------------------------------------------------------

def add_webhook(db_session: OrmSession, event, *, url: str, kinds: set[str], actor, allow_private: bool) -> Webhook:
    url = (url or "").strip()
    if len(url) > 500:
        raise DomainError(_("The address is longer than 500 characters."), field="url")
    problem = refused_address(url, allow_private=allow_private)
    if problem:
        raise DomainError(problem, field="url")
    wanted = sorted(k for k in kinds if k in K._value2member_map_)
    if not wanted:
        raise DomainError(_("Choose at least one kind of change."), field="kinds")
    hook = Webhook(event_id=event.id, url=url, kinds=" ".join(wanted), secret=secrets.token_hex(32),
                   created_by_id=actor.id if actor else None)
    db_session.add(hook)
    db_session.flush()
    return hook


def redeliver(db_session: OrmSession, delivery: WebhookDelivery) -> None:
    """Send a delivery again (by hand from the integrations page), at once."""
    delivery.status = DeliveryStatus.PENDING
    delivery.next_attempt_at = utcnow()
    db_session.flush()


# --- Signing --------------------------------------------------------------------------------------------

def signature(secret: str, timestamp: str, body: bytes) -> str:
    """`X-EventHub-Signature`: sha256=HMAC-SHA256(secret, "<timestamp>." + body) in hex. Signing the
    timestamp with the body lets a receiver refuse an old delivery replayed."""
    return "sha256=" + hmac.new(secret.encode(), timestamp.encode() + b"." + body, sha256).hexdigest()


# --- Queueing -------------------------------------------------------------------------------------------

# Which webhooks an event has is asked on every registration change, booking and scan, and webhooks
# change rarely: each worker keeps the answer for HOOKS_KEPT_SECONDS (a webhook added through another
# worker or host starts receiving within that time) and forgets it at once when it writes a webhook
# itself. Without this, every scan of the check-in API would cost a statement more.
HOOKS_KEPT_SECONDS = 10.0


def _kept_hooks() -> dict:
    return current_app.extensions.setdefault("eventhub.webhooks_of_event", {})


def _hooks_of(db_session: OrmSession, event_id: int) -> list[tuple[int, frozenset[str]]]:
    """The event's active webhooks: read once per transaction at most, and kept per worker."""
    cache = db_session.info.setdefault("_webhooks", {})
    if event_id in cache:
        return cache[event_id]
    kept = _kept_hooks() if has_app_context() else {}
    entry = kept.get(event_id)
    if entry is not None and time.monotonic() - entry[0] < HOOKS_KEPT_SECONDS:
        cache[event_id] = entry[1]
        return entry[1]
    hooks = [(hook_id, frozenset(kinds.split())) for hook_id, kinds in db_session.execute(
        sa.select(Webhook.id, Webhook.kinds).where(Webhook.event_id == event_id, Webhook.active.is_(True)))]
    cache[event_id] = hooks
    if has_app_context():
        kept[event_id] = (time.monotonic(), hooks)
    return hooks


@sa.event.listens_for(OrmSession, "after_flush")
def _forget_kept_hooks(db_session: OrmSession, _context) -> None:
    if has_app_context() and any(isinstance(obj, Webhook)
                                 for obj in (*db_session.new, *db_session.dirty, *db_session.deleted)):
        _kept_hooks().clear()
        db_session.info.pop("_webhooks", None)


def queue(db_session: OrmSession, event_id: int, kind: WebhookKind, data: dict) -> None:
    """Add a delivery for each of the event's webhooks that wants `kind` (no statement when none)."""
    for hook_id, kinds in _hooks_of(db_session, event_id):
        if kind.value in kinds:
            body = json.dumps({"kind": kind.value, "event_id": event_id, "occurred_at": utcnow().isoformat(),
                               "data": data}, separators=(",", ":"), sort_keys=True)
            db_session.add(WebhookDelivery(webhook_id=hook_id, kind=kind.value, body=body))


def forget(db_session: OrmSession) -> None:
    """Drop what queue() remembered of this transaction (the webhooks read once per transaction)."""
    db_session.info.pop("_webhooks", None)


def wants(db_session: OrmSession, event_id: int, kind: WebhookKind) -> bool:
    """Whether any active webhook of the event receives `kind` (read once per transaction)."""
    return any(kind.value in kinds for _hook_id, kinds in _hooks_of(db_session, event_id))
