"""Jinja filters: event-local times that always name their zone."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import Flask, current_app, url_for


def _zone(event_or_tz) -> ZoneInfo:
    if isinstance(event_or_tz, str):
        return ZoneInfo(event_or_tz)
    return ZoneInfo(event_or_tz.timezone)


def local_dt(moment: datetime | None, event_or_tz, fmt: str = "%a %d %b %Y, %H:%M") -> str:
    if moment is None:
        return ""
    return moment.astimezone(_zone(event_or_tz)).strftime(fmt)


def local_time(moment: datetime | None, event_or_tz) -> str:
    return local_dt(moment, event_or_tz, "%H:%M")


def zone_label(event_or_tz, at: datetime | None = None) -> str:
    """'Asia/Shanghai (UTC+08:00)'."""
    zone = _zone(event_or_tz)
    at = at or datetime.now(zone)
    offset = at.astimezone(zone).strftime("%z")
    return f"{zone.key} (UTC{offset[:3]}:{offset[3:]})"


def date_range(start: date, end: date) -> str:
    if start == end:
        return start.strftime("%-d %B %Y")
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{end.strftime('%-d %B %Y')}"
    if start.year == end.year:
        return f"{start.strftime('%-d %B')} – {end.strftime('%-d %B %Y')}"
    return f"{start.strftime('%-d %B %Y')} – {end.strftime('%-d %B %Y')}"


def absolute_url(endpoint: str, **values) -> str:
    """An absolute URL for e-mails: PUBLIC_BASE_URL when set (behind a proxy), else the request's host."""
    base = current_app.config.get("PUBLIC_BASE_URL", "")
    if base:
        return base + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)


def add_domain_error(form, exc) -> None:
    """Show a DomainError next to the form field it names, or above the form when it names none."""
    name = getattr(exc, "field", None)
    if name and name in form._fields:
        form[name].errors = [*list(form[name].errors or []), exc.message]
    else:
        form.form_errors.append(exc.message)


def register_filters(app: Flask) -> None:
    app.add_template_filter(local_dt, "local_dt")
    app.add_template_filter(local_time, "local_time")
    app.add_template_filter(zone_label, "zone_label")
    app.add_template_filter(date_range, "date_range")
