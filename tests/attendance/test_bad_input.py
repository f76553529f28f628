"""Bad input at the desk and the scanner API: JSON thousands of levels deep, NUL characters, wrong
types — each a clean 400 (or a message next to the field) that records nothing, on SQLite and
PostgreSQL alike, never a server error."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from eventhub.attendance import api_access, checkin, scopes
from eventhub.extensions import db
from eventhub.registration.models import Registration
from tests.attendance.conftest import badge_token, checkins


@pytest.fixture
def api_raw(client, workshop):
    token = api_access.issue_api_token(db.session, workshop.checkin)
    db.session.commit()

    def post(data: bytes | str, content_type: str = "application/json"):
        return client.post(f"/api/events/{workshop.event.slug}/checkins", data=data, content_type=content_type,
                           headers={"Authorization": f"Bearer {token}"})

    return post


def _refused_cleanly(response, status: int = 400, words: str | None = None):
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    body = response.get_json()
    assert body["result"] == "error" and body["error"] == "bad_request"
    if words:
        assert words in body["message"], body["message"]
    return body


@pytest.mark.parametrize("depth", [5, 1_000, 3_000, 10_000])
@pytest.mark.parametrize("shape", ["arrays", "objects", "inside a field"])
def test_deeply_nested_json_is_a_clean_400(api_raw, make, workshop, shape, depth):
    reg = make.registration(workshop.event, workshop.prc)
    if shape == "arrays":
        body = "[" * depth + "]" * depth
    elif shape == "objects":
        body = '{"a":' * depth + "1" + "}" * depth
    else:
        body = (f'{{"token": "{badge_token(reg)}", "day": "2030-06-27", "nonce": ' + "[" * depth + '"deep-nonce"'
                + "]" * depth + "}")
    _refused_cleanly(api_raw(body), words="nested too deeply")
    assert checkins() == []


def test_a_body_far_too_large_is_refused_before_parsing(api_raw, workshop):
    _refused_cleanly(api_raw("[" * 100_000 + "]" * 100_000), status=413, words="too large")
    assert checkins() == []


@pytest.mark.parametrize("field", ["nonce", "token", "desk", "day", "scanned_at", "override_reason", "key"])
def test_a_nul_character_in_any_text_is_a_clean_400(api_raw, make, workshop, field):
    reg = make.registration(workshop.event, workshop.prc)
    body = {"token": badge_token(reg), "nonce": "nul-test-0001", "day": "2030-06-27", "desk": "Gate A"}
    if field == "key":
        body["desk\x00"] = "x"
    elif field == "override_reason":
        body.update(override=True, override_reason="why\x00not")
    else:
        body[field] = (body.get(field) or "2030-06-27T09:00:00+08:00")[:4] + "\x00" + "abcdefgh"
    answer = _refused_cleanly(api_raw(json.dumps(body)), words="NUL character")
    if field != "key":
        assert f"“{field}”" in answer["message"]
    assert checkins() == []


def test_the_nonce_with_a_nul_is_refused_by_the_service_too(make, workshop):
    from eventhub.errors import DomainError

    reg = make.registration(workshop.event, workshop.prc)
    scope = scopes.resolve_scope(db.session, workshop.event, day=workshop.event.start_date)
    with pytest.raises(DomainError, match="NUL"):
        checkin.check_in(db.session, workshop.event, reg, scope, by=None, nonce="abc\x00defghij")
    with pytest.raises(DomainError, match="NUL"):
        checkin.check_in(db.session, workshop.event, reg, scope, by=None, desk="Gate\x00A")
    assert checkins() == []


@pytest.mark.parametrize("body", [{"token": ["EH1"], "nonce": "type-00001"}, {"token": 12, "nonce": "type-00002"},
                                  {"registration_id": 1, "nonce": "type-00003", "desk": {"a": 1}},
                                  {"registration_id": 1, "nonce": "type-00004", "day": 20300627}])
def test_text_fields_of_another_type_are_a_clean_400(api_raw, make, workshop, body):
    make.registration(workshop.event, workshop.prc)
    _refused_cleanly(api_raw(json.dumps(body)), words="must be text")
    assert checkins() == []


@pytest.mark.parametrize("data", [b"\xff\xfe not utf-8", b"{", b"", b"null", b"[1, 2]"])
def test_what_is_not_a_json_object_is_a_clean_400(api_raw, workshop, data):
    _refused_cleanly(api_raw(data), words="Send a JSON object.")


def test_desk_forms_refuse_a_nul_character_with_a_message(client, make, workshop, login_as):
    reg = make.registration(workshop.event, workshop.tha, status="waitlisted", given_name="Malee", family_name="Suk")
    login_as(workshop.secretariat)
    base = f"/events/{workshop.event.slug}/checkin"
    json_headers = {"Accept": "application/json"}
    scanned = client.post(f"{base}/scan", data={"code": "EH1.\x00", "scope": "day-2030-06-27"}, headers=json_headers)
    assert scanned.status_code == 400 and "NUL character" in scanned.get_json()["message"]
    page = client.post(f"{base}/scan", data={"code": "EH1.\x00", "scope": "day-2030-06-27"}, follow_redirects=True)
    assert page.status_code == 200 and "NUL character" in page.get_data(as_text=True)
    for field, value in (("override_reason", "Approved\x00"), ("desk", "Gate\x00A"), ("nonce", "nonce\x00abcdef")):
        data = {"registration_id": reg.id, "scope": "day-2030-06-27", "override": "y",
                "override_reason": "Approved by phone", field: value}
        answer = client.post(f"{base}/person", data=data, headers=json_headers)
        assert answer.status_code == 400 and "NUL character" in answer.get_json()["message"], field
        page = client.post(f"{base}/person", data=data, follow_redirects=True)
        assert page.status_code == 200 and "NUL character" in page.get_data(as_text=True), field
    searched = client.get(f"{base}?q=Ma%00lee&desk=Gate%00A")
    assert searched.status_code == 200 and "cannot contain a NUL character" in searched.get_data(as_text=True)
    assert checkins() == []


def test_walk_in_refuses_a_nul_character_next_to_the_field(client, make, workshop, login_as):
    lao = make.economy("LAO")
    login_as(workshop.secretariat)
    data = {"scope": "day-2030-06-27", "submission_key": "walk-in-nul-01", "given_name": "Boun\x00my",
            "family_name": "Vongsa", "name_local": "ບຸນ\x00ມີ", "email": "bounmy@example.la", "economy": str(lao.id),
            "organisation": "Lao\x00SME", "sex": "male", "category": "guest", "funding": "self_funded"}
    response = client.post(f"/events/{workshop.event.slug}/checkin/walk-in", data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    for field in ("given_name", "name_local", "organisation"):
        assert "NUL character" in html.split(f'id="{field}-error"')[1].split("</p>")[0], field
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Registration)) == 0
    assert checkins() == []
