"""An announcement in a browser: the organizer writes to those booked on the site visit, previews
it, sends it; the mail worker delivers it to the booked delegate and to nobody else."""

from __future__ import annotations

from eventhub.extensions import db
from eventhub.signups.models import Booking, BookingStatus
from tests.browser.conftest import browser_login
from tests.conftest import PASSWORD


def test_organizer_announces_to_the_site_visit(page, live_server, make, mailbox):
    event = make.event(slug="cluster", title="Cluster Workshop")
    make.staff(event, "organizer", "org@example.org")
    tha = make.delegation(event, "THA", quota=5)
    visit = make.session(event, title="Shifei Cosmetics site visit", kind="site_visit", start="13:20",
                         end="17:00", bookable=True, capacity=10)
    booked = make.registration(event, tha, email="anong@example.org", given_name="Anong")
    make.registration(event, tha, email="boon@example.org", given_name="Boon")
    db.session.add(Booking(session_id=visit.id, registration_id=booked.id, economy_id=tha.economy_id,
                           status=BookingStatus.CONFIRMED))
    visit.taken = 1
    db.session.commit()

    browser_login(page, live_server, "org@example.org", PASSWORD)
    page.goto(f"{live_server}/events/cluster/manage")
    page.click(".event-nav >> text=Announcements")
    page.click("text=Write an announcement")
    page.fill("input[name=subject]", "The bus leaves at 13:20")
    page.fill("textarea[name=body]", "Dear {{ first_name }},\n\nThe bus leaves at **13:20** from the main lobby.")
    page.select_option("select[name=session_id]", label=page.locator(
        "select[name=session_id] option", has_text="Shifei Cosmetics site visit").inner_text())
    page.click("input[name=preview]")
    assert page.locator("#recipient-count").inner_text().startswith("1 recipient")
    assert page.locator("#recipient-names").inner_text() == "Anong"
    assert "Dear Anong," in page.locator("#preview-html").inner_text()
    page.click("input[name=send]")
    assert page.locator("text=The announcement is queued for 1 person.").count() == 1

    received = mailbox.to("anong@example.org")
    assert len(received) == 1
    assert received[0].subject == "The bus leaves at 13:20"
    assert "Dear Anong," in received[0].text()
    assert received[0].parts("text/html")
    assert mailbox.to("boon@example.org") == []
    page.reload()
    assert "delivered: 1" in page.locator("#delivery-states").inner_text()
