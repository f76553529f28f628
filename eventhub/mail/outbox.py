"""Queue e-mail inside the business transaction. Nothing is sent until the transaction commits."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from flask import current_app, render_template
from sqlalchemy.orm import Session as DbSession

from eventhub.mail.models import OutboxMessage


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mimetype: str  # e.g. "text/calendar; method=REQUEST"


@dataclass(frozen=True)
class CalendarPart:
    """An iTIP body part (text/calendar; method=...) that calendar clients act on."""

    ics: bytes
    method: str  # REQUEST or CANCEL


def build_message(
    *,
    to: Iterable[str],
    subject: str,
    text: str,
    cc: Iterable[str] = (),
    html: str | None = None,
    attachments: Iterable[Attachment] = (),
    calendar: CalendarPart | None = None,
    sender: str | None = None,
    reply_to: str | None = None,
) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = sender or current_app.config["MAIL_DEFAULT_SENDER"]
    msg["To"] = ", ".join(to)
    cc = list(cc)
    if cc:
        msg["Cc"] = ", ".join(cc)
    if reply_to:
        msg["Reply-To"] = reply_to
    msg["Subject"] = subject
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(domain=current_app.config["SERVER_NAME_FOR_UIDS"])
    msg.set_content(text, charset="utf-8")
    if html:
        msg.add_alternative(html, subtype="html", charset="utf-8")
    if calendar is not None:
        # The iTIP part goes in the alternative group so clients show Accept/Decline buttons;
        # its Content-Type carries the same method as the METHOD line inside.
        msg.add_alternative(
            calendar.ics,
            maintype="text",
            subtype="calendar",
            params={"method": calendar.method, "charset": "utf-8"},
            cte="base64",
        )
    for att in attachments:
        maintype, _, rest = att.mimetype.partition("/")
        subtype, *params = [p.strip() for p in rest.split(";")]
        extra = dict(p.split("=", 1) for p in params if "=" in p)
        msg.add_attachment(att.content, maintype=maintype, subtype=subtype, filename=att.filename, params=extra)
    return msg


def queue(db_session: DbSession, message: EmailMessage) -> OutboxMessage:
    """Store a message in the outbox of the current transaction."""
    recipients = [
        addr.strip()
        for header in ("To", "Cc", "Bcc")
        for addr in (message.get(header) or "").split(",")
        if addr.strip()
    ]
    if "Bcc" in message:
        del message["Bcc"]
    row = OutboxMessage(recipients=", ".join(recipients), subject=str(message["Subject"]),
                        raw=message_bytes(message))
    db_session.add(row)
    return row


def queue_deferred(db_session: DbSession, *, kind: str, to: Iterable[str], params: dict) -> OutboxMessage:
    """Record a message for the delivery process to write (eventhub.mail.kinds) and send.

    `params` holds ids and plain values (JSON), never objects: the builder loads what it needs when
    it writes the message, in its recipient's language.
    """
    row = OutboxMessage(recipients=", ".join(to), subject="", raw=b"", kind=kind, params=params)
    db_session.add(row)
    return row


def message_bytes(message: EmailMessage) -> bytes:
    # SMTP wants CRLF line ends: smtplib sends bytes as they are, and a server sees a bare-LF message
    # as one long line (aiosmtpd refuses it past 1,000 octets; others reject bare LF outright).
    return message.as_bytes(policy=message.policy.clone(linesep="\r\n"))


def queue_template(
    db_session: DbSession,
    *,
    to: Iterable[str],
    subject: str,
    template: str,
    cc: Iterable[str] = (),
    attachments: Iterable[Attachment] = (),
    calendar: CalendarPart | None = None,
    **context,
) -> OutboxMessage:
    """Render templates/mail/<template>.txt (and .html when present) and queue the result."""
    text = render_template(f"mail/{template}.txt", **context)
    return queue(
        db_session,
        build_message(to=to, cc=cc, subject=subject, text=text, attachments=attachments, calendar=calendar),
    )


def queue_deferred_many(db_session: DbSession, *, kind: str, messages: Iterable[tuple[list[str], dict]]) -> None:
    """Record many deferred messages with one INSERT (imports of thousands of rows)."""
    import sqlalchemy as sa

    rows = [{"recipients": ", ".join(to), "subject": "", "raw": b"", "kind": kind, "params": params}
            for to, params in messages]
    if rows:
        db_session.execute(sa.insert(OutboxMessage), rows)
