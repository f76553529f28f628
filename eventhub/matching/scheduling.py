"""Slots and tables of the business-matching sessions, and the schedule: proposed by the solver,
looked at by the organizer, published on confirmation."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session as DbSession
from sqlalchemy.orm import joinedload

from eventhub.agenda.models import Session, SessionKind
from eventhub.db import utcnow
from eventhub.errors import DomainError
from eventhub.matching.models import (
    MatchingProfile,
    MatchingSession,
    MatchingSlot,
    MatchingTable,
    Meeting,
    MeetingSeat,
    Unavailability,
)
from eventhub.matching.solver import Problem, solve
from eventhub.registration.models import Registration

MAX_TABLES = 200
# place_earliest reads this many free places at once, and reads again after losing them all to races.
PLACES_PER_TRY, TRIES = 50, 3


def matching_sessions(db: DbSession, event_id: int) -> list[tuple[Session, MatchingSession | None]]:
    """The event's business-matching sessions of the agenda, each with its set-up if it has one."""
    sessions = db.scalars(sa.select(Session).where(Session.event_id == event_id,
                                                   Session.kind == SessionKind.BUSINESS_MATCHING)
                          .order_by(Session.starts_at)).all()
    setups = {m.session_id: m for m in db.scalars(sa.select(MatchingSession).where(
        MatchingSession.event_id == event_id).options(joinedload(MatchingSession.tables))).unique()}
    return [(s, setups.get(s.id)) for s in sessions]


def configure_session(db: DbSession, session: Session, *, meeting_minutes: int, break_minutes: int,
                      table_names: list[str]) -> MatchingSession:
    """Cut the session into slots of meeting + break and set its tables. Refused while meetings of
    the session are published: they would lose their slot without anyone being told."""
    if session.kind != SessionKind.BUSINESS_MATCHING:
        raise DomainError(_("Only business-matching sessions have meeting slots."))
    names = list(dict.fromkeys(n.strip()[:60] for n in table_names if n.strip()))
    if not names:
        raise DomainError(_("Give at least one table."), field="tables")
    if len(names) > MAX_TABLES:
        raise DomainError(_("At most %(n)s tables per session.", n=MAX_TABLES), field="tables")
    length, pause = timedelta(minutes=meeting_minutes), timedelta(minutes=break_minutes)
    if session.starts_at + length > session.ends_at:
        raise DomainError(_("The session is shorter than one meeting."), field="meeting_minutes")
    setup = db.get(MatchingSession, session.id)
    if setup is not None:
        published = db.scalar(sa.select(sa.func.count()).select_from(Meeting).join(
            MatchingSlot, MatchingSlot.id == Meeting.slot_id).where(MatchingSlot.session_id == session.id))
        if published:
            raise DomainError(_("Meetings are published in this session's slots: its slots cannot change now."))
        db.delete(setup)
        db.flush()
    setup = MatchingSession(session_id=session.id, event_id=session.event_id, meeting_minutes=meeting_minutes,
                            break_minutes=break_minutes)
    db.add(setup)
    db.flush()
    start = session.starts_at
    while start + length <= session.ends_at:
        db.add(MatchingSlot(session_id=session.id, starts_at=start, ends_at=start + length))
        start += length + pause
    for position, name in enumerate(names, start=1):
        db.add(MatchingTable(session_id=session.id, name=name, position=position))
    db.flush()
    return setup


def event_slots(db: DbSession, event_id: int) -> list[MatchingSlot]:
    return list(db.scalars(sa.select(MatchingSlot).join(MatchingSession).where(
        MatchingSession.event_id == event_id).order_by(MatchingSlot.starts_at, MatchingSlot.id)).all())


