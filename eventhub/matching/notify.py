"""E-mails of business matching, queued in the business transaction and written at delivery time
in each recipient's language (eventhub.mail.kinds).

- a request received (to its receiver), accepted or declined (to its sender);
- a meeting scheduled or moved (iTIP REQUEST to both), cancelled or left without a slot by a new
  schedule (iTIP CANCEL to both);
- each person's meetings of the next day (eventhub.matching.onday queues them).

The iTIP SEQUENCE is settled here, when the change is made: `Meeting.sequence` rises by one on each
move, on cancellation and on losing the slot (and on being placed again after that), so every
message and the personal feed (eventhub.calendars.meetings) carry one number for the entry.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask import render_template
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session as DbSession

from eventhub.formatting import day_label, local_dt
from eventhub.i18n import localized, recipient_language
from eventhub.mail.kinds import register
from eventhub.mail.outbox import build_message, queue_deferred
from eventhub.matching.models import MatchingProfile, MatchingSlot, MatchingTable, Meeting, MeetingRequest
from eventhub.web import absolute_url

KIND = "matching.mail"
DAY_KIND = "matching.day_schedule"

SUBJECTS = {
    "request_received": _l("Meeting request from %(organisation)s"),
    "accepted": _l("%(organisation)s accepted your meeting request"),
    "declined": _l("%(organisation)s declined your meeting request"),
    "scheduled": _l("Meeting with %(organisation)s: %(time)s"),
    "moved": _l("Meeting moved: %(organisation)s, now %(time)s"),
    "unscheduled": _l("Your meeting with %(organisation)s has no time any more"),
    "cancelled": _l("Meeting cancelled: %(organisation)s"),
    "day_schedule": _l("Your business-matching meetings on %(day)s"),
}
# What each message carries as a calendar part.
METHODS = {"scheduled": "REQUEST", "moved": "REQUEST", "unscheduled": "CANCEL", "cancelled": "CANCEL"}


def _queue(db: DbSession, profile: MatchingProfile, what: str, **params) -> None:
    registration = profile.registration
    if not registration.email or registration.personal_data_purged_at is not None:
        return
    queue_deferred(db, kind=KIND, to=[registration.email], params={"profile": profile.id, "what": what, **params})


# --- queued by the services' callers (views) -----------------------------------------------------------

def request_received(db: DbSession, request: MeetingRequest) -> None:
    _queue(db, request.receiver, "request_received", request=request.id, other=request.sender_id)


def request_answered(db: DbSession, request: MeetingRequest) -> None:
    """Accepted or declined: the sender is told (with the reason, if one was given)."""
    what = "accepted" if request.status.value == "accepted" else "declined"
    _queue(db, request.sender, what, request=request.id, other=request.receiver_id)


def request_sent(db: DbSession, request: MeetingRequest, *, crossed: bool) -> None:
    """A new request tells its receiver; one that met the other side's (crossed) is an accepted
    meeting: the other side's request was accepted, and the meeting may have a time already."""
    if not crossed:
        request_received(db, request)
        return
    meeting = db.scalar(sa.select(Meeting).where(Meeting.request_id == request.id))
    if meeting is not None:
        meeting_accepted(db, meeting)


def meeting_accepted(db: DbSession, meeting: Meeting) -> None:
    request_answered(db, meeting.request)
    meeting_scheduled(db, meeting)


def _both(db: DbSession, meeting: Meeting, what: str, *, slot_id, table_id, from_slot=None, by=None) -> None:
    for me, other in ((meeting.profile_a, meeting.profile_b), (meeting.profile_b, meeting.profile_a)):
        _queue(db, me, what, meeting=meeting.id, other=other.id, slot=slot_id, table=table_id, from_slot=from_slot,
               sequence=meeting.sequence, by_me=by == me.id if by else None)


def meeting_scheduled(db: DbSession, meeting: Meeting) -> None:
    """A meeting placed when it was accepted: an invitation to both."""
    if meeting.slot_id is not None:
        _both(db, meeting, "scheduled", slot_id=meeting.slot_id, table_id=meeting.table_id)


def meeting_cancelled(db: DbSession, meeting: Meeting, *, slot_id: int | None, table_id: int | None,
                      by: int | None) -> None:
    """Called after the cancellation raised the SEQUENCE: both are told, with a CANCEL when the
    meeting had a slot (by: the profile that cancelled, or None for the organizers)."""
    _both(db, meeting, "cancelled", slot_id=slot_id, table_id=table_id, by=by)


def schedule_snapshot(db: DbSession, event_id: int) -> dict[int, tuple[int | None, int | None]]:
    """Where every live meeting is now, to compare with after publishing a schedule."""
    return {mid: (slot, table) for mid, slot, table in db.execute(
        sa.select(Meeting.id, Meeting.slot_id, Meeting.table_id).where(
            Meeting.event_id == event_id, Meeting.cancelled_at.is_(None))).all()}


