"""API tokens with scopes, webhooks and their deliveries (queued like the mail outbox)."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventhub.db import Base, UTCDateTime, str_enum, utcnow


class Scope(enum.StrEnum):
    READ_EVENT = "events:read"
    READ_REGISTRATIONS = "registrations:read"
    WRITE_CHECKINS = "checkins:write"
    WRITE_REGISTRATIONS = "registrations:write"

    @property
    def label(self) -> str:
        return str(SCOPE_LABELS[self])


SCOPE_LABELS = {
    Scope.READ_EVENT: _l("Read events, sessions and delegations"),
    Scope.READ_REGISTRATIONS: _l("Read registrations, bookings, check-ins and attendance"),
    Scope.WRITE_CHECKINS: _l("Record check-ins"),
    Scope.WRITE_REGISTRATIONS: _l("Create, approve and decline registrations; book sessions"),
}


class ApiToken(Base):
    """A token of one user with the scopes chosen when it was made; it never sees more than its
    owner would in the pages. Only the SHA-256 of the token is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    scopes: Mapped[str] = mapped_column(sa.String(200))  # space-separated Scope values
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # None: until revoked

    user: Mapped["User"] = relationship()  # noqa: F821, UP037

    __table_args__ = (sa.CheckConstraint("scopes <> ''", name="api_token_has_scope"),)

    def expired(self, now: datetime) -> bool:
        return self.expires_at is not None and self.expires_at <= now

    @property
    def scope_set(self) -> frozenset[Scope]:
        return frozenset(Scope(s) for s in self.scopes.split() if s in Scope._value2member_map_)


class WebhookKind(enum.StrEnum):
    REGISTRATION_CREATED = "registration.created"
    REGISTRATION_STATE_CHANGED = "registration.state_changed"
    BOOKING_CONFIRMED = "booking.confirmed"
    BOOKING_WAITLISTED = "booking.waitlisted"
    BOOKING_PROMOTED = "booking.promoted"
    BOOKING_CANCELLED = "booking.cancelled"
    CHECKIN_RECORDED = "checkin.recorded"
    SESSION_CHANGED = "session.changed"
    SESSION_CANCELLED = "session.cancelled"
    MEETING_SCHEDULED = "matching.meeting_scheduled"

    @property
    def label(self) -> str:
        return str(KIND_LABELS[self])


KIND_LABELS = {
    WebhookKind.REGISTRATION_CREATED: _l("Registration created"),
    WebhookKind.REGISTRATION_STATE_CHANGED: _l("Registration state changed"),
    WebhookKind.BOOKING_CONFIRMED: _l("Booking confirmed"),
    WebhookKind.BOOKING_WAITLISTED: _l("Booking waitlisted"),
    WebhookKind.BOOKING_PROMOTED: _l("Booking promoted from the waitlist"),
    WebhookKind.BOOKING_CANCELLED: _l("Booking cancelled"),
    WebhookKind.CHECKIN_RECORDED: _l("Check-in recorded"),
    WebhookKind.SESSION_CHANGED: _l("Session changed (time, place, details)"),
    WebhookKind.SESSION_CANCELLED: _l("Session cancelled"),
    WebhookKind.MEETING_SCHEDULED: _l("Business-matching meeting scheduled"),
}


class Webhook(Base):
    """A URL an organizer registered for an event, with the kinds of change it receives."""

    __tablename__ = "webhooks"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(sa.String(500))
    kinds: Mapped[str] = mapped_column(sa.String(500))  # space-separated WebhookKind values
    secret: Mapped[str] = mapped_column(sa.String(64))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    __table_args__ = (
        sa.CheckConstraint("url LIKE 'http://%' OR url LIKE 'https://%'", name="webhook_url_http"),
        sa.CheckConstraint("kinds <> ''", name="webhook_has_kind"),
    )

    @property
    def kind_set(self) -> frozenset[str]:
        return frozenset(self.kinds.split())


class DeliveryStatus(enum.StrEnum):
    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"  # gave up after MAX_ATTEMPTS; redeliverable by hand


class WebhookDelivery(Base):
    """One JSON POST to a webhook, written in the transaction of the change it reports."""

    __tablename__ = "webhook_deliveries"

    id: Mapped[int] = mapped_column(primary_key=True)
    webhook_id: Mapped[int] = mapped_column(sa.ForeignKey("webhooks.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(40))
    body: Mapped[str] = mapped_column(sa.Text)  # the exact JSON sent (and signed)
    status: Mapped[DeliveryStatus] = mapped_column(
        str_enum(DeliveryStatus, "webhook_delivery_status"), default=DeliveryStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_status_code: Mapped[int | None] = mapped_column()
    last_error: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    webhook: Mapped[Webhook] = relationship()

    __table_args__ = (sa.Index("ix_webhook_deliveries_due", "status", "next_attempt_at"),)
