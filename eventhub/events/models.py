from __future__ import annotations

import enum
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventhub.db import Base, TimestampMixin, UTCDateTime, str_enum, utcnow


class EventStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        """'Draft', 'Published', 'Closed' in the reader's language (the badges)."""
        from flask_babel import gettext as _

        return {"draft": _("Draft"), "published": _("Published"), "closed": _("Closed")}[self.value]


class Event(TimestampMixin, Base):
    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    # The same in Chinese, shown to Chinese readers where given (eventhub.i18n.localized).
    title_zh: Mapped[str] = mapped_column(sa.String(300), default="", server_default="")
    description_zh: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    # The language of pages for readers whose browser asks for none EventHub offers.
    default_language: Mapped[str] = mapped_column(sa.String(16), default="en", server_default="en")
    series: Mapped[str] = mapped_column(sa.String(120), default="")
    host_economy_id: Mapped[int | None] = mapped_column(sa.ForeignKey("economies.id"), index=True)
    host_organisation: Mapped[str] = mapped_column(sa.String(300), default="")
    city: Mapped[str] = mapped_column(sa.String(120), default="")
    venue: Mapped[str] = mapped_column(sa.String(300), default="")
    address: Mapped[str] = mapped_column(sa.String(500), default="")
    timezone: Mapped[str] = mapped_column(sa.String(64))  # IANA name, validated by the form and service
    start_date: Mapped[date] = mapped_column(sa.Date)
    end_date: Mapped[date] = mapped_column(sa.Date)
    registration_opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    registration_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    status: Mapped[EventStatus] = mapped_column(str_enum(EventStatus, "event_status"), default=EventStatus.DRAFT)
    contact_email: Mapped[str] = mapped_column(sa.String(254), default="")
    default_quota: Mapped[int] = mapped_column(default=5)
    approval_required: Mapped[bool] = mapped_column(default=True)

    host_economy: Mapped[Economy | None] = relationship()  # noqa: F821
    rooms: Mapped[list[Room]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="Room.name"
    )
    roles: Mapped[list[EventRole]] = relationship(back_populates="event", cascade="all, delete-orphan")  # noqa: F821
    delegations: Mapped[list[Delegation]] = relationship(  # noqa: F821
        back_populates="event", cascade="all, delete-orphan"
    )

    __table_args__ = (
        # The public list pages through published events by dates (1,000 events and more).
        sa.Index("ix_events_listing", "status", "end_date", "start_date"),
        sa.CheckConstraint("end_date >= start_date", name="dates_in_order"),
        sa.CheckConstraint("default_quota >= 0", name="default_quota_not_negative"),
        sa.CheckConstraint(
            "registration_closes_at IS NULL OR registration_opens_at IS NULL "
            "OR registration_closes_at > registration_opens_at",
            name="registration_window_in_order",
        ),
    )

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def local(self, moment: datetime | None) -> datetime | None:
        return moment.astimezone(self.tz) if moment else None

    def local_to_utc(self, day: date, at: time) -> datetime:
        return datetime.combine(day, at, tzinfo=self.tz).astimezone(ZoneInfo("UTC"))

    @property
    def is_published(self) -> bool:
        return self.status == EventStatus.PUBLISHED

    @property
    def registration_ends_at(self) -> datetime:
        """When registration closes: the set closing time, or else when the event's last day ends
        (midnight after it, event-local time). Nobody registers for an event that is over."""
        if self.registration_closes_at:
            return self.registration_closes_at
        return self.local_to_utc(self.end_date + timedelta(days=1), time(0, 0))

    def registration_is_open(self, now: datetime | None = None) -> bool:
        now = now or utcnow()
        if self.status != EventStatus.PUBLISHED:
            return False
        if self.registration_opens_at and now < self.registration_opens_at:
            return False
        if now >= self.registration_ends_at:
            return False
        return True

    def __repr__(self) -> str:
        return f"<Event {self.slug}>"


class RoomKind(enum.StrEnum):
    ROOM = "room"
    OFFSITE = "offsite"


class Room(TimestampMixin, Base):
    """A room at the venue or an off-site location (a factory, a company's showroom)."""

    __tablename__ = "rooms"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    name_zh: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    kind: Mapped[RoomKind] = mapped_column(str_enum(RoomKind, "room_kind"), default=RoomKind.ROOM)
    address: Mapped[str] = mapped_column(sa.String(500), default="")
    capacity: Mapped[int | None] = mapped_column()

    event: Mapped[Event] = relationship(back_populates="rooms")

    __table_args__ = (
        sa.UniqueConstraint("event_id", "name"),
        sa.CheckConstraint("capacity IS NULL OR capacity >= 0", name="capacity_not_negative"),
    )
