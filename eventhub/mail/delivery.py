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

from eventhub.db import utcnow
from eventhub.extensions import db
from eventhub.mail.models import MailStatus, OutboxMessage

MAX_ATTEMPTS = 8
BACKOFF_BASE_SECONDS = 30


def _send_smtp(config: dict, message: OutboxMessage) -> None:
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=15) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        sender = config["MAIL_DEFAULT_SENDER"]
        if "<" in sender:
            sender = sender.split("<", 1)[1].rstrip(">")
        recipients = [r.strip() for r in message.recipients.split(",") if r.strip()]
        smtp.sendmail(sender, recipients, message.raw)


def _write_eml(config: dict, message: OutboxMessage) -> str:
    folder = Path(config["MAIL_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{message.id:06d}.eml"
    path.write_bytes(message.raw)
    return str(path)


def deliver_due(limit: int = 50) -> tuple[int, int]:
    """Try every due message once, each in its own small transaction. Returns (sent, failed)."""
    config = current_app.config
    now = utcnow()
    ids = db.session.scalars(
        sa.select(OutboxMessage.id)
        .where(OutboxMessage.status == MailStatus.PENDING, OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.id)
        .limit(limit)
    ).all()
    db.session.rollback()
    sent = failed = 0
    for message_id in ids:
        # Claim the message so two workers never send it twice.
        claimed = db.session.execute(
            sa.update(OutboxMessage)
            .where(OutboxMessage.id == message_id, OutboxMessage.status == MailStatus.PENDING,
                   OutboxMessage.next_attempt_at <= now)
            .values(next_attempt_at=now + timedelta(minutes=10), attempts=OutboxMessage.attempts + 1)
        ).rowcount
        db.session.commit()
        if not claimed:
            continue
        message = db.session.get(OutboxMessage, message_id)
        try:
            if config["MAIL_SERVER"]:
                _send_smtp(config, message)
            else:
                message.file_path = _write_eml(config, message)
        except (OSError, smtplib.SMTPException) as exc:
            failed += 1
            message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            if message.attempts >= MAX_ATTEMPTS:
                message.status = MailStatus.FAILED
            else:
                delay = BACKOFF_BASE_SECONDS * 2 ** (message.attempts - 1)
                message.next_attempt_at = utcnow() + timedelta(seconds=delay)
            current_app.logger.warning("mail %s not delivered (attempt %s): %s",
                                       message.id, message.attempts, message.last_error)
        else:
            sent += 1
            message.status = MailStatus.SENT
            message.sent_at = utcnow()
            message.last_error = ""
        db.session.commit()
    return sent, failed


def retry(message: OutboxMessage) -> None:
    """Put a failed message back in the queue (admin action)."""
    message.status = MailStatus.PENDING
    message.next_attempt_at = utcnow()
