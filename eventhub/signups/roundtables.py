"""Roundtables in preference mode: delegates rank the tables of a time slot before the deadline;
the organizer runs the allocation (a preview with figures) and publishes it, which books everyone
and tells them by e-mail.

A *slot* is the set of bookable, preference-mode, scheduled sessions of an event that start at the
same moment. Its deadline is the earliest sign-up close among them, or — when none is set — the
moment the roundtables start. Once an allocation of the slot is published, rankings are closed.

The allocation is seeded by the event and the slot's start in UTC, so the same input gives the same
placements whichever time zone the start was loaded in.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session as DbSession
from sqlalchemy.orm import selectinload

from eventhub.agenda.models import Session, SessionStatus, SignupMode, busy_span
from eventhub.db import utcnow
from eventhub.errors import Conflict, DomainError, NotFound
from eventhub.registration.models import Registration, RegistrationStatus
from eventhub.signups import notify
from eventhub.signups.allocation import Person, Table, allocate
from eventhub.signups.models import (
    AllocationRun,
    AllocationStatus,
    Booking,
    BookingLog,
    BookingStatus,
    RoundtablePreference,
    SessionEconomySeats,
)
from eventhub.signups.services import ACTIVE, rebuild_economy_counters


@dataclass
class Slot:
    starts_at: datetime
    sessions: list[Session]
    published: bool = False  # an allocation of this slot has been published

    @property
    def deadline(self) -> datetime:
        """The earliest sign-up close among the tables; without one, when the roundtables start."""
        closes = [s.signup_closes_at for s in self.sessions if s.signup_closes_at]
        return min(closes) if closes else min(s.starts_at for s in self.sessions)

    @property
    def opens(self) -> datetime | None:
        opens = [s.signup_opens_at for s in self.sessions if s.signup_opens_at]
        return max(opens) if opens else None

    def is_open(self, now: datetime) -> bool:
        return not self.published and (self.opens is None or now >= self.opens) and now < self.deadline


def allocation_seed(event_id: int, slot_starts_at: datetime) -> str:
    """The allocation's seed: the same for the same slot whatever zone its start was loaded in."""
    return f"{event_id}:{slot_starts_at.astimezone(UTC).isoformat()}"


def slots(db: DbSession, event_id: int) -> list[Slot]:
    sessions = db.scalars(
        sa.select(Session).where(Session.event_id == event_id, Session.bookable.is_(True),
                                 Session.signup_mode == SignupMode.PREFERENCE,
                                 Session.status == SessionStatus.SCHEDULED)
        .options(selectinload(Session.room))
        .order_by(Session.starts_at, Session.title, Session.id)
    ).all()
    grouped: dict[datetime, list[Session]] = {}
    for s in sessions:
        grouped.setdefault(s.starts_at, []).append(s)
    published = set(db.scalars(sa.select(AllocationRun.slot).where(
        AllocationRun.event_id == event_id, AllocationRun.status == AllocationStatus.PUBLISHED))) if grouped else set()
    return [Slot(k, v, published=k in published) for k, v in grouped.items()]


def slot_at(db: DbSession, event_id: int, starts_at: datetime) -> Slot:
    for slot in slots(db, event_id):
        if slot.starts_at == starts_at:
            return slot
    raise NotFound(_("There are no roundtables at that time."))


def preferences_of(db: DbSession, registration_id: int) -> dict[datetime, list[int]]:
    rows = db.execute(
        sa.select(RoundtablePreference.slot, RoundtablePreference.session_id)
        .where(RoundtablePreference.registration_id == registration_id)
        .order_by(RoundtablePreference.slot, RoundtablePreference.rank)
    ).all()
    out: dict[datetime, list[int]] = {}
    for slot, sid in rows:
        out.setdefault(slot, []).append(sid)
    return out


def save_preferences(db: DbSession, event_id: int, registration_id: int, slot_starts_at: datetime,
                     ranked_session_ids: list[int], *, now: datetime | None = None) -> list[int]:
    """Replace a person's ranking for one slot. Returns the ranking saved (first choice first)."""
    now = now or utcnow()
    registration = db.get(Registration, registration_id)
    if registration is None or registration.event_id != event_id:
        raise NotFound(_("That participant is not registered for this event."))
    if registration.status != RegistrationStatus.APPROVED:
        raise DomainError(_("Only approved participants can rank roundtables."))
    slot = slot_at(db, event_id, slot_starts_at)
    if not slot.is_open(now):
        if slot.published:
            raise DomainError(_("The places at these roundtables have been allocated and published; "
                              "rankings can no longer change."))
        if now >= slot.deadline:
            raise DomainError(_("The deadline for ranking these roundtables has passed."))
        raise DomainError(_("Ranking for these roundtables has not opened yet."))
    valid = {s.id for s in slot.sessions}
    ranking: list[int] = []
    for sid in ranked_session_ids:
        if sid not in valid:
            raise DomainError(_("Choose among the roundtables listed."))
        if sid in ranking:
            raise DomainError(_("Each roundtable can be ranked only once."))
        ranking.append(sid)
    db.execute(sa.delete(RoundtablePreference).where(
        RoundtablePreference.registration_id == registration_id, RoundtablePreference.slot == slot.starts_at))
    for rank, sid in enumerate(ranking, start=1):
        db.add(RoundtablePreference(event_id=event_id, registration_id=registration_id, session_id=sid,
                                    slot=slot.starts_at, rank=rank))
    db.flush()
    return ranking


