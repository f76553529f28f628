"""What came of the meetings: each side records an outcome; the organizer's report sums them up.

The report's figures are aggregated in SQL (GROUP BY), not counted row by row in Python.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session as DbSession
from sqlalchemy.orm import aliased

from eventhub.db import utcnow
from eventhub.economies.models import Economy
from eventhub.errors import DomainError
from eventhub.matching.models import (
    Attendance,
    CooperationType,
    MatchingProfile,
    MatchingSlot,
    Meeting,
    MeetingOutcome,
    MeetingRequest,
    Outcome,
    RequestStatus,
)
from eventhub.registration.models import Registration


def record_outcome(db: DbSession, meeting_id: int, profile: MatchingProfile, outcome: Outcome) -> MeetingOutcome:
    """Record (or change) one side's outcome of a meeting that has taken place."""
    meeting = db.get(Meeting, meeting_id)
    if meeting is None or profile.id not in (meeting.profile_a_id, meeting.profile_b_id):
        raise DomainError(_("This meeting is not yours."))
    if meeting.slot is None or meeting.slot.starts_at > utcnow():
        raise DomainError(_("You can record what came of a meeting once it has taken place."))
    row = db.get(MeetingOutcome, (meeting.id, profile.id))
    if row is None:
        row = MeetingOutcome(meeting_id=meeting.id, profile_id=profile.id, outcome=outcome)
        db.add(row)
    else:
        row.outcome, row.recorded_at = outcome, utcnow()
    db.flush()
    return row


def outcomes_by_meeting(db: DbSession, profile_id: int) -> dict[int, Outcome]:
    """The outcomes this person recorded, by meeting id."""
    return dict(db.execute(sa.select(MeetingOutcome.meeting_id, MeetingOutcome.outcome).where(
        MeetingOutcome.profile_id == profile_id)).all())


@dataclass(frozen=True)
class EconomyRow:
    economy: Economy
    participants: int
    meetings: int
    agreements: int


@dataclass(frozen=True)
class Report:
    participants: int
    requests: dict[str, int]  # status value -> count
    meetings: int
    scheduled: int
    held: int  # marked held on the day, or (unmarked) at least one side recorded an outcome
    cross_economy: int
    outcomes: dict[str, int]  # outcome value -> number of records
    by_economy: list[EconomyRow]
    cooperation: list[tuple[CooperationType, int, int]]  # type, profiles offering, profiles seeking
    no_show: int = 0  # marked no-show on the day (eventhub.matching.onday)
    cancelled: int = 0  # cancelled by a participant

    @property
    def cross_share(self) -> float:
        return self.cross_economy / self.meetings if self.meetings else 0.0


def report(db: DbSession, event_id: int) -> Report:
    profiles = db.scalar(sa.select(sa.func.count()).select_from(MatchingProfile).where(
        MatchingProfile.event_id == event_id)) or 0
    requests = {status.value: 0 for status in RequestStatus}
    requests.update({s.value if hasattr(s, "value") else s: n for s, n in db.execute(
        sa.select(MeetingRequest.status, sa.func.count()).where(MeetingRequest.event_id == event_id)
        .group_by(MeetingRequest.status)).all()})
    pa, pb = aliased(MatchingProfile), aliased(MatchingProfile)
    ra, rb = aliased(Registration), aliased(Registration)
    held_ids = sa.select(MeetingOutcome.meeting_id).distinct().scalar_subquery()
    totals = db.execute(
        sa.select(sa.func.count(Meeting.id), sa.func.count(Meeting.slot_id),
                  sa.func.coalesce(sa.func.sum(sa.case((ra.economy_id != rb.economy_id, 1), else_=0)), 0),
                  sa.func.coalesce(sa.func.sum(sa.case(
                      (Meeting.attendance == Attendance.HELD, 1),
                      (sa.and_(Meeting.attendance.is_(None), Meeting.id.in_(held_ids)), 1), else_=0)), 0),
                  sa.func.coalesce(sa.func.sum(sa.case((Meeting.attendance == Attendance.NO_SHOW, 1), else_=0)), 0),
                  sa.func.count(Meeting.cancelled_at))
        .join(pa, pa.id == Meeting.profile_a_id).join(ra, ra.id == pa.registration_id)
        .join(pb, pb.id == Meeting.profile_b_id).join(rb, rb.id == pb.registration_id)
        .where(Meeting.event_id == event_id)).one()
    outcomes = {o.value: 0 for o in Outcome}
    outcomes.update({o.value if hasattr(o, "value") else o: n for o, n in db.execute(
        sa.select(MeetingOutcome.outcome, sa.func.count()).join(Meeting, Meeting.id == MeetingOutcome.meeting_id)
        .where(Meeting.event_id == event_id).group_by(MeetingOutcome.outcome)).all()})
    return Report(participants=profiles, requests=requests, meetings=totals[0], scheduled=totals[1],
                  cross_economy=totals[2], held=totals[3], no_show=totals[4], cancelled=totals[5], outcomes=outcomes,
                  by_economy=_by_economy(db, event_id), cooperation=_cooperation(db, event_id))


