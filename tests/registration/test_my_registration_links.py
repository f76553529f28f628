""""My registration" links the person's programme, bookings, calendar and badge."""

from __future__ import annotations

from eventhub.extensions import db
from eventhub.signups import services as signups


def test_my_registration_links_programme_bookings_and_calendar(client, world, make, login_as):
    me = make.user("somchai@example.th")
    reg = make.registration(world.event, world.thailand, user=me, email=me.email, status="approved")
    visit = make.session(world.event, kind="site_visit", title="Visit: Shifei factory", bookable=True, capacity=5,
                         start="14:00", end="17:00")
    signups.book(db.session, visit.id, reg.id)
    db.session.commit()
    login_as(me)
    page = client.get(f"/events/{world.event.slug}/registrations/{reg.id}").get_data(as_text=True)
    assert f'href="/events/{world.event.slug}/programme"' in page and "My programme" in page
    assert "Visit: Shifei factory" in page and "Confirmed" in page
    assert f'href="/events/{world.event.slug}/calendar"' in page
    assert "badge.pdf" not in page  # the delegate may not print badges


def test_a_focal_point_sees_the_delegates_programme_and_badge_but_not_their_calendar(client, world, make,
                                                                                     login_as):
    reg = make.registration(world.event, world.thailand, given_name="Lan", status="approved")
    login_as(world.focal)
    page = client.get(f"/events/{world.event.slug}/registrations/{reg.id}").get_data(as_text=True)
    assert f"/programme?registration_id={reg.id}" in page and "Lan's programme" in page
    assert f"/registrations/{reg.id}/badge.pdf" in page
    assert f'href="/events/{world.event.slug}/calendar"' not in page


def test_before_approval_the_page_says_what_comes(client, world, make, login_as):
    me = make.user("waiting@example.th")
    reg = make.registration(world.event, world.thailand, user=me, email=me.email, status="submitted")
    login_as(me)
    page = client.get(f"/events/{world.event.slug}/registrations/{reg.id}").get_data(as_text=True)
    assert "Once the registration is approved, you can book" in page
    assert "My programme</a>" not in page
