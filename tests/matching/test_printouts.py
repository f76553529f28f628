"""Paper for the matching hall: the personal schedule on one page, the table plan and the table signs,
read back from the PDF with pdftotext (Latin and Chinese names)."""

from __future__ import annotations

import io
import subprocess

from pypdf import PdfReader

from eventhub.extensions import db
from eventhub.matching import onday
from tests.matching.daykit import meet


def pdf_text(data: bytes, tmp_path) -> str:
    (tmp_path / "doc.pdf").write_bytes(data)
    out = subprocess.run(["pdftotext", str(tmp_path / "doc.pdf"), "-"], capture_output=True, text=True, check=True)
    return " ".join(out.stdout.split())


def test_my_schedule_is_one_page_with_time_table_and_the_other_party(client, login_as, world, scheduled, tmp_path):
    meet(world, "shifei", "ana")  # a second meeting, in the next slot
    slug = world.event.slug
    login_as(world.users["ana"])
    page = client.get(f"/events/{slug}/matching/meetings").get_data(as_text=True)
    assert f"/events/{slug}/matching/meetings.pdf" in page
    response = client.get(f"/events/{slug}/matching/meetings.pdf")
    assert response.status_code == 200 and response.content_type == "application/pdf"
    assert len(PdfReader(io.BytesIO(response.data)).pages) == 1
    text = pdf_text(response.data, tmp_path)
    assert "My meetings · Ana TESTER" in text
    assert "Seye TESTER (叶思)" in text and "Guangzhou Seye Biopharmaceutical" in text and "China" in text
    assert "Guangdong Shifei Cosmetics" in text and "Table A" in text and "14:00" in text and "14:20" in text
    assert text.index("Guangzhou Seye") < text.index("Guangdong Shifei")  # in time order


def test_my_schedule_in_chinese_with_the_latin_names(client, login_as, world, scheduled, tmp_path):
    world.users["seye"].language = "zh_Hans"
    db.session.commit()
    login_as(world.users["seye"])
    text = pdf_text(client.get(f"/events/{world.event.slug}/matching/meetings.pdf").data, tmp_path)
    assert "我的会谈" in text and "Ana TESTER" in text and "Bangkok Biotech" in text and "泰国" in text


def test_a_cancelled_meeting_leaves_the_paper(client, login_as, world, scheduled, tmp_path):
    onday.cancel_meeting(db.session, world.settings, scheduled.meeting.id, world.profiles["ana"])
    db.session.commit()
    login_as(world.users["ana"])
    text = pdf_text(client.get(f"/events/{world.event.slug}/matching/meetings.pdf").data, tmp_path)
    assert "Guangzhou Seye" not in text and "No meeting has a time yet." in text


def test_table_plan_and_signs_for_the_organizer(client, login_as, make, world, scheduled, tmp_path):
    meet(world, "shifei", "ana")
    slug = world.event.slug
    login_as(make.staff(world.event, "organizer"))
    schedule = client.get(f"/events/{slug}/matching/schedule").get_data(as_text=True)
    assert f"/events/{slug}/matching/table-plan.pdf" in schedule and f"/events/{slug}/matching/table-signs.pdf" in schedule
    plan = pdf_text(client.get(f"/events/{slug}/matching/table-plan.pdf").data, tmp_path)
    assert "Table plan" in plan and plan.count("Table A") == 2  # one meeting in each of two slots
    assert "Seye TESTER (叶思)" in plan and "Guangdong Shifei Cosmetics" in plan and "14:20" in plan
    signs = client.get(f"/events/{slug}/matching/table-signs.pdf").data
    assert len(PdfReader(io.BytesIO(signs)).pages) == 2
    text = pdf_text(signs, tmp_path)
    assert "Table A" in text and "Table B" in text and "Business matching with Baiyun District companies" in text
