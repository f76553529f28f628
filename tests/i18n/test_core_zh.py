"""Accounts, event set-up, error pages and their e-mails in Chinese: errors next to the field in
Chinese, e-mails in the recipient's language whoever asks for them, and the organizers' Chinese
content shown to Chinese readers only."""

from __future__ import annotations

import re

import sqlalchemy as sa

from eventhub.events.models import Event, Room
from eventhub.extensions import db
from tests.events.test_create_edit import errors_by_field, valid_form

CHINESE = {"Accept-Language": "zh-CN,zh;q=0.9"}
ENGLISH = {"Accept-Language": "en-GB,en;q=0.8"}


def test_a_wrong_password_is_refused_in_chinese_next_to_the_field(client, make):
    user = make.user("li.wei@example.org")
    response = client.post("/login", data={"email": user.email, "password": "not the password"}, headers=CHINESE)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert errors_by_field(page)["password"] == "电子邮箱或密码不正确。"
    assert "请更正标出的字段" in page and '<label for="password">密码' in page
    english = client.post("/login", data={"email": user.email, "password": "not the password"}, headers=ENGLISH)
    assert errors_by_field(english.get_data(as_text=True))["password"] == "The e-mail or the password is not right."


def test_an_empty_login_form_says_what_is_missing_in_chinese(client):
    page = client.post("/login", data={"email": "", "password": ""}, headers=CHINESE).get_data(as_text=True)
    errors = errors_by_field(page)
    assert errors["email"] == "请输入您账户的电子邮件地址。" and errors["password"] == "请输入密码。"


def test_the_404_page_in_chinese(client):
    response = client.get("/no/such/page", headers=CHINESE)
    page = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "<h1>页面不存在</h1>" in page and "此地址没有内容。请检查链接或返回上一页。" in page
    assert "前往活动列表" in page and '<html lang="zh-Hans">' in page
    assert "Page not found" in client.get("/no/such/page", headers=ENGLISH).get_data(as_text=True)


def test_the_403_page_in_chinese(client, make, login_as):
    event = make.event()
    login_as(make.user("outsider@example.org"))
    response = client.get(f"/events/{event.slug}/manage", headers=CHINESE)
    page = response.get_data(as_text=True)
    assert response.status_code == 403
    assert "<h1>不允许</h1>" in page and "您无权查看或执行此操作。" in page


def test_a_page_that_needs_a_log_in_asks_for_it_in_chinese(client):
    response = client.get("/my/events", headers=CHINESE, follow_redirects=True)
    assert "请登录后查看此页面。" in response.get_data(as_text=True)


def test_the_reset_email_is_in_the_account_holders_language_not_the_browsers(client, make, mailbox):
    chinese = make.user("zhang@example.org", name="张伟")
    chinese.language = "zh_Hans"
    english = make.user("smith@example.org", name="Jo Smith")
    db.session.commit()

    client.post("/password/forgot", data={"email": chinese.email}, headers=ENGLISH)
    client.post("/password/forgot", data={"email": english.email}, headers=CHINESE)

    [to_chinese] = mailbox.to(chinese.email)
    assert to_chinese.subject == "重置您的 EventHub 密码"
    text = to_chinese.text()
    assert "张伟，您好：" in text and "请在此设置新密码：" in text and "有效期 60 分钟" in text
    assert "Choose a new password" not in text
    [to_english] = mailbox.to(english.email)
    assert to_english.subject == "Reset your EventHub password"
    assert "Hello Jo Smith," in to_english.text() and "您好" not in to_english.text()


def test_a_new_staff_members_welcome_is_in_the_events_default_language(client, make, login_as, mailbox):
    event = make.event(title="Cluster workshop", title_zh="产业集群研讨会", default_language="zh_Hans")
    login_as(make.staff(event, "organizer", "org@example.org"))
    response = client.post(f"/events/{event.slug}/manage/staff", data={"email": "volunteer@example.org",
                                                                        "role": "checkin"}, headers=ENGLISH)
    assert response.status_code == 302
    [welcome] = mailbox.to("volunteer@example.org")
    assert welcome.subject == "您用于“产业集群研讨会”的 EventHub 账户"
    assert "org@example.org 已将您设为以下活动的签到工作人员：" in welcome.text()
    assert "  产业集群研讨会\n" in welcome.text() and "请在此设置密码：" in welcome.text()
    # The organizer's page stays in the organizer's language.
    page = client.get(f"/events/{event.slug}/manage/staff", headers=ENGLISH).get_data(as_text=True)
    assert "volunteer@example.org is now check-in staff." in page


