"""Attendance: the scanner API's throughput and the attendance summary on a large event.

- checkin.rps_ratio: POST /api/events/<slug>/checkins (API token, badge QR token, fresh nonce, a new
  person/session pair each time, so every request inserts), requests per second divided by the
  bare-insert baseline; target at least 0.3.
- checkin.sync_200_s: a phone desk back online sends its queue of 200 offline scans (its desk token,
  each scan with its nonce and its own time, one after another as the desk does), in seconds. Target
  under 5 s.
- report.summary_ms: median time of GET /events/<slug>/reports/attendance (the whole page: eight
  GROUP BY queries, tables and SVG charts) for 10,000 registrations and 100,000 check-ins, served by
  gunicorn; report.builder_ms is the summary builder alone, in-process.
- report.plain_sql_ms: median time of the same figures computed by hand-written SQL GROUP BY
  queries on the same data, through a raw DB-API cursor; report.summary_ratio = summary_ms ÷
  plain_sql_ms, target at most 2.
- report.summary_queries: SQL statements of one summary build (constant whatever the data).
"""

from __future__ import annotations

import http.client
import json
import statistics
import time
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import sqlalchemy as sa

from bench.harness import SECRET

CHECKINS = 100_000
API_SESSIONS = 20  # sessions left without check-ins, for the API benchmark's inserts
RUNS = 9


def _seed(b) -> dict:
    from eventhub.accounts.models import EventRole, EventRoleKind, User
    from eventhub.agenda.models import Session
    from eventhub.attendance.api_access import issue_api_token
    from eventhub.attendance.models import CheckIn
    from eventhub.db import write_intent
    from eventhub.events.models import Event
    from eventhub.extensions import db
    from eventhub.registration.models import Registration, RegistrationStatus

    ds = b.dataset
    with b.app.app_context(), write_intent():
        s = db.session
        event = s.get(Event, ds.event_id)
        sessions = s.execute(sa.select(Session.id, Session.starts_at, Session.bookable)
                             .where(Session.event_id == event.id).order_by(Session.id)).all()
        # The API scans free sessions that need no booking: a plain check-in of a bookable session
        # refuses whoever has not booked it (and so do the submitted, below).
        open_sessions = [row for row in sessions if not row.bookable]
        free = open_sessions[-API_SESSIONS:]
        seeded = [row for row in sessions if row not in free]
        day_of = {sid: starts.astimezone(event.tz).date() for sid, starts, _ in sessions}
        days = [event.start_date + timedelta(days=d) for d in range((event.end_date - event.start_date).days + 1)]
        regs = ds.registration_ids
        scanned = datetime(event.start_date.year, event.start_date.month, event.start_date.day, 1, 0, tzinfo=UTC)
        rows = []
        for i, rid in enumerate(regs):  # most people come most days…
            for d, day in enumerate(days):
                if (i + d) % 7:
                    rows.append({"event_id": event.id, "registration_id": rid, "day": day, "session_id": None,
                                 "scanned_at": scanned, "recorded_at": scanned, "source": "desk", "desk": "Desk 1",
                                 "undone_at": scanned if i % 97 == 0 else None})
        k = 0
        while len(rows) < CHECKINS:  # …and to several sessions each
            for i, rid in enumerate(regs):
                sid = seeded[(i * 7 + k * 13) % len(seeded)][0]
                rows.append({"event_id": event.id, "registration_id": rid, "day": day_of[sid], "session_id": sid,
                             "scanned_at": scanned, "recorded_at": scanned, "source": "api", "desk": "",
                             "undone_at": None})
                if len(rows) >= CHECKINS:
                    break
            k += 1
        for start in range(0, len(rows), 10_000):
            s.execute(sa.insert(CheckIn), rows[start:start + 10_000])
        scanner = User(email="bench-scanner@example.org", name="Bench Scanner")
        s.add(scanner)
        s.flush()
        s.add(EventRole(event_id=event.id, user_id=scanner.id, role=EventRoleKind.CHECKIN))
        token = issue_api_token(s, scanner)
        s.commit()
        # A live database has planner statistics; a bulk load has none until (auto)analyze runs.
        # Nor does it carry a bulk load's pages in SQLite's write-ahead log: the first checkpoint
        # under load would write them all back in the middle of the measurement.
        with db.engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE")
            conn.commit()
        if db.engine.dialect.name == "sqlite":
            raw = db.engine.raw_connection()  # outside any transaction, as a checkpoint must be
            try:
                raw.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                raw.close()
        approved = set(s.scalars(sa.select(Registration.id).where(
            Registration.event_id == event.id, Registration.status == RegistrationStatus.APPROVED)))
        return {"event_id": event.id, "token": token, "free_sessions": [row.id for row in free],
                "regs": [rid for rid in regs if rid in approved], "checkins": len(rows)}


