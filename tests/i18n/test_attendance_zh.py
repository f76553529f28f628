"""The check-in desk, badges, attendance reports and their exports for a Chinese reader (issue 12).

Each test reads the demo workshop with a Chinese browser (Accept-Language zh-CN) and checks what the
person would see: the desk's words and refusals in Chinese, the badges and the attendance summary as
PDFs with Chinese labels and economy names printed in a CJK font, the CSV and XLSX headers in Chinese;
and the English reader's exports as before.
"""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
import sqlalchemy as sa

from eventhub.extensions import db
from tests.conftest import PASSWORD, login
from tests.i18n.test_untranslated_pages import CHINESE, _Text, content_strings, english_in

ENGLISH = {"Accept-Language": "en-GB,en;q=0.9"}
SECRET_FROM_APP = "SECRET_KEY"


@pytest.fixture
def demo(app):
    from eventhub.demo import DEMO_SLUG, load_demo
    from eventhub.events.models import Event

    load_demo(db.session, PASSWORD)
    db.session.commit()
    return db.session.scalar(sa.select(Event).where(Event.slug == DEMO_SLUG))


def _log_in(client, email: str) -> None:
    from eventhub.accounts.models import User

    login(client, db.session.scalar(sa.select(User).where(User.email == email)))


def _registration(event, *, status: str = "approved", economy: str | None = None):
    from eventhub.economies.models import Economy
    from eventhub.registration.models import Registration

    query = sa.select(Registration).where(Registration.event_id == event.id, Registration.status == status)
    if economy:
        query = query.join(Economy, Economy.id == Registration.economy_id).where(Economy.code == economy)
    return db.session.scalars(query.order_by(Registration.id)).first()


def _badge(app, registration) -> str:
    from eventhub.attendance.people import badge_versions
    from eventhub.attendance.tokens import sign_badge

    version = badge_versions(db.session, [registration.id]).get(registration.id, 0)
    return sign_badge(app.config[SECRET_FROM_APP], registration.event_id, registration.id, version)


def _messages_block(html: str) -> dict:
    found = re.search(r'<script type="application/json" id="desk-messages">(.*?)</script>', html, re.S)
    assert found, "the desk page has no messages block for its script"
    return json.loads(found.group(1))


# --- Pages ---------------------------------------------------------------------------------------------

def test_desk_badges_and_report_pages_show_no_english_of_our_own(app, client, demo):
    session_id = db.session.execute(sa.text(
        "SELECT id FROM sessions WHERE event_id = :e AND kind NOT IN ('break', 'meal') ORDER BY starts_at LIMIT 1"),
        {"e": demo.id}).scalar()
    slug = demo.slug
    _log_in(client, "organizer@example.org")
    pages = [f"/events/{slug}/checkin", f"/events/{slug}/checkin?q=a", f"/events/{slug}/checkin/walk-in",
             f"/events/{slug}/badges", f"/events/{slug}/reports/attendance",
             f"/events/{slug}/reports/sessions/{session_id}", "/my/api-token", f"/events/{slug}/desk/",
             f"/events/{slug}/manage/desks/settings", f"/events/{slug}/manage/staff"]
    content = content_strings()
    found = {}
    for path in pages:
        response = client.get(path, headers=CHINESE)
        assert response.status_code == 200, path
        parser = _Text("http://localhost" + path)
        parser.feed(response.get_data(as_text=True))
        runs = english_in("\n".join(parser.parts), content)
        if runs:
            found[path] = sorted(set(runs))
    assert not found, "\n".join(f"{path}: {runs}" for path, runs in found.items())


def test_the_desk_in_chinese_shows_its_words_and_gives_its_script_chinese_messages(app, client, demo):
    _log_in(client, "checkin@example.org")
    html = client.get(f"/events/{demo.slug}/checkin", headers=CHINESE).get_data(as_text=True)
    assert '<html lang="zh-Hans"' in html
    assert "签到台" in html and "按姓名查找" in html and "最近扫描记录" in html
    assert "日期：" in html  # the scope list: "Day: Sat 28 Jun 2025" in Chinese
    messages = _messages_block(html)
    assert messages["new"] == "已签到" and messages["refused"] == "已拒绝"
    assert messages["offline"].startswith("无网络连接")
    assert "{status}" in messages["server_error"]  # the script puts the HTTP status there
    english = _messages_block(client.get(f"/events/{demo.slug}/checkin", headers=ENGLISH).get_data(as_text=True))
    assert english["new"] == "Checked in" and english["camera_start"] == "Scan with the camera"


def test_a_refused_check_in_is_explained_in_chinese_at_the_desk_and_by_the_api(app, client, demo):
    from eventhub.accounts.models import User
    from eventhub.attendance.api_access import issue_api_token

    cancelled = _registration(demo, status="cancelled") or _registration(demo, status="submitted")
    assert cancelled is not None, "the demo has a registration that cannot be checked in plainly"
    _log_in(client, "checkin@example.org")
    desk = client.post(f"/events/{demo.slug}/checkin/scan", data={
        "code": _badge(app, cancelled), "scope": f"day-{demo.start_date.isoformat()}", "nonce": "zh-desk-0001"},
        headers={**CHINESE, "Accept": "application/json"})
    answer = desk.get_json()
    assert answer["result"] == "refused"
    assert answer["message"].startswith(f"签到被拒绝：{cancelled.badge_name}")
    assert "未作任何记录" in answer["message"]

    staff = db.session.scalar(sa.select(User).where(User.email == "checkin@example.org"))
    token = issue_api_token(db.session, staff)
    db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    forged = client.post(f"/api/events/{demo.slug}/checkins", headers={**headers, **CHINESE},
                         json={"token": "EH1.forged", "nonce": "zh-api-00001", "day": demo.start_date.isoformat()})
    assert forged.status_code == 422 and forged.get_json()["reason"] == "invalid_badge"
    assert forged.get_json()["message"].startswith("不是有效的 EventHub 胸卡")
    refused = client.post(f"/api/events/{demo.slug}/checkins", headers={**headers, **CHINESE},
                          json={"token": _badge(app, cancelled), "nonce": "zh-api-00002",
                                "day": demo.start_date.isoformat()})
    assert refused.status_code == 422 and "签到被拒绝" in refused.get_json()["message"]
    english = client.post(f"/api/events/{demo.slug}/checkins", headers={**headers, **ENGLISH},
                          json={"token": "EH1.forged", "nonce": "zh-api-00003", "day": demo.start_date.isoformat()})
    assert english.get_json()["message"].startswith("Not a valid badge of EventHub")


