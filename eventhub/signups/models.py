from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventhub.db import Base, TimestampMixin, UTCDateTime, str_enum


class BookingStatus(enum.StrEnum):
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"


_ACTIVE_SQL = "status IN ('confirmed', 'waitlisted')"


class Booking(TimestampMixin, Base):
    """A seat in a bookable session (site visit, roundtable placement, …) or a place on its waitlist.

    A roundtable placement published by the allocation is a confirmed booking too.
    """

    __tablename__ = "bookings"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("sessions.id", ondelete="CASCADE"), index=True)
    registration_id: Mapped[int] = mapped_column(
        sa.ForeignKey("registrations.id", ondelete="CASCADE"), index=True
    )
    # Denormalised from the registration so the per-economy cap is one indexed count.
    economy_id: Mapped[int] = mapped_column(sa.ForeignKey("economies.id"), index=True)
    status: Mapped[BookingStatus] = mapped_column(str_enum(BookingStatus, "booking_status"))
    waitlisted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    over_capacity_reason: Mapped[str] = mapped_column(sa.String(300), default="")
    booked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    vehicle_id: Mapped[int | None] = mapped_column(sa.ForeignKey("vehicles.id", ondelete="SET NULL"), index=True)

    session: Mapped[Session] = relationship()  # noqa: F821
    registration: Mapped[Registration] = relationship()  # noqa: F821
    vehicle: Mapped[Vehicle | None] = relationship()

    __table_args__ = (
        # One active booking per person per session; a cancelled one may be followed by a new one.
        sa.Index(
            "uq_bookings_active_person",
            "session_id",
            "registration_id",
            unique=True,
            sqlite_where=sa.text(_ACTIVE_SQL),
            postgresql_where=sa.text(_ACTIVE_SQL),
        ),
        sa.Index("ix_bookings_session_status", "session_id", "status"),
    )


class Vehicle(TimestampMixin, Base):
    """A bus or van of a site visit; confirmed bookings are assigned to one for boarding and manifests."""

    __tablename__ = "vehicles"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("sessions.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(100))  # "Bus 1"
    kind: Mapped[str] = mapped_column(sa.String(20), default="bus")  # bus, van
    seats: Mapped[int] = mapped_column()
    taken: Mapped[int] = mapped_column(default=0)
    plate: Mapped[str] = mapped_column(sa.String(30), default="")
    guide_name: Mapped[str] = mapped_column(sa.String(120), default="")
    guide_phone: Mapped[str] = mapped_column(sa.String(50), default="")

    session: Mapped[Session] = relationship()  # noqa: F821

    __table_args__ = (
        sa.UniqueConstraint("session_id", "name"),
        sa.CheckConstraint("seats > 0", name="seats_positive"),
        sa.CheckConstraint("taken >= 0 AND taken <= seats", name="taken_within_seats"),
    )
