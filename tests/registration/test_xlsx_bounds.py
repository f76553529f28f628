"""An XLSX import reads within bounds: a small file that unpacks to a shared-strings bomb, or a sheet
declaring A1:XFD1048576, is refused with a message before anything large is built."""

from __future__ import annotations

import io
import re
import time
import zipfile

import openpyxl
import pytest

from eventhub.errors import DomainError
from eventhub.registration import spreadsheets


def _workbook(rows) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _rewrite(data: bytes, change) -> bytes:
    """The same workbook with some members' bytes changed by `change(name, bytes)`."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, change(info.filename, src.read(info.filename)))
    return out.getvalue()


GOOD = [["email", "given_name", "family_name", "organisation"], ["a@example.th", "A", "One", "OSMEP"]]


def test_a_normal_workbook_is_read():
    assert spreadsheets.read_table("d.xlsx", _workbook(GOOD))[:2] == GOOD


def test_a_shared_strings_bomb_is_refused_before_it_is_opened(monkeypatch):
    data = _workbook(GOOD)
    strings = (b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
               b'spreadsheetml/2006/main">' + b"<si><t>" + b"A" * (40 * 1024 * 1024) + b"</t></si></sst>")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info.filename))
        dst.writestr("xl/sharedStrings.xml", strings)
    small = out.getvalue()
    assert len(small) < spreadsheets.MAX_BYTES  # it passes the upload limit

    def never(*args, **kwargs):
        raise AssertionError("openpyxl must not open a workbook that unpacks beyond the bound")

    monkeypatch.setattr(openpyxl, "load_workbook", never)
    with pytest.raises(DomainError, match=r"The workbook unpacks to 40 MB; at most 32 MB can be read"):
        spreadsheets.read_table("bomb.xlsx", small)


def test_a_sheet_declaring_a1_xfd1048576_is_refused_at_once():
    def huge(name, body):
        if name.startswith("xl/worksheets/sheet"):
            return re.sub(rb'<dimension ref="[^"]*" ?/>', b'<dimension ref="A1:XFD1048576"/>', body)
        return body
    data = _rewrite(_workbook(GOOD), huge)
    started = time.monotonic()
    with pytest.raises(DomainError, match=r"it declares 1,048,576 rows and 16,384 columns"):
        spreadsheets.read_table("huge.xlsx", data)
    assert time.monotonic() - started < 2


def test_a_lying_small_dimension_does_not_lift_the_bounds():
    wide = [["email", "given_name", "family_name", "organisation"] + [f"c{i}" for i in range(80)]]

    def small(name, body):
        if name.startswith("xl/worksheets/sheet"):
            return re.sub(rb'<dimension ref="[^"]*" ?/>', b'<dimension ref="A1:B2"/>', body)
        return body
    with pytest.raises(DomainError, match=r"more than 60 columns"):
        spreadsheets.read_table("wide.xlsx", _rewrite(_workbook(wide), small))


def test_the_cell_bound(monkeypatch):
    monkeypatch.setattr(spreadsheets, "MAX_CELLS", 10)
    rows = GOOD + [[f"p{i}@example.th", "P", str(i), "OSMEP"] for i in range(5)]
    with pytest.raises(DomainError, match=r"more than 10 filled cells"):
        spreadsheets.read_table("many.xlsx", _workbook(rows))


def test_the_import_page_shows_the_refusal_next_to_the_file_field(client, world, login_as):
    def huge(name, body):
        if name.startswith("xl/worksheets/sheet"):
            return re.sub(rb'<dimension ref="[^"]*" ?/>', b'<dimension ref="A1:XFD1048576"/>', body)
        return body
    login_as(world.focal)
    response = client.post(f"/events/{world.event.slug}/delegations/{world.thailand.id}/import",
                           data={"file": (io.BytesIO(_rewrite(_workbook(GOOD), huge)), "d.xlsx")},
                           content_type="multipart/form-data")
    assert response.status_code == 422
    assert "The sheet is too large to import" in response.get_data(as_text=True)
