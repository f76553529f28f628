"""The phone desk in a real browser: set up once, lose the network, scan, reload, come back and sync."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest

from eventhub.extensions import db
from tests.attendance.conftest import badge_token, checkins
from tests.browser.conftest import SCREENSHOTS, browser_login
from tests.conftest import PASSWORD

PHONE = {"width": 375, "height": 667}
ONLINE = re.compile(r"^Online$")  # nothing left to send


def _event(make):
    event = make.event(slug="desk-offline", title="SME Cluster Workshop", start=date(2030, 6, 27), days=1)
    prc = make.delegation(event, "PRC", quota=10)
    tha = make.delegation(event, "THA", quota=10)
    chen = make.registration(event, prc, given_name="Wei", family_name="Chen", name_local="陈伟",
                             category="speaker", consent_photo=False)
    somchai = make.registration(event, tha, given_name="Somchai", family_name="Jaidee", name_local="สมชาย ใจดี")
    make.staff(event, "checkin", "desk@example.org")
    make.staff(event, "secretariat", "sec@example.org")
    db.session.commit()
    return event, chen, somchai


@pytest.fixture
def phones(browser, request):
    """Phone-sized browser contexts (each its own desk); a screenshot of each is kept on failure."""
    made = []

    def new():
        context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
        page = context.new_page()
        page.set_default_timeout(10_000)
        made.append((context, page))
        return context, page

    yield new
    failed = getattr(request.node, "rep_call", None)
    for i, (context, page) in enumerate(made):
        if failed is not None and failed.failed:
            SCREENSHOTS.mkdir(exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / f"{request.node.name}-desk{i}.png"))
        context.close()


def set_up_desk(page, live_server, slug, name):
    browser_login(page, live_server, "desk@example.org", PASSWORD)
    page.goto(f"{live_server}/events/{slug}/desk/")
    page.fill("#desk-name", name)
    page.click("button:has-text('Set up this desk')")
    page.locator("#event-title", has_text="SME Cluster Workshop").wait_for()
    # The service worker keeps the shell: wait until it controls the page.
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")


def scan(page, code):
    page.fill("#code", code)
    page.press("#code", "Enter")
    page.locator("#result:not([hidden])").wait_for()
    title = page.locator("#result-title").inner_text()
    page.click("#result-close")
    return title


def server_checkins():
    db.session.rollback()  # see what the live server committed
    return checkins()


def test_offline_scans_survive_a_reload_and_sync_once(phones, page, live_server, make):
    event, chen, somchai = _event(make)
    context, desk = phones()
    summary = page
    page = desk
    set_up_desk(page, live_server, event.slug, "Gate A")

    context.set_offline(True)
    page.fill("#code", badge_token(chen))
    page.press("#code", "Enter")
    result = page.locator("#result")
    result.wait_for()
    # Full screen on a phone: the answer, name and flags without scrolling.
    box = result.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"] and box["width"] == PHONE["width"]
    name_box = page.locator("#result-name").bounding_box()
    assert name_box["y"] + name_box["height"] <= PHONE["height"]
    assert page.locator("#result-title").inner_text().lower() == "checked in"
    assert "result-green" in result.get_attribute("class")
    assert page.locator("#result-name").inner_text() == "Wei CHEN"
    assert page.locator("#result-local").inner_text() == "陈伟"
    assert "Speaker" in page.locator("#result-meta").inner_text()
    assert page.locator("#result-photo").inner_text() == "NO PHOTOS"
    page.click("#result-close")

    assert scan(page, badge_token(chen)).lower() == "already checked in"  # the same badge twice
    forged = badge_token(somchai)[:-4] + "AAAA"
    assert scan(page, forged).lower() == "refused"
    assert scan(page, badge_token(somchai)).lower() == "checked in"
    assert page.locator("#net-banner").inner_text() == "Offline — 2 scans waiting"
    assert "(2 of them waiting on this desk)" in page.locator("#desk-count").inner_text()

    page.reload()  # still offline: the service worker opens the desk, IndexedDB keeps the queue
    page.locator("#net-banner", has_text="Offline — 2 scans waiting").wait_for()
    assert server_checkins() == []
    # The QR decoder came from the kept shell too (static/vendor, no CDN), for the camera fallback.
    assert page.evaluate("() => typeof window.jsQR") == "function"

    context.set_offline(False)
    page.locator("#net-banner", has_text=ONLINE).wait_for()
    rows = server_checkins()
    assert sorted(r.registration_id for r in rows) == sorted([chen.id, somchai.id])
    assert all(r.desk == "Gate A" for r in rows)
    page.locator("#recent li", has_text="Somchai JAIDEE").wait_for()
    # The attendance summary counts the two new check-ins.
    browser_login(summary, live_server, "sec@example.org", PASSWORD)
    summary.goto(f"{live_server}/events/{event.slug}/reports/attendance")
    assert summary.locator("[data-figure=attended]").inner_text() == "2"


def test_two_offline_desks_scanning_one_badge_record_one_check_in(phones, live_server, make):
    event, chen, _somchai = _event(make)
    context_a, desk_a = phones()
    context_b, desk_b = phones()
    set_up_desk(desk_a, live_server, event.slug, "Gate A")
    set_up_desk(desk_b, live_server, event.slug, "Gate B")
    context_a.set_offline(True)
    context_b.set_offline(True)
    assert scan(desk_a, badge_token(chen)).lower() == "checked in"
    between = datetime.now(UTC)
    desk_b.wait_for_timeout(300)
    assert scan(desk_b, badge_token(chen)).lower() == "checked in"

    # The later scan reaches the server first; the earlier one moves the time back, no second row.
    context_b.set_offline(False)
    desk_b.locator("#net-banner", has_text=ONLINE).wait_for()
    context_a.set_offline(False)
    desk_a.locator("#net-banner", has_text=ONLINE).wait_for()
    rows = server_checkins()
    assert len(rows) == 1
    assert rows[0].desk == "Gate B" and rows[0].scanned_at < between


def test_an_unapproved_badge_is_amber_and_only_the_secretariat_records_the_override(phones, live_server, make):
    event, _chen, _somchai = _event(make)
    pending = make.registration(event, make.delegation(event, "USA", quota=5), given_name="Ana",
                                family_name="Lopez", status="submitted")
    db.session.commit()
    # Check-in staff: amber, nothing recorded, and no override offered.
    _context, desk = phones()
    set_up_desk(desk, live_server, event.slug, "Gate A")
    desk.fill("#code", badge_token(pending))
    desk.press("#code", "Enter")
    desk.locator("#result.result-amber").wait_for()
    assert desk.locator("#result-title").inner_text().lower() == "needs a decision"
    assert desk.locator("#override-form").is_hidden()
    assert server_checkins() == []
    # The secretariat's desk: the deliberate second step, with a reason, logged as an override.
    _context, sec = phones()
    browser_login(sec, live_server, "sec@example.org", PASSWORD)
    sec.goto(f"{live_server}/events/{event.slug}/desk/")
    sec.click("button:has-text('Set up this desk')")
    sec.locator("#event-title", has_text="SME Cluster Workshop").wait_for()
    sec.fill("#code", badge_token(pending))
    sec.press("#code", "Enter")
    sec.locator("#override-form").wait_for()
    sec.click("#override-button")
    assert sec.locator("#result-message").inner_text() == "Give the reason first."
    sec.fill("#override-reason", "approved by phone by the head of delegation")
    sec.click("#override-button")
    sec.locator("#result.result-green").wait_for()
    rows = server_checkins()
    assert len(rows) == 1 and rows[0].overridden
    assert rows[0].override_reason == "approved by phone by the head of delegation"
