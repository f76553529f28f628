"""A firm joins the business matching through the organizer's link, chooses its password from the
welcome e-mail, a delegate finds it among the suggestions and asks for a meeting, the firm accepts,
and both see the meeting, placed at once, on their schedule."""

from __future__ import annotations

import re

from eventhub.extensions import db
from eventhub.matching import scheduling
from tests.browser.conftest import browser_login
from tests.conftest import PASSWORD, deliver_all
from tests.matching.conftest import world  # noqa: F401 (the fixture)


def text(page, selector: str) -> str:
    return " ".join(page.inner_text(selector).split())


def test_firm_registers_through_the_link_and_meets_a_delegate(page, app, live_server, make, world, mailbox):  # noqa: F811
    organizer = make.staff(world.event, "organizer", "organizer@example.org")
    session = make.session(world.event, kind="business_matching", start="14:00", end="15:00",
                           title="Business matching with Baiyun District companies")
    scheduling.configure_session(db.session, session, meeting_minutes=20, break_minutes=5,
                                 table_names=["Table A", "Table B"])
    db.session.commit()
    slug = world.event.slug

    browser_login(page, live_server, organizer.email, PASSWORD)
    page.goto(f"{live_server}/events/{slug}/matching/settings")
    page.get_by_role("link", name="Firms and their invitation link").click()
    page.get_by_role("button", name="Make the link").click()
    link = page.input_value("#firm-link")
    page.get_by_role("button", name="Log out").click()

    page.goto(link)
    page.fill("#name", "Guangzhou Baiyun Biotech Instruments Co., Ltd.")
    page.select_option("#economy", label="People's Republic of China")
    page.fill("#cluster_name", "Baiyun District biomedicine cluster")
    page.check("#sectors input[value='Biomedicine']")
    page.fill("#offers", "Laboratory instruments and technology transfer for biomedicine research")
    page.check("#offer_types input[value='technology_transfer']")
    page.fill("#rep1_given_name", "Mei")
    page.fill("#rep1_family_name", "Zhang")
    page.fill("#rep1_position", "Overseas sales")
    page.fill("#rep1_email", "mei.zhang@baiyun-bio.example")
    page.check("#rep1_languages input[value='en']")
    page.get_by_role("button", name="Register my firm").click()
    assert "Guangzhou Baiyun Biotech Instruments Co., Ltd. is registered" in text(page, "#main")

    deliver_all(app)
    welcome = mailbox.to("mei.zhang@baiyun-bio.example")
    link = re.search(r"https?://\S+/password/reset/\S+", welcome[0].text()).group(0)
    page.goto(re.sub(r"^https?://[^/]+", live_server, link))
    page.fill("input[name=password]", "Firm-Passw0rd-2025")
    page.fill("input[name=confirm]", "Firm-Passw0rd-2025")
    page.locator("#main form button[type=submit]").click()
    assert "Your new password is set. You are logged in." in text(page, ".flashes")
    page.get_by_role("button", name="Log out").click()

    browser_login(page, live_server, world.users["ana"].email, PASSWORD)
    page.goto(f"{live_server}/events/{slug}/matching")
    card = page.locator("[id^=suggestion-]", has_text="Guangzhou Baiyun Biotech Instruments")
    assert "They offer technology transfer" in " ".join(card.inner_text().split())
    card.locator("h3 a").click()
    page.fill("textarea[name=message]", "Could we see your instruments?")
    page.get_by_role("button", name="Send the request").click()
    assert "Your request has gone to Guangzhou Baiyun Biotech Instruments Co., Ltd." in text(page, ".flashes")
    page.get_by_role("button", name="Log out").click()

    browser_login(page, live_server, "mei.zhang@baiyun-bio.example", "Firm-Passw0rd-2025")
    page.goto(f"{live_server}/events/{slug}/matching/requests")
    assert "Could we see your instruments?" in text(page, "#received")
    page.get_by_role("button", name="Accept").click()
    assert "Meeting agreed:" in text(page, ".flashes") and "Table A" in text(page, ".flashes")
    page.get_by_role("button", name="Log out").click()

    for email, password, other in ((world.users["ana"].email, PASSWORD, "Guangzhou Baiyun Biotech Instruments"),
                                   ("mei.zhang@baiyun-bio.example", "Firm-Passw0rd-2025", "Bangkok Biotech")):
        browser_login(page, live_server, email, password)
        page.goto(f"{live_server}/events/{slug}/matching/meetings")
        row = text(page, "#meetings tbody")
        assert other in row and "Table A" in row and "14:00" in row
        page.get_by_role("button", name="Log out").click()
