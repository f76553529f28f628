from eventhub.calendars.feeds import event_ics
from eventhub.calendars.itip import cancel_part, request_part
from eventhub.extensions import db


def test_builders_smoke(make):
    event = make.event(title="工作坊 Workshop")
    room = make.room(event)
    s = make.session(event, room_id=room.id, title="Opening – 开幕式 " * 5, description="Line1\nLine2; a, b")
    data = event_ics(db.session, event)
    print(data.decode())
    req = request_part(s, "A@Example.org", "Somchai, Dr")
    print(req.ics.decode())
    print(cancel_part(s, "a@example.org", "Somchai").ics.decode())
