"""The check-in override in a real browser: a waitlisted delegate's badge is refused at the desk (no
override for check-in staff); the secretariat records an override with a reason, and it shows in the
desk's record and counts as attended."""

from __future__ import annotations

from datetime import date

from tests.attendance.conftest import badge_token
from tests.browser.conftest import browser_login
from tests.conftest import PASSWORD


def _event(make):
    event = make.event(slug="override-test", title="SME Cluster Workshop", start=date(2030, 6, 27), days=1)
    tha = make.delegation(event, "THA", quota=10)
    waiting = make.registration(event, tha, given_name="Malee", family_name="Suk", name_local="มาลี สุข",
                                status="waitlisted", sex="female")
    submitted = make.registration(event, tha, given_name="Somchai", family_name="Jaidee", status="submitted")
    make.staff(event, "checkin", "desk@example.org")
    make.staff(event, "secretariat", "sec@example.org")
    return event, waiting, submitted


def _scan(page, token):
    page.fill("#code", token)
    page.press("#code", "Enter")
    answer = page.locator(".scan-answer")
    answer.wait_for()
    return answer


def test_refusal_then_secretariat_override_with_a_reason(browser, live_server, make):
    event, waiting, submitted = _event(make)
    desk_url = f"{live_server}/events/{event.slug}/checkin"

    # Check-in staff: a clear refusal in red, saying the status; no override button.
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    browser_login(page, live_server, "desk@example.org", PASSWORD)
    page.goto(desk_url)
    answer = _scan(page, badge_token(waiting))
    assert "result-refused" in answer.get_attribute("class")
    assert answer.locator(".scan-answer-title").inner_text() == "Refused"
    assert "registration waitlisted, not approved" in answer.locator(".scan-answer-message").inner_text()
    assert answer.locator("button:has-text('Check in anyway')").count() == 0
    assert page.locator("#desk-count strong").inner_text() == "0"
    context.close()

    # The secretariat: the same scan offers the override, which needs a reason.
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    browser_login(page, live_server, "sec@example.org", PASSWORD)
    page.goto(desk_url)
    answer = _scan(page, badge_token(waiting))
    assert "result-refused" in answer.get_attribute("class")
    override = answer.locator("button:has-text('Check in anyway (override)')")
    override.click()
    assert "Give the reason first." in answer.inner_text()
    assert page.evaluate("document.activeElement.id") == "override-reason"
    page.fill("#override-reason", "Head of delegation confirmed her place by phone")
    override.click()
    page.locator(".scan-answer-title", has_text="Checked in").wait_for()
    message = page.locator(".scan-answer-message").inner_text()
    assert "Checked in by override: Malee SUK" in message and "counts as attended" in message
    assert "Recorded by override: registration waitlisted, not approved." in page.locator(".scan-result").inner_text()
    assert page.locator("#desk-count strong").inner_text() == "1"

    # Without the script's help too: the search card of a submitted delegate has the override form.
    page.fill("#q", "Jaidee")
    page.click("button:has-text('Search')")
    card = page.locator(".search-results .person-card", has_text="JAIDEE")
    assert "Check-in refused: registration submitted, not approved." in card.inner_text()
    card.locator("input[name=override_reason]").fill("Approved at the desk by the secretariat")
    card.locator("button:has-text('Check in anyway')").click()
    page.wait_for_load_state()
    assert "Checked in by override: Somchai JAIDEE" in page.locator(".flashes").inner_text()

    # The record shows both overrides: who, when and why; the summary counts them as attended.
    page.goto(desk_url)
    row = page.locator("table.recent tr", has_text="Malee SUK")
    assert "override" in row.inner_text()
    assert "Head of delegation confirmed her place by phone" in row.inner_text()
    assert "by sec@example.org at " in row.inner_text()
    assert "Approved at the desk by the secretariat" in page.locator("table.recent").inner_text()
    page.goto(f"{live_server}/events/{event.slug}/reports/attendance")
    assert page.locator("[data-figure=attended]").inner_text() == "2"
    context.close()
