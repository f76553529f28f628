"""Deliver queued messages: over SMTP when MAIL_SERVER is set, else as .eml files.

A failed attempt is kept with its error and retried with exponential backoff; a message is
never dropped. Delivery runs after the request's commit and from `flask eventhub deliver-mail`.
"""

from __future__ import annotations

import smtplib
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from eventhub.db import utcnow, write_intent
from eventhub.extensions import db
from eventhub.mail.models import MailStatus, OutboxMessage

MAX_ATTEMPTS = 8
BACKOFF_BASE_SECONDS = 30


def _connect(config: dict) -> smtplib.SMTP:
    smtp = smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=15)
    if config["MAIL_USE_TLS"]:
        smtp.starttls()
    if config["MAIL_USERNAME"]:
        smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
    return smtp


def _send_smtp(config: dict, smtp: smtplib.SMTP, message) -> None:
    sender = config["MAIL_DEFAULT_SENDER"]
    if "<" in sender:
        sender = sender.split("<", 1)[1].rstrip(">")
    recipients = [r.strip() for r in message.recipients.split(",") if r.strip()]
    smtp.sendmail(sender, recipients, message.raw)


def _close(smtp: smtplib.SMTP) -> None:
    try:
        smtp.quit()
    except (OSError, smtplib.SMTPException):
        smtp.close()


def _write_eml(config: dict, message) -> str:
    folder = Path(config["MAIL_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{message.id:06d}.eml"
    path.write_bytes(message.raw)
    return str(path)


def claim_due(db_session, now, limit: int = 50) -> list[int]:
    """Claim up to `limit` due messages for this worker; the caller commits at once.

    The claim moves `next_attempt_at` ten minutes ahead, and the outer WHERE re-checks it: on
    PostgreSQL a second worker that waited on the same row locks re-evaluates only the outer
    WHERE against the committed row, so a condition the claim itself changes is what stops it
    from taking the rows again (re-checking `status`, which the claim leaves alone, did not).
    SKIP LOCKED lets that worker take the next rows instead of waiting.
    """
    due = (
        sa.select(OutboxMessage.id)
        .where(OutboxMessage.status == MailStatus.PENDING, OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.id)
        .limit(limit)
    )
    if db_session.get_bind().dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)
    return list(db_session.scalars(
        sa.update(OutboxMessage)
        .where(OutboxMessage.id.in_(due.scalar_subquery()), OutboxMessage.status == MailStatus.PENDING,
               OutboxMessage.next_attempt_at <= now)
        # If this worker dies mid-send, the message becomes due again in ten minutes.
        .values(next_attempt_at=now + timedelta(minutes=10), attempts=OutboxMessage.attempts + 1)
        .returning(OutboxMessage.id)
        .execution_options(synchronize_session=False)
    ).all())


def deliver_due(limit: int = 50) -> tuple[int, int]:
    """Deliver up to `limit` due messages. Returns (sent, failed).

    The batch is claimed with one UPDATE … RETURNING (`claim_due`: two workers never send the
    same message, and a burst of requests does not pile up write transactions), sent, and its
    results written in one more transaction.
    """
    config = current_app.config
    with write_intent():
        db.session.rollback()
        claimed = claim_due(db.session, utcnow(), limit)
        db.session.commit()
    if not claimed:
        return 0, 0

    rows = db.session.execute(
        sa.select(OutboxMessage.id, OutboxMessage.recipients, OutboxMessage.raw, OutboxMessage.attempts)
        .where(OutboxMessage.id.in_(claimed)).order_by(OutboxMessage.id)
    ).all()
    db.session.rollback()  # no transaction held open while talking to the SMTP server
    results: list[dict] = []
    smtp = None  # one connection for the batch, reopened after a failure
    for row in rows:
        try:
            if config["MAIL_SERVER"]:
                smtp = smtp or _connect(config)
                _send_smtp(config, smtp, row)
                path = ""
            else:
                path = _write_eml(config, row)
        except (OSError, smtplib.SMTPException) as exc:
            if smtp is not None:
                _close(smtp)
                smtp = None
            error = f"{type(exc).__name__}: {exc}"[:2000]
            current_app.logger.warning("mail %s not delivered (attempt %s): %s", row.id, row.attempts, error)
            if row.attempts >= MAX_ATTEMPTS:
                results.append({"id": row.id, "status": MailStatus.FAILED, "last_error": error})
            else:
                delay = BACKOFF_BASE_SECONDS * 2 ** (row.attempts - 1)
                results.append({"id": row.id, "last_error": error,
                                "next_attempt_at": utcnow() + timedelta(seconds=delay)})
        else:
            results.append({"id": row.id, "status": MailStatus.SENT, "sent_at": utcnow(), "last_error": "",
                            "file_path": path})
    if smtp is not None:
        _close(smtp)
    with write_intent():
        for values in results:
            message_id = values.pop("id")
            db.session.execute(sa.update(OutboxMessage).where(OutboxMessage.id == message_id).values(**values))
        db.session.commit()
    failed = sum(1 for r in results if "sent_at" not in r)
    return len(results) - failed, failed


def retry(message: OutboxMessage) -> None:
    """Put a failed message back in the queue (admin action)."""
    message.status = MailStatus.PENDING
    message.next_attempt_at = utcnow()
