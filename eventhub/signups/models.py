from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventhub.db import Base, TimestampMixin, UTCDateTime, str_enum, utcnow


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
    # False for a confirmed booking an organizer added beyond capacity: it is not counted in
    # sessions.taken, and takes the next seat that frees up instead of a waitlisted person.
    holds_seat: Mapped[bool] = mapped_column(default=True)
    # The iTIP SEQUENCE last e-mailed to this person for this session (None: no invitation sent).
    # A later message (e.g. the REQUEST of a re-booking after a CANCEL) must go above it.
    itip_sequence: Mapped[int | None] = mapped_column(default=None)

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
        sa.Index("ix_bookings_registration_status", "registration_id", "status"),
        sa.CheckConstraint(
            "status <> 'waitlisted' OR waitlisted_at IS NOT NULL",
            name="waitlisted_has_time",
        ),
    )

    @property
    def is_confirmed(self) -> bool:
        return self.status == BookingStatus.CONFIRMED

    @property
    def is_waitlisted(self) -> bool:
        return self.status == BookingStatus.WAITLISTED


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


class SessionEconomySeats(Base):
    """Seats taken per economy in a session with an economy cap; taken with one conditional UPDATE."""

    __tablename__ = "session_economy_seats"

    session_id: Mapped[int] = mapped_column(sa.ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True)
    economy_id: Mapped[int] = mapped_column(sa.ForeignKey("economies.id"), primary_key=True)
    taken: Mapped[int] = mapped_column(default=0)

    __table_args__ = (sa.CheckConstraint("taken >= 0", name="taken_not_negative"),)


class BookingLog(Base):
    """Every change of a booking: booked, waitlisted, promoted, cancelled, added beyond capacity, moved."""

    __tablename__ = "booking_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int] = mapped_column(sa.ForeignKey("bookings.id", ondelete="CASCADE"), index=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("sessions.id", ondelete="CASCADE"), index=True)
    registration_id: Mapped[int] = mapped_column(sa.ForeignKey("registrations.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(sa.String(40))
    note: Mapped[str] = mapped_column(sa.String(500), default="")

    actor: Mapped[User | None] = relationship()  # noqa: F821


class RoundtablePreference(TimestampMixin, Base):
    """A delegate's ranked choice among the roundtables of one time slot (rank 1 is the first choice)."""

    __tablename__ = "roundtable_preferences"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), index=True)
    registration_id: Mapped[int] = mapped_column(sa.ForeignKey("registrations.id", ondelete="CASCADE"), index=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("sessions.id", ondelete="CASCADE"), index=True)
    slot: Mapped[datetime] = mapped_column(UTCDateTime())  # the roundtables' common start
    rank: Mapped[int] = mapped_column()

    __table_args__ = (
        sa.UniqueConstraint("registration_id", "session_id"),
        sa.UniqueConstraint("registration_id", "slot", "rank"),
        sa.CheckConstraint("rank >= 1", name="rank_positive"),
        sa.Index("ix_roundtable_preferences_event_slot", "event_id", "slot"),
    )


class AllocationStatus(enum.StrEnum):
    PREVIEW = "preview"
    PUBLISHED = "published"
    DISCARDED = "discarded"


class AllocationRun(TimestampMixin, Base):
    """One run of the roundtable allocation: a preview until the organizer publishes it."""

    __tablename__ = "allocation_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), index=True)
    slot: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[AllocationStatus] = mapped_column(
        str_enum(AllocationStatus, "allocation_status"), default=AllocationStatus.PREVIEW
    )
    run_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Digest of the input (preferences, capacities, caps): publishing refuses a stale preview.
    input_digest: Mapped[str] = mapped_column(sa.String(64))
    # JSON: {"placements": [[registration_id, session_id, rank or 0], ...], "unplaced": [...]}.
    result_json: Mapped[str] = mapped_column(sa.Text)
    figures_json: Mapped[str] = mapped_column(sa.Text, default="{}")

    run_by: Mapped[User | None] = relationship()  # noqa: F821
