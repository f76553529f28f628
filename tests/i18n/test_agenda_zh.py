"""The agenda, bookings and calendars in Chinese: what a Chinese-speaking delegate sees, receives and
subscribes to, while English readers keep the English they had."""

from __future__ import annotations

from datetime import date, timedelta

from eventhub.db import utcnow
from eventhub.extensions import db

CHINESE = {"Accept-Language": "zh-CN,zh;q=0.9"}
ENGLISH = {"Accept-Language": "en-GB,en;q=0.9"}


def _event(make, **kw):
    return make.event(slug="gz", start=date(2025, 6, 28), days=2, **kw)


def test_the_chinese_agenda_has_chinese_day_headings_and_titles_where_given(client, make):
    event = _event(make)
    make.session(event, title="Opening remarks", title_zh="开幕致辞", kind="opening")
    make.session(event, title="Roundtable: biomedicine", kind="roundtable", day=1)

    page = client.get("/events/gz/agenda", headers=CHINESE).get_data(as_text=True)
    assert "2025年6月28日 星期六" in page and "2025年6月29日 星期日" in page
    assert "开幕致辞" in page and "Opening remarks" not in page
    assert "Roundtable: biomedicine" in page  # no Chinese title given: the English one
    assert "开幕式" in page and "圆桌会议" in page  # the kinds


def test_english_and_chinese_readers_never_get_each_others_cached_agenda(client, make):
    event = _event(make)
    make.session(event, title="Opening remarks", title_zh="开幕致辞", kind="opening")

    chinese = client.get("/events/gz/agenda", headers=CHINESE).get_data(as_text=True)
    english = client.get("/events/gz/agenda", headers=ENGLISH).get_data(as_text=True)
    again = client.get("/events/gz/agenda", headers=CHINESE).get_data(as_text=True)

    assert "Saturday 28 June 2025" in english and "Opening remarks" in english
    assert "开幕致辞" not in english and "星期六" not in english
    assert "开幕致辞" in again and "Saturday 28 June 2025" not in again
    assert "2025年6月28日 星期六" in chinese


def test_a_booking_refused_because_sign_up_closed_says_so_in_chinese(client, make, login_as):
    event = make.event(slug="gz")
    closed = (utcnow() - timedelta(days=1)).replace(second=0, microsecond=0)
    visit = make.session(event, kind="site_visit", title="Shifei tour", title_zh="石飞考察", bookable=True,
                         capacity=5, signup_closes_at=closed)
    user = make.user()
    reg = make.registration(event, user=user)
    login_as(user)

    page = client.post(f"/events/gz/sessions/{visit.id}/book", data={"registration_id": reg.id},
                       headers=CHINESE, follow_redirects=True).get_data(as_text=True)
    assert "“石飞考察”的报名已于" in page and "截止" in page
    assert "Sign-up for" not in page


def test_a_chinese_speaking_delegates_personal_feed_has_chinese_summaries(client, make):
    event = make.event(slug="gz")
    make.session(event, title="Opening remarks", title_zh="开幕致辞", kind="opening", for_everyone=True)
    make.session(event, title="Networking lunch", kind="meal", for_everyone=True, start="12:00", end="13:00")
    chinese = make.registration(event, language="zh_Hans")
    english = make.registration(event)

    feed = client.get(f"/calendar/{chinese.calendar_token}.ics").get_data(as_text=True)
    assert "SUMMARY:开幕致辞" in feed
    assert "SUMMARY:Networking lunch" in feed  # no Chinese title: the English one
    assert "CATEGORIES:开幕式" in feed

    theirs = client.get(f"/calendar/{english.calendar_token}.ics").get_data(as_text=True)
    assert "SUMMARY:Opening remarks" in theirs and "开幕致辞" not in theirs


