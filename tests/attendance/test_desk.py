"""The check-in desk page: scan, search, person buttons, undo, refusals, override."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from eventhub.attendance.models import CheckIn
from eventhub.extensions import db
from tests.attendance.conftest import badge_token, checkins


def _page(response) -> str:
    """A desk page's HTML without the script's messages (a JSON block of every message it may show)."""
    return re.sub(r'<script type="application/json" id="desk-messages">.*?</script>', "",
                  response.get_data(as_text=True), flags=re.S)


def _scan(client, event, code, scope="day-2030-06-27", json=False):
    headers = {"Accept": "application/json"} if json else {}
    return client.post(f"/events/{event.slug}/checkin/scan", data={"code": code, "scope": scope, "nonce": ""},
                       headers=headers, follow_redirects=not json)


def test_scanning_a_badge_checks_in_once_and_says_when(client, make, workshop, login_as):
    reg = make.registration(workshop.event, workshop.prc, given_name="Wei", family_name="Chen", name_local="陈伟")
    login_as(workshop.checkin)
    page = _scan(client, workshop.event, badge_token(reg)).get_data(as_text=True)
    assert "Checked in: Wei CHEN" in page
    assert "陈伟" in page
    first = checkins(registration_id=reg.id)[0]
    local = first.scanned_at.astimezone(workshop.event.tz)
    # The time with its date, in the event's zone, named.
    when = f"{local:%H:%M} on {local.strftime('%a %-d %b %Y')} (Asia/Shanghai)"
    assert f"Checked in: Wei CHEN — Day: Thu 27 Jun 2030, at {when}." in page
    assert f"Checked in at {local:%H:%M} on {local.strftime('%a %-d %b %Y')}</strong>" in page  # the card

    again = _scan(client, workshop.event, badge_token(reg)).get_data(as_text=True)
    assert f"already checked in at {when}" in again
    assert len(checkins(registration_id=reg.id)) == 1


def test_json_answers_for_the_desk_script(client, make, workshop, login_as):
    reg = make.registration(workshop.event, workshop.tha, given_name="Somchai", family_name="Jaidee",
                            name_local="สมชาย ใจดี")
    login_as(workshop.checkin)
    answer = _scan(client, workshop.event, badge_token(reg), json=True).get_json()
    assert answer["result"] == "new"
    assert answer["person"]["name"] == "Somchai JAIDEE"
    assert answer["person"]["economy"] == "Thailand"
    assert answer["undo_url"].endswith(f"/checkin/{answer['checkin']['id']}/undo")
    again = _scan(client, workshop.event, badge_token(reg), json=True).get_json()
    assert again["result"] == "already_recorded"
    assert f"already checked in at {answer['checkin']['local_when']}" in again["message"]
    assert answer["checkin"]["local_when"].endswith(" (Asia/Shanghai)")


def test_forged_unknown_and_other_event_badges_are_refused_and_record_nothing(client, make, workshop, login_as):
    reg = make.registration(workshop.event, workshop.prc)
    other_event = make.event(slug="other")
    other = make.registration(other_event, economy="JPN")
    login_as(workshop.checkin)
    token = badge_token(reg)
    forged = token.rsplit(".", 1)[0].replace(f".{reg.id}.", f".{reg.id + 1}.") + "." + token.rsplit(".", 1)[1]
    cases = {
        forged: "damaged or forged",
        "EH1.1.2.0.AAAAAAAAAAAAAAAAAAAAAAAAAA": "damaged or forged",
        "https://example.com/ticket/123": "damaged or forged",
        badge_token(other): "another event",
    }
    for code, words in cases.items():
        answer = _scan(client, workshop.event, code, json=True).get_json()
        assert answer["result"] == "refused", code
        assert words in answer["message"]
        page = _scan(client, workshop.event, code).get_data(as_text=True)
        assert words in page
    assert checkins() == []


def test_a_name_typed_into_the_scan_field_searches(client, make, workshop, login_as):
    make.registration(workshop.event, workshop.usa, given_name="Mary", family_name="Johnson")
    login_as(workshop.checkin)
    page = _scan(client, workshop.event, "johnson").get_data(as_text=True)
    assert "Mary <span class=\"family\">JOHNSON</span>" in page
    assert "Not checked in for this." in page


def test_search_by_local_script_and_check_in_with_the_button(client, make, workshop, login_as):
    reg = make.registration(workshop.event, workshop.prc, given_name="Wei", family_name="Chen", name_local="陈伟")
    make.registration(workshop.event, workshop.prc, given_name="Li", family_name="Na")
    login_as(workshop.checkin)
    page = client.get(f"/events/{workshop.event.slug}/checkin?q=陈&scope=day-2030-06-28").get_data(as_text=True)
    assert "1 match for" in page and "CHEN" in page
    assert ">NA</span>" not in page
    response = client.post(f"/events/{workshop.event.slug}/checkin/person",
                           data={"registration_id": reg.id, "scope": "day-2030-06-28", "nonce": "nonce-0001"},
                           follow_redirects=True)
    assert "Checked in: Wei CHEN — Day: Fri 28 Jun 2030" in response.get_data(as_text=True)
    [c] = checkins(registration_id=reg.id)
    assert c.day.isoformat() == "2030-06-28" and c.session_id is None
    # The same form sent twice (double click, reload) records once.
    client.post(f"/events/{workshop.event.slug}/checkin/person",
                data={"registration_id": reg.id, "scope": "day-2030-06-28", "nonce": "nonce-0001"})
    assert len(checkins(registration_id=reg.id)) == 1


def test_undo_then_check_in_again(client, make, workshop, login_as):
    reg = make.registration(workshop.event, workshop.prc)
    login_as(workshop.checkin)
    answer = _scan(client, workshop.event, badge_token(reg), json=True).get_json()
    page = client.post(answer["undo_url"], data={"scope": "day-2030-06-27"}, follow_redirects=True)
    assert "Undone" in page.get_data(as_text=True)
    [undone] = checkins(registration_id=reg.id)
    assert undone.undone_at is not None and undone.undone_by_id == workshop.checkin.id
    again = _scan(client, workshop.event, badge_token(reg), json=True).get_json()
    assert again["result"] == "new"
    assert len(checkins(registration_id=reg.id)) == 2
    # Undoing an undone check-in says so.
    second = client.post(answer["undo_url"], headers={"Accept": "application/json"})
    assert second.status_code == 409 and "already undone" in second.get_json()["message"]


def test_cancelled_registration_is_refused_unless_the_secretariat_overrides(client, make, workshop, login_as):
    reg = make.registration(workshop.event, workshop.tha, status="cancelled", given_name="Ann", family_name="Lee")
    login_as(workshop.checkin)
    answer = _scan(client, workshop.event, badge_token(reg), json=True).get_json()
    assert answer["result"] == "refused" and answer["reason"] == "cancelled"
    assert answer["needs_override"] and not answer["can_override"]
    page = _page(_scan(client, workshop.event, badge_token(reg)))
    assert "Check-in refused: Ann LEE — registration cancelled." in page
    assert "Check in anyway" not in page and "Only the secretariat can record an override." in page
    # Check-in staff may not override…
    forbidden = client.post(f"/events/{workshop.event.slug}/checkin/person",
                            data={"registration_id": reg.id, "scope": "day-2030-06-27", "override": "y",
                                  "override_reason": "I know her"})
    assert forbidden.status_code == 403
    assert checkins() == []
    # …the secretariat may, with a reason.
    login_as(workshop.secretariat)
    page = _scan(client, workshop.event, badge_token(reg)).get_data(as_text=True)
    assert "Check in anyway (override)" in page and "Reason for the override" in page
    done = client.post(f"/events/{workshop.event.slug}/checkin/person",
                       data={"registration_id": reg.id, "scope": "day-2030-06-27", "override": "y",
                             "override_reason": "Cancelled by mistake, confirmed by the focal point"},
                       follow_redirects=True)
    assert "Checked in by override: Ann LEE" in done.get_data(as_text=True)
    [c] = checkins(registration_id=reg.id)
    assert c.overridden and c.override_reason == "Cancelled by mistake, confirmed by the focal point"
    assert c.recorded_by_id == workshop.secretariat.id


@pytest.mark.parametrize("status", ["waitlisted", "submitted"])
def test_a_plain_check_in_records_only_approved_registrations(client, make, workshop, login_as, status):
    reg = make.registration(workshop.event, workshop.tha, status=status, given_name="Malee", family_name="Suk")
    login_as(workshop.checkin)
    # A scan: refused, in the red box, saying the status; nothing recorded.
    answer = _scan(client, workshop.event, badge_token(reg), json=True)
    body = answer.get_json()
    assert answer.status_code == 200 and body["result"] == "refused" and body["reason"] == status
    assert f"registration {status}, not approved" in body["message"] and body["warnings"] == []
    assert body["needs_override"] and not body["can_override"]
    # Search and the person button: the card shows the refusal, no check-in button; a post is refused.
    page = _page(client.get(f"/events/{workshop.event.slug}/checkin?q=Malee&scope=day-2030-06-27"))
    assert f"Check-in refused: registration {status}, not approved." in page
    assert "Check in<span" not in page and "Check in anyway" not in page
    refused = _page(client.post(f"/events/{workshop.event.slug}/checkin/person",
                                data={"registration_id": reg.id, "scope": "day-2030-06-27", "nonce": "plain-00001"},
                                follow_redirects=True))
    assert "Check-in refused: Malee SUK" in refused and "Checked in" not in refused
    assert checkins() == []


def test_an_override_needs_a_reason_and_shows_in_the_record(client, make, workshop, login_as):
    reg = make.registration(workshop.event, workshop.tha, status="waitlisted", given_name="Malee", family_name="Suk")
    login_as(workshop.secretariat)
    base = f"/events/{workshop.event.slug}/checkin"
    data = {"registration_id": reg.id, "scope": "day-2030-06-27", "override": "y", "nonce": "override-0001"}
    for blank in ("", "   "):
        answer = client.post(f"{base}/person", data={**data, "override_reason": blank},
                             headers={"Accept": "application/json"})
        assert answer.status_code == 400 and "Give the reason for the override" in answer.get_json()["message"]
    page = client.post(f"{base}/person", data=data, follow_redirects=True).get_data(as_text=True)
    assert "Give the reason for the override" in page and "Reason for the override" in page  # the form again
    assert checkins() == []
    done = client.post(f"{base}/person", data={**data, "override_reason": "Head of delegation vouched for her"},
                       headers={"Accept": "application/json"}).get_json()
    assert done["result"] == "new" and done["checkin"]["overridden"]
    assert done["checkin"]["override_reason"] == "Head of delegation vouched for her"
    assert "counts as attended" in done["message"]
    assert done["warnings"] == ["Recorded by override: registration waitlisted, not approved."]
    page = client.get(f"{base}?scope=day-2030-06-27").get_data(as_text=True)
    assert "override</span>" in page and "Head of delegation vouched for her" in page
    assert "by sec@example.org" in page


def test_declined_registration_is_refused_too(client, make, workshop, login_as):
    reg = make.registration(workshop.event, workshop.tha, status="declined")
    login_as(workshop.checkin)
    answer = _scan(client, workshop.event, badge_token(reg), json=True).get_json()
    assert answer["result"] == "refused" and "declined" in answer["message"]
    assert checkins() == []


def test_session_and_vehicle_boarding(client, make, workshop, login_as):
    from eventhub.db import utcnow
    from eventhub.signups.models import Booking, BookingStatus, Vehicle

    event = workshop.event
    visit = make.session(event, title="Site visit: Shifei Cosmetics", kind="site_visit", day=1, start="13:30",
                         end="17:00", bookable=True, capacity=40)
    bus1 = Vehicle(session_id=visit.id, name="Bus 1", seats=20)
    bus2 = Vehicle(session_id=visit.id, name="Bus 2", seats=20)
    db.session.add_all([bus1, bus2])
    db.session.commit()
    reg = make.registration(event, workshop.prc, given_name="Wei", family_name="Chen")
    unbooked = make.registration(event, workshop.usa)
    waiting = make.registration(event, workshop.usa)
    db.session.add(Booking(session_id=visit.id, registration_id=reg.id, economy_id=reg.economy_id,
                           status=BookingStatus.CONFIRMED, vehicle_id=bus1.id))
    db.session.add(Booking(session_id=visit.id, registration_id=waiting.id, economy_id=waiting.economy_id,
                           status=BookingStatus.WAITLISTED, waitlisted_at=utcnow()))
    db.session.commit()
    login_as(workshop.checkin)
    scope = f"session-{visit.id}-vehicle-{bus2.id}"
    desk = client.get(f"/events/{event.slug}/checkin?scope={scope}").get_data(as_text=True)
    assert "Site visit: Shifei Cosmetics — boarding Bus 2" in desk
    # The wrong bus is not recorded without a decision.
    wrong = _scan(client, event, badge_token(reg), scope=scope, json=True).get_json()
    assert wrong["result"] == "refused" and wrong["reason"] == "other_vehicle"
    assert "assigned to Bus 1, not Bus 2" in wrong["message"]
    assert checkins() == []
    answer = _scan(client, event, badge_token(reg), scope=f"session-{visit.id}-vehicle-{bus1.id}", json=True)
    assert answer.get_json()["result"] == "new" and answer.get_json()["warnings"] == []
    [c] = checkins(registration_id=reg.id)
    assert (c.session_id, c.vehicle_id, c.day.isoformat()) == (visit.id, bus1.id, "2030-06-28")
    # Boarding the same visit again is the same session: recorded once.
    again = _scan(client, event, badge_token(reg), scope=f"session-{visit.id}", json=True)
    assert again.get_json()["result"] == "already_recorded" and "(Bus 1)" in again.get_json()["message"]
    # A session check-in and a day check-in are different things.
    assert _scan(client, event, badge_token(reg), scope="day-2030-06-28", json=True).get_json()["result"] == "new"
    # Not booked, or only waitlisted: refused, and the search shows it before anyone presses a button.
    no = _scan(client, event, badge_token(unbooked), scope=f"session-{visit.id}", json=True).get_json()
    assert no["result"] == "refused" and no["reason"] == "not_booked" and "not booked for this session" in no["message"]
    no = _scan(client, event, badge_token(waiting), scope=f"session-{visit.id}", json=True).get_json()
    assert no["result"] == "refused" and no["reason"] == "waitlisted_for_session"
    assert "only on the waitlist of this session" in no["message"]
    for person, words in ((unbooked, "not booked for this session"), (waiting, "only on the waitlist of this session")):
        page = client.get(f"/events/{event.slug}/checkin?person={person.id}&scope=session-{visit.id}")
        assert f"Check-in refused: {words}." in page.get_data(as_text=True)
    assert {c.registration_id for c in checkins()} == {reg.id}
    # The secretariat decides: an override with a reason records it.
    login_as(workshop.secretariat)
    done = client.post(f"/events/{event.slug}/checkin/person", headers={"Accept": "application/json"},
                       data={"registration_id": waiting.id, "scope": f"session-{visit.id}", "override": "y",
                             "override_reason": "A seat was free on the day", "nonce": "visit-override-1"}).get_json()
    assert done["result"] == "new" and done["warnings"] == ["Recorded by override: only on the waitlist of this session."]
    [c] = checkins(registration_id=waiting.id)
    assert c.overridden and c.override_reason == "A seat was free on the day"


def test_scope_of_another_event_or_a_cancelled_session_is_refused(client, make, workshop, login_as):
    other = make.event(slug="other-event")
    foreign = make.session(other, title="Elsewhere")
    cancelled = make.session(workshop.event, title="Called off", status="cancelled")
    reg = make.registration(workshop.event, workshop.prc)
    login_as(workshop.checkin)
    for scope in (f"session-{foreign.id}", f"session-{cancelled.id}", "day-2031-01-01", "nonsense"):
        answer = _scan(client, workshop.event, badge_token(reg), scope=scope, json=True)
        assert answer.status_code == 400, scope
    assert checkins() == []


def test_replaced_badge_no_longer_works(client, make, workshop, login_as):
    reg = make.registration(workshop.event, workshop.prc)
    login_as(workshop.secretariat)
    response = client.post(f"/events/{workshop.event.slug}/registrations/{reg.id}/reissue-badge")
    assert response.status_code == 302 and "badge.pdf" in response.headers["Location"]
    old = _scan(client, workshop.event, badge_token(reg, 0), json=True).get_json()
    assert old["result"] == "refused" and old["reason"] == "replaced_badge"
    assert _scan(client, workshop.event, badge_token(reg, 1), json=True).get_json()["result"] == "new"


def test_desk_page_lists_latest_scans_with_local_times(client, make, workshop, login_as):
    reg = make.registration(workshop.event, workshop.prc, given_name="Wei", family_name="Chen")
    db.session.add(CheckIn(event_id=workshop.event.id, registration_id=reg.id, day=workshop.event.start_date,
                           scanned_at=datetime(2030, 6, 27, 1, 2, tzinfo=UTC), source="desk", desk="Gate A"))
    db.session.commit()
    login_as(workshop.checkin)
    page = client.get(f"/events/{workshop.event.slug}/checkin?scope=day-2030-06-27").get_data(as_text=True)
    assert "<strong>1</strong> checked in for" in page
    assert "Thu 27 Jun, 09:02" in page and "Wei CHEN" in page and "Gate A" in page
    assert "times in Asia/Shanghai (UTC+08:00)" in page


def test_desk_name_is_kept_and_recorded(client, make, workshop, login_as):
    a = make.registration(workshop.event, workshop.prc)
    b = make.registration(workshop.event, workshop.tha, given_name="Ann", family_name="Lee")
    login_as(workshop.checkin)
    page = client.get(f"/events/{workshop.event.slug}/checkin?scope=day-2030-06-27&desk=Gate+A")
    assert 'name="desk" type="hidden" value="Gate A"' in page.get_data(as_text=True)
    scanned = client.post(f"/events/{workshop.event.slug}/checkin/scan",
                          data={"code": badge_token(a), "scope": "day-2030-06-27", "desk": "Gate A"})
    assert "desk=Gate+A" in scanned.headers["Location"]
    client.post(f"/events/{workshop.event.slug}/checkin/person",
                data={"registration_id": b.id, "scope": "day-2030-06-27", "desk": "Gate A", "nonce": "gate-a-0001"})
    assert [c.desk for c in checkins()] == ["Gate A", "Gate A"]
    page = client.get(f"/events/{workshop.event.slug}/checkin?scope=day-2030-06-27").get_data(as_text=True)
    assert "Desk · Gate A" in page


def test_ids_beyond_any_id_in_the_url_are_not_a_server_error(client, make, workshop, login_as):
    reg = make.registration(workshop.event, workshop.prc, given_name="Wei", family_name="Chen")
    login_as(workshop.secretariat)
    base = f"/events/{workshop.event.slug}"
    page = client.get(f"{base}/checkin?person={2**63}&scope=session-{2**63}", follow_redirects=True)
    assert page.status_code == 200 and "Choose what to check people in for." in page.get_data(as_text=True)
    page = client.get(f"{base}/checkin?scope=session-1-vehicle-{2**40}", follow_redirects=True)
    assert page.status_code == 200
    answer = client.post(f"{base}/checkin/person", data={"registration_id": str(2**40), "scope": "day-2030-06-27",
                                                         "nonce": ""}, headers={"Accept": "application/json"})
    assert answer.status_code == 200 and answer.get_json()["result"] == "refused"
    assert "No such registration" in answer.get_json()["message"]
    assert client.get(f"{base}/badges.pdf?delegation={2**63}").status_code == 404
    assert checkins(registration_id=reg.id) == []


def test_desk_says_when_it_records_for_a_day_that_is_not_today(client, make, workshop, login_as):
    from datetime import timedelta

    from eventhub.attendance.scopes import local_today

    login_as(workshop.checkin)
    page = client.get(f"/events/{workshop.event.slug}/checkin").get_data(as_text=True)
    assert "Recording for Thu 27 Jun 2030, not today" in page  # the event is in 2030

    today = local_today(workshop.event)
    running = make.event(slug="running", start=today - timedelta(days=1), days=3, timezone="Asia/Shanghai")
    make.role(running, workshop.checkin, "checkin")
    page = client.get(f"/events/{running.slug}/checkin").get_data(as_text=True)
    assert "not today" not in page  # the desk opens on today
    yesterday = (today - timedelta(days=1)).isoformat()
    page = client.get(f"/events/{running.slug}/checkin?scope=day-{yesterday}").get_data(as_text=True)
    assert f"Recording for {(today - timedelta(days=1)).strftime('%a %-d %b %Y')}, not today" in page
