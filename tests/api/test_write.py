"""The write API: registrations through the form's service, idempotency, decisions, bookings,
the check-in endpoint at both addresses, bad bodies."""

from __future__ import annotations

import pytest

from eventhub.api.models import Scope
from eventhub.attendance import api_access
from eventhub.extensions import db
from eventhub.registration.models import Registration

PERSON = {"email": "Anong@Example.org", "given_name": "Anong", "family_name": "Srisuk", "organisation": "OSMEP"}


def _url(world):
    return f"/api/v1/events/cluster/delegations/{world.tha.id}/registrations"


def test_focal_point_registers_in_their_delegation_and_a_retry_makes_one(client, world, token_for):
    headers = {**token_for(world.focal_tha), "Idempotency-Key": "row-17"}
    first = client.post(_url(world), json=PERSON, headers=headers)
    assert first.status_code == 201, first.get_json()
    assert first.get_json()["email"] == "anong@example.org" and first.get_json()["state"] == "submitted"
    again = client.post(_url(world), json=PERSON, headers=headers)
    assert again.status_code == 200 and again.get_json()["id"] == first.get_json()["id"]
    assert db.session.query(Registration).count() == 1
    other = client.post(_url(world), json={**PERSON, "email": "somsak@example.org"}, headers=headers)
    assert other.status_code == 422 and other.get_json()["error"]["field"] == "Idempotency-Key"
    assert db.session.query(Registration).count() == 1


def test_focal_point_of_another_delegation_and_read_only_tokens_are_refused(client, world, token_for):
    prc_url = f"/api/v1/events/cluster/delegations/{world.prc.id}/registrations"
    assert client.post(prc_url, json=PERSON, headers=token_for(world.focal_tha)).status_code == 403
    read_only = token_for(world.secretariat, scopes={Scope.READ_REGISTRATIONS})
    response = client.post(_url(world), json=PERSON, headers=read_only)
    assert response.status_code == 403 and response.get_json()["error"]["code"] == "missing_scope"
    assert client.post(_url(world), json=PERSON).status_code == 401


def test_the_quota_and_the_waitlist_apply_as_in_the_form(client, make, world, token_for):
    headers = token_for(world.secretariat)
    ids = []
    for n in range(3):
        body = {**PERSON, "email": f"p{n}@example.org"}
        ids.append(client.post(_url(world), json=body, headers=headers).get_json()["id"])
    states = [client.post(f"/api/v1/events/cluster/registrations/{i}/decision",
                          json={"decision": "approve", "approve_unconfirmed": True}, headers=headers).get_json()["state"]
              for i in ids]
    assert states == ["approved", "approved", "waitlisted"]  # the quota is 2
    declined = client.post(f"/api/v1/events/cluster/registrations/{ids[0]}/decision",
                           json={"decision": "decline", "reason": "duplicate"}, headers=headers)
    assert declined.get_json()["state"] == "declined"
    db.session.expire_all()
    assert db.session.get(Registration, ids[2]).status.value == "approved"  # promoted from the waitlist


def test_refusals_are_clear_4xx(client, world, token_for):
    headers = token_for(world.secretariat)
    client.post(_url(world), json=PERSON, headers=headers)
    duplicate = client.post(_url(world), json=PERSON, headers=headers)
    assert duplicate.status_code == 409 and duplicate.get_json()["error"]["field"] == "email"
    unknown_field = client.post(_url(world), json={**PERSON, "is_admin": True}, headers=headers)
    assert unknown_field.status_code == 400 and unknown_field.get_json()["error"]["field"] == "is_admin"
    wrong_type = client.post(_url(world), json={**PERSON, "given_name": 5}, headers=headers)
    assert wrong_type.status_code == 400 and wrong_type.get_json()["error"]["field"] == "given_name"
    malformed = client.post(_url(world), data="{not json", content_type="application/json", headers=headers)
    assert malformed.status_code == 400 and malformed.get_json()["error"]["code"] == "malformed_json"
    huge = client.post(_url(world), json={**PERSON, "organisation": "x" * 70_000}, headers=headers)
    assert huge.status_code == 413
    deep = client.post(_url(world), data="[" * 5000 + "]" * 5000, content_type="application/json", headers=headers)
    assert deep.status_code == 400 and "error" in deep.get_json()


def test_book_a_session_for_a_registration(client, make, world, token_for):
    visit = make.session(world.event, kind="site_visit", bookable=True, capacity=1)
    reg = make.registration(world.event, world.prc)
    headers = token_for(world.secretariat)
    url = f"/api/v1/events/cluster/sessions/{visit.id}/bookings"
    booked = client.post(url, json={"registration_id": reg.id}, headers=headers)
    assert booked.status_code == 201 and booked.get_json()["status"] == "confirmed"
    other = make.registration(world.event, world.prc)
    assert client.post(url, json={"registration_id": other.id}, headers=headers).get_json()["status"] == "waitlisted"
    assert client.post(url, json={"registration_id": 999999}, headers=headers).status_code == 404


@pytest.mark.parametrize("address", ["/api/events/cluster/checkins", "/api/v1/events/cluster/checkins"])
def test_check_in_at_the_old_and_the_new_address(client, make, world, address):
    token = api_access.issue_api_token(db.session, world.checkin)
    db.session.commit()
    reg = make.registration(world.event, world.prc)
    response = client.post(address, json={"registration_id": reg.id, "nonce": f"scan-{len(address)}-0001",
                                          "day": "2030-06-27"}, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 201 and response.get_json()["result"] == "new"


def test_two_concurrent_requests_with_one_key_create_one_registration(app, world, token_for):
    from tests.conftest import run_in_threads

    headers = {**token_for(world.focal_tha), "Idempotency-Key": "same-key"}
    url = _url(world)

    def work(_i):
        return app.test_client().post(url, json=PERSON, headers=headers).status_code

    statuses = run_in_threads(app, 4, work, transaction=False)
    assert sorted(statuses) == [200, 200, 200, 201], statuses
    db.session.rollback()  # a new snapshot: the threads committed after this session's last read
    assert db.session.query(Registration).count() == 1