def _by_economy(db: DbSession, event_id: int) -> list[EconomyRow]:
    """Per economy: its participants, the meetings they sit in, and the meetings an agreement came of."""
    side = sa.union_all(
        sa.select(Meeting.id.label("meeting_id"), Meeting.profile_a_id.label("profile_id")).where(
            Meeting.event_id == event_id),
        sa.select(Meeting.id, Meeting.profile_b_id).where(Meeting.event_id == event_id)).subquery()
    agreed = sa.select(MeetingOutcome.meeting_id).where(MeetingOutcome.outcome == Outcome.AGREEMENT).distinct()
    participants = (sa.select(Registration.economy_id, sa.func.count(MatchingProfile.id).label("n"))
                    .join(MatchingProfile, MatchingProfile.registration_id == Registration.id)
                    .where(MatchingProfile.event_id == event_id).group_by(Registration.economy_id).subquery())
    meetings = (sa.select(Registration.economy_id,
                          sa.func.count(sa.distinct(side.c.meeting_id)).label("meetings"),
                          sa.func.count(sa.distinct(sa.case((side.c.meeting_id.in_(agreed), side.c.meeting_id))))
                          .label("agreements"))
                .join(MatchingProfile, MatchingProfile.id == side.c.profile_id)
                .join(Registration, Registration.id == MatchingProfile.registration_id)
                .group_by(Registration.economy_id).subquery())
    rows = db.execute(
        sa.select(Economy, participants.c.n, sa.func.coalesce(meetings.c.meetings, 0),
                  sa.func.coalesce(meetings.c.agreements, 0))
        .join(participants, participants.c.economy_id == Economy.id)
        .outerjoin(meetings, meetings.c.economy_id == Economy.id)
        .order_by(Economy.sort_key)).all()
    return [EconomyRow(e, n, m, a) for e, n, m, a in rows]


def _cooperation(db: DbSession, event_id: int) -> list[tuple[CooperationType, int, int]]:
    """How many profiles offer and seek each cooperation type (one statement: a SUM per type)."""
    columns = []
    for t in CooperationType:
        member = f"%,{t.value},%"
        columns += [sa.func.coalesce(sa.func.sum(sa.case((MatchingProfile.offer_types.like(member), 1), else_=0)), 0),
                    sa.func.coalesce(sa.func.sum(sa.case((MatchingProfile.seek_types.like(member), 1), else_=0)), 0)]
    row = db.execute(sa.select(*columns).where(MatchingProfile.event_id == event_id)).one()
    return [(t, row[2 * i], row[2 * i + 1]) for i, t in enumerate(CooperationType)]


def slot_has_started(slot: MatchingSlot | None) -> bool:
    return slot is not None and slot.starts_at <= utcnow()
