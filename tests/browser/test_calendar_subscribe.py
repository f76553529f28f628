"""A delegate finds their calendar address on the programme page, rotates it, and the old one stops working."""

from __future__ import annotations

import os
from pathlib import Path

from tests.browser.conftest import browser_login

SHOTS = Path(os.environ.get("CALENDAR_SCREENSHOTS", "")) if os.environ.get("CALENDAR_SCREENSHOTS") else None


def _world(make):
    event = make.event(slug="gz", title="Project on Promoting SME Industrial Cluster Development in the APEC Region",
                       venue="Baiyun International Convention Center")
    make.session(event, title="Opening remarks", kind="opening", start="09:00", end="09:30", for_everyone=True)
    user = make.user("siti@example.my")
    reg = make.registration(event, make.delegation(event, "MAS"), user=user, email="siti@example.my",
                            given_name="Siti", family_name="Aminah")
    return event, user, reg


def test_delegate_subscribes_and_rotates_the_address(page, live_server, make):
    from tests.conftest import PASSWORD

    _event, user, reg = _world(make)
    browser_login(page, live_server, user.email, PASSWORD)
    page.goto(f"{live_server}/events/gz/programme")
    box = page.locator(".calendar-subscribe")
    address = box.locator("input.calendar-url")
    old = address.input_value()
    assert old.endswith(f"/calendar/{reg.calendar_token}.ics")
    assert box.get_by_role("link", name="Subscribe (Apple Calendar, Outlook)").get_attribute("href").startswith(
        "webcal://")

    feed = page.request.get(old)
    assert feed.status == 200
    assert feed.headers["content-type"] == "text/calendar; charset=utf-8"
    assert "SUMMARY:Opening remarks" in feed.text()
    if SHOTS:
        page.screenshot(path=str(SHOTS / "programme-desktop.png"), full_page=True)

    box.get_by_role("button", name="Make a new calendar address").click()
    page.wait_for_load_state()
    assert "The old address no longer works" in page.content()
    new = page.locator(".calendar-subscribe input.calendar-url").input_value()
    assert new != old
    assert page.request.get(old).status == 404
    assert page.request.get(new).status == 200


def test_help_page_at_phone_width(phone_page, live_server, make):
    from tests.conftest import PASSWORD

    _event, user, _reg = _world(make)
    browser_login(phone_page, live_server, user.email, PASSWORD)
    phone_page.goto(f"{live_server}/events/gz/calendar")
    assert phone_page.get_by_role("heading", name="Put the programme in your calendar").is_visible()
    for heading in ("Google Calendar (and Android phones)", "Apple Calendar (iPhone, iPad, Mac)", "Outlook"):
        assert phone_page.get_by_role("heading", name=heading).is_visible()
    # Nothing wider than the phone: no sideways scrolling.
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    if SHOTS:
        phone_page.screenshot(path=str(SHOTS / "help-phone.png"), full_page=True)
