"""The personal feed /calendar/<token>.ics: one person's programme, by a secret, rotatable token."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from eventhub.agenda.models import SessionSpeaker, SpeakerRole
from eventhub.extensions import db
from eventhub.signups.models import BookingStatus
from tests.calendars.icscheck import parse_all
from tests.calendars.test_feeds import book, uid


@pytest.fixture
def programme(make):
    event = make.event(slug="gz", title="SME Cluster Workshop")
    delegation = make.delegation(event, "THA", quota=10)
    user = make.user("somchai@example.org")
    me = make.registration(event, delegation, user=user, given_name="Somchai", family_name="Jaidee",
                           email="somchai@example.org")
    other = make.registration(event, delegation, given_name="Malee", family_name="Srisuk")
    opening = make.session(event, title="Opening", kind="opening", start="09:00", end="09:30", for_everyone=True)
    lunch = make.session(event, title="Lunch for delegates", kind="meal", start="12:00", end="13:00",
                         for_everyone=True, is_public=False)
    roundtable = make.session(event, title="Roundtable biomedicine", kind="roundtable", start="10:00", end="11:30",
                              bookable=True, capacity=10)
    visit = make.session(event, title="Site visit Shifei", kind="site_visit", start="14:00", end="17:00",
                         bookable=True, capacity=1)
    visit2 = make.session(event, title="Site visit Seye", kind="site_visit", start="14:00", end="17:00",
                          bookable=True, capacity=40)
    panel = make.session(event, title="Expert panel", kind="panel", start="11:30", end="12:00")
    db.session.add(SessionSpeaker(session_id=panel.id, registration_id=me.id, role=SpeakerRole.MODERATOR))
    db.session.commit()
    book(make, roundtable, me)  # roundtable placement: a confirmed booking
    book(make, visit2, me, "waitlisted")
    book(make, visit, other)
    return dict(event=event, user=user, me=me, other=other, opening=opening, lunch=lunch, roundtable=roundtable,
                visit=visit, visit2=visit2, panel=panel)


def feed(client, registration, **headers):
    return client.get(f"/calendar/{registration.calendar_token}.ics", headers=headers)


def test_personal_feed_has_exactly_my_sessions(client, programme):
    response = feed(client, programme["me"])
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert "private" in response.headers["Cache-Control"]
    events = parse_all(response.data)
    # for everyone (even non-public), my confirmed roundtable placement, the panel I moderate;
    # not my waitlisted visit, not another person's booking.
    assert set(events) == {uid(programme[k]) for k in ("opening", "lunch", "roundtable", "panel")}
    assert events[uid(programme["roundtable"])]["start"] == programme["roundtable"].starts_at
    # The same UID as in the public feed; nothing personal in the calendar beyond the speaker list.
    text = response.data.decode()
    for secret in ("somchai@example.org", programme["me"].calendar_token):
        assert secret not in text
    assert "Moderator: Somchai Jaidee" in events[uid(programme["panel"])]["description"]
    public = parse_all(client.get("/events/gz/agenda.ics").data)
    assert uid(programme["opening"]) in public and uid(programme["lunch"]) not in public


def test_a_token_shows_one_persons_calendar_only(client, programme):
    mine = parse_all(feed(client, programme["me"]).data)
    theirs = parse_all(feed(client, programme["other"]).data)
    assert uid(programme["visit"]) in theirs and uid(programme["visit"]) not in mine
    assert uid(programme["roundtable"]) in mine and uid(programme["roundtable"]) not in theirs
    assert client.get("/calendar/not-a-real-token.ics").status_code == 404
    token = programme["me"].calendar_token
    assert client.get(f"/calendar/{token[:-1]}{'y' if token.endswith('x') else 'x'}.ics").status_code == 404
    assert client.get(f"/calendar/{'a' * 200}.ics").status_code == 404


def test_cancelled_booking_disappears_and_the_etag_changes(client, programme):
    me, roundtable = programme["me"], programme["roundtable"]
    first = feed(client, me)
    assert uid(roundtable) in parse_all(first.data)
    from eventhub.signups.models import Booking

    booking = db.session.query(Booking).filter_by(session_id=roundtable.id, registration_id=me.id).one()
    booking.status = BookingStatus.CANCELLED
    db.session.commit()

    again = feed(client, me, **{"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 200
    assert again.headers["ETag"] != first.headers["ETag"]
    assert uid(roundtable) not in parse_all(again.data)
    assert feed(client, me, **{"If-None-Match": again.headers["ETag"]}).status_code == 304


def test_promotion_from_the_waitlist_adds_the_visit(client, programme):
    from eventhub.signups.models import Booking

    me, visit2 = programme["me"], programme["visit2"]
    etag = feed(client, me).headers["ETag"]
    booking = db.session.query(Booking).filter_by(session_id=visit2.id, registration_id=me.id).one()
    booking.status = BookingStatus.CONFIRMED
    db.session.commit()
    response = feed(client, me, **{"If-None-Match": etag})
    assert response.status_code == 200
    assert uid(visit2) in parse_all(response.data)


def test_personal_304_path_needs_no_calendar(client, programme, query_counter, monkeypatch):
    from eventhub.calendars import feeds

    etag = feed(client, programme["me"]).headers["ETag"]
    monkeypatch.setattr(feeds, "load", lambda *a, **k: pytest.fail("loaded the sessions for a 304"))
    monkeypatch.setattr(feeds, "personal_calendar", lambda *a, **k: pytest.fail("built the calendar for a 304"))
    with query_counter() as q:
        response = feed(client, programme["me"], **{"If-None-Match": etag})
    assert response.status_code == 304
    assert q.count <= 2


def test_registration_not_approved_gets_an_empty_calendar(client, make):
    event = make.event(slug="pending")
    make.session(event, for_everyone=True)
    pending = make.registration(event, economy="JPN", status="submitted")
    response = client.get(f"/calendar/{pending.calendar_token}.ics")
    assert response.status_code == 200
    assert parse_all(response.data) == {}
    cancelled = make.registration(event, economy="JPN", status="cancelled")
    assert parse_all(client.get(f"/calendar/{cancelled.calendar_token}.ics").data) == {}


def test_query_count_does_not_grow_with_bookings(client, make, query_counter):
    event = make.event(slug="q")
    reg = make.registration(event, economy="MAS")
    few = [make.session(event, title=f"S{n}", start="09:00", end="09:30", bookable=True) for n in range(2)]
    for s in few:
        book(make, s, reg)
    with query_counter() as small:
        assert len(parse_all(client.get(f"/calendar/{reg.calendar_token}.ics").data)) == 2
    room = make.room(event, "Room 3")
    for n in range(40):
        s = make.session(event, title=f"T{n}", start=f"{8 + n % 10:02d}:00", end=f"{8 + n % 10:02d}:50",
                         bookable=True, room_id=room.id)
        book(make, s, reg)
        db.session.add(SessionSpeaker(session_id=s.id, external_name=f"Speaker {n}"))
    db.session.commit()
    with query_counter() as large:
        assert len(parse_all(client.get(f"/calendar/{reg.calendar_token}.ics").data)) == 42
    assert large.count == small.count


# --- rotation -------------------------------------------------------------------------------------------

def test_delegate_rotates_the_token_and_the_old_address_answers_404(client, programme, login_as):
    me = programme["me"]
    old = me.calendar_token
    login_as(programme["user"])
    response = client.post(f"/events/gz/calendar/{me.id}/rotate", data={"next": "/events/gz/calendar"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/events/gz/calendar")
    db.session.expire_all()
    new = db.session.get(type(me), me.id).calendar_token
    assert new != old and len(new) >= 22
    page = client.get("/events/gz/calendar").get_data(as_text=True)
    assert "The old address no longer works" in page
    assert new in page and old not in page
    assert client.get(f"/calendar/{old}.ics").status_code == 404
    assert client.get(f"/calendar/{new}.ics").status_code == 200


def test_rotation_is_for_the_delegate_only(client, programme, make, login_as):
    other_user = make.user("stranger@example.org")
    me = programme["me"]
    token = me.calendar_token
    anonymous = client.post(f"/events/gz/calendar/{me.id}/rotate")
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
    login_as(other_user)
    assert client.post(f"/events/gz/calendar/{me.id}/rotate").status_code == 404
    assert client.post("/events/gz/calendar/99999/rotate").status_code == 404
    assert client.get(f"/events/gz/calendar/{me.id}/rotate").status_code == 405
    db.session.expire_all()
    assert db.session.get(type(me), me.id).calendar_token == token


def test_rotation_refuses_an_off_site_redirect(client, programme, login_as):
    login_as(programme["user"])
    me = programme["me"]
    for target in ("https://evil.example/", "//evil.example/x"):
        response = client.post(f"/events/gz/calendar/{me.id}/rotate", data={"next": target})
        assert response.headers["Location"].endswith("/events/gz/calendar")


# --- help page and subscribe box ------------------------------------------------------------------------

def test_help_page_for_a_registered_delegate_shows_their_feed(client, programme, login_as):
    login_as(programme["user"])
    page = client.get("/events/gz/calendar").get_data(as_text=True)
    token = programme["me"].calendar_token
    assert f"http://localhost/calendar/{token}.ics" in page
    assert f"webcal://localhost/calendar/{token}.ics" in page
    assert "calendar.google.com/calendar/r?cid=webcal" in page
    assert f"/events/gz/calendar/{programme['me'].id}/rotate" in page
    for app_name in ("Google Calendar", "Outlook", "Apple Calendar", "Android", "Download once"):
        assert app_name in page
    assert "webcal://localhost/events/gz/agenda.ics" in page


def test_help_page_for_the_public_shows_the_agenda_feed_only(client, programme, make, login_as):
    page = client.get("/events/gz/calendar").get_data(as_text=True)
    assert "http://localhost/events/gz/agenda.ics" in page
    assert "/calendar/" + programme["me"].calendar_token not in page
    assert "Log in" in page
    login_as(make.user("nobody@example.org"))
    page = client.get("/events/gz/calendar").get_data(as_text=True)
    assert programme["me"].calendar_token not in page and programme["other"].calendar_token not in page


def test_public_base_url_is_used_for_feed_links(app, client, programme, login_as):
    app.config["PUBLIC_BASE_URL"] = "https://events.example.org"
    login_as(programme["user"])
    page = client.get("/events/gz/calendar").get_data(as_text=True)
    assert f"webcal://events.example.org/calendar/{programme['me'].calendar_token}.ics" in page
    events = parse_all(feed(client, programme["me"]).data)
    assert all(e["url"].startswith("https://events.example.org/") for e in events.values())


def test_dtstamp_is_the_last_change_not_the_request_time(client, programme):
    opening = programme["opening"]
    opening.changed_at = datetime(2025, 5, 1, 8, 30, tzinfo=UTC)
    db.session.commit()
    events = parse_all(feed(client, programme["me"]).data)
    assert events[uid(opening)]["dtstamp"] == datetime(2025, 5, 1, 8, 30, tzinfo=UTC)
    later = feed(client, programme["me"])
    assert later.data == feed(client, programme["me"]).data  # byte-identical across requests
    assert abs(datetime.now(UTC) - events[uid(programme["panel"])]["dtstamp"]) < timedelta(minutes=5)


def test_focal_point_does_not_see_the_delegates_calendar_address(client, programme, make, login_as):
    """The address gives read access to a person's programme: only they see it (and can pass it on)."""
    from eventhub.registration.models import FocalPoint

    focal = make.user("focal@example.org")
    db.session.add(FocalPoint(delegation_id=programme["me"].delegation_id, user_id=focal.id))
    db.session.commit()
    login_as(focal)
    page = client.get(f"/events/gz/programme?registration_id={programme['me'].id}").get_data(as_text=True)
    assert "Somchai Jaidee" in page
    assert "calendar-subscribe" not in page
    assert programme["me"].calendar_token not in page
