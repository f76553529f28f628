"""Check-ins with scoped tokens: `checkins:write` records scans and does nothing else; the token of
another event's staff, a token without the scope and a revoked one are refused; bad bodies get the
API's error shape."""

from __future__ import annotations

import pytest

from eventhub.api.auth import revoke_token
from eventhub.api.models import ApiToken, Scope
from eventhub.attendance.models import CheckIn
from eventhub.extensions import db

URL = "/api/v1/events/cluster/checkins"


def _scan(reg, nonce="scan-token-0001", **extra):
    return {"registration_id": reg.id, "nonce": nonce, "day": "2030-06-27", **extra}


def test_a_check_in_token_records_a_scan_once(client, make, world, token_for):
    headers = token_for(world.checkin, scopes={Scope.WRITE_CHECKINS})
    reg = make.registration(world.event, world.prc)
    first = client.post(URL, json=_scan(reg), headers=headers)
    assert first.status_code == 201, first.get_json()
    body = first.get_json()
    assert body["result"] == "new" and body["person"]["name"]
    again = client.post(URL, json=_scan(reg), headers=headers)
    assert again.status_code == 200 and again.get_json()["result"] == "already_recorded"
    assert db.session.query(CheckIn).count() == 1


def test_a_check_in_token_opens_nothing_else(client, make, world, token_for):
    headers = token_for(world.organizer, scopes={Scope.WRITE_CHECKINS})  # even an organizer's
    for path in ("/api/v1/events/cluster/registrations", "/api/v1/events/cluster/delegations",
                 "/api/v1/events/cluster/checkins", "/api/v1/events/cluster/attendance"):
        response = client.get(path, headers=headers)
        assert response.status_code == 403 and response.get_json()["error"]["code"] == "missing_scope", path
    person = {"email": "a@example.org", "given_name": "A", "family_name": "B"}
    created = client.post(f"/api/v1/events/cluster/delegations/{world.tha.id}/registrations", json=person,
                          headers=headers)
    assert created.status_code == 403 and created.get_json()["error"]["code"] == "missing_scope"


def test_a_token_without_the_scope_or_of_another_events_staff_is_refused(client, make, world, token_for):
    reg = make.registration(world.event, world.prc)
    read_only = client.post(URL, json=_scan(reg), headers=token_for(world.checkin, scopes={Scope.READ_REGISTRATIONS}))
    assert read_only.status_code == 403 and read_only.get_json()["error"]["code"] == "missing_scope"
    other = make.event(slug="other")
    desk_elsewhere = make.staff(other, "checkin", "desk.other@example.org")
    elsewhere = client.post(URL, json=_scan(reg), headers=token_for(desk_elsewhere, scopes={Scope.WRITE_CHECKINS}))
    assert elsewhere.status_code == 403 and elsewhere.get_json()["error"]["code"] == "forbidden"
    delegate = client.post(URL, json=_scan(reg), headers=token_for(world.focal_tha, scopes={Scope.WRITE_CHECKINS}))
    assert delegate.status_code == 403
    assert client.post(URL, json=_scan(reg)).status_code == 401
    assert db.session.query(CheckIn).count() == 0


def test_a_revoked_check_in_token_stops_at_once(client, make, world, token_for):
    headers = token_for(world.checkin, scopes={Scope.WRITE_CHECKINS})
    reg = make.registration(world.event, world.prc)
    revoke_token(db.session, world.checkin, db.session.query(ApiToken).one().id)
    db.session.commit()
    response = client.post(URL, json=_scan(reg), headers=headers)
    assert response.status_code == 401 and response.get_json()["error"]["code"] == "token_revoked"


@pytest.mark.parametrize("body, field", [
    ({"nonce": "short", "registration_id": 1}, "nonce"),
    ({"nonce": "scan-token-0002", "registration_id": "x"}, "registration_id"),
    ({"nonce": "scan-token-0002", "registration_id": 1, "scanned_at": "2030-06-27T09:00:00"}, "scanned_at"),
    ({"nonce": "scan-token-0002", "registration_id": 1, "colour": "red"}, "colour"),
    ({"nonce": "scan-token-0002", "day": "2030-06-27"}, "token"),
    ({"nonce": "scan-token-0002", "registration_id": 1, "day": "2031-01-01"}, "scope"),
])
def test_bad_scans_are_400_in_the_error_shape_next_to_the_field(client, make, world, token_for, body, field):
    make.registration(world.event, world.prc)
    response = client.post(URL, json=body, headers=token_for(world.checkin, scopes={Scope.WRITE_CHECKINS}))
    assert response.status_code == 400, response.get_json()
    assert response.get_json()["error"]["field"] == field
    assert db.session.query(CheckIn).count() == 0


def test_huge_deep_and_malformed_scans_are_refused_in_the_error_shape(client, world, token_for):
    headers = token_for(world.checkin, scopes={Scope.WRITE_CHECKINS})
    huge = client.post(URL, json={"nonce": "scan-token-0003", "desk": "x" * 70_000}, headers=headers)
    assert huge.status_code == 413 and huge.get_json()["error"]["code"] == "too_large"
    deep = client.post(URL, data="[" * 5000 + "]" * 5000, content_type="application/json", headers=headers)
    assert deep.status_code == 400 and deep.get_json()["error"]["code"]
    malformed = client.post(URL, data="{nope", content_type="application/json", headers=headers)
    assert malformed.status_code == 400 and malformed.get_json()["error"]["code"] == "malformed_json"


def test_a_refused_scan_says_why_with_the_person(client, make, world, token_for):
    submitted = make.registration(world.event, world.prc, status="submitted")
    response = client.post(URL, json=_scan(submitted), headers=token_for(world.checkin, scopes={Scope.WRITE_CHECKINS}))
    assert response.status_code == 422
    assert response.get_json()["result"] == "refused" and response.get_json()["reason"]
    assert db.session.query(CheckIn).count() == 0
