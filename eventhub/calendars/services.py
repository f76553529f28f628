"""Write side of calendars: the only change is rotating a personal feed's secret."""

from __future__ import annotations

from sqlalchemy.orm import Session as DbSession

from eventhub.registration.models import Registration, new_token


def rotate_calendar_token(db_session: DbSession, registration: Registration) -> str:
    """Give the registration a new random feed token; the old /calendar/<token>.ics answers 404 from now on."""
    old = registration.calendar_token
    token = new_token()
    while token == old:  # pragma: no cover - 192 random bits
        token = new_token()
    registration.calendar_token = token
    db_session.flush()
    return token