def test_public_feeds_take_a_language_and_an_unknown_one_falls_back(client, make):
    event = make.event(slug="gz")
    make.session(event, title="Opening remarks", title_zh="开幕致辞", kind="opening")

    english = client.get("/events/gz/agenda.ics")
    chinese = client.get("/events/gz/agenda.ics?lang=zh_Hans")
    unknown = client.get("/events/gz/agenda.ics?lang=xx")
    assert english.status_code == chinese.status_code == unknown.status_code == 200
    assert "SUMMARY:Opening remarks" in english.get_data(as_text=True)
    assert "SUMMARY:开幕致辞" in chinese.get_data(as_text=True)
    assert "SUMMARY:Opening remarks" in unknown.get_data(as_text=True)
    # Each language has its own ETag; a client holding the Chinese copy is answered 304 in Chinese only.
    assert english.headers["ETag"] != chinese.headers["ETag"]
    assert client.get("/events/gz/agenda.ics?lang=zh_Hans",
                      headers={"If-None-Match": chinese.headers["ETag"]}).status_code == 304
    assert client.get("/events/gz/agenda.ics", headers={"If-None-Match": chinese.headers["ETag"]}).status_code == 200


def test_public_feeds_follow_the_events_default_language(client, make):
    event = make.event(slug="gz", default_language="zh_Hans")
    make.session(event, title="Opening remarks", title_zh="开幕致辞", kind="opening")
    assert "SUMMARY:开幕致辞" in client.get("/events/gz/agenda.ics").get_data(as_text=True)
    assert "SUMMARY:Opening remarks" in client.get("/events/gz/agenda.ics?lang=en").get_data(as_text=True)


def test_a_seat_booked_by_an_english_speaking_focal_point_is_confirmed_in_chinese(make, mailbox):
    from eventhub.signups import services

    event = make.event(slug="gz")
    visit = make.session(event, kind="site_visit", title="Shifei tour", title_zh="石飞考察", bookable=True,
                         capacity=5)
    reg = make.registration(event, language="zh_Hans", given_name="伟", family_name="张")
    services.book(db.session, visit.id, reg.id)
    db.session.commit()

    [mail] = mailbox.to(reg.email)
    assert "您的座位：石飞考察" in mail.subject
    text = mail.text()
    assert "您已在以下场次获得座位" in text and "石飞考察" in text
    assert "You have a seat" not in text
    [invitation] = mail.parts("text/calendar")
    assert "SUMMARY:石飞考察" in invitation.get_content()


def test_the_organizer_gives_a_session_and_its_host_chinese_names_in_the_editor(client, make, login_as):
    from eventhub.agenda.models import Session

    event = _event(make)
    login_as(make.staff(event, "organizer"))
    form = client.get("/events/gz/agenda/sessions/new?kind=site_visit", headers=CHINESE).get_data(as_text=True)
    assert "中文标题" in form and "中文简介" in form and "接待单位中文名称" in form

    response = client.post("/events/gz/agenda/sessions/new", headers=CHINESE, data={
        "kind": "site_visit", "title": "Visit: Shifei Biotech", "title_zh": "考察：石飞生物",
        "description": "A morning at the plant.", "description_zh": "上午参观工厂。",
        "day": "2025-06-28", "start_time": "09:30", "end_time": "11:30", "room_id": "0", "location": "Huangpu",
        "signup_mode": "first_come", "host_name": "Shifei Biotech", "host_name_zh": "石飞生物科技",
    })
    assert response.status_code == 302
    saved = db.session.query(Session).one()
    assert (saved.title_zh, saved.description_zh, saved.site_visit.host_name_zh) == (
        "考察：石飞生物", "上午参观工厂。", "石飞生物科技")

    page = client.get(f"/events/gz/sessions/{saved.id}", headers=CHINESE).get_data(as_text=True)
    assert "考察：石飞生物" in page and "上午参观工厂。" in page and "石飞生物科技" in page
    english = client.get(f"/events/gz/sessions/{saved.id}", headers=ENGLISH).get_data(as_text=True)
    assert "Visit: Shifei Biotech" in english and "Shifei Biotech" in english and "石飞" not in english

    edit = client.get(f"/events/gz/agenda/sessions/{saved.id}/edit").get_data(as_text=True)
    assert 'value="考察：石飞生物"' in edit and 'value="石飞生物科技"' in edit


def test_a_session_editor_error_is_in_chinese_next_to_the_field(client, make, login_as):
    event = _event(make)
    login_as(make.staff(event, "organizer"))
    page = client.post("/events/gz/agenda/sessions/new", headers=CHINESE, data={
        "kind": "presentation", "title": "Talk", "day": "2025-06-28", "start_time": "9.30", "end_time": "10:00",
        "room_id": "0", "signup_mode": "first_come",
    }).get_data(as_text=True)
    assert "请按24小时制HH:MM格式输入时间" in page