# --- PDFs ----------------------------------------------------------------------------------------------

def _pdf(data: bytes):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    fonts = set()
    for page in reader.pages:
        for font in (page.get("/Resources") or {}).get("/Font", {}).values():
            fonts.add(str(font.get_object().get("/BaseFont")))
    return text, fonts


def test_the_badges_pdf_in_chinese_prints_chinese_labels_and_economy_names_in_a_cjk_font(app, client, demo):
    _log_in(client, "organizer@example.org")
    response = client.get(f"/events/{demo.slug}/badges.pdf?category=delegate", headers=CHINESE)
    assert response.status_code == 200 and response.content_type == "application/pdf"
    text, fonts = _pdf(response.data)
    assert "代表" in text  # the category band
    assert "中国香港" in text  # Hong Kong, China, by its Chinese name
    assert any("CJK" in font for font in fonts), fonts


def test_the_attendance_summary_pdf_in_chinese_prints_in_a_cjk_font(app, client, demo):
    _log_in(client, "organizer@example.org")
    response = client.get(f"/events/{demo.slug}/reports/attendance.pdf", headers=CHINESE)
    assert response.status_code == 200
    text, fonts = _pdf(response.data)
    assert "出席情况汇总" in text and "按经济体" in text and "合计" in text
    assert "中国香港" in text
    assert "第 1 页，共" in text  # the page footer
    assert any("CJK" in font for font in fonts), fonts


# --- CSV and XLSX --------------------------------------------------------------------------------------

def test_the_attendance_csv_in_chinese_is_utf8_with_bom_under_chinese_headers(app, client, demo):
    _log_in(client, "organizer@example.org")
    data = client.get(f"/events/{demo.slug}/reports/attendance.csv", headers=CHINESE).data
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["汇总"] and rows[1] == ["指标", "数值"]
    by_economy = rows.index(["按经济体"])
    assert rows[by_economy + 1][:2] == ["经济体", "代码"] and "出席" in rows[by_economy + 1]
    assert any(row and row[0] == "中国香港" for row in rows)

    english = list(csv.reader(io.StringIO(
        client.get(f"/events/{demo.slug}/reports/attendance.csv", headers=ENGLISH).data.decode("utf-8-sig"))))
    assert english[0] == ["Summary"] and english[1] == ["Figure", "Value"]
    assert ["By economy"] in english and any(row and row[0] == "Hong Kong, China" for row in english)


def test_the_attendance_xlsx_in_chinese_has_chinese_sheets_and_headers(app, client, demo):
    from openpyxl import load_workbook

    _log_in(client, "organizer@example.org")
    book = load_workbook(io.BytesIO(client.get(f"/events/{demo.slug}/reports/attendance.xlsx",
                                               headers=CHINESE).data))
    assert book.sheetnames[:3] == ["汇总", "按经济体", "按性别"]
    header = [c.value for c in book["按经济体"][1]]
    assert header[:2] == ["经济体", "代码"] and "出席" in header
    assert "中国香港" in [c.value for c in book["按经济体"]["A"]]

    english = load_workbook(io.BytesIO(client.get(f"/events/{demo.slug}/reports/attendance.xlsx",
                                                  headers=ENGLISH).data))
    assert english.sheetnames[:3] == ["Summary", "By economy", "By sex"]
    assert [c.value for c in english["By economy"][1]][:2] == ["Economy", "Code"]


def test_a_session_list_csv_in_chinese_has_chinese_headers(app, client, demo):
    session_id = db.session.execute(sa.text(
        "SELECT id FROM sessions WHERE event_id = :e AND kind NOT IN ('break', 'meal') ORDER BY starts_at LIMIT 1"),
        {"e": demo.id}).scalar()
    _log_in(client, "organizer@example.org")
    data = client.get(f"/events/{demo.slug}/reports/sessions/{session_id}.csv", headers=CHINESE).data
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["出席情况"] and rows[1][:3] == ["名", "姓", "本地文字姓名"]
    assert rows[1][8] == f"已签到 ({demo.timezone})"


def test_the_walk_in_form_in_chinese_says_what_is_missing_next_to_each_field(app, client, demo):
    _log_in(client, "organizer@example.org")
    form = client.get(f"/events/{demo.slug}/checkin/walk-in", headers=CHINESE).get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form)
    response = client.post(f"/events/{demo.slug}/checkin/walk-in", headers=CHINESE, data={
        "csrf_token": token.group(1) if token else "", "given_name": "", "family_name": "陈", "email": "不是邮箱",
        "economy": "0", "scope": f"day-{demo.start_date.isoformat()}"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "请输入名。" in page and "请选择经济体。" in page and "请输入有效的电子邮件地址" in page
    assert "请按本人所述选择一项" in page  # sex: asked, never guessed
    assert "中国香港" in form  # the economy list in Chinese
