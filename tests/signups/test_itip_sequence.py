"""iTIP after cancel and re-book: every message to a person goes above the CANCEL they were sent."""

import icalendar

from eventhub.extensions import db
from eventhub.mail.delivery import deliver_due
from eventhub.signups import services


def _vevent(message):
    [part] = message.parts("text/calendar")
    data = part.get_content()
    data = data.encode("utf-8") if isinstance(data, str) else data
    cal = icalendar.Calendar.from_ical(data)
    return str(cal["METHOD"]), cal.walk("VEVENT")[0]


def _messages(mailbox, address):
    return [_vevent(m) for m in mailbox.to(address) if m.parts("text/calendar")]


def test_rebooking_after_cancel_sends_a_request_above_the_cancel(make, mailbox):
    event = make.event()
    visit = make.session(event, kind="site_visit", bookable=True, capacity=5, start="14:00", end="17:00")
    reg = make.registration(event, email="mai@example.vn")

    first = services.book(db.session, visit.id, reg.id)
    db.session.commit()
    services.cancel_booking(db.session, first.booking.id)
    db.session.commit()
    again = services.book(db.session, visit.id, reg.id)
    db.session.commit()
    deliver_due()
    assert again.confirmed

    sent = _messages(mailbox, "mai@example.vn")
    assert [method for method, _ in sent] == ["REQUEST", "CANCEL", "REQUEST"]
    sequences = [int(v["SEQUENCE"]) for _, v in sent]
    assert sequences[1] > sequences[0]
    assert sequences[2] > sequences[1], sequences  # the calendar applies the new invitation
    stamps = [v["DTSTAMP"].dt for _, v in sent]
    assert stamps[2] >= stamps[1]

    # And the next message after that (cancelling again) goes higher still.
    services.cancel_booking(db.session, again.booking.id)
    db.session.commit()
    deliver_due()
    method, last = _messages(mailbox, "mai@example.vn")[-1]
    assert method == "CANCEL" and int(last["SEQUENCE"]) > sequences[2]
