"""A small, strict iCalendar (RFC 5545) writer.

We write the bytes ourselves instead of going through a generic library because calendar apps
are picky about exactly the things generic serializers leave to chance:

- every line ends in CRLF and is folded at 75 octets, never inside a UTF-8 character;
- text values are escaped (backslash, comma, semicolon, newline);
- times carry a TZID whose VTIMEZONE is RRULE-based (one STANDARD block for zones without DST),
  which is what Outlook reads; when a zone's rules cannot be written as a yearly RRULE for the
  years in question we write UTC times instead, so every TZID used is always covered.

It is also fast: a 500-session feed is a few milliseconds of string joins.
"""

from __future__ import annotations

import calendar as _calendar
import re
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

CRLF = "\r\n"
MAX_OCTETS = 75
PRODID = "-//EventHub//EventHub Calendars 1.0//EN"


# --- values ------------------------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def escape_text(value: str) -> str:
    """TEXT value escaping (RFC 5545 §3.3.11). Line breaks become the two characters \\n; other
    control characters, which TEXT does not allow, are dropped."""
    if not value.isprintable():
        value = _CONTROL.sub("", value)
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\n")
        .replace("\r", "\n")
        .replace("\n", "\\n")
    )


def param_value(value: str) -> str:
    """A parameter value (e.g. CN=...): quoted when it holds : ; or , ; DQUOTE cannot appear at all."""
    value = _CONTROL.sub("", value.replace('"', "'").replace("\r", " ").replace("\n", " "))
    if any(c in value for c in ":;,"):
        return f'"{value}"'
    return value


def _stamp(d: datetime) -> str:
    return f"{d.year:04d}{d.month:02d}{d.day:02d}T{d.hour:02d}{d.minute:02d}{d.second:02d}"


def utc_stamp(moment: datetime) -> str:
    """20250628T010000Z"""
    return _stamp(moment.astimezone(UTC)) + "Z"


def local_stamp(moment: datetime, zone: ZoneInfo) -> str:
    """20250628T090000 (wall-clock time in `zone`, to be written with TZID=)."""
    return _stamp(moment.astimezone(zone))


