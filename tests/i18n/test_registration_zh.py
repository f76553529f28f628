"""Registration in Chinese: the forms, their errors, names in any script, the import template,
the economies in APEC order, and e-mails in the delegate's language whoever triggers them."""

from __future__ import annotations

import csv
import io
import re

import pytest
import sqlalchemy as sa

from eventhub.extensions import db
from eventhub.mail.delivery import deliver_due
from eventhub.registration.models import Registration
from tests.conftest import login
from tests.registration.conftest import form_data, make_world

CHINESE = {"Accept-Language": "zh-CN,zh;q=0.9"}
ENGLISH = {"Accept-Language": "en"}


@pytest.fixture
def world(make):
    return make_world(make)


def _error_of(page: str, field_id: str) -> str:
    """The text of the error shown next to a field (the <p class="error" id="<field>-error">)."""
    found = re.search(rf'<p class="error" id="{field_id}-error">(.*?)</p>', page, re.S)
    assert found, f"no error next to {field_id}"
    return found.group(1).strip()


def test_the_self_registration_form_in_chinese_has_chinese_labels(client, world):
    page = client.get(f"/r/{world.thailand.invite_token}", headers=CHINESE).get_data(as_text=True)
    assert '<html lang="zh-Hans"' in page
    for label in ("名", "姓", "单位", "电子邮件", "性别（用于统计报告）", "电子邮件语言", "隐私声明"):
        assert label in page
    assert "报名参加泰国代表团" in page  # the economy by its Chinese name
    assert "Given name" not in page and "Register for the" not in page
    # The language for e-mails is offered, the reader's language chosen unless they pick another.
    assert re.search(r'<option selected value="zh_Hans">中文[^<]*</option>', page)


def test_a_bad_email_is_refused_in_chinese_next_to_the_field(client, world):
    response = client.post(f"/r/{world.thailand.invite_token}", headers=CHINESE,
                           data=form_data(email="not-an-address", given_name="伟" * 121))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert _error_of(page, "email") == "请输入有效的电子邮件地址，例如 name@example.org。"
    # WTForms' own message (the length limit) comes from WTForms' Chinese catalog.
    length_error = _error_of(page, "given_name")
    assert re.search(r"[\u4e00-\u9fff]", length_error) and "120" in length_error, length_error
    assert "Field cannot be longer" not in length_error
    assert "请更正" in page or "error-summary" in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Registration)) == 0


def test_chinese_thai_and_khmer_names_register_and_keep_the_chosen_language(client, world):
    people = [("伟", "陈", "陈伟", "chen@example.cn", "zh_Hans"),
              ("สมชาย", "ใจดี", "สมชาย ใจดี", "somchai@example.th", "en"),
              ("សុខា", "ចាន់", "ចាន់ សុខា", "sokha@example.kh", "zh_Hans")]
    for given, family, local, email, language in people:
        response = client.post(f"/r/{world.thailand.invite_token}", headers=CHINESE, data=form_data(
            given_name=given, family_name=family, name_local=local, email=email, language=language))
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]
        with client.session_transaction() as session:
            session.pop("registered", None)
    regs = {r.email: r for r in db.session.scalars(sa.select(Registration))}
    assert regs["chen@example.cn"].name_local == "陈伟" and regs["chen@example.cn"].language == "zh_Hans"
    assert regs["somchai@example.th"].given_name == "สมชาย" and regs["somchai@example.th"].language == "en"
    assert regs["sokha@example.kh"].name_local == "ចាន់ សុខា"


def test_a_language_not_offered_is_refused_next_to_the_field(client, world):
    response = client.post(f"/r/{world.thailand.invite_token}", headers=ENGLISH,
                           data=form_data(language="xx_YY"))
    assert response.status_code == 422
    assert _error_of(response.get_data(as_text=True), "language")


def test_the_done_page_speaks_the_delegates_saved_language(client, world):
    response = client.post(f"/r/{world.thailand.invite_token}", headers=ENGLISH,
                           data=form_data(language="zh_Hans"))
    assert response.status_code == 302
    page = client.get(response.headers["Location"], headers=ENGLISH).get_data(as_text=True)
    assert "已收到报名" in page or "您已报名成功" in page


