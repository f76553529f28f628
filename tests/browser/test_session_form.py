"""The session editor in a browser: the site-visit fields appear only while "Site visit" is the kind."""

from tests.browser.conftest import browser_login
from tests.conftest import PASSWORD


def test_site_visit_fields_follow_the_kind(page, live_server, make):
    page.set_default_timeout(30_000)
    event = make.event()
    email = make.staff(event, "organizer", "organizer@example.org").email
    browser_login(page, live_server, email, PASSWORD)
    page.goto(f"{live_server}/events/{event.slug}/agenda/sessions/new?kind=roundtable")
    assert not page.is_visible("#meeting_point")
    page.select_option("#kind", "site_visit")
    assert page.is_visible("#meeting_point") and page.is_visible("#departs")
    page.select_option("#kind", "presentation")
    assert not page.is_visible("#meeting_point")
    page.goto(f"{live_server}/events/{event.slug}/agenda/sessions/new?kind=site_visit")
    assert page.is_visible("#meeting_point")
    assert page.get_attribute("#start_time", "placeholder") == "HH:MM"
