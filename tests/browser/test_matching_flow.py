"""Business matching in a browser: a delegate finds a firm among the suggestions and asks for a meeting,
the firm accepts, the organizer schedules and publishes, both see the meeting with its table and time."""

from __future__ import annotations

from tests.browser.conftest import browser_login
from tests.conftest import PASSWORD
from tests.matching.conftest import world  # noqa: F401 (the fixture)


def text(page, selector: str) -> str:
    return " ".join(page.inner_text(selector).split())


def test_request_accept_schedule(page, live_server, make, world):  # noqa: F811
    organizer = make.staff(world.event, "organizer", "organizer@example.org")
    session = make.session(world.event, kind="business_matching", start="14:00", end="15:00",
                           title="Business matching with Baiyun District companies")
    slug = world.event.slug

    browser_login(page, live_server, world.users["ana"].email, PASSWORD)
    page.goto(f"{live_server}/my/events")
    page.get_by_role("link", name="Business matching").click()
    suggestion = text(page, f"#suggestion-{world.profiles['seye'].id}")
    assert "They offer technology transfer in Biomedicine, which you seek." in suggestion
    page.click(f"#suggestion-{world.profiles['seye'].id} h3 a")
    assert "Contact details are shown once you have a meeting." in text(page, "#main")
    page.fill("textarea[name=message]", "Could we discuss licensing your biomedicine research?")
    page.get_by_role("button", name="Send the request").click()
    assert "Your request has gone to Guangzhou Seye Biopharmaceutical." in text(page, ".flashes")
    assert "Waiting for an answer" in text(page, "#sent")
    page.get_by_role("button", name="Log out").click()

    browser_login(page, live_server, world.users["seye"].email, PASSWORD)
    page.goto(f"{live_server}/events/{slug}/matching/requests")
    assert "Could we discuss licensing" in text(page, "#received")
    page.get_by_role("button", name="Accept").click()
    assert "Meeting agreed." in text(page, ".flashes")
    page.get_by_role("button", name="Log out").click()

    browser_login(page, live_server, organizer.email, PASSWORD)
    page.goto(f"{live_server}/events/{slug}/matching/settings")
    page.fill(f"#s{session.id}-tables", "Table A\nTable B")
    page.get_by_role("button", name="Save slots and tables").click()
    assert "Slots and tables saved." in text(page, ".flashes")
    page.get_by_role("link", name="Meetings and schedule").click()
    page.get_by_role("button", name="Run the scheduler").click()
    assert "Proposal: 1 of 1 accepted meetings placed" in text(page, ".flashes")
    page.get_by_role("button", name="Publish this schedule").click()
    assert "Schedule published" in text(page, ".flashes")
    page.get_by_role("button", name="Log out").click()

    for who, other in (("ana", "Guangzhou Seye Biopharmaceutical"), ("seye", "Bangkok Biotech")):
        browser_login(page, live_server, world.users[who].email, PASSWORD)
        page.goto(f"{live_server}/events/{slug}/matching/meetings")
        row = text(page, "#meetings tbody")
        assert other in row and "Table A" in row and "14:00" in row
        page.get_by_role("button", name="Log out").click()
