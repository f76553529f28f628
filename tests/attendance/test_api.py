"""The scanner-app API: per-user tokens, nonces, offline scan times, refusals."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from eventhub.api import webhooks
from eventhub.attendance import api_access, checkin, people
from eventhub.attendance.tokens import sign_badge
from eventhub.db import utcnow
from eventhub.extensions import db
from tests.attendance.conftest import SECRET, badge_token, checkins


@pytest.fixture
def api(client, workshop):
    token = api_access.issue_api_token(db.session, workshop.checkin)
    db.session.commit()

    def post(body, *, token=token, slug=workshop.event.slug):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return client.post(f"/api/events/{slug}/checkins", json=body, headers=headers)

    post.token = token
    return post


def test_new_then_already_recorded_with_the_person(api, make, workshop):
    reg = make.registration(workshop.event, workshop.prc, given_name="Wei", family_name="Chen", name_local="陈伟")
    first = api({"token": badge_token(reg), "nonce": "scan-0001", "day": "2030-06-27", "desk": "Gate A"})
    assert first.status_code == 201
    body = first.get_json()
    assert body["result"] == "new"
    assert body["person"] == {"registration_id": reg.id, "name": "Wei CHEN", "name_local": "陈伟",
                              "economy": "People's Republic of China", "economy_code": "PRC",
                              "category": "delegate", "category_label": "Delegate", "status": "approved",
                              "status_label": "Approved", "organisation": ""}
    assert body["checkin"]["day"] == "2030-06-27" and body["checkin"]["desk"] == "Gate A"
    # Another scan of the same badge (new nonce): already recorded, with the first time.
    second = api({"token": badge_token(reg), "nonce": "scan-0002", "day": "2030-06-27"})
    assert second.status_code == 200
    assert second.get_json()["result"] == "already_recorded"
    assert second.get_json()["checkin"]["id"] == body["checkin"]["id"]
    assert len(checkins()) == 1


def test_a_scan_reads_once_then_writes_once_and_warns_about_bookings(api, make, workshop, query_counter):
    from eventhub.signups.models import Booking, BookingStatus, Vehicle

    visit = make.session(workshop.event, title="Site visit", kind="site_visit", start="14:00", end="17:00",
                         bookable=True, capacity=40)
    bus1, bus2 = Vehicle(session_id=visit.id, name="Bus 1", seats=20), Vehicle(session_id=visit.id, name="Bus 2", seats=20)
    db.session.add_all([bus1, bus2])
    db.session.flush()
    booked = make.registration(workshop.event, workshop.prc, given_name="Wei", family_name="Chen")
    waiting = make.registration(workshop.event, workshop.usa)
    unbooked = make.registration(workshop.event, workshop.usa)
    db.session.add(Booking(session_id=visit.id, registration_id=booked.id, economy_id=booked.economy_id,
                           status=BookingStatus.CONFIRMED, vehicle_id=bus1.id))
    db.session.add(Booking(session_id=visit.id, registration_id=waiting.id, economy_id=waiting.economy_id,
                           status=BookingStatus.WAITLISTED, waitlisted_at=utcnow()))
    db.session.commit()
    scans = [({"token": badge_token(reg), "session_id": visit.id, "nonce": f"count-000{i}"}, reg)
             for i, reg in enumerate((booked, waiting, unbooked))]
    db.session.rollback()
    # A worker keeps which webhooks an event has (eventhub/api/webhooks.py); this one has seen a scan.
    webhooks.wants(db.session, workshop.event.id, webhooks.K.CHECKIN_RECORDED)
    db.session.rollback()

    answers, counts = [], []
    for body, _ in scans:
        with query_counter() as q:
            answers.append(api(body).get_json())
        counts.append(q)
    # One statement reads the caller with their roles, the event, the session, the badge's holder
    # with their economy and their booking; then the INSERT. The answer is built from what was read.
    # The waitlisted and the unbooked are refused after that read and a look at the nonce (a retry of
    # a scan recorded before would be answered as it was): nothing is written.
    assert [q.count for q in counts] == [2, 2, 2], [q.statements for q in counts]
    assert counts[0].statements[-1].lstrip().upper().startswith("INSERT"), counts[0].statements
    for q in counts[1:]:
        assert not any(s.lstrip().upper().startswith("INSERT") for s in q.statements), q.statements
    assert [a["result"] for a in answers] == ["new", "refused", "refused"]
    assert answers[0]["person"]["economy"] == "People's Republic of China" and answers[0]["warnings"] == []
    assert answers[1]["reason"] == "waitlisted_for_session" and "only on the waitlist" in answers[1]["message"]
    assert answers[2]["reason"] == "not_booked" and "not booked for this session" in answers[2]["message"]
    assert [c.registration_id for c in checkins()] == [booked.id]
    # Boarding the other bus: refused, and told which one the person is on.
    rider = make.registration(workshop.event, workshop.prc)
    db.session.add(Booking(session_id=visit.id, registration_id=rider.id, economy_id=rider.economy_id,
                           status=BookingStatus.CONFIRMED, vehicle_id=bus1.id))
    db.session.commit()
    other_bus = api({"token": badge_token(rider), "session_id": visit.id, "vehicle_id": bus2.id,
                     "nonce": "count-0009"})
    assert other_bus.status_code == 422 and other_bus.get_json()["reason"] == "other_vehicle"
    assert "assigned to Bus 1, not Bus 2" in other_bus.get_json()["message"]


@pytest.mark.parametrize("status", ["submitted", "waitlisted", "cancelled", "declined"])
def test_the_api_records_only_approved_registrations(api, make, workshop, status):
    reg = make.registration(workshop.event, workshop.prc, status=status)
    answer = api({"token": badge_token(reg), "nonce": f"status-{status}", "day": "2030-06-27"})
    assert answer.status_code == 422
    body = answer.get_json()
    assert body["result"] == "refused" and body["reason"] == status and body["needs_override"]
    assert f"registration {status}" in body["message"] and body["checkin"] is None
    # By registration id too; and check-in staff may not override.
    assert api({"registration_id": reg.id, "nonce": f"by-id-{status}", "day": "2030-06-27"}).status_code == 422
    forbidden = api({"token": badge_token(reg), "nonce": f"force-{status}", "day": "2030-06-27", "override": True,
                     "override_reason": "trust me"})
    assert forbidden.status_code == 403 and "Only the secretariat" in forbidden.get_json()["message"]
    assert checkins() == []


def test_retried_request_with_the_same_nonce_records_once(api, make, workshop):
    reg = make.registration(workshop.event, workshop.prc)
    body = {"token": badge_token(reg), "nonce": "retry-abcdef", "day": "2030-06-27"}
    answers = [api(body) for _ in range(3)]
    assert [a.status_code for a in answers] == [201, 200, 200]
    assert len({a.get_json()["checkin"]["id"] for a in answers}) == 1
    assert len(checkins()) == 1
    # Even after an undo, the retried scan does not come back to life.
    checkin.undo_check_in(db.session, workshop.event, answers[0].get_json()["checkin"]["id"], by=None)
    db.session.commit()
    replay = api(body).get_json()
    assert replay["result"] == "already_recorded" and replay["checkin"]["undone"]
    assert "later undone" in replay["message"]
    assert len(checkins()) == 1


def test_retry_after_the_registration_was_cancelled_answers_as_the_first_time(api, make, workshop):
    from eventhub.registration import services as registration

    reg = make.registration(workshop.event, workshop.prc)
    body = {"token": badge_token(reg), "nonce": "late-retry-01", "day": "2030-06-27"}
    assert api(body).status_code == 201
    registration.cancel(db.session, reg, actor=None)
    db.session.commit()
    retry = api(body)
    assert retry.status_code == 200 and retry.get_json()["result"] == "already_recorded"
    # A new scan of the cancelled badge is refused.
    fresh = api({**body, "nonce": "late-scan-002"})
    assert fresh.status_code == 422 and fresh.get_json()["reason"] == "cancelled"
    assert len(checkins()) == 1


def test_nonce_of_someone_else_is_refused(api, make, workshop):
    a = make.registration(workshop.event, workshop.prc)
    b = make.registration(workshop.event, workshop.prc)
    assert api({"token": badge_token(a), "nonce": "shared-nonce", "day": "2030-06-27"}).status_code == 201
    answer = api({"token": badge_token(b), "nonce": "shared-nonce", "day": "2030-06-27"})
    assert answer.status_code == 422 and answer.get_json()["reason"] == "nonce_reused"
    assert len(checkins()) == 1


def test_offline_scan_keeps_its_own_time_and_day(api, make, workshop):
    past = make.event(slug="last-year", start=date(2025, 6, 27), days=2, timezone="Asia/Shanghai")
    make.role(past, workshop.checkin, "checkin")
    reg = make.registration(past, economy="PRC")
    # Scanned offline at 08:55 in Guangzhou on the second day, sent much later.
    answer = api({"token": badge_token(reg), "nonce": "offline-0001", "scanned_at": "2025-06-28T08:55:00+08:00"},
                 slug=past.slug)
    assert answer.status_code == 201
    assert answer.get_json()["checkin"]["local_time"] == "08:55"
    [c] = checkins()
    assert c.day.isoformat() == "2025-06-28"
    assert c.scanned_at == datetime(2025, 6, 28, 0, 55, tzinfo=UTC)
    assert c.recorded_at > c.scanned_at
    assert c.source.value == "api" and c.recorded_by_id == workshop.checkin.id


def test_session_scan_by_registration_id(api, make, workshop):
    roundtable = make.session(workshop.event, title="Roundtable: new energy", kind="roundtable", start="10:30",
                              end="12:00")
    reg = make.registration(workshop.event, workshop.usa)
    answer = api({"registration_id": reg.id, "session_id": roundtable.id, "nonce": "rt-000001"})
    assert answer.status_code == 201
    [c] = checkins()
    assert c.session_id == roundtable.id and c.day == workshop.event.start_date


@pytest.mark.parametrize("body, words", [
    ({"day": "2030-06-27"}, "nonce"),
    ({"nonce": "short", "day": "2030-06-27", "registration_id": 1}, "8 to 64"),
    ({"nonce": "no-person-1", "day": "2030-06-27"}, "token or a registration_id"),
    ({"nonce": "bad-time-01", "scanned_at": "yesterday", "registration_id": 1}, "ISO 8601"),
    ({"nonce": "naive-time1", "scanned_at": "2030-06-27T09:00:00", "registration_id": 1}, "UTC offset"),
    ({"nonce": "future-0001", "scanned_at": "2999-01-01T09:00:00+00:00", "day": "2030-06-27",
      "registration_id": 1}, "future"),
    ({"nonce": "bad-day-001", "day": "2030-07-30", "registration_id": 1}, "not a day of this event"),
    ({"nonce": "bad-sess-01", "session_id": "x", "registration_id": 1}, "number"),
    # Times that exist with their offset but not in UTC (year 0 and year 10000): once an OverflowError 500.
    ({"nonce": "min-time-01", "scanned_at": "0001-01-01T00:00:00+14:00", "registration_id": 1}, "out of range"),
    ({"nonce": "max-time-01", "scanned_at": "9999-12-31T23:59:59-14:00", "registration_id": 1}, "out of range"),
    ({"nonce": "min-time-02", "scanned_at": "0001-01-01T00:00:00+14:00", "day": "2030-06-27",
      "registration_id": 1}, "out of range"),
    # Ids beyond what the database holds: once a PostgreSQL "integer out of range" 500.
    ({"nonce": "big-sess-01", "session_id": 2**63, "registration_id": 1}, "number"),
    ({"nonce": "big-vehi-01", "session_id": "1", "vehicle_id": "99999999999999999999", "registration_id": 1},
     "number"),
])
def test_bad_requests_say_what_is_wrong(api, make, workshop, body, words):
    reg = make.registration(workshop.event, workshop.prc)
    if "registration_id" in body:  # a real person, so that only the named fault is wrong
        body = {**body, "registration_id": reg.id}
    answer = api(body)
    assert answer.status_code == 400
    assert words in answer.get_json()["message"]
    assert checkins() == []


def test_a_registration_id_beyond_any_id_is_unknown(api, workshop):
    answer = api({"nonce": "big-regi-01", "day": "2030-06-27", "registration_id": 2**40})
    assert answer.status_code == 400 and "registration_id must be" in answer.get_json()["message"]
    assert checkins() == []


def test_refusals_are_422_with_a_reason_and_record_nothing(api, make, workshop):
    cancelled = make.registration(workshop.event, workshop.prc, status="cancelled")
    other = make.registration(make.event(slug="elsewhere"), economy="JPN")
    replaced = make.registration(workshop.event, workshop.prc)
    people.reissue_badge(db.session, replaced, by=None)
    db.session.commit()
    cases = [
        ({"token": "EH1.1.1.0.AAAAAAAAAAAAAAAAAAAAAAAAAA"}, "invalid_badge"),
        ({"token": badge_token(other)}, "other_event"),
        ({"token": badge_token(cancelled)}, "cancelled"),
        ({"registration_id": 999999}, "unknown_registration"),
        ({"token": sign_badge(SECRET, workshop.event.id, 999999)}, "unknown_badge"),
        ({"token": badge_token(replaced, version=0)}, "replaced_badge"),
    ]
    for i, (body, reason) in enumerate(cases):
        answer = api({**body, "nonce": f"refused-{i:04d}", "day": "2030-06-27"})
        assert answer.status_code == 422, reason
        assert answer.get_json()["result"] == "refused" and answer.get_json()["reason"] == reason
    assert api({"token": badge_token(cancelled), "nonce": "override-01", "day": "2030-06-27",
                "override": True}).status_code == 403
    assert checkins() == []


def test_authentication_and_permission(client, api, make, workshop):
    reg = make.registration(workshop.event, workshop.prc)
    body = {"token": badge_token(reg), "nonce": "auth-00001", "day": "2030-06-27"}
    assert api(body, token=None).status_code == 401
    assert api(body, token="ehk_not-a-real-token").status_code == 401
    outsider_token = api_access.issue_api_token(db.session, workshop.outsider)
    db.session.commit()
    assert api(body, token=outsider_token).status_code == 403
    # A session cookie is not enough: the API needs the token.
    client.post("/login", data={"email": workshop.checkin.email, "password": "correct horse battery staple"})
    assert client.post(f"/api/events/{workshop.event.slug}/checkins", json=body).status_code == 401
    # Rotating the token stops the old one.
    new_token = api_access.issue_api_token(db.session, workshop.checkin)
    db.session.commit()
    assert api(body).status_code == 401
    assert api(body, token=new_token).status_code == 201
    assert api(body, slug="no-such-event", token=new_token).status_code == 404
    assert len(checkins()) == 1


def test_secretariat_token_may_override(client, make, workshop):
    token = api_access.issue_api_token(db.session, workshop.secretariat)
    db.session.commit()
    reg = make.registration(workshop.event, workshop.prc, status="declined")
    answer = client.post(f"/api/events/{workshop.event.slug}/checkins", headers={"Authorization": f"Bearer {token}"},
                         json={"token": badge_token(reg), "nonce": "override-02", "day": "2030-06-27",
                               "override": True})
    assert answer.status_code == 400 and "Give the reason for the override" in answer.get_json()["message"]
    for reason in (12, ["list"]):
        wrong = client.post(f"/api/events/{workshop.event.slug}/checkins", headers={"Authorization": f"Bearer {token}"},
                            json={"token": badge_token(reg), "nonce": "override-03", "day": "2030-06-27",
                                  "override": True, "override_reason": reason})
        assert wrong.status_code == 400
    assert checkins() == []
    answer = client.post(f"/api/events/{workshop.event.slug}/checkins", headers={"Authorization": f"Bearer {token}"},
                         json={"token": badge_token(reg), "nonce": "override-02", "day": "2030-06-27",
                               "override": True, "override_reason": "Declined by mistake"})
    assert answer.status_code == 201
    assert answer.get_json()["checkin"]["override_reason"] == "Declined by mistake"
    [c] = checkins()
    assert c.overridden and c.override_reason == "Declined by mistake" and c.recorded_by_id == workshop.secretariat.id


@pytest.fixture
def csrf_on(app_config):
    app_config["WTF_CSRF_ENABLED"] = True  # edits the test's own config before the app is made


def test_api_needs_no_csrf_token(csrf_on, app, api, make, workshop):
    assert app.config["WTF_CSRF_ENABLED"]
    reg = make.registration(workshop.event, workshop.prc)
    assert api({"token": badge_token(reg), "nonce": "csrf-00001", "day": "2030-06-27"}).status_code == 201


def test_token_page_shows_the_token_once(client, workshop, login_as):
    login_as(workshop.checkin)
    page = client.get("/my/api-token").get_data(as_text=True)
    assert "You have no token yet." in page
    shown = client.post("/my/api-token", data={"action": "generate"})
    assert shown.headers["Cache-Control"] == "no-store"
    html = shown.get_data(as_text=True)
    token = html.split('id="api-token">')[1].split("<")[0]
    assert token.startswith("ehk_") and len(token) > 40
    db.session.expire_all()
    assert api_access.user_for_api_token(db.session, token).id == workshop.checkin.id
    assert workshop.checkin.api_token_hash != token  # only a fingerprint is stored
    again = client.get("/my/api-token").get_data(as_text=True)
    assert token not in again and "You have a token." in again
    client.post("/my/api-token", data={"action": "revoke"})
    assert api_access.user_for_api_token(db.session, token) is None
    assert client.post("/logout") and client.get("/my/api-token").status_code == 302


def test_a_caller_with_two_roles_has_both(api, make, workshop):
    make.role(workshop.event, workshop.checkin, "secretariat")  # check-in staff and secretariat
    cancelled = make.registration(workshop.event, workshop.prc, status="cancelled")
    answer = api({"token": badge_token(cancelled), "nonce": "two-roles-1", "day": "2030-06-27", "override": True,
                  "override_reason": "Came after all"})
    assert answer.status_code == 201 and answer.get_json()["checkin"]["overridden"] is True


def test_already_on_a_bus_names_the_bus_from_what_was_read(api, make, workshop, query_counter):
    from eventhub.signups.models import Vehicle

    visit = make.session(workshop.event, title="Site visit", kind="site_visit", start="14:00", end="17:00")
    bus1, bus2 = Vehicle(session_id=visit.id, name="Bus 1", seats=20), Vehicle(session_id=visit.id, name="Bus 2", seats=20)
    db.session.add_all([bus1, bus2])
    reg = make.registration(workshop.event, workshop.prc)
    first = {"token": badge_token(reg), "session_id": visit.id, "vehicle_id": bus2.id, "nonce": "bus-000001"}
    again = {**first, "vehicle_id": bus1.id, "nonce": "bus-000002"}
    assert api(first).status_code == 201
    db.session.rollback()
    db.session.expunge_all()  # the client's requests share this session: start as a server's request does
    with query_counter() as q:
        answer = api(again).get_json()
    assert answer["result"] == "already_recorded" and "(Bus 2)" in answer["message"]
    # The read, the vehicle, the INSERT that writes nothing, the nonce, the first check-in with its bus.
    assert q.count == 5, q.statements
