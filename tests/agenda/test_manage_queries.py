"""The organizer's agenda list checks every session for conflicts in a fixed number of queries."""

from tests.agenda.test_agenda_page import _populate


def test_manage_page_queries_do_not_grow_with_sessions(client, make, login_as, query_counter):
    counts = {}
    pages = {}
    for slug, n in (("five", 5), ("fifty", 50)):
        event = make.event(slug=slug)
        _populate(make, event, n, 2)
        login_as(make.staff(event, "organizer"))
        with query_counter() as q:
            response = client.get(f"/events/{slug}/agenda/manage")
        assert response.status_code == 200
        counts[slug] = q.count
        pages[slug] = response.get_data(as_text=True)
    assert counts["five"] == counts["fifty"], counts
    # The conflicts are still found: the same room and the same speaker in parallel sessions.
    assert "is already booked for" in pages["fifty"]
    assert "at the same time" in pages["fifty"]


def test_manage_page_warns_of_a_visit_returning_after_its_participants_next_session(client, make, login_as):
    from datetime import timedelta

    from eventhub.agenda.models import SiteVisit
    from eventhub.extensions import db
    from eventhub.signups.models import Booking

    event = make.event()
    visit = make.session(event, title="Visit: Shifei", kind="site_visit", start="14:00", end="16:30",
                         bookable=True, capacity=5)
    visit.site_visit = SiteVisit(host_name="Shifei", departs_at=visit.starts_at - timedelta(minutes=30),
                                 returns_at=visit.ends_at + timedelta(hours=1))
    dinner = make.session(event, title="Dinner talk", start="17:00", end="18:00", bookable=True, capacity=5)
    reg = make.registration(event)
    for s in (visit, dinner):  # as an organizer's override could leave them
        db.session.add(Booking(session_id=s.id, registration_id=reg.id, economy_id=reg.economy_id,
                               status="confirmed"))
    db.session.commit()
    login_as(make.staff(event, "organizer"))
    page = client.get(f"/events/{event.slug}/agenda/manage").get_data(as_text=True)
    assert "after “Dinner talk” starts at 17:00 (1 of the visit&#39;s participants are booked on it)" in page \
        or "after “Dinner talk” starts at 17:00 (1 of the visit's participants are booked on it)" in page


def test_moving_a_visit_away_from_its_bus_times_is_warned(make):
    from datetime import timedelta

    import pytest

    from eventhub.agenda import services
    from eventhub.agenda.models import SessionKind

    event = make.event()
    start = make.session(event, title="x").starts_at.replace(hour=6)  # 14:00 in Guangzhou
    visit = services.VisitInput(host_name="Shifei", departs_at=start - timedelta(minutes=40),
                                returns_at=start + timedelta(hours=3, minutes=15))
    data = services.SessionInput(kind=SessionKind.SITE_VISIT, title="Visit", starts_at=start,
                                 ends_at=start + timedelta(hours=2, minutes=30), visit=visit)
    from eventhub.extensions import db

    session = services.save_session(db.session, event, data)
    db.session.commit()
    # Moved to the morning; the bus still leaves at 13:20 and comes back at 17:15.
    data.starts_at, data.ends_at = start - timedelta(hours=5), start - timedelta(hours=3)
    with pytest.raises(services.WarningsNotAccepted) as caught:
        services.save_session(db.session, event, data, session=session)
    messages = " ".join(p.message for p in caught.value.problems)
    assert "The departure" in messages and "is after the visit starts" in messages