# --- allocation --------------------------------------------------------------------------------------------

def _input(db: DbSession, event_id: int, slot: Slot) -> tuple[list[Person], list[Table], str]:
    session_ids = [s.id for s in slot.sessions]
    # People already holding a seat at one of these tables are not allocated again.
    seated = set(db.scalars(sa.select(Booking.registration_id).where(
        Booking.session_id.in_(session_ids), Booking.status == BookingStatus.CONFIRMED)))
    # Nor are people holding a confirmed seat elsewhere at the same time (a site visit, say): a
    # placement would give them two overlapping seats. One query for the whole slot.
    spans = [busy_span(s) for s in slot.sessions]
    slot_start, slot_end = min(a for a, _ in spans), max(b for _, b in spans)
    elsewhere = db.execute(
        sa.select(Booking.registration_id, Session)
        .join(Session, Session.id == Booking.session_id)
        .where(Booking.registration_id.in_(
                   sa.select(RoundtablePreference.registration_id)
                   .where(RoundtablePreference.session_id.in_(session_ids))),
               Booking.status == BookingStatus.CONFIRMED, Booking.session_id.not_in(session_ids),
               Session.status == SessionStatus.SCHEDULED, Session.event_id == event_id)
        .options(selectinload(Session.site_visit))
    ).all()
    for rid, other in elsewhere:
        o_start, o_end = busy_span(other)
        if o_start < slot_end and slot_start < o_end:
            seated.add(rid)
    rows = db.execute(
        sa.select(RoundtablePreference.registration_id, Registration.economy_id, RoundtablePreference.session_id)
        .join(Registration, Registration.id == RoundtablePreference.registration_id)
        .where(RoundtablePreference.event_id == event_id, RoundtablePreference.slot == slot.starts_at,
               Registration.status == RegistrationStatus.APPROVED)
        .order_by(RoundtablePreference.registration_id, RoundtablePreference.rank)
    ).all()
    choices: dict[int, list[int]] = {}
    economy: dict[int, int] = {}
    for rid, eid, sid in rows:
        if rid in seated:
            continue
        choices.setdefault(rid, []).append(sid)
        economy[rid] = eid
    people = [Person(rid, economy[rid], tuple(ch)) for rid, ch in sorted(choices.items())]
    counters = db.execute(
        sa.select(SessionEconomySeats.session_id, SessionEconomySeats.economy_id, SessionEconomySeats.taken)
        .where(SessionEconomySeats.session_id.in_(session_ids))
    ).all()
    held: dict[int, dict[int, int]] = {}
    for sid, eid, taken in counters:
        held.setdefault(sid, {})[eid] = taken
    tables = [Table(s.id, max((s.capacity or 0) - s.taken, 0), s.economy_cap, held.get(s.id, {}))
              for s in slot.sessions]
    digest = hashlib.sha256(json.dumps(
        [[(p.id, p.economy_id, p.choices) for p in people],
         [(t.id, t.capacity, t.economy_cap, sorted(t.economy_taken.items())) for t in tables]]
    ).encode()).hexdigest()
    return people, tables, digest


def run_allocation(db: DbSession, event_id: int, slot_starts_at: datetime, *, actor_id: int | None) -> AllocationRun:
    """Compute a preview. Deterministic: the same input gives the same placements."""
    slot = slot_at(db, event_id, slot_starts_at)
    people, tables, digest = _input(db, event_id, slot)
    if not people:
        raise DomainError(_("Nobody has ranked these roundtables yet (or everyone who did already has a seat)."))
    result = allocate(people, tables, seed=allocation_seed(event_id, slot.starts_at))
    db.execute(sa.update(AllocationRun).where(
        AllocationRun.event_id == event_id, AllocationRun.slot == slot.starts_at,
        AllocationRun.status == AllocationStatus.PREVIEW).values(status=AllocationStatus.DISCARDED))
    run = AllocationRun(
        event_id=event_id, slot=slot.starts_at, status=AllocationStatus.PREVIEW, run_by_id=actor_id,
        input_digest=digest,
        result_json=json.dumps({"placements": sorted([rid, sid, rank] for rid, (sid, rank) in
                                                     result.placements.items()),
                                "unplaced": result.unplaced}),
        figures_json=json.dumps(result.figures(people, tables)),
    )
    db.add(run)
    db.flush()
    return run


@dataclass
class PreviewLine:
    """What one person will get when a preview is published: a table and its rank in their choices
    (0: a table they did not rank), or no table (session None)."""

    registration: Registration
    session: Session | None
    rank: int | None


