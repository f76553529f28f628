"""The organizer's session editor: local times, speakers, conflict checks, sequence and changed_at."""

from datetime import date, timedelta

import sqlalchemy as sa

from eventhub.agenda.models import Session, SessionSpeaker
from eventhub.extensions import db
from eventhub.mail.delivery import deliver_due
from eventhub.signups import services
from eventhub.signups.models import Booking


def _form(event, **kw):
    data = {
        "kind": "presentation", "title": "Cluster policy in Guangdong", "description": "",
        "day": event.start_date.isoformat(), "start_time": "09:30", "end_time": "10:15",
        "room_id": "0", "location": "", "sector_tags": "Biomedicine, New energy", "is_public": "y",
        "signup_mode": "first_come",
        "speakers-0-role": "speaker", "speakers-0-registration_id": "0",
        "speakers-0-external_name": "Dr Wang Fang", "speakers-0-affiliation": "Guangdong SME Bureau",
    }
    data.update(kw)
    return {k: v for k, v in data.items() if v is not None}


def _organizer(make, login_as, event):
    organizer = make.staff(event, "organizer")
    login_as(organizer)
    return organizer


def test_create_session_in_event_local_time(client, make, login_as):
    event = make.event(timezone="Asia/Shanghai", start=date(2025, 6, 28))
    _organizer(make, login_as, event)
    response = client.post(f"/events/{event.slug}/agenda/sessions/new", data=_form(event))
    assert response.status_code == 302
    s = db.session.scalar(sa.select(Session))
    assert s.starts_at.isoformat() == "2025-06-28T01:30:00+00:00"  # 09:30 in Guangzhou is 01:30 UTC
    assert s.sector_tags == "Biomedicine, New energy"
    assert [sp.display_name for sp in s.speakers] == ["Dr Wang Fang"]
    page = client.get(f"/events/{event.slug}/agenda").get_data(as_text=True)
    assert "09:30" in page and "Asia/Shanghai (UTC+08:00)" in page and "Dr Wang Fang" in page


def test_end_before_start_is_an_error_and_nothing_is_saved(client, make, login_as):
    event = make.event()
    _organizer(make, login_as, event)
    response = client.post(f"/events/{event.slug}/agenda/sessions/new",
                           data=_form(event, start_time="11:00", end_time="10:00", title="Backwards"))
    assert response.status_code == 200
    assert "The session must end after it starts." in response.get_data(as_text=True)
    assert 'value="Backwards"' in response.get_data(as_text=True)  # what was typed is kept
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Session)) == 0


def test_room_clash_is_a_warning_the_organizer_can_accept(client, make, login_as):
    event = make.event()
    room = make.room(event, "Meeting Room 1")
    make.session(event, title="Roundtable: new energy", start="09:00", end="10:00", room_id=room.id)
    _organizer(make, login_as, event)
    data = _form(event, room_id=str(room.id), title="Overlapping talk")
    response = client.post(f"/events/{event.slug}/agenda/sessions/new", data=data)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Meeting Room 1 is already booked for “Roundtable: new energy”" in body
    assert "Save despite the warnings" in body
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Session)) == 1
    response = client.post(f"/events/{event.slug}/agenda/sessions/new", data={**data, "accept_warnings": "y"})
    assert response.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Session)) == 2


def test_speaker_in_two_places_and_outside_dates_are_warned(client, make, login_as):
    event = make.event(start=date(2025, 6, 28))
    speaker = make.registration(event, category="speaker", given_name="Mei", family_name="Lin")
    other = make.session(event, title="Opening", start="09:00", end="10:00")
    db.session.add(SessionSpeaker(session_id=other.id, registration_id=speaker.id))
    db.session.commit()
    _organizer(make, login_as, event)
    data = _form(event, **{"speakers-0-registration_id": str(speaker.id), "speakers-0-external_name": ""})
    body = client.post(f"/events/{event.slug}/agenda/sessions/new", data=data).get_data(as_text=True)
    assert "Mei Lin is also in “Opening” at the same time" in body
    late = _form(event, day=(event.end_date + timedelta(days=3)).isoformat(), start_time="12:00", end_time="13:00")
    body = client.post(f"/events/{event.slug}/agenda/sessions/new", data=late).get_data(as_text=True)
    assert "outside the event dates" in body


