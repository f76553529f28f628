"""The check-in desk in a real browser: search and check in, scan twice, undo, and see it counted."""

from __future__ import annotations

from datetime import date

from tests.attendance.conftest import badge_token
from tests.browser.conftest import browser_login
from tests.conftest import PASSWORD


def _event(make):
    event = make.event(slug="desk-test", title="SME Cluster Workshop", start=date(2030, 6, 27), days=1)
    prc = make.delegation(event, "PRC", quota=10)
    tha = make.delegation(event, "THA", quota=10)
    chen = make.registration(event, prc, given_name="Wei", family_name="Chen", name_local="陈伟", sex="female",
                             category="speaker")
    somchai = make.registration(event, tha, given_name="Somchai", family_name="Jaidee", name_local="สมชาย ใจดี",
                                sex="male")
    make.registration(event, tha, given_name="Malee", family_name="Suk", status="cancelled")
    make.staff(event, "secretariat", "sec@example.org")
    return event, chen, somchai


def test_search_check_in_scan_twice_undo_and_see_it_counted(page, live_server, make):
    event, chen, somchai = _event(make)
    token = badge_token(somchai)
    browser_login(page, live_server, "sec@example.org", PASSWORD)
    page.goto(f"{live_server}/events/{event.slug}/checkin")
    assert page.locator("h1").inner_text() == "Check-in desk"
    assert page.locator("#desk-count strong").inner_text() == "0"
    # The scan field has the focus, ready for a USB scanner.
    assert page.evaluate("document.activeElement.id") == "code"

    # Search by name (in Chinese) and check in with the button.
    page.fill("#q", "陈伟")
    page.click("button:has-text('Search')")
    card = page.locator(".search-results .person-card", has_text="CHEN")
    assert "People's Republic of China" in card.inner_text() and "Speaker / expert" in card.inner_text()
    card.locator("button:has-text('Check in')").click()
    page.wait_for_load_state()
    assert "Checked in: Wei CHEN" in page.locator(".flashes").inner_text()
    assert page.locator("#desk-count strong").inner_text() == "1"

    # A USB scanner types the badge's code and presses Enter: answered without a reload.
    page.fill("#code", token)
    page.press("#code", "Enter")
    answer = page.locator(".scan-answer")
    answer.wait_for()
    assert "Checked in" in answer.locator(".scan-answer-title").inner_text()
    assert "Somchai JAIDEE" in answer.inner_text() and "สมชาย ใจดี" in answer.inner_text()
    assert page.input_value("#code") == ""  # ready for the next badge
    assert page.evaluate("document.activeElement.id") == "code"
    assert page.locator("#desk-count strong").inner_text() == "2"

    # The same badge again: recorded once, with the time of the first scan.
    page.fill("#code", token)
    page.press("#code", "Enter")
    page.locator(".scan-answer-title", has_text="Already checked in").wait_for()
    assert "already checked in at" in page.locator(".scan-answer-message").inner_text()
    assert page.locator("#desk-count strong").inner_text() == "2"

    # A forged code is refused and records nothing.
    page.fill("#code", token[:-3] + "AAA")
    page.press("#code", "Enter")
    page.locator(".scan-answer-title", has_text="Refused").wait_for()
    assert "forged" in page.locator(".scan-answer-message").inner_text()

    # The summary counts the two.
    page.goto(f"{live_server}/events/{event.slug}/reports/attendance")
    assert page.locator("[data-figure=attended]").inner_text() == "2"
    assert page.locator("[data-figure=registered]").inner_text() == "2"
    assert page.locator("[data-figure=women-share]").inner_text() == "50.0%"
    assert page.locator("svg.chart").count() >= 5

    # Undo a scan from the desk's list: the summary follows.
    page.goto(f"{live_server}/events/{event.slug}/checkin")
    page.locator("table.recent tr", has_text="Somchai JAIDEE").locator("button:has-text('Undo')").click()
    page.wait_for_load_state()
    assert "Undone" in page.locator(".flashes").inner_text()
    page.goto(f"{live_server}/events/{event.slug}/reports/attendance")
    assert page.locator("[data-figure=attended]").inner_text() == "1"


def test_cancelled_registration_needs_the_override_on_a_phone(phone_page, live_server, make):
    page = phone_page
    event, _chen, _somchai = _event(make)
    browser_login(page, live_server, "sec@example.org", PASSWORD)
    page.goto(f"{live_server}/events/{event.slug}/checkin?q=Malee")
    # Nothing wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    card = page.locator(".person-card", has_text="SUK")
    assert "Check-in refused: registration cancelled." in card.inner_text()
    card.locator("input[name=override_reason]").fill("Cancelled by mistake")
    card.locator("button:has-text('Check in anyway')").click()
    page.wait_for_load_state()
    assert "Checked in by override: Malee SUK" in page.locator(".flashes").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


LONG_TITLE = "Roundtable: petroleum and petrochemicals industry cluster development in the APEC region"


def test_scope_list_and_messages_fit_a_375_px_phone(browser, live_server, make):
    """On a phone the scope list does not run off the screen, long session titles included, and a
    check-in message names the date and the zone along with the time."""
    from tests.browser.conftest import SCREENSHOTS

    event, _chen, somchai = _event(make)
    for title in (LONG_TITLE,
                  "Site visit: Guangzhou Seye Biopharmaceutical Technology Co., Ltd. (Baiyun District)",
                  "Expert presentation: digital transformation of SME industrial clusters"):
        make.session(event, title=title, start="10:30", end="12:00")
    context = browser.new_context(viewport={"width": 375, "height": 800}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        browser_login(page, live_server, "sec@example.org", PASSWORD)
        page.goto(f"{live_server}/events/{event.slug}/checkin")
        assert page.evaluate("document.scrollingElement.scrollWidth") <= 375
        # Every choice of the scope list is inside the screen, its label wrapped, not cut off.
        for option in page.locator(".scope-option").all():
            option.scroll_into_view_if_needed()
            box, text = option.bounding_box(), option.locator("span")
            assert box["x"] >= 0 and box["x"] + box["width"] <= 375, box
            assert text.evaluate("e => e.scrollWidth <= e.clientWidth"), text.inner_text()
        page.fill("#code", badge_token(somchai))
        page.press("#code", "Enter")
        message = page.locator(".scan-answer-message")
        message.wait_for()
        assert "Checked in: Somchai JAIDEE" in message.inner_text()
        assert "(UTC)" in message.inner_text() or f"({event.timezone})" in message.inner_text()
        assert page.evaluate("document.scrollingElement.scrollWidth") <= 375
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "checkin-desk-375.png"), full_page=True)
        # A long session title chosen: the choice is readable in full, not cut off at the edge.
        page.locator(".scope-option", has_text=LONG_TITLE).click()
        page.click("button:has-text('Change')")
        page.wait_for_load_state()
        assert page.evaluate("document.scrollingElement.scrollWidth") <= 375
        assert page.locator(".scope-option", has_text=LONG_TITLE).locator("input").is_checked()
        assert page.locator(".scope-option", has_text=LONG_TITLE).bounding_box()["height"] > 40  # wrapped
        page.screenshot(path=str(SCREENSHOTS / "checkin-desk-375-session.png"), full_page=True)
    finally:
        context.close()
