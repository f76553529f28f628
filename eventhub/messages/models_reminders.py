"""Reminders that run themselves: an event's settings per kind, and the claim that makes each
reminder go to each person exactly once."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from eventhub.db import Base, UTCDateTime, str_enum, utcnow


class ReminderKind(enum.StrEnum):
    REGISTRATION_CLOSING = "registration_closing"  # to focal points below quota and unconfirmed nominees
    RANKING_DEADLINE = "ranking_deadline"  # to approved delegates who have not ranked an open slot
    DAY_BEFORE = "day_before"  # each person's own programme
    SURVEY = "survey"  # to invited attendees who have not answered


class ReminderSetting(Base):
    """One reminder of one event: on or off, and how many hours before its moment (after, for the
    survey: hours after the invitation) it goes. No row: off."""

    __tablename__ = "reminder_settings"
    __table_args__ = (
        sa.UniqueConstraint("event_id", "kind", name="uq_reminder_settings_event_kind"),
        sa.CheckConstraint("offset_hours BETWEEN 1 AND 1440", name="offset_in_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), index=True)
    kind: Mapped[ReminderKind] = mapped_column(str_enum(ReminderKind, "reminder_kind"))
    enabled: Mapped[bool] = mapped_column(default=False)
    offset_hours: Mapped[int] = mapped_column()


class ReminderSent(Base):
    """A reminder queued for one person: the unique constraints are the claim. Rows are inserted
    with ON CONFLICT DO NOTHING … RETURNING and only the rows returned are mailed, so two delivery
    processes (or hosts) that find the same reminder due queue it once between them."""

    __tablename__ = "reminders_sent"
    __table_args__ = (
        sa.UniqueConstraint("kind", "event_id", "registration_id", name="uq_reminders_sent_kind_event_registration"),
        sa.UniqueConstraint("kind", "event_id", "user_id", name="uq_reminders_sent_kind_event_user"),
        # A delegate (registration) or a focal point (user), never both nor neither.
        sa.CheckConstraint("(registration_id IS NULL) <> (user_id IS NULL)", name="one_recipient"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ReminderKind] = mapped_column(str_enum(ReminderKind, "reminder_sent_kind"))
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), index=True)
    registration_id: Mapped[int | None] = mapped_column(sa.ForeignKey("registrations.id", ondelete="CASCADE"),
                                                        index=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