def test_site_visit_return_overlapping_next_session_is_warned(client, make, login_as):
    event = make.event()
    make.session(event, title="Business matching", kind="business_matching", start="17:00", end="18:30",
                 for_everyone=True)
    _organizer(make, login_as, event)
    data = _form(event, kind="site_visit", title="Visit: Shifei Cosmetics", start_time="14:00", end_time="16:30",
                 departs="13:30", returns="17:30", host_name="Guangdong Shifei Cosmetics Co., Ltd.",
                 meeting_point="Hotel lobby", bookable="y", capacity="40")
    body = client.post(f"/events/{event.slug}/agenda/sessions/new", data=data).get_data(as_text=True)
    assert "The visit returns at 17:30, after “Business matching” starts at 17:00" in body


def test_moving_a_session_bumps_sequence_and_tells_booked_people(client, make, login_as, mailbox):
    event = make.event()
    visit = make.session(event, kind="site_visit", title="Seye Biopharma visit", start="14:00", end="16:00",
                         bookable=True, capacity=5)
    reg = make.registration(event)
    services.book(db.session, visit.id, reg.id, notify_person=False)
    db.session.commit()
    before = (visit.sequence, visit.changed_at)
    _organizer(make, login_as, event)
    # A text-only change: changed_at moves, sequence does not.
    data = _form(event, kind="site_visit", title="Seye Biopharma visit", start_time="14:00", end_time="16:00",
                 bookable="y", capacity="5", description="Facility tour", **{"speakers-0-external_name": ""})
    assert client.post(f"/events/{event.slug}/agenda/sessions/{visit.id}/edit", data=data).status_code == 302
    db.session.refresh(visit)
    assert visit.sequence == before[0] and visit.changed_at > before[1]
    mailbox.clear()
    data["start_time"], data["end_time"] = "15:00", "17:00"
    assert client.post(f"/events/{event.slug}/agenda/sessions/{visit.id}/edit", data=data).status_code == 302
    db.session.refresh(visit)
    assert visit.sequence == before[0] + 1
    deliver_due()
    mails = mailbox.to(reg.email)
    assert mails and mails[0].subject.startswith("Changed: Seye Biopharma visit")
    ics = mails[0].parts("text/calendar")[0].get_content()
    assert "METHOD:REQUEST" in ics and f"SEQUENCE:{visit.sequence}" in ics


def test_cancelling_a_session_frees_seats_and_notifies(client, make, login_as, mailbox):
    event = make.event()
    visit = make.session(event, kind="site_visit", title="Shifei visit", bookable=True, capacity=1)
    a, b = make.registration(event), make.registration(event)
    services.book(db.session, visit.id, a.id, notify_person=False)
    services.book(db.session, visit.id, b.id, notify_person=False)
    db.session.commit()
    _organizer(make, login_as, event)
    mailbox.clear()
    response = client.post(f"/events/{event.slug}/agenda/sessions/{visit.id}/cancel")
    assert response.status_code == 302
    db.session.refresh(visit)
    assert visit.is_cancelled and visit.taken == 0
    assert set(db.session.scalars(sa.select(Booking.status))) == {"cancelled"}
    deliver_due()
    assert {m.recipients[0] for m in mailbox.messages} == {a.email, b.email}
    # The seat holder had an invitation: it is withdrawn (METHOD:CANCEL). The waitlisted person
    # never had one: a plain message.
    [to_a], [to_b] = mailbox.to(a.email), mailbox.to(b.email)
    assert "METHOD:CANCEL" in to_a.parts("text/calendar")[0].get_content()
    assert to_b.parts("text/calendar") == [] and "has been cancelled" in to_b.text()
    assert "removes it from your calendar" not in to_b.text()
    page = client.get(f"/events/{event.slug}/agenda").get_data(as_text=True)
    assert "Cancelled" in page and "<s>Shifei visit</s>" in page


def test_delegates_cannot_edit_the_agenda(client, make, login_as):
    event = make.event()
    user = make.user()
    make.registration(event, user=user)
    login_as(user)
    assert client.get(f"/events/{event.slug}/agenda/sessions/new").status_code == 403
    assert client.post(f"/events/{event.slug}/agenda/sessions/new", data=_form(event)).status_code == 403
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Session)) == 0
