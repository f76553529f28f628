"""Bookings through the running server (gunicorn, several workers).

- booking.oversold: confirmed seats beyond capacity after 1,000 concurrent booking attempts for a
  40-seat visit (250 delegates, each clicking 4 times at once). Must be 0.
- booking.doublebooked: people holding more than one active booking for that visit, plus seats counted
  twice (sessions.taken against the confirmed rows). Must be 0.
- booking.rejected: attempts answered with anything but a redirect (errors). Should be 0.
- booking.rush_1000_p99_s: the 99th percentile of the answer times of those 1,000 attempts, each
  timed from the moment all are released together to its answer. Target under 5 s.
- booking.rps_ratio: booking requests per second (an organizer books a different delegate each time
  into a large session: each request takes a seat) divided by the bare-insert baseline.
"""

from __future__ import annotations

import http.client
import itertools
import threading
import time
from datetime import datetime, timedelta
from urllib.parse import urlencode, urlsplit
from zoneinfo import ZoneInfo

import sqlalchemy as sa

USERS = 250
CLICKS = 4  # per user, all at once: 1,000 attempts
SEATS = 40
PASSWORD = "bench-delegate-password"


def _seed(b) -> dict:
    from werkzeug.security import generate_password_hash

    from eventhub.accounts.models import User
    from eventhub.agenda.models import Session, SessionKind
    from eventhub.db import write_intent
    from eventhub.extensions import db
    from eventhub.registration.models import Registration, RegistrationStatus

    ds = b.dataset
    zone = ZoneInfo(ds.timezone)
    day = ds.start_date
    with b.app.app_context(), write_intent():
        s = db.session
        approved = list(s.scalars(sa.select(Registration.id).where(
            Registration.event_id == ds.event_id, Registration.status == RegistrationStatus.APPROVED)
            .order_by(Registration.id)))
        hashed = generate_password_hash(PASSWORD, method="scrypt")  # once; the server checks each log-in
        users = [{"email": f"booker{i}@bench.example.org", "name": f"Booker {i}", "password_hash": hashed,
                  "password_version": 1, "is_admin": False, "active": True} for i in range(USERS)]
        s.execute(sa.insert(User), users)
        user_ids = list(s.scalars(sa.select(User.id).where(User.email.like("booker%@bench.example.org"))
                                  .order_by(User.id)))
        for reg_id, user_id in zip(approved[:USERS], user_ids, strict=True):
            s.execute(sa.update(Registration).where(Registration.id == reg_id).values(user_id=user_id))
        evening = datetime(day.year, day.month, day.day, 19, 0, tzinfo=zone)
        visit = Session(event_id=ds.event_id, kind=SessionKind.SITE_VISIT, title="Bench site visit (40 seats)",
                        starts_at=evening, ends_at=evening + timedelta(hours=2), bookable=True, capacity=SEATS)
        late = evening + timedelta(hours=3)
        big = Session(event_id=ds.event_id, kind=SessionKind.NETWORKING, title="Bench reception (open)",
                      starts_at=late, ends_at=late + timedelta(hours=1), bookable=True, capacity=1_000_000)
        s.add_all([visit, big])
        s.commit()
        return {"visit": visit.id, "big": big.id, "approved": approved[USERS:],
                "emails": [u["email"] for u in users]}


def _post(conn, path: str, body: str, cookie: str) -> int:
    conn.request("POST", path, body=body, headers={"Content-Type": "application/x-www-form-urlencoded",
                                                   "Cookie": cookie})
    response = conn.getresponse()
    response.read()
    return response.status


def run(b) -> None:
    seeded = _seed(b)
    slug = b.dataset.slug
    visit_page = f"/events/{slug}/sessions/{seeded['visit']}"

    # Log everyone in first (scrypt is slow on purpose), in parallel.
    sessions: list[tuple[dict, str] | None] = [None] * USERS

    def log_in(i: int) -> None:
        headers = b.login(seeded["emails"][i], PASSWORD)
        sessions[i] = (headers, b.csrf_token(headers, visit_page))

    threads = [threading.Thread(target=log_in, args=(i,)) for i in range(USERS)]
    for chunk in range(0, USERS, 25):
        for t in threads[chunk:chunk + 25]:
            t.start()
        for t in threads[chunk:chunk + 25]:
            t.join()

    host = urlsplit(b.base_url)
    barrier = threading.Barrier(USERS * CLICKS)
    statuses: list[int] = []
    answer_times: list[float] = []
    lock = threading.Lock()

    def click(i: int) -> None:
        headers, token = sessions[i // CLICKS]
        barrier.wait()
        pressed = time.perf_counter()
        status = 0
        for _attempt in range(3):  # a refused or reset connection is retried, as a browser would
            conn = http.client.HTTPConnection(host.hostname, host.port, timeout=120)
            try:
                status = _post(conn, f"{visit_page}/book", urlencode({"csrf_token": token}), headers["Cookie"])
                break
            except (OSError, http.client.HTTPException):
                status = 0
            finally:
                conn.close()
        answered = time.perf_counter() - pressed
        with lock:
            statuses.append(status)
            answer_times.append(answered)

    clickers = [threading.Thread(target=click, args=(i,)) for i in range(USERS * CLICKS)]
    for t in clickers:
        t.start()
    for t in clickers:
        t.join()

    from eventhub.agenda.models import Session
    from eventhub.extensions import db
    from eventhub.signups.models import Booking, BookingStatus

    with b.app.app_context():
        s = db.session
        confirmed = s.scalar(sa.select(sa.func.count()).select_from(Booking).where(
            Booking.session_id == seeded["visit"], Booking.status == BookingStatus.CONFIRMED))
        taken = s.scalar(sa.select(Session.taken).where(Session.id == seeded["visit"]))
        duplicates = s.scalar(sa.select(sa.func.count()).select_from(
            sa.select(Booking.registration_id).where(
                Booking.session_id == seeded["visit"], Booking.status != BookingStatus.CANCELLED)
            .group_by(Booking.registration_id).having(sa.func.count() > 1).subquery()))
        waiting = s.scalar(sa.select(sa.func.count()).select_from(Booking).where(
            Booking.session_id == seeded["visit"], Booking.status == BookingStatus.WAITLISTED))
    b.report("booking.oversold", max(confirmed - SEATS, 0) + max(taken - SEATS, 0))
    b.report("booking.doublebooked", duplicates + abs(taken - confirmed))
    b.report("booking.rejected", sum(1 for st in statuses if st != 302))
    ordered = sorted(answer_times)
    b.report("booking.rush_1000_p99_s", round(ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))], 2))
    answers = {st: statuses.count(st) for st in sorted(set(statuses))}
    print(f"# booking: {confirmed} confirmed, {waiting} waitlisted of {USERS} people "
          f"({USERS * CLICKS} attempts; answers {answers})", flush=True)

    # Throughput: the organizer books a different delegate on every request.
    organizer = b.login(*b.dataset.organizer)
    token = b.csrf_token(organizer, f"/events/{slug}/sessions/{seeded['big']}")
    approved = seeded["approved"]
    counter = itertools.count()  # next() is atomic under the GIL: every request books someone new

    def body(thread: int, n: int) -> tuple[bytes, str]:
        reg_id = approved[next(counter) % len(approved)]
        return (urlencode({"csrf_token": token, "registration_id": reg_id}).encode(),
                "application/x-www-form-urlencoded")

    b.report_ratio("booking.rps_ratio", f"/events/{slug}/sessions/{seeded['big']}/book", method="POST",
                   headers=organizer, make_body=body)
