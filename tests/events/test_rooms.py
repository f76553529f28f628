import pytest
import sqlalchemy as sa

from eventhub.events.models import Room, RoomKind
from eventhub.extensions import db


@pytest.fixture
def event(make, login_as):
    event = make.event(slug="cluster")
    login_as(make.staff(event, "organizer"))
    return event


def rooms(event):
    db.session.expire_all()
    return {r.name: r for r in db.session.scalars(sa.select(Room).where(Room.event_id == event.id))}


def test_organizer_adds_edits_and_deletes_rooms_and_offsite_locations(client, event):
    response = client.post("/events/cluster/manage/rooms", data={"name": "Hall A (plenary)", "kind": "room",
                                                                 "capacity": "150"}, follow_redirects=True)
    assert "“Hall A (plenary)” is added." in response.get_data(as_text=True)
    client.post("/events/cluster/manage/rooms", data={"name": "Guangdong Shifei Cosmetics", "kind": "offsite",
                                                      "address": "Baiyun District", "capacity": ""})
    page = client.get("/events/cluster/manage/rooms").get_data(as_text=True)
    assert "Hall A (plenary)" in page and "Off-site" in page and "Baiyun District" in page
    hall = rooms(event)["Hall A (plenary)"]
    assert hall.capacity == 150 and rooms(event)["Guangdong Shifei Cosmetics"].kind == RoomKind.OFFSITE

    form = client.get(f"/events/cluster/manage/rooms/{hall.id}").get_data(as_text=True)
    assert 'value="Hall A (plenary)"' in form and 'value="150"' in form
    client.post(f"/events/cluster/manage/rooms/{hall.id}", data={"name": "Hall A", "kind": "room", "capacity": "120"})
    assert rooms(event)["Hall A"].capacity == 120

    response = client.post(f"/events/cluster/manage/rooms/{hall.id}/delete", follow_redirects=True)
    assert "“Hall A” is deleted." in response.get_data(as_text=True)
    assert "Hall A" not in rooms(event)


@pytest.mark.parametrize(("data", "message"), [
    ({"name": "", "kind": "room"}, "Give the room or place a name."),
    ({"name": "x" * 201, "kind": "room"}, "Field cannot be longer than 200 characters."),
    ({"name": "Room 1", "kind": "room", "capacity": "-5"}, "The capacity cannot be below zero."),
    ({"name": "Room 1", "kind": "room", "capacity": "lots"}, "Enter a whole number"),
    ({"name": "hall a", "kind": "room"}, "already has a place called"),
])
def test_bad_room_input_is_refused_next_to_the_field(client, make, event, data, message):
    make.room(event, "Hall A")
    response = client.post("/events/cluster/manage/rooms", data=data)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert 'class="error"' in response.get_data(as_text=True)
    assert len(rooms(event)) == 1


def test_room_with_sessions_cannot_be_deleted(client, make, event):
    hall = make.room(event, "Hall A")
    make.session(event, title="Opening", room_id=hall.id)
    response = client.post(f"/events/cluster/manage/rooms/{hall.id}/delete", follow_redirects=True)
    assert "1 session takes place in “Hall A”" in response.get_data(as_text=True)
    assert "Hall A" in rooms(event)


def test_room_of_another_event_is_404(client, make, event):
    other_room = make.room(make.event(slug="other"), "Elsewhere")
    assert client.get(f"/events/cluster/manage/rooms/{other_room.id}").status_code == 404
    assert client.post(f"/events/cluster/manage/rooms/{other_room.id}/delete").status_code == 404
    assert client.get("/events/cluster/manage/rooms/999999").status_code == 404


def test_public_event_page_lists_rooms_and_site_visit_places(client, make):
    event = make.event(slug="open-day")
    make.room(event, "Hall B")
    make.room(event, "Hall A")
    make.room(event, "Shifei Cosmetics plant", kind=RoomKind.OFFSITE, address="Baiyun District")
    page = client.get("/events/open-day/").get_data(as_text=True)
    rooms_part = page.split(">Rooms</h2>", 1)[1].split("</ul>", 1)[0]
    visits_part = page.split(">Site visits</h2>", 1)[1].split("</ul>", 1)[0]
    assert rooms_part.index("Hall A") < rooms_part.index("Hall B") and "Shifei" not in rooms_part
    assert "Shifei Cosmetics plant" in visits_part and "Baiyun District" in visits_part
