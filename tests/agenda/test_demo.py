"""The demo workshop's programme: loaded twice, nothing doubles; a newcomer sees seats, a waitlist, a preview."""

import sqlalchemy as sa

from eventhub.agenda.models import Session
from eventhub.demo import DEMO_SLUG, load_demo
from eventhub.extensions import db
from eventhub.signups.models import AllocationRun, Booking, BookingStatus, RoundtablePreference
from tests.conftest import PASSWORD


def _counts():
    return (db.session.scalar(sa.select(sa.func.count()).select_from(Session)),
            db.session.scalar(sa.select(sa.func.count()).select_from(Booking)),
            db.session.scalar(sa.select(sa.func.count()).select_from(RoundtablePreference)),
            db.session.scalar(sa.select(sa.func.count()).select_from(AllocationRun)))


def test_demo_programme_is_idempotent_and_shows_seats_waitlist_and_preview(client, login_as):
    load_demo(db.session, PASSWORD)
    db.session.commit()
    first = _counts()
    load_demo(db.session, PASSWORD)
    db.session.commit()
    assert _counts() == first
    sessions, bookings, preferences, runs = first
    assert sessions >= 10 and bookings > 0 and preferences > 0 and runs == 1

    shifei = db.session.scalar(sa.select(Session).where(Session.title.like("%Shifei%")))
    seye = db.session.scalar(sa.select(Session).where(Session.title.like("%Seye%")))
    assert shifei.seats_left == 0 and seye.seats_left > 0
    waiting = db.session.scalar(sa.select(sa.func.count()).select_from(Booking).where(
        Booking.session_id == shifei.id, Booking.status == BookingStatus.WAITLISTED))
    assert waiting > 0

    page = client.get(f"/events/{DEMO_SLUG}/agenda").get_data(as_text=True)
    for text in ("Opening remarks", "Roundtable: biomedicine", "Guangdong Shifei Cosmetics", "Business matching",
                 "waitlist open", "seats left"):
        assert text in page

    from eventhub.accounts.models import User

    login_as(db.session.scalar(sa.select(User).where(User.email == "organizer@example.org")))
    preview = client.get(f"/events/{DEMO_SLUG}/allocation").get_data(as_text=True)
    assert "Preview" in preview and "got their first choice" in preview
