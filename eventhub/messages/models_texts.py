"""An event's own wording of an automatic e-mail (eventhub.messages.notification_texts holds the
defaults and what each may say)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from eventhub.db import Base, UTCDateTime, utcnow


class NotificationText(Base):
    """An organizer's subject and body for one automatic e-mail of one event, in one language. Both
    were checked in the sandbox when saved (texts.check), so building the mail never meets a broken
    template. No row: the built-in text is sent."""

    __tablename__ = "notification_texts"
    __table_args__ = (
        sa.UniqueConstraint("event_id", "key", "language", name="uq_notification_texts_event_key_language"),
        sa.CheckConstraint("subject <> '' AND body <> ''", name="not_empty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(sa.String(60))  # a key of notification_texts.REGISTRY
    language: Mapped[str] = mapped_column(sa.String(16))  # "en" or "zh_Hans"
    subject: Mapped[str] = mapped_column(sa.String(300))
    body: Mapped[str] = mapped_column(sa.Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