def place_earliest(db: DbSession, meeting: Meeting) -> bool:
    """Put a just-accepted meeting into the earliest future slot where both people are free and a
    table is free. Each try runs in a savepoint: when another accept took the place at the same
    moment, the UNIQUE constraints (seats, table per slot) refuse it and the next place is tried."""
    people = (meeting.profile_a_id, meeting.profile_b_id)
    busy = (sa.select(MeetingSeat.slot_id).where(MeetingSeat.profile_id.in_(people))
            .union(sa.select(Unavailability.slot_id).where(Unavailability.profile_id.in_(people))))
    table_used = sa.exists().where(Meeting.slot_id == MatchingSlot.id, Meeting.table_id == MatchingTable.id)
    # The free places (slot, table) in order, a batch at a time: one statement, not one per slot.
    places = (sa.select(MatchingSlot.id, MatchingTable.id)
              .join(MatchingSession, MatchingSession.session_id == MatchingSlot.session_id)
              .join(MatchingTable, MatchingTable.session_id == MatchingSlot.session_id)
              .where(MatchingSession.event_id == meeting.event_id, MatchingSlot.starts_at > utcnow(),
                     MatchingSlot.id.not_in(busy), ~table_used)
              .order_by(MatchingSlot.starts_at, MatchingSlot.id, MatchingTable.position, MatchingTable.id)
              .limit(PLACES_PER_TRY))
    for _round in range(TRIES):
        batch = db.execute(places).all()
        for slot_id, table_id in batch:
            try:
                with db.begin_nested():
                    db.execute(sa.update(Meeting).where(Meeting.id == meeting.id).values(
                        slot_id=slot_id, table_id=table_id).execution_options(synchronize_session=False))
                    db.add_all([MeetingSeat(meeting_id=meeting.id, profile_id=p, slot_id=slot_id) for p in people])
                    db.flush()
            except IntegrityError:
                continue  # someone else took this table, or one of the two, in this slot: try the next
            db.refresh(meeting)
            return True
        if len(batch) < PLACES_PER_TRY:
            return False
    return False


@dataclass(frozen=True)
class Figures:
    accepted: int
    placed: int
    cross_economy: int
    optimal: bool


def propose(db: DbSession, event_id: int, *, move_published: bool, time_limit: float = 5.0) -> Figures:
    """Run the solver and store its answer as each meeting's proposed slot and table (a preview).
    Reads plain rows and writes one executemany UPDATE: the solver takes milliseconds, and ORM
    objects for a thousand meetings would take seconds."""
    meetings = db.execute(sa.select(Meeting.id, Meeting.profile_a_id, Meeting.profile_b_id, Meeting.slot_id,
                                    Meeting.table_id).where(Meeting.event_id == event_id,
                                                          Meeting.cancelled_at.is_(None))
                          .order_by(Meeting.id)).all()
    slots = db.execute(sa.select(MatchingSlot.id, MatchingSlot.session_id).join(MatchingSession).where(
        MatchingSession.event_id == event_id).order_by(MatchingSlot.starts_at, MatchingSlot.id)).all()
    tables_of: dict[int, list[int]] = defaultdict(list)
    for table_id, session_id in db.execute(sa.select(MatchingTable.id, MatchingTable.session_id).join(
            MatchingSession).where(MatchingSession.event_id == event_id)
            .order_by(MatchingTable.position, MatchingTable.id)):
        tables_of[session_id].append(table_id)
    slot_session = dict(slots)
    economy = dict(db.execute(sa.select(MatchingProfile.id, Registration.economy_id).join(
        Registration, Registration.id == MatchingProfile.registration_id).where(
        MatchingProfile.event_id == event_id)).all())
    unavailable = set(db.execute(sa.select(Unavailability.profile_id, Unavailability.slot_id).join(
        MatchingProfile).where(MatchingProfile.event_id == event_id)).all())
    problem = Problem(
        meetings=[(m.id, m.profile_a_id, m.profile_b_id) for m in meetings],
        slots=[(slot_id, len(tables_of[session_id])) for slot_id, session_id in slots],
        unavailable=unavailable,
        cross_economy={m.id for m in meetings if economy.get(m.profile_a_id) != economy.get(m.profile_b_id)},
        fixed={} if move_published else {m.id: m.slot_id for m in meetings if m.slot_id is not None},
    )
    answer = solve(problem, time_limit=time_limit)
    # Tables: a published meeting that stays in its slot keeps its table; the others take the free
    # ones in order.
    proposal = {m.id: [answer.slot_of.get(m.id), None] for m in meetings}
    in_slot: dict[int, list] = defaultdict(list)
    for m in meetings:
        if proposal[m.id][0] is not None:
            in_slot[proposal[m.id][0]].append(m)
    for slot_id, group in in_slot.items():
        taken = set()
        for m in group:
            if m.slot_id == slot_id and m.table_id is not None:
                proposal[m.id][1] = m.table_id
                taken.add(m.table_id)
        free = iter(t for t in tables_of[slot_session[slot_id]] if t not in taken)
        for m in group:
            if proposal[m.id][1] is None:
                proposal[m.id][1] = next(free)
    if proposal:
        # ORM bulk UPDATE by primary key: one executemany statement.
        db.execute(sa.update(Meeting), [{"id": m, "proposed_slot_id": s, "proposed_table_id": t}
                                        for m, (s, t) in proposal.items()])
    db.expire_all()
    placed = len(answer.slot_of)
    return Figures(accepted=len(meetings), placed=placed,
                   cross_economy=sum(1 for m in answer.slot_of if m in problem.cross_economy),
                   optimal=answer.optimal)


