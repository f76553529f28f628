"""The public agenda: by day, parallel sessions side by side, seats left, internal hidden; bounded queries."""

from datetime import date, timedelta

import sqlalchemy as sa

from eventhub.agenda.models import SessionSpeaker
from eventhub.extensions import db
from eventhub.signups import services


def test_agenda_by_day_with_parallel_sessions_and_seats(client, make):
    start = date.today() + timedelta(days=30)
    event = make.event(start=start, days=2)
    room = make.room(event, "Hall A")
    make.session(event, title="Opening remarks", kind="opening", start="09:00", end="09:30", room_id=room.id)
    make.session(event, title="Roundtable: biomedicine", kind="roundtable", start="10:30", end="12:00")
    make.session(event, title="Roundtable: new energy", kind="roundtable", start="10:30", end="12:00")
    visit = make.session(event, title="Visit: Seye Biopharma", kind="site_visit", day=1, start="14:00",
                         end="17:00", bookable=True, capacity=2)
    make.session(event, title="Secret planning", is_public=False, start="08:00", end="08:30")
    make.session(event, title="Dropped session", status="cancelled", start="16:00", end="17:00")
    services.book(db.session, visit.id, make.registration(event).id, notify_person=False)
    db.session.commit()
    page = client.get(f"/events/{event.slug}/agenda").get_data(as_text=True)
    assert start.strftime("%A %-d %B %Y") in page
    assert (start + timedelta(days=1)).strftime("%A %-d %B %Y") in page
    assert 'aria-label="2 parallel sessions"' in page
    assert "<strong>1</strong> of 2 seats left" in page
    assert "Hall A" in page and "Asia/Shanghai" in page
    assert "Secret planning" not in page
    assert "<s>Dropped session</s>" in page
    assert f"/events/{event.slug}/sessions/{visit.id}.ics" in page
    # Internal sessions are for staff.
    assert client.get(f"/events/{event.slug}/sessions/{visit.id}").status_code == 200


def _populate(make, event, n_sessions, n_bookings_each):
    room = make.room(event, f"Room {n_sessions}")
    speaker = make.registration(event, category="speaker")
    regs = [make.registration(event) for _ in range(n_bookings_each)]
    for i in range(n_sessions):
        s = make.session(event, title=f"S{i}", start=f"{8 + i % 10:02d}:00", end=f"{8 + i % 10:02d}:45",
                         room_id=room.id, bookable=True, capacity=100, kind="site_visit")
        db.session.add(SessionSpeaker(session_id=s.id, registration_id=speaker.id))
        db.session.add(SessionSpeaker(session_id=s.id, external_name=f"Guest {i}"))
        db.session.commit()
        for reg in regs:
            if i < 10:  # one booking per time slot each
                services.book(db.session, s.id, reg.id, notify_person=False)
        db.session.commit()
    return regs


def test_agenda_and_programme_queries_do_not_grow(client, make, login_as, query_counter):
    small = make.event(slug="small")
    big = make.event(slug="big")
    _populate(make, small, 2, 1)
    _populate(make, big, 40, 6)
    for event in (small, big):
        user = make.user()
        reg = make.registration(event, user=user)
        for s in event_sessions(event)[:8]:
            services.book(db.session, s, reg.id, notify_person=False)
        db.session.commit()
        event.user = user
    counts = {}
    for event in (small, big):
        login_as(event.user)
        client.get(f"/events/{event.slug}/agenda")  # warm caches
        with query_counter() as q:
            assert client.get(f"/events/{event.slug}/agenda").status_code == 200
        with query_counter() as p:
            assert client.get(f"/events/{event.slug}/programme").status_code == 200
        counts[event.slug] = (q.count, p.count)
    assert counts["small"] == counts["big"], counts


def event_sessions(event):
    from eventhub.agenda.models import Session

    return list(db.session.scalars(sa.select(Session.id).where(Session.event_id == event.id).order_by(Session.id)))


def test_public_agenda_shows_fresh_seats_and_edits_after_changes(client, make):
    event = make.event()
    visit = make.session(event, kind="site_visit", title="Visit A", bookable=True, capacity=2)
    assert "<strong>2</strong> of 2 seats left" in client.get(f"/events/{event.slug}/agenda").get_data(as_text=True)
    services.book(db.session, visit.id, make.registration(event).id, notify_person=False)
    db.session.commit()
    assert "<strong>1</strong> of 2 seats left" in client.get(f"/events/{event.slug}/agenda").get_data(as_text=True)
    speaker = make.registration(event, given_name="Old", family_name="Name")
    db.session.add(SessionSpeaker(session_id=visit.id, registration_id=speaker.id))
    visit.changed_at = visit.changed_at + timedelta(seconds=1)
    db.session.commit()
    assert "Old Name" in client.get(f"/events/{event.slug}/agenda").get_data(as_text=True)
    speaker.given_name = "New"
    db.session.commit()
    page = client.get(f"/events/{event.slug}/agenda").get_data(as_text=True)
    assert "New Name" in page and "Old Name" not in page
