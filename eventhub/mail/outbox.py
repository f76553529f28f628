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
    # SMTP wants CRLF line ends: smtplib sends bytes as they are, and a server sees a bare-LF message
    # as one long line (aiosmtpd refuses it past 1,000 octets; others reject bare LF outright).
    raw = message.as_bytes(policy=message.policy.clone(linesep="\r\n"))
    row = OutboxMessage(recipients=", ".join(recipients), subject=str(message["Subject"]), raw=raw)
    db_session.add(row)
    return row


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


@dataclass(frozen=True)
class PlainMessage:
    to: str
    subject: str
    text: str


def queue_plain_many(db_session: DbSession, messages: Iterable[PlainMessage]) -> None:
    """Queue many plain-text messages with one INSERT (imports of thousands of rows).

    The message is assembled directly — one text/plain UTF-8 part, Subject and From encoded once
    per distinct value — because the e-mail package spends about a millisecond per message
    folding headers, which would dominate a 2,000-row import.
    """
    import base64
    from email.header import Header

    import sqlalchemy as sa

    sender = current_app.config["MAIL_DEFAULT_SENDER"]
    sender_header = sender if sender.isascii() else Header(sender, "utf-8").encode()
    domain = current_app.config["SERVER_NAME_FOR_UIDS"]
    encoded_subjects: dict[str, str] = {}
    rows = []
    for message in messages:
        if message.subject not in encoded_subjects:
            encoded_subjects[message.subject] = Header(message.subject, "utf-8", maxlinelen=76).encode(
                linesep="\r\n")
        body = base64.encodebytes(message.text.encode("utf-8")).replace(b"\n", b"\r\n")
        head = (f"From: {sender_header}\r\nTo: {message.to}\r\nSubject: {encoded_subjects[message.subject]}\r\n"
                f"Date: {formatdate(localtime=False)}\r\nMessage-ID: {make_msgid(domain=domain)}\r\n"
                "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=\"utf-8\"\r\n"
                "Content-Transfer-Encoding: base64\r\n\r\n")
        rows.append({"recipients": message.to, "subject": message.subject, "raw": head.encode("ascii") + body})
    if rows:
        db_session.execute(sa.insert(OutboxMessage), rows)
