"""The public event list and event page under gunicorn, beside the bare-insert baseline.

- events.page_rps / events.page_rps_ratio: the large event's public page (target: ratio at least 0.4).
- events.list_rps / events.list_rps_ratio: the public list of published events, with 1,000 more events
  added so that the list is long.
- events.page_queries / events.list_queries: SQL statements of one request (the same for 3 or 300 events).
- events.dashboard_rps_ratio: the organizer's dashboard of the large event (aggregate queries over 10,000
  registrations), logged in.
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

EXTRA_EVENTS = 1000  # the figure: an instance with 1,000 events keeps its list fast


def _seed_events(b) -> None:
    from eventhub.db import write_intent
    from eventhub.events.models import Event, EventStatus
    from eventhub.extensions import db

    ds = b.dataset
    with b.app.app_context(), write_intent():
        economies = ds.economy_ids or [None]
        db.session.execute(sa.insert(Event), [
            {"slug": f"bench-event-{i}", "title": f"Bench workshop {i}", "timezone": "Asia/Bangkok",
             "start_date": ds.start_date - timedelta(days=7 * i), "end_date": ds.start_date - timedelta(days=7 * i - 1),
             "status": EventStatus.PUBLISHED if i % 5 else EventStatus.CLOSED, "city": "Bangkok",
             "host_economy_id": economies[i % len(economies)], "series": f"SMEWG {i}"}
            for i in range(1, EXTRA_EVENTS + 1)])
        db.session.commit()


def _queries(b, path: str) -> int:
    from tests.conftest import count_queries

    with b.app.app_context():
        client = b.app.test_client()
        client.get(path)
        with count_queries() as q:
            assert client.get(path).status_code == 200
    return q.count


def run(b) -> None:
    _seed_events(b)
    page = f"/events/{b.dataset.slug}/"
    b.report("events.page_queries", _queries(b, page))
    b.report("events.list_queries", _queries(b, "/"))

    b.report_ratio("events.page_rps_ratio", page, rps_name="events.page_rps")
    b.report_ratio("events.list_rps_ratio", "/", rps_name="events.list_rps")

    headers = b.login(*b.dataset.organizer)
    b.report_ratio("events.dashboard_rps_ratio", f"/events/{b.dataset.slug}/manage", headers=headers,
                   rps_name="events.dashboard_rps")
