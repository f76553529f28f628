"""After sign-up has closed the session page offers no "Book a seat" and says when it closed."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from eventhub.db import utcnow


def test_book_a_seat_is_hidden_after_sign_up_closed_and_the_page_says_when(client, make, login_as):
    event = make.event(timezone="Asia/Bangkok")
    closed_at = (utcnow() - timedelta(days=1)).replace(second=0, microsecond=0)
    visit = make.session(event, kind="site_visit", title="Closed visit", bookable=True, capacity=5,
                         signup_closes_at=closed_at, start="14:00", end="17:00")
    user = make.user()
    make.registration(event, user=user)
    login_as(user)
    page = client.get(f"/events/{event.slug}/sessions/{visit.id}").get_data(as_text=True)
    local = closed_at.astimezone(ZoneInfo("Asia/Bangkok")).strftime("%a %-d %b %Y, %H:%M")
    assert "Book a seat" not in page and "Join the waitlist" not in page
    assert f"Sign-up closed {local} (Asia/Bangkok)." in page


def test_book_a_seat_shows_while_open_and_before_opening_the_page_says_when(client, make, login_as):
    event = make.event()
    visit = make.session(event, kind="site_visit", title="Open visit", bookable=True, capacity=5,
                         start="14:00", end="17:00")
    opens = datetime.now(ZoneInfo("UTC")).replace(second=0, microsecond=0) + timedelta(days=2)
    later = make.session(event, kind="site_visit", title="Later visit", bookable=True, capacity=5,
                         signup_opens_at=opens, start="09:00", end="11:00")
    user = make.user()
    make.registration(event, user=user)
    login_as(user)
    assert "Book a seat" in client.get(f"/events/{event.slug}/sessions/{visit.id}").get_data(as_text=True)
    page = client.get(f"/events/{event.slug}/sessions/{later.id}").get_data(as_text=True)
    assert "Book a seat" not in page and "Sign-up opens " in page