def test_the_import_template_in_chinese_has_chinese_headers_and_imports_back(client, world):
    login(client, world.focal)
    data = client.get(f"/events/{world.event.slug}/registrations/import-template.csv",
                      headers=CHINESE).data
    header = next(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert header[:4] == ["电子邮件", "称谓", "名", "姓"]
    assert all(re.search(r"[\u4e00-\u9fff]", title) for title in header)
    # The Chinese template, filled in, is read back by its Chinese headers.
    response = client.post(
        f"/events/{world.event.slug}/delegations/{world.thailand.id}/import", headers=CHINESE,
        data={"file": (io.BytesIO(data), "template.csv"), "send_mail": "y"},
        content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page[:3000]
    assert "所有行均无误" in page and "预览：1 行" in page


def test_the_economy_select_lists_economies_in_apec_order_in_chinese(client, world):
    login(client, world.secretariat)
    page = client.get(f"/events/{world.event.slug}/registrations/new", headers=CHINESE).get_data(as_text=True)
    select = re.search(r'<select[^>]*id="economy"[^>]*>(.*?)</select>', page, re.S).group(1)
    names = re.findall(r"<option[^>]*>(.*?)</option>", select)
    assert names[1] == "澳大利亚"
    assert names.index("中华人民共和国") < names.index("中国香港")
    assert "Australia" not in names


def test_an_english_focal_point_nominates_a_chinese_delegate_who_gets_chinese_mail(client, world, mailbox):
    login(client, world.focal)
    page = client.get(f"/events/{world.event.slug}/delegations/{world.thailand.id}/nominate", headers=ENGLISH)
    assert "Register a delegate for Thailand" in page.get_data(as_text=True)
    response = client.post(
        f"/events/{world.event.slug}/delegations/{world.thailand.id}/nominate", headers=ENGLISH,
        data=form_data(email="wei.chen@example.cn", given_name="伟", family_name="陈", language="zh_Hans",
                       privacy=None))
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    flashed = client.get(response.headers["Location"], headers=ENGLISH).get_data(as_text=True)
    assert "is registered. We e-mailed wei.chen@example.cn" in flashed  # the focal point reads English
    deliver_due()
    [mail] = mailbox.to("wei.chen@example.cn")
    assert mail.subject == "请确认您的报名：SME Cluster Workshop"
    text = mail.text()
    assert "尊敬的" in text and "请检查并补全您的信息" in text and "所属代表团：泰国" in text
    assert "2027年" in text or "年" in text  # the dates in Chinese too
    assert "Please check and complete" not in text
    # The focal point's notice of the same nomination stays in English.
    [notice] = mailbox.to("focal.th@example.org")
    assert "was asked to confirm their registration" in notice.subject


def test_the_confirmation_page_follows_the_registrations_language(client, world):
    from eventhub.registration import services
    from tests.registration.conftest import details

    reg, _created = services.nominate(db.session, world.thailand, email="li@example.cn",
                                      details=details(language="zh_Hans"), actor=world.focal)
    db.session.commit()
    page = client.get(f"/confirm/{reg.confirm_token}", headers=ENGLISH).get_data(as_text=True)
    assert "确认您的报名" in page
    # A reader who chose English with the switcher keeps it.
    client.set_cookie("lang", "en")
    page = client.get(f"/confirm/{reg.confirm_token}", headers=ENGLISH).get_data(as_text=True)
    assert "Confirm your registration" in page


def test_the_history_of_a_registration_reads_in_chinese(client, world):
    from eventhub.registration import services
    from tests.registration.conftest import details

    reg, _created = services.nominate(db.session, world.thailand, email="li@example.cn", details=details(),
                                      actor=world.focal)
    services.update_details(db.session, reg, details=details(phone="+66 2 765 4321", position="Adviser"),
                            actor=world.focal, staff=True)
    db.session.commit()
    login(client, world.secretariat)
    page = client.get(f"/events/{world.event.slug}/registrations/{reg.id}", headers=CHINESE).get_data(as_text=True)
    history = page[page.index('<ol class="reg-history">'):]
    history = history[:history.index("</ol>")]
    assert "已代为报名" in history and "信息已修改" in history
    assert "电话" in history and "职务" in history  # the changed fields, named in Chinese
    assert "Details changed" not in history and "Phone" not in history
    # The history itself stays in English (stored text), whoever made the change.
    assert reg.log[-1].note == "Position, Phone"


def test_an_admin_edits_the_chinese_name_and_chinese_readers_see_it(client, make, world):
    admin = make.user("admin.zh@example.org", admin=True)
    login(client, admin)
    thailand = make.economy("THA")
    response = client.post(f"/admin/economies/{thailand.id}", headers=ENGLISH, data={
        "code": "THA", "name": "Thailand", "name_zh": "泰王国", "kind": "member", "sort_key": thailand.sort_key,
        "active": "y"})
    assert response.status_code == 302
    listing = client.get("/admin/economies/", headers=ENGLISH).get_data(as_text=True)
    assert "Name in Chinese" in listing and "泰王国" in listing
    page = client.get(f"/r/{world.thailand.invite_token}", headers=CHINESE).get_data(as_text=True)
    assert "报名参加泰王国代表团" in page
    form = client.get(f"/admin/economies/{thailand.id}", headers=CHINESE).get_data(as_text=True)
    assert "中文名称" in form
