"""Read endpoints: events with sessions and economies, registrations, delegations, bookings,
check-ins and the attendance summary. Each list is one statement (plus the caller's token and
roles), whatever its length; pages follow the id (keyset), so rows inserted meanwhile never shift
a page."""

from __future__ import annotations

from datetime import UTC

import sqlalchemy as sa
from flask import abort
from spectree import Response as Answers
from sqlalchemy.orm import contains_eager, joinedload

from eventhub.accounts.permissions import Action
from eventhub.agenda.models import Session as AgendaSession
from eventhub.api import schemas as s
from eventhub.api.auth import allow, caller, may
from eventhub.api.models import Scope
from eventhub.api.views import api, bp, decode_cursor, json_with_etag, page_of
from eventhub.attendance.models import CheckIn
from eventhub.attendance.reports.summary import build_summary
from eventhub.economies.models import Economy
from eventhub.events.models import Event, EventStatus
from eventhub.events.queries import event_by_slug
from eventhub.extensions import db
from eventhub.registration.delegations import delegation_counts
from eventhub.registration.models import Delegation, Registration
from eventhub.signups.models import Booking

ERRORS = {"HTTP_400": s.Error, "HTTP_401": s.Error, "HTTP_403": s.Error, "HTTP_404": s.Error}
TOKEN_OPTIONAL = [{}, {"bearer": []}]  # published events answer anyone; a staff token also sees drafts


def visible_event(slug: str) -> Event:
    """The event of a URL: published ones for anyone, drafts only for a token whose owner may see them."""
    event = event_by_slug(db.session, slug)
    if event is None:
        abort(404)
    if event.status == EventStatus.DRAFT and not may(caller(db.session), Scope.READ_EVENT, Action.VIEW_DRAFT, event):
        abort(404)
    return event


def _utc(moment):
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def _event_summary(event: Event) -> dict:
    return dict(slug=event.slug, title=event.title, city=event.city, start_date=event.start_date,
                end_date=event.end_date, timezone=event.timezone, status=event.status.value)


@bp.route("/events")
@api.validate(query=s.Page, resp=Answers(HTTP_200=s.EventList, HTTP_304=None, **ERRORS), tags=["events"],
              security=TOKEN_OPTIONAL)
def list_events(query: s.Page):
    """Published events, soonest last (no token needed)."""
    after = decode_cursor(query.cursor)
    rows = list(db.session.scalars(
        sa.select(Event).where(Event.status != EventStatus.DRAFT, Event.id > after)
        .order_by(Event.id).limit(query.limit + 1)))
    rows, cursor = page_of(rows, query.limit)
    return json_with_etag(s.EventList(data=[s.EventSummary(**_event_summary(e)) for e in rows], next_cursor=cursor))


@bp.route("/events/<slug>")
@api.validate(resp=Answers(HTTP_200=s.EventDetail, HTTP_304=None, **ERRORS), tags=["events"],
              security=TOKEN_OPTIONAL)
def get_event(slug: str):
    """An event with its sessions (rooms, capacity, seats left) and the economies invited."""
    event = visible_event(slug)
    staff = may(caller(db.session), Scope.READ_EVENT, Action.VIEW_DASHBOARD, event)
    sessions_q = (sa.select(AgendaSession).where(AgendaSession.event_id == event.id)
                  .options(joinedload(AgendaSession.room)).order_by(AgendaSession.starts_at, AgendaSession.id))
    if not staff:
        sessions_q = sessions_q.where(AgendaSession.is_public.is_(True))
    sessions = [
        s.Session(id=x.id, title=x.title, kind=x.kind.value, status=x.status.value, starts_at=_utc(x.starts_at),
                  ends_at=_utc(x.ends_at), bookable=x.bookable, capacity=x.capacity,
                  seats_left=max(x.capacity - x.taken, 0) if x.bookable and x.capacity is not None else None,
                  room=s.Room(id=x.room.id, name=x.room.name, capacity=x.room.capacity) if x.room else None)
        for x in db.session.scalars(sessions_q).unique()]
    economies = [s.Economy(code=code, name=name) for code, name in db.session.execute(
        sa.select(Economy.code, Economy.name).join(Delegation, Delegation.economy_id == Economy.id)
        .where(Delegation.event_id == event.id).order_by(Economy.name))]
    return json_with_etag(s.EventDetail(**_event_summary(event), description=event.description, venue=event.venue,
                                        sessions=sessions, economies=economies))


