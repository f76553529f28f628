"""Deliver queued messages: over SMTP when MAIL_SERVER is set, else as .eml files.

A failed attempt is kept with its error and retried with exponential backoff; a message is
never dropped. Web requests only queue messages; delivery runs in the delivery process
(`flask eventhub mail-worker`, see eventhub.mail.worker) and from `flask eventhub deliver-mail`.
"""

from __future__ import annotations

import smtplib
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from eventhub.db import claim_queued, utcnow, write_intent
from eventhub.extensions import db
from eventhub.mail import kinds
from eventhub.mail.models import MailStatus, OutboxMessage
from eventhub.mail.outbox import message_bytes

MAX_ATTEMPTS = 8
BACKOFF_BASE_SECONDS = 30
# A batch stops sending after BATCH_SECONDS; its claim lasts LEASE, after which a message whose
# worker died is due again for any other worker.
BATCH_SECONDS = 40
LEASE = timedelta(seconds=90)


def _connect(config: dict) -> smtplib.SMTP:
    # Every socket operation (connect, the greeting, each command) gives up after MAIL_TIMEOUT.
    smtp = smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT"])
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
    """Claim up to `limit` due messages for this worker (eventhub.db.claim_queued); the caller
    commits at once."""
    return claim_queued(db_session, OutboxMessage, MailStatus.PENDING, now, limit=limit, lease=LEASE)


def deliver_due(limit: int = 50) -> tuple[int, int]:
    """Deliver up to `limit` due messages. Returns (sent, failed).

    The batch is claimed with one UPDATE … RETURNING (`claim_due`: two workers never send the
    same message, and a burst of requests does not pile up write transactions), sent, and its
    results written in one more transaction.
    """
    config = current_app.config
    limit = within_rate(config, limit)
    if limit <= 0:
        return 0, 0
    with write_intent():
        db.session.rollback()
        claimed = claim_due(db.session, utcnow(), limit)
        db.session.commit()
    if not claimed:
        return 0, 0

    rows = db.session.execute(
        sa.select(OutboxMessage.id, OutboxMessage.recipients, OutboxMessage.raw, OutboxMessage.attempts,
                  OutboxMessage.kind, OutboxMessage.params)
        .where(OutboxMessage.id.in_(claimed)).order_by(OutboxMessage.id)
    ).all()
    rows, built = _build_deferred(db.session, rows)
    db.session.rollback()  # no transaction held open while talking to the SMTP server
    results = _send_batch(config, rows) + built.unsendable
    for values in results:
        values.update(built.written.get(values["id"], {}))
    with write_intent():
        for values in results:
            message_id = values.pop("id")
            db.session.execute(sa.update(OutboxMessage).where(OutboxMessage.id == message_id).values(**values))
        db.session.commit()
    sent = sum(1 for r in results if "sent_at" in r)
    failed = sum(1 for r in results if "last_error" in r and "sent_at" not in r)
    return sent, failed


def within_rate(config, limit: int) -> int:
    """How many messages this batch may claim under MAIL_RATE_PER_MINUTE: the rate less what was sent
    in the last minute (by any worker, read from the outbox), so the SMTP server never gets more."""
    rate = config.get("MAIL_RATE_PER_MINUTE") or 0
    if rate <= 0:
        return limit
    recent = db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)
                               .where(OutboxMessage.sent_at >= utcnow() - timedelta(minutes=1)))
    db.session.rollback()
    return min(limit, rate - recent)


@dataclass(frozen=True)
class Claimed:
    id: int
    recipients: str
    raw: bytes
    attempts: int


@dataclass
class Built:
    written: dict[int, dict] = field(default_factory=dict)  # id -> raw and subject to store
    unsendable: list[dict] = field(default_factory=list)  # results of messages that cannot be written


def _build_deferred(db_session, rows) -> tuple[list[Claimed], Built]:
    """Write the deferred messages of a claimed batch (eventhub.mail.kinds).

    The written message is stored with the delivery result, sent or not, so a retry sends the very
    same message (same Message-ID). A message with nothing left to send (its registration purged)
    is marked failed with the reason; a builder that raises counts as a failed attempt, retried
    with backoff like a refused delivery.
    """
    ready: list[Claimed] = []
    built = Built()
    for row in rows:
        if row.raw or not row.kind:
            ready.append(Claimed(row.id, row.recipients, row.raw, row.attempts))
            continue
        recipients = [r.strip() for r in row.recipients.split(",") if r.strip()]
        try:
            message = kinds.build(db_session, row.kind, row.params or {}, recipients)
        except Exception as exc:  # a bug or a missing row must not stop the rest of the batch
            current_app.logger.exception("mail %s (%s) could not be written", row.id, row.kind)
            built.unsendable.append(_failure(row, exc))
            continue
        if message is None:
            built.unsendable.append({"id": row.id, "status": MailStatus.FAILED,
                                     "last_error": "Not sent: the person's data is gone (purged or deleted)."})
            continue
        raw = message_bytes(message)
        built.written[row.id] = {"raw": raw, "subject": str(message["Subject"])[:500]}
        ready.append(Claimed(row.id, row.recipients, raw, row.attempts))
    return ready, built


def _send_batch(config: dict, rows) -> list[dict]:
    """Send the claimed rows; the values to write back for each one.

    The batch stops at BATCH_SECONDS (well inside the lease, so no other worker takes a message
    this one is still sending) and at the first failure to reach the server: a server that is
    down or never answers would otherwise cost a socket timeout for every message of the batch.
    Messages not tried are handed back without counting an attempt.
    """
    results: list[dict] = []
    smtp = None  # one connection for the batch
    started = time.monotonic()
    for index, row in enumerate(rows):
        if time.monotonic() - started > BATCH_SECONDS:
            results.extend(_hand_back(rows[index:], delay=0))
            break
        try:
            if config["MAIL_SERVER"]:
                if smtp is None:
                    try:
                        smtp = _connect(config)
                    except (OSError, smtplib.SMTPException) as exc:
                        results.append(_failure(row, exc))
                        results.extend(_hand_back(rows[index + 1:], delay=BACKOFF_BASE_SECONDS))
                        break
                _send_smtp(config, smtp, row)
                path = ""
            else:
                path = _write_eml(config, row)
        except (OSError, smtplib.SMTPException) as exc:
            if smtp is not None:
                _close(smtp)
                smtp = None
            results.append(_failure(row, exc))
        else:
            results.append({"id": row.id, "status": MailStatus.SENT, "sent_at": utcnow(), "last_error": "",
                            "file_path": path})
    if smtp is not None:
        _close(smtp)
    return results


def _failure(row, exc: BaseException) -> dict:
    error = f"{type(exc).__name__}: {exc}"[:2000]
    current_app.logger.warning("mail %s not delivered (attempt %s): %s", row.id, row.attempts, error)
    if row.attempts >= MAX_ATTEMPTS:
        return {"id": row.id, "status": MailStatus.FAILED, "last_error": error}
    delay = BACKOFF_BASE_SECONDS * 2 ** (row.attempts - 1)
    return {"id": row.id, "last_error": error, "next_attempt_at": utcnow() + timedelta(seconds=delay)}


def _hand_back(rows, *, delay: int) -> list[dict]:
    due = utcnow() + timedelta(seconds=delay)
    return [{"id": row.id, "attempts": row.attempts - 1, "next_attempt_at": due} for row in rows]


def retry(message: OutboxMessage) -> None:
    """Put a failed message back in the queue (admin action)."""
    message.status = MailStatus.PENDING
    message.next_attempt_at = utcnow()
