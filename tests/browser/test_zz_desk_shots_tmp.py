from datetime import date

import pytest

from eventhub.extensions import db
from tests.attendance.conftest import badge_token
from tests.browser.conftest import browser_login
from tests.conftest import PASSWORD

OUT = "/tmp/desk-shots"


@pytest.mark.parametrize("locale", ["en-GB", "zh-CN"])
@pytest.mark.parametrize("width", [375, 1280])
def test_shots(browser, live_server, make, locale, width):
    event = make.event(slug="shots", title="SME Cluster Workshop", start=date(2030, 6, 27), days=1)
    prc = make.delegation(event, "PRC", quota=10)
    tha = make.delegation(event, "THA", quota=10)
    chen = make.registration(event, prc, given_name="Wei", family_name="Chen", name_local="陈伟", category="speaker",
                             consent_photo=False)
    make.registration(event, tha, given_name="Somchai", family_name="Jaidee", name_local="สมชาย ใจดี")
    make.registration(event, tha, given_name="Siriporn", family_name="Chaiyaporn")
    make.staff(event, "secretariat", "desk@example.org")
    db.session.commit()
    context = browser.new_context(viewport={"width": width, "height": 800 if width > 400 else 740}, locale=locale,
                                  is_mobile=width < 400, has_touch=width < 400)
    page = context.new_page()
    page.set_default_timeout(10_000)
    tag = f"{locale}-{width}"
    page.goto(f"{live_server}/events/shots/desk/")
    page.screenshot(path=f"{OUT}/{tag}-0-anon.png")
    browser_login(page, live_server, "desk@example.org", PASSWORD)
    page.goto(f"{live_server}/events/shots/desk/")
    page.screenshot(path=f"{OUT}/{tag}-1-setup.png", full_page=True)
    page.click("#setup-form button[type=submit]")
    page.locator("#event-title", has_text="SME").wait_for()
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    page.fill("#code", badge_token(chen))
    page.press("#code", "Enter")
    page.locator("#result:not([hidden])").wait_for()
    page.wait_for_timeout(300)
    page.screenshot(path=f"{OUT}/{tag}-2-result.png")
    page.click("#result-close")
    context.set_offline(True)
    page.fill("#search", "chai")
    page.wait_for_timeout(300)
    page.screenshot(path=f"{OUT}/{tag}-3-offline-search.png", full_page=True)
    page.locator("#search-results li button").first.click()
    page.locator("#result:not([hidden])").wait_for()
    page.click("#result-close")
    page.click("#walk-in-open")
    page.click("#walk-in-form button[type=submit]")
    page.wait_for_timeout(200)
    page.screenshot(path=f"{OUT}/{tag}-4-walk-in-errors.png", full_page=True)
    page.click("#walk-in-cancel")
    page.click("#clear-open")
    page.evaluate("() => { window.EventHubDesk.state.roster.generated_at = new Date(Date.now() - 14 * 3600e3).toISOString(); }")
    page.fill("#search", "")
    page.dispatch_event("#search", "input")
    page.wait_for_timeout(4500)
    page.screenshot(path=f"{OUT}/{tag}-5-stale-clear.png", full_page=True)
    context.close()
