"""Read-side queries for event pages. Each returns everything a page needs in a bounded number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy.orm import Session as DbSession
from sqlalchemy.orm import joinedload

from eventhub.accounts.models import EventRole, EventRoleKind, User
from eventhub.accounts.permissions import Action
from eventhub.db import utcnow
from eventhub.economies.models import Economy
from eventhub.events.models import Event, EventStatus, Room, RoomKind
from eventhub.i18n import localized
from eventhub.page_cache import PageCache
from eventhub.registration.list_stamps import list_stamp
from eventhub.registration.models import Delegation, FocalPoint, Registration, RegistrationStatus

PUBLIC_STATUSES = (EventStatus.PUBLISHED, EventStatus.CLOSED)


def _public_list_query():
    # What a list card shows, as plain rows: building ORM objects (and their host economies) for a
    # page of thirty cards cost more than the rest of the page together.
    # title_zh and host_name_zh: for Chinese readers (eventhub.i18n.localized reads them off the row).
    return (sa.select(Event.slug, Event.title, Event.title_zh, Event.start_date, Event.end_date, Event.city,
                      Event.series, Event.status, Economy.name.label("host_name"),
                      Economy.name_zh.label("host_name_zh"))
            .outerjoin(Economy, Economy.id == Event.host_economy_id)
            .where(Event.status.in_(PUBLIC_STATUSES)))


def public_list_stamp(db_session: DbSession) -> tuple:
    """What the public list shows changes exactly when this does: the number of events and the
    latest change to an event or an economy (host names). One statement."""
    economies = sa.select(sa.func.max(Economy.updated_at)).scalar_subquery()
    return tuple(db_session.execute(sa.select(sa.func.count(Event.id), sa.func.max(Event.updated_at), economies)).one())


def public_events_page(db_session: DbSession, today: date, *, page: int = 1, per_page: int = 30
                       ) -> tuple[list[sa.Row], list[sa.Row], bool]:
    """One page of the public list: events still to come (soonest first), then past ones (latest first).

    Returns (upcoming, past, has_more) as rows with the card's fields. Three queries whatever the
    number of events.
    """
    upcoming_q = _public_list_query().where(Event.end_date >= today)
    total_upcoming = db_session.scalar(
        sa.select(sa.func.count()).select_from(Event)
        .where(Event.status.in_(PUBLIC_STATUSES), Event.end_date >= today))
    offset = (page - 1) * per_page
    upcoming = list(db_session.execute(
        upcoming_q.order_by(Event.start_date, Event.id).limit(per_page).offset(offset)))
    room = per_page - len(upcoming)
    # Always asked (at least for one row), so the page costs the same queries however full it is.
    rows = list(db_session.execute(
        _public_list_query().where(Event.end_date < today).order_by(Event.start_date.desc(), Event.id)
        .limit(room + 1).offset(max(0, offset - total_upcoming))))
    past = rows[:room]
    has_more = offset + per_page < total_upcoming or len(rows) > room
    return upcoming, past, has_more


# Built once: every event page asks. Rooms and host economy load when a page uses them.
_EVENT_BY_SLUG = sa.select(Event).where(Event.slug == sa.bindparam("slug"))


def public_rooms(db_session: DbSession, event: Event) -> tuple[list[sa.Row], list[sa.Row]]:
    """(venue rooms, off-site locations) of the event page: (name, address) rows by name."""
    rows = db_session.connection().execute(
        sa.select(Room.name, Room.name_zh, Room.address, Room.kind).where(Room.event_id == event.id).order_by(Room.name)
    ).all()
    return ([r for r in rows if r.kind != RoomKind.OFFSITE], [r for r in rows if r.kind == RoomKind.OFFSITE])


def event_by_slug(db_session: DbSession, slug: str) -> Event | None:
    return db_session.scalar(_EVENT_BY_SLUG, {"slug": slug})


def staff_events(db_session: DbSession, user: User) -> list[tuple[Event, list[str]]]:
    """Events in which the user holds a staff role, with those roles."""
    rows = db_session.execute(
        sa.select(Event, EventRole.role).join(EventRole, EventRole.event_id == Event.id)
        .where(EventRole.user_id == user.id).order_by(Event.start_date.desc(), Event.id)
    ).all()
    grouped: dict[int, tuple[Event, list[str]]] = {}
    for event, role in rows:
        grouped.setdefault(event.id, (event, []))[1].append(role.label)
    return list(grouped.values())


def all_events(db_session: DbSession) -> list[Event]:
    """Every event, drafts included (for site admins)."""
    return list(db_session.scalars(sa.select(Event).order_by(Event.start_date.desc(), Event.id)))


def delegations(db_session: DbSession, event: Event) -> list[tuple[Delegation, int]]:
    """The invited economies in APEC order, each with its number of focal points."""
    focal_count = (
        sa.select(sa.func.count(FocalPoint.id)).where(FocalPoint.delegation_id == Delegation.id)
        .correlate(Delegation).scalar_subquery()
    )
    rows = db_session.execute(
        sa.select(Delegation, focal_count)
        .join(Economy, Economy.id == Delegation.economy_id)
        .where(Delegation.event_id == event.id)
        .options(joinedload(Delegation.economy))
        .order_by(Economy.sort_key, Economy.id)
    ).all()
    return [(d, n) for d, n in rows]


def economies_not_invited(db_session: DbSession, event: Event) -> list[Economy]:
    invited = sa.select(Delegation.economy_id).where(Delegation.event_id == event.id)
    return list(
        db_session.scalars(
            sa.select(Economy).where(Economy.active.is_(True), Economy.id.not_in(invited))
            .order_by(Economy.sort_key, Economy.id)
        )
    )


# --- The organizer's dashboard ----------------------------------------------------------------------

@dataclass
class Attention:
    """Something on the dashboard the staff should act on; `endpoint` is where to act."""

    message: str
    endpoint: str | None = None
    level: str = "warn"  # warn | info
    link_text: str = ""  # empty: "Fix this" in the reader's language (the template says it)
    # Who may follow the link: check-in staff see the dashboard but may not edit the event.
    action: Action = Action.EDIT_EVENT


@dataclass
class ChecklistItem:
    label: str
    done: bool
    endpoint: str


@dataclass
class Dashboard:
    event: Event
    rooms: int = 0
    offsite: int = 0
    delegations: int = 0
    places: int = 0
    places_taken: int = 0
    without_focal_point: list[str] = field(default_factory=list)
    registrations: dict[str, int] = field(default_factory=dict)
    staff: dict[str, int] = field(default_factory=dict)
    checklist: list[ChecklistItem] = field(default_factory=list)
    attention: list[Attention] = field(default_factory=list)

    @property
    def awaiting_approval(self) -> int:
        return self.registrations.get(RegistrationStatus.SUBMITTED.value, 0)

    @property
    def registered(self) -> int:
        active = (RegistrationStatus.SUBMITTED, RegistrationStatus.APPROVED, RegistrationStatus.WAITLISTED)
        return sum(self.registrations.get(s.value, 0) for s in active)


def registration_counts(db_session: DbSession, event_id: int) -> dict[str, int]:
    """The event's registrations by status (value → count).

    The GROUP BY reads every registration of the event (milliseconds at 10,000), so each worker keeps
    the answer while the event's list stamp is unchanged (database triggers change it on any write
    to its registrations: registration/list_stamps.py). The stamp is read before the counts, so what
    is kept under a stamp is at least as new as that stamp.
    """
    stamp = list_stamp(db_session.connection(), event_id)
    cache = current_app.extensions.setdefault("eventhub.registration_counts", PageCache())
    if stamp is not None and (counts := cache.get(event_id, stamp)) is not None:
        return dict(counts)
    counts = {
        status.value if hasattr(status, "value") else str(status): count
        for status, count in db_session.execute(
            sa.select(Registration.status, sa.func.count()).where(Registration.event_id == event_id)
            .group_by(Registration.status))
    }
    if stamp is not None:
        cache.put(event_id, stamp, dict(counts))
    return counts


def dashboard(db_session: DbSession, event: Event) -> Dashboard:
    """Facts, checklist and what needs attention, in a handful of aggregate queries."""
    board = Dashboard(event=event)
    for kind, count in db_session.execute(
        sa.select(Room.kind, sa.func.count()).where(Room.event_id == event.id).group_by(Room.kind)
    ):
        if kind.value == "offsite":
            board.offsite = count
        else:
            board.rooms = count

    has_focal = sa.exists().where(FocalPoint.delegation_id == Delegation.id)
    rows = db_session.execute(
        sa.select(Economy.name, Delegation.quota, Delegation.taken, has_focal, Economy.name_zh)
        .join(Economy, Economy.id == Delegation.economy_id)
        .where(Delegation.event_id == event.id).order_by(Economy.sort_key)
    ).all()
    board.delegations = len(rows)
    board.places = sum(r[1] for r in rows)
    board.places_taken = sum(r[2] for r in rows)
    board.without_focal_point = [localized(r, "name") for r in rows if not r[3]]

    board.registrations = registration_counts(db_session, event.id)
    board.staff = {
        role.value: count
        for role, count in db_session.execute(
            sa.select(EventRole.role, sa.func.count()).where(EventRole.event_id == event.id).group_by(EventRole.role)
        )
    }

    details_done = bool(event.venue and event.city and event.contact_email)
    board.checklist = [
        ChecklistItem(_("Details: venue, city and contact e-mail"), details_done, "events.edit"),
        ChecklistItem(_("Registration opening and closing times"),
                      bool(event.registration_opens_at and event.registration_closes_at), "events.edit"),
        ChecklistItem(_("Rooms or off-site locations"), board.rooms + board.offsite > 0, "events.rooms"),
        ChecklistItem(_("Invited economies"), board.delegations > 0, "events.delegations"),
        ChecklistItem(_("Secretariat staff"), board.staff.get(EventRoleKind.SECRETARIAT.value, 0) > 0, "events.staff"),
        ChecklistItem(_("Published"), event.status != EventStatus.DRAFT, "events.manage"),
    ]

    if event.status == EventStatus.DRAFT:
        board.attention.append(Attention(_("The event is a draft: only its staff can see it. Publish it when "
                                           "the details are right."), None))
    if board.rooms + board.offsite == 0:
        board.attention.append(Attention(_("No rooms or off-site locations yet: sessions need a place."),
                                         "events.rooms"))
    if board.delegations == 0:
        board.attention.append(Attention(_("No economies are invited yet."), "events.delegations"))
    if board.without_focal_point:
        # Names contain commas ("Hong Kong, China"): "; " between them in English, "、" in Chinese.
        # Translators: between economy names in a sentence (the names themselves contain commas).
        names = _("; ").join(board.without_focal_point[:6])
        more = len(board.without_focal_point) - 6
        count = len(board.without_focal_point)
        if more > 0:
            message = ngettext("%(num)d delegation without a focal point: %(names)s; and %(more)d more.",
                               "%(num)d delegations without a focal point: %(names)s; and %(more)d more.",
                               count, names=names, more=more)
        else:
            message = ngettext("%(num)d delegation without a focal point: %(names)s.",
                               "%(num)d delegations without a focal point: %(names)s.", count, names=names)
        board.attention.append(Attention(
            message, "registration.delegations", link_text=_("Invite focal points"),
            action=Action.INVITE_FOCAL_POINTS,
        ))
    if board.awaiting_approval:
        board.attention.append(Attention(ngettext("%(num)d registration awaiting approval.",
                                                  "%(num)d registrations awaiting approval.",
                                                  board.awaiting_approval),
                                         "registration.registrations", link_text=_("Review them"),
                                         action=Action.MANAGE_REGISTRATIONS))
    if (event.status == EventStatus.PUBLISHED and event.registration_closes_at
            and event.registration_closes_at < utcnow() and event.end_date and board.registered == 0):
        board.attention.append(Attention(_("Registration has closed and nobody registered."), None, "info"))
    return board