def has_proposal(db: DbSession, event_id: int) -> bool:
    return db.scalar(sa.select(Meeting.id).where(Meeting.event_id == event_id,
                                                 Meeting.proposed_slot_id.is_not(None)).limit(1)) is not None


def publish(db: DbSession, event_id: int) -> int:
    """Apply the proposal: every meeting takes its proposed slot and table (or none), seats follow.
    Returns the number of meetings whose slot or table changed."""
    meetings = db.scalars(sa.select(Meeting).where(Meeting.event_id == event_id, Meeting.cancelled_at.is_(None))
                          .order_by(Meeting.id)).all()
    if not any(m.proposed_slot_id is not None for m in meetings):
        raise DomainError(_("Run the scheduler first: there is no proposal to publish."))
    changed = sum(1 for m in meetings if (m.slot_id, m.table_id) != (m.proposed_slot_id, m.proposed_table_id))
    ids = [m.id for m in meetings]
    # Free every place first: the UNIQUE constraints hold after each statement, not only at the end.
    db.execute(sa.delete(MeetingSeat).where(MeetingSeat.meeting_id.in_(ids)))
    db.execute(sa.update(Meeting).where(Meeting.id.in_(ids)).values(slot_id=None, table_id=None)
               .execution_options(synchronize_session=False))
    for m in meetings:
        slot_id, table_id = m.proposed_slot_id, m.proposed_table_id
        db.execute(sa.update(Meeting).where(Meeting.id == m.id).values(
            slot_id=slot_id, table_id=table_id, proposed_slot_id=None, proposed_table_id=None)
            .execution_options(synchronize_session=False))
        if slot_id is not None:
            db.add_all([MeetingSeat(meeting_id=m.id, profile_id=p, slot_id=slot_id)
                        for p in (m.profile_a_id, m.profile_b_id)])
    db.flush()
    db.expire_all()
    return changed


def meetings_of(db: DbSession, profile_id: int) -> list[Meeting]:
    """A person's meetings, scheduled ones in time order first, the other side loaded."""
    rows = db.scalars(
        sa.select(Meeting).outerjoin(MatchingSlot, MatchingSlot.id == Meeting.slot_id)
        .where(sa.or_(Meeting.profile_a_id == profile_id, Meeting.profile_b_id == profile_id))
        .options(*(joinedload(rel).joinedload(MatchingProfile.registration).joinedload(Registration.economy)
                   for rel in (Meeting.profile_a, Meeting.profile_b)),
                 joinedload(Meeting.slot), joinedload(Meeting.table))
        .order_by(MatchingSlot.starts_at.is_(None), MatchingSlot.starts_at, Meeting.id)).unique().all()
    return list(rows)


def schedule_rows(db: DbSession, event_id: int, *, proposed: bool) -> list[Meeting]:
    """Every meeting of the event with its (proposed or published) slot and table, for the organizer."""
    slot_col = Meeting.proposed_slot_id if proposed else Meeting.slot_id
    return list(db.scalars(
        sa.select(Meeting).outerjoin(MatchingSlot, MatchingSlot.id == slot_col)
        .where(Meeting.event_id == event_id, Meeting.cancelled_at.is_(None))
        .options(*(joinedload(rel).joinedload(MatchingProfile.registration).joinedload(Registration.economy)
                   for rel in (Meeting.profile_a, Meeting.profile_b)),
                 joinedload(Meeting.slot), joinedload(Meeting.table), joinedload(Meeting.proposed_slot),
                 joinedload(Meeting.proposed_table))
        .order_by(MatchingSlot.starts_at.is_(None), MatchingSlot.starts_at, Meeting.id)).unique().all())
