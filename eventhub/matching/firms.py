"""Firms through the matching invitation link: the organizer's link, and a firm registering itself
and its representatives. Representatives are approved registrations marked `matching_only`: they
have no delegation (so no quota place and no focal point sees them) and an account to sign in with.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session as DbSession
from sqlalchemy.orm import selectinload

from eventhub.accounts.models import normalise_email
from eventhub.accounts.services import get_or_create_user
from eventhub.db import utcnow
from eventhub.economies.models import Economy
from eventhub.errors import DomainError
from eventhub.matching import firm_mails, images, profiles
from eventhub.matching.firm_models import Firm, FirmMember, FirmSettings
from eventhub.matching.models import MatchingSettings
from eventhub.registration.models import (
    ACTIVE_STATUSES,
    Category,
    Registration,
    RegistrationLog,
    RegistrationStatus,
    new_token,
)

MAX_REPRESENTATIVES = 5
# A representative takes part whatever categories the organizer chose; when firms count in the
# figures, they count as guests.
REPRESENTATIVE_CATEGORY = Category.GUEST


def firm_settings_of(db: DbSession, event_id: int) -> FirmSettings | None:
    return db.get(FirmSettings, event_id)


def _firm_settings(db: DbSession, event_id: int) -> FirmSettings:
    current = firm_settings_of(db, event_id)
    if current is None:
        current = FirmSettings(event_id=event_id, count_in_figures=False)
        db.add(current)
    return current


def rotate_link(db: DbSession, event_id: int) -> str:
    """A new invitation link for firms; the previous one stops working at once."""
    current = _firm_settings(db, event_id)
    current.invite_token = new_token()
    db.flush()
    return current.invite_token


def revoke_link(db: DbSession, event_id: int) -> None:
    current = _firm_settings(db, event_id)
    current.invite_token = None
    db.flush()


def set_count_in_figures(db: DbSession, event_id: int, count: bool) -> None:
    _firm_settings(db, event_id).count_in_figures = count
    db.flush()


def settings_by_token(db: DbSession, token: str) -> FirmSettings | None:
    """The firm settings whose link this is, or None (unknown, revoked or malformed: the same answer)."""
    if not token or len(token) > 64:
        return None
    found = db.scalar(sa.select(FirmSettings).where(FirmSettings.invite_token == token))
    if found is None or not hmac.compare_digest(found.invite_token.encode(), token.encode()):
        return None
    return found


@dataclass
class Representative:
    given_name: str
    family_name: str
    email: str
    position: str = ""
    phone: str = ""
    languages: list[str] = field(default_factory=list)


@dataclass
class FirmDetails:
    name: str
    economy_id: int
    website: str = ""
    sectors: list[str] = field(default_factory=list)
    cluster_name: str = ""
    cluster_location: str = ""
    offers: str = ""
    seeks: str = ""
    offer_types: list[str] = field(default_factory=list)
    seek_types: list[str] = field(default_factory=list)


def register_firm(db: DbSession, settings: MatchingSettings, details: FirmDetails,
                  representatives: list[Representative], *, image: bytes | None = None,
                  language: str | None = None, notify: bool = True) -> Firm:
    """Register a firm and its representatives in the event's matching, each with an account (a
    new one gets a link to choose its password by e-mail). Refuses with the field to fix, changing
    nothing: the caller rolls back on DomainError."""
    event_id = settings.event_id
    name = " ".join(details.name.split())[:300]
    if not name:
        raise DomainError(_("Give the name of your organisation."), field="name")
    if db.get(Economy, details.economy_id) is None:
        raise DomainError(_("Choose your organisation's economy."), field="economy")
    if not representatives:
        raise DomainError(_("Name at least one representative."), field="representatives")
    if len(representatives) > MAX_REPRESENTATIVES:
        raise DomainError(_("At most %(n)s representatives.", n=MAX_REPRESENTATIVES), field="representatives")
    emails = [normalise_email(r.email) for r in representatives]
    if len(set(emails)) != len(emails):
        raise DomainError(_("Each representative needs their own e-mail address."), field="representatives")
    taken = db.scalar(sa.select(Registration.email).where(
        Registration.event_id == event_id, Registration.email.in_(emails),
        Registration.status.in_(ACTIVE_STATUSES)).limit(1))
    if taken is not None:
        raise DomainError(_("%(email)s is already registered for this event. Sign in with it instead.",
                            email=taken), field="representatives")
    if db.scalar(sa.select(Firm.id).where(Firm.event_id == event_id, sa.func.lower(Firm.name) == name.lower())):
        raise DomainError(_("%(name)s is already registered for the business matching. Ask its "
                            "representatives to add you, or the organizers.", name=name), field="name")
    png = images.profile_png(image, field="image") if image else None
    firm = Firm(event_id=event_id, name=name, economy_id=details.economy_id, website=details.website.strip()[:300])
    try:
        with db.begin_nested():
            db.add(firm)
            db.flush()
    except IntegrityError:
        raise DomainError(_("%(name)s is already registered for the business matching. Ask its "
                            "representatives to add you, or the organizers.", name=name), field="name") from None
    for rep, email in zip(representatives, emails, strict=True):
        user, _created = get_or_create_user(db, email, name=f"{rep.given_name} {rep.family_name}".strip())
        reg = Registration(
            event_id=event_id, delegation_id=None, economy_id=details.economy_id, user_id=user.id, email=email,
            given_name=rep.given_name.strip()[:120], family_name=rep.family_name.strip()[:120],
            organisation=name, position=rep.position.strip()[:200], phone=rep.phone.strip()[:50],
            language=language, category=REPRESENTATIVE_CATEGORY, status=RegistrationStatus.APPROVED,
            matching_only=True, privacy_acknowledged_at=utcnow())
        db.add(reg)
        db.flush()
        db.add(RegistrationLog(registration_id=reg.id, action="matching_firm", to_status=reg.status.value,
                               note=name[:500]))
        db.add(FirmMember(registration_id=reg.id, firm_id=firm.id))
        profile = profiles.save_profile(
            db, settings, reg, organisation=name, sectors=details.sectors, cluster_name=details.cluster_name,
            cluster_location=details.cluster_location, offers=details.offers, seeks=details.seeks,
            offer_types=details.offer_types, seek_types=details.seek_types, languages=rep.languages, listed=True)
        if png is not None:
            images.store(db, profile, png)
        if notify:
            firm_mails.representative_welcome(db, user=user, registration=reg)
    db.flush()
    return firm


def firms_of(db: DbSession, event_id: int) -> list[Firm]:
    """The event's firms with their representatives, for the organizer (two statements)."""
    return list(db.scalars(sa.select(Firm).where(Firm.event_id == event_id)
                           .options(selectinload(Firm.members).selectinload(FirmMember.registration))
                           .order_by(sa.func.lower(Firm.name), Firm.id)).all())
