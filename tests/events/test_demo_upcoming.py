"""The upcoming demo workshop: on a fresh load, a newcomer can register, book and rank."""

import re
from datetime import date, timedelta

import sqlalchemy as sa

from eventhub.extensions import db
from tests.conftest import PASSWORD, login


def _load():
    from eventhub.demo import load_demo

    accounts = load_demo(db.session, PASSWORD)
    db.session.commit()
    return accounts


def test_the_upcoming_workshop_is_a_month_ahead_and_open_and_the_finished_one_stays(app):
    from eventhub.demo import DEMO_SLUG
    from eventhub.demo_upcoming import UPCOMING_SLUG
    from eventhub.events.models import Event

    accounts = dict(_load())
    upcoming = db.session.scalar(sa.select(Event).where(Event.slug == UPCOMING_SLUG))
    finished = db.session.scalar(sa.select(Event).where(Event.slug == DEMO_SLUG))
    assert finished.start_date == date(2025, 6, 28)
    assert upcoming.start_date - date.today() == timedelta(days=30)
    assert upcoming.city == "Chengdu" and upcoming.registration_is_open()
    assert f"/events/{UPCOMING_SLUG}" in accounts
    assert any(key.startswith("/r/") and "delegate2@example.org" in role for key, role in accounts.items())
    # A second load adds nothing and moves nothing.
    _load()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Event)) == 2


def test_the_demo_delegate_registers_books_the_site_visit_and_ranks_the_roundtables(app, client, mailbox):
    from eventhub.accounts.services import find_user
    from eventhub.agenda.models import Session, SessionKind
    from eventhub.demo_upcoming import UPCOMING_SLUG
    from eventhub.registration.models import Registration, RegistrationStatus
    from eventhub.signups.models import Booking, BookingStatus, RoundtablePreference
    from tests.registration.conftest import form_data

    accounts = _load()
    [link] = [key for key, role in accounts if key.startswith("/r/") and "delegate2@example.org" in role]
    delegate = find_user(db.session, "delegate2@example.org")
    login(client, delegate)

    # Register through Japan's link.
    page = client.get(link).get_data(as_text=True)
    assert "Register for the Japan delegation" in page
    response = client.post(link, data=form_data(email="delegate2@example.org", given_name="Yui", family_name="Sato",
                                                name_local="佐藤 結衣"))
    assert response.status_code == 302, response.get_data(as_text=True)
    reg = db.session.scalar(sa.select(Registration).where(Registration.email == "delegate2@example.org",
                                                          Registration.event.has(slug=UPCOMING_SLUG)))
    assert reg.status == RegistrationStatus.APPROVED  # no approval needed on the upcoming demo
    assert reg.user_id == delegate.id

    # Book the site visit from its page.
    visit = db.session.scalar(sa.select(Session).where(Session.event_id == reg.event_id,
                                                       Session.kind == SessionKind.SITE_VISIT))
    page = client.get(f"/events/{UPCOMING_SLUG}/sessions/{visit.id}").get_data(as_text=True)
    assert "Book a seat" in page
    response = client.post(f"/events/{UPCOMING_SLUG}/sessions/{visit.id}/book",
                           data={"registration_id": str(reg.id)}, follow_redirects=True)
    assert "You have a seat in" in response.get_data(as_text=True)
    booking = db.session.scalar(sa.select(Booking).where(Booking.registration_id == reg.id))
    assert booking.status == BookingStatus.CONFIRMED

    # Rank the three roundtables.
    page = client.get(f"/events/{UPCOMING_SLUG}/roundtables").get_data(as_text=True)
    slot = re.search(r'name="slot" value="([^"]+)"', page).group(1)
    tables = list(db.session.scalars(sa.select(Session.id).where(
        Session.event_id == reg.event_id, Session.kind == SessionKind.ROUNDTABLE).order_by(Session.id)))
    assert len(tables) == 3
    response = client.post(f"/events/{UPCOMING_SLUG}/roundtables", follow_redirects=True,
                           data={"slot": slot, "choice_1": str(tables[1]), "choice_2": str(tables[0]),
                                 "choice_3": str(tables[2])})
    assert "Your ranking is saved." in response.get_data(as_text=True)
    ranks = dict(db.session.execute(sa.select(RoundtablePreference.session_id, RoundtablePreference.rank)
                                    .where(RoundtablePreference.registration_id == reg.id)).all())
    assert ranks == {tables[1]: 1, tables[0]: 2, tables[2]: 3}
