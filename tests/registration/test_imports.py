"""Importing a delegation from CSV or XLSX: preview with row errors, all or nothing, any UTF-8."""

from __future__ import annotations

import io
import re

import openpyxl
import sqlalchemy as sa

from eventhub.extensions import db
from eventhub.registration.models import Registration

HEADER = "email,given_name,family_name,name_local,sex,organisation,category,funding,consent_list\n"
GOOD = ("chen.wei@example.cn,Wei,Chen,陈伟,male,SME Centre,head of delegation,APEC-funded,yes\n"
        "somchai@example.th,Somchai,Jaidee,สมชาย ใจดี,male,OSMEP,delegate,self-funded,no\n"
        "lan@example.vn,Lan,Nguyễn,Nguyễn Thị Lan,female,Agency for SME,speaker,self,yes\n")


def url(world, part=""):
    return f"/events/{world.event.slug}/delegations/{world.thailand.id}/import{part}"


def upload(client, world, data: bytes, filename="delegates.csv", send_mail="y"):
    return client.post(url(world), data={"file": (io.BytesIO(data), filename), "send_mail": send_mail},
                       content_type="multipart/form-data")


def confirm(client, world, page: str):
    fields = dict(re.findall(r'name="(payload|filename|send_mail)" type="hidden" value="([^"]*)"', page))
    return client.post(url(world, "/confirm"), data=fields)


def regs():
    return db.session.scalars(sa.select(Registration).order_by(Registration.id)).all()


def test_csv_with_bom_previews_then_imports_every_row(client, world, login_as, mailbox):
    login_as(world.focal)
    response = upload(client, world, ("\ufeff" + HEADER + GOOD).encode("utf-8"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Every row is correct" in page and "陈伟" in page and "สมชาย ใจดี" in page
    assert regs() == []  # a preview writes nothing
    response = confirm(client, world, page)
    assert response.status_code == 302
    imported = regs()
    assert [(r.family_name, r.name_local) for r in imported] == [
        ("Chen", "陈伟"), ("Jaidee", "สมชาย ใจดี"), ("Nguyễn", "Nguyễn Thị Lan")]
    assert imported[0].category.value == "head_of_delegation" and imported[0].funding.value == "apec_funded"
    assert all(r.needs_confirmation and r.status.value == "submitted" for r in imported)
    assert {e.action for r in imported for e in r.log} == {"imported"}
    assert len(mailbox.to("chen.wei@example.cn")) == 1


def test_csv_without_bom_and_semicolons_as_excel_saves_it(client, world, login_as):
    login_as(world.secretariat)
    data = (HEADER + GOOD).replace(",", ";").encode("utf-8")
    page = upload(client, world, data).get_data(as_text=True)
    assert "Every row is correct" in page
    confirm(client, world, page)
    assert len(regs()) == 3


def test_utf16_unicode_text_from_excel(client, world, login_as):
    login_as(world.focal)
    data = (HEADER + GOOD).replace(",", "\t").encode("utf-16")
    page = upload(client, world, data, filename="delegates.txt").get_data(as_text=True)
    assert "Every row is correct" in page and "陈伟" in page


def test_xlsx_is_read_with_openpyxl(client, world, login_as):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["E-mail", "Given name", "Family name", "Name in local script", "Sex", "Organisation",
                  "Visa letter"])
    sheet.append(["kim@example.kr", "Min-jun", "Kim", "김민준", "Male", "KOSME", "yes"])
    sheet.append(["sato@example.jp", "Yui", "Sato", "佐藤結衣", "female", "SMRJ", "no"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    login_as(world.focal)
    page = upload(client, world, buffer.getvalue(), filename="delegation.xlsx").get_data(as_text=True)
    assert "Every row is correct" in page
    confirm(client, world, page)
    imported = regs()
    assert [(r.name_local, r.visa_letter) for r in imported] == [("김민준", True), ("佐藤結衣", False)]


def test_a_bad_row_imports_nothing_and_says_which_row_and_why(client, world, make, login_as):
    make.registration(world.event, world.viet_nam, email="taken@example.org")
    bad = (HEADER + GOOD
           + "not-an-email,X,Y,,male,Org,delegate,self,yes\n"
           + "taken@example.org,A,B,,robot,Org,delegate,self,maybe\n"
           + "lan@example.vn,Dup,Row,,female,Org,delegate,self,yes\n"
           + ",,,,,,,,\n")
    login_as(world.focal)
    response = upload(client, world, bad.encode("utf-8"))
    page = response.get_data(as_text=True)
    assert "Nothing will be imported: 3 rows have problems" in page
    assert "Row 5: not-an-email is not a valid e-mail address." in page
    assert "Row 6:" in page and "“robot” is not one of" in page and "write yes or no, not “maybe”" in page
    assert "taken@example.org is already registered for this event." in page
    assert "Row 7: lan@example.vn appears twice (also in row 4)." in page
    assert "Import 6" not in page  # no import button
    assert len(regs()) == 1


def test_confirm_rechecks_and_stays_all_or_nothing(client, world, make, login_as):
    login_as(world.focal)
    page = upload(client, world, (HEADER + GOOD).encode()).get_data(as_text=True)
    # Someone registers one of the people between the preview and the import.
    make.registration(world.event, world.viet_nam, email="lan@example.vn")
    response = confirm(client, world, page)
    assert response.status_code == 302
    follow = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Nothing was imported" in follow and "row 4" in follow
    assert len(regs()) == 1


def test_missing_columns_non_spreadsheets_and_oversized_files_are_refused(client, world, login_as):
    login_as(world.focal)
    page = upload(client, world, b"name,address\nA,b@example.org\n").get_data(as_text=True)
    assert "missing: email, given_name, family_name, organisation" in page
    page = upload(client, world, b"%PDF-1.4 binary\x00\x01", filename="scan.pdf").get_data(as_text=True)
    assert "This is not a spreadsheet" in page
    page = upload(client, world, b"\xd0\xcf\x11\xe0old excel", filename="old.xls").get_data(as_text=True)
    assert "Only CSV and XLSX" in page
    page = upload(client, world, b"PK\x03\x04broken zip", filename="x.xlsx").get_data(as_text=True)
    assert "could not be read as an XLSX" in page
    page = upload(client, world, (HEADER + "a" * (4 * 1024 * 1024)).encode()).get_data(as_text=True)
    assert "larger than 4 MB" in page
    page = upload(client, world, "email,given_name\n".encode("latin-1") + "é".encode("latin-1")).get_data(
        as_text=True)
    assert "not UTF-8" in page
    response = client.post(url(world), data={"file": (io.BytesIO(b"x" * (9 * 1024 * 1024)), "big.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 413 and "File too large" in response.get_data(as_text=True)
    assert regs() == []


def test_another_economys_focal_point_cannot_import(client, world, login_as):
    login_as(world.other_focal)
    assert upload(client, world, (HEADER + GOOD).encode()).status_code == 404
    assert regs() == []


def test_template_download_has_a_bom_and_every_column(client, world):
    response = client.get(f"/events/{world.event.slug}/registrations/import-template.csv")
    assert response.data.startswith(b"\xef\xbb\xbf")
    assert "สมชาย ใจดี" in response.get_data(as_text=True)
