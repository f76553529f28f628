"""Which registrations the event's figures count: firm representatives who joined only the
business matching are left out unless the organizer counts them (firm settings)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session as DbSession

from eventhub.matching.firm_models import FirmSettings
from eventhub.registration.models import Registration


def firms_counted(db: DbSession, event_id: int) -> bool:
    return bool(db.scalar(sa.select(FirmSettings.count_in_figures).where(FirmSettings.event_id == event_id)))


def counted(db: DbSession, event_id: int):
    """A WHERE clause on Registration for attendance, registration and completion figures."""
    if firms_counted(db, event_id):
        return sa.true()
    return Registration.matching_only.is_(False)
