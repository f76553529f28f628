"""Profiles: saving one, the catalogue of listed ones, and whose contact details a person may see."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from babel import Locale
from flask_babel import gettext as _
from sqlalchemy.orm import Session as DbSession
from sqlalchemy.orm import joinedload

from eventhub.economies.models import Economy
from eventhub.errors import DomainError
from eventhub.matching.models import (
    CooperationType,
    MatchingProfile,
    MatchingSettings,
    Meeting,
    Unavailability,
    pack,
)
from eventhub.registration.models import Registration

# Languages a participant may say they speak for business (codes; names shown in the reader's language).
LANGUAGES = ("en", "zh", "es", "ru", "ja", "ko", "id", "vi", "th", "ms", "fil", "fr", "pt")
PAGE_SIZE = 20


def language_label(code: str, reader: str) -> str:
    return Locale.parse(code).get_display_name(Locale.parse(reader)) or code


def save_profile(db: DbSession, settings: MatchingSettings, registration: Registration, *, organisation: str,
                 sectors, cluster_name: str, cluster_location: str, offers: str, seeks: str, offer_types,
                 seek_types, languages, listed: bool, unavailable_slot_ids=()) -> MatchingProfile:
    """Create or update the registration's profile. Sectors must come from the event's list."""
    allowed = set(settings.sector_list)
    unknown = [s for s in sectors if s not in allowed]
    if unknown:
        raise DomainError(_("Choose sectors from the event's list."), field="sectors")
    if not organisation.strip():
        raise DomainError(_("Give the name of your organisation."), field="organisation")
    profile = db.scalar(sa.select(MatchingProfile).where(MatchingProfile.registration_id == registration.id))
    if profile is None:
        profile = MatchingProfile(event_id=registration.event_id, registration_id=registration.id)
        db.add(profile)
    profile.organisation = organisation.strip()
    profile.sectors = pack(sectors)
    profile.cluster_name, profile.cluster_location = cluster_name.strip(), cluster_location.strip()
    profile.offers, profile.seeks = offers.strip(), seeks.strip()
    profile.offer_types = pack(CooperationType(t).value for t in offer_types)
    profile.seek_types = pack(CooperationType(t).value for t in seek_types)
    profile.languages = pack(code for code in languages if code in LANGUAGES)
    profile.listed = listed
    db.flush()
    db.execute(sa.delete(Unavailability).where(Unavailability.profile_id == profile.id))
    for slot_id in sorted(set(unavailable_slot_ids)):
        db.add(Unavailability(profile_id=profile.id, slot_id=slot_id))
    db.flush()
    return profile


@dataclass(frozen=True)
class Filters:
    q: str = ""
    sector: str = ""
    economy_id: int | None = None
    cluster: str = ""
    cooperation: str = ""
    language: str = ""


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def catalogue(db: DbSession, event_id: int, filters: Filters, *, page: int = 1,
              exclude_profile_id: int | None = None) -> tuple[list[MatchingProfile], int]:
    """One page of the listed profiles matching the filters, and how many match: two statements."""
    where = [MatchingProfile.event_id == event_id, MatchingProfile.listed.is_(True)]
    if exclude_profile_id is not None:
        where.append(MatchingProfile.id != exclude_profile_id)
    if filters.q:
        pattern = _like(filters.q.lower())
        where.append(sa.or_(*(sa.func.lower(col).like(pattern, escape="\\") for col in (
            MatchingProfile.organisation, MatchingProfile.offers, MatchingProfile.seeks,
            MatchingProfile.cluster_name, MatchingProfile.cluster_location))))
    if filters.sector:
        where.append(MatchingProfile.sectors.like(_like("," + filters.sector + ","), escape="\\"))
    if filters.cluster:
        where.append(MatchingProfile.cluster_name == filters.cluster)
    if filters.cooperation:
        member = _like("," + filters.cooperation + ",")
        where.append(sa.or_(MatchingProfile.offer_types.like(member, escape="\\"),
                            MatchingProfile.seek_types.like(member, escape="\\")))
    if filters.language:
        where.append(MatchingProfile.languages.like(_like("," + filters.language + ","), escape="\\"))
    if filters.economy_id is not None:
        where.append(Registration.economy_id == filters.economy_id)
    base = sa.select(MatchingProfile).join(Registration, Registration.id == MatchingProfile.registration_id)
    total = db.scalar(sa.select(sa.func.count()).select_from(base.where(*where).subquery()))
    rows = db.scalars(
        base.where(*where)
        .options(joinedload(MatchingProfile.registration).joinedload(Registration.economy))
        .order_by(sa.func.lower(MatchingProfile.organisation), MatchingProfile.id)
        .limit(PAGE_SIZE).offset((max(page, 1) - 1) * PAGE_SIZE)
    ).all()
    return list(rows), total or 0


def filter_choices(db: DbSession, event_id: int) -> tuple[list[Economy], list[str]]:
    """The economies and clusters that listed profiles name (for the filter menus)."""
    listed = sa.and_(MatchingProfile.event_id == event_id, MatchingProfile.listed.is_(True))
    economies = db.scalars(
        sa.select(Economy).join(Registration, Registration.economy_id == Economy.id)
        .join(MatchingProfile, MatchingProfile.registration_id == Registration.id)
        .where(listed).distinct().order_by(Economy.sort_key)).all()
    clusters = db.scalars(sa.select(MatchingProfile.cluster_name).where(listed, MatchingProfile.cluster_name != "")
                          .distinct().order_by(MatchingProfile.cluster_name)).all()
    return list(economies), list(clusters)


def met_profile_ids(db: DbSession, profile_id: int) -> set[int]:
    """The profiles this one has a meeting with: only they see each other's contact details."""
    rows = db.execute(sa.select(Meeting.profile_a_id, Meeting.profile_b_id).where(
        sa.or_(Meeting.profile_a_id == profile_id, Meeting.profile_b_id == profile_id))).all()
    return {a if b == profile_id else b for a, b in rows}


def visible_profile(db: DbSession, event_id: int, profile_id: int, viewer_id: int | None) -> MatchingProfile | None:
    """A profile a participant may open: listed, or one they already have a meeting or request with."""
    profile = db.get(MatchingProfile, profile_id)
    if profile is None or profile.event_id != event_id:
        return None
    if profile.listed or profile.id == viewer_id:
        return profile
    if viewer_id is not None:
        from eventhub.matching.models import MeetingRequest

        low, high = sorted((profile.id, viewer_id))
        known = db.scalar(sa.select(MeetingRequest.id).where(
            MeetingRequest.event_id == event_id, MeetingRequest.low_id == low, MeetingRequest.high_id == high))
        if known is not None:
            return profile
    return None