def _offset(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    sign = "+" if seconds >= 0 else "-"
    seconds = abs(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{sign}{hours:02d}{minutes:02d}" + (f"{secs:02d}" if secs else "")


# --- lines ------------------------------------------------------------------------------------------

def _fold_bytes(raw: bytes) -> list[bytes]:
    out = []
    start = 0
    limit = MAX_OCTETS
    while len(raw) - start > limit:
        end = start + limit
        while raw[end] & 0xC0 == 0x80:  # a UTF-8 continuation byte: never cut before it
            end -= 1
        out.append(raw[start:end])
        start = end
        limit = MAX_OCTETS - 1  # continuation lines start with one space
    out.append(raw[start:])
    return out


def fold(line: str) -> bytes:
    """One content line as UTF-8 bytes with CRLF, folded so no physical line exceeds 75 octets.

    A fold never splits a multi-byte UTF-8 character: it backs up to the character's lead byte.
    """
    raw = line.encode("utf-8")
    if len(raw) <= MAX_OCTETS:
        return raw + b"\r\n"
    return b"\r\n ".join(_fold_bytes(raw)) + b"\r\n"


def _fold_text(line: str) -> str:
    """Like fold(), on text: ASCII lines are cut by slicing (the common, fast case)."""
    if line.isascii():
        if len(line) <= MAX_OCTETS:
            return line
        parts = [line[:MAX_OCTETS]]
        parts += [line[i:i + MAX_OCTETS - 1] for i in range(MAX_OCTETS, len(line), MAX_OCTETS - 1)]
        return "\r\n ".join(parts)
    raw = line.encode("utf-8")
    if len(raw) <= MAX_OCTETS:
        return line
    return "\r\n ".join(part.decode("utf-8") for part in _fold_bytes(raw))


fold_text = _fold_text


def serialize_text(lines: Iterable[str]) -> str:
    """Content lines, folded, each ended by CRLF (text; encode as UTF-8)."""
    return "\r\n".join(map(_fold_text, lines)) + "\r\n"


def serialize(lines: Iterable[str]) -> bytes:
    """Content lines to the bytes of a calendar: folded, CRLF after every line, UTF-8."""
    return serialize_text(lines).encode("utf-8")


# --- time zones -------------------------------------------------------------------------------------

def _transitions(zone: ZoneInfo, year: int) -> list[tuple[datetime, timedelta, timedelta, bool, str]]:
    """Offset changes of `zone` during `year`: (UTC instant, offset before, offset after, is_dst, tzname)."""
    found = []
    start = datetime(year, 1, 1, tzinfo=UTC)
    step = timedelta(days=1)
    t = start
    previous = t.astimezone(zone).utcoffset()
    while t.year == year:
        nxt = t + step
        off = nxt.astimezone(zone).utcoffset()
        if off != previous:
            lo, hi = t, nxt  # offset(lo) == previous, offset(hi) == off; find the minute it changes
            while hi - lo > timedelta(minutes=1):
                mid = lo + (hi - lo) / 2
                mid = mid.replace(second=0, microsecond=0)
                if mid <= lo:
                    break
                if mid.astimezone(zone).utcoffset() == previous:
                    lo = mid
                else:
                    hi = mid
            local_after = hi.astimezone(zone)
            found.append((hi, previous, off, bool(local_after.dst()), local_after.tzname() or ""))
            previous = off
        t = nxt
    return found


def _rule_candidates(day: date) -> set[str]:
    """BYDAY forms that name `day` within its month: {'2SU'} or {'4SU', '-1SU'}."""
    weekday = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")[day.weekday()]
    out = {f"{(day.day - 1) // 7 + 1}{weekday}"}
    if day.day + 7 > _calendar.monthrange(day.year, day.month)[1]:
        out.add(f"-1{weekday}")
    return out


def _apply_rule(year: int, month: int, byday: str) -> date:
    weekday = ("MO", "TU", "WE", "TH", "FR", "SA", "SU").index(byday[-2:])
    n = int(byday[:-2])
    days = [d for d in range(1, _calendar.monthrange(year, month)[1] + 1) if date(year, month, d).weekday() == weekday]
    return date(year, month, days[n - 1] if n > 0 else days[n])


@lru_cache(maxsize=256)
def vtimezone(tzid: str, first_year: int, last_year: int) -> tuple[str, ...] | None:
    """VTIMEZONE lines for `tzid`, valid for the given years, or None when no yearly RRULE fits.

    Zones without DST in those years get a single STANDARD block (what Outlook expects for
    e.g. Asia/Shanghai); zones with DST get a STANDARD and a DAYLIGHT block, each with an RRULE.
    """
    zone = ZoneInfo(tzid)
    years = range(first_year - 1, last_year + 2)
    per_year = [_transitions(zone, y) for y in years]
    lines = ["BEGIN:VTIMEZONE", f"TZID:{tzid}"]

    if all(not t for t in per_year):
        moment = datetime(first_year, 7, 1, tzinfo=UTC).astimezone(zone)
        offset = moment.utcoffset()
        # The zone's offset must be the same all through the span (no one-off changes).
        if any(datetime(y, 1, 1, tzinfo=UTC).astimezone(zone).utcoffset() != offset for y in years):
            return None
        lines += [
            "BEGIN:STANDARD",
            "DTSTART:19700101T000000",
            f"TZOFFSETFROM:{_offset(offset)}",
            f"TZOFFSETTO:{_offset(offset)}",
            f"TZNAME:{escape_text(moment.tzname() or tzid)}",
            "END:STANDARD",
            "END:VTIMEZONE",
        ]
        return tuple(lines)

    if any(len(t) != 2 for t in per_year):
        return None
    blocks = []
    for index in range(2):
        changes = [t[index] for t in per_year]
        instant, before, after, is_dst, name = changes[0]
        if any((c[1], c[2], c[3]) != (before, after, is_dst) for c in changes):
            return None
        walls = [c[0] + c[1] for c in changes]  # wall-clock time of the change, in the old offset
        if any(w.month != walls[0].month or w.time() != walls[0].time() for w in walls):
            return None
        common = set.intersection(*(_rule_candidates(w.date()) for w in walls))
        if not common:
            return None
        byday = "-1" + next(iter(common))[-2:] if any(c.startswith("-1") for c in common) else common.pop()
        month = walls[0].month
        if any(_apply_rule(w.year, month, byday) != w.date() for w in walls):
            return None
        first = _apply_rule(1970, month, byday)
        wall = walls[0]
        kind = "DAYLIGHT" if is_dst else "STANDARD"
        blocks.append(
            [
                f"BEGIN:{kind}",
                f"DTSTART:{first.strftime('%Y%m%d')}T{wall.strftime('%H%M%S')}",
                f"RRULE:FREQ=YEARLY;BYMONTH={month};BYDAY={byday}",
                f"TZOFFSETFROM:{_offset(before)}",
                f"TZOFFSETTO:{_offset(after)}",
                f"TZNAME:{escape_text(name or tzid)}",
                f"END:{kind}",
            ]
        )
    if sum(1 for b in blocks if b[0] == "BEGIN:STANDARD") != 1:
        return None
    blocks.sort(key=lambda b: b[0] != "BEGIN:STANDARD")  # STANDARD first
    for block in blocks:
        lines += block
    lines.append("END:VTIMEZONE")
    return tuple(lines)


# A VTIMEZONE is built for sessions within these years and at most this many years apart; beyond
# that (a typo such as the year 9998) times are written in UTC, which every client reads, instead of
# computing transitions past datetime's range (OverflowError) or for thousands of years.
VTIMEZONE_YEARS = (1900, 2200)
VTIMEZONE_MAX_SPAN = 30


def safe_vtimezone(tzid: str, first_year: int, last_year: int) -> tuple[str, ...] | None:
    """vtimezone(), or None (write UTC) when the years are out of range or the zone cannot be described."""
    low, high = VTIMEZONE_YEARS
    if tzid == "UTC" or not (low <= first_year <= last_year <= high) or last_year - first_year > VTIMEZONE_MAX_SPAN:
        return None
    try:
        return vtimezone(tzid, first_year, last_year)
    except (OverflowError, ValueError):
        return None


class TimeWriter:
    """Writes DTSTART/DTEND in one zone: with TZID when a VTIMEZONE fits, in UTC otherwise."""

    def __init__(self, tzid: str, first_year: int, last_year: int):
        self.zone = ZoneInfo(tzid)
        self.tzid = tzid
        self.vtimezone = safe_vtimezone(tzid, first_year, last_year)

    def prop(self, name: str, moment: datetime) -> str:
        if self.vtimezone is None:
            return f"{name}:{utc_stamp(moment)}"
        return f"{name};TZID={self.tzid}:{local_stamp(moment, self.zone)}"

    def timezone_lines(self) -> tuple[str, ...]:
        return self.vtimezone or ()


def calendar_lines(
    *,
    method: str | None,
    name: str,
    description: str = "",
    tzid: str | None = None,
    feed: bool = False,
) -> list[str]:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
    ]
    if method:
        lines.append(f"METHOD:{method}")
    lines += [f"NAME:{escape_text(name)}", f"X-WR-CALNAME:{escape_text(name)}"]
    if description:
        lines += [f"DESCRIPTION:{escape_text(description)}", f"X-WR-CALDESC:{escape_text(description)}"]
    if tzid:
        lines.append(f"X-WR-TIMEZONE:{tzid}")
    if feed:
        lines += ["REFRESH-INTERVAL;VALUE=DURATION:PT1H", "X-PUBLISHED-TTL:PT1H"]
    return lines
