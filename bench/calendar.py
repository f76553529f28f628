"""Calendar feeds: a 500-session event feed, a personal feed, the 304 path and the personal feed's queries.

- calendar.event_feed_500_ms: median time of GET /events/<slug>/agenda.ics for a 500-session event
  (full build, no conditional headers), served by gunicorn; target under 50 ms.
- calendar.personal_feed_ms: median time of GET /calendar/<token>.ics for a delegate with 10 bookings
  and 10 sessions for everyone (20 events, a busy delegate's week); target under 5 ms.
  calendar.personal_feed_70_ms: the same for a delegate with 60 bookings (70 events), for scale.
- calendar.not_modified_rps_ratio: requests per second of the event feed answered 304 (If-None-Match),
  divided by the bare-insert baseline; target at least 0.7.
- calendar.personal_feed_queries: SQL statements of one personal feed request; must be the same for
  10 and for 100 bookings (calendar.personal_feed_queries_growth reports the difference, 0).
"""

from __future__ import annotations

import http.client
import statistics
import time
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import sqlalchemy as sa

SESSIONS = 500
SLUG = "bench-calendar"


def _seed(app) -> dict:
    from eventhub.agenda.models import Session, SessionKind, SessionSpeaker, SpeakerRole
    from eventhub.db import write_intent
    from eventhub.economies.models import Economy
    from eventhub.events.models import Event, EventStatus, Room
    from eventhub.extensions import db
    from eventhub.registration.models import Registration, RegistrationStatus, new_token
    from eventhub.signups.models import Booking, BookingStatus

    zone = ZoneInfo("Asia/Shanghai")
    start = date(2030, 9, 1)
    with app.app_context(), write_intent():
        s = db.session
        event = Event(slug=SLUG, title="Bench Calendar Workshop – 中小企业集群发展", timezone="Asia/Shanghai",
                      start_date=start, end_date=start + timedelta(days=9), status=EventStatus.PUBLISHED,
                      city="Guangzhou", venue="Baiyun International Convention Center",
                      address="No. 1 Yuntai Road, Baiyun District, Guangzhou", contact_email="bench@example.org")
        s.add(event)
        s.flush()
        rooms = [Room(event_id=event.id, name=f"Room {i + 1} – 会议室", capacity=80) for i in range(10)]
        s.add_all(rooms)
        s.flush()
        economy_id = s.scalar(sa.select(Economy.id).order_by(Economy.sort_key).limit(1))
        people = [
            {"event_id": event.id, "economy_id": economy_id, "email": f"cal{i}@bench.example.org",
             "given_name": f"Given{i}", "family_name": "Nguyễn", "status": RegistrationStatus.APPROVED,
             "calendar_token": new_token(), "confirm_token": new_token()}
            for i in range(3)
        ]
        s.execute(sa.insert(Registration), people)
        reg_ids = list(s.scalars(sa.select(Registration.id).where(Registration.event_id == event.id)
                                 .order_by(Registration.id)))
        kinds = list(SessionKind)
        rows = []
        for i in range(SESSIONS):
            day = start + timedelta(days=i % 10)
            slot = (i // 10) % 10
            begins = datetime(day.year, day.month, day.day, 8 + slot, 0, tzinfo=zone)
            rows.append({
                "event_id": event.id, "kind": kinds[i % len(kinds)],
                "title": f"Session {i + 1}: SME cluster development in biomedicine, new energy and new materials",
                "description": "Experts from the host economy and guests present cases; questions follow.\n"
                               "Interpretation Chinese–English. 中英同传。",
                "starts_at": begins, "ends_at": begins + timedelta(minutes=50),
                "room_id": rooms[(i // 50) % len(rooms)].id, "is_public": True, "for_everyone": i % 50 == 0,
                "bookable": i % 5 == 1, "capacity": 300 if i % 5 == 1 else None,
            })
        s.execute(sa.insert(Session), rows)
        session_ids = list(s.scalars(sa.select(Session.id).where(Session.event_id == event.id).order_by(Session.id)))
        speakers = []
        for n, sid in enumerate(session_ids):
            speakers.append({"session_id": sid, "external_name": f"Dr. Expert {n}", "affiliation": "SME Institute",
                             "role": SpeakerRole.SPEAKER, "position": 0})
            speakers.append({"session_id": sid, "registration_id": reg_ids[2], "role": SpeakerRole.MODERATOR,
                             "position": 1, "external_name": ""})
        s.execute(sa.insert(SessionSpeaker), speakers)
        bookable = [sid for i, sid in enumerate(session_ids) if i % 5 == 1]
        # Delegate 0 has 10 bookings, delegate 1 has 60 (the personal-feed figure), delegate 2 speaks everywhere.
        bookings = [{"session_id": sid, "registration_id": reg_ids[0], "economy_id": economy_id,
                     "status": BookingStatus.CONFIRMED} for sid in bookable[:10]]
        bookings += [{"session_id": sid, "registration_id": reg_ids[1], "economy_id": economy_id,
                      "status": BookingStatus.CONFIRMED} for sid in bookable[:60]]
        s.execute(sa.insert(Booking), bookings)
        s.commit()
        tokens = dict(s.execute(sa.select(Registration.id, Registration.calendar_token)
                                .where(Registration.id.in_(reg_ids))).all())
        return {"event_id": event.id, "registration_ids": reg_ids, "tokens": [tokens[r] for r in reg_ids],
                "bookable": bookable, "economy_id": economy_id}


def _timed_gets(base_url: str, path: str, n: int, headers: dict | None = None) -> tuple[float, int, bytes]:
    """Median milliseconds of n sequential GETs on one keep-alive connection (after 3 warm-ups)."""
    host = urlsplit(base_url)
    conn = http.client.HTTPConnection(host.hostname, host.port, timeout=30)
    times = []
    status, body = 0, b""
    for i in range(n + 3):
        t0 = time.perf_counter()
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        body = response.read()
        status = response.status
        if i >= 3:
            times.append((time.perf_counter() - t0) * 1000)
    conn.close()
    return statistics.median(times), status, body


def _etag(base_url: str, path: str) -> str:
    host = urlsplit(base_url)
    conn = http.client.HTTPConnection(host.hostname, host.port, timeout=30)
    conn.request("GET", path)
    response = conn.getresponse()
    response.read()
    conn.close()
    return response.getheader("ETag")


def _queries(app, token: str) -> int:
    from eventhub.extensions import db

    count = 0

    def _before(conn, cursor, statement, *args):
        nonlocal count
        if not statement.strip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK", "PRAGMA", "SAVEPOINT", "RELEASE")):
            count += 1

    client = app.test_client()
    with app.app_context():
        engine = db.engine
        client.get(f"/calendar/{token}.ics")  # warm caches (time zone, URL map)
        sa.event.listen(engine, "before_cursor_execute", _before)
        try:
            response = client.get(f"/calendar/{token}.ics")
        finally:
            sa.event.remove(engine, "before_cursor_execute", _before)
    assert response.status_code == 200, response.status_code
    return count


def run(b) -> None:
    seed = _seed(b.app)
    feed = f"/events/{SLUG}/agenda.ics"

    ms, status, body = _timed_gets(b.base_url, feed, 30)
    if status != 200 or body.count(b"BEGIN:VEVENT") != SESSIONS:
        b.failures.append(f"{feed}: status {status}, {body.count(b'BEGIN:VEVENT')} events")
    b.report("calendar.event_feed_500_ms", round(ms, 2))

    for token, name in ((seed["tokens"][0], "calendar.personal_feed_ms"),
                        (seed["tokens"][1], "calendar.personal_feed_70_ms")):
        ms, status, body = _timed_gets(b.base_url, f"/calendar/{token}.ics", 100)
        if status != 200:
            b.failures.append(f"personal feed: status {status}")
        b.report(name, round(ms, 2))

    etag = _etag(b.base_url, feed)
    ms_304, status, _ = _timed_gets(b.base_url, feed, 30, {"If-None-Match": etag})
    if status != 304:
        b.failures.append(f"{feed} with If-None-Match answered {status}")
    b.report_ratio("calendar.not_modified_rps_ratio", feed, headers={"If-None-Match": etag})

    small = _queries(b.app, seed["tokens"][0])  # 10 bookings
    # Give delegate 0 many more bookings and count again.
    from eventhub.db import write_intent
    from eventhub.extensions import db
    from eventhub.signups.models import Booking, BookingStatus

    with b.app.app_context(), write_intent():
        db.session.execute(sa.insert(Booking), [
            {"session_id": sid, "registration_id": seed["registration_ids"][0], "economy_id": seed["economy_id"],
             "status": BookingStatus.CONFIRMED} for sid in seed["bookable"][10:]
        ])
        db.session.commit()
    large = _queries(b.app, seed["tokens"][0])  # 100 bookings
    b.report("calendar.personal_feed_queries", large)
    b.report("calendar.personal_feed_queries_growth", large - small)
