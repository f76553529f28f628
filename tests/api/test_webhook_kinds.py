"""The other kinds of change: check-in recorded, session changed or cancelled, matching meeting
scheduled. Each is delivered to a local receiver that checks the signature as a real one would."""

from __future__ import annotations

import hashlib
import hmac
import json
import time

from eventhub.api.delivery import deliver_due_webhooks
from eventhub.api.models import WebhookDelivery
from eventhub.attendance import api_access
from eventhub.extensions import db
from tests.api.test_webhooks import _hook, receiver  # noqa: F401  (the local receiver fixture)


def received(r, hook) -> list[dict]:
    """What a receiver accepts: the signature over "<timestamp>." + body matches, the timestamp is
    recent, the kind header matches the body. Returns the payloads in the order they came."""
    payloads = []
    for headers, body in r.received:
        timestamp = headers["X-EventHub-Timestamp"]
        expected = "sha256=" + hmac.new(hook.secret.encode(), timestamp.encode() + b"." + body,
                                        hashlib.sha256).hexdigest()
        assert hmac.compare_digest(headers["X-EventHub-Signature"], expected)
        assert abs(int(timestamp) - time.time()) < 300
        payload = json.loads(body)
        assert payload["kind"] == headers["X-EventHub-Event"]
        assert headers["X-EventHub-Delivery"].isdigit()
        payloads.append(payload)
    return payloads


def _scan(client, world, reg, nonce):
    token = api_access.issue_api_token(db.session, world.checkin)
    db.session.commit()
    return client.post("/api/v1/events/cluster/checkins", headers={"Authorization": f"Bearer {token}"},
                       json={"registration_id": reg.id, "nonce": nonce, "day": "2030-06-27"})


def test_a_check_in_is_delivered_once_and_a_repeated_scan_sends_nothing_more(app, client, make, world, receiver):  # noqa: F811
    r = receiver()
    hook = _hook(app, world, r.url, kinds=("checkin.recorded",))
    reg = make.registration(world.event, world.prc)
    assert _scan(client, world, reg, "scan-0000-0001").status_code == 201
    assert _scan(client, world, reg, "scan-0000-0001").status_code == 200  # the app retried
    assert _scan(client, world, reg, "scan-0000-0002").status_code == 200  # another desk, same person, same day
    assert deliver_due_webhooks() == (1, 0)
    (payload,) = received(r, hook)
    assert payload["kind"] == "checkin.recorded" and payload["event_id"] == world.event.id
    data = payload["data"]
    assert data["registration_id"] == reg.id and data["day"] == "2030-06-27" and data["source"] == "api"
    assert data["checkin_id"] == db.session.execute(
        db.text("SELECT id FROM checkins WHERE registration_id = :r"), {"r": reg.id}).scalar()


def test_a_check_in_refused_or_rolled_back_is_not_delivered(app, client, make, world, receiver):  # noqa: F811
    _hook(app, world, receiver().url, kinds=("checkin.recorded",))
    submitted = make.registration(world.event, world.prc, status="submitted")  # not approved: refused
    assert _scan(client, world, submitted, "scan-0000-0003").status_code == 422
    assert db.session.query(WebhookDelivery).count() == 0


def test_a_session_edit_and_a_cancellation_are_delivered_seat_counts_are_not(app, client, make, world, receiver,  # noqa: F811
                                                                             login_as, token_for):
    r = receiver()
    hook = _hook(app, world, r.url, kinds=("session.changed", "session.cancelled"))
    visit = make.session(world.event, title="Site visit", kind="site_visit", bookable=True, capacity=5)
    reg = make.registration(world.event, world.prc)
    booked = client.post(f"/api/v1/events/cluster/sessions/{visit.id}/bookings", json={"registration_id": reg.id},
                         headers=token_for(world.secretariat))
    assert booked.status_code == 201
    assert db.session.query(WebhookDelivery).count() == 0  # a seat taken is not a change of the session
    from eventhub.db import utcnow

    visit.title, visit.changed_at = "Site visit to the Baiyun cluster", utcnow()
    db.session.commit()
    login_as(world.organizer)
    assert client.post(f"/events/cluster/agenda/sessions/{visit.id}/cancel").status_code == 302
    assert deliver_due_webhooks() == (2, 0)
    changed, cancelled = received(r, hook)
    assert changed["kind"] == "session.changed" and changed["data"]["changed"] == ["title"]
    assert changed["data"]["title"] == "Site visit to the Baiyun cluster"
    assert cancelled["kind"] == "session.cancelled" and cancelled["data"]["status"] == "cancelled"
    assert cancelled["data"]["session_id"] == visit.id and cancelled["data"]["starts_at"].endswith("+00:00")


def test_a_meeting_placed_in_a_slot_is_delivered_with_its_table_and_time(app, make, world, receiver):  # noqa: F811
    from eventhub.matching import participants, scheduling
    from eventhub.matching import requests as mr
    from tests.matching.conftest import add_participant

    r = receiver()
    hook = _hook(app, world, r.url, kinds=("matching.meeting_scheduled",))
    settings = participants.save_settings(db.session, world.event.id, enabled=True,
                                          categories=participants.DEFAULT_CATEGORIES, sectors=["Logistics"],
                                          open_request_limit=3, requests_close_at=None)
    db.session.commit()
    _u, ana, ana_profile = add_participant(make, world.event, settings, "ana", "THA", organisation="Bangkok Biotech")
    _u, seye, seye_profile = add_participant(make, world.event, settings, "seye", "PRC", organisation="Seye")
    session = make.session(world.event, kind="business_matching", start="14:00", end="15:00")
    scheduling.configure_session(db.session, session, meeting_minutes=20, break_minutes=0, table_names=["T1"])
    db.session.commit()
    sent = mr.send_request(db.session, settings, ana_profile, seye_profile.id, "Hello")
    meeting = mr.accept_request(db.session, sent.request.id, seye_profile)
    db.session.commit()
    assert meeting.slot_id is not None
    assert deliver_due_webhooks() == (1, 0)
    (payload,) = received(r, hook)
    assert payload["kind"] == "matching.meeting_scheduled"
    data = payload["data"]
    assert data["meeting_id"] == meeting.id and data["table"] == "T1" and data["session_id"] == session.id
    assert sorted(data["registration_ids"]) == sorted([ana.id, seye.id])


def test_the_integrations_page_offers_every_kind_and_redelivers_a_check_in(app, client, make, world, receiver,  # noqa: F811
                                                                           login_as):
    from eventhub.api.models import WebhookKind

    r = receiver()
    _hook(app, world, r.url, kinds=("checkin.recorded",))
    reg = make.registration(world.event, world.prc)
    _scan(client, world, reg, "scan-0000-0009")
    deliver_due_webhooks()
    login_as(world.organizer)
    html = client.get("/events/cluster/integrations").get_data(as_text=True)
    for kind in WebhookKind:
        assert f'value="{kind.value}"' in html and kind.label in html
    assert "Check-in recorded" in html and "HTTP 204" in html
    delivery = db.session.query(WebhookDelivery).one()
    assert client.post(f"/events/cluster/integrations/deliveries/{delivery.id}/redeliver").status_code == 302
    assert deliver_due_webhooks() == (1, 0)
    first, again = r.received
    assert first[1] == again[1]  # the same body, signed afresh
    assert first[0]["X-EventHub-Delivery"] == again[0]["X-EventHub-Delivery"]  # one delivery id: a receiver dedupes
