"""A delegate registers through their economy's link, fixing a mistake on the way; the focal point approves."""

from __future__ import annotations

from datetime import timedelta

from eventhub.db import utcnow
from tests.browser.conftest import browser_login
from tests.conftest import PASSWORD


def test_delegate_registers_through_the_link_and_the_focal_point_approves(page, live_server, make, mailbox):
    now = utcnow()
    event = make.event(title="SME Cluster Workshop", registration_opens_at=now - timedelta(days=1),
                       registration_closes_at=now + timedelta(days=30))
    focal = make.user("focal.thailand@example.org", name="Siriporn Chaiyaporn")
    thailand = make.delegation(event, "THA", quota=4, focal_point=focal)

    page.goto(f"{live_server}/r/{thailand.invite_token}")
    assert page.locator("h1").inner_text() == "Register for the Thailand delegation"
    page.fill("#given_name", "Somchai")
    # The mistake: no family name and a mistyped e-mail address.
    page.fill("#name_local", "สมชาย ใจดี")
    page.fill("#email", "somchai.example.org")
    page.fill("#organisation", "Office of SME Promotion")
    page.check("input[name=sex][value=male]")
    page.check("#consent_list")
    page.check("#privacy")
    page.click("button:has-text('Register')")

    assert page.locator(".error-summary").is_visible()
    assert page.locator("#family_name-error").inner_text() == "Enter the family name."
    assert "valid e-mail address" in page.locator("#email-error").inner_text()
    # What was typed is still there, Thai script included.
    assert page.input_value("#given_name") == "Somchai"
    assert page.input_value("#name_local") == "สมชาย ใจดี"
    assert page.is_checked("input[name=sex][value=male]")

    page.fill("#family_name", "Jaidee")
    page.fill("#email", "somchai@example.org")
    if not page.is_checked("#privacy"):
        page.check("#privacy")
    page.click("button:has-text('Register')")
    assert page.locator("h1").inner_text() == "Registration received"
    assert "Submitted" in page.locator(".badge").first.inner_text()

    # The focal point logs in and approves from the delegation page.
    page.context.clear_cookies()
    browser_login(page, live_server, "focal.thailand@example.org", PASSWORD)
    page.goto(f"{live_server}/events/{event.slug}/delegations/{thailand.id}/")
    row = page.locator("table.delegates tr", has_text="Somchai")
    assert "Submitted" in row.inner_text()
    row.locator("button:has-text('Approve')").click()
    page.wait_for_load_state()
    assert "Somchai Jaidee is approved." in page.locator(".flashes").inner_text()
    row = page.locator("table.delegates tr", has_text="Somchai")
    assert "Approved" in row.inner_text()
    assert "1" == page.locator(".stat", has_text="Places used").locator(".value").inner_text()

    approved = [m for m in mailbox.to("somchai@example.org") if m.subject.startswith("Registration approved")]
    assert approved and any(p.get_filename() == "event.ics" for p in approved[0].message.iter_attachments())


def test_approving_a_nominee_who_has_not_confirmed_takes_a_deliberate_tick(page, live_server, make):
    now = utcnow()
    event = make.event(title="SME Cluster Workshop", registration_opens_at=now - timedelta(days=1),
                       registration_closes_at=now + timedelta(days=30))
    focal = make.user("focal.th2@example.org")
    thailand = make.delegation(event, "THA", quota=4, focal_point=focal)
    make.registration(event, thailand, status="submitted", needs_confirmation=True, given_name="Anong",
                      family_name="Srisuk")
    browser_login(page, live_server, "focal.th2@example.org", PASSWORD)
    page.goto(f"{live_server}/events/{event.slug}/delegations/{thailand.id}/")
    row = page.locator("table.delegates tr", has_text="Anong")
    assert "Not yet confirmed by the delegate" in row.inner_text()
    row.locator("a:has-text('Approve…')").click()
    page.wait_for_load_state()
    # Without the tick nothing changes and the page says why.
    page.click("form[action$='/approve'] button:has-text('Approve')")
    page.wait_for_load_state()
    assert "has not yet confirmed their details" in page.locator(".flashes").inner_text()
    assert "Submitted" in page.locator(".status-line").inner_text()
    page.check("input[name=approve_unconfirmed]")
    page.click("form[action$='/approve'] button:has-text('Approve')")
    page.wait_for_load_state()
    assert "Anong Srisuk is approved." in page.locator(".flashes").inner_text()
