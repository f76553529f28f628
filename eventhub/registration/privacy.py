"""Removing personal details after an event, keeping what reports count.

Kept: event, economy, delegation, state, sex, category and funding (the counts of every
attendance report), and the dates of state changes. Removed: names, e-mail, contact details,
needs, travel, organisation and position, consents, account link, notes of the history, secrets.
"""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session as DbSession

from eventhub.db import utcnow
from eventhub.events.models import Event
from eventhub.registration.models import Registration, RegistrationLog, new_token


def purge_personal_data(db_session: DbSession, *, days: int, today: date | None = None,
                        event_slug: str | None = None) -> list[tuple[Event, int]]:
    """Purge registrations of events that ended more than `days` days ago. Returns (event, count) pairs."""
    if days < 0:
        raise ValueError("days must not be negative")
    today = today or utcnow().date()
    cutoff = today - timedelta(days=days)
    query = sa.select(Event).where(Event.end_date < cutoff).order_by(Event.end_date)
    if event_slug:
        query = query.where(Event.slug == event_slug)
    done = []
    for event in db_session.scalars(query).all():
        ids = list(db_session.scalars(sa.select(Registration.id).where(
            Registration.event_id == event.id, Registration.personal_data_purged_at.is_(None))))
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            for reg_id in chunk:
                db_session.execute(
                    sa.update(Registration).where(Registration.id == reg_id).values(
                        email=f"purged-{reg_id}@invalid", honorific="", given_name="(removed)",
                        family_name=f"#{reg_id}", name_local="", organisation="", position="", sector="",
                        phone="", dietary="", accessibility="", arrival_at=None, departure_at=None,
                        visa_letter=False, consent_list=False, consent_photo=False, user_id=None,
                        submission_key=None, confirm_token=new_token(), calendar_token=new_token(),
                        personal_data_purged_at=utcnow(),
                    ).execution_options(synchronize_session=False)
                )
            db_session.execute(sa.update(RegistrationLog).where(RegistrationLog.registration_id.in_(chunk))
                               .values(note="").execution_options(synchronize_session=False))
        db_session.flush()
        done.append((event, len(ids)))
    db_session.expire_all()
    return done
