"""Send queued webhook deliveries: signed JSON POSTs, retried with backoff, never dropped silently.

Claimed exactly once, as the mail outbox is (eventhub.mail.delivery.claim_due): one UPDATE …
RETURNING moves the claimed rows' next_attempt_at a lease ahead and the outer WHERE re-checks it,
with SKIP LOCKED on PostgreSQL, so two workers never send the same delivery. No transaction is held
open while talking to a receiver. `deliver_due_webhooks()` is what the delivery process calls
(`flask eventhub deliver-webhooks`, and the mail worker's loop).
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from eventhub.api.models import DeliveryStatus, Webhook, WebhookDelivery
from eventhub.api.webhooks import refused_address, signature
from eventhub.db import claim_queued, utcnow, write_intent
from eventhub.extensions import db

MAX_ATTEMPTS = 8
BACKOFF_BASE_SECONDS = 30
TIMEOUT_SECONDS = 5
LEASE = timedelta(seconds=90)
BATCH_SECONDS = 40


def claim_due(db_session, now, limit: int = 50) -> list[int]:
    return claim_queued(db_session, WebhookDelivery, DeliveryStatus.PENDING, now, limit=limit, lease=LEASE)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    # A redirect could lead anywhere, the server's own network included: it counts as a failure.
    def redirect_request(self, *args, **kwargs):
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def post(url: str, secret: str, delivery_id: int, kind: str, body: bytes, timeout: float) -> int:
    """POST one delivery; its HTTP status (raises OSError when no answer came)."""
    timestamp = str(int(time.time()))
    request = urllib.request.Request(url, data=body, method="POST", headers={
        "Content-Type": "application/json", "User-Agent": "EventHub-Webhooks/1",
        "X-EventHub-Delivery": str(delivery_id), "X-EventHub-Event": kind,
        "X-EventHub-Timestamp": timestamp, "X-EventHub-Signature": signature(secret, timestamp, body)})
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def _attempt(row, config) -> dict:
    """The values to write back after one try of a claimed delivery."""
    problem = refused_address(row.url, allow_private=config.get("WEBHOOKS_ALLOW_PRIVATE", False))
    status, error = None, problem or ""
    if not problem:
        try:
            status = post(row.url, row.secret, row.id, row.kind, row.body.encode(),
                          config.get("WEBHOOKS_TIMEOUT", TIMEOUT_SECONDS))
            if not 200 <= status < 300:
                error = f"HTTP {status}"
        except (OSError, ValueError) as exc:
            error = str(exc)[:500] or exc.__class__.__name__
    if not error:
        return {"id": row.id, "status": DeliveryStatus.DELIVERED, "last_status_code": status, "last_error": "",
                "delivered_at": utcnow()}
    values = {"id": row.id, "last_status_code": status, "last_error": error}
    if row.attempts >= MAX_ATTEMPTS:
        values["status"] = DeliveryStatus.FAILED
    else:
        values["next_attempt_at"] = utcnow() + timedelta(seconds=BACKOFF_BASE_SECONDS * 2 ** (row.attempts - 1))
    return values


def deliver_due_webhooks(limit: int = 50) -> tuple[int, int]:
    """Deliver up to `limit` due webhook deliveries. Returns (delivered, failed attempts)."""
    config = current_app.config
    with write_intent():
        db.session.rollback()
        claimed = claim_due(db.session, utcnow(), limit)
        db.session.commit()
    if not claimed:
        return 0, 0
    rows = db.session.execute(
        sa.select(WebhookDelivery.id, WebhookDelivery.kind, WebhookDelivery.body, WebhookDelivery.attempts,
                  Webhook.url, Webhook.secret)
        .join(Webhook, Webhook.id == WebhookDelivery.webhook_id)
        .where(WebhookDelivery.id.in_(claimed)).order_by(WebhookDelivery.id)).all()
    db.session.rollback()  # no transaction open while waiting on receivers
    started, results = time.monotonic(), []
    for index, row in enumerate(rows):
        if time.monotonic() - started > BATCH_SECONDS:  # well inside the lease: hand the rest back
            results.extend({"id": r.id, "attempts": r.attempts - 1, "next_attempt_at": utcnow()}
                           for r in rows[index:])
            break
        results.append(_attempt(row, config))
    with write_intent():
        for values in results:
            delivery_id = values.pop("id")
            db.session.execute(sa.update(WebhookDelivery).where(WebhookDelivery.id == delivery_id).values(**values))
        db.session.commit()
    delivered = sum(1 for r in results if r.get("status") == DeliveryStatus.DELIVERED)
    return delivered, sum(1 for r in results if r.get("last_error"))
