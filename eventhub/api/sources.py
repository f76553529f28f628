"""What feeds the webhooks: listeners on the changes themselves, so that every page, import, API
call or command that makes a change queues its deliveries (webhooks.queue) in its transaction.

- registrations and bookings: a new line in a registration's log (created, approved, waitlisted,
  declined, cancelled…) or a booking's log (booked, waitlisted, promoted, cancelled);
- agenda sessions: a session whose time, place or details were edited, or that was cancelled;
- business matching: a meeting given a slot and a table (a seat is written for each of the two
  people, whether the meeting was placed on acceptance or by publishing a schedule);
- check-ins: the scanner API and the desks write them with one INSERT … ON CONFLICT DO NOTHING
  (no ORM object, no flush), so the INSERT itself is watched on the connection and the row it
  wrote, if any, is looked up when the transaction commits; a CheckIn added through the ORM is
  reported after its flush.
"""

from __future__ import annotations

import functools
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.sql.dml import Insert

from eventhub.api.models import WebhookKind as K
from eventhub.api.webhooks import forget, queue, wants

BOOKING_KINDS = {
    "booked": K.BOOKING_CONFIRMED, "added": K.BOOKING_CONFIRMED, "moved_in": K.BOOKING_CONFIRMED,
    "added_over_capacity": K.BOOKING_CONFIRMED, "waitlisted": K.BOOKING_WAITLISTED,
    "promoted": K.BOOKING_PROMOTED, "absorbed": K.BOOKING_PROMOTED,
    "cancelled": K.BOOKING_CANCELLED, "removed": K.BOOKING_CANCELLED, "moved": K.BOOKING_CANCELLED,
    "session_cancelled": K.BOOKING_CANCELLED,
}
# Columns of a session whose change is no news to a receiver: seat counts and bookkeeping.
SESSION_QUIET = frozenset({"taken", "changed_at", "updated_at", "created_at"})
_SCANS = "eventhub_webhook_scans"  # key in the connection's info: check-in INSERTs of this transaction


def _iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return (moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)).isoformat()


# --- Registrations, bookings, sessions, meetings: seen in the flush -----------------------------------

def _registration_data(reg, entry) -> dict:
    return {"registration_id": reg.id, "delegation_id": reg.delegation_id, "economy_id": reg.economy_id,
            "state": entry.to_status, "previous_state": entry.from_status, "action": entry.action}


@functools.cache  # built on first use: every model is mapped by then
def _session_columns() -> frozenset[str]:
    from eventhub.agenda.models import Session as AgendaSession

    return frozenset(attr.key for attr in sa.inspect(AgendaSession).column_attrs) - SESSION_QUIET


def _session_change(session) -> tuple[K, dict] | None:
    """The delivery an edited session gets: cancelled, changed (naming what), or none."""
    from eventhub.agenda.models import SessionStatus

    columns = _session_columns()
    changed = sorted(attr.key for attr in sa.inspect(session).attrs
                     if attr.key in columns and attr.history.has_changes())
    if not changed:
        return None
    cancelled = "status" in changed and session.status == SessionStatus.CANCELLED
    return (K.SESSION_CANCELLED if cancelled else K.SESSION_CHANGED), {
        "session_id": session.id, "title": session.title, "status": session.status.value,
        "starts_at": _iso(session.starts_at), "ends_at": _iso(session.ends_at), "room_id": session.room_id,
        "location": session.location, "sequence": session.sequence, "changed": changed}


def _meetings_scheduled(db_session: OrmSession, meeting_ids: set[int]) -> None:
    """Queue one delivery per meeting that was just given a slot (its two seats arrive together)."""
    from eventhub.matching.models import MatchingProfile, MatchingSlot, MatchingTable, Meeting

    done = db_session.info.setdefault("_webhook_meetings", set())
    meeting_ids -= done
    if not meeting_ids:
        return
    done |= meeting_ids
    a, b = sa.orm.aliased(MatchingProfile), sa.orm.aliased(MatchingProfile)
    # Columns, not ORM objects: the schedule moves meetings with UPDATEs the identity map never saw.
    rows = db_session.execute(
        sa.select(Meeting.id, Meeting.event_id, Meeting.slot_id, Meeting.table_id, MatchingTable.name,
                  MatchingSlot.session_id, MatchingSlot.starts_at, MatchingSlot.ends_at,
                  a.registration_id.label("a"), b.registration_id.label("b"))
        .join(MatchingSlot, MatchingSlot.id == Meeting.slot_id)
        .outerjoin(MatchingTable, MatchingTable.id == Meeting.table_id)
        .join(a, a.id == Meeting.profile_a_id).join(b, b.id == Meeting.profile_b_id)
        .where(Meeting.id.in_(meeting_ids)).order_by(Meeting.id))
    for row in rows:
        queue(db_session, row.event_id, K.MEETING_SCHEDULED, {
            "meeting_id": row.id, "session_id": row.session_id, "slot_id": row.slot_id, "table_id": row.table_id,
            "table": row.name, "starts_at": _iso(row.starts_at), "ends_at": _iso(row.ends_at),
            "registration_ids": [row.a, row.b]})


