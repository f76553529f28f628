"""Firms that join the business matching through the organizer's invitation link, and profile images.

A firm's representatives are registrations of the event marked `matching_only` (they have no
delegation and hold no quota place); the firm ties them together. The link is a random token the
organizer can rotate or revoke; a revoked link has no token (NULL), so nothing can match it.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventhub.db import Base, TimestampMixin, UTCDateTime, utcnow


class FirmSettings(TimestampMixin, Base):
    """The event's matching invitation link for firms, and whether firms count in the event's figures."""

    __tablename__ = "matching_firm_settings"

    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True)
    invite_token: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    # Off: firm representatives appear in no attendance, registration or completion figure.
    count_in_figures: Mapped[bool] = mapped_column(default=False)


class Firm(TimestampMixin, Base):
    """A company that registered through the link: what its representatives' profiles share."""

    __tablename__ = "matching_firms"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(300))
    economy_id: Mapped[int] = mapped_column(sa.ForeignKey("economies.id"))
    website: Mapped[str] = mapped_column(sa.String(300), default="")

    economy: Mapped[Economy] = relationship()  # noqa: F821
    members: Mapped[list[FirmMember]] = relationship(back_populates="firm", cascade="all, delete-orphan")

    __table_args__ = (sa.UniqueConstraint("event_id", "name"),)


class FirmMember(Base):
    """One representative of a firm: their registration (matching only)."""

    __tablename__ = "matching_firm_members"

    registration_id: Mapped[int] = mapped_column(sa.ForeignKey("registrations.id", ondelete="CASCADE"),
                                                 primary_key=True)
    firm_id: Mapped[int] = mapped_column(sa.ForeignKey("matching_firms.id", ondelete="CASCADE"), index=True)

    firm: Mapped[Firm] = relationship(back_populates="members")
    registration: Mapped[Registration] = relationship()  # noqa: F821


class ProfileImage(Base):
    """A profile's logo or photo, as the PNG re-encoded from the upload (never the uploaded bytes)."""

    __tablename__ = "matching_profile_images"

    profile_id: Mapped[int] = mapped_column(sa.ForeignKey("matching_profiles.id", ondelete="CASCADE"),
                                            primary_key=True)
    png: Mapped[bytes] = mapped_column(sa.LargeBinary)
    width: Mapped[int] = mapped_column()
    height: Mapped[int] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    __table_args__ = (sa.CheckConstraint("width > 0 AND height > 0", name="has_size"),)
