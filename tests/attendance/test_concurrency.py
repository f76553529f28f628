"""Two desks scan the same badge at the same moment: one check-in is recorded, the other is told so.

Runs on a file SQLite database and, in the PostgreSQL run, on PostgreSQL. Races are forced with
barriers. On PostgreSQL a second test lets every thread pass the "already checked in?" read before
anyone inserts, so only the partial unique index stands between them and a double record; its
control does the same read-then-insert on a copy of the table without that index and double-records.
"""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from eventhub.attendance import api_access, checkin, scopes
from eventhub.attendance.models import CheckInSource
from eventhub.events.models import Event
from eventhub.extensions import db
from eventhub.registration.models import Registration
from tests.attendance.conftest import badge_token, checkins
from tests.conftest import run_in_threads

THREADS = 8


def _race(app, n, work):
    """Run work(i) in n threads released together, each in its own app context and transaction."""
    results = run_in_threads(app, n, work)
    assert not [r for r in results if isinstance(r, Exception)], results
    return results


def _scan(event_id, registration_id, nonce, desk):
    event = db.session.get(Event, event_id)
    reg = db.session.get(Registration, registration_id)
    scope = scopes.resolve_scope(db.session, event, day=event.start_date)
    return checkin.check_in(db.session, event, reg, scope, by=None, source=CheckInSource.DESK, desk=desk,
                             nonce=nonce).result


def test_two_desks_scanning_the_same_badge_record_once(app, make, workshop):
    reg = make.registration(workshop.event, workshop.prc)
    event_id, reg_id = workshop.event.id, reg.id
    results = _race(app, THREADS, lambda i: _scan(event_id, reg_id, f"desk-{i}-nonce", f"Desk {i % 2 + 1}"))
    assert sorted(results) == ["already"] * (THREADS - 1) + ["new"]
    assert len(checkins(registration_id=reg_id)) == 1


def test_the_same_retried_request_arriving_twice_at_once_records_once(app, make, workshop):
    reg = make.registration(workshop.event, workshop.prc)
    event_id, reg_id = workshop.event.id, reg.id
    results = _race(app, THREADS, lambda i: _scan(event_id, reg_id, "one-nonce-for-all", "Desk 1"))
    assert sorted(results) == ["already"] * (THREADS - 1) + ["new"]
    assert len(checkins()) == 1


def test_concurrent_api_scans_through_http_record_once(app, make, workshop):
    reg = make.registration(workshop.event, workshop.prc)
    token = api_access.issue_api_token(db.session, workshop.checkin)
    db.session.commit()
    badge, path = badge_token(reg), f"/api/events/{workshop.event.slug}/checkins"
    barrier = threading.Barrier(THREADS, timeout=30)
    statuses: list[int] = []
    lock = threading.Lock()

    def run(i):
        client = app.test_client()
        barrier.wait()
        response = client.post(path, headers={"Authorization": f"Bearer {token}"},
                               json={"token": badge, "nonce": f"http-{i:04d}-x", "day": "2030-06-27"})
        with lock:
            statuses.append(response.status_code)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(statuses) == [200] * (THREADS - 1) + [201]
    assert len(checkins()) == 1


@pytest.fixture
def postgres_only(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("forcing every thread past the read needs row-level concurrency (PostgreSQL)")


def test_partial_unique_index_holds_when_every_desk_passed_the_check(postgres_only, app, make, workshop,
                                                                   monkeypatch):
    reg = make.registration(workshop.event, workshop.prc)
    event_id, reg_id = workshop.event.id, reg.id
    gate = threading.Barrier(THREADS, timeout=30)
    original = checkin.check_scan

    def check_then_wait(*args, **kwargs):
        scan = original(*args, **kwargs)
        gate.wait()  # every desk has found the person not checked in before anyone writes
        return scan

    monkeypatch.setattr(checkin, "check_scan", check_then_wait)
    results = _race(app, THREADS, lambda i: _scan(event_id, reg_id, f"forced-{i}-nonce", "Desk"))
    assert sorted(results) == ["already"] * (THREADS - 1) + ["new"]
    assert len(checkins(registration_id=reg_id)) == 1


def test_control_without_the_index_the_same_race_double_records(postgres_only, app, make, workshop):
    reg = make.registration(workshop.event, workshop.prc)
    values = {"e": workshop.event.id, "r": reg.id, "d": workshop.event.start_date}
    with db.engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE IF EXISTS checkins_naive")
        conn.exec_driver_sql("CREATE TABLE checkins_naive (LIKE checkins INCLUDING DEFAULTS)")
    try:
        all_have_read = threading.Barrier(THREADS, timeout=30)

        def naive(i):
            seen = db.session.execute(sa.text(
                "SELECT count(*) FROM checkins_naive WHERE registration_id = :r AND day = :d AND undone_at IS NULL"),
                {"r": values["r"], "d": values["d"]}).scalar()
            all_have_read.wait()
            if seen == 0:
                db.session.execute(sa.text(
                    "INSERT INTO checkins_naive (id, event_id, registration_id, day, scanned_at, recorded_at, "
                    "source, desk, overridden) VALUES (:i, :e, :r, :d, now(), now(), 'desk', '', false)"),
                    {"i": i + 1, **values})
            return seen

        _race(app, THREADS, naive)
        with db.engine.connect() as conn:
            rows = conn.exec_driver_sql("SELECT count(*) FROM checkins_naive").scalar()
        assert rows > 1, "the naive read-then-insert should double-record; the index is what prevents it"
    finally:
        with db.engine.begin() as conn:
            conn.exec_driver_sql("DROP TABLE IF EXISTS checkins_naive")
