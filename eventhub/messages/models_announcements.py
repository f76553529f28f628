"""Announcements (a message an organizer writes to a chosen audience), who got each one, and who
asked to receive no more optional messages for an event."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventhub.db import Base, UTCDateTime, utcnow


class Announcement(Base):
    """A sent announcement. It is written once, when sent, and never changes afterwards: the delivery
    process builds each person's message from it, so what was sent is what is kept."""

    __tablename__ = "announcements"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), index=True)
    subject: Mapped[str] = mapped_column(sa.String(300))
    body: Mapped[str] = mapped_column(sa.Text)
    subject_zh: Mapped[str] = mapped_column(sa.String(300), default="")
    body_zh: Mapped[str] = mapped_column(sa.Text, default="")
    # The audience filters as chosen (audience.Audience.to_json), shown on the history page.
    audience: Mapped[dict] = mapped_column(sa.JSON)
    recipient_count: Mapped[int] = mapped_column()
    # A random value put in the form when it is shown: a double click or a resubmit of the same form
    # hits this UNIQUE and finds the announcement already sent instead of mailing everyone again.
    send_token: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    created_by: Mapped[User | None] = relationship()  # noqa: F821

    __table_args__ = (
        sa.CheckConstraint("recipient_count > 0", name="has_recipients"),
        sa.CheckConstraint("subject <> '' AND body <> ''", name="has_text"),
    )


class AnnouncementRecipient(Base):
    """One person an announcement was sent to, and the outbox message that carries it."""

    __tablename__ = "announcement_recipients"

    id: Mapped[int] = mapped_column(primary_key=True)
    announcement_id: Mapped[int] = mapped_column(sa.ForeignKey("announcements.id", ondelete="CASCADE"))
    registration_id: Mapped[int] = mapped_column(
        sa.ForeignKey("registrations.id", ondelete="CASCADE"), index=True)
    outbox_id: Mapped[int | None] = mapped_column(sa.ForeignKey("mail_outbox.id", ondelete="SET NULL"))

    __table_args__ = (sa.UniqueConstraint("announcement_id", "registration_id"),)


class MessageConsent(Base):
    """A person's choice about optional messages (announcements, reminders) of one event.

    No row: they receive them, and their unsubscribe link is of generation 0. `generation` goes up
    when the link is rotated, which makes every earlier link stop working."""

    __tablename__ = "message_consents"

    registration_id: Mapped[int] = mapped_column(
        sa.ForeignKey("registrations.id", ondelete="CASCADE"), primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"))
    opted_out_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    generation: Mapped[int] = mapped_column(default=0)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (
        sa.CheckConstraint("generation >= 0", name="generation_not_negative"),
        sa.Index("ix_message_consents_event_opted_out", "event_id", "opted_out_at"),
    )
