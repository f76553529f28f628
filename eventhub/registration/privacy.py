"""Removing personal details after an event, keeping what reports count.

Kept: event, economy, delegation, state, sex, category and funding (the counts of every
attendance report), and the dates of state changes. Removed: names, e-mail, contact details,
needs, travel, organisation and position, consents, account link, notes of the history, secrets —
and the copies kept elsewhere: sent e-mails to those people or naming them (outbox rows and their
.eml files), reasons given for a seat beyond capacity, notes of the booking history.

Everything is done with set-based statements per event, never one statement per person.
"""

from __future__ import annotations

import secrets
from datetime import date, timedelta
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session as DbSession
from sqlalchemy.orm import aliased

from eventhub.db import utcnow
from eventhub.events.models import Event
from eventhub.mail.models import MailStatus, OutboxMessage
from eventhub.registration.models import Registration, RegistrationLog


def _like_literal(expr):
    """A SQL string expression made safe to embed in a LIKE pattern (escape character: backslash)."""
    return sa.func.replace(sa.func.replace(sa.func.replace(expr, "\\", "\\\\"), "%", "\\%"), "_", "\\_")


def _sent_mail_of(event: Event):
    """Sent outbox messages addressed to a not-yet-purged registrant of the event, or naming one in
    the subject together with the event (the notices to focal points)."""
    r = aliased(Registration)
    to_them = (sa.literal(", ") + OutboxMessage.recipients + sa.literal(",")).like(
        sa.literal("%, ") + _like_literal(r.email) + sa.literal(",%"), escape="\\")
    names_them = sa.and_(
        OutboxMessage.subject.like(sa.literal("%") + _like_literal(r.given_name + sa.literal(" ") + r.family_name)
                                   + sa.literal("%"), escape="\\"),
        OutboxMessage.subject.like(sa.literal("%") + _like_literal(sa.literal(event.title)), escape="\\"),
    )
    person = sa.select(r.id).where(r.event_id == event.id, r.personal_data_purged_at.is_(None),
                                   sa.or_(to_them, names_them)).exists()
    return sa.and_(OutboxMessage.status == MailStatus.SENT, person)


def _remove_mail_files(paths: list[str], mail_dir: str | None) -> None:
    """Delete the .eml copies, but only inside the mail folder."""
    if not mail_dir:
        return
    folder = Path(mail_dir).resolve()
    for name in paths:
        if not name:
            continue
        path = Path(name).resolve()
        if folder in path.parents:
            path.unlink(missing_ok=True)


def purge_personal_data(db_session: DbSession, *, days: int, today: date | None = None,
                        event_slug: str | None = None, mail_dir: str | None = None) -> list[tuple[Event, int]]:
    """Purge registrations of events that ended more than `days` days ago. Returns (event, count) pairs.

    `mail_dir`: where delivered .eml copies live (by default the app's MAIL_DIR); those of the
    removed outbox messages are deleted too.
    """
    from eventhub.documents.privacy import purge_documents
    from eventhub.signups.models import Booking, BookingLog
    from eventhub.surveys.privacy import purge_surveys

    if days < 0:
        raise ValueError("days must not be negative")
    if mail_dir is None:
        from flask import current_app, has_app_context

        mail_dir = current_app.config.get("MAIL_DIR") if has_app_context() else None
    today = today or utcnow().date()
    cutoff = today - timedelta(days=days)
    query = sa.select(Event).where(Event.end_date < cutoff).order_by(Event.end_date)
    if event_slug:
        query = query.where(Event.slug == event_slug)
    done = []
    files: list[str] = []
    for event in db_session.scalars(query).all():
        of_event = sa.select(Registration.id).where(Registration.event_id == event.id).scalar_subquery()
        # 1. Mail to or about these people, while their e-mail and names are still there to match.
        mail = _sent_mail_of(event)
        files.extend(p for p in db_session.scalars(sa.select(OutboxMessage.file_path).where(mail)) if p)
        db_session.execute(sa.delete(OutboxMessage).where(mail).execution_options(synchronize_session=False))
        # 2. The registrations themselves: one UPDATE. Secrets get fresh unguessable values (unique per row).
        confirm_secret, calendar_secret = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
        reg_id = sa.cast(Registration.id, sa.String)
        count = db_session.execute(
            sa.update(Registration)
            .where(Registration.event_id == event.id, Registration.personal_data_purged_at.is_(None))
            .values(
                email=sa.literal("purged-") + reg_id + sa.literal("@invalid"), honorific="",
                given_name="(removed)", family_name=sa.literal("#") + reg_id, name_local="", organisation="",
                position="", sector="", phone="", dietary="", accessibility="", arrival_at=None,
                departure_at=None, visa_letter=False, consent_list=False, consent_photo=False, user_id=None,
                submission_key=None,
                confirm_token=sa.literal(confirm_secret + ".") + reg_id,
                calendar_token=sa.literal(calendar_secret + ".") + reg_id,
                personal_data_purged_at=utcnow(),
            ).execution_options(synchronize_session=False)
        ).rowcount
        # 3. Notes and reasons that may hold names, in the registration and booking histories.
        db_session.execute(sa.update(RegistrationLog).where(RegistrationLog.registration_id.in_(of_event),
                                                            RegistrationLog.note != "")
                           .values(note="").execution_options(synchronize_session=False))
        db_session.execute(sa.update(Booking).where(Booking.registration_id.in_(of_event),
                                                    Booking.over_capacity_reason != "")
                           .values(over_capacity_reason="").execution_options(synchronize_session=False))
        db_session.execute(sa.update(BookingLog).where(BookingLog.registration_id.in_(of_event),
                                                       BookingLog.note != "")
                           .values(note="").execution_options(synchronize_session=False))
        purge_documents(db_session, of_event)  # passport details, letters, names kept for verification
        purge_surveys(db_session, of_event)  # free-text answers and personal links
        db_session.flush()
        done.append((event, count))
    db_session.expire_all()
    # The rows are gone in this transaction; their .eml copies go now (copies of mail already delivered).
    _remove_mail_files(files, mail_dir)
    return done
