"""Business matching: settings per event, profiles, meeting requests, meetings, slots and tables.

The rules a user could break by racing are held by the database: one request per pair of profiles
(UNIQUE on the ordered pair, whichever side asked), one meeting per table and slot, and one meeting
per person and slot (the seats table).
"""

from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventhub.db import Base, TimestampMixin, UTCDateTime, str_enum, utcnow


class CooperationType(enum.StrEnum):
    SUPPLIER = "supplier"
    BUYER = "buyer"
    INVESTMENT = "investment"
    TECHNOLOGY_TRANSFER = "technology_transfer"
    DISTRIBUTION = "distribution"
    JOINT_RESEARCH = "joint_research"
    POLICY_EXCHANGE = "policy_exchange"

    @property
    def label(self) -> str:
        return str(COOPERATION_LABELS[self])


COOPERATION_LABELS = {
    CooperationType.SUPPLIER: _l("Supplier"),
    CooperationType.BUYER: _l("Buyer"),
    CooperationType.INVESTMENT: _l("Investment"),
    CooperationType.TECHNOLOGY_TRANSFER: _l("Technology transfer"),
    CooperationType.DISTRIBUTION: _l("Distribution"),
    CooperationType.JOINT_RESEARCH: _l("Joint research"),
    CooperationType.POLICY_EXCHANGE: _l("Policy exchange"),
}


def pack(values) -> str:
    """A set of short values stored as ",a,b," so that one LIKE '%,a,%' finds a member on any database."""
    items = sorted({v.strip() for v in values if v and v.strip()})
    return "," + ",".join(items) + "," if items else ""


def unpack(text: str) -> list[str]:
    return [v for v in (text or "").split(",") if v]


class MatchingSettings(TimestampMixin, Base):
    """Whether an event runs business matching, who may take part, and its limits."""

    __tablename__ = "matching_settings"

    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True)
    enabled: Mapped[bool] = mapped_column(default=False)
    categories: Mapped[str] = mapped_column(sa.String(300), default="")  # packed participant categories
    sectors: Mapped[str] = mapped_column(sa.Text, default="")  # one sector per line, the event's list
    open_request_limit: Mapped[int] = mapped_column(default=10)
    requests_close_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Participants may cancel a meeting until this many hours before its slot (eventhub.matching.onday).
    cancel_cutoff_hours: Mapped[int] = mapped_column(default=24, server_default="24")

    __table_args__ = (sa.CheckConstraint("open_request_limit > 0", name="open_request_limit_positive"),
                      sa.CheckConstraint("cancel_cutoff_hours BETWEEN 0 AND 720", name="cancel_cutoff_in_range"))

    @property
    def category_list(self) -> list[str]:
        return unpack(self.categories)

    @property
    def sector_list(self) -> list[str]:
        return [line.strip() for line in (self.sectors or "").splitlines() if line.strip()]


class MatchingProfile(TimestampMixin, Base):
    """What one participant offers and seeks. The economy and contact details are the registration's."""

    __tablename__ = "matching_profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), index=True)
    registration_id: Mapped[int] = mapped_column(sa.ForeignKey("registrations.id", ondelete="CASCADE"),
                                                 unique=True)
    organisation: Mapped[str] = mapped_column(sa.String(300), default="")
    sectors: Mapped[str] = mapped_column(sa.String(1000), default="")  # packed
    cluster_name: Mapped[str] = mapped_column(sa.String(200), default="")
    cluster_location: Mapped[str] = mapped_column(sa.String(200), default="")
    offers: Mapped[str] = mapped_column(sa.Text, default="")
    seeks: Mapped[str] = mapped_column(sa.Text, default="")
    offer_types: Mapped[str] = mapped_column(sa.String(200), default="")  # packed CooperationType values
    seek_types: Mapped[str] = mapped_column(sa.String(200), default="")  # packed CooperationType values
    languages: Mapped[str] = mapped_column(sa.String(200), default="")  # packed language codes
    listed: Mapped[bool] = mapped_column(default=True)

    registration: Mapped[Registration] = relationship()  # noqa: F821
    unavailable: Mapped[list[Unavailability]] = relationship(cascade="all, delete-orphan")

    __table_args__ = (sa.Index("ix_matching_profiles_event_listed", "event_id", "listed"),)


