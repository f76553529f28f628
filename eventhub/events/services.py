"""Event set-up: events, invited economies and their quotas (rooms: eventhub.events.rooms).

Plain functions with explicit arguments. They enforce the rules, raise DomainError (with `field=`
for form fields), flush and never commit: the request or the CLI command commits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session as DbSession

from eventhub.accounts.models import EventRole, EventRoleKind, User
from eventhub.economies.models import Economy
from eventhub.errors import Conflict, DomainError, NotFound
from eventhub.events.models import Event, EventStatus
from eventhub.i18n import localized, match
from eventhub.registration.models import Delegation, Registration

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
RESERVED_SLUGS = frozenset({"new"})
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _wall_clock(moment: datetime) -> str:
    """A naive event-local time as the reader writes it (the moment may not exist in the zone)."""
    from babel.dates import format_datetime

    from eventhub.formatting import MOMENT_STYLES, date_locale

    return format_datetime(moment, str(MOMENT_STYLES["datetime"]), locale=date_locale())


def _list_separator() -> str:
    """Between the names of a list in a sentence: '、' in Chinese, ', ' in English."""
    # Translators: between the names of a list in a sentence.
    return _(", ")


# --- Time zones ---------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def timezone_names() -> tuple[str, ...]:
    """IANA zone names, sorted; the legacy aliases tzdata also ships are left out of the list."""
    return tuple(sorted(n for n in available_timezones() if "/" in n or n == "UTC"))


def check_timezone(name: str) -> ZoneInfo:
    """The zone for an IANA name, or DomainError(field='timezone')."""
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Choose the event's time zone, for example Asia/Shanghai."), field="timezone")
    try:
        if name not in available_timezones():
            raise ZoneInfoNotFoundError(name)
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise DomainError(
            _("“%(name)s” is not a time zone we know. Use an IANA name such as Asia/Shanghai or America/Lima.",
              name=name),
            field="timezone",
        ) from exc


def local_to_utc(moment: datetime, zone: ZoneInfo, *, field_name: str | None = None) -> datetime:
    """An event-local wall-clock time (naive) as an aware UTC datetime.

    A time that does not exist in the zone (skipped when clocks go forward) is refused rather
    than silently moved.
    """
    try:
        if moment.tzinfo is not None:
            return moment.astimezone(UTC)
        aware = moment.replace(tzinfo=zone)
        back = aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
    except OverflowError:  # e.g. year 1 in a zone east of UTC: before the first representable moment
        raise DomainError(_("Enter a date between the years 1900 and 9998."), field=field_name) from None
    if back != moment:
        raise DomainError(
            _("%(moment)s does not exist in %(zone)s: the clocks change then. Choose another time.",
              moment=_wall_clock(moment), zone=zone.key),
            field=field_name,
        )
    return aware.astimezone(UTC)


# --- Events -------------------------------------------------------------------------------------------

@dataclass
class EventFields:
    """Everything an organizer sets on an event. Registration times are event-local wall-clock times."""

    title: str
    slug: str
    timezone: str
    start_date: date
    end_date: date
    description: str = ""
    series: str = ""
    host_economy_id: int | None = None
    host_organisation: str = ""
    city: str = ""
    venue: str = ""
    address: str = ""
    registration_opens_local: datetime | None = None
    registration_closes_local: datetime | None = None
    status: EventStatus = EventStatus.DRAFT
    contact_email: str = ""
    default_quota: int = 5
    approval_required: bool = True
    # The same in Chinese (shown to Chinese readers where given), and the language of the event's
    # pages for readers whose browser asks for none EventHub offers.
    title_zh: str = ""
    description_zh: str = ""
    default_language: str = "en"
    _utc: dict = field(default_factory=dict, repr=False)


LIMITS = {"title": 300, "slug": 80, "series": 120, "host_organisation": 300, "city": 120, "venue": 300,
          "address": 500, "contact_email": 254, "description": 20_000, "title_zh": 300, "description_zh": 20_000}


def _validate(db_session: DbSession, data: EventFields, *, event_id: int | None) -> None:
    data.title = (data.title or "").strip()
    data.slug = (data.slug or "").strip().lower()
    for name in ("description", "series", "host_organisation", "city", "venue", "address", "contact_email",
                 "title_zh", "description_zh"):
        setattr(data, name, (getattr(data, name) or "").strip())
    if not data.title:
        raise DomainError(_("Give the event a title."), field="title")
    for name, limit in LIMITS.items():
        if len(getattr(data, name)) > limit:
            raise DomainError(_("Use at most %(num)d characters.", num=limit), field=name)
    if not data.slug:
        raise DomainError(_("Give the event a short address (slug)."), field="slug")
    if not SLUG_RE.match(data.slug) or data.slug in RESERVED_SLUGS:
        raise DomainError(_("Use lower-case letters, digits and single hyphens, e.g. smewg-61-lima."), field="slug")
    if match(data.default_language) is None:
        raise DomainError(_("Choose one of the languages EventHub offers."), field="default_language")
    data.default_language = match(data.default_language)
    zone = check_timezone(data.timezone)
    data.timezone = zone.key
    if data.start_date is None:
        raise DomainError(_("Enter the first day of the event."), field="start_date")
    if data.end_date is None:
        raise DomainError(_("Enter the last day of the event."), field="end_date")
    for name in ("start_date", "end_date"):
        if not 1900 <= getattr(data, name).year <= 9998:
            raise DomainError(_("Enter a date between the years 1900 and 9998."), field=name)
    if data.end_date < data.start_date:
        raise DomainError(_("The event cannot end before it starts."), field="end_date")
    if data.contact_email and not EMAIL_RE.match(data.contact_email):
        raise DomainError(_("Enter an e-mail address like name@example.org."), field="contact_email")
    if data.default_quota is None or data.default_quota < 0:
        raise DomainError(_("The quota cannot be below zero."), field="default_quota")
    if data.default_quota > 10_000:
        raise DomainError(_("That is more places than EventHub allows per economy (10,000)."), field="default_quota")
    opens = closes = None
    if data.registration_opens_local is not None:
        opens = local_to_utc(data.registration_opens_local, zone, field_name="registration_opens_local")
    if data.registration_closes_local is not None:
        closes = local_to_utc(data.registration_closes_local, zone, field_name="registration_closes_local")
    for name, moment in (("registration_opens_local", opens), ("registration_closes_local", closes)):
        if moment is not None and not 1900 <= moment.year <= 9998:
            raise DomainError(_("Enter a date between the years 1900 and 9998."), field=name)
    if opens and closes and closes <= opens:
        raise DomainError(_("Registration must close after it opens."), field="registration_closes_local")
    if opens and closes is None:
        # Validate the window as it will be applied: with no closing time, registration closes when
        # the event's last day ends (Event.registration_ends_at).
        default_close = datetime.combine(data.end_date + timedelta(days=1), time(0, 0), tzinfo=zone)
        if default_close.astimezone(UTC) <= opens:
            raise DomainError(
                _("Registration would open after it closes: with no closing time it closes when the event "
                  "ends (%(moment)s %(zone)s). Open it earlier, or set a closing time after the opening.",
                  moment=_wall_clock(default_close.replace(tzinfo=None)), zone=zone.key),
                field="registration_opens_local")
    if data.host_economy_id is not None and db_session.get(Economy, data.host_economy_id) is None:
        raise DomainError(_("Choose a host economy from the list."), field="host_economy_id")
    if _slug_taken(db_session, data.slug, event_id):
        raise Conflict(_("Another event already uses the address “%(slug)s”. Choose another.", slug=data.slug),
                       field="slug")
    data._utc = {"registration_opens_at": opens, "registration_closes_at": closes}


def _slug_taken(db_session: DbSession, slug: str, event_id: int | None) -> bool:
    return db_session.scalar(sa.select(Event.id).where(Event.slug == slug, Event.id != (event_id or -1))) is not None


def _apply(event: Event, data: EventFields) -> None:
    for name in ("title", "slug", "description", "series", "host_economy_id", "host_organisation", "city",
                 "venue", "address", "timezone", "start_date", "end_date", "contact_email", "approval_required",
                 "title_zh", "description_zh", "default_language"):
        setattr(event, name, getattr(data, name))
    event.status = EventStatus(data.status)
    event.registration_opens_at = data._utc["registration_opens_at"]
    event.registration_closes_at = data._utc["registration_closes_at"]


def create_event(db_session: DbSession, data: EventFields, *, creator: User) -> Event:
    """Create an event; its creator becomes its organizer."""
    _validate(db_session, data, event_id=None)
    event = Event(default_quota=data.default_quota)
    _apply(event, data)
    try:
        with db_session.begin_nested():  # two organizers saving the same slug at once
            db_session.add(event)
            db_session.flush()
    except IntegrityError:
        raise Conflict(_("Another event already uses the address “%(slug)s”. Choose another.", slug=data.slug),
                       field="slug") from None
    db_session.add(EventRole(event_id=event.id, user_id=creator.id, role=EventRoleKind.ORGANIZER))
    db_session.flush()
    return event


def update_event(db_session: DbSession, event: Event, data: EventFields) -> Event:
    """Save an event's details. A new default quota carries over to delegations not set by hand.
    A new venue or address moves the sessions held at the venue in people's calendars
    (eventhub.agenda.places)."""
    from eventhub.agenda import places

    _validate(db_session, data, event_id=event.id)
    if data.default_quota != event.default_quota:
        set_default_quota(db_session, event, data.default_quota)
    venue = places.venue_of(event)
    try:
        with db_session.begin_nested():  # another event took the new slug at the same moment
            _apply(event, data)
            db_session.flush()
    except IntegrityError:
        raise Conflict(_("Another event already uses the address “%(slug)s”. Choose another.", slug=data.slug),
                       field="slug") from None
    if places.venue_of(event) != venue:
        places.venue_changed(db_session, event)
    return event


def set_status(db_session: DbSession, event: Event, status: EventStatus) -> Event:
    event.status = EventStatus(status)
    db_session.flush()
    return event


# --- Quotas -------------------------------------------------------------------------------------------

def set_default_quota(db_session: DbSession, event: Event, quota: int) -> int:
    """Change the event's default quota and every delegation that follows it. Returns how many changed.

    Refused when a following delegation already has more places taken than the new default.
    """
    if quota < 0:
        raise DomainError(_("The quota cannot be below zero."), field="default_quota")
    follows = sa.and_(Delegation.event_id == event.id, Delegation.quota_overridden.is_(False))
    too_full = db_session.execute(
        sa.select(Economy.name, Delegation.taken).join(Economy, Economy.id == Delegation.economy_id)
        .where(follows, Delegation.taken > quota).order_by(Economy.sort_key)
    ).all()
    if too_full:
        names = _list_separator().join(_("%(economy)s (%(taken)d)", economy=name, taken=taken)
                                       for name, taken in too_full[:5])
        raise DomainError(
            ngettext("%(num)d delegation already has more places taken than %(quota)d: %(names)s. Raise its quota "
                     "by hand first, or choose a higher default.",
                     "%(num)d delegations already have more places taken than %(quota)d: %(names)s. Raise their "
                     "quota by hand first, or choose a higher default.", len(too_full), quota=quota, names=names),
            field="default_quota",
        )
    # Conditional: a place taken meanwhile makes the row not match, and we notice below.
    changed = db_session.execute(
        sa.update(Delegation).where(follows, Delegation.taken <= quota).values(quota=quota)
        .execution_options(synchronize_session="fetch")
    ).rowcount
    expected = db_session.scalar(sa.select(sa.func.count()).select_from(Delegation).where(follows))
    if changed != expected:
        raise Conflict(_("Places were taken while you saved. Reload the page and try again."), field="default_quota")
    event.default_quota = quota
    db_session.flush()
    _fill_waitlists(db_session, db_session.scalars(sa.select(Delegation).where(follows)).all())
    return changed


def _fill_waitlists(db_session: DbSession, delegations) -> None:
    """A quota went up: the delegation's waitlisted people take the new places (and are e-mailed) now."""
    from eventhub.registration.models import RegistrationStatus
    from eventhub.registration.services import fill_from_waitlist

    for delegation in delegations:
        waiting = db_session.scalar(sa.select(Registration.id).where(
            Registration.delegation_id == delegation.id,
            Registration.status == RegistrationStatus.WAITLISTED).limit(1))
        if waiting is not None and delegation.taken < delegation.quota:
            fill_from_waitlist(db_session, delegation)