def schedule_changed(db: DbSession, event_id: int, before: dict) -> int:
    """After eventhub.matching.scheduling.publish: raise the SEQUENCE of each meeting that moved or
    lost its slot and tell both people. Returns how many meetings changed."""
    meetings = db.scalars(sa.select(Meeting).where(Meeting.event_id == event_id, Meeting.cancelled_at.is_(None))
                          .order_by(Meeting.id)).all()
    changed = 0
    for m in meetings:
        old_slot, old_table = before.get(m.id, (None, None))
        if (old_slot, old_table) == (m.slot_id, m.table_id):
            continue
        changed += 1
        if m.slot_id is None:
            m.sequence += 1
            _both(db, m, "unscheduled", slot_id=old_slot, table_id=old_table)
        elif old_slot is None:
            if m.sequence:  # it had a slot once and was sent a CANCEL: go above that
                m.sequence += 1
            _both(db, m, "scheduled", slot_id=m.slot_id, table_id=m.table_id)
        else:
            m.sequence += 1
            _both(db, m, "moved", slot_id=m.slot_id, table_id=m.table_id, from_slot=old_slot)
    db.flush()
    return changed


def day_schedule(db: DbSession, profile: MatchingProfile, day: date) -> None:
    registration = profile.registration
    if registration.email and registration.personal_data_purged_at is None:
        queue_deferred(db, kind=DAY_KIND, to=[registration.email],
                       params={"profile": profile.id, "day": day.isoformat()})


# --- written by the delivery process --------------------------------------------------------------------

def _profile(db: DbSession, profile_id) -> MatchingProfile | None:
    profile = db.get(MatchingProfile, profile_id) if profile_id else None
    if profile is None or profile.registration.personal_data_purged_at is not None:
        return None
    return profile


def slot_text(slot: MatchingSlot, event) -> str:
    return f"{local_dt(slot.starts_at, event, 'short_datetime')}–{local_dt(slot.ends_at, event, 'time')}"


def entry_of(meeting: Meeting, other: MatchingProfile, slot: MatchingSlot, table: MatchingTable, url: str):
    """The calendar entry of a meeting at a given slot and table, as seen by the side facing `other`."""
    from eventhub.calendars.meetings import MeetingEntry

    session = slot_session(slot)
    room = localized(session.room, "name") if session.room is not None else (session.location or "")
    reg = other.registration
    return MeetingEntry(meeting.id, meeting.sequence, slot.starts_at, slot.ends_at, meeting.updated_at, table.name,
                        room, other.organisation, f"{reg.given_name} {reg.family_name}".strip(),
                        localized(reg.economy, "name") if reg.economy else "", url)


def slot_session(slot: MatchingSlot):
    from sqlalchemy.orm import object_session

    from eventhub.agenda.models import Session

    return object_session(slot).get(Session, slot.session_id)


def build_mail(db: DbSession, params: dict, recipients: list[str]):
    """Write a recorded matching e-mail (eventhub.mail.kinds)."""
    me, other = _profile(db, params.get("profile")), _profile(db, params.get("other"))
    if me is None or other is None:
        return None
    what, event = params["what"], me.registration.event
    slot = db.get(MatchingSlot, params["slot"]) if params.get("slot") else None
    table = db.get(MatchingTable, params["table"]) if params.get("table") else None
    meeting = db.get(Meeting, params["meeting"]) if params.get("meeting") else None
    request = db.get(MeetingRequest, params["request"]) if params.get("request") else None
    if meeting is None and what in METHODS:
        return None
    if what in ("scheduled", "moved", "unscheduled") and (slot is None or table is None):
        return None  # the slot was removed since: a later message tells what is true now
    if what in ("request_received", "accepted", "declined") and request is None:
        return None  # withdrawn meanwhile
    with force_locale(recipient_language(registration=me.registration, event=event)):
        meetings_url = absolute_url("matching.my_meetings", slug=event.slug)
        when = slot_text(slot, event) if slot else ""
        from_slot = db.get(MatchingSlot, params["from_slot"]) if params.get("from_slot") else None
        subject = str(SUBJECTS[what]) % {"organisation": other.organisation, "time": when}
        text = render_template(
            f"mail/matching/{what}.txt", event=event, me=me, other=other, request=request, meeting=meeting,
            when=when, table=table, was=slot_text(from_slot, event) if from_slot else "",
            by_me=params.get("by_me"), meetings_url=meetings_url,
            requests_url=absolute_url("matching.my_requests", slug=event.slug))
        calendar = None
        if what in METHODS and slot is not None and table is not None:
            from eventhub.calendars.meetings import itip_part

            entry = entry_of(meeting, other, slot, table, meetings_url)
            entry.sequence = params.get("sequence") or 0
            calendar = itip_part(event, slot_session(slot), entry, METHODS[what], me.registration.email,
                                 me.registration.full_name)
        return build_message(to=recipients, subject=f"{subject} · {localized(event, 'title')}"[:480], text=text,
                             calendar=calendar)


def build_day_schedule(db: DbSession, params: dict, recipients: list[str]):
    """The person's meetings of one day, as they stand when the message is written."""
    from eventhub.matching.printouts import day_meetings

    me = _profile(db, params.get("profile"))
    if me is None:
        return None
    event, day = me.registration.event, date.fromisoformat(params["day"])
    with force_locale(recipient_language(registration=me.registration, event=event)):
        rows = day_meetings(db, me, day)
        if not rows:
            return None  # all cancelled since
        subject = str(SUBJECTS["day_schedule"]) % {"day": day_label(day, "full")}
        text = render_template(
            "mail/matching/day_schedule.txt", event=event, me=me, rows=rows, slot_text=slot_text,
            meetings_url=absolute_url("matching.my_meetings", slug=event.slug),
            pdf_url=absolute_url("matching.schedule_pdf", slug=event.slug))
        return build_message(to=recipients, subject=f"{subject} · {localized(event, 'title')}"[:480], text=text)


register(KIND, build_mail)
register(DAY_KIND, build_day_schedule)