def _api(b, seed) -> None:
    from eventhub.attendance.tokens import sign_badge

    regs, free, event_id = seed["regs"], seed["free_sessions"], seed["event_id"]
    per_thread = len(regs) * len(free) // 64
    # Each thread's own count goes on from the warm-up into the measurement, so that no pair is
    # scanned twice (load() numbers each call's requests from 0).
    sent = [0] * 64

    def body(thread: int, n: int):
        k = thread * per_thread + sent[thread]
        sent[thread] += 1
        rid = regs[k % len(regs)]
        sid = free[(k // len(regs)) % len(free)]
        payload = {"token": sign_badge(SECRET, event_id, rid, 0), "session_id": sid,
                   "nonce": f"bench-{thread}-{n}-{time.monotonic_ns()}", "desk": f"Gate {thread}"}
        return json.dumps(payload).encode(), "application/json"

    b.report_ratio("checkin.rps_ratio", f"/api/events/{b.dataset.slug}/checkins", rps_name="checkin.rps",
                   method="POST", make_body=body, expect=(200, 201),
                   headers={"Authorization": f"Bearer {seed['token']}"})


def _desk_sync(b, seed) -> None:
    """What static/desk/desk.js does on reconnecting: the queue, oldest first, one POST at a time."""
    from eventhub.accounts.models import User
    from eventhub.attendance.desk_tokens import issue_desk_token
    from eventhub.attendance.tokens import sign_badge
    from eventhub.db import utcnow, write_intent
    from eventhub.events.models import Event
    from eventhub.extensions import db

    with b.app.app_context(), write_intent():
        event = db.session.get(Event, seed["event_id"])
        scanner = db.session.scalar(sa.select(User).where(User.email == "bench-scanner@example.org"))
        _row, token = issue_desk_token(db.session, event, scanner, "Factory gate")
        db.session.commit()
    # People and sessions the throughput run did not reach (it takes pairs from the front).
    regs, free = seed["regs"][::-1], seed["free_sessions"][::-1]
    offline_since = utcnow() - timedelta(minutes=30)
    queue = [{"nonce": f"desk-sync-{i}", "token": sign_badge(SECRET, seed["event_id"], regs[i % len(regs)], 0),
              "session_id": free[(i // len(regs)) % len(free)], "desk": "Factory gate",
              "scanned_at": (offline_since + timedelta(seconds=5 * i)).isoformat()} for i in range(200)]
    host = urlsplit(b.base_url)
    conn = http.client.HTTPConnection(host.hostname, host.port, timeout=60)
    statuses: dict[int, int] = {}
    started = time.perf_counter()
    for item in queue:
        conn.request("POST", f"/api/events/{b.dataset.slug}/checkins", body=json.dumps(item), headers={
            "Authorization": f"Bearer {token}", "Content-Type": "application/json", "Accept": "application/json"})
        response = conn.getresponse()
        response.read()
        statuses[response.status] = statuses.get(response.status, 0) + 1
    took = time.perf_counter() - started
    conn.close()
    if set(statuses) - {200, 201}:
        b.failures.append(f"desk sync: answers {statuses}")
    b.report("checkin.sync_200_s", round(took, 2))


_CAME = ("EXISTS (SELECT 1 FROM checkins c WHERE c.registration_id = r.id AND c.undone_at IS NULL)")
_COUNTS = f"""sum(CASE WHEN r.status IN ('submitted','approved','waitlisted') THEN 1 ELSE 0 END),
              sum(CASE WHEN r.status = 'approved' THEN 1 ELSE 0 END),
              sum(CASE WHEN {_CAME} THEN 1 ELSE 0 END),
              sum(CASE WHEN r.status = 'approved' AND NOT {_CAME} THEN 1 ELSE 0 END)"""

# The summary's figures written by hand: the best plain SQL, run through a bare connection.
PLAIN_SQL = [
    # totals and economies registered / represented
    f"""SELECT {_COUNTS},
              count(DISTINCT CASE WHEN r.status IN ('submitted','approved','waitlisted') THEN r.economy_id END),
              count(DISTINCT CASE WHEN {_CAME} THEN r.economy_id END)
       FROM registrations r WHERE r.event_id = :e""",
    f"""SELECT x.name, {_COUNTS} FROM registrations r JOIN economies x ON x.id = r.economy_id
       WHERE r.event_id = :e GROUP BY x.id, x.name, x.sort_key ORDER BY x.sort_key""",
    *[f"SELECT r.{col}, {_COUNTS} FROM registrations r WHERE r.event_id = :e GROUP BY r.{col}"
      for col in ("sex", "category", "funding")],
    # per day
    """SELECT c.day, count(DISTINCT c.registration_id),
              count(DISTINCT CASE WHEN r.sex = 'female' THEN c.registration_id END),
              count(DISTINCT r.economy_id),
              count(DISTINCT CASE WHEN r.status = 'approved' THEN c.registration_id END)
       FROM checkins c JOIN registrations r ON r.id = c.registration_id
       WHERE c.event_id = :e AND c.undone_at IS NULL GROUP BY c.day""",
    # per session: booked, attended
    """SELECT s.id, s.title, s.capacity, b.n, a.n FROM sessions s
       LEFT JOIN (SELECT session_id, count(*) n FROM bookings WHERE status = 'confirmed' GROUP BY session_id) b
         ON b.session_id = s.id
       LEFT JOIN (SELECT session_id, count(*) n FROM checkins
                  WHERE event_id = :e AND undone_at IS NULL AND session_id IS NOT NULL GROUP BY session_id) a
         ON a.session_id = s.id
       WHERE s.event_id = :e ORDER BY s.starts_at""",
]


def _plain_sql_ms(b, event_id: int) -> float:
    from eventhub.extensions import db

    with b.app.app_context():
        engine = db.engine
        statements = [sa.text(q) for q in PLAIN_SQL]
        times = []
        with engine.connect() as conn:
            for i in range(RUNS + 1):
                started = time.perf_counter()
                for statement in statements:
                    conn.execute(statement, {"e": event_id}).all()
                if i:
                    times.append((time.perf_counter() - started) * 1000)
                conn.rollback()
    return statistics.median(times)


def _builder(b, event_id: int) -> tuple[float, int]:
    from eventhub.attendance.reports.summary import build_summary
    from eventhub.events.models import Event
    from eventhub.extensions import db

    counted = [0]

    def count(*_args):
        counted[0] += 1

    with b.app.app_context():
        event = db.session.get(Event, event_id)
        times = []
        for i in range(RUNS + 1):
            if i == 1:
                sa.event.listen(db.engine, "before_cursor_execute", count)
            started = time.perf_counter()
            build_summary(db.session, event)
            if i:
                times.append((time.perf_counter() - started) * 1000)
            if i == 1:
                sa.event.remove(db.engine, "before_cursor_execute", count)
            db.session.rollback()
    return statistics.median(times), counted[0]


def run(b) -> None:
    started = time.perf_counter()
    seed = _seed(b)
    b.report("attendance.seed_s", round(time.perf_counter() - started, 2))
    b.report("attendance.checkins", seed["checkins"])

    headers = b.login(*b.dataset.organizer)
    path = f"/events/{b.dataset.slug}/reports/attendance"
    summary_ms = b.median_get_ms(path, headers, RUNS)
    plain_ms = _plain_sql_ms(b, seed["event_id"])
    builder_ms, queries = _builder(b, seed["event_id"])
    b.report("report.summary_ms", round(summary_ms, 1))
    b.report("report.builder_ms", round(builder_ms, 1))
    b.report("report.plain_sql_ms", round(plain_ms, 1))
    b.report("report.summary_ratio", round(summary_ms / plain_ms, 2) if plain_ms else 0.0)
    b.report("report.summary_queries", queries)

    _api(b, seed)
    _desk_sync(b, seed)
