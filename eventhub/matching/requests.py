"""Meeting requests: sending one, accepting or declining it. An accepted request is a meeting.

A pair of profiles holds at most one request (UNIQUE on the ordered pair): two people asking each
other at the same moment collide in the database, and the loser's retry finds the other's request
and accepts it — crossing requests become one meeting.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session as DbSession

from eventhub.db import utcnow
from eventhub.errors import DomainError
from eventhub.matching.models import MatchingProfile, MatchingSettings, Meeting, MeetingRequest, RequestStatus
from eventhub.matching.participants import requests_open, takes_part
from eventhub.matching.scheduling import place_earliest


@dataclass(frozen=True)
class Sent:
    request: MeetingRequest
    crossed: bool  # the other side had already asked: the meeting exists now


def _same_organisation(a: MatchingProfile, b: MatchingProfile) -> bool:
    return bool(a.organisation.strip()) and a.organisation.strip().casefold() == b.organisation.strip().casefold()


def open_request_count(db: DbSession, profile_id: int) -> int:
    return db.scalar(sa.select(sa.func.count()).select_from(MeetingRequest).where(
        MeetingRequest.sender_id == profile_id, MeetingRequest.status == RequestStatus.PENDING)) or 0


def send_request(db: DbSession, settings: MatchingSettings, sender: MatchingProfile, receiver_id: int,
                 message: str) -> Sent:
    """Ask `receiver_id` for a meeting. Refuses with a reason a person can read; changes nothing then."""
    if not requests_open(settings):
        raise DomainError(_("Meeting requests are closed for this event."))
    receiver = db.get(MatchingProfile, receiver_id)
    if (receiver is None or receiver.event_id != sender.event_id or not receiver.listed
            or not takes_part(settings, receiver.registration)):
        raise DomainError(_("This participant cannot be asked for a meeting."))
    if receiver.id == sender.id:
        raise DomainError(_("You cannot ask yourself for a meeting."))
    if _same_organisation(sender, receiver):
        raise DomainError(_("You cannot ask someone of your own organisation for a meeting."))
    low, high = sorted((sender.id, receiver.id))
    existing = _pair_request(db, sender.event_id, low, high)
    if existing is not None:
        return _meet_existing(db, existing, receiver)
    if open_request_count(db, sender.id) >= settings.open_request_limit:
        raise DomainError(_("You have %(limit)s requests waiting for an answer, the most this event allows. "
                            "Wait for answers or withdraw one first.", limit=settings.open_request_limit))
    request = MeetingRequest(event_id=sender.event_id, sender_id=sender.id, receiver_id=receiver.id, low_id=low,
                             high_id=high, message=message.strip()[:1000])
    try:
        # In a savepoint: if the other side asked at the same moment, the UNIQUE on the pair refuses
        # this row, and their request (committed by then) is the one to accept.
        with db.begin_nested():
            db.add(request)
            db.flush()
    except IntegrityError:
        existing = _pair_request(db, sender.event_id, low, high)
        if existing is None:
            raise
        return _meet_existing(db, existing, receiver)
    return Sent(request, crossed=False)


def _pair_request(db: DbSession, event_id: int, low: int, high: int) -> MeetingRequest | None:
    return db.scalar(sa.select(MeetingRequest).where(
        MeetingRequest.event_id == event_id, MeetingRequest.low_id == low, MeetingRequest.high_id == high))


def _meet_existing(db: DbSession, existing: MeetingRequest, receiver: MatchingProfile) -> Sent:
    """The pair already has a request: theirs and waiting becomes the meeting; anything else is refused."""
    if existing.sender_id == receiver.id and existing.status == RequestStatus.PENDING:
        accept(db, existing)
        return Sent(existing, crossed=True)
    raise DomainError(_("You have already been in touch with %(organisation)s about a meeting.",
                        organisation=receiver.organisation))


def _pending_for(db: DbSession, request_id: int, receiver: MatchingProfile) -> MeetingRequest:
    request = db.get(MeetingRequest, request_id)
    if request is None or request.receiver_id != receiver.id:
        raise DomainError(_("This request is not addressed to you."))
    if request.status != RequestStatus.PENDING:
        raise DomainError(_("This request has already been answered."))
    return request


def accept(db: DbSession, request: MeetingRequest) -> Meeting:
    """Turn a pending request into a meeting, placed at once in the earliest slot where both are free
    (if the organizer has set up slots). The conditional UPDATE makes a double click, or two tabs,
    accept once: the second finds no pending row and is told so."""
    changed = db.execute(
        sa.update(MeetingRequest).where(MeetingRequest.id == request.id,
                                        MeetingRequest.status == RequestStatus.PENDING)
        .values(status=RequestStatus.ACCEPTED, answered_at=utcnow()).execution_options(synchronize_session=False))
    if changed.rowcount != 1:
        raise DomainError(_("This request has already been answered."))
    db.refresh(request)
    meeting = Meeting(event_id=request.event_id, request_id=request.id, profile_a_id=request.low_id,
                      profile_b_id=request.high_id)
    db.add(meeting)
    db.flush()
    place_earliest(db, meeting)
    return meeting


def accept_request(db: DbSession, request_id: int, receiver: MatchingProfile) -> Meeting:
    return accept(db, _pending_for(db, request_id, receiver))


def decline_request(db: DbSession, request_id: int, receiver: MatchingProfile, reason: str) -> MeetingRequest:
    request = _pending_for(db, request_id, receiver)
    request.status = RequestStatus.DECLINED
    request.decline_reason = reason.strip()[:500]
    request.answered_at = utcnow()
    db.flush()
    return request


def withdraw_request(db: DbSession, request_id: int, sender: MatchingProfile) -> None:
    request = db.get(MeetingRequest, request_id)
    if request is None or request.sender_id != sender.id:
        raise DomainError(_("This request is not yours."))
    if request.status != RequestStatus.PENDING:
        raise DomainError(_("This request has already been answered."))
    db.delete(request)
    db.flush()


def requests_of(db: DbSession, profile_id: int) -> tuple[list[MeetingRequest], list[MeetingRequest]]:
    """(received, sent) requests of a profile, newest first, the other side loaded."""
    from sqlalchemy.orm import joinedload

    from eventhub.registration.models import Registration

    def load(column, other):
        return list(db.scalars(
            sa.select(MeetingRequest).where(column == profile_id)
            .options(joinedload(other).joinedload(MatchingProfile.registration).joinedload(Registration.economy))
            .order_by(MeetingRequest.created_at.desc(), MeetingRequest.id.desc())).all())

    return (load(MeetingRequest.receiver_id, MeetingRequest.sender),
            load(MeetingRequest.sender_id, MeetingRequest.receiver))
