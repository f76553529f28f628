"""The registration window: when delegates may register and change their details, said with dates."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _

from eventhub.db import utcnow
from eventhub.errors import DomainError
from eventhub.events.models import Event, EventStatus


def window_text(event: Event) -> str:
    from eventhub.formatting import day_label, local_dt

    opens = local_dt(event.registration_opens_at, event) if event.registration_opens_at else None
    if event.registration_closes_at:
        closes = local_dt(event.registration_closes_at, event)
    else:  # no closing time set: registration ends with the event's last day
        closes = _("the end of the event's last day, %(day)s", day=day_label(event.end_date, "long"))
    if opens:
        return _("from %(opens)s to %(closes)s (%(zone)s)", opens=opens, closes=closes, zone=event.timezone)
    return _("until %(closes)s (%(zone)s)", closes=closes, zone=event.timezone)


def window_sentence(event: Event, now: datetime | None = None) -> str:
    """One sentence for pages: whether registration is open now, with the dates."""
    now = now or utcnow()
    if event.registration_opens_at and now < event.registration_opens_at:
        return _("Registration has not opened yet. It is open %(window)s.", window=window_text(event))
    if now >= event.registration_ends_at:
        return _("Registration has closed. It was open %(window)s.", window=window_text(event))
    return _("Registration is open %(window)s.", window=window_text(event))


def check_window(event: Event, now: datetime | None = None) -> None:
    """Refuse with the dates when registration is not open now (self-registration, nominations).

    Without a closing time, registration closes when the event's last day ends (event-local time).
    Staff additions do not come through here: they are allowed after closing.
    """
    now = now or utcnow()
    if event.status != EventStatus.PUBLISHED:
        raise DomainError(_("Registration for this event is not open: the event is not published or has "
                            "closed."))
    if event.registration_opens_at and now < event.registration_opens_at:
        raise DomainError(_("Registration for this event has not opened yet. It is open %(window)s.",
                            window=window_text(event)))
    if now >= event.registration_ends_at:
        raise DomainError(_("Registration for this event has closed. It was open %(window)s.",
                            window=window_text(event)))


def edits_close_at(event: Event) -> datetime:
    """Delegates may edit their details while registration is open: until it closes, or else until the
    event's last day ends (the same rule as check_window)."""
    return event.registration_ends_at
