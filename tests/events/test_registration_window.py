"""The registration window is validated as it will be applied, the default closing time included."""

import sqlalchemy as sa

from eventhub.events.models import Event
from eventhub.extensions import db
from tests.events.test_create_edit import errors_by_field, organizer, valid_form  # noqa: F401 - fixture


def test_opening_after_the_default_close_is_refused_next_to_the_opening(client, organizer):  # noqa: F811
    # Only the opening is typed, and it falls after the event (which ends 13 May 2026, Lima time):
    # with no closing time, registration would close before it opens.
    response = client.post("/events/new", data=valid_form(registration_opens_local="2026-06-01T09:00",
                                                          registration_closes_local=""))
    assert response.status_code == 200
    errors = errors_by_field(response.get_data(as_text=True))
    assert "Registration would open after it closes" in errors["registration_opens_local"]
    assert "14 May 2026, 00:00 America/Lima" in errors["registration_opens_local"]
    assert db.session.scalar(sa.select(Event).where(Event.slug == "sme-digital-2026")) is None


def test_moving_the_event_earlier_than_the_opening_is_refused_on_edit(client, organizer):  # noqa: F811
    assert client.post("/events/new", data=valid_form(registration_closes_local="")).status_code == 302
    response = client.post("/events/sme-digital-2026/manage/details",
                           data=valid_form(registration_closes_local="", start_date="2026-02-10",
                                           end_date="2026-02-11"))
    assert response.status_code == 200
    assert "Registration would open after it closes" in errors_by_field(
        response.get_data(as_text=True))["registration_opens_local"]


def test_an_opening_before_the_default_close_is_saved(client, organizer):  # noqa: F811
    response = client.post("/events/new", data=valid_form(registration_closes_local=""))
    assert response.status_code == 302
    event = db.session.scalar(sa.select(Event).where(Event.slug == "sme-digital-2026"))
    assert event.registration_closes_at is None and event.registration_opens_at is not None
    page = client.get("/events/sme-digital-2026/manage/details").get_data(as_text=True)
    assert "Leave empty to close when the event ends." in page


def test_counts_read_in_the_right_number(client, organizer, make):  # noqa: F811
    event = db.session.scalar(sa.select(Event).where(Event.slug == "existing"))
    thailand = make.economy("THA")
    response = client.post(f"/events/{event.slug}/manage/economies", data={"economy_ids": [str(thailand.id)]},
                           follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Invited 1 economy." in page and "Invited 1 economies." not in page
    assert "1 economy</th>" in page
