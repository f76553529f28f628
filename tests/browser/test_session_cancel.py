"""An organizer clicks "Cancel…" on a session: a confirmation says how many people will be told; only
the confirm button cancels; the cancelled session can be reinstated."""

import sqlalchemy as sa

from eventhub.agenda.models import Session, SessionStatus
from eventhub.extensions import db
from eventhub.signups import services
from tests.browser.conftest import browser_login
from tests.conftest import PASSWORD


def text(page, selector: str) -> str:
    return " ".join(page.inner_text(selector).split())


def status_of(session_id: int) -> SessionStatus:
    db.session.rollback()
    status = db.session.scalar(sa.select(Session.status).where(Session.id == session_id))
    db.session.rollback()  # hold no transaction open while the server works
    return status


def test_cancel_asks_first_then_cancels_and_reinstates(page, live_server, make):
    page.set_default_timeout(30_000)
    event = make.event()
    visit = make.session(event, kind="site_visit", title="Site visit: Shifei Cosmetics", bookable=True, capacity=1,
                         start="14:00", end="16:30")
    for _ in range(2):  # one seat holder, one on the waitlist
        services.book(db.session, visit.id, make.registration(event).id, notify_person=False)
    db.session.commit()
    email = make.staff(event, "organizer", "organizer@example.org").email
    db.session.rollback()
    browser_login(page, live_server, email, PASSWORD)

    manage = f"{live_server}/events/{event.slug}/agenda/manage"
    page.goto(manage)
    page.get_by_role("link", name=f"Cancel {visit.title}…").click()
    assert "2 participants will be told by e-mail." in text(page, "#cancel-summary")
    assert status_of(visit.id) == SessionStatus.SCHEDULED  # the click only asked

    page.get_by_role("link", name="Keep it").click()
    page.wait_for_url(f"{manage}*")
    assert status_of(visit.id) == SessionStatus.SCHEDULED

    page.get_by_role("link", name=f"Cancel {visit.title}…").click()
    page.get_by_role("button", name="Cancel the session").click()
    assert "2 participants were told by e-mail." in text(page, ".flashes")
    assert status_of(visit.id) == SessionStatus.CANCELLED
    assert "Cancelled" in text(page, f"#session-{visit.id}")

    page.get_by_role("link", name=f"Reinstate {visit.title}…").click()
    assert "Bookings do not come back by themselves" in text(page, "#main")
    page.get_by_role("button", name="Reinstate the session").click()
    assert "Its bookings do not come back by themselves" in text(page, ".flashes")
    assert status_of(visit.id) == SessionStatus.SCHEDULED
