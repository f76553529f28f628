"""A delegate books, the organizer moves and cancels: the e-mails and the personal feed follow.

This goes through the sign-up and agenda pages and services (not the calendar code alone), and
reads what the test SMTP server received.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from eventhub.extensions import db
from eventhub.signups.models import Booking
from tests.calendars.icscheck import check_bytes, parse_all, unfold


def invitation(message) -> tuple[str, bytes]:
    [part] = message.parts("text/calendar")
    data = part.get_content()
    data = data.encode() if isinstance(data, str) else data
    method = part.get_param("method")
    assert f"METHOD:{method}" in unfold(data)  # the MIME method matches the METHOD line
    check_bytes(data, feed=False)
    return method, data


@pytest.fixture
def world(make):
    event = make.event(slug="gz", title="SME Cluster Workshop", contact_email="secretariat@sme.example.cn")
    hall = make.room(event, "Hall A")
    visit = make.session(event, title="Site visit: Shifei Cosmetics", kind="site_visit", start="14:00", end="17:00",
                         bookable=True, capacity=20, room_id=hall.id)
    user = make.user("siti@example.my")
    reg = make.registration(event, make.delegation(event, "MAS"), user=user, email="siti@example.my",
                            given_name="Siti", family_name="Aminah")
    return dict(event=event, hall=hall, visit=visit, user=user, reg=reg)


def test_booking_and_cancelling_through_the_pages(client, login_as, mailbox, world):
    visit, reg = world["visit"], world["reg"]
    feed_url = f"/calendar/{reg.calendar_token}.ics"
    assert parse_all(client.get(feed_url).data) == {}

    login_as(world["user"])
    client.post(f"/events/gz/sessions/{visit.id}/book", data={"registration_id": reg.id})
    [confirmation] = mailbox.to("siti@example.my")
    method, data = invitation(confirmation)
    assert method == "REQUEST"
    lines = unfold(data)
    assert any(line.startswith("ORGANIZER") and line.endswith("mailto:secretariat@sme.example.cn") for line in lines)
    assert any(line.startswith("ATTENDEE") and line.endswith("mailto:siti@example.my") for line in lines)
    invited = parse_all(data, feed=False)
    uid = f"session-{visit.id}@eventhub.test"
    assert invited[uid]["start"] == visit.starts_at

    # The same event, same UID and SEQUENCE, appears in the personal feed.
    feed = parse_all(client.get(feed_url).data)
    assert feed[uid]["sequence"] == invited[uid]["sequence"]

    booking = db.session.query(Booking).filter_by(registration_id=reg.id).one()
    mailbox.clear()
    client.post(f"/events/gz/bookings/{booking.id}/cancel")
    [cancellation] = mailbox.to("siti@example.my")
    method, data = invitation(cancellation)
    assert method == "CANCEL"
    cancelled = parse_all(data, feed=False)
    assert cancelled[uid]["sequence"] > invited[uid]["sequence"]
    assert cancelled[uid]["status"] == "CANCELLED"
    assert uid not in parse_all(client.get(feed_url).data)


def test_organizer_moves_then_cancels_the_session(client, login_as, mailbox, world, make):
    from eventhub.agenda import cancellation
    from eventhub.agenda import services as agenda
    from eventhub.signups import services as signups

    visit, reg = world["visit"], world["reg"]
    signups.book(db.session, visit.id, reg.id)
    db.session.commit()
    feed_url = f"/calendar/{reg.calendar_token}.ics"
    before = client.get(feed_url)
    uid = f"session-{visit.id}@eventhub.test"
    assert parse_all(before.data)[uid]["sequence"] == 0

    # Move it one hour later through the agenda service, as the session editor does.
    data = agenda.SessionInput(kind=visit.kind, title=visit.title, starts_at=visit.starts_at + timedelta(hours=1),
                               ends_at=visit.ends_at + timedelta(hours=1), room_id=visit.room_id, bookable=True,
                               capacity=20)
    mailbox.clear()
    agenda.save_session(db.session, world["event"], data, session=visit, accept_warnings=True)
    db.session.commit()
    from eventhub.mail.delivery import deliver_due

    deliver_due()
    [moved] = mailbox.to("siti@example.my")
    method, ics = invitation(moved)
    assert method == "REQUEST"
    assert parse_all(ics, feed=False)[uid]["sequence"] == 1
    after = client.get(feed_url, headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200
    moved_event = parse_all(after.data)[uid]
    assert moved_event["sequence"] == 1
    assert moved_event["start"] == visit.starts_at

    # Cancel the whole session: CANCEL above the last REQUEST; gone from the feeds.
    mailbox.clear()
    cancellation.cancel_session(db.session, visit)
    db.session.commit()
    deliver_due()
    [gone] = mailbox.to("siti@example.my")
    method, ics = invitation(gone)
    assert method == "CANCEL"
    assert parse_all(ics, feed=False)[uid]["sequence"] > 1
    assert uid not in parse_all(client.get(feed_url).data)
    assert uid not in parse_all(client.get("/events/gz/agenda.ics").data)


def test_programme_page_shows_the_subscribe_box(client, login_as, world):
    login_as(world["user"])
    page = client.get("/events/gz/programme").get_data(as_text=True)
    token = world["reg"].calendar_token
    assert f"webcal://localhost/calendar/{token}.ics" in page
    assert f"/events/gz/calendar/{world['reg'].id}/rotate" in page
    assert "/events/gz/calendar" in page  # the help link


def test_agenda_and_event_page_link_the_calendar(client, world):
    agenda = client.get("/events/gz/agenda").get_data(as_text=True)
    assert "/events/gz/agenda.ics" in agenda and "/events/gz/calendar" in agenda
    assert f"/events/gz/sessions/{world['visit'].id}.ics" in agenda
    assert "/events/gz/calendar" in client.get("/events/gz/").get_data(as_text=True)
