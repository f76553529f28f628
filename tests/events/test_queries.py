"""The public event list and event page issue the same number of SQL statements for 3 and for 300 events."""

from datetime import date, timedelta

import pytest

from eventhub.events.models import Event, EventStatus, Room
from eventhub.extensions import db


def add_events(make, count: int, prefix: str) -> Event:
    """`count` published events across several host economies, each with two rooms; returns the last."""
    economies = [make.economy(code) for code in ("PRC", "THA", "PE", "JPN", "USA")]
    start = date.today() - timedelta(days=count // 2)
    events = [
        Event(slug=f"{prefix}-{i}", title=f"Workshop {i}", timezone="Asia/Bangkok", start_date=start + timedelta(days=i),
              end_date=start + timedelta(days=i + 1), status=EventStatus.PUBLISHED if i % 7 else EventStatus.CLOSED,
              host_economy_id=economies[i % len(economies)].id, city="Bangkok")
        for i in range(count)
    ]
    db.session.add_all(events)
    db.session.flush()
    db.session.add_all(Room(event_id=e.id, name=f"Room {k}", capacity=20) for e in events for k in range(2))
    db.session.commit()
    return events[-1]


def count_pages(client, query_counter, slug):
    # Under the test client the ORM session outlives a request; start each one from a clean slate,
    # as in production, so that what the test loaded earlier does not hide queries.
    counts = {}
    db.session.expire_all()
    with query_counter() as q:
        assert client.get("/").status_code == 200
    counts["list"] = q.count
    db.session.expire_all()
    with query_counter() as q:
        assert client.get(f"/events/{slug}/").status_code == 200
    counts["page"] = q.count
    return counts


@pytest.mark.parametrize("who", ["anonymous", "organizer"])
def test_event_list_and_page_queries_do_not_grow_with_the_number_of_events(client, make, login_as, query_counter,
                                                                            who):
    small = add_events(make, 3, "small")
    if who == "organizer":
        user = make.staff(small, "organizer")
        login_as(user)
    few = count_pages(client, query_counter, small.slug)

    large = add_events(make, 297, "large")  # 300 in all
    if who == "organizer":
        make.role(large, user, "organizer")
    many = count_pages(client, query_counter, large.slug)

    listing = client.get("/").get_data(as_text=True)
    assert "Coming up" in listing and "More events" in listing
    assert few == many, f"3 events: {few}, 300 events: {many}"
    assert many["list"] <= 6 and many["page"] <= 6  # list: the stamp of the kept list, then the list


def test_upcoming_events_come_first_soonest_first_then_past_ones_thirty_to_a_page(client, make):
    today = date.today()
    make.event(slug="next-month", title="Next month", start=today + timedelta(days=30))
    make.event(slug="next-week", title="Next week", start=today + timedelta(days=7))
    db.session.add_all(
        Event(slug=f"past-{i}", title=f"Past workshop {i}", timezone="UTC", start_date=today - timedelta(days=10 + i),
              end_date=today - timedelta(days=10 + i), status=EventStatus.PUBLISHED)
        for i in range(35)
    )
    db.session.commit()
    page = client.get("/").get_data(as_text=True)
    assert page.index("Next week") < page.index("Next month") < page.index("Past events") < page.index("Past workshop 0<")
    # 30 to a page: the 2 upcoming events and the 28 latest past ones, then the rest.
    assert "Past workshop 27<" in page and "Past workshop 28<" not in page
    assert 'href="/?page=2"' in page
    older = client.get("/?page=2").get_data(as_text=True)
    assert "Past workshop 28<" in older and "Past workshop 34<" in older and "Next week" not in older
    assert "Past workshop 27<" not in older and 'href="/?page=3"' not in older
    assert client.get("/?page=nonsense").status_code == 200
