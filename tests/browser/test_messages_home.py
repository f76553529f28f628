"""A delegate logs in on a 375 px phone, lands on their event's home page, and finds when and where the
bus leaves, in Chinese too, without sideways scrolling."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from eventhub.agenda.models import SiteVisit
from eventhub.extensions import db
from eventhub.signups.models import Booking, BookingStatus
from tests.browser.conftest import browser_login
from tests.conftest import PASSWORD


def _world(make):
    event = make.event(slug="home", title="Project on Promoting SME Industrial Cluster Development",
                       start=date(2030, 6, 27))
    visit = make.session(event, kind="site_visit", title="Visit: Guangzhou Seye Biopharmaceutical Technology",
                         bookable=True, capacity=5, start="14:00", end="17:00")
    db.session.add(SiteVisit(session_id=visit.id, meeting_point="Main lobby of the Baiyun Hotel",
                             departs_at=datetime(2030, 6, 27, 13, 20, tzinfo=ZoneInfo(event.timezone))))
    user = make.user("souksavanh@example.org")
    reg = make.registration(event, user=user, given_name="Souksavanh")
    db.session.add(Booking(session_id=visit.id, registration_id=reg.id, economy_id=reg.economy_id,
                           status=BookingStatus.CONFIRMED))
    visit.taken = 1
    db.session.commit()
    return event, user


def test_delegate_lands_on_home_and_finds_the_bus_on_a_phone(page, live_server, make):
    event, user = _world(make)
    page.set_viewport_size({"width": 375, "height": 740})
    browser_login(page, live_server, user.email, PASSWORD)
    assert page.url.endswith(f"/events/{event.slug}/home")
    assert page.get_by_text("My event · Souksavanh").is_visible()
    assert page.get_by_text("The bus leaves at 13:20").is_visible()
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 375
    # Cancelling is there, but folded away below the programme.
    assert not page.get_by_role("button", name="Cancel registration").is_visible()
    page.get_by_text("Your data and cancelling").click()
    assert page.get_by_role("button", name="Cancel registration").is_visible()
    page.context.add_cookies([{"name": "lang", "value": "zh_Hans", "url": live_server}])
    page.goto(f"{live_server}/events/{event.slug}/home")
    page.wait_for_load_state()
    assert "接下来的日程" in page.content() and "大巴于" in page.content()
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 375
