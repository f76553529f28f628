"""Our RRULE-based VTIMEZONEs, read back by two parsers, give the same offsets as the IANA database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject

from eventhub.calendars.ical import TimeWriter, fold, serialize, vtimezone

ZONES = [
    "Asia/Shanghai", "Asia/Bangkok", "Asia/Tokyo", "Asia/Kolkata", "Asia/Kathmandu", "Asia/Manila",
    "Pacific/Port_Moresby", "America/Lima", "America/Mexico_City", "America/Sao_Paulo",
    "America/New_York", "America/Los_Angeles", "America/St_Johns", "America/Santiago",
    "Europe/London", "Europe/Berlin", "Australia/Sydney", "Australia/Lord_Howe", "Pacific/Auckland",
    "Africa/Casablanca", "Asia/Tehran", "UTC",
]


def _calendar(lines) -> bytes:
    return serialize(["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN", *lines, "END:VCALENDAR"])


@pytest.mark.parametrize("tzid", ZONES)
@pytest.mark.parametrize("year", [2025, 2026, 2027])
def test_vtimezone_matches_zoneinfo_all_year(tzid, year):
    lines = vtimezone(tzid, year, year) if tzid != "UTC" else None
    zone = ZoneInfo(tzid)
    if lines is None:
        # No yearly rule fits (or UTC): the writer falls back to UTC times, never a TZID without VTIMEZONE.
        writer = TimeWriter(tzid, year, year)
        assert writer.timezone_lines() == ()
        assert writer.prop("DTSTART", datetime(year, 6, 1, 1, tzinfo=UTC)) == f"DTSTART:{year}0601T010000Z"
        return
    data = _calendar(lines)
    vtz = vobject.readOne(data.decode(), validate=True).vtimezone
    from_vobject = vtz.gettzinfo()
    from_icalendar = icalendar.Calendar.from_ical(data).walk("VTIMEZONE")[0].to_tz()
    start = datetime(year, 1, 1, 12)
    for day in range(0, 365, 1):
        for hour in (0, 12):
            local = start + timedelta(days=day, hours=hour - 12)
            expected = local.replace(tzinfo=zone)
            if expected.replace(fold=1).utcoffset() != expected.utcoffset():
                continue  # ambiguous or skipped wall time at a change; not where sessions sit
            for parsed in (from_vobject, from_icalendar):
                assert local.replace(tzinfo=parsed).utcoffset() == expected.utcoffset(), (tzid, local, parsed)


def test_no_dst_zone_has_one_standard_block_for_outlook():
    lines = vtimezone("Asia/Shanghai", 2025, 2025)
    assert lines == (
        "BEGIN:VTIMEZONE", "TZID:Asia/Shanghai", "BEGIN:STANDARD", "DTSTART:19700101T000000",
        "TZOFFSETFROM:+0800", "TZOFFSETTO:+0800", "TZNAME:CST", "END:STANDARD", "END:VTIMEZONE",
    )


def test_southern_hemisphere_rules():
    lines = vtimezone("Australia/Sydney", 2025, 2025)
    assert "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=1SU" in lines
    assert "RRULE:FREQ=YEARLY;BYMONTH=4;BYDAY=1SU" in lines
    lines = vtimezone("Europe/London", 2025, 2026)
    assert "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU" in lines
    assert "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU" in lines


@pytest.mark.parametrize("text", ["a" * 200, "开" * 100, "ไทย" * 50, "😀" * 40, "a" + "é" * 80, "x" * 73 + "中文"])
def test_fold_never_exceeds_75_octets_or_splits_a_character(text):
    data = fold("SUMMARY:" + text)
    physical = data[:-2].split(b"\r\n")
    for n, line in enumerate(physical):
        assert len(line) <= 75
        assert n == 0 or line.startswith(b" ")
        line.decode("utf-8")
    assert data.replace(b"\r\n ", b"").decode() == "SUMMARY:" + text + "\r\n"


@pytest.mark.parametrize("text", ["a" * 200, "开" * 100, "ไทย" * 50, "😀" * 40, "a" + "é" * 80, "x" * 73 + "中文", "a" * 75,
                                  "a" * 74 + "b", "a" * 149, "a" * 150])
def test_serialize_folds_like_fold(text):
    from eventhub.calendars.ical import serialize

    assert serialize(["SUMMARY:" + text]) == fold("SUMMARY:" + text)


def test_text_escaping_and_control_characters():
    from eventhub.calendars.ical import escape_text, param_value

    assert escape_text("a\\b;c,d\r\ne\rf\ng") == "a\\\\b\\;c\\,d\\ne\\nf\\ng"
    assert escape_text("tab\there\x0bvt\x0cff\x1b") == "tab\thereLOST".replace("LOST", "vtff")
    assert param_value('Dr. "X"; Y') == "\"Dr. 'X'; Y\""
    assert param_value("Plain Name") == "Plain Name"
    assert param_value("a\x0bb") == "ab"