def _registration(reg: Registration) -> s.Registration:
    return s.Registration(id=reg.id, economy=reg.economy.code, delegation_id=reg.delegation_id, email=reg.email,
                          given_name=reg.given_name, family_name=reg.family_name, organisation=reg.organisation,
                          position=reg.position, category=reg.category.value, state=reg.status.value,
                          created_at=_utc(reg.created_at), updated_at=_utc(reg.updated_at))


# A page of registrations reads these columns, not whole ORM objects: a row of 100 is most of its cost.
_REGISTRATION_COLUMNS = (
    Registration.id, Economy.code.label("economy"), Registration.delegation_id, Registration.email,
    Registration.given_name, Registration.family_name, Registration.organisation, Registration.position,
    Registration.category, Registration.status, Registration.created_at, Registration.updated_at)


def _registration_row(row) -> s.Registration:
    return s.Registration(id=row.id, economy=row.economy, delegation_id=row.delegation_id, email=row.email,
                          given_name=row.given_name, family_name=row.family_name, organisation=row.organisation,
                          position=row.position, category=row.category.value, state=row.status.value,
                          created_at=_utc(row.created_at), updated_at=_utc(row.updated_at))


@bp.route("/events/<slug>/registrations")
@api.validate(query=s.RegistrationQuery, resp=Answers(HTTP_200=s.RegistrationList, HTTP_304=None, **ERRORS),
              tags=["registrations"])
def list_registrations(slug: str, query: s.RegistrationQuery):
    """Registrations of an event, for the event's staff; filter by economy, state, category, updated_since."""
    event = visible_event(slug)
    allow(caller(db.session), Scope.READ_REGISTRATIONS, Action.MANAGE_REGISTRATIONS, event)
    q = (sa.select(*_REGISTRATION_COLUMNS).join(Economy, Economy.id == Registration.economy_id)
         .where(Registration.event_id == event.id, Registration.id > decode_cursor(query.cursor)))
    if query.economy:
        q = q.where(Economy.code == query.economy.upper())
    if query.state:
        q = q.where(Registration.status == query.state)
    if query.category:
        q = q.where(Registration.category == query.category)
    if query.updated_since:
        q = q.where(Registration.updated_at >= query.updated_since)
    rows, cursor = page_of(db.session.execute(q.order_by(Registration.id).limit(query.limit + 1)).all(), query.limit)
    return json_with_etag(s.RegistrationList(data=[_registration_row(r) for r in rows], next_cursor=cursor))


@bp.route("/events/<slug>/delegations")
@api.validate(resp=Answers(HTTP_200=s.DelegationList, HTTP_304=None, **ERRORS), tags=["registrations"])
def list_delegations(slug: str):
    """Delegations with their quota, places taken and registrations per state."""
    event = visible_event(slug)
    allow(caller(db.session), Scope.READ_EVENT, Action.MANAGE_REGISTRATIONS, event)
    counts = delegation_counts(db.session, event)
    rows = db.session.scalars(sa.select(Delegation).join(Delegation.economy)
                              .options(contains_eager(Delegation.economy))
                              .where(Delegation.event_id == event.id).order_by(Delegation.id))
    return json_with_etag(s.DelegationList(data=[
        s.Delegation(id=d.id, economy=d.economy.code, quota=d.quota, taken=d.taken,
                     places_left=max(d.quota - d.taken, 0), counts=counts.get(d.id, {})) for d in rows]))


