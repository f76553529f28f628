"""Which language a person sees: the same pages in Chinese by the browser's Accept-Language, by the
switcher (its cookie), by a saved preference (which wins), by the event's default language; codes we
do not offer fall back cleanly. CSRF is on here, as in a browser: the switcher and the forms post
their token."""

from __future__ import annotations

import re

import pytest

from eventhub.extensions import db
from tests.conftest import PASSWORD

ENGLISH_HOME = "Workshops and meetings"
CHINESE_HOME = "研讨会与会议"
UNKNOWN_CODES = ["xx", "zh-TW", "%%$#@!;", "x" * 300, "zh-Hant", "", "12-34", "zh_"]


@pytest.fixture
def app_config(app_config):
    app_config["WTF_CSRF_ENABLED"] = True
    return app_config


def html_lang(page: str) -> str:
    return re.search(r'<html lang="([^"]+)"', page).group(1)


def token(page: str) -> str:
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)


def switcher(page: str) -> str:
    return re.search(r'<form method="post" action="/language".*?</form>', page, re.S).group(0)


def switch(client, page_path: str, lang: str, **headers):
    """Press a language button on `page_path`, as a browser does (its token and its `next`)."""
    page = client.get(page_path, headers=headers).get_data(as_text=True)
    form = switcher(page)
    back = re.search(r'name="next" value="([^"]*)"', form).group(1).replace("&amp;", "&")
    return client.post("/language", data={"csrf_token": token(form), "next": back, "lang": lang}, headers=headers)


def log_in(client, user):
    page = client.get("/login").get_data(as_text=True)
    response = client.post("/login", data={"csrf_token": token(page), "email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return response


@pytest.mark.parametrize("header", ["zh-CN", "zh-Hans", "zh", "zh-CN,zh;q=0.9,en;q=0.5", "fr, zh-Hans-SG;q=0.8"])
def test_the_browser_asking_for_chinese_gets_the_page_in_chinese(client, make, header):
    make.event(title="Cluster workshop")
    page = client.get("/", headers={"Accept-Language": header}).get_data(as_text=True)
    assert html_lang(page) == "zh-Hans"
    assert CHINESE_HOME in page and ENGLISH_HOME not in page


def test_without_a_wish_the_page_is_english_and_unchanged(client, make):
    make.event(title="Cluster workshop")
    for headers in ({}, {"Accept-Language": "en-GB,en;q=0.9"}, {"Accept-Language": "fr, de"}):
        page = client.get("/", headers=headers).get_data(as_text=True)
        assert html_lang(page) == "en"
        assert ENGLISH_HOME in page and CHINESE_HOME not in page


def test_the_switcher_remembers_chinese_and_keeps_you_on_the_page_you_were_on(client, make):
    event = make.event(title="Cluster workshop")
    here = f"/events/{event.slug}/?from=mail&x=1"
    response = switch(client, here, "zh_Hans")
    assert response.status_code == 303
    assert response.headers["Location"] == here
    assert "lang=zh_Hans" in response.headers["Set-Cookie"]
    # Every page now, the English browser notwithstanding.
    for path in (here, "/", "/login"):
        page = client.get(path, headers={"Accept-Language": "en"}).get_data(as_text=True)
        assert html_lang(page) == "zh-Hans", path
    back = switch(client, "/", "en")
    assert back.headers["Location"] == "/"
    assert ENGLISH_HOME in client.get("/", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)",
                                    "evil.example"])
def test_the_switcher_never_sends_you_to_another_site(client, target):
    page = client.get("/").get_data(as_text=True)
    response = client.post("/language", data={"csrf_token": token(switcher(page)), "next": target, "lang": "zh_Hans"})
    assert response.status_code == 303
    assert response.headers["Location"] == "/"


def test_the_switcher_without_its_token_is_refused(client):
    response = client.post("/language", data={"next": "/", "lang": "zh_Hans"})
    assert response.status_code == 400
    assert "lang=" not in response.headers.get("Set-Cookie", "")


