"""Races on vehicles and capacity: counters stay true, and the organizer gets a message, not a 500."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from eventhub.agenda import services as agenda
from eventhub.agenda.models import Session, SessionKind
from eventhub.errors import Conflict, DomainError
from eventhub.extensions import db
from eventhub.signups import services
from eventhub.signups.models import Booking, Vehicle
from tests.signups.test_concurrency import run_concurrently


def _visit(make, event, capacity=10):
    return make.session(event, kind="site_visit", title="Shifei factory tour", bookable=True, capacity=capacity,
                        start="14:00", end="17:00")


@pytest.mark.slow
def test_concurrent_vehicle_changes_release_the_old_vehicle_once(app, make):
    event = make.event()
    visit = _visit(make, event)
    vans = [services.add_vehicle(db.session, visit, name=f"Van {i}", seats=3).id for i in range(1, 6)]
    booking = services.book(db.session, visit.id, make.registration(event).id, notify_person=False).booking
    services.assign_vehicle(db.session, booking.id, vans[0])
    db.session.commit()
    booking_id = booking.id
    db.session.rollback()

    errors = run_concurrently(app, 4, lambda i: services.assign_vehicle(db.session, booking_id, vans[i + 1]))
    assert all(isinstance(e, Conflict) for e in errors), errors
    db.session.rollback()
    taken = dict(db.session.execute(sa.select(Vehicle.id, Vehicle.taken)).all())
    on = db.session.scalar(sa.select(Booking.vehicle_id).where(Booking.id == booking_id))
    # The manifest and the seat counts agree: one person, one seat, on the vehicle they are listed on.
    assert sum(taken.values()) == 1 and taken[on] == 1


def test_a_stale_vehicle_change_is_refused_not_double_counted(make):
    event = make.event()
    visit = _visit(make, event)
    bus1, bus2, bus3 = (services.add_vehicle(db.session, visit, name=f"Bus {i}", seats=3) for i in (1, 2, 3))
    booking = services.book(db.session, visit.id, make.registration(event).id, notify_person=False).booking
    services.assign_vehicle(db.session, booking.id, bus1.id)
    db.session.commit()
    assert booking.vehicle_id == bus1.id  # loaded: this request read "on Bus 1"
    # Meanwhile another request moved them to Bus 2 and committed.
    db.session.execute(sa.update(Booking).where(Booking.id == booking.id).values(vehicle_id=bus2.id)
                       .execution_options(synchronize_session=False))
    db.session.execute(sa.update(Vehicle).where(Vehicle.id == bus1.id).values(taken=0))
    db.session.execute(sa.update(Vehicle).where(Vehicle.id == bus2.id).values(taken=1))
    with pytest.raises(Conflict, match="changed meanwhile"):
        services.assign_vehicle(db.session, booking.id, bus3.id)
    db.session.commit()
    taken = dict(db.session.execute(sa.select(Vehicle.name, Vehicle.taken)).all())
    assert taken == {"Bus 1": 0, "Bus 2": 1, "Bus 3": 0}


def test_lowering_capacity_below_seats_taken_meanwhile_gives_a_message(make):
    event = make.event()
    visit = _visit(make, event, capacity=5)
    regs = [make.registration(event) for _ in range(3)]
    services.book(db.session, visit.id, regs[0].id, notify_person=False)
    db.session.commit()
    assert visit.taken == 1  # the organizer's form was read with one seat taken
    # Two more seats are taken by other requests before the organizer saves.
    db.session.execute(sa.update(Session).where(Session.id == visit.id).values(taken=3)
                       .execution_options(synchronize_session=False))
    data = agenda.SessionInput(kind=SessionKind.SITE_VISIT, title=visit.title, starts_at=visit.starts_at,
                               ends_at=visit.ends_at, bookable=True, capacity=2)
    with pytest.raises(DomainError, match="3 seats are already taken"):
        agenda.save_session(db.session, event, data, session=visit, accept_warnings=True)
    db.session.rollback()
    db.session.expire_all()
    assert db.session.get(Session, visit.id).capacity == 5
