from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from eventhub.db import Base, TimestampMixin, UTCDateTime, str_enum, utcnow

PASSWORD_HASH_METHOD = "scrypt"
_dummy_hash: str | None = None


def normalise_email(email: str) -> str:
    return email.strip().lower()


def verify_password(password_hash: str | None, password: str) -> bool:
    """Check `password` against `password_hash`, doing the same work when there is no hash.

    Log-in must take as long for an unknown e-mail (or an account without a password) as for a
    known one, or its answer time tells who has an account: without a hash we check a dummy one.
    """
    global _dummy_hash
    if not password_hash:
        if _dummy_hash is None:
            _dummy_hash = generate_password_hash("no password is set here", method=PASSWORD_HASH_METHOD)
        check_password_hash(_dummy_hash, password)
        return False
    return check_password_hash(password_hash, password)


class User(UserMixin, TimestampMixin, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored lower-cased: e-mail addresses are unique case-insensitively.
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200), default="")
    # The language the person chose for pages and e-mails (eventhub.i18n); None: not chosen.
    language: Mapped[str | None] = mapped_column(sa.String(16))
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    is_admin: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    # Bumped when the password changes, so that reset links already sent stop working.
    password_version: Mapped[int] = mapped_column(default=0)
    # Bumped at log-out: every session and remember-me cookie of this user (any device) ends.
    session_generation: Mapped[int] = mapped_column(default=0, server_default="0")
    # SHA-256 of the scanner-app API token; the token itself is shown once and never stored.
    api_token_hash: Mapped[str | None] = mapped_column(sa.String(64), unique=True)

    roles: Mapped[list[EventRole]] = relationship(back_populates="user", cascade="all, delete-orphan")

    __table_args__ = (sa.CheckConstraint("email = lower(email)", name="email_lowercase"),)

    @property
    def is_active(self) -> bool:  # flask-login
        return self.active

    def get_id(self) -> str:  # flask-login: see load_user in create_app
        return f"{self.id}:{self.password_version}:{self.session_generation or 0}"

    def matches_session_id(self, session_id: str) -> bool:
        """Whether a session's "<id>:<password version>:<generation>" is still this user's.

        A password change or a log-out moves one of the numbers, so sessions and remember-me
        cookies issued before it (on any device, captured or not) stop working.
        """
        return session_id == self.get_id()

    def end_all_sessions(self) -> None:
        self.session_generation = (self.session_generation or 0) + 1

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password, method=PASSWORD_HASH_METHOD)
        self.password_version = (self.password_version or 0) + 1

    def check_password(self, password: str) -> bool:
        return verify_password(self.password_hash, password)

    @property
    def display_name(self) -> str:
        return self.name or self.email

    def __repr__(self) -> str:
        return f"<User {self.email}>"


class EventRoleKind(enum.StrEnum):
    ORGANIZER = "organizer"
    SECRETARIAT = "secretariat"
    CHECKIN = "checkin"

    @property
    def label(self) -> str:
        from flask_babel import gettext as _

        return {"organizer": _("Organizer"), "secretariat": _("Secretariat"),
                "checkin": _("Check-in staff")}[self.value]


class EventRole(TimestampMixin, Base):
    """A staff role of one user in one event, granted by an organizer."""

    __tablename__ = "event_roles"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[EventRoleKind] = mapped_column(str_enum(EventRoleKind, "event_role_kind"))

    user: Mapped[User] = relationship(back_populates="roles")
    event: Mapped[Event] = relationship(back_populates="roles")  # noqa: F821

    __table_args__ = (sa.UniqueConstraint("event_id", "user_id", "role"),)


class LoginAttempt(Base):
    """One attempt at a limited form (log-in, password reset) from one address.

    Kept in the database, not in a worker's memory, so that the limit holds across every worker and
    host that serves the site. Rows older than the window are deleted as new ones come in.
    """

    __tablename__ = "login_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    # "<scope>:<client address>", e.g. "login:203.0.113.7"
    key: Mapped[str] = mapped_column(sa.String(120))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (sa.Index("ix_login_attempts_key_at", "key", "at"),)
