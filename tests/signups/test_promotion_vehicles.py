"""A promotion from a site visit's waitlist takes a free vehicle seat at once, or the manifest says why not."""

import sqlalchemy as sa

from eventhub.extensions import db
from eventhub.signups import services
from eventhub.signups.models import Booking, BookingLog, BookingStatus, Vehicle


def _setup(make, capacity):
    event = make.event()
    visit = make.session(event, kind="site_visit", title="Visit: Shifei", bookable=True, capacity=capacity,
                         start="14:00", end="17:00")
    bus = Vehicle(session_id=visit.id, name="Bus 1", seats=1)
    db.session.add(bus)
    db.session.commit()
    return event, visit, bus


def _book(visit, reg):
    outcome = services.book(db.session, visit.id, reg.id)
    db.session.commit()
    return outcome.booking


def test_the_promoted_person_takes_the_freed_bus_seat_in_the_same_transaction(make):
    event, visit, bus = _setup(make, capacity=1)
    first, second = make.registration(event), make.registration(event)
    held = _book(visit, first)
    services.auto_assign_vehicles(db.session, visit)
    db.session.commit()
    waiting = _book(visit, second)
    assert waiting.status == BookingStatus.WAITLISTED
    services.cancel_booking(db.session, held.id)
    db.session.commit()
    db.session.refresh(waiting)
    db.session.refresh(bus)
    assert waiting.status == BookingStatus.CONFIRMED
    assert waiting.vehicle_id == bus.id and bus.taken == 1
    note = db.session.scalar(sa.select(BookingLog.note).where(BookingLog.booking_id == waiting.id,
                                                              BookingLog.action == "promoted"))
    assert note == "seated on Bus 1"


def test_without_a_free_vehicle_seat_the_manifest_says_why(client, make, login_as):
    event, visit, bus = _setup(make, capacity=2)
    a, b = make.registration(event), make.registration(event)
    c = make.registration(event, family_name="Promoted")
    _book(visit, a)
    services.auto_assign_vehicles(db.session, visit)  # a takes the bus's only seat
    db.session.commit()
    b_booking = _book(visit, b)
    c_booking = _book(visit, c)
    assert c_booking.status == BookingStatus.WAITLISTED
    services.cancel_booking(db.session, b_booking.id)  # b had no vehicle seat to give back
    db.session.commit()
    db.session.refresh(c_booking)
    assert c_booking.status == BookingStatus.CONFIRMED and c_booking.vehicle_id is None
    login_as(make.staff(event, "organizer"))
    page = client.get(f"/events/{event.slug}/sessions/{visit.id}/manifest").get_data(as_text=True)
    assert "No vehicle seat: every vehicle is full (1 of 1 seats taken)" in page
    text = client.get(f"/events/{event.slug}/sessions/{visit.id}/manifest.csv").data.decode("utf-8-sig")
    [line] = [ln for ln in text.splitlines() if "PROMOTED" in ln]
    assert "Not assigned" in line and "every vehicle is full" in line
    assert db.session.scalar(sa.select(Booking.vehicle_id).where(Booking.id == c_booking.id)) is None