def _before_flush(db_session: OrmSession, _context, _instances) -> None:
    from eventhub.agenda.models import Session as AgendaSession
    from eventhub.matching.models import MeetingSeat
    from eventhub.registration.models import RegistrationLog
    from eventhub.signups.models import BookingLog

    entries = [obj for obj in db_session.new if isinstance(obj, RegistrationLog | BookingLog | MeetingSeat)]
    sessions = [obj for obj in db_session.dirty if isinstance(obj, AgendaSession)]
    if not entries and not sessions:
        return
    with db_session.no_autoflush:
        meetings = set()
        for entry in entries:
            if isinstance(entry, MeetingSeat):
                meetings.add(entry.meeting_id)
            elif isinstance(entry, RegistrationLog):
                reg = entry.registration
                if reg is None or entry.to_status == entry.from_status:
                    continue
                kind = K.REGISTRATION_CREATED if entry.from_status is None else K.REGISTRATION_STATE_CHANGED
                queue(db_session, reg.event_id, kind, _registration_data(reg, entry))
            else:
                kind = BOOKING_KINDS.get(entry.action)
                if kind is None:
                    continue
                session = db_session.get(AgendaSession, entry.session_id)
                if session is not None:
                    queue(db_session, session.event_id, kind, {
                        "booking_id": entry.booking_id, "session_id": entry.session_id,
                        "registration_id": entry.registration_id, "action": entry.action})
        for session in sessions:
            change = _session_change(session)
            if change is not None:
                queue(db_session, session.event_id, *change)
        if meetings:
            _meetings_scheduled(db_session, meetings)


# --- Check-ins: seen on the connection, reported at commit ---------------------------------------------

def _checkin_data(checkin_id: int, values: dict) -> dict:
    session_id = values.get("session_id")
    return {"checkin_id": checkin_id, "registration_id": values["registration_id"],
            "day": values["day"].isoformat() if values.get("day") else None, "session_id": session_id,
            "scanned_at": _iso(values.get("scanned_at")), "source": str(getattr(values.get("source"), "value",
                                                                                    values.get("source"))),
            "desk": values.get("desk") or "", "overridden": bool(values.get("overridden"))}


def _after_execute(conn, clauseelement, multiparams, params, _options, _result) -> None:
    if not isinstance(clauseelement, Insert) or clauseelement.table.name != "checkins":
        return
    rows = multiparams or ([params] if params else [])
    conn.info.setdefault(_SCANS, []).extend(dict(row) for row in rows if "event_id" in row)


def _clear_scans(conn, *_args) -> None:
    conn.info.pop(_SCANS, None)


def _written_here(db_session: OrmSession, values: dict) -> int | None:
    """The id of the check-in one of this transaction's INSERTs wrote, None when the database refused
    it (the nonce or the person's scope was recorded already: an older row, recorded earlier)."""
    from eventhub.attendance.models import CheckIn

    q = sa.select(CheckIn.id, CheckIn.recorded_at)
    if values.get("nonce"):
        q = q.where(CheckIn.nonce == values["nonce"])
    else:
        q = q.where(CheckIn.registration_id == values["registration_id"], CheckIn.undone_at.is_(None),
                    CheckIn.session_id == values["session_id"] if values.get("session_id") is not None
                    else sa.and_(CheckIn.session_id.is_(None), CheckIn.day == values["day"]))
    for checkin_id, recorded_at in db_session.execute(q):
        if _iso(recorded_at) == _iso(values.get("recorded_at")):
            return checkin_id
    return None


def _before_commit(db_session: OrmSession) -> None:
    if not db_session.in_transaction():
        return
    scans = db_session.connection().info.pop(_SCANS, None)
    if not scans:
        return
    with db_session.no_autoflush:
        for values in scans:
            if not wants(db_session, values["event_id"], K.CHECKIN_RECORDED):
                continue
            checkin_id = _written_here(db_session, values)
            if checkin_id is not None:
                queue(db_session, values["event_id"], K.CHECKIN_RECORDED, _checkin_data(checkin_id, values))


def _after_flush_postexec(db_session: OrmSession, _context) -> None:
    # CheckIns added through the ORM (imports, tests, the demo): ids are known once flushed.
    pending = db_session.info.pop("_webhook_orm_checkins", None)
    for checkin in pending or ():
        if checkin.id is not None and wants(db_session, checkin.event_id, K.CHECKIN_RECORDED):
            values = {c: getattr(checkin, c) for c in ("registration_id", "day", "session_id", "scanned_at",
                                                        "source", "desk", "overridden")}
            queue(db_session, checkin.event_id, K.CHECKIN_RECORDED, _checkin_data(checkin.id, values))


def _note_orm_checkins(db_session: OrmSession, _context, _instances) -> None:
    from eventhub.attendance.models import CheckIn

    new = [obj for obj in db_session.new if isinstance(obj, CheckIn)]
    if new:
        db_session.info.setdefault("_webhook_orm_checkins", []).extend(new)


def _forget(db_session: OrmSession, *_args) -> None:
    forget(db_session)
    db_session.info.pop("_webhook_meetings", None)
    db_session.info.pop("_webhook_orm_checkins", None)


sa.event.listen(OrmSession, "before_flush", _before_flush)
sa.event.listen(OrmSession, "before_flush", _note_orm_checkins)
sa.event.listen(OrmSession, "after_flush_postexec", _after_flush_postexec)
sa.event.listen(OrmSession, "before_commit", _before_commit)
sa.event.listen(OrmSession, "after_commit", _forget)
sa.event.listen(OrmSession, "after_rollback", _forget)
sa.event.listen(Engine, "after_execute", _after_execute)
sa.event.listen(Engine, "rollback", _clear_scans)
sa.event.listen(Engine, "commit", _clear_scans)
