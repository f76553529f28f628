"""Jinja filters: event-local times that always name their zone."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import Flask


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


def register_filters(app: Flask) -> None:
    app.add_template_filter(local_dt, "local_dt")
    app.add_template_filter(local_time, "local_time")
    app.add_template_filter(zone_label, "zone_label")
    app.add_template_filter(date_range, "date_range")
