"""Input no field can hold gets a clear 400, never a 500, and changes nothing."""

import json

import pytest

from tests.conftest import PASSWORD


def test_a_nul_character_in_a_form_field_is_a_clear_400(client, make):
    user = make.user(name="Li Wei")
    response = client.post("/login", data={"email": user.email + "\x00", "password": PASSWORD})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "The field “email” in the form contains a NUL character" in page
    assert "Log out" not in page


def test_a_nul_character_in_the_address_or_query_is_a_clear_400(client, make):
    event = make.event()
    response = client.get(f"/events/{event.slug}?q=Li%00Wei")
    assert response.status_code == 400
    assert "contains a NUL character" in response.get_data(as_text=True)
    assert client.get("/events/abc%00def").status_code == 400


# Any route: the check runs before every view (the check-in API answers in its own shape,
# tests/attendance/test_bad_input.py).
JSON_ROUTE = "/password/forgot"


@pytest.mark.parametrize("opening, closing", [("[", "]"), ('{"a":', "}")])
def test_json_nested_thousands_of_levels_deep_is_a_clear_400(client, opening, closing):
    body = opening * 5000 + "1" + closing * 5000
    response = client.post(JSON_ROUTE, data=body, content_type="application/json")
    assert response.status_code == 400
    assert "nested more than 32 levels deep" in response.get_data(as_text=True)


def test_brackets_inside_json_strings_do_not_count_as_nesting(client, make):
    from eventhub.web import json_depth

    assert json_depth(b'{"nonce": "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\\"{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{"}') == 1
    assert json_depth(b'[{"a": [1, {"b": []}]}]') == 5


def test_a_nul_in_a_json_string_is_a_clear_400(client):
    body = json.dumps({"token": "x", "nonce": "scan\u00000001"})
    response = client.post(JSON_ROUTE, data=body, content_type="application/json")
    assert response.status_code == 400
    assert "NUL character" in response.get_data(as_text=True)
