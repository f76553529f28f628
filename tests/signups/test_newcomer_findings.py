"""What a newcomer noticed: zone shown once, calendar wording, feed names, whose calendar address a
page shows, booking offered only when it can succeed, visit times that no longer fit, and what a
focal point's delegates have booked."""

import re

from eventhub.extensions import db
from eventhub.signups import services


def test_session_page_names_the_zone_in_one_pair_of_parentheses(client, make):
    event = make.event(slug="gz")
    s = make.session(event, title="Opening remarks")
    page = client.get(f"/events/gz/sessions/{s.id}").get_data(as_text=True)
    assert "Asia/Shanghai (UTC+08:00)" in page
    assert "(Asia/Shanghai (UTC+08:00))" not in page


def test_calendar_help_says_times_are_in_the_zone(client, make):
    make.event(slug="gz")
    page = client.get("/events/gz/calendar").get_data(as_text=True)
    assert "take place on" not in page
    assert "times are in Asia/Shanghai" in page


def test_personal_feed_is_named_apart_from_the_agenda_feed(client, make):
    event = make.event(slug="gz", title="SME Cluster Workshop")
    make.session(event, title="Opening remarks", for_everyone=True)
    reg = make.registration(event)

    def name(data):
        return re.search(rb"\r\nX-WR-CALNAME:([^\r]*)", data).group(1).decode()

    public = name(client.get("/events/gz/agenda.ics").data)
    personal = name(client.get(f"/calendar/{reg.calendar_token}.ics").data)
    assert public == "SME Cluster Workshop"
    assert personal != public and "my programme" in personal


def test_calendar_address_only_on_the_delegates_own_programme(client, make, login_as):
    event = make.event(slug="gz")
    focal = make.user()
    thailand = make.delegation(event, "THA", focal_point=focal)
    user = make.user()
    reg = make.registration(event, thailand, user=user)
    login_as(user)
    assert reg.calendar_token in client.get("/events/gz/programme").get_data(as_text=True)
    for viewer in (focal, make.staff(event, "organizer")):
        login_as(viewer)
        page = client.get(f"/events/gz/programme?registration_id={reg.id}").get_data(as_text=True)
        assert reg.full_name in page
        assert reg.calendar_token not in page


def test_no_book_button_for_someone_with_an_overlapping_seat(client, make, login_as):
    event = make.event(slug="gz")
    first = make.session(event, kind="site_visit", title="Shifei tour", bookable=True, capacity=5,
                         start="14:00", end="17:00")
    second = make.session(event, kind="site_visit", title="Seye tour", bookable=True, capacity=5,
                          start="15:00", end="17:30")
    user = make.user()
    reg = make.registration(event, user=user)
    services.book(db.session, first.id, reg.id, notify_person=False)
    db.session.commit()
    login_as(user)
    page = client.get(f"/events/gz/sessions/{second.id}").get_data(as_text=True)
    assert "Book a seat" not in page and "Join the waitlist" not in page
    assert "a seat in" in page and "Shifei tour" in page


def test_focal_points_programme_shows_what_each_delegate_booked(client, make, login_as):
    event = make.event(slug="gz")
    visit = make.session(event, kind="site_visit", title="Shifei tour", bookable=True, capacity=1,
                         start="14:00", end="17:00")
    focal = make.user()
    thailand = make.delegation(event, "THA", focal_point=focal)
    a = make.registration(event, thailand, given_name="Somchai", family_name="Jaidee")
    b = make.registration(event, thailand, given_name="Malee", family_name="Srisuk")
    make.registration(event, thailand, given_name="Niran", family_name="Wong")
    services.book(db.session, visit.id, a.id, notify_person=False)
    services.book(db.session, visit.id, b.id, notify_person=False)
    db.session.commit()
    login_as(focal)
    page = client.get("/events/gz/programme").get_data(as_text=True)
    section = page[page.index("Your delegation"):]
    somchai = section[section.index("Somchai"):section.index("Malee")]
    malee = section[section.index("Malee"):section.index("Niran")]
    assert "Shifei tour" in somchai and "Seat" in somchai
    assert "Shifei tour" in malee and "Waitlist position 1" in malee
    assert "nothing booked yet" in section[section.index("Niran"):]


def test_session_page_says_when_sign_up_closes_without_a_set_close(client, make):
    event = make.event(slug="gz")
    visit = make.session(event, kind="site_visit", title="Shifei tour", bookable=True, capacity=5,
                         start="14:00", end="17:00")
    page = client.get(f"/events/gz/sessions/{visit.id}").get_data(as_text=True)
    assert "closes " + visit.starts_at.astimezone(event.tz).strftime("%a %-d %b %Y, 14:00") in page
