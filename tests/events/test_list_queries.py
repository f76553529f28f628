"""The event list (/) and the organizer's dashboard cost the same number of SQL statements with 10
and with 1,000 of everything (events; registrations; sessions), and the list is paged."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest

from eventhub.agenda.models import Session, SessionKind
from eventhub.economies.services import economies_in_order
from eventhub.events.models import Event, EventStatus, Room
from eventhub.extensions import db
from eventhub.registration.models import Delegation, Registration, RegistrationStatus

pytestmark = pytest.mark.slow


def fill(make, prefix: str, n: int, organizer) -> Event:
    """n public events (upcoming and past, several hosts); the first gets n registrations, n sessions,
    rooms and every economy invited, and `organizer` as its organizer. Returns that event."""
    economies = economies_in_order(db.session)
    start = date.today() - timedelta(days=n // 2)
    events = [
        Event(slug=f"{prefix}-{i}", title=f"{prefix.title()} workshop {i}", timezone="Asia/Bangkok",
              start_date=start + timedelta(days=i), end_date=start + timedelta(days=i + 1),
              status=EventStatus.CLOSED if i % 7 == 3 else EventStatus.PUBLISHED,
              host_economy_id=economies[i % len(economies)].id, city="Bangkok")
        for i in range(n)
    ]
    db.session.add_all(events)
    db.session.flush()
    main = events[0]
    main.start_date = date.today() + timedelta(days=30)
    main.end_date = main.start_date + timedelta(days=2)
    main.registration_closes_at = datetime.now(UTC) - timedelta(days=1)
    db.session.add_all(Room(event_id=main.id, name=f"Room {k}", capacity=50) for k in range(3))
    db.session.add_all(Delegation(event_id=main.id, economy_id=e.id, quota=n) for e in economies)
    statuses = list(RegistrationStatus)
    db.session.add_all(
        Registration(event_id=main.id, economy_id=economies[i % len(economies)].id,
                     email=f"{prefix}{i}@example.org", given_name=f"Given{i}", family_name=f"Family{i}",
                     status=statuses[i % len(statuses)])
        for i in range(n))
    first = datetime(main.start_date.year, main.start_date.month, main.start_date.day, 1, tzinfo=UTC)
    db.session.add_all(
        Session(event_id=main.id, kind=SessionKind.PRESENTATION, title=f"Session {i}",
                starts_at=first + timedelta(minutes=10 * i), ends_at=first + timedelta(minutes=10 * i + 5))
        for i in range(n))
    db.session.commit()
    make.role(main, organizer, "organizer")
    return main


def counted(client, query_counter, url: str) -> tuple[int, str]:
    db.session.expire_all()  # as in production: each request starts with an empty ORM session
    with query_counter() as q:
        response = client.get(url)
    assert response.status_code == 200
    return q.count, response.get_data(as_text=True)


@pytest.mark.parametrize("who", ["anonymous", "organizer"])
def test_event_list_and_dashboard_statements_do_not_grow(client, make, login_as, query_counter, who):
    organizer = make.user()
    small = fill(make, "small", 10, organizer)
    if who == "organizer":
        login_as(organizer)
    few = {"list": counted(client, query_counter, "/")[0]}
    if who == "organizer":
        few["dashboard"] = counted(client, query_counter, f"/events/{small.slug}/manage")[0]

    large = fill(make, "large", 1000, organizer)
    many = {"list": counted(client, query_counter, "/")[0]}
    if who == "organizer":
        many["dashboard"], board = counted(client, query_counter, f"/events/{large.slug}/manage")
        assert "Large workshop 0" in board
    assert few == many, f"10 of everything: {few}; 1,000: {many}"
    assert many["list"] <= 6  # the stamp of the kept list, then (changed) the list itself
    if who == "organizer":
        assert many["dashboard"] <= 12


def test_a_thousand_events_are_shown_a_page_at_a_time_with_next_and_previous_links(client, make, query_counter):
    fill(make, "many", 1000, make.user())
    _, first = counted(client, query_counter, "/")
    cards = re.findall(r'href="/events/(many-\d+)/"', first)
    assert 0 < len(set(cards)) <= 30
    assert "More events →" in first and "← Previous" not in first

    _, second = counted(client, query_counter, "/?page=2")
    assert "← Previous" in second and "More events →" in second
    second_cards = set(re.findall(r'href="/events/(many-\d+)/"', second))
    assert second_cards and not second_cards & set(cards)  # the next thirty, none repeated

    # Page by page, every public event is reachable, each exactly once.
    seen: list[str] = []
    page = 1
    while page < 60:  # 1,000 events at 30 a page: 34 pages (a guard against an endless "More")
        body = client.get(f"/?page={page}").get_data(as_text=True)
        seen += re.findall(r'<h3><a href="/events/(many-\d+)/"', body)
        if "More events →" not in body:
            break
        page += 1
    assert len(seen) == len(set(seen)) == 1000