@bp.route("/events/<slug>/sessions/<int:session_id>/bookings")
@api.validate(query=s.SyncPage, resp=Answers(HTTP_200=s.BookingList, HTTP_304=None, **ERRORS), tags=["bookings"])
def list_bookings(slug: str, session_id: int, query: s.SyncPage):
    """Bookings (confirmed, waitlisted, cancelled) of one session."""
    event = visible_event(slug)
    allow(caller(db.session), Scope.READ_REGISTRATIONS, Action.MANAGE_BOOKINGS, event)
    q = (sa.select(Booking).join(AgendaSession, AgendaSession.id == Booking.session_id)
         .where(AgendaSession.event_id == event.id, Booking.session_id == session_id,
                Booking.id > decode_cursor(query.cursor)))
    if query.updated_since:
        q = q.where(Booking.updated_at >= query.updated_since)
    rows, cursor = page_of(list(db.session.scalars(q.order_by(Booking.id).limit(query.limit + 1))), query.limit)
    return json_with_etag(s.BookingList(data=[
        s.Booking(id=b.id, registration_id=b.registration_id, session_id=b.session_id, status=b.status.value,
                  updated_at=_utc(b.updated_at)) for b in rows], next_cursor=cursor))


@bp.route("/events/<slug>/checkins")
@api.validate(query=s.SyncPage, resp=Answers(HTTP_200=s.CheckInList, HTTP_304=None, **ERRORS), tags=["check-ins"])
def list_checkins(slug: str, query: s.SyncPage):
    """Check-ins of an event (undone ones too, marked), for incremental sync with updated_since."""
    event = visible_event(slug)
    allow(caller(db.session), Scope.READ_REGISTRATIONS, Action.CHECK_IN, event)
    q = sa.select(CheckIn).where(CheckIn.event_id == event.id, CheckIn.id > decode_cursor(query.cursor))
    if query.updated_since:
        q = q.where(sa.or_(CheckIn.recorded_at >= query.updated_since, CheckIn.undone_at >= query.updated_since))
    rows, cursor = page_of(list(db.session.scalars(q.order_by(CheckIn.id).limit(query.limit + 1))), query.limit)
    return json_with_etag(s.CheckInList(data=[
        s.CheckIn(id=c.id, registration_id=c.registration_id, day=c.day, session_id=c.session_id,
                  scanned_at=_utc(c.scanned_at), recorded_at=_utc(c.recorded_at), undone=c.undone_at is not None)
        for c in rows], next_cursor=cursor))


def _row(row) -> s.SummaryRow:
    return s.SummaryRow(key=str(row.key), label=str(row.label), registered=row.registered, approved=row.approved,
                        attended=row.attended, no_shows=row.no_shows)


@bp.route("/events/<slug>/attendance")
@api.validate(resp=Answers(HTTP_200=s.AttendanceSummary, HTTP_304=None, **ERRORS), tags=["check-ins"])
def attendance_summary(slug: str):
    """The attendance summary: the same figures as the report page (the same service builds both)."""
    event = visible_event(slug)
    allow(caller(db.session), Scope.READ_REGISTRATIONS, Action.VIEW_REPORTS, event)
    built = build_summary(db.session, event)
    return json_with_etag(s.AttendanceSummary(
        totals=_row(built.totals), economies_registered=built.economies_registered,
        economies_represented=built.economies_represented, by_economy=[_row(r) for r in built.by_economy],
        by_category=[_row(r) for r in built.by_category],
        per_day=[s.DayFigures(day=d.day, attended=d.attended, economies=d.economies, no_shows=d.no_shows)
                 for d in built.per_day],
        per_session=[s.SessionFigures(session_id=x.session_id, title=x.title, booked=x.booked, attended=x.attended,
                                      capacity=x.capacity) for x in built.per_session]))
