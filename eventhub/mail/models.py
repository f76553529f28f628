from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from eventhub.db import Base, UTCDateTime, str_enum, utcnow


class MailStatus(enum.StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"  # gave up after MAX_ATTEMPTS; still kept, can be retried by an admin


class OutboxMessage(Base):
    """A message written in the business transaction, delivered after commit."""

    __tablename__ = "mail_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipients: Mapped[str] = mapped_column(sa.Text)  # comma-separated envelope recipients
    subject: Mapped[str] = mapped_column(sa.String(500))  # "" until a deferred message is built
    raw: Mapped[bytes] = mapped_column(sa.LargeBinary)  # the complete RFC 5322 message; b"" until built
    # A deferred message: what to write (a builder registered in eventhub.mail.kinds) and the ids and
    # values it needs. The request records only this; the delivery process builds the message.
    kind: Mapped[str] = mapped_column(sa.String(60), default="", server_default="")
    params: Mapped[dict | None] = mapped_column(sa.JSON)
    status: Mapped[MailStatus] = mapped_column(
        str_enum(MailStatus, "mail_status"), default=MailStatus.PENDING, index=True
    )
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    last_error: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Where the .eml landed when no SMTP server is configured.
    file_path: Mapped[str] = mapped_column(sa.String(500), default="")
