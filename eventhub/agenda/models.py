from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventhub.db import Base, TimestampMixin, UTCDateTime, str_enum, utcnow
from eventhub.i18n import localized


class SessionKind(enum.StrEnum):
    OPENING = "opening"
    PLENARY = "plenary"
    PRESENTATION = "presentation"
    PANEL = "panel"
    ROUNDTABLE = "roundtable"
    SITE_VISIT = "site_visit"
    BUSINESS_MATCHING = "business_matching"
    BREAK = "break"
    MEAL = "meal"
    NETWORKING = "networking"

    @property
    def label(self) -> str:
        return str(KIND_LABELS[self])


KIND_LABELS = {
    SessionKind.OPENING: _l("Opening"),
    SessionKind.PLENARY: _l("Plenary"),
    SessionKind.PRESENTATION: _l("Presentation"),
    SessionKind.PANEL: _l("Panel"),
    SessionKind.ROUNDTABLE: _l("Roundtable"),
    SessionKind.SITE_VISIT: _l("Site visit"),
    SessionKind.BUSINESS_MATCHING: _l("Business matching"),
    SessionKind.BREAK: _l("Break"),
    SessionKind.MEAL: _l("Meal"),
    SessionKind.NETWORKING: _l("Networking"),
}


class SessionStatus(enum.StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"


class SignupMode(enum.StrEnum):
    FIRST_COME = "first_come"
    PREFERENCE = "preference"


class Session(TimestampMixin, Base):
    """A slot of the programme. Bookable sessions carry their capacity and a counter of seats taken."""

    __tablename__ = "sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), index=True)
    kind: Mapped[SessionKind] = mapped_column(str_enum(SessionKind, "session_kind"))
    title: Mapped[str] = mapped_column(sa.String(300))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    title_zh: Mapped[str] = mapped_column(sa.String(300), default="", server_default="")
    description_zh: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    room_id: Mapped[int | None] = mapped_column(sa.ForeignKey("rooms.id", ondelete="SET NULL"), index=True)
    location: Mapped[str] = mapped_column(sa.String(500), default="")  # free text when off-site
    sector_tags: Mapped[str] = mapped_column(sa.String(300), default="")  # comma-separated
    is_public: Mapped[bool] = mapped_column(default=True)
    # Everyone registered attends (opening, plenary, meals): shown in every personal programme.
    for_everyone: Mapped[bool] = mapped_column(default=False)
    status: Mapped[SessionStatus] = mapped_column(
        str_enum(SessionStatus, "session_status"), default=SessionStatus.SCHEDULED
    )
    # Calendar bookkeeping: SEQUENCE rises when time or place changes; changed_at drives
    # DTSTAMP / LAST-MODIFIED and the feeds' ETags.
    sequence: Mapped[int] = mapped_column(default=0)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    # Sign-ups
    bookable: Mapped[bool] = mapped_column(default=False)
    capacity: Mapped[int | None] = mapped_column()
    taken: Mapped[int] = mapped_column(default=0)
    signup_mode: Mapped[SignupMode] = mapped_column(
        str_enum(SignupMode, "signup_mode"), default=SignupMode.FIRST_COME
    )
    signup_opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    signup_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    economy_cap: Mapped[int | None] = mapped_column()  # at most N seats per economy ...
    economy_cap_until: Mapped[datetime | None] = mapped_column(UTCDateTime())  # ... until then (None: always)

    event: Mapped[Event] = relationship()  # noqa: F821
    room: Mapped[Room | None] = relationship()  # noqa: F821
    speakers: Mapped[list[SessionSpeaker]] = relationship(
        back_populates="session", cascade="all, delete-orphan", order_by="SessionSpeaker.position"
    )

    __table_args__ = (
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        sa.CheckConstraint("capacity IS NULL OR capacity >= 0", name="capacity_not_negative"),
        sa.CheckConstraint("taken >= 0 AND (capacity IS NULL OR taken <= capacity)", name="taken_within_capacity"),
        sa.CheckConstraint("economy_cap IS NULL OR economy_cap > 0", name="economy_cap_positive"),
        sa.Index("ix_sessions_event_starts", "event_id", "starts_at"),
        # A calendar app's "changed?" (the event feed's ETag) reads these from the index alone.
        sa.Index("ix_sessions_feed_validators", "event_id", "status", "is_public", "changed_at", "sequence"),
    )

    @property
    def is_cancelled(self) -> bool:
        return self.status == SessionStatus.CANCELLED

    @property
    def seats_left(self) -> int | None:
        if not self.bookable or self.capacity is None:
            return None
        return max(self.capacity - self.taken, 0)

    @property
    def place(self) -> str:
        if self.room is not None:
            return localized(self.room, "name")
        return self.location


class SpeakerRole(enum.StrEnum):
    SPEAKER = "speaker"
    MODERATOR = "moderator"
    CHAIR = "chair"

    @property
    def label(self) -> str:
        """'speaker' in the reader's language (the agenda shows it lower-case in English)."""
        return str(ROLE_LABELS[self])


ROLE_LABELS = {SpeakerRole.SPEAKER: _l("speaker"), SpeakerRole.MODERATOR: _l("moderator"),
               SpeakerRole.CHAIR: _l("chair")}


class SessionSpeaker(Base):
    """A speaker, moderator or chair: a registered participant or an external person."""

    __tablename__ = "session_speakers"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("sessions.id", ondelete="CASCADE"), index=True)
    registration_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("registrations.id", ondelete="CASCADE"), index=True
    )
    external_name: Mapped[str] = mapped_column(sa.String(200), default="")
    affiliation: Mapped[str] = mapped_column(sa.String(300), default="")
    role: Mapped[SpeakerRole] = mapped_column(str_enum(SpeakerRole, "speaker_role"), default=SpeakerRole.SPEAKER)
    position: Mapped[int] = mapped_column(default=0)

    session: Mapped[Session] = relationship(back_populates="speakers")
    registration: Mapped[Registration | None] = relationship()  # noqa: F821

    __table_args__ = (
        sa.CheckConstraint(
            "registration_id IS NOT NULL OR length(external_name) > 0", name="speaker_has_identity"
        ),
    )

    @property
    def display_name(self) -> str:
        if self.registration is not None:
            return self.registration.full_name
        return self.external_name


