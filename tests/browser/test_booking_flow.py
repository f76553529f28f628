"""A delegate books a site visit; a second finds it full and joins the waitlist; the first cancels;
the second sees they are confirmed."""

from tests.browser.conftest import browser_login
from tests.conftest import PASSWORD


def text(page, selector: str) -> str:
    return " ".join(page.inner_text(selector).split())


def test_book_waitlist_cancel_promote(page, live_server, make):
    event = make.event()
    visit = make.session(event, kind="site_visit", title="Site visit: Guangzhou Seye Biopharmaceutical",
                         bookable=True, capacity=1, start="14:00", end="16:30")
    first_user, second_user = make.user("first@example.org"), make.user("second@example.org")
    make.registration(event, user=first_user, email="first@example.org", given_name="Ana")
    make.registration(event, user=second_user, email="second@example.org", given_name="Budi")
    agenda = f"{live_server}/events/{event.slug}/agenda"

    browser_login(page, live_server, first_user.email, PASSWORD)
    page.goto(agenda)
    assert "1 of 1 seats left" in text(page, f"#session-{visit.id}")
    page.click(f"#session-{visit.id} h3 a")
    page.get_by_role("button", name="Book a seat").click()
    assert "You have a seat" in text(page, ".flashes")
    page.get_by_role("button", name="Log out").click()

    browser_login(page, live_server, second_user.email, PASSWORD)
    page.goto(agenda)
    assert "Full" in text(page, f"#session-{visit.id}")
    page.click(f"#session-{visit.id} h3 a")
    page.get_by_role("button", name="Join the waitlist").click()
    assert "on the waitlist at position 1" in text(page, ".flashes")
    assert "Waitlist position 1" in text(page, ".booking-panel")
    page.get_by_role("button", name="Log out").click()

    browser_login(page, live_server, first_user.email, PASSWORD)
    page.goto(f"{live_server}/events/{event.slug}/programme")
    page.get_by_role("button", name="Cancel my seat").click()
    assert "Cancelled the booking" in text(page, ".flashes")
    page.get_by_role("button", name="Log out").click()

    browser_login(page, live_server, second_user.email, PASSWORD)
    page.goto(f"{live_server}/events/{event.slug}/programme")
    day = text(page, "#main")
    assert "Your seat" in day and "Site visit: Guangzhou Seye Biopharmaceutical" in day
    assert "Waitlist position" not in day
