"""Huge or malformed ids in forms and query strings give a 404 or a message, never a 500;
the public agenda's cache follows the event's slug and stays bounded."""

import pytest

from eventhub.extensions import db

HUGE = str(2**63 + 5)


@pytest.fixture
def delegate(make, login_as):
    event = make.event(slug="gz")
    visit = make.session(event, kind="site_visit", title="Shifei factory tour", bookable=True, capacity=5,
                         start="14:00", end="17:00")
    user = make.user()
    make.registration(event, user=user)
    login_as(user)
    return event, visit


@pytest.mark.parametrize("value", [HUGE, "-3", "abc", "1e9"])
def test_huge_registration_ids_are_not_found(client, delegate, value):
    event, visit = delegate
    assert client.post(f"/events/gz/sessions/{visit.id}/book", data={"registration_id": value}).status_code == 404
    assert client.get(f"/events/gz/programme?registration_id={value}").status_code == 404
    assert client.get(f"/events/gz/roundtables?registration_id={value}").status_code == 404


def test_huge_roundtable_choice_is_a_message(client, make, delegate):
    from eventhub.db import utcnow

    event, _visit = delegate
    table = make.session(event, kind="roundtable", title="Roundtable: biomedicine", start="10:30", end="12:00",
                         bookable=True, capacity=5, signup_mode="preference",
                         signup_closes_at=utcnow().replace(year=utcnow().year + 1))
    response = client.post("/events/gz/roundtables", data={"slot": table.starts_at.isoformat(), "choice_1": HUGE})
    assert response.status_code == 200
    assert "Choose among the roundtables listed" in response.get_data(as_text=True)


def test_staff_vehicle_and_manifest_ids(client, make, login_as):
    from eventhub.signups import services

    event = make.event(slug="gz")
    visit = make.session(event, kind="site_visit", bookable=True, capacity=5, start="14:00", end="17:00")
    talk = make.session(event, title="Opening", bookable=True, capacity=5, start="09:00", end="10:00")
    booking = services.book(db.session, visit.id, make.registration(event).id, notify_person=False).booking
    db.session.commit()
    login_as(make.staff(event, "organizer"))
    assert client.post(f"/events/gz/bookings/{booking.id}/vehicle", data={"vehicle_id": HUGE}).status_code == 404
    assert client.get(f"/events/gz/sessions/{visit.id}/manifest?vehicle={HUGE}").status_code == 404
    assert client.get(f"/events/gz/sessions/{visit.id}/manifest").status_code == 200
    # Manifests are for site visits only.
    for suffix in ("", ".csv", ".xlsx"):
        assert client.get(f"/events/gz/sessions/{talk.id}/manifest{suffix}").status_code == 404
    assert client.post(f"/events/gz/bookings/{booking.id}/move",
                       data={"to_session_id": HUGE}).status_code in (302, 404)


def test_agenda_cache_follows_the_slug_and_is_bounded(client, make):
    from eventhub.page_cache import page_cache

    cache = page_cache("agenda")
    event = make.event(slug="old-slug")
    s = make.session(event, title="Opening remarks")
    assert f"/events/old-slug/sessions/{s.id}" in client.get("/events/old-slug/agenda").get_data(as_text=True)
    event.slug = "new-slug"
    db.session.commit()
    page = client.get("/events/new-slug/agenda").get_data(as_text=True)
    assert f"/events/new-slug/sessions/{s.id}" in page and "old-slug" not in page
    assert len(cache) == 1  # the renamed event's page replaced its old one

    cache.size = 3
    for i in range(5):
        e = make.event(slug=f"many-{i}")
        make.session(e, title=f"Session {i}")
        client.get(f"/events/many-{i}/agenda")
        assert f"Session {i}" in client.get(f"/events/many-{i}/agenda").get_data(as_text=True)
    assert len(cache) == 3  # the least recently seen events' pages were dropped


@pytest.mark.parametrize("value", [str(2**31), str(2**40), HUGE, "-7", "0", "abc"])
def test_an_out_of_range_participant_id_in_the_add_form_is_a_message_next_to_the_field(client, make, login_as,
                                                                                      value):
    from eventhub.signups.models import Booking

    event = make.event(slug="gz-add")
    visit = make.session(event, kind="site_visit", title="Seye tour", bookable=True, capacity=5,
                         start="14:00", end="17:00")
    login_as(make.staff(event, "organizer"))
    response = client.post(f"/events/gz-add/sessions/{visit.id}/participants/add",
                           data={"registration_id": value, "reason": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="registration_id-error"' in page
    assert "Choose a participant" in page
    assert db.session.query(Booking).count() == 0


def test_an_out_of_range_session_id_in_the_move_form_changes_nothing(client, make, login_as):
    event = make.event(slug="gz-move")
    visit = make.session(event, kind="site_visit", title="Seye tour", bookable=True, capacity=5,
                         start="14:00", end="17:00")
    reg = make.registration(event)
    organizer = make.staff(event, "organizer")
    login_as(organizer)
    client.post(f"/events/gz-move/sessions/{visit.id}/participants/add", data={"registration_id": reg.id})
    from eventhub.signups.models import Booking

    booking = db.session.query(Booking).one()
    response = client.post(f"/events/gz-move/bookings/{booking.id}/move", data={"to_session_id": str(2**31)},
                           follow_redirects=True)
    assert response.status_code == 200 and "Choose the session to move to." in response.get_data(as_text=True)
    db.session.refresh(booking)
    assert booking.session_id == visit.id and booking.status.value == "confirmed"


@pytest.mark.parametrize("target", ["/\\evil.example/", "/\t/evil.example/", "https://evil.example/", "//evil.example/"])
def test_the_booking_forms_return_address_never_leaves_the_site(client, delegate, target):
    event, visit = delegate
    response = client.post(f"/events/gz/sessions/{visit.id}/book", data={"next": target})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/events/gz/sessions/{visit.id}")


def test_the_booking_form_goes_back_to_a_page_of_the_site(client, delegate):
    event, visit = delegate
    response = client.post(f"/events/gz/sessions/{visit.id}/book", data={"next": "/events/gz/programme"})
    assert response.headers["Location"].endswith("/events/gz/programme")
