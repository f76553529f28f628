"""The day of the meetings: marking a meeting held or a no-show, cancelling it before the cut-off,
and the schedule each person is sent the day before.

A participant marks only their own meetings, once the slot has begun; the desk (check-in staff,
secretariat, organizers) marks any meeting of the event. A participant cancels until
`MatchingSettings.cancel_cutoff_hours` before the slot: the meeting gives up its slot, table and
seats at once (a CHECK keeps a cancelled meeting out of every slot), the SEQUENCE rises and both
sides get an iTIP CANCEL (eventhub.matching.notify).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session as DbSession

from eventhub.db import utcnow
from eventhub.errors import DomainError
from eventhub.matching import notify
from eventhub.matching.models import (
    Attendance,
    DayScheduleMail,
    MatchingProfile,
    MatchingSession,
    MatchingSettings,
    MatchingSlot,
    Meeting,
    MeetingSeat,
)

MAX_CUTOFF_HOURS = 720


def _meeting(db: DbSession, event_id: int, meeting_id: int) -> Meeting:
    meeting = db.get(Meeting, meeting_id)
    if meeting is None or meeting.event_id != event_id:
        raise DomainError(_("There is no such meeting."))
    return meeting


def _own(meeting: Meeting, profile: MatchingProfile | None) -> None:
    if profile is None or profile.id not in (meeting.profile_a_id, meeting.profile_b_id):
        raise DomainError(_("This meeting is not yours."))


def cancel_deadline(settings: MatchingSettings, meeting: Meeting) -> datetime | None:
    """Until when a participant may cancel the meeting (None: it has no slot, so any time)."""
    if meeting.slot is None:
        return None
    return meeting.slot.starts_at - timedelta(hours=settings.cancel_cutoff_hours)


def can_cancel(settings: MatchingSettings, meeting: Meeting, now: datetime | None = None) -> bool:
    if meeting.cancelled_at is not None or meeting.attendance is not None:
        return False
    deadline = cancel_deadline(settings, meeting)
    return deadline is None or (now or utcnow()) < deadline


def cancel_meeting(db: DbSession, settings: MatchingSettings, meeting_id: int, profile: MatchingProfile,
                   now: datetime | None = None) -> Meeting:
    """A participant calls off one of their meetings: slot and table are free again, the other side
    is told (and both calendars get a CANCEL)."""
    meeting = _meeting(db, settings.event_id, meeting_id)
    _own(meeting, profile)
    if meeting.cancelled_at is not None:
        raise DomainError(_("This meeting is already cancelled."))
    if meeting.attendance is not None:
        raise DomainError(_("This meeting has been marked as %(state)s: it cannot be cancelled now.",
                            state=meeting.attendance.label))
    if not can_cancel(settings, meeting, now):
        raise DomainError(_("Meetings can be cancelled until %(hours)s hours before they start. Please tell the "
                            "organizers instead.", hours=settings.cancel_cutoff_hours))
    slot_id, table_id = meeting.slot_id, meeting.table_id
    # Conditional on the row not being cancelled yet: two clicks cancel (and mail) once.
    db.execute(sa.delete(MeetingSeat).where(MeetingSeat.meeting_id == meeting.id))
    changed = db.execute(
        sa.update(Meeting).where(Meeting.id == meeting.id, Meeting.cancelled_at.is_(None), Meeting.attendance.is_(None))
        .values(slot_id=None, table_id=None, proposed_slot_id=None, proposed_table_id=None,
                cancelled_at=now or utcnow(), cancelled_by_id=profile.id, sequence=Meeting.sequence + 1)
        .execution_options(synchronize_session=False))
    if changed.rowcount != 1:
        raise DomainError(_("This meeting is already cancelled."))
    db.refresh(meeting)
    notify.meeting_cancelled(db, meeting, slot_id=slot_id, table_id=table_id, by=profile.id)
    return meeting


def mark(db: DbSession, event_id: int, meeting_id: int, attendance: Attendance, *,
         profile: MatchingProfile | None, now: datetime | None = None) -> Meeting:
    """Mark a meeting held or a no-show. profile: the participant marking their own meeting; None
    for the desk (the view checked Action.MARK_MEETINGS)."""
    meeting = _meeting(db, event_id, meeting_id)
    if profile is not None:
        _own(meeting, profile)
    if meeting.cancelled_at is not None:
        raise DomainError(_("This meeting was cancelled."))
    if meeting.slot is None:
        raise DomainError(_("This meeting has no time yet."))
    if meeting.slot.starts_at > (now or utcnow()):
        raise DomainError(_("A meeting can be marked once its time has come."))
    # Conditional: a cancellation committed meanwhile wins, and this mark is refused (not a CHECK error).
    changed = db.execute(sa.update(Meeting).where(Meeting.id == meeting.id, Meeting.cancelled_at.is_(None))
                         .values(attendance=attendance, attendance_marked_at=now or utcnow())
                         .execution_options(synchronize_session=False))
    if changed.rowcount != 1:
        raise DomainError(_("This meeting was cancelled."))
    db.refresh(meeting)
    return meeting


def unmark(db: DbSession, event_id: int, meeting_id: int) -> Meeting:
    """The desk takes a mark back (a wrong button)."""
    meeting = _meeting(db, event_id, meeting_id)
    meeting.attendance, meeting.attendance_marked_at = None, None
    db.flush()
    return meeting


def set_cutoff(db: DbSession, settings: MatchingSettings, hours: int) -> None:
    if not 0 <= hours <= MAX_CUTOFF_HOURS:
        raise DomainError(_("Enter a number of hours from 0 to %(most)s.", most=MAX_CUTOFF_HOURS), field="hours")
    settings.cancel_cutoff_hours = hours
    db.flush()


def slot_rows(db: DbSession, event_id: int) -> list[tuple[MatchingSlot, list[Meeting]]]:
    """Every slot of the event with its meetings in table order: the desk's list and the table plan."""
    from eventhub.matching.scheduling import event_slots, schedule_rows

    by_slot: dict[int, list[Meeting]] = {}
    for m in schedule_rows(db, event_id, proposed=False):
        if m.slot_id is not None:
            by_slot.setdefault(m.slot_id, []).append(m)
    for meetings in by_slot.values():
        meetings.sort(key=lambda m: (m.table.position, m.id))
    return [(slot, by_slot.get(slot.id, [])) for slot in event_slots(db, event_id)]


