"""Dates and times for people, through Babel in the reader's language: event-local times that always
name their zone. English keeps British conventions (Sat 28 Jun 2025, 09:00); Chinese reads
2025年6月28日 星期六 09:00.

The patterns are CLDR patterns kept as translatable messages, so a new language brings its own
order and words with its catalog, and no code names a language.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_datetime, format_interval
from flask import Flask
from flask_babel import gettext, lazy_gettext

from eventhub.i18n import SOURCE_LANGUAGE, current_language

# Translators: each is a CLDR date pattern (https://cldr.unicode.org/translation/date-time/date-time-patterns):
# y year, M month (MMM short name, MMMM full), d day, EEE weekday short, EEEE weekday full, HH:mm the time.
# Text in single quotes is literal. Chinese: "y年M月d日 EEEE HH:mm".
MOMENT_STYLES = {
    "datetime": lazy_gettext("EEE d MMM y, HH:mm"),
    "short_datetime": lazy_gettext("EEE d MMM, HH:mm"),
    "time_on_date": lazy_gettext("HH:mm 'on' EEE d MMM y"),
    "time": "HH:mm",
}
DAY_STYLES = {
    "date": lazy_gettext("EEE d MMM y"),
    "short": lazy_gettext("EEE d MMM"),
    "full": lazy_gettext("EEEE d MMMM y"),
    "long": lazy_gettext("d MMMM y"),
}


def date_locale() -> Locale:
    """CLDR data for the reader: English as written in Britain and across APEC documents."""
    code = current_language()
    return Locale.parse("en_GB" if code == SOURCE_LANGUAGE else code)


def _zone(event_or_tz) -> ZoneInfo:
    if isinstance(event_or_tz, str):
        return ZoneInfo(event_or_tz)
    return ZoneInfo(event_or_tz.timezone)


def local_dt(moment: datetime | None, event_or_tz, style: str = "datetime") -> str:
    """`moment` on the event's wall clock: style 'datetime' (Sat 5 Jul 2025, 09:00),
    'short_datetime' (Sat 5 Jul, 09:00), 'time_on_date' (09:00 on Sat 28 Jun 2025) or 'time'."""
    if moment is None:
        return ""
    zone = _zone(event_or_tz)
    if "%" in style:  # a strftime pattern: not translated
        return moment.astimezone(zone).strftime(style)
    return format_datetime(moment.astimezone(zone), str(MOMENT_STYLES[style]), tzinfo=zone, locale=date_locale())


def local_time(moment: datetime | None, event_or_tz) -> str:
    return local_dt(moment, event_or_tz, "time")


def day_label(day: date | None, style: str = "date") -> str:
    """A calendar day: 'date' (Sat 28 Jun 2025), 'short' (Sat 28 Jun), 'full' (Saturday 28 June 2025)
    or 'long' (28 June 2025)."""
    if day is None:
        return ""
    return format_date(day, str(DAY_STYLES[style]), locale=date_locale())


def zone_label(event_or_tz, at: datetime | None = None) -> str:
    """'Asia/Shanghai (UTC+08:00)'."""
    zone = _zone(event_or_tz)
    at = at or datetime.now(zone)
    offset = at.astimezone(zone).strftime("%z")
    return f"{zone.key} (UTC{offset[:3]}:{offset[3:]})"


def date_range(start: date, end: date) -> str:
    """'28–30 June 2025', '2025年6月28日至30日'."""
    if current_language() != SOURCE_LANGUAGE:
        return format_interval(start, end, "yMMMMd", locale=date_locale())
    long = gettext("d MMMM y")
    if start == end:
        return format_date(start, long, locale=date_locale())
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{format_date(end, long, locale=date_locale())}"
    if start.year == end.year:
        return f"{format_date(start, 'd MMMM', locale=date_locale())} – {format_date(end, long, locale=date_locale())}"
    return f"{format_date(start, long, locale=date_locale())} – {format_date(end, long, locale=date_locale())}"


def register_filters(app: Flask) -> None:
    app.add_template_filter(local_dt, "local_dt")
    app.add_template_filter(local_time, "local_time")
    app.add_template_filter(day_label, "day_label")
    app.add_template_filter(zone_label, "zone_label")
    app.add_template_filter(date_range, "date_range")
