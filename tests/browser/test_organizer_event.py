"""An organizer sets up an event in a real browser and finds it on the public list, on a phone too."""

from eventhub.extensions import db
from tests.browser.conftest import SCREENSHOTS, browser_login
from tests.conftest import PASSWORD

NO_HORIZONTAL_OVERFLOW = "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"


def test_organizer_creates_publishes_and_finds_an_event(page, phone_page, live_server, make):
    for p in (page, phone_page):  # a busy CI machine can be slow; nothing here waits on a timer
        p.set_default_timeout(30_000)
    existing = make.event(slug="smewg-60", title="SMEWG 60")
    email = make.staff(existing, "organizer", "organizer@example.org").email
    db.session.rollback()  # hold no transaction open while the server works
    browser_login(page, live_server, email, PASSWORD)
    assert "Welcome" in page.content()

    # Create the event.
    page.goto(f"{live_server}/my/events")
    page.click("text=New event")
    page.fill("#title", "Workshop on SME Access to Digital Trade")
    page.fill("#slug", "sme-digital-trade-2026")
    page.fill("#series", "SMEWG 62")
    page.select_option("#host_economy_id", label="Peru")
    page.fill("#city", "Lima")
    page.fill("#venue", "Lima Convention Center")
    page.fill("#timezone", "America/Lima")
    page.fill("#start_date", "2026-05-12")
    page.fill("#end_date", "2026-05-13")
    page.fill("#registration_opens_local", "2026-03-01T09:00")
    page.fill("#contact_email", "smewg62@example.org")
    page.fill("#default_quota", "3")
    page.click("button:has-text('Create the event')")
    page.wait_for_url("**/events/sme-digital-trade-2026/manage")
    assert "is created" in page.content()
    assert "No rooms or off-site locations yet" in page.inner_text(".attention")

    # A room.
    page.click("nav.event-nav >> text=Rooms")
    page.fill("#name", "Sala Inca (plenary)")
    page.fill("#capacity", "120")
    page.click("form.card button:has-text('Add')")
    assert "“Sala Inca (plenary)” is added." in page.content()
    assert page.locator("table.rooms tbody tr").count() == 1

    # Two invited economies.
    page.click("nav.event-nav >> text=Economies")
    page.check("label:has-text('Chile') >> xpath=preceding-sibling::input")
    page.check("label:has-text('Viet Nam') >> xpath=preceding-sibling::input")
    page.click("button:has-text('Invite')")
    assert "Invited 2 economies." in page.content()
    rows = page.locator("table.delegations tbody tr")
    assert rows.count() == 2
    assert "Chile" in rows.nth(0).inner_text() and "Viet Nam" in rows.nth(1).inner_text()
    assert rows.nth(0).locator("input[name=quota]").input_value() == "3"

    # Publish.
    page.click("nav.event-nav >> text=Dashboard")
    page.click("button:has-text('Publish the event')")
    assert "The event is published" in page.content()

    # Anyone finds it on the public list.
    phone_page.goto(f"{live_server}/")
    phone_page.click("text=Workshop on SME Access to Digital Trade")
    phone_page.wait_for_url("**/events/sme-digital-trade-2026/")
    facts = phone_page.inner_text(".event-facts")
    assert "12–13 May 2026" in facts and "America/Lima" in facts and "Sun 1 Mar 2026, 09:00" in facts
    assert phone_page.evaluate(NO_HORIZONTAL_OVERFLOW), "the event page scrolls sideways on a phone"
    SCREENSHOTS.mkdir(exist_ok=True)
    phone_page.screenshot(path=str(SCREENSHOTS / "organizer_event_phone.png"), full_page=True)
    phone_page.goto(f"{live_server}/")
    assert phone_page.evaluate(NO_HORIZONTAL_OVERFLOW), "the event list scrolls sideways on a phone"

    # The organizer's pages fit a phone too.
    browser_login(phone_page, live_server, email, PASSWORD)
    for path in ("manage", "manage/details", "manage/rooms", "manage/economies", "manage/staff"):
        phone_page.goto(f"{live_server}/events/sme-digital-trade-2026/{path}")
        assert phone_page.evaluate(NO_HORIZONTAL_OVERFLOW), f"/{path} scrolls sideways on a phone"
    phone_page.goto(f"{live_server}/events/sme-digital-trade-2026/manage")
    phone_page.screenshot(path=str(SCREENSHOTS / "organizer_dashboard_phone.png"), full_page=True)
