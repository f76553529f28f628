import re
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from eventhub.events.models import Event, EventStatus
from eventhub.extensions import db


def valid_form(**overrides):
    data = {
        "title": "SME Digitalisation Workshop", "slug": "sme-digital-2026", "series": "SMEWG 62",
        "description": "Two days.\n\nSite visits.", "host_economy_id": "None", "host_organisation": "PRODUCE",
        "city": "Lima", "venue": "Centro de Convenciones", "address": "Av. Arqueología 206, San Borja",
        "timezone": "America/Lima", "start_date": "2026-05-12", "end_date": "2026-05-13",
        "registration_opens_local": "2026-03-01T09:00", "registration_closes_local": "2026-04-30T18:00",
        "status": "draft", "contact_email": "smewg@example.org", "default_quota": "4",
        "approval_required": "y",
    }
    data.update(overrides)
    return data


def errors_by_field(html: str) -> dict[str, str]:
    return dict(re.findall(r'<p class="error" id="([a-z_]+)-error">([^<]*)</p>', html))


@pytest.fixture
def organizer(make, login_as):
    event = make.event(slug="existing")
    user = make.staff(event, "organizer", "org@example.org")
    login_as(user)
    return user


def test_organizer_creates_an_event_and_becomes_its_organizer(client, make, organizer):
    peru = make.economy("PE")
    response = client.post("/events/new", data=valid_form(host_economy_id=str(peru.id)))
    assert response.status_code == 302
    assert response.headers["Location"] == "/events/sme-digital-2026/manage"
    event = db.session.scalar(sa.select(Event).where(Event.slug == "sme-digital-2026"))
    assert event.status == EventStatus.DRAFT and event.host_economy_id == peru.id
    # 09:00 in Lima (UTC-5) is 14:00 UTC.
    assert event.registration_opens_at == datetime(2026, 3, 1, 14, 0, tzinfo=UTC)
    dashboard = client.get("/events/sme-digital-2026/manage")
    assert dashboard.status_code == 200
    assert "Organizer" in client.get("/my/events").get_data(as_text=True)


def test_registration_times_are_shown_in_the_event_zone_and_named(client, organizer):
    client.post("/events/new", data=valid_form(status="published"))
    page = client.get("/events/sme-digital-2026/").get_data(as_text=True)
    assert "Sun 1 Mar 2026, 09:00" in page  # Babel: days are not zero-padded
    assert "America/Lima" in page
    edit = client.get("/events/sme-digital-2026/manage/details").get_data(as_text=True)
    assert 'value="2026-03-01T09:00"' in edit
    assert "Event-local time, America/Lima" in edit


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": ""}, "title", "Give the event a title."),
        ({"title": "x" * 301}, "title", "Field cannot be longer than 300 characters."),
        ({"contact_email": "smewg.example.org"}, "contact_email", "Enter an e-mail address like name@example.org."),
        ({"end_date": "2026-05-11"}, "end_date", "The event cannot end before it starts."),
        ({"timezone": "Asia/Atlantis"}, "timezone", "is not a time zone we know"),
        ({"timezone": "../../etc/passwd"}, "timezone", "is not a time zone we know"),
        ({"slug": "existing"}, "slug", "Another event already uses the address"),
        ({"slug": "Not A Slug!"}, "slug", "Use lower-case letters, digits and single hyphens"),
        ({"default_quota": "-1"}, "default_quota", "The quota cannot be below zero."),
        ({"default_quota": "four"}, "default_quota", "Enter a whole number, like 4."),
        ({"start_date": ""}, "start_date", "Enter the first day of the event."),
        ({"start_date": "31/02/2026"}, "start_date", "Not a valid date value."),
        ({"registration_closes_local": "2026-02-01T09:00"}, "registration_closes_local",
         "Registration must close after it opens."),
        # Clocks go forward in New York at 02:00 on 8 March 2026: 02:30 never happens.
        ({"timezone": "America/New_York", "registration_opens_local": "2026-03-08T02:30"},
         "registration_opens_local", "does not exist in America/New_York"),
        # Year 1 in a zone east of UTC is before the first moment Python can hold: a message, not a 500.
        ({"registration_opens_local": "0001-01-01T00:00"}, "registration_opens_local",
         "Enter a date between the years 1900 and 9998."),
        ({"start_date": "0001-01-01", "end_date": "0001-01-02"}, "start_date",
         "Enter a date between the years 1900 and 9998."),
    ],
)
def test_bad_input_gets_a_message_next_to_its_field_and_nothing_is_saved(client, organizer, overrides, field,
                                                                         message):
    before = db.session.scalar(sa.select(sa.func.count()).select_from(Event))
    response = client.post("/events/new", data=valid_form(**overrides))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    errors = errors_by_field(html)
    assert field in errors, f"no error next to {field}: {errors}"
    assert message in errors[field]
    assert "Please correct the marked fields" in html
    # What the user typed is still there.
    assert 'value="SME Digitalisation Workshop"' in html or overrides.get("title") is not None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Event)) == before


def test_edit_saves_details_and_keeps_input_on_error(client, make, organizer):
    client.post("/events/new", data=valid_form())
    response = client.post("/events/sme-digital-2026/manage/details",
                           data=valid_form(title="Renamed workshop", end_date="2026-05-01"))
    assert response.status_code == 200
    assert 'value="Renamed workshop"' in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(Event.title).where(Event.slug == "sme-digital-2026")) == \
        "SME Digitalisation Workshop"
    response = client.post("/events/sme-digital-2026/manage/details", data=valid_form(title="Renamed workshop"))
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.scalar(sa.select(Event.title).where(Event.slug == "sme-digital-2026")) == "Renamed workshop"


def test_publishing_puts_the_event_on_the_public_list(client, organizer):
    client.post("/events/new", data=valid_form(), follow_redirects=True)
    assert 'href="/events/sme-digital-2026/"' not in client.get("/").get_data(as_text=True)
    response = client.post("/events/sme-digital-2026/manage/status", data={"status": "published"},
                           follow_redirects=True)
    assert "The event is published" in response.get_data(as_text=True)
    client.post("/logout")
    assert 'href="/events/sme-digital-2026/">SME Digitalisation Workshop' in client.get("/").get_data(as_text=True)
    assert client.get("/events/sme-digital-2026/").status_code == 200


def test_only_admins_and_organizers_may_create_events(client, make, login_as):
    event = make.event()
    secretariat = make.staff(event, "secretariat")
    login_as(secretariat)
    assert client.get("/events/new").status_code == 403
    assert client.post("/events/new", data=valid_form()).status_code == 403
    assert "New event" not in client.get("/my/events").get_data(as_text=True)
    login_as(make.user(admin=True))
    assert client.post("/events/new", data=valid_form()).status_code == 302


def test_draft_event_is_404_for_outsiders_and_visible_to_its_staff(client, make, login_as):
    draft = make.event(slug="secret-draft", published=False, title="Secret draft")
    assert client.get("/events/secret-draft/").status_code == 404
    login_as(make.user())
    assert client.get("/events/secret-draft/").status_code == 404
    assert client.get("/events/secret-draft/manage").status_code == 404
    login_as(make.staff(draft, "checkin"))
    page = client.get("/events/secret-draft/")
    assert page.status_code == 200
    assert "Draft" in page.get_data(as_text=True)


def test_unknown_event_is_the_404_page(client):
    response = client.get("/events/no-such-event/")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)
