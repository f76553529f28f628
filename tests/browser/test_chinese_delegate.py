"""A delegate switches to 中文, registers through their economy's link with a mistake and sees the error
in Chinese next to the field, books a site visit, and opens their programme in Chinese on a phone."""

from __future__ import annotations

import re
from datetime import timedelta

import sqlalchemy as sa

from eventhub.db import utcnow
from eventhub.extensions import db
from tests.browser.conftest import SCREENSHOTS, browser_login
from tests.conftest import PASSWORD

HAN = re.compile(r"[\u4e00-\u9fff]")
ENGLISH_WORDS = re.compile(r"[A-Za-z]{3,} [A-Za-z]{3,}")


def test_a_delegate_uses_eventhub_in_chinese_from_registration_to_programme(page, live_server, make):
    from eventhub.registration.models import Registration, RegistrationStatus

    now = utcnow()
    event = make.event(title="SME Cluster Workshop", registration_opens_at=now - timedelta(days=1),
                       registration_closes_at=now + timedelta(days=30))
    event.title_zh = "中小企业产业集群研讨会"
    thailand = make.delegation(event, "THA", quota=4)
    visit = make.session(event, kind="site_visit", title="Site visit: Guangzhou Seye Biopharmaceutical",
                         bookable=True, capacity=10, start="14:00", end="16:30")
    visit.title_zh = "实地考察：广州赛野生物制药"
    db.session.commit()

    page.goto(f"{live_server}/r/{thailand.invite_token}")
    page.get_by_role("button", name=re.compile("中文")).click()
    page.wait_for_load_state()
    assert page.get_attribute("html", "lang") == "zh-Hans"
    assert HAN.search(page.locator("h1").inner_text())
    assert "泰国" in page.locator("h1").inner_text()  # the economy's Chinese name

    page.fill("#given_name", "Somchai")
    page.fill("#family_name", "Jaidee")
    page.fill("#name_local", "สมชาย ใจดี")
    page.fill("#email", "somchai.example.org")  # the mistake
    page.fill("#organisation", "泰国中小企业促进办公室")
    page.check("input[name=sex][value=male]")
    page.check("#consent_list")
    page.check("#privacy")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()
    error = page.locator("#email-error").inner_text()
    assert HAN.search(error) and not ENGLISH_WORDS.search(error), error
    assert page.input_value("#name_local") == "สมชาย ใจดี"

    page.fill("#email", "somchai@example.org")
    if not page.is_checked("#privacy"):
        page.check("#privacy")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()
    assert HAN.search(page.locator("h1").inner_text())
    assert "已提交" in page.locator("main").inner_text()  # submitted
    assert not ENGLISH_WORDS.search(page.locator("main").inner_text().replace("Somchai Jaidee", ""))

    # The secretariat approves; the delegate sets the password of the account the registration made
    # (the link in the confirmation e-mail).
    db.session.rollback()  # see what the server committed
    registration = db.session.scalar(sa.select(Registration).where(Registration.email == "somchai@example.org"))
    assert registration.language == "zh_Hans"  # the language they registered in
    registration.status = RegistrationStatus.APPROVED
    registration.user.set_password(PASSWORD)
    db.session.commit()

    browser_login(page, live_server, "somchai@example.org", PASSWORD)
    assert page.get_attribute("html", "lang") == "zh-Hans"  # the switcher's choice is remembered
    page.goto(f"{live_server}/events/{event.slug}/sessions/{visit.id}")
    assert "实地考察：广州赛野生物制药" in page.locator("h1").inner_text()
    page.locator(".booking-panel button[type=submit]").first.click()
    page.wait_for_load_state()
    flash = page.locator(".flashes").inner_text()
    assert HAN.search(flash) and not ENGLISH_WORDS.search(flash), flash

    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(f"{live_server}/events/{event.slug}/programme")
    main = page.locator("main").inner_text()
    assert "实地考察：广州赛野生物制药" in main
    assert re.search(r"\d{4}年\d{1,2}月\d{1,2}日 星期.", main), main[:400]
    assert "14:00" in main
    # Nothing overflows the phone's width.
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 375
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "programme-zh-375.png"), full_page=True)
