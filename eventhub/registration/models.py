from __future__ import annotations

import enum
import secrets
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventhub.db import Base, TimestampMixin, UTCDateTime, str_enum, utcnow


def new_token() -> str:
    """A URL-safe random token of 192 bits."""
    return secrets.token_urlsafe(24)


class Delegation(TimestampMixin, Base):
    """An invited economy of an event: its quota, focal points and private registration link."""

    __tablename__ = "delegations"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), index=True)
    economy_id: Mapped[int] = mapped_column(sa.ForeignKey("economies.id"), index=True)
    quota: Mapped[int] = mapped_column()
    # True when the organizer set this delegation's quota by hand; otherwise it follows the event default.
    quota_overridden: Mapped[bool] = mapped_column(default=False)
    # Approved registrations holding a place; taken with one conditional UPDATE (see services).
    taken: Mapped[int] = mapped_column(default=0)
    invite_token: Mapped[str] = mapped_column(sa.String(64), unique=True, default=new_token)

    event: Mapped[Event] = relationship(back_populates="delegations")  # noqa: F821
    economy: Mapped[Economy] = relationship()  # noqa: F821
    focal_points: Mapped[list[FocalPoint]] = relationship(
        back_populates="delegation", cascade="all, delete-orphan"
    )

    __table_args__ = (
        sa.UniqueConstraint("event_id", "economy_id"),
        sa.CheckConstraint("quota >= 0", name="quota_not_negative"),
        sa.CheckConstraint("taken >= 0 AND taken <= quota", name="taken_within_quota"),
    )


class FocalPoint(TimestampMixin, Base):
    """A user who nominates and manages one delegation."""

    __tablename__ = "focal_points"

    id: Mapped[int] = mapped_column(primary_key=True)
    delegation_id: Mapped[int] = mapped_column(sa.ForeignKey("delegations.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)

    delegation: Mapped[Delegation] = relationship(back_populates="focal_points")
    user: Mapped[User] = relationship()  # noqa: F821

    __table_args__ = (sa.UniqueConstraint("delegation_id", "user_id"),)


# Lazy: the labels are read in the reader's language when shown, not when the module loads.
SEX_LABELS = {"female": _l("Female"), "male": _l("Male"), "another": _l("Another"),
              "undisclosed": _l("Prefer not to say")}
FUNDING_LABELS = {"self_funded": _l("Self-funded"), "apec_funded": _l("APEC-funded")}
STATUS_LABELS = {"submitted": _l("Submitted"), "approved": _l("Approved"), "waitlisted": _l("Waitlisted"),
                 "declined": _l("Declined"), "cancelled": _l("Cancelled")}


class Sex(enum.StrEnum):
    FEMALE = "female"
    MALE = "male"
    ANOTHER = "another"
    UNDISCLOSED = "undisclosed"

    @property
    def label(self) -> str:
        return str(SEX_LABELS[self.value])


class Category(enum.StrEnum):
    HEAD = "head_of_delegation"
    DELEGATE = "delegate"
    SPEAKER = "speaker"
    MODERATOR = "moderator"
    OBSERVER = "observer"
    GUEST = "guest"
    MEDIA = "media"
    SECRETARIAT = "secretariat"
    STAFF = "organizer_staff"

    @property
    def label(self) -> str:
        return str(CATEGORY_LABELS[self])


CATEGORY_LABELS = {
    Category.HEAD: _l("Head of delegation"),
    Category.DELEGATE: _l("Delegate"),
    Category.SPEAKER: _l("Speaker / expert"),
    Category.MODERATOR: _l("Moderator"),
    Category.OBSERVER: _l("Observer"),
    Category.GUEST: _l("Guest"),
    Category.MEDIA: _l("Media"),
    Category.SECRETARIAT: _l("Secretariat"),
    Category.STAFF: _l("Organizer staff"),
}


class Funding(enum.StrEnum):
    SELF = "self_funded"
    APEC = "apec_funded"

    @property
    def label(self) -> str:
        return str(FUNDING_LABELS[self.value])


class RegistrationStatus(enum.StrEnum):
    SUBMITTED = "submitted"
    APPROVED = "approved"
    WAITLISTED = "waitlisted"
    DECLINED = "declined"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self.value])


ACTIVE_STATUSES = (RegistrationStatus.SUBMITTED, RegistrationStatus.APPROVED, RegistrationStatus.WAITLISTED)
_ACTIVE_SQL = "status IN ('submitted', 'approved', 'waitlisted')"


