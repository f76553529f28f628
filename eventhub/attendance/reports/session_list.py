"""One session's attendance list: everyone booked for or checked in to it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session as DbSession
from sqlalchemy.orm import aliased

from eventhub.agenda.models import Session
from eventhub.attendance.models import CheckIn
from eventhub.economies.models import Economy
from eventhub.events.models import Event
from eventhub.registration.models import Registration
from eventhub.signups.models import Booking, BookingStatus, Vehicle


@dataclass
class ListEntry:
    registration: Registration
    booked: bool
    vehicle_name: str
    checked_in_at: datetime | None
    checkin_vehicle: str


def session_attendance(db_session: DbSession, event: Event, session: Session) -> list[ListEntry]:
    """Everyone booked for or checked in to one session, in APEC economy order then name (one query)."""
    booking = aliased(Booking)
    checkin = aliased(CheckIn)
    booked_vehicle = aliased(Vehicle)
    checkin_vehicle = aliased(Vehicle)
    rows = db_session.execute(
        sa.select(Registration, Economy, booking.id, booked_vehicle.name, checkin.scanned_at, checkin_vehicle.name)
        .join(Economy, Economy.id == Registration.economy_id)
        .outerjoin(booking, sa.and_(booking.registration_id == Registration.id, booking.session_id == session.id,
                                    booking.status == BookingStatus.CONFIRMED))
        .outerjoin(booked_vehicle, booked_vehicle.id == booking.vehicle_id)
        .outerjoin(checkin, sa.and_(checkin.registration_id == Registration.id, checkin.session_id == session.id,
                                    checkin.undone_at.is_(None)))
        .outerjoin(checkin_vehicle, checkin_vehicle.id == checkin.vehicle_id)
        .where(Registration.event_id == event.id, sa.or_(booking.id.is_not(None), checkin.id.is_not(None)))
        .order_by(Economy.sort_key, Registration.family_name, Registration.given_name, Registration.id)
    ).all()
    return [ListEntry(reg, booking_id is not None, bv or "", scanned, cv or "")
            for reg, _economy, booking_id, bv, scanned, cv in rows]
