"""Who takes part in an event's business matching, and the organizer's settings for it."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session as DbSession

from eventhub.db import utcnow
from eventhub.errors import DomainError
from eventhub.matching.models import MatchingProfile, MatchingSettings, pack
from eventhub.registration.models import Category, Registration, RegistrationStatus

# Until the organizer says otherwise, delegates, heads of delegation, speakers and guests take part.
DEFAULT_CATEGORIES = (Category.HEAD, Category.DELEGATE, Category.SPEAKER, Category.GUEST)


def settings_of(db: DbSession, event_id: int) -> MatchingSettings | None:
    return db.get(MatchingSettings, event_id)


def settings_or_default(db: DbSession, event_id: int) -> MatchingSettings:
    """The event's settings, or unsaved defaults (matching off) for the settings form."""
    return settings_of(db, event_id) or MatchingSettings(
        event_id=event_id, enabled=False, categories=pack(DEFAULT_CATEGORIES), sectors="", open_request_limit=10)


def save_settings(db: DbSession, event_id: int, *, enabled: bool, categories, sectors: list[str],
                  open_request_limit: int, requests_close_at: datetime | None) -> MatchingSettings:
    if open_request_limit < 1:
        raise DomainError(_("Allow at least one open request per participant."), field="open_request_limit")
    settings = settings_of(db, event_id)
    if settings is None:
        settings = MatchingSettings(event_id=event_id)
        db.add(settings)
    settings.enabled = enabled
    settings.categories = pack(Category(c).value for c in categories)
    # One per line, each once, in the organizer's order.
    seen: dict[str, None] = {}
    for sector in sectors:
        if sector.strip():
            seen.setdefault(sector.strip()[:120], None)
    settings.sectors = "\n".join(seen)
    settings.open_request_limit = open_request_limit
    settings.requests_close_at = requests_close_at
    db.flush()
    return settings


def takes_part(settings: MatchingSettings | None, registration: Registration | None) -> bool:
    return (settings is not None and settings.enabled and registration is not None
            and registration.status == RegistrationStatus.APPROVED
            and (registration.category.value in settings.category_list or registration.matching_only))


def participant_registration(db: DbSession, event_id: int, user_id: int) -> Registration | None:
    """The user's approved registration in the event (whatever its category)."""
    return db.scalar(sa.select(Registration).where(
        Registration.event_id == event_id, Registration.user_id == user_id,
        Registration.status == RegistrationStatus.APPROVED).limit(1))


def profile_of(db: DbSession, registration_id: int) -> MatchingProfile | None:
    return db.scalar(sa.select(MatchingProfile).where(MatchingProfile.registration_id == registration_id))


def requests_open(settings: MatchingSettings, now: datetime | None = None) -> bool:
    return settings.requests_close_at is None or (now or utcnow()) < settings.requests_close_at
