"""The visa letter in a real browser: the delegate enters their passport details, the secretariat
issues the letter from its list, the delegate downloads it, and a consulate opens the verification
link printed in it."""

from __future__ import annotations

from datetime import date

from eventhub.documents.models import IssuedDocument
from eventhub.extensions import db
from tests.browser.conftest import browser_login
from tests.conftest import PASSWORD
from tests.documents.conftest import pdf_text


def test_issue_download_and_verify_a_visa_letter(browser, live_server, make):
    event = make.event(slug="letters-ws", title="Workshop on Digital Trade", start=date(2030, 6, 27), days=2)
    prc = make.delegation(event, "PRC", quota=5)
    delegate = make.user("wang@example.org")
    reg = make.registration(event, prc, user=delegate, email="wang@example.org", given_name="Xiaomei",
                            family_name="Wang", name_local="王晓梅", visa_letter=True)
    make.staff(event, "secretariat", "sec@example.org")
    reg_url = f"{live_server}/events/{event.slug}/registrations/{reg.id}"

    # The delegate enters the passport details; a bad number is refused next to its field.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    browser_login(page, live_server, "wang@example.org", PASSWORD)
    page.goto(reg_url)
    page.click("text=Enter the passport details")
    page.fill("#name_in_passport", "WANG XIAOMEI")
    page.fill("#nationality", "Chinese")
    page.fill("#passport_number", "E!")
    page.fill("#date_of_birth", "1985-04-21")
    page.fill("#stay_from", "2030-06-26")
    page.fill("#stay_to", "2030-06-29")
    page.click("button:has-text('Save')")
    assert "A passport number has 5 to 20" in page.locator("#passport_number-error").inner_text()
    page.fill("#passport_number", "E1234 5678")
    page.click("button:has-text('Save')")
    assert "The passport details are saved." in page.content()
    context.close()

    # The secretariat issues it from the list.
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    browser_login(page, live_server, "sec@example.org", PASSWORD)
    page.goto(f"{live_server}/events/{event.slug}/letters")
    row = page.locator("tr", has_text="Xiaomei Wang")
    assert "E12345678" in row.inner_text() and "Ready to issue" in row.inner_text()
    row.locator("button:has-text('Issue letter')").click()
    assert "issued to Xiaomei Wang and sent by e-mail" in page.content()
    context.close()
    db.session.rollback()  # a fresh read: the server wrote it
    reference = db.session.query(IssuedDocument).one().reference

    # The delegate downloads it from the registration page.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    browser_login(page, live_server, "wang@example.org", PASSWORD)
    page.goto(reg_url)
    with page.expect_download() as info:
        page.click("text=Download the visa letter (PDF)")
    text = pdf_text(open(info.value.path(), "rb").read())
    assert "WANG XIAOMEI" in text and reference in text
    context.close()

    # A consulate opens the link printed in the letter, logged in as nobody.
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server}/verify/{reference}")
    body = page.locator(".verify-result").inner_text()
    assert "Genuine" in body and "WANG XIAOMEI" in body and "Chinese" in body
    assert "Workshop on Digital Trade" in body and "E12345678" not in body
    context.close()