def preview_lines(db: DbSession, run: AllocationRun, slot: Slot) -> list[PreviewLine]:
    """Per person what a run gives, in name order (two queries whatever the number of people)."""
    result = json.loads(run.result_json)
    placed = {rid: (sid, rank) for rid, sid, rank in result["placements"]}
    ids = list(placed) + [rid for rid in result.get("unplaced", []) if rid not in placed]
    sessions = {s.id: s for s in slot.sessions}
    people = db.scalars(sa.select(Registration).where(Registration.id.in_(ids or [0]))
                        .options(selectinload(Registration.economy))).all()
    lines = [PreviewLine(r, sessions.get(placed[r.id][0]) if r.id in placed else None,
                         placed[r.id][1] if r.id in placed else None) for r in people]
    return sorted(lines, key=lambda line: (line.registration.family_name.casefold(),
                                           line.registration.given_name.casefold(), line.registration.id))


def latest_runs(db: DbSession, event_id: int) -> dict[datetime, AllocationRun]:
    runs = db.scalars(
        sa.select(AllocationRun).where(AllocationRun.event_id == event_id,
                                       AllocationRun.status != AllocationStatus.DISCARDED)
        .order_by(AllocationRun.id)
    ).all()
    return {r.slot: r for r in runs}


def publish(db: DbSession, event_id: int, run_id: int, *, actor_id: int | None, before_deadline_ok: bool = False,
            now: datetime | None = None) -> int:
    """Book everyone of a preview and tell them. Refuses a stale preview. Returns how many were placed.

    Before the ranking deadline publishing ends the ranking early (whoever has not ranked yet
    cannot): refused unless the organizer confirmed that (`before_deadline_ok`)."""
    run = db.scalar(sa.select(AllocationRun).where(AllocationRun.id == run_id, AllocationRun.event_id == event_id)
                    .with_for_update())
    if run is None:
        raise NotFound(_("That allocation does not exist."))
    if run.status != AllocationStatus.PREVIEW:
        raise Conflict(_("This allocation is no longer a preview (published or replaced by a newer run)."))
    slot = slot_at(db, event_id, run.slot)
    if not before_deadline_ok and (now or utcnow()) < slot.deadline:
        from eventhub.formatting import local_dt

        event = slot.sessions[0].event
        raise DomainError(_("The ranking deadline, %(deadline)s (%(zone)s), has not passed: publishing now ends the "
                            "ranking early. Tick “Publish before the deadline” to publish anyway.",
                            deadline=local_dt(slot.deadline, event), zone=event.timezone), field="before_deadline")
    _people, _tables, digest = _input(db, event_id, slot)
    if digest != run.input_digest:
        # Also when someone placed here has since taken a seat elsewhere at the same time.
        raise Conflict(_("Preferences or seats changed since this preview. Run the allocation again."))
    placements = json.loads(run.result_json)["placements"]
    per_table: dict[int, int] = {}
    for _rid, sid, _rank in placements:
        per_table[sid] = per_table.get(sid, 0) + 1
    # One conditional UPDATE per table takes all its places at once.
    for sid, n in sorted(per_table.items()):
        changed = db.execute(
            sa.update(Session).where(Session.id == sid, Session.taken + n <= Session.capacity)
            .values(taken=Session.taken + n).execution_options(synchronize_session=False)
        ).rowcount
        if changed != 1:
            raise Conflict(_("A table filled up meanwhile. Run the allocation again."))
    sessions = {s.id: s for s in slot.sessions}
    registrations = {r.id: r for r in db.scalars(
        sa.select(Registration).where(Registration.id.in_([p[0] for p in placements] or [0])))}
    # Earlier waitlist or booking rows of these people at these tables make way for the placement.
    db.execute(sa.update(Booking).where(
        Booking.session_id.in_(list(sessions)), Booking.registration_id.in_(list(registrations) or [0]),
        Booking.status.in_(ACTIVE)).values(status=BookingStatus.CANCELLED))
    created = []
    for rid, sid, rank in placements:
        reg = registrations[rid]
        booking = Booking(session_id=sid, registration_id=rid, economy_id=reg.economy_id,
                          status=BookingStatus.CONFIRMED, booked_by_id=actor_id)
        db.add(booking)
        created.append((booking, reg, sessions[sid], rank))
    db.flush()
    for booking, reg, session, rank in created:
        db.add(BookingLog(booking_id=booking.id, session_id=session.id, registration_id=reg.id, actor_id=actor_id,
                          action="allocated", note=f"choice {rank}" if rank else "a table not ranked"))
    for sid in sessions:
        if sessions[sid].economy_cap is not None:
            rebuild_economy_counters(db, sid)
    run.status = AllocationStatus.PUBLISHED
    run.published_at = utcnow()
    db.flush()
    for s in sessions.values():
        db.refresh(s)
    for booking, reg, session, rank in created:
        notify.roundtable_placed(db, booking, reg, session, rank)
    return len(created)