# --- the day before ---------------------------------------------------------------------------------

def local_day_bounds(day: date, tz: str) -> tuple[datetime, datetime]:
    zone = ZoneInfo(tz)
    start = datetime.combine(day, time(0), tzinfo=zone)
    return start, datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)


def queue_day_before(db: DbSession, event, now: datetime | None = None) -> int:
    """Queue tomorrow's schedule (on the event's clock) for everyone with a meeting tomorrow who has
    not been sent it yet. Run it as often as you like (cron, or the organizer's button): the key of
    matching_day_mails sends each person one message per day. Returns how many were queued."""
    local_now = (now or utcnow()).astimezone(ZoneInfo(event.timezone))
    day = local_now.date() + timedelta(days=1)
    start, end = local_day_bounds(day, event.timezone)
    people = sa.union(
        sa.select(Meeting.profile_a_id.label("pid")).join(MatchingSlot, MatchingSlot.id == Meeting.slot_id)
        .where(Meeting.event_id == event.id, MatchingSlot.starts_at >= start, MatchingSlot.starts_at < end),
        sa.select(Meeting.profile_b_id).join(MatchingSlot, MatchingSlot.id == Meeting.slot_id)
        .where(Meeting.event_id == event.id, MatchingSlot.starts_at >= start, MatchingSlot.starts_at < end),
    ).subquery()
    sent = sa.select(DayScheduleMail.profile_id).where(DayScheduleMail.day == day)
    profiles = db.scalars(sa.select(MatchingProfile).where(MatchingProfile.id.in_(sa.select(people.c.pid)),
                                                           MatchingProfile.id.not_in(sent))
                          .order_by(MatchingProfile.id)).all()
    queued = 0
    for profile in profiles:
        try:
            with db.begin_nested():  # another run at the same moment: its row wins, this one skips
                db.add(DayScheduleMail(profile_id=profile.id, day=day))
                db.flush()
        except IntegrityError:
            continue
        notify.day_schedule(db, profile, day)
        queued += 1
    return queued


def events_with_meetings(db: DbSession) -> list:
    """Events whose matching is on and that have a slot in the coming two days (for the cron job)."""
    from eventhub.events.models import Event

    soon = utcnow() + timedelta(days=2)
    ids = sa.select(MatchingSession.event_id).join(MatchingSlot).where(
        MatchingSlot.starts_at > utcnow(), MatchingSlot.starts_at < soon)
    return list(db.scalars(sa.select(Event).join(MatchingSettings, MatchingSettings.event_id == Event.id).where(
        MatchingSettings.enabled.is_(True), Event.id.in_(ids)).order_by(Event.id)).all())
