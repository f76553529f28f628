"""Byte-level checks of iCalendar output and two independent parsers (icalendar, vobject validate=True)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import icalendar
import vobject


def physical_lines(data: bytes) -> list[bytes]:
    assert data.endswith(b"\r\n"), "the calendar must end with CRLF"
    body = data[:-2]
    lines = body.split(b"\r\n")
    for line in lines:
        assert b"\n" not in line and b"\r" not in line, f"bare LF or CR in {line!r}"
    return lines


def unfold(data: bytes) -> list[str]:
    """Content lines after unfolding (RFC 5545 §3.1)."""
    return data.replace(b"\r\n ", b"").replace(b"\r\n\t", b"").decode("utf-8").split("\r\n")[:-1]


def check_bytes(data: bytes, *, feed: bool = True) -> list[str]:
    """Assert what breaks calendar apps; returns the unfolded content lines."""
    for line in physical_lines(data):
        assert len(line) <= 75, f"line of {len(line)} octets: {line!r}"
        line.decode("utf-8")  # a fold that split a multi-byte character fails here
    lines = unfold(data)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines
    assert any(line.startswith("PRODID:") for line in lines)

    # Components balanced.
    stack = []
    for line in lines:
        if line.startswith("BEGIN:"):
            stack.append(line[6:])
        elif line.startswith("END:"):
            assert stack and stack.pop() == line[4:], f"unbalanced {line}"
    assert not stack

    # One UID per VEVENT, unique, never a person or token.
    uids = [line[4:] for line in lines if line.startswith("UID:")]
    assert len(uids) == lines.count("BEGIN:VEVENT")
    assert len(uids) == len(set(uids)), "duplicate UIDs"
    for uid in uids:
        assert re.fullmatch(r"(session|meeting)-\d+@[A-Za-z0-9.-]+", uid), uid  # meetings: eventhub.calendars.meetings

    # DTSTAMP / LAST-MODIFIED / CREATED in UTC.
    for line in lines:
        if line.startswith(("DTSTAMP", "LAST-MODIFIED", "CREATED")):
            assert re.fullmatch(r"[A-Z-]+:\d{8}T\d{6}Z", line), line

    # Every TZID used has its VTIMEZONE; IANA names only; RRULE-based or a single STANDARD block.
    used = set(re.findall(r";TZID=([^:;]+)", "\n".join(lines)))
    defined = set()
    in_tz = False
    blocks: list[list[str]] = []
    for line in lines:
        if line == "BEGIN:VTIMEZONE":
            in_tz = True
            blocks = []
        elif line == "END:VTIMEZONE":
            in_tz = False
            standard = [b for b in blocks if b[0] == "BEGIN:STANDARD"]
            assert len(standard) == 1, "exactly one STANDARD block"
            if len(blocks) > 1:
                assert all(any(x.startswith("RRULE:") for x in b) for b in blocks), "observances need RRULEs"
        elif in_tz and line.startswith("TZID:"):
            defined.add(line[5:])
        elif in_tz and line.startswith("BEGIN:"):
            blocks.append([line])
        elif in_tz and blocks:
            blocks[-1].append(line)
    assert used <= defined, f"TZIDs without VTIMEZONE: {used - defined}"
    for tzid in used:
        assert re.fullmatch(r"[A-Za-z_]+(/[A-Za-z0-9_+-]+)*", tzid), tzid
    # No floating times in events: TZID or UTC.
    in_event = False
    for line in lines:
        in_event = (in_event or line == "BEGIN:VEVENT") and line != "END:VEVENT"
        if in_event and line.startswith(("DTSTART", "DTEND")) and ";TZID=" not in line:
            assert line.endswith("Z"), f"floating time: {line}"

    if feed:
        assert any(line.startswith("NAME:") for line in lines)
        assert any(line.startswith("X-WR-CALNAME:") for line in lines)
        assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H" in lines
        assert "X-PUBLISHED-TTL:PT1H" in lines
    return lines


def parse_icalendar(data: bytes) -> dict[str, dict]:
    """UID -> {start, end (UTC), sequence, summary, ...} via the icalendar package."""
    cal = icalendar.Calendar.from_ical(data)
    out = {}
    for ev in cal.walk("VEVENT"):
        out[str(ev["UID"])] = {
            "start": ev.decoded("DTSTART").astimezone(UTC),
            "end": ev.decoded("DTEND").astimezone(UTC),
            "local_start": ev.decoded("DTSTART"),
            "sequence": int(ev.get("SEQUENCE", 0)),
            "summary": str(ev["SUMMARY"]),
            "description": str(ev.get("DESCRIPTION", "")),
            "location": str(ev.get("LOCATION", "")),
            "url": str(ev.get("URL", "")),
            "categories": [str(c) for cats in _as_list(ev.get("CATEGORIES")) for c in cats.cats],
            "dtstamp": ev.decoded("DTSTAMP"),
            "status": str(ev.get("STATUS", "")),
        }
    return out


def _as_list(value):
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def parse_vobject(data: bytes) -> dict[str, dict]:
    """UID -> times via vobject with validate=True. vobject builds its tzinfo from our VTIMEZONE."""
    cal = vobject.readOne(data.decode("utf-8"), validate=True)
    out = {}
    for ev in getattr(cal, "vevent_list", []):
        start = ev.dtstart.value
        end = ev.dtend.value
        assert isinstance(start, datetime) and start.tzinfo is not None
        out[ev.uid.value] = {
            "start": start.astimezone(UTC),
            "end": end.astimezone(UTC),
            "sequence": int(ev.sequence.value) if hasattr(ev, "sequence") else 0,
            "summary": ev.summary.value,
        }
    return out


def parse_all(data: bytes, *, feed: bool = True) -> dict[str, dict]:
    """Byte checks, then both parsers; asserts they agree on every event's times."""
    check_bytes(data, feed=feed)
    a = parse_icalendar(data)
    b = parse_vobject(data)
    assert a.keys() == b.keys()
    for uid in a:
        assert a[uid]["start"] == b[uid]["start"], uid
        assert a[uid]["end"] == b[uid]["end"], uid
        assert a[uid]["sequence"] == b[uid]["sequence"], uid
        assert a[uid]["summary"] == b[uid]["summary"], uid
    return a