def test_a_saved_preference_wins_over_the_header_and_the_cookie(client, make):
    user = make.user("li@example.org")
    user.language = "zh_Hans"
    db.session.commit()
    log_in(client, user)
    client.set_cookie("lang", "en")
    page = client.get("/my/events", headers={"Accept-Language": "en-GB"}).get_data(as_text=True)
    assert html_lang(page) == "zh-Hans" and "我的活动" in page

    user.language = "en"
    db.session.commit()
    client.set_cookie("lang", "zh_Hans")
    page = client.get("/my/events", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert html_lang(page) == "en" and "My events" in page


def test_the_switcher_saves_the_choice_on_the_account_of_whoever_is_logged_in(client, make):
    user = make.user("tan@example.org")
    log_in(client, user)
    switch(client, "/my/events", "zh_Hans")
    db.session.refresh(user)
    assert user.language == "zh_Hans"
    client.delete_cookie("lang")  # another browser: the account remembers
    assert "我的活动" in client.get("/my/events").get_data(as_text=True)


def test_the_account_page_sets_the_language_each_named_in_itself(client, make):
    user = make.user("wong@example.org")
    log_in(client, user)
    page = client.get("/account").get_data(as_text=True)
    assert '<label for="language">Language' in page
    assert '<option value="en" lang="en" selected>English</option>' in page
    assert '<option value="zh_Hans" lang="zh-Hans">中文' in page
    response = client.post("/account", data={"csrf_token": token(page), "language": "zh_Hans"})
    assert response.status_code == 303
    db.session.refresh(user)
    assert user.language == "zh_Hans"
    page = client.get("/account", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert html_lang(page) == "zh-Hans" and "您的设置已保存。" in page and "语言" in page


@pytest.mark.parametrize("code", UNKNOWN_CODES, ids=lambda c: c[:12] or "empty")
def test_the_account_page_refuses_a_language_not_offered_next_to_the_field(client, make, code):
    user = make.user()
    log_in(client, user)
    page = client.get("/account").get_data(as_text=True)
    response = client.post("/account", data={"csrf_token": token(page), "language": code})
    assert response.status_code == 200
    assert 'id="language-error"' in response.get_data(as_text=True)
    db.session.refresh(user)
    assert user.language is None


def test_the_event_default_language_serves_readers_whose_browser_names_nothing_offered(client, make):
    event = make.event(title="Cluster workshop", title_zh="产业集群研讨会", default_language="zh_Hans")
    for headers in ({}, {"Accept-Language": "fr, th;q=0.5"}):
        page = client.get(f"/events/{event.slug}/", headers=headers).get_data(as_text=True)
        assert html_lang(page) == "zh-Hans"
        assert "<h1>产业集群研讨会</h1>" in page
    english = client.get(f"/events/{event.slug}/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert html_lang(english) == "en" and "<h1>Cluster workshop</h1>" in english
    # Pages of no event keep English.
    assert ENGLISH_HOME in client.get("/", headers={"Accept-Language": "fr"}).get_data(as_text=True)


@pytest.mark.parametrize("code", UNKNOWN_CODES, ids=lambda c: c[:12] or "empty")
def test_codes_not_offered_fall_back_cleanly_wherever_they_come_from(client, make, code):
    event = make.event(title="Cluster workshop")
    path = f"/events/{event.slug}/"
    # The header and the cookie.
    client.set_cookie("lang", code)
    page = client.get(path, headers={"Accept-Language": code})
    assert page.status_code == 200 and html_lang(page.get_data(as_text=True)) == "en"
    # The switcher's form: the page again, in the language it was in, and no cookie.
    client.delete_cookie("lang")
    response = switch(client, path, code)
    assert response.status_code == 303 and response.headers["Location"] == path
    assert "lang=" not in response.headers.get("Set-Cookie", "")
    # A saved preference (an old value, or one written by hand).
    user = make.user()
    user.language = code[:16]
    db.session.commit()
    log_in(client, user)
    page = client.get("/my/events", headers={"Accept-Language": "zh-CN"})
    assert page.status_code == 200 and html_lang(page.get_data(as_text=True)) == "zh-Hans"  # the header, next


def test_a_regional_english_is_english(client, make):
    event = make.event()
    page = client.get(f"/events/{event.slug}/", headers={"Accept-Language": "en-US, zh;q=0.5"})
    assert html_lang(page.get_data(as_text=True)) == "en"
    response = switch(client, "/", "en-US")
    assert "lang=en;" in response.headers["Set-Cookie"]


@pytest.mark.parametrize("path", ["/", "/login", "/password/forgot", "/events/{slug}/", "/no/such/page"])
def test_the_switcher_is_on_every_page_a_form_of_buttons_marking_the_current_language(client, make, path):
    event = make.event()
    for headers, current in (({}, "en"), ({"Accept-Language": "zh-CN"}, "zh_Hans")):
        page = client.get(path.format(slug=event.slug), headers=headers).get_data(as_text=True)
        form = switcher(page)
        buttons = re.findall(r"<button[^>]*>[^<]*</button>", form)
        assert len(buttons) >= 2
        assert all('name="lang"' in b and "<a " not in b for b in buttons)  # buttons: Tab and Enter work
        marked = [b for b in buttons if 'aria-current="true"' in b]
        assert len(marked) == 1 and f'value="{current}"' in marked[0]
        assert '>English</button>' in form and 'lang="zh-Hans"' in form


def test_the_switcher_on_a_page_with_a_query_string_keeps_it(client, make):
    page = client.get("/?page=2").get_data(as_text=True)
    assert 'name="next" value="/?page=2"' in switcher(page)
