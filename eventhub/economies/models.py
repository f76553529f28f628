from __future__ import annotations

import enum
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventhub.db import Base, TimestampMixin, str_enum


class EconomyKind(enum.StrEnum):
    MEMBER = "member"
    GUEST = "guest"
    OBSERVER = "observer"
    ORGANISATION = "organisation"


class Economy(TimestampMixin, Base):
    """A member economy, guest, observer or organisation. APEC says economies, never countries."""

    __tablename__ = "economies"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(12), unique=True)  # customary abbreviation: PRC, HKC, CT
    name: Mapped[str] = mapped_column(sa.String(120), unique=True)
    # The official Chinese name (中国香港, 中国台北), for the Chinese interface; admins edit it.
    name_zh: Mapped[str] = mapped_column(sa.String(120), default="", server_default="")
    kind: Mapped[EconomyKind] = mapped_column(str_enum(EconomyKind, "economy_kind"))
    # Official lists follow APEC order, not the display name (Korea under K, Chinese Taipei after
    # Singapore); the sort key carries that order.
    sort_key: Mapped[int] = mapped_column(sa.Integer, index=True)
    active: Mapped[bool] = mapped_column(default=True)

    eligibility: Mapped[list[TravelEligibility]] = relationship(
        back_populates="economy", cascade="all, delete-orphan", order_by="TravelEligibility.effective_from"
    )

    __table_args__ = (sa.CheckConstraint("length(code) > 0", name="code_not_empty"),)

    def __repr__(self) -> str:
        return f"<Economy {self.code}>"


class TravelEligibility(Base):
    """An economy is travel-eligible for APEC funding from a date, possibly until another."""

    __tablename__ = "travel_eligibility"

    id: Mapped[int] = mapped_column(primary_key=True)
    economy_id: Mapped[int] = mapped_column(sa.ForeignKey("economies.id", ondelete="CASCADE"), index=True)
    effective_from: Mapped[date] = mapped_column(sa.Date)
    effective_to: Mapped[date | None] = mapped_column(sa.Date)

    economy: Mapped[Economy] = relationship(back_populates="eligibility")

    __table_args__ = (
        sa.UniqueConstraint("economy_id", "effective_from"),
        sa.CheckConstraint("effective_to IS NULL OR effective_to >= effective_from", name="period_order"),
    )
