"""Optional messages and the personal link that stops them.

Announcements (and, later, reminders) are optional: every one carries a link that stops them for
that event, honoured at once. Essential mail — registration decisions, changes to a booked session —
never looks here.

The link is a value signed with the app's secret (itsdangerous): the registration's id and the
link's generation, nothing a person could be recognised by. Rotating the link raises the
generation, so every earlier link stops working.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy.orm import Session as DbSession

from eventhub.messages.models_announcements import MessageConsent
from eventhub.registration.models import Registration

_SALT = "eventhub.messages.unsubscribe"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def token_for(registration_id: int, generation: int) -> str:
    return _serializer().dumps([registration_id, generation])


def generation_of(db_session: DbSession, registration_id: int) -> int:
    return db_session.scalar(sa.select(MessageConsent.generation)
                             .where(MessageConsent.registration_id == registration_id)) or 0


def registration_for_token(db_session: DbSession, token: str) -> Registration | None:
    """The registration a link belongs to, or None for a forged, rotated or unusable one."""
    if not token or len(token) > 200:
        return None
    try:
        registration_id, generation = _serializer().loads(token)
    except (BadSignature, TypeError, ValueError):
        return None
    if not isinstance(registration_id, int) or not isinstance(generation, int):
        return None
    reg = db_session.get(Registration, registration_id)
    if reg is None or reg.personal_data_purged_at is not None or generation_of(db_session, reg.id) != generation:
        return None
    return reg


def _row(db_session: DbSession, reg: Registration) -> MessageConsent:
    row = db_session.get(MessageConsent, reg.id)
    if row is None:
        row = MessageConsent(registration_id=reg.id, event_id=reg.event_id, generation=0)
        db_session.add(row)
    return row


def set_opted_out(db_session: DbSession, reg: Registration, opted_out: bool, now: datetime) -> None:
    row = _row(db_session, reg)
    if opted_out and row.opted_out_at is None:
        row.opted_out_at = now
    elif not opted_out:
        row.opted_out_at = None
    row.changed_at = now
    db_session.flush()


def rotate(db_session: DbSession, reg: Registration, now: datetime) -> str:
    """A new link; earlier links stop working. Returns the new token."""
    row = _row(db_session, reg)
    row.generation = (row.generation or 0) + 1
    row.changed_at = now
    db_session.flush()
    return token_for(reg.id, row.generation)


def is_opted_out(db_session: DbSession, registration_id: int) -> bool:
    return db_session.scalar(sa.select(MessageConsent.opted_out_at)
                             .where(MessageConsent.registration_id == registration_id)) is not None


def opted_out(db_session: DbSession, event_id: int) -> set[int]:
    """Ids of the event's registrations that asked for no optional messages (for reminders)."""
    return set(db_session.scalars(sa.select(MessageConsent.registration_id).where(
        MessageConsent.event_id == event_id, MessageConsent.opted_out_at.is_not(None))))