class SiteVisit(TimestampMixin, Base):
    """What a site-visit session needs besides its times: the host, where to meet, when the bus leaves."""

    __tablename__ = "site_visits"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        sa.ForeignKey("sessions.id", ondelete="CASCADE"), unique=True, index=True
    )
    host_name: Mapped[str] = mapped_column(sa.String(300), default="")
    host_name_zh: Mapped[str] = mapped_column(sa.String(300), default="", server_default="")
    host_sector: Mapped[str] = mapped_column(sa.String(200), default="")
    host_address: Mapped[str] = mapped_column(sa.String(500), default="")
    cluster: Mapped[str] = mapped_column(sa.String(200), default="")  # industrial cluster
    meeting_point: Mapped[str] = mapped_column(sa.String(300), default="")
    departs_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    returns_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    requirements: Mapped[str] = mapped_column(sa.Text, default="")  # photo ID, dress code, safety shoes

    session: Mapped[Session] = relationship(back_populates="site_visit")

    __table_args__ = (
        sa.CheckConstraint(
            "returns_at IS NULL OR departs_at IS NULL OR returns_at > departs_at", name="returns_after_departure"
        ),
    )

    @property
    def requirement_list(self) -> list[str]:
        return [line.strip() for line in self.requirements.splitlines() if line.strip()]


Session.site_visit = relationship(SiteVisit, uselist=False, back_populates="session", cascade="all, delete-orphan")


def span_of(starts_at: datetime, ends_at: datetime, departs_at: datetime | None = None,
            returns_at: datetime | None = None) -> tuple[datetime, datetime]:
    """From the departure (if earlier) to the return (if later): the time a site visit takes."""
    start, end = starts_at, ends_at
    if departs_at is not None and departs_at < start:
        start = departs_at
    if returns_at is not None and returns_at > end:
        end = returns_at
    return start, end


def busy_span(session: Session) -> tuple[datetime, datetime]:
    """The time a participant of a session is taken: a site visit runs from departure to return."""
    visit = session.site_visit
    if visit is None:
        return session.starts_at, session.ends_at
    return span_of(session.starts_at, session.ends_at, visit.departs_at, visit.returns_at)
