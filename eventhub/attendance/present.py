"""How a scan's outcome is told: the same words at the desk, in its JavaScript and in the API."""

from __future__ import annotations

from flask_babel import gettext as _

from eventhub.attendance.checkin import CheckInRefused, Outcome
from eventhub.attendance.models import CheckIn
from eventhub.attendance.scopes import Scope
from eventhub.events.models import Event
from eventhub.formatting import local_dt
from eventhub.i18n import localized
from eventhub.registration.models import Registration


def local_hm(event: Event, moment) -> str:
    return moment.astimezone(event.tz).strftime("%H:%M")


def local_when(event: Event, moment) -> str:
    """'09:02 on Thu 27 Jun 2030 (Asia/Shanghai)': a check-in's time with its date, in the event's zone.
    A desk sees scans of other days too (offline scanners, a desk left on yesterday's scope)."""
    return f"{local_dt(moment, event, 'time_on_date')} ({event.timezone})"


def person(registration: Registration | None) -> dict | None:
    if registration is None:
        return None
    return {
        "registration_id": registration.id,
        "name": registration.badge_name,
        "name_local": registration.name_local,
        "economy": localized(registration.economy, "name"),
        "economy_code": registration.economy.code,
        "category": registration.category.value,
        "category_label": str(registration.category.label),
        "status": registration.status.value,
        "status_label": str(registration.status.label),
        "organisation": registration.organisation,
    }


def checkin(event: Event, c: CheckIn | None, scope: Scope | None = None) -> dict | None:
    if c is None:
        return None
    return {
        "id": c.id,
        "day": c.day.isoformat(),
        "session_id": c.session_id,
        "vehicle_id": c.vehicle_id,
        "scope": scope.key if scope else None,
        "scanned_at": c.scanned_at.isoformat(),
        "recorded_at": c.recorded_at.isoformat(),
        "local_time": local_hm(event, c.scanned_at),
        "local_when": local_when(event, c.scanned_at),
        "timezone": event.timezone,
        "source": c.source.value,
        "desk": c.desk,
        "overridden": c.overridden,
        "override_reason": c.override_reason,
        "undone": c.undone_at is not None,
    }


def outcome_message(event: Event, outcome: Outcome, scope: Scope) -> str:
    name = outcome.registration.badge_name
    c = outcome.checkin
    if outcome.is_new and c.overridden:
        return _("Checked in by override: %(name)s — %(scope)s, at %(when)s. Reason: %(reason)s It counts as "
                 "attended in the reports.", name=name, scope=scope.label, when=local_when(event, c.scanned_at),
                 reason=c.override_reason)
    if outcome.is_new:
        return _("Checked in: %(name)s — %(scope)s, at %(when)s.", name=name, scope=scope.label,
                 when=local_when(event, c.scanned_at))
    if c.undone_at is not None:
        return _("This scan of %(name)s was already recorded, and later undone. Nothing new was recorded.", name=name)
    if c.vehicle is not None:
        return _("%(name)s is already checked in at %(when)s (%(vehicle)s). Nothing new was recorded.", name=name,
                 when=local_when(event, c.scanned_at), vehicle=c.vehicle.name)
    return _("%(name)s is already checked in at %(when)s. Nothing new was recorded.", name=name,
             when=local_when(event, c.scanned_at))


def outcome_payload(event: Event, outcome: Outcome, scope: Scope) -> dict:
    return {
        "result": "new" if outcome.is_new else "already_recorded",
        "reason": None,
        "message": outcome_message(event, outcome, scope),
        "warnings": outcome.warnings,
        "person": person(outcome.registration),
        "checkin": checkin(event, outcome.checkin, scope),
    }


def refusal_payload(exc: CheckInRefused) -> dict:
    return {
        "result": "refused",
        "reason": exc.reason,
        "message": exc.message,
        "warnings": [],
        "person": person(exc.registration),
        "checkin": None,
        "needs_override": exc.needs_override,
    }