def test_a_weak_password_is_refused_in_chinese(client, make, mailbox):
    user = make.user("wang@example.org")
    user.language = "zh_Hans"
    db.session.commit()
    client.post("/password/forgot", data={"email": user.email})
    link = re.search(r"https?://[^/\s]+(/password/reset/\S+)", mailbox.to(user.email)[0].text()).group(1)
    page = client.post(link, data={"password": "password123", "confirm": "password123"},
                       headers=CHINESE).get_data(as_text=True)
    assert errors_by_field(page)["password"].startswith("此密码容易被猜到。")
    short = client.post(link, data={"password": "abc", "confirm": "abc"}, headers=CHINESE).get_data(as_text=True)
    assert "请使用 10 至 200 个字符。" in errors_by_field(short)["password"]


def test_the_event_form_saves_the_chinese_title_shown_to_chinese_readers_only(client, make, login_as):
    login_as(make.staff(make.event(slug="existing"), "organizer", "org@example.org"))
    form = valid_form(status="published", title_zh="中小企业数字化研讨会", description_zh="为期两天。\n\n实地考察。",
                      default_language="zh_Hans")
    assert client.post("/events/new", data=form, headers=CHINESE).status_code == 302
    event = db.session.scalar(sa.select(Event).where(Event.slug == "sme-digital-2026"))
    assert (event.title_zh, event.default_language) == ("中小企业数字化研讨会", "zh_Hans")

    chinese = client.get("/events/sme-digital-2026/", headers=CHINESE).get_data(as_text=True)
    assert "<h1>中小企业数字化研讨会</h1>" in chinese and "<p>实地考察。</p>" in chinese
    assert "SME Digitalisation Workshop" not in chinese.split("<main", 1)[1].split("event-nav")[0]
    english = client.get("/events/sme-digital-2026/", headers=ENGLISH).get_data(as_text=True)
    assert "<h1>SME Digitalisation Workshop</h1>" in english and "中小企业数字化研讨会" not in english
    listing = client.get("/", headers=CHINESE).get_data(as_text=True)
    assert ">中小企业数字化研讨会</a>" in listing

    edit = client.get("/events/sme-digital-2026/manage/details", headers=CHINESE).get_data(as_text=True)
    assert 'value="中小企业数字化研讨会"' in edit and "<legend>语言</legend>" in edit
    assert '<option selected value="zh_Hans">' in edit


def test_the_event_form_in_chinese_puts_chinese_errors_next_to_the_fields(client, make, login_as):
    login_as(make.staff(make.event(slug="existing"), "organizer", "org@example.org"))
    page = client.post("/events/new", data=valid_form(title="", timezone="Mars/Olympus", end_date="2026-05-01",
                                                      default_language="xx"),
                       headers=CHINESE).get_data(as_text=True)
    errors = errors_by_field(page)
    assert errors["title"] == "请填写活动标题。"
    assert "无法识别时区“Mars/Olympus”" in errors["timezone"]
    assert errors["end_date"] == "活动的结束日期不能早于开始日期。"
    assert "default_language" in errors


def test_the_room_form_saves_the_chinese_name_shown_to_chinese_readers(client, make, login_as):
    event = make.event()
    login_as(make.staff(event, "organizer", "org@example.org"))
    response = client.post(f"/events/{event.slug}/manage/rooms", data={
        "name": "Guangdong Shifei Cosmetics Co., Ltd.", "name_zh": "广东诗妃化妆品有限公司", "kind": "offsite",
        "address": "Guangzhou", "capacity": "30"}, headers=CHINESE, follow_redirects=True)
    assert "已添加“广东诗妃化妆品有限公司”。" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(Room.name_zh).where(Room.event_id == event.id)) == "广东诗妃化妆品有限公司"
    chinese = client.get(f"/events/{event.slug}/", headers=CHINESE).get_data(as_text=True)
    assert "<h2 class=\"h3\">实地考察</h2>" in chinese and "<li>广东诗妃化妆品有限公司" in chinese
    english = client.get(f"/events/{event.slug}/", headers=ENGLISH).get_data(as_text=True)
    assert "<li>Guangdong Shifei Cosmetics Co., Ltd." in english and "广东诗妃" not in english


def test_the_dashboard_counts_in_chinese(client, make, login_as):
    event = make.event(published=False)
    login_as(make.staff(event, "organizer", "org@example.org"))
    make.room(event, "Hall A")
    page = client.get(f"/events/{event.slug}/manage", headers=CHINESE).get_data(as_text=True)
    assert "待处理事项" in page and "尚未邀请任何经济体。" in page and "个会议室" in page
    assert "默认每个经济体 5 个名额" in page and "发布活动" in page
    assert "主办方 1 人，秘书处 0 人，签到 0 人" in page
    english = client.get(f"/events/{event.slug}/manage", headers=ENGLISH).get_data(as_text=True)
    assert "5 places per economy by default" in english and "1 organizer, 0 secretariat, 0 check-in" in english