def set_delegation_quota(db_session: DbSession, delegation: Delegation, quota: int | None) -> Delegation:
    """Override a delegation's quota (quota=None: follow the event's default again).

    One conditional UPDATE, so a place taken at the same moment can never end up above the quota.
    """
    event = delegation.event
    overridden = quota is not None
    new_quota = quota if overridden else event.default_quota
    if new_quota < 0:
        raise DomainError(_("The quota cannot be below zero."), field="quota")
    changed = db_session.execute(
        sa.update(Delegation)
        .where(Delegation.id == delegation.id, Delegation.taken <= new_quota)
        .values(quota=new_quota, quota_overridden=overridden)
        .execution_options(synchronize_session=False)
    ).rowcount
    db_session.refresh(delegation)
    if not changed:
        raise DomainError(
            ngettext("%(economy)s already has %(num)d place taken; the quota cannot go below that.",
                     "%(economy)s already has %(num)d places taken; the quota cannot go below that.",
                     delegation.taken, economy=localized(delegation.economy, "name")),
            field="quota",
        )
    _fill_waitlists(db_session, [delegation])
    return delegation


# --- Invited economies --------------------------------------------------------------------------------

def invite_economies(
    db_session: DbSession, event: Event, economy_ids: list[int], *, quota: int | None = None
) -> list[Delegation]:
    """Invite economies (one Delegation each) with the event's default quota, or `quota` for all of them."""
    if not economy_ids:
        raise DomainError(_("Choose at least one economy to invite."), field="economy_ids")
    if quota is not None and quota < 0:
        raise DomainError(_("The quota cannot be below zero."), field="quota")
    economies = db_session.scalars(sa.select(Economy).where(Economy.id.in_(set(economy_ids)))).all()
    if len(economies) != len(set(economy_ids)):
        raise DomainError(_("One of the chosen economies does not exist."), field="economy_ids")
    already = _already_invited(db_session, event.id, economy_ids)
    if already:
        names = _list_separator().join(localized(e, "name") for e in economies if e.id in already)
        raise Conflict(_("Already invited: %(names)s.", names=names), field="economy_ids")
    created = []
    try:
        with db_session.begin_nested():  # a double submit: the second one meets the UNIQUE (event, economy)
            for economy in sorted(economies, key=lambda e: e.sort_key):
                delegation = Delegation(
                    event_id=event.id, economy_id=economy.id,
                    quota=event.default_quota if quota is None else quota, quota_overridden=quota is not None,
                )
                db_session.add(delegation)
                created.append(delegation)
            db_session.flush()
    except IntegrityError:
        raise Conflict(_("These economies were invited meanwhile (a second click?). Reload the page to see them."),
                       field="economy_ids") from None
    return created


def _already_invited(db_session: DbSession, event_id: int, economy_ids: list[int]) -> set[int]:
    return set(db_session.scalars(
        sa.select(Delegation.economy_id).where(Delegation.event_id == event_id, Delegation.economy_id.in_(economy_ids))
    ))


def remove_delegation(db_session: DbSession, delegation: Delegation) -> None:
    """Withdraw an invitation. Refused once anyone registered in the delegation."""
    registered = db_session.scalar(
        sa.select(sa.func.count()).select_from(Registration).where(Registration.delegation_id == delegation.id)
    )
    if registered or delegation.taken:
        raise Conflict(
            ngettext("%(economy)s has %(num)d registration; cancel it before withdrawing the invitation.",
                     "%(economy)s has %(num)d registrations; cancel them before withdrawing the invitation.",
                     registered, economy=localized(delegation.economy, "name"))
        )
    db_session.delete(delegation)
    db_session.flush()


def get_delegation(db_session: DbSession, event: Event, delegation_id: int) -> Delegation:
    delegation = db_session.get(Delegation, delegation_id)
    if delegation is None or delegation.event_id != event.id:
        raise NotFound(_("This economy is not invited to this event."))
    return delegation
