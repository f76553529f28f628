"""iTIP invitations as delivered to a real SMTP server: REQUEST on booking, CANCEL with a higher SEQUENCE."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import icalendar
import pytest

from eventhub.calendars.itip import cancel_part, request_part
from eventhub.extensions import db
from eventhub.mail.delivery import deliver_due
from eventhub.mail.outbox import build_message, queue
from tests.calendars.icscheck import check_bytes, parse_all, unfold


def send(session, registration, part, subject="Your booking"):
    queue(db.session, build_message(to=[registration.email], subject=subject, text="See the invitation.",
                                    calendar=part(session, registration.email, registration.full_name)))
    db.session.commit()
    deliver_due()


def calendar_part(message):
    parts = message.parts("text/calendar")
    assert len(parts) == 1
    part = parts[0]
    data = part.get_content()
    if isinstance(data, str):
        data = data.encode("utf-8")
    return part, data


@pytest.fixture
def booked(make):
    event = make.event(slug="gz", title="SME Cluster Workshop", contact_email="Secretariat@SME.example.cn",
                       host_organisation="China Centre for Promotion of SME Development")
    room = make.room(event, "Hall A", address="No. 1 Yuntai Road, Guangzhou")
    session = make.session(event, title="Roundtable: new energy", kind="roundtable", start="10:00", end="11:30",
                           room_id=room.id, bookable=True, capacity=10)
    reg = make.registration(event, economy="VN", given_name="Hương", family_name="Nguyễn",
                            email="huong@example.vn")
    return event, session, reg


def test_request_as_delivered_has_method_organizer_and_attendee(mailbox, booked):
    event, session, reg = booked
    send(session, reg, request_part)
    [message] = mailbox.to("huong@example.vn")
    part, data = calendar_part(message)
    assert part.get_content_type() == "text/calendar"
    assert part.get_param("method") == "REQUEST"
    assert part.get_param("charset").lower() == "utf-8"

    lines = check_bytes(data, feed=False)
    assert "METHOD:REQUEST" in lines
    assert "ORGANIZER;CN=China Centre for Promotion of SME Development:mailto:secretariat@sme.example.cn" in lines
    attendee = next(line for line in lines if line.startswith("ATTENDEE"))
    assert "CN=Hương Nguyễn" in attendee and attendee.endswith(":mailto:huong@example.vn")
    assert "STATUS:CONFIRMED" in lines

    events = parse_all(data, feed=False)
    parsed = events[f"session-{session.id}@eventhub.test"]
    assert parsed["start"] == session.starts_at
    assert parsed["sequence"] == 0
    # The same UID the feeds use, so the e-mail and the subscription are one event in the calendar.
    feed = parse_all(__import__("eventhub.calendars.feeds", fromlist=["x"]).event_ics(db.session, event))
    assert set(feed) == set(events)

    cal = icalendar.Calendar.from_ical(data)
    vevent = cal.walk("VEVENT")[0]
    assert str(vevent["ORGANIZER"]) == "mailto:secretariat@sme.example.cn"
    assert str(vevent["ATTENDEE"]) == "mailto:huong@example.vn"


def test_cancel_as_delivered_has_higher_sequence_and_cancelled_status(mailbox, booked):
    event, session, reg = booked
    session.sequence = 2
    db.session.commit()
    send(session, reg, request_part)
    send(session, reg, cancel_part, subject="Booking cancelled")
    request_msg, cancel_msg = mailbox.to("huong@example.vn")
    _, request_data = calendar_part(request_msg)
    part, cancel_data = calendar_part(cancel_msg)
    assert part.get_param("method") == "CANCEL"
    lines = check_bytes(cancel_data, feed=False)
    assert "METHOD:CANCEL" in lines
    assert "STATUS:CANCELLED" in lines
    req = parse_all(request_data, feed=False)
    can = parse_all(cancel_data, feed=False)
    assert req.keys() == can.keys()
    key = next(iter(can))
    assert can[key]["sequence"] == 3 > req[key]["sequence"] == 2
    assert any(line.startswith("ORGANIZER") for line in lines)
    assert any(line.startswith("ATTENDEE") and line.endswith("mailto:huong@example.vn") for line in lines)


def test_moved_session_sends_an_updated_request(mailbox, booked):
    event, session, reg = booked
    send(session, reg, request_part)
    session.starts_at += timedelta(hours=1)
    session.ends_at += timedelta(hours=1)
    session.sequence += 1
    session.changed_at = datetime.now(UTC) + timedelta(seconds=1)
    db.session.commit()
    send(session, reg, request_part, subject="Session moved")
    first, second = mailbox.to("huong@example.vn")
    a = parse_all(calendar_part(first)[1], feed=False)
    b = parse_all(calendar_part(second)[1], feed=False)
    assert a.keys() == b.keys()
    key = next(iter(a))
    assert b[key]["sequence"] == a[key]["sequence"] + 1
    assert b[key]["start"] == a[key]["start"] + timedelta(hours=1)
    assert b[key]["dtstamp"] > a[key]["dtstamp"]


def test_organizer_falls_back_to_the_default_sender(app, make):
    event = make.event(slug="nocontact")
    session = make.session(event)
    lines = unfold(request_part(session, "X@Example.org", "Dr. X; Y").ics)
    assert "ORGANIZER;CN=EventHub:mailto:no-reply@eventhub.local" in lines
    attendee = next(line for line in lines if line.startswith("ATTENDEE"))
    assert 'CN="Dr. X; Y"' in attendee and attendee.endswith("mailto:x@example.org")
