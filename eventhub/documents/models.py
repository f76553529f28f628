"""Documents the host issues: visa invitation letters and certificates of attendance.

- PassportDetails: what a visa letter needs, the most restricted personal data of a registration
  (read and written only through Action.VIEW_PASSPORT / EDIT_PASSPORT; removed by the purge).
- DocumentSettings: per event, the letter's text and signatory, the signature and logo images, and
  the rule that decides who attended enough for a certificate.
- IssuedDocument: one issued letter or certificate with its public reference (the QR code's
  /verify/<reference>). What the verification page shows is copied in at issue (holder's name and
  passport nationality), so the page reads one row and never the registration.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventhub.db import Base, TimestampMixin, UTCDateTime, str_enum, utcnow


class DocumentKind(enum.StrEnum):
    VISA_LETTER = "visa_letter"
    CERTIFICATE = "certificate"

    @property
    def label(self) -> str:
        return str({"visa_letter": _l("Visa invitation letter"),
                    "certificate": _l("Certificate of attendance")}[self.value])


class AttendanceRule(enum.StrEnum):
    """Who gets a certificate: checked in for at least one day, at least one session, or either."""

    DAY = "day"
    SESSION = "session"
    EITHER = "either"

    @property
    def label(self) -> str:
        return str({"day": _l("Checked in on at least one day"),
                    "session": _l("Checked in to at least one session"),
                    "either": _l("Checked in on a day or to a session")}[self.value])


class PassportDetails(TimestampMixin, Base):
    __tablename__ = "passport_details"

    registration_id: Mapped[int] = mapped_column(
        sa.ForeignKey("registrations.id", ondelete="CASCADE"), primary_key=True)
    name_in_passport: Mapped[str] = mapped_column(sa.String(200))
    nationality: Mapped[str] = mapped_column(sa.String(100))
    passport_number: Mapped[str] = mapped_column(sa.String(20))
    date_of_birth: Mapped[date] = mapped_column(sa.Date)
    stay_from: Mapped[date] = mapped_column(sa.Date)
    stay_to: Mapped[date] = mapped_column(sa.Date)

    __table_args__ = (
        sa.CheckConstraint("stay_from <= stay_to", name="stay_in_order"),
        sa.CheckConstraint("date_of_birth < stay_from", name="born_before_stay"),
        sa.CheckConstraint("length(passport_number) >= 5", name="passport_number_length"),
    )


class DocumentSettings(TimestampMixin, Base):
    __tablename__ = "document_settings"

    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True)
    letter_body: Mapped[str] = mapped_column(sa.Text)
    signatory_name: Mapped[str] = mapped_column(sa.String(200), default="")
    signatory_title: Mapped[str] = mapped_column(sa.String(200), default="")
    # Re-encoded PNG (see images.py): never the bytes as uploaded.
    signature_png: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    logo_png: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    # Letters are due this many days before the event starts (consulates need time).
    letter_lead_days: Mapped[int] = mapped_column(default=30)
    certificate_rule: Mapped[AttendanceRule] = mapped_column(
        str_enum(AttendanceRule, "certificate_rule"), default=AttendanceRule.EITHER)
    certificate_lists_sessions: Mapped[bool] = mapped_column(default=True)

    __table_args__ = (
        sa.CheckConstraint("letter_lead_days >= 0 AND letter_lead_days <= 365", name="lead_days_range"),
    )


class IssuedDocument(Base):
    __tablename__ = "issued_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(sa.String(32), unique=True)
    kind: Mapped[DocumentKind] = mapped_column(str_enum(DocumentKind, "document_kind"))
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), index=True)
    registration_id: Mapped[int] = mapped_column(
        sa.ForeignKey("registrations.id", ondelete="CASCADE"), index=True)
    holder_name: Mapped[str] = mapped_column(sa.String(200))
    holder_nationality: Mapped[str] = mapped_column(sa.String(100), default="")
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    issued_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    # The letter exactly as issued (it carries passport details: served only to who may see them).
    pdf: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    event: Mapped[Event] = relationship()  # noqa: F821
    registration: Mapped[Registration] = relationship()  # noqa: F821

    __table_args__ = (
        # One valid document of each kind per person: re-issuing revokes the previous one first.
        sa.Index("uq_issued_documents_valid", "registration_id", "kind", unique=True,
                 sqlite_where=sa.text("revoked_at IS NULL"), postgresql_where=sa.text("revoked_at IS NULL")),
        sa.CheckConstraint("revoked_by_id IS NULL OR revoked_at IS NOT NULL", name="revoked_consistent"),
    )

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None
