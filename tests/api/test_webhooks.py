"""Webhooks: queued with the change, signed, delivered to a real local receiver, retried, refused
for private addresses; shown on the integrations page and redeliverable."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from eventhub.api.delivery import deliver_due_webhooks
from eventhub.api.models import DeliveryStatus, Webhook, WebhookDelivery
from eventhub.api.webhooks import add_webhook
from eventhub.extensions import db

PERSON = {"email": "anong@example.org", "given_name": "Anong", "family_name": "Srisuk"}


class Receiver:
    """A local HTTP server that answers `fail_first` requests with 500, then 204, and keeps what it got."""

    def __init__(self, fail_first: int = 0):
        self.received, self.fail_first = [], fail_first
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"]))
                outer.received.append((self.headers, body))  # case-insensitive
                self.send_response(500 if len(outer.received) <= outer.fail_first else 204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    made = []

    def _make(fail_first=0):
        made.append(Receiver(fail_first))
        return made[-1]
    yield _make
    for r in made:
        r.close()


def _hook(app, world, url, kinds=("registration.created", "registration.state_changed")):
    app.config["WEBHOOKS_ALLOW_PRIVATE"] = True
    hook = add_webhook(db.session, world.event, url=url, kinds=set(kinds), actor=world.organizer, allow_private=True)
    db.session.commit()
    return hook


def _register(client, world, token_for):
    return client.post(f"/api/v1/events/cluster/delegations/{world.tha.id}/registrations", json=PERSON,
                       headers=token_for(world.secretariat))


def test_a_change_queues_a_signed_delivery_the_receiver_can_verify(app, client, world, token_for, receiver):
    r = receiver()
    hook = _hook(app, world, r.url)
    assert _register(client, world, token_for).status_code == 201
    assert db.session.query(WebhookDelivery).count() == 1  # queued with the registration, nothing sent yet
    assert deliver_due_webhooks() == (1, 0)
    (headers, body), = r.received
    expected = "sha256=" + hmac.new(hook.secret.encode(), headers["X-EventHub-Timestamp"].encode() + b"." + body,
                                    hashlib.sha256).hexdigest()
    assert hmac.compare_digest(headers["X-EventHub-Signature"], expected)
    assert abs(int(headers["X-EventHub-Timestamp"]) - time.time()) < 60
    payload = json.loads(body)
    assert payload["kind"] == "registration.created" and payload["data"]["state"] == "submitted"
    assert headers["X-EventHub-Delivery"] == str(db.session.query(WebhookDelivery).one().id)


def test_a_failing_receiver_gets_it_again_later_and_nothing_is_lost(app, client, world, token_for, receiver):
    r = receiver(fail_first=1)
    _hook(app, world, r.url)
    _register(client, world, token_for)
    assert deliver_due_webhooks() == (0, 1)
    delivery = db.session.query(WebhookDelivery).one()
    assert delivery.status == DeliveryStatus.PENDING and delivery.last_status_code == 500
    assert deliver_due_webhooks() == (0, 0)  # not due yet: backoff
    db.session.execute(WebhookDelivery.__table__.update().values(next_attempt_at=delivery.created_at))
    db.session.commit()
    assert deliver_due_webhooks() == (1, 0)
    db.session.expire_all()
    assert db.session.query(WebhookDelivery).one().status == DeliveryStatus.DELIVERED
    assert len(r.received) == 2


def test_a_rolled_back_change_queues_nothing(app, client, world, token_for, receiver):
    _hook(app, world, receiver().url)
    _register(client, world, token_for)
    duplicate = _register(client, world, token_for)
    assert duplicate.status_code == 409
    assert db.session.query(WebhookDelivery).count() == 1


def test_private_addresses_are_refused_unless_the_admin_allows(app, world):
    from eventhub.errors import DomainError

    for url in ("http://127.0.0.1:8080/x", "http://10.0.0.5/x", "http://169.254.169.254/latest", "ftp://example.org/"):
        with pytest.raises(DomainError):
            add_webhook(db.session, world.event, url=url, kinds={"registration.created"}, actor=None,
                        allow_private=False)
    db.session.rollback()


def test_integrations_page_shows_last_status_and_redelivers(app, client, world, token_for, receiver, login_as):
    r = receiver()
    _hook(app, world, r.url)
    _register(client, world, token_for)
    deliver_due_webhooks()
    login_as(world.organizer)
    page = client.get("/events/cluster/integrations").get_data(as_text=True)
    assert r.url in page and "Delivered" in page and "HTTP 204" in page
    delivery = db.session.query(WebhookDelivery).one()
    response = client.post(f"/events/cluster/integrations/deliveries/{delivery.id}/redeliver")
    assert response.status_code == 302
    assert deliver_due_webhooks() == (1, 0) and len(r.received) == 2


def test_the_integrations_page_refuses_a_private_address_next_to_the_field(client, world, login_as):
    login_as(world.organizer)
    response = client.post("/events/cluster/integrations", data={
        "url": "http://127.0.0.1/x", "kinds": ["registration.created"]})
    assert response.status_code == 400
    assert "loopback, link-local or private" in response.get_data(as_text=True)
    assert db.session.query(Webhook).count() == 0


def test_booking_changes_are_queued_for_hooks_that_want_them(app, client, make, world, token_for):
    _hook(app, world, "http://127.0.0.1:9/unused", kinds=("booking.confirmed", "booking.waitlisted"))
    visit = make.session(world.event, kind="site_visit", bookable=True, capacity=1)
    headers = token_for(world.secretariat)
    for _ in range(2):
        reg = make.registration(world.event, world.prc)
        client.post(f"/api/v1/events/cluster/sessions/{visit.id}/bookings", json={"registration_id": reg.id},
                    headers=headers)
    kinds = [d.kind for d in db.session.query(WebhookDelivery).order_by(WebhookDelivery.id)]
    assert kinds == ["booking.confirmed", "booking.waitlisted"]  # registrations were not asked for