class MatchingSession(Base):
    """A business-matching session of the agenda cut into meeting slots."""

    __tablename__ = "matching_sessions"

    session_id: Mapped[int] = mapped_column(sa.ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), index=True)
    meeting_minutes: Mapped[int] = mapped_column()
    break_minutes: Mapped[int] = mapped_column(default=0)

    session: Mapped[Session] = relationship()  # noqa: F821
    slots: Mapped[list[MatchingSlot]] = relationship(cascade="all, delete-orphan", order_by="MatchingSlot.starts_at")
    tables: Mapped[list[MatchingTable]] = relationship(cascade="all, delete-orphan",
                                                      order_by="MatchingTable.position")

    __table_args__ = (
        sa.CheckConstraint("meeting_minutes BETWEEN 5 AND 240", name="meeting_minutes_in_range"),
        sa.CheckConstraint("break_minutes BETWEEN 0 AND 120", name="break_minutes_in_range"),
    )


class MatchingSlot(Base):
    __tablename__ = "matching_slots"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("matching_sessions.session_id", ondelete="CASCADE"),
                                            index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())

    __table_args__ = (sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
                      sa.UniqueConstraint("session_id", "starts_at"))


class MatchingTable(Base):
    __tablename__ = "matching_tables"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("matching_sessions.session_id", ondelete="CASCADE"),
                                            index=True)
    name: Mapped[str] = mapped_column(sa.String(60))
    position: Mapped[int] = mapped_column()

    __table_args__ = (sa.UniqueConstraint("session_id", "name"),)


class Unavailability(Base):
    """A slot a participant is not free for (every other slot is offered to the scheduler)."""

    __tablename__ = "matching_unavailability"

    profile_id: Mapped[int] = mapped_column(sa.ForeignKey("matching_profiles.id", ondelete="CASCADE"),
                                            primary_key=True)
    slot_id: Mapped[int] = mapped_column(sa.ForeignKey("matching_slots.id", ondelete="CASCADE"), primary_key=True)


class RequestStatus(enum.StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"

    @property
    def label(self) -> str:
        return str(REQUEST_STATUS_LABELS[self])


REQUEST_STATUS_LABELS = {RequestStatus.PENDING: _l("Waiting for an answer"), RequestStatus.ACCEPTED: _l("Accepted"),
                         RequestStatus.DECLINED: _l("Declined")}


class MeetingRequest(TimestampMixin, Base):
    """One participant asks another for a meeting. Whichever side asks, a pair has one request."""

    __tablename__ = "matching_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), index=True)
    sender_id: Mapped[int] = mapped_column(sa.ForeignKey("matching_profiles.id", ondelete="CASCADE"), index=True)
    receiver_id: Mapped[int] = mapped_column(sa.ForeignKey("matching_profiles.id", ondelete="CASCADE"), index=True)
    # The pair in a fixed order: the UNIQUE below makes crossing requests collide in the database.
    low_id: Mapped[int] = mapped_column()
    high_id: Mapped[int] = mapped_column()
    message: Mapped[str] = mapped_column(sa.String(1000), default="")
    status: Mapped[RequestStatus] = mapped_column(str_enum(RequestStatus, "matching_request_status"),
                                                  default=RequestStatus.PENDING)
    decline_reason: Mapped[str] = mapped_column(sa.String(500), default="")
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    sender: Mapped[MatchingProfile] = relationship(foreign_keys=[sender_id])
    receiver: Mapped[MatchingProfile] = relationship(foreign_keys=[receiver_id])

    __table_args__ = (
        sa.UniqueConstraint("event_id", "low_id", "high_id"),
        sa.CheckConstraint("sender_id <> receiver_id", name="not_to_oneself"),
        sa.CheckConstraint("low_id < high_id", name="pair_in_order"),
        sa.Index("ix_matching_requests_sender_status", "sender_id", "status"),
    )


class Attendance(enum.StrEnum):
    HELD = "held"
    NO_SHOW = "no_show"

    @property
    def label(self) -> str:
        return str(ATTENDANCE_LABELS[self])


ATTENDANCE_LABELS = {Attendance.HELD: _l("Held"), Attendance.NO_SHOW: _l("No-show")}


class Meeting(TimestampMixin, Base):
    """An accepted request. slot/table are set when the organizer publishes a schedule; the proposed
    ones hold the solver's preview until then."""

    __tablename__ = "matching_meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), index=True)
    request_id: Mapped[int] = mapped_column(sa.ForeignKey("matching_requests.id", ondelete="CASCADE"), unique=True)
    profile_a_id: Mapped[int] = mapped_column(sa.ForeignKey("matching_profiles.id", ondelete="CASCADE"), index=True)
    profile_b_id: Mapped[int] = mapped_column(sa.ForeignKey("matching_profiles.id", ondelete="CASCADE"), index=True)
    slot_id: Mapped[int | None] = mapped_column(sa.ForeignKey("matching_slots.id", ondelete="SET NULL"), index=True)
    table_id: Mapped[int | None] = mapped_column(sa.ForeignKey("matching_tables.id", ondelete="SET NULL"))
    proposed_slot_id: Mapped[int | None] = mapped_column(sa.ForeignKey("matching_slots.id", ondelete="SET NULL"))
    proposed_table_id: Mapped[int | None] = mapped_column(sa.ForeignKey("matching_tables.id", ondelete="SET NULL"))

    profile_a: Mapped[MatchingProfile] = relationship(foreign_keys=[profile_a_id])
    profile_b: Mapped[MatchingProfile] = relationship(foreign_keys=[profile_b_id])
    slot: Mapped[MatchingSlot | None] = relationship(foreign_keys=[slot_id])
    table: Mapped[MatchingTable | None] = relationship(foreign_keys=[table_id])
    proposed_slot: Mapped[MatchingSlot | None] = relationship(foreign_keys=[proposed_slot_id])
    proposed_table: Mapped[MatchingTable | None] = relationship(foreign_keys=[proposed_table_id])
    request: Mapped[MeetingRequest] = relationship()
    # iTIP SEQUENCE of the meeting's calendar entry: one more on each move and on cancellation.
    sequence: Mapped[int] = mapped_column(default=0, server_default="0")
    # On the day (eventhub.matching.onday): held or no-show, or cancelled (which frees slot and table).
    attendance: Mapped[Attendance | None] = mapped_column(str_enum(Attendance, "matching_attendance"))
    attendance_marked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cancelled_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("matching_profiles.id", ondelete="SET NULL"))

    def other(self, profile_id: int) -> MatchingProfile:
        return self.profile_b if self.profile_a_id == profile_id else self.profile_a

    __table_args__ = (
        sa.UniqueConstraint("slot_id", "table_id"),
        sa.CheckConstraint("profile_a_id < profile_b_id", name="pair_in_order"),
        sa.CheckConstraint("(slot_id IS NULL) = (table_id IS NULL)", name="slot_with_table"),
        sa.CheckConstraint("cancelled_at IS NULL OR slot_id IS NULL", name="cancelled_frees_slot"),
        sa.CheckConstraint("cancelled_at IS NULL OR attendance IS NULL", name="cancelled_not_marked"),
    )


