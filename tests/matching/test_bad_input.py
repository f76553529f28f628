"""Input no form field can hold gets an answer a person can read, never a 500."""

from __future__ import annotations

import pytest

from tests.matching.test_pages import text

SHAPES = [
    {},
    {"organisation": "x" * 5000},
    {"organisation": "Firm", "sectors": ["Not a sector"]},
    {"organisation": "Firm", "offer_types": ["bribery"], "languages": ["xx"], "available": ["abc", "99999999999"]},
    {"organisation": "Firm\x00", "offers": "\x00"},
]


@pytest.mark.parametrize("data", SHAPES)
def test_profile_form(client, login_as, world, data):
    login_as(world.users["ana"])
    response = client.post(f"/events/{world.event.slug}/matching/profile", data=data)
    assert response.status_code in (400, 422), response.status_code


def test_sector_outside_the_list_is_refused_next_to_the_field(client, login_as, world):
    login_as(world.users["ana"])
    response = client.post(f"/events/{world.event.slug}/matching/profile",
                           data={"organisation": "Firm", "sectors": ["Mining"]})
    assert response.status_code == 422 and "is not a valid choice for this field." in text(response)


@pytest.mark.parametrize("data", [{"open_request_limit": "abc"}, {"open_request_limit": "99999999999999"},
                                  {"requests_close_local": "tomorrow", "categories": ["delegate"]},
                                  {"categories": ["king"], "open_request_limit": "3"}])
def test_settings_form(client, make, login_as, world, data):
    login_as(make.staff(world.event, "organizer"))
    assert client.post(f"/events/{world.event.slug}/matching/settings", data=data).status_code == 422


@pytest.mark.parametrize("data", [{"message": "x" * 5000}, {"message": "\x00"}])
def test_request_form(client, login_as, world, data):
    login_as(world.users["ana"])
    response = client.post(f"/events/{world.event.slug}/matching/profiles/{world.profiles['seye'].id}/request",
                           data=data)
    assert response.status_code in (400, 422)


def test_setup_form(client, make, login_as, world):
    session = make.session(world.event, kind="business_matching", start="14:00", end="15:00")
    other = make.session(world.event, kind="plenary", start="09:00", end="10:00")
    login_as(make.staff(world.event, "organizer"))
    p = f"s{session.id}-"
    for data in ({p + "meeting_minutes": "abc"}, {p + "meeting_minutes": "20", p + "break_minutes": "0",
                                                  p + "tables": "\n".join(f"T{i}" for i in range(300))}):
        assert client.post(f"/events/{world.event.slug}/matching/sessions/{session.id}", data=data).status_code == 422
    q = f"s{other.id}-"
    response = client.post(f"/events/{world.event.slug}/matching/sessions/{other.id}",
                           data={q + "meeting_minutes": "20", q + "break_minutes": "0", q + "tables": "T1"})
    assert response.status_code == 404  # only business-matching sessions have slots
