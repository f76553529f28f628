"""The phone desk's server side: desk tokens (one event, check-in only, revocable), the offline
roster (badge digests, never the key), the latest-scans poll, and offline scans synced late."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime

import pytest

from eventhub.attendance import desk_tokens
from eventhub.extensions import db
from tests.attendance.conftest import SECRET, badge_token, checkins


def _desk(workshop, user=None, name="Gate A"):
    _row, token = desk_tokens.issue_desk_token(db.session, workshop.event, user or workshop.checkin, name)
    db.session.commit()
    return token


def _headers(token):
    return {"Authorization": f"Bearer {token}"}


def _scan(client, token, badge, nonce, when, slug="cluster", **extra):
    body = {"token": badge, "nonce": nonce, "scanned_at": when, "day": "2030-06-27", **extra}
    return client.post(f"/api/events/{slug}/checkins", json=body, headers=_headers(token))


def test_roster_holds_badge_digests_and_never_the_key(client, make, workshop):
    chen = make.registration(workshop.event, workshop.prc, given_name="Wei", family_name="Chen", name_local="陈伟",
                             consent_photo=True)
    pending = make.registration(workshop.event, workshop.usa, status="submitted")
    token = _desk(workshop)
    answer = client.get("/api/events/cluster/desk/roster?scope=day-2030-06-27", headers=_headers(token))
    assert answer.status_code == 200
    body = answer.get_json()
    people = {p["id"]: p for p in body["people"]}
    assert people[chen.id]["digest"] == hashlib.sha256(badge_token(chen).encode()).hexdigest()
    assert people[chen.id]["name_local"] == "陈伟" and people[chen.id]["photo_consent"] is True
    assert people[chen.id]["problems"] == [] and people[chen.id]["checked_in"] is False
    assert people[pending.id]["problems"][0]["code"] == "submitted"
    assert "Nothing was recorded" in people[pending.id]["refusal"]
    text = answer.get_data(as_text=True)
    assert SECRET not in text and badge_token(chen) not in text  # a lost phone cannot make badges
    assert body["can_override"] is False  # a check-in staff member's desk


def test_roster_is_a_fixed_number_of_queries(client, make, workshop, query_counter):
    token = _desk(workshop)
    counts, made = [], 0
    jpn = make.delegation(workshop.event, "JPN", quota=40)
    for n in (3, 30):
        for _ in range(n - made):
            make.registration(workshop.event, jpn)
        made = n
        db.session.commit()
        with query_counter() as q:
            assert client.get("/api/events/cluster/desk/roster", headers=_headers(token)).status_code == 200
        counts.append(q.count)
    assert counts[0] == counts[1]


def test_two_offline_desks_record_one_check_in_at_the_earliest_time(client, make, workshop):
    reg = make.registration(workshop.event, workshop.prc)
    gate_a, gate_b = _desk(workshop, name="Gate A"), _desk(workshop, name="Gate B")
    # Gate B syncs first with the later scan, Gate A comes back online later with the earlier one.
    assert _scan(client, gate_b, badge_token(reg), "desk-b-0001", "2026-06-27T09:05:00+08:00").status_code == 201
    late = _scan(client, gate_a, badge_token(reg), "desk-a-0001", "2026-06-27T09:01:00+08:00")
    assert late.status_code == 200 and late.get_json()["result"] == "already_recorded"
    rows = checkins()
    assert len(rows) == 1
    assert rows[0].scanned_at == datetime(2026, 6, 27, 1, 1, tzinfo=UTC) and rows[0].desk == "Gate B"
    # Gate A's sync was cut half way and sends again: still one row, still the earliest time.
    assert _scan(client, gate_a, badge_token(reg), "desk-a-0001", "2026-06-27T09:01:00+08:00").status_code == 200
    assert _scan(client, gate_b, badge_token(reg), "desk-b-0001", "2026-06-27T09:05:00+08:00").status_code == 200
    assert len(checkins()) == 1 and checkins()[0].scanned_at == datetime(2026, 6, 27, 1, 1, tzinfo=UTC)


def test_the_desk_token_is_for_its_event_and_check_in_only(client, make, workshop):
    other = make.event(slug="other", title="Other", start=date(2030, 6, 27), days=1)
    make.role(other, workshop.checkin, "checkin")
    reg = make.registration(workshop.event, workshop.prc)
    token = _desk(workshop)
    answer = _scan(client, token, badge_token(reg), "desk-x-0001", "2026-06-27T09:01:00+08:00", slug="other")
    assert answer.status_code == 403 and answer.get_json()["message"] == "This desk is set up for another event."
    assert client.get("/api/events/other/desk/roster", headers=_headers(token)).status_code == 403
    # Not a user's API token: it opens nothing else, and a desk of check-in staff cannot override.
    pending = make.registration(workshop.event, workshop.usa, status="submitted")
    forced = _scan(client, token, badge_token(pending), "desk-x-0002", "2026-06-27T09:01:00+08:00",
                   override=True, override_reason="phoned the head of delegation")
    assert forced.status_code == 403 and checkins() == []


def test_plain_desk_scans_refuse_unapproved_and_the_secretariats_desk_may_override(client, make, workshop):
    pending = make.registration(workshop.event, workshop.usa, status="submitted")
    token = _desk(workshop, user=workshop.secretariat)
    refused = _scan(client, token, badge_token(pending), "desk-s-0001", "2026-06-27T09:01:00+08:00")
    assert refused.status_code == 422 and refused.get_json()["needs_override"] is True and checkins() == []
    done = _scan(client, token, badge_token(pending), "desk-s-0002", "2026-06-27T09:02:00+08:00",
                 override=True, override_reason="approved by phone")
    assert done.status_code == 201 and checkins()[0].overridden and checkins()[0].override_reason == "approved by phone"


def test_a_revoked_desk_stops_with_a_clear_message(client, make, login_as, workshop):
    reg = make.registration(workshop.event, workshop.prc)
    token = _desk(workshop, name="Bus 3")
    login_as(workshop.organizer)
    page = client.get("/events/cluster/manage/staff").get_data(as_text=True)
    assert "Check-in desks" in page and "Bus 3" in page
    row = desk_tokens.desk_tokens(db.session, workshop.event)[0]
    assert client.post(f"/events/cluster/manage/desks/{row.id}/revoke").status_code == 302
    assert "Revoked" in client.get("/events/cluster/manage/staff").get_data(as_text=True)
    answer = _scan(client, token, badge_token(reg), "desk-r-0001", "2026-06-27T09:01:00+08:00")
    assert answer.status_code == 401 and answer.get_json()["error"] == "revoked"
    assert "revoked" in answer.get_json()["message"]
    assert client.get("/api/events/cluster/desk/recent", headers=_headers(token)).status_code == 401
    assert checkins() == []


def test_only_the_organizer_revokes_a_desk(client, login_as, workshop):
    _desk(workshop)
    row = desk_tokens.desk_tokens(db.session, workshop.event)[0]
    login_as(workshop.checkin)
    assert client.post(f"/events/cluster/manage/desks/{row.id}/revoke").status_code == 403
    assert desk_tokens.desk_tokens(db.session, workshop.event)[0].active


def test_setting_up_a_desk_needs_check_in_rights(client, login_as, workshop):
    assert client.post("/events/cluster/desk/token", data={"desk": "Gate A"}).status_code == 401
    login_as(workshop.outsider)
    assert client.get("/events/cluster/desk/").status_code == 403
    assert client.post("/events/cluster/desk/token", data={"desk": "Gate A"}).status_code == 403
    login_as(workshop.checkin)
    answer = client.post("/events/cluster/desk/token", data={"desk": "Gate A"})
    assert answer.status_code == 200 and answer.get_json()["token"].startswith("ehd_")
    assert answer.headers["Cache-Control"] == "no-store"


def test_recent_scans_for_every_desk_of_the_scope(client, make, workshop):
    reg = make.registration(workshop.event, workshop.prc, given_name="Wei", family_name="Chen")
    gate_a, gate_b = _desk(workshop, name="Gate A"), _desk(workshop, name="Gate B")
    _scan(client, gate_a, badge_token(reg), "desk-a-0009", "2026-06-27T09:01:00+08:00")
    body = client.get("/api/events/cluster/desk/recent?scope=day-2030-06-27", headers=_headers(gate_b)).get_json()
    assert body["count"] == 1 and body["recent"][0]["name"] == "Wei CHEN" and body["recent"][0]["time"] == "09:01"
    assert body["recent"][0]["desk"] == "Gate A"


def test_desk_page_service_worker_and_manifest(client, login_as, workshop):
    login_as(workshop.checkin)
    page = client.get("/events/cluster/desk/")
    assert page.status_code == 200 and 'rel="manifest"' in page.get_data(as_text=True)
    worker = client.get("/events/cluster/desk/sw.js")
    assert worker.mimetype == "application/javascript"
    assert "/static/vendor/jsqr/jsQR.js" in worker.get_data(as_text=True)
    assert client.get("/events/cluster/desk/manifest.webmanifest").get_json()["scope"] == "/events/cluster/desk/"


@pytest.mark.parametrize("lang", ["zh_Hans"])
def test_the_desk_page_in_chinese(client, login_as, workshop, lang):
    login_as(workshop.checkin)
    page = client.get("/events/cluster/desk/", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert "设置本签到台" in page and "Set up this desk" not in page
    messages = json.loads(page.split('id="desk-messages">', 1)[1].split("</script>", 1)[0])
    assert messages["offline_waiting"]["other"] == "离线——{n} 条扫码记录待发送"


def test_a_bus_scan_without_a_booking_asks_to_let_them_in(client, make, workshop):
    from eventhub.signups.models import Vehicle

    visit = make.session(workshop.event, title="Site visit", kind="site_visit", start="14:00", end="17:00",
                         bookable=True, capacity=40)
    bus = Vehicle(session_id=visit.id, name="Bus 1", seats=20)
    db.session.add(bus)
    reg = make.registration(workshop.event, workshop.prc)
    db.session.commit()
    token = _desk(workshop, user=workshop.secretariat)
    body = {"token": badge_token(reg), "nonce": "bus-scan-0001", "session_id": visit.id, "vehicle_id": bus.id}
    refused = client.post("/api/events/cluster/checkins", json=body, headers=_headers(token))
    assert refused.status_code == 422 and refused.get_json()["reason"] == "not_booked"
    assert refused.get_json()["needs_override"] is True and checkins() == []
    roster = client.get(f"/api/events/cluster/desk/roster?scope=session-{visit.id}-vehicle-{bus.id}",
                        headers=_headers(token)).get_json()
    assert [p["problems"][0]["code"] for p in roster["people"] if p["id"] == reg.id] == ["not_booked"]
    let_in = client.post("/api/events/cluster/checkins", headers=_headers(token), json={
        **body, "nonce": "bus-scan-0002", "override": True, "override_reason": "Let in at the door without a booking"})
    assert let_in.status_code == 201 and checkins()[0].overridden and checkins()[0].vehicle_id == bus.id