class MeetingSeat(Base):
    """A person's place in a scheduled meeting: the UNIQUE keeps anyone out of two meetings of a slot."""

    __tablename__ = "matching_seats"

    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("matching_meetings.id", ondelete="CASCADE"),
                                            primary_key=True)
    profile_id: Mapped[int] = mapped_column(sa.ForeignKey("matching_profiles.id", ondelete="CASCADE"),
                                            primary_key=True)
    slot_id: Mapped[int] = mapped_column(sa.ForeignKey("matching_slots.id", ondelete="CASCADE"))

    __table_args__ = (sa.UniqueConstraint("profile_id", "slot_id"),)


class Outcome(enum.StrEnum):
    FOLLOW_UP = "follow_up"
    LETTER_OF_INTENT = "letter_of_intent"
    AGREEMENT = "agreement"
    NO_INTEREST = "no_interest"

    @property
    def label(self) -> str:
        return str(OUTCOME_LABELS[self])


OUTCOME_LABELS = {Outcome.FOLLOW_UP: _l("Follow-up planned"), Outcome.LETTER_OF_INTENT: _l("Letter of intent"),
                  Outcome.AGREEMENT: _l("Agreement signed"), Outcome.NO_INTEREST: _l("No interest")}


class MeetingOutcome(Base):
    """What came of a meeting, in the words of one side."""

    __tablename__ = "matching_outcomes"

    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("matching_meetings.id", ondelete="CASCADE"),
                                            primary_key=True)
    profile_id: Mapped[int] = mapped_column(sa.ForeignKey("matching_profiles.id", ondelete="CASCADE"),
                                            primary_key=True)
    outcome: Mapped[Outcome] = mapped_column(str_enum(Outcome, "matching_outcome"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class DayScheduleMail(Base):
    """The day-before schedule sent to one person for one day: the key makes it once per day."""

    __tablename__ = "matching_day_mails"

    profile_id: Mapped[int] = mapped_column(sa.ForeignKey("matching_profiles.id", ondelete="CASCADE"),
                                            primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
