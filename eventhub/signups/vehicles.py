"""Site-visit vehicles: seats on a bus or van, taken and given back with conditional UPDATEs."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session as DbSession

from eventhub.agenda.models import Session
from eventhub.errors import Conflict, DomainError, NotFound
from eventhub.registration.models import Registration
from eventhub.signups.models import Booking, BookingStatus, Vehicle


def release_vehicle(db: DbSession, booking: Booking) -> None:
    """Give back the booking's vehicle seat, if it has one (a cancelled or moved booking)."""
    if booking.vehicle_id is not None:
        db.execute(sa.update(Vehicle).where(Vehicle.id == booking.vehicle_id, Vehicle.taken > 0)
                   .values(taken=Vehicle.taken - 1))
        booking.vehicle_id = None


def seat_on_free_vehicle(db: DbSession, booking: Booking) -> Vehicle | None:
    """Give a confirmed booking a seat on the first vehicle (in name order) with one free, with one
    conditional UPDATE on that vehicle's seats. Returns the vehicle, or None when the session has no
    vehicles, the booking already rides one, or every vehicle is full."""
    if booking.vehicle_id is not None:
        return None
    vehicles = db.scalars(sa.select(Vehicle).where(Vehicle.session_id == booking.session_id,
                                                   Vehicle.taken < Vehicle.seats).order_by(Vehicle.name)).all()
    for vehicle in vehicles:
        if db.execute(sa.update(Vehicle).where(Vehicle.id == vehicle.id, Vehicle.taken < Vehicle.seats)
                      .values(taken=Vehicle.taken + 1)).rowcount == 1:
            booking.vehicle_id = vehicle.id
            db.flush()
            return vehicle
    return None


def has_vehicles(db: DbSession, session_id: int) -> bool:
    return db.scalar(sa.select(Vehicle.id).where(Vehicle.session_id == session_id).limit(1)) is not None


def add_vehicle(db: DbSession, session: Session, *, name: str, seats: int, kind: str = "bus", plate: str = "",
                guide_name: str = "", guide_phone: str = "") -> Vehicle:
    name = name.strip()
    if not name:
        raise DomainError(_("Give the vehicle a name, e.g. “Bus 1”."), field="name")
    if seats is None or seats <= 0:
        raise DomainError(_("A vehicle needs at least one seat."), field="seats")
    if db.scalar(sa.select(Vehicle.id).where(Vehicle.session_id == session.id, Vehicle.name == name)):
        raise Conflict(_("This visit already has a vehicle called “%(name)s”.", name=name), field="name")
    vehicle = Vehicle(session_id=session.id, name=name, seats=seats, kind=kind, plate=plate.strip(),
                      guide_name=guide_name.strip(), guide_phone=guide_phone.strip())
    db.add(vehicle)
    db.flush()
    return vehicle


def assign_vehicle(db: DbSession, booking_id: int, vehicle_id: int | None) -> Booking:
    """Put a confirmed person on a vehicle (one conditional UPDATE on its seats), or take them off."""
    booking = db.get(Booking, booking_id)
    if booking is None or booking.status != BookingStatus.CONFIRMED:
        raise DomainError(_("Only confirmed participants can be put on a vehicle."))
    if booking.vehicle_id == vehicle_id:
        return booking
    old_vehicle_id = booking.vehicle_id
    if vehicle_id is not None:
        vehicle = db.get(Vehicle, vehicle_id)
        if vehicle is None or vehicle.session_id != booking.session_id:
            raise NotFound(_("That vehicle does not belong to this visit."))
        taken = db.execute(sa.update(Vehicle).where(Vehicle.id == vehicle_id, Vehicle.taken < Vehicle.seats)
                           .values(taken=Vehicle.taken + 1)).rowcount
        if taken != 1:
            raise Conflict(_("%(vehicle)s is full (%(seats)d seats).", vehicle=vehicle.name, seats=vehicle.seats),
                           field="vehicle_id")
    # Move the booking only if it is still on the vehicle we read (someone else may have moved it
    # meanwhile); only then is the old vehicle's seat given back — never twice.
    still = (Booking.vehicle_id.is_(None) if old_vehicle_id is None else Booking.vehicle_id == old_vehicle_id)
    moved = db.execute(
        sa.update(Booking).where(Booking.id == booking.id, Booking.status == BookingStatus.CONFIRMED, still)
        .values(vehicle_id=vehicle_id).execution_options(synchronize_session=False)
    ).rowcount
    if moved != 1:
        if vehicle_id is not None:
            db.execute(sa.update(Vehicle).where(Vehicle.id == vehicle_id, Vehicle.taken > 0)
                       .values(taken=Vehicle.taken - 1))
        db.refresh(booking)
        raise Conflict(_("This person's vehicle was changed meanwhile. Reload the page and try again."),
                       field="vehicle_id")
    if old_vehicle_id is not None:
        db.execute(sa.update(Vehicle).where(Vehicle.id == old_vehicle_id, Vehicle.taken > 0)
                   .values(taken=Vehicle.taken - 1))
    db.flush()
    db.refresh(booking)
    return booking


def auto_assign_vehicles(db: DbSession, session: Session) -> int:
    """Seat everyone confirmed who has no vehicle yet, filling vehicles in name order. Returns how many."""
    vehicles = db.scalars(sa.select(Vehicle).where(Vehicle.session_id == session.id).order_by(Vehicle.name)).all()
    waiting = db.scalars(
        sa.select(Booking).join(Registration, Registration.id == Booking.registration_id)
        .where(Booking.session_id == session.id, Booking.status == BookingStatus.CONFIRMED,
               Booking.vehicle_id.is_(None))
        .order_by(Booking.economy_id, Registration.family_name, Registration.given_name)
    ).all()
    placed = 0
    for booking in waiting:
        for vehicle in vehicles:
            if db.execute(sa.update(Vehicle).where(Vehicle.id == vehicle.id, Vehicle.taken < Vehicle.seats)
                          .values(taken=Vehicle.taken + 1)).rowcount == 1:
                booking.vehicle_id = vehicle.id
                placed += 1
                break
        else:
            break
    db.flush()
    return placed
