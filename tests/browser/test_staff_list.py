"""The secretariat approves people from the staff list: tick, Approve, and the list shows it."""

from __future__ import annotations

from datetime import timedelta

from eventhub.db import utcnow
from tests.browser.conftest import browser_login
from tests.conftest import PASSWORD


def test_secretariat_ticks_two_people_approves_them_and_the_list_shows_it(page, live_server, make):
    now = utcnow()
    event = make.event(slug="staff-list", registration_opens_at=now - timedelta(days=1),
                       registration_closes_at=now + timedelta(days=20))
    tha = make.delegation(event, "THA", quota=5)
    vn = make.delegation(event, "VN", quota=5)
    make.registration(event, tha, given_name="Somchai", family_name="Jaidee", name_local="สมชาย ใจดี",
                      status="submitted")
    make.registration(event, vn, given_name="Lan", family_name="Nguyễn", status="submitted")
    make.registration(event, vn, given_name="Minh", family_name="Tran", status="submitted")
    make.staff(event, "secretariat", "sec@example.org")
    browser_login(page, live_server, "sec@example.org", PASSWORD)

    page.goto(f"{live_server}/events/{event.slug}/registrations/")
    assert page.locator("table.registrations tbody tr").count() == 3
    page.get_by_label("Select Somchai JAIDEE").check()
    page.get_by_label("Select Lan NGUYỄN").check()
    page.get_by_role("button", name="Approve").click()

    assert "2 approved." in page.locator(".flashes").inner_text()
    rows = page.locator("table.registrations tbody tr")
    assert "Approved" in rows.filter(has_text="Somchai JAIDEE").locator("td[data-label=State]").inner_text()
    assert "Approved" in rows.filter(has_text="Lan NGUYỄN").locator("td[data-label=State]").inner_text()
    assert "Submitted" in rows.filter(has_text="Minh TRAN").locator("td[data-label=State]").inner_text()
    # The filter reads the same, fresh list.
    page.select_option("#f-status", "submitted")
    page.get_by_role("button", name="Filter").click()
    assert page.locator("table.registrations tbody tr").count() == 1
