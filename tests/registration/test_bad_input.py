"""Input that used to give a 500 gets a message next to the field, and nothing is saved."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import sqlalchemy as sa

from eventhub.extensions import db
from eventhub.registration import delegations as dlg
from eventhub.registration.models import FocalPoint, Registration
from tests.registration.conftest import form_data
from tests.registration.test_imports import HEADER, upload


def link(world):
    return f"/r/{world.thailand.invite_token}"


def count_regs() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Registration))


def test_year_0001_arrival_on_the_public_form_is_a_message(client, world):
    response = client.post(link(world), data=form_data(arrival_at="0001-01-01T00:00", departure_at="0001-01-02T00:00"))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="arrival_at-error"' in page and "between the years 1900 and 9998" in page
    assert count_regs() == 0


def test_a_too_long_submission_key_is_a_message_and_the_next_try_works(client, world):
    response = client.post(link(world), data=form_data(submission_key="k" * 65))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "The form was damaged on its way" in page
    assert count_regs() == 0
    key = page.split('name="submission_key" type="hidden" value="', 1)[1].split('"', 1)[0]
    assert 0 < len(key) <= 64
    assert client.post(link(world), data=form_data(submission_key=key)).status_code == 302
    assert count_regs() == 1


def _xlsx(rows) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _damaged_xlsx() -> bytes:
    """A real workbook whose sheet XML is cut off in the middle."""
    good = _xlsx([["email", "given_name", "family_name", "organisation"], ["a@example.org", "A", "B", "C"]])
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                data = data[: len(data) // 2]
            dst.writestr(item, data)
    return out.getvalue()


def _xlsx_without_sheet() -> bytes:
    good = _xlsx([["email"]])
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            if not item.filename.startswith("xl/worksheets/"):
                dst.writestr(item, src.read(item.filename))
    return out.getvalue()


def test_unreadable_imports_say_why_on_the_file_field_and_import_nothing(client, world, login_as):
    login_as(world.focal)
    cases = [
        ("odd.csv", b"\xff\xfe" + HEADER.encode("utf-16-le") + b"\x00",  # UTF-16 with an odd byte count
         "not UTF-8 text"),
        ("huge-field.csv", (HEADER + "a@example.org," + "x" * (130 * 1024) + "\n").encode(),
         "could not be read as CSV"),
        ("damaged.xlsx", _damaged_xlsx(), "could not be read as an XLSX"),
        ("no-sheet.xlsx", _xlsx_without_sheet(), "could not be read as an XLSX"),
    ]
    for filename, data, message in cases:
        response = upload(client, world, data, filename=filename)
        page = response.get_data(as_text=True)
        assert response.status_code in (200, 422), filename
        assert 'id="file-error"' in page and message in page, filename
    assert count_regs() == 0


def test_an_imported_year_0001_is_a_row_error_and_nothing_is_imported(client, world, login_as):
    login_as(world.focal)
    rows = [["email", "given_name", "family_name", "organisation", "arrival"],
            ["a@example.org", "Wei", "Chen", "SME Centre", "0001-01-01 09:00"]]
    page = upload(client, world, _xlsx(rows), filename="d.xlsx").get_data(as_text=True)
    assert "Arrival: “0001-01-01 09:00” is not a year between 1900 and 9998." in page
    page = upload(client, world, b"email,given_name,family_name,organisation,arrival\n"
                  b"a@example.org,Wei,Chen,SME Centre,0001-01-01 09:00\n").get_data(as_text=True)
    assert "is not a year between 1900 and 9998" in page
    assert count_regs() == 0


def test_bulk_decisions_and_list_filters_with_absurd_ids_do_not_fail(client, world, make, login_as):
    reg = make.registration(world.event, world.thailand, status="submitted")
    login_as(world.secretariat)
    page = client.get(f"/events/{world.event.slug}/registrations/?economy=99999999999999999999&page=-5")
    assert page.status_code == 200
    response = client.post(f"/events/{world.event.slug}/registrations/bulk",
                           data={"decision": "approve", "ids": [str(reg.id), "99999999999999999999", "abc"]},
                           follow_redirects=True)
    assert response.status_code == 200
    db.session.refresh(reg)
    assert reg.status.value == "approved"
    assert client.get(f"/events/{world.event.slug}/participants?page=99999999999999999999").status_code == 200


def test_a_double_invitation_of_a_focal_point_is_a_message(client, world, make, login_as, monkeypatch):
    make.user("tran@example.vn")
    login_as(world.organizer)
    url = f"/events/{world.event.slug}/delegations/{world.viet_nam.id}/focal-points"
    assert client.post(url, data={"email": "tran@example.vn"}).status_code == 302
    # The second click slips past the check, as if both requests had checked at the same moment.
    monkeypatch.setattr(dlg, "_is_focal_point", lambda *a: False)
    response = client.post(url, data={"email": "tran@example.vn"})
    assert response.status_code == 422
    assert "was just made a focal point of Viet Nam" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(FocalPoint)
                             .where(FocalPoint.delegation_id == world.viet_nam.id)) == 2
