"""A site visit's calendar entry starts when the bus leaves the meeting point (and ends at the
return), with the meeting point as LOCATION — in the feeds and in the invitation e-mail alike."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from eventhub.agenda.models import SiteVisit
from eventhub.extensions import db
from eventhub.mail.delivery import deliver_due
from eventhub.signups import services
from tests.calendars.icscheck import parse_all

ZONE = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def visit(make):
    event = make.event(slug="visits", timezone="Asia/Shanghai")
    visit = make.session(event, title="Visit to Shifei Cosmetics", kind="site_visit", start="14:00", end="16:30",
                         bookable=True, capacity=10)
    day = event.start_date
    db.session.add(SiteVisit(
        session_id=visit.id, host_name="Guangdong Shifei Cosmetics Co., Ltd.", host_address="Baiyun District",
        meeting_point="Hotel lobby, north entrance",
        departs_at=datetime(day.year, day.month, day.day, 13, 20, tzinfo=ZONE),
        returns_at=datetime(day.year, day.month, day.day, 17, 30, tzinfo=ZONE),
    ))
    db.session.commit()
    return event, visit


def _entry_is_the_departure(parsed, event):
    day = event.start_date
    assert parsed["start"] == datetime(day.year, day.month, day.day, 13, 20, tzinfo=ZONE)
    assert parsed["end"] == datetime(day.year, day.month, day.day, 17, 30, tzinfo=ZONE)
    assert parsed["location"] == "Meeting point: Hotel lobby, north entrance"
    assert "Departure: 13:20 (Asia/Shanghai)" in parsed["description"]
    assert "Visit: 14:00–16:30 (Asia/Shanghai)" in parsed["description"]


def test_feed_entry_starts_at_the_departure_from_the_meeting_point(client, visit):
    event, session = visit
    uid = f"session-{session.id}@eventhub.test"
    _entry_is_the_departure(parse_all(client.get("/events/visits/agenda.ics").data)[uid], event)
    _entry_is_the_departure(parse_all(client.get(f"/events/visits/sessions/{session.id}.ics").data,
                                      feed=False)[uid], event)


def test_invitation_starts_at_the_departure_and_the_mail_says_so(client, make, mailbox, visit):
    event, session = visit
    reg = make.registration(event, email="budi@example.id")
    services.book(db.session, session.id, reg.id)
    db.session.commit()
    deliver_due()
    [mail] = mailbox.to(reg.email)
    data = mail.parts("text/calendar")[0].get_content()
    data = data.encode() if isinstance(data, str) else data
    uid = f"session-{session.id}@eventhub.test"
    _entry_is_the_departure(parse_all(data, feed=False)[uid], event)
    text = mail.text()
    assert "Departure: " in text and "13:20 (Asia/Shanghai) from Hotel lobby, north entrance" in text
    assert "Visit: 14:00–16:30" in text
    assert text.index("Departure:") < text.index("Visit:")
    # The personal feed shows the same entry.
    feed = parse_all(client.get(f"/calendar/{reg.calendar_token}.ics").data)
    assert feed[uid]["start"] == parse_all(data, feed=False)[uid]["start"]
