"""Renaming a room or changing its address is a change of place: SEQUENCE rises and those booked get
an update (with the new LOCATION); a change of capacity alone changes nothing in calendars."""

import pytest

from eventhub.extensions import db
from eventhub.mail.delivery import deliver_due
from eventhub.signups import services
from tests.calendars.icscheck import parse_all, unfold


@pytest.fixture
def booked(make, login_as):
    event = make.event(slug="gz")
    hall = make.room(event, "Hall A", address="No. 1 Yuntai Road")
    session = make.session(event, title="Roundtable: new energy", kind="roundtable", start="10:00", end="11:30",
                           room_id=hall.id, bookable=True, capacity=10)
    elsewhere = make.session(event, title="Elsewhere", start="12:00", end="13:00")
    reg = make.registration(event, email="huong@example.vn")
    services.book(db.session, session.id, reg.id)
    db.session.commit()
    login_as(make.staff(event, "organizer"))
    return event, hall, session, elsewhere, reg


def _edit(client, hall, **changes):
    data = {"name": hall.name, "kind": "room", "address": hall.address, "capacity": str(hall.capacity)}
    data.update(changes)
    response = client.post(f"/events/gz/manage/rooms/{hall.id}", data=data)
    assert response.status_code == 302
    deliver_due()


@pytest.mark.parametrize("changes, shown", [
    ({"name": "Hall B"}, "Hall B"),
    ({"address": "No. 9 Tianhe Road"}, "No. 9 Tianhe Road"),
])
def test_a_change_of_place_raises_sequence_and_tells_those_booked(client, booked, mailbox, changes, shown):
    event, hall, session, elsewhere, reg = booked
    before = session.sequence
    mailbox.clear()
    _edit(client, hall, **changes)
    db.session.refresh(session)
    db.session.refresh(elsewhere)
    assert session.sequence == before + 1
    assert elsewhere.sequence == 0  # not held there
    [mail] = mailbox.to(reg.email)
    assert mail.subject.startswith("Changed: Roundtable: new energy")
    assert f"place: now {changes.get('name', 'Hall A')}" in mail.text()
    data = mail.parts("text/calendar")[0].get_content()
    data = data.encode() if isinstance(data, str) else data
    assert "METHOD:REQUEST" in unfold(data)
    assert any(line.startswith("LOCATION:") and shown in line for line in unfold(data))
    uid = f"session-{session.id}@eventhub.test"
    invited = parse_all(data, feed=False)[uid]["sequence"]
    assert invited == session.sequence
    feed = parse_all(client.get(f"/calendar/{reg.calendar_token}.ics").data)
    assert feed[uid]["sequence"] == invited


def test_a_change_of_capacity_alone_is_no_change_of_place(client, booked, mailbox):
    event, hall, session, elsewhere, reg = booked
    mailbox.clear()
    _edit(client, hall, capacity="150")
    db.session.refresh(session)
    assert session.sequence == 0
    assert mailbox.to(reg.email) == []


def test_a_new_venue_address_moves_the_sessions_held_at_the_venue(client, make, login_as, mailbox):
    event = make.event(slug="venue", venue="Baiyun Convention Center", address="No. 1 Yuntai Road")
    plain_room = make.room(event, "Hall C", address="")  # at the venue: its LOCATION is the venue's
    own_address = make.room(event, "Annex", address="No. 5 Other Road")
    at_venue = make.session(event, title="Plenary", kind="plenary", room_id=plain_room.id, bookable=True,
                            capacity=5)
    annex = make.session(event, title="Annex talk", start="11:00", end="12:00", room_id=own_address.id)
    reg = make.registration(event)
    services.book(db.session, at_venue.id, reg.id)
    db.session.commit()
    login_as(make.staff(event, "organizer"))
    mailbox.clear()
    data = {"title": event.title, "slug": event.slug, "timezone": event.timezone,
            "start_date": event.start_date.isoformat(), "end_date": event.end_date.isoformat(),
            "status": "published", "default_quota": str(event.default_quota), "host_economy_id": "None",
            "venue": "Baiyun Convention Center", "address": "No. 8 New Road"}
    assert client.post("/events/venue/manage/details", data=data).status_code == 302
    deliver_due()
    db.session.refresh(at_venue)
    db.session.refresh(annex)
    assert (at_venue.sequence, annex.sequence) == (1, 0)
    [mail] = mailbox.to(reg.email)
    assert "place: now Baiyun Convention Center, No. 8 New Road" in mail.text()
