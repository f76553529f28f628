"""Booking when the person's economy has used its share of a capped session: the real reason is told."""

import sqlalchemy as sa

from eventhub.extensions import db
from eventhub.signups.models import Booking, BookingStatus


def test_the_economy_share_not_a_full_session_is_named_on_the_page_and_in_the_mail(client, make, login_as, mailbox):
    event = make.event()
    tha = make.delegation(event, "THA")
    visit = make.session(event, kind="site_visit", title="Visit: Shifei", bookable=True, capacity=10,
                         economy_cap=1, start="14:00", end="17:00")
    first_user, second_user = make.user(), make.user()
    make.registration(event, tha, user=first_user)
    second = make.registration(event, tha, user=second_user)
    login_as(first_user)
    client.post(f"/events/{event.slug}/sessions/{visit.id}/book")
    login_as(second_user)
    page = client.post(f"/events/{event.slug}/sessions/{visit.id}/book",
                       follow_redirects=True).get_data(as_text=True)
    assert "still has free seats, but Thailand has taken its share (1 per economy)" in page
    assert "on the waitlist at position 1" in page
    assert "is full" not in page
    booking = db.session.scalar(sa.select(Booking).where(Booking.registration_id == second.id))
    assert booking.status == BookingStatus.WAITLISTED
    [mail] = [m for m in mailbox.to(second.email) if "Waitlist" in m.subject]
    assert "each economy may take at most 1 of them, and Thailand has already taken its share" in mail.text()
    assert "is full" not in mail.text()


def test_a_full_session_still_says_full(client, make, login_as, mailbox):
    event = make.event()
    visit = make.session(event, kind="site_visit", title="Visit: Seye", bookable=True, capacity=1,
                         economy_cap=5, start="14:00", end="17:00")
    users = [make.user(), make.user()]
    regs = [make.registration(event, economy="THA", user=u) for u in users]
    login_as(users[0])
    client.post(f"/events/{event.slug}/sessions/{visit.id}/book")
    login_as(users[1])
    page = client.post(f"/events/{event.slug}/sessions/{visit.id}/book",
                       follow_redirects=True).get_data(as_text=True)
    assert "is full" in page
    assert "taken its share" not in page
    [mail] = [m for m in mailbox.to(regs[1].email) if "Waitlist" in m.subject]
    assert "is full, so you are on its waitlist" in mail.text()