class Registration(TimestampMixin, Base):
    """One person's registration for one event."""

    __tablename__ = "registrations"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), index=True)
    # Null for people added by the secretariat from an economy or organisation that was not invited.
    delegation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("delegations.id", ondelete="SET NULL"), index=True
    )
    economy_id: Mapped[int] = mapped_column(sa.ForeignKey("economies.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)

    email: Mapped[str] = mapped_column(sa.String(254))  # lower-cased
    honorific: Mapped[str] = mapped_column(sa.String(20), default="")
    given_name: Mapped[str] = mapped_column(sa.String(120))
    family_name: Mapped[str] = mapped_column(sa.String(120))
    name_local: Mapped[str] = mapped_column(sa.String(200), default="")
    sex: Mapped[Sex] = mapped_column(str_enum(Sex, "sex"), default=Sex.UNDISCLOSED)
    organisation: Mapped[str] = mapped_column(sa.String(300), default="")
    position: Mapped[str] = mapped_column(sa.String(200), default="")
    sector: Mapped[str] = mapped_column(sa.String(120), default="")
    # The language of the delegate's e-mails and registration pages, for delegates without an account.
    language: Mapped[str | None] = mapped_column(sa.String(16))
    category: Mapped[Category] = mapped_column(str_enum(Category, "participant_category"), default=Category.DELEGATE)
    phone: Mapped[str] = mapped_column(sa.String(50), default="")
    dietary: Mapped[str] = mapped_column(sa.String(300), default="")
    accessibility: Mapped[str] = mapped_column(sa.String(300), default="")
    arrival_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    departure_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    visa_letter: Mapped[bool] = mapped_column(default=False)
    funding: Mapped[Funding] = mapped_column(str_enum(Funding, "funding"), default=Funding.SELF)
    consent_list: Mapped[bool] = mapped_column(default=False)
    consent_photo: Mapped[bool] = mapped_column(default=False)
    privacy_acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    status: Mapped[RegistrationStatus] = mapped_column(
        str_enum(RegistrationStatus, "registration_status"), default=RegistrationStatus.SUBMITTED, index=True
    )
    # Order of the waitlist within a delegation: the moment the person was waitlisted.
    waitlisted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Nominated by a focal point and not yet confirmed by the delegate.
    needs_confirmation: Mapped[bool] = mapped_column(default=False)
    confirm_token: Mapped[str] = mapped_column(sa.String(64), unique=True, default=new_token)
    # Secret of the personal calendar feed (/calendar/<token>.ics); rotatable.
    calendar_token: Mapped[str] = mapped_column(sa.String(64), unique=True, default=new_token)
    personal_data_purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # A random key put in the form when it is shown: a double click or a retry of the same form
    # finds the registration it already made instead of making a second one.
    submission_key: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    # A firm's representative who joined through the business-matching link: no delegation, no quota
    # place, and counted in no figure unless the organizer says so (eventhub.matching.figures).
    matching_only: Mapped[bool] = mapped_column(default=False, server_default=sa.false())

    event: Mapped[Event] = relationship()  # noqa: F821
    delegation: Mapped[Delegation | None] = relationship()
    economy: Mapped[Economy] = relationship()  # noqa: F821
    user: Mapped[User | None] = relationship()  # noqa: F821
    log: Mapped[list[RegistrationLog]] = relationship(
        back_populates="registration", cascade="all, delete-orphan", order_by="RegistrationLog.at"
    )

    __table_args__ = (
        # One active registration per e-mail per event; cancelled and declined ones do not count.
        sa.Index(
            "uq_registrations_active_email",
            "event_id",
            "email",
            unique=True,
            sqlite_where=sa.text(_ACTIVE_SQL),
            postgresql_where=sa.text(_ACTIVE_SQL),
        ),
        sa.Index("ix_registrations_event_status_economy", "event_id", "status", "economy_id"),
        # The staff list pages through one economy at a time in name order (see queries.py).
        sa.Index("ix_registrations_event_economy_name", "event_id", "economy_id", "family_name", "given_name"),
        sa.Index("ix_registrations_waitlist", "delegation_id", "status", "waitlisted_at"),
        sa.CheckConstraint("email = lower(email)", name="email_lowercase"),
    )

    @property
    def badge_name(self) -> str:
        return f"{self.given_name} {self.family_name.upper()}"

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def privacy_acknowledged(self) -> bool:
        return self.privacy_acknowledged_at is not None

    @property
    def confirmed_by_delegate(self) -> bool:
        """Whether the person themself confirmed their details and accepted the privacy notice."""
        return not self.needs_confirmation and self.privacy_acknowledged_at is not None


class RegistrationListStamp(Base):
    """Changes whenever what an event's staff registration list shows changes (see list_stamps.py,
    whose triggers maintain it)."""

    __tablename__ = "registration_list_stamps"

    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True)
    stamp: Mapped[int] = mapped_column(sa.BigInteger)


class RegistrationLog(Base):
    """Every change of a registration's state: what, by whom, when."""

    __tablename__ = "registration_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        sa.ForeignKey("registrations.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(sa.String(40))
    from_status: Mapped[str | None] = mapped_column(sa.String(20))
    to_status: Mapped[str | None] = mapped_column(sa.String(20))
    note: Mapped[str] = mapped_column(sa.String(500), default="")

    registration: Mapped[Registration] = relationship(back_populates="log")
    actor: Mapped[User | None] = relationship()  # noqa: F821
