"""The JSON API and the webhook deliveries.

- api.registrations_page_rps / api.registrations_page_rps_ratio: a page of 100 registrations of the
  large event (GET /api/v1/events/<slug>/registrations?limit=100, the organizer's scoped token),
  beside the bare-insert baseline. Target: ratio at least 0.3.
- api.registrations_page_queries: SQL statements of one such page (the same for 10 or 100 rows).
- webhooks.deliver_rps: signed deliveries per second from the queue to a local receiver (a plain
  HTTP server in this process answering 204), sent as the delivery process sends them
  (deliver_due_webhooks(): claim a batch, POST each, write the outcomes back).
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import sqlalchemy as sa

DELIVERIES = 2000


def _token(b) -> str:
    from eventhub.accounts.models import User
    from eventhub.api.auth import issue_token
    from eventhub.api.models import Scope
    from eventhub.db import write_intent
    from eventhub.extensions import db

    with b.app.app_context(), write_intent():
        user = db.session.scalar(sa.select(User).where(User.email == b.dataset.organizer[0]))
        _row, token = issue_token(db.session, user, name="bench", scopes=set(Scope))
        db.session.commit()
    return token


def _queries(b, path: str, headers: dict) -> int:
    from tests.conftest import count_queries

    with b.app.app_context():
        client = b.app.test_client()
        client.get(path, headers=headers)
        with count_queries() as q:
            assert client.get(path, headers=headers).status_code == 200
    return q.count


class _Receiver:
    def __init__(self):
        self.count = 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):  # noqa: N802
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                outer.count += 1
                self.send_response(204)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def _deliver_rps(b) -> float:
    from eventhub.api.delivery import deliver_due_webhooks
    from eventhub.api.models import Webhook, WebhookDelivery
    from eventhub.db import write_intent
    from eventhub.extensions import db

    receiver = _Receiver()
    try:
        with b.app.app_context():
            b.app.config["WEBHOOKS_ALLOW_PRIVATE"] = True  # the receiver is on loopback
            with write_intent():
                hook = Webhook(event_id=b.dataset.event_id, url=receiver.url, kinds="registration.created",
                               secret="bench-webhook-secret")
                db.session.add(hook)
                db.session.flush()
                body = json.dumps({"data": {"registration_id": 1}, "event_id": b.dataset.event_id,
                                   "kind": "registration.created"})
                db.session.execute(sa.insert(WebhookDelivery), [
                    {"webhook_id": hook.id, "kind": "registration.created", "body": body} for _ in range(DELIVERIES)])
                db.session.commit()
            started = time.perf_counter()
            delivered = 0
            while True:
                sent, _failed = deliver_due_webhooks()
                delivered += sent
                if sent == 0:
                    break
            elapsed = time.perf_counter() - started
    finally:
        receiver.close()
    if delivered != DELIVERIES or receiver.count != DELIVERIES:
        b.failures.append(f"webhooks: {delivered} delivered, {receiver.count} received of {DELIVERIES}")
    return delivered / elapsed if elapsed else 0.0


def run(b) -> None:
    headers = {"Authorization": f"Bearer {_token(b)}"}
    path = f"/api/v1/events/{b.dataset.slug}/registrations?limit=100"
    b.report("api.registrations_page_queries", _queries(b, path, headers))
    b.report_ratio("api.registrations_page_rps_ratio", path, headers=headers, rps_name="api.registrations_page_rps")
    b.report("webhooks.deliver_rps", round(_deliver_rps(b), 1))
