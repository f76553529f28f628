"""Cancelling a session asks first, says how many people are told, and can be undone (reinstated)."""

import sqlalchemy as sa

from eventhub.agenda.models import Session
from eventhub.extensions import db
from eventhub.mail.delivery import deliver_due
from eventhub.signups import services
from eventhub.signups.models import Booking


def _organizer(make, login_as, event):
    organizer = make.staff(event, "organizer")
    login_as(organizer)
    return organizer


def test_cancel_link_asks_first_and_says_how_many_are_told(client, make, login_as):
    event = make.event()
    visit = make.session(event, kind="site_visit", title="Shifei visit", bookable=True, capacity=1)
    a, b = make.registration(event), make.registration(event)
    services.book(db.session, visit.id, a.id, notify_person=False)
    services.book(db.session, visit.id, b.id, notify_person=False)  # waitlisted
    db.session.commit()
    _organizer(make, login_as, event)
    manage = client.get(f"/events/{event.slug}/agenda/manage").get_data(as_text=True)
    assert f'href="/events/{event.slug}/agenda/sessions/{visit.id}/cancel"' in manage
    page = client.get(f"/events/{event.slug}/agenda/sessions/{visit.id}/cancel")
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "2 participants will be told by e-mail." in body
    assert "1 holding a seat" in body and "1 on the waitlist" in body
    assert "bookings do not come back by themselves" in body
    db.session.refresh(visit)
    assert not visit.is_cancelled  # looking is not cancelling


def test_cancelling_a_session_everyone_attends_tells_every_approved_participant(client, make, login_as, mailbox):
    event = make.event()
    plenary = make.session(event, kind="plenary", title="Opening plenary", for_everyone=True)
    approved = [make.registration(event) for _ in range(3)]
    make.registration(event, status="submitted")
    _organizer(make, login_as, event)
    body = client.get(f"/events/{event.slug}/agenda/sessions/{plenary.id}/cancel").get_data(as_text=True)
    assert "3 participants will be told by e-mail." in body
    mailbox.clear()
    response = client.post(f"/events/{event.slug}/agenda/sessions/{plenary.id}/cancel", follow_redirects=True)
    assert "3 participants were told by e-mail." in response.get_data(as_text=True)
    deliver_due()
    assert {m.recipients[0] for m in mailbox.messages} == {r.email for r in approved}
    assert all("has been cancelled" in m.text() for m in mailbox.messages)
    assert not any(m.parts("text/calendar") for m in mailbox.messages)  # they never had an invitation


def test_one_participant_is_singular(client, make, login_as, mailbox):
    event = make.event()
    visit = make.session(event, kind="site_visit", title="Seye visit", bookable=True, capacity=3)
    services.book(db.session, visit.id, make.registration(event).id, notify_person=False)
    db.session.commit()
    _organizer(make, login_as, event)
    body = client.get(f"/events/{event.slug}/agenda/sessions/{visit.id}/cancel").get_data(as_text=True)
    assert "1 participant will be told by e-mail." in body
    done = client.post(f"/events/{event.slug}/agenda/sessions/{visit.id}/cancel", follow_redirects=True)
    assert "1 participant was told by e-mail." in done.get_data(as_text=True)


def test_a_cancelled_session_can_be_reinstated_without_its_bookings(client, make, login_as):
    event = make.event()
    visit = make.session(event, kind="site_visit", title="Seye visit", bookable=True, capacity=3)
    reg = make.registration(event)
    services.book(db.session, visit.id, reg.id, notify_person=False)
    db.session.commit()
    _organizer(make, login_as, event)
    client.post(f"/events/{event.slug}/agenda/sessions/{visit.id}/cancel")
    db.session.refresh(visit)
    assert visit.is_cancelled
    sequence = visit.sequence
    manage = client.get(f"/events/{event.slug}/agenda/manage").get_data(as_text=True)
    assert "Reinstate…" in manage
    confirm = client.get(f"/events/{event.slug}/agenda/sessions/{visit.id}/cancel").get_data(as_text=True)
    assert "Reinstate the session" in confirm and "Bookings do not come back by themselves" in confirm
    response = client.post(f"/events/{event.slug}/agenda/sessions/{visit.id}/reinstate", follow_redirects=True)
    assert "Its bookings do not come back by themselves" in response.get_data(as_text=True)
    db.session.refresh(visit)
    assert not visit.is_cancelled and visit.sequence == sequence + 1 and visit.taken == 0
    assert set(db.session.scalars(sa.select(Booking.status))) == {"cancelled"}
    assert visit.title in client.get(f"/events/{event.slug}/agenda.ics").get_data(as_text=True)


def test_reinstating_a_scheduled_session_changes_nothing(client, make, login_as):
    event = make.event()
    s = make.session(event, title="Talk")
    _organizer(make, login_as, event)
    response = client.post(f"/events/{event.slug}/agenda/sessions/{s.id}/reinstate", follow_redirects=True)
    assert "This session is not cancelled." in response.get_data(as_text=True)
    assert db.session.get(Session, s.id).sequence == 0


def test_delegates_cannot_cancel(client, make, login_as):
    event = make.event()
    s = make.session(event, title="Talk")
    user = make.user()
    make.registration(event, user=user)
    login_as(user)
    assert client.get(f"/events/{event.slug}/agenda/sessions/{s.id}/cancel").status_code == 403
    assert client.post(f"/events/{event.slug}/agenda/sessions/{s.id}/cancel").status_code == 403
    assert client.post(f"/events/{event.slug}/agenda/sessions/{s.id}/reinstate").status_code == 403
