"""Registration figures of `make bench`.

- registration.quota_exceeded: 200 people register at once through the running server (several
  gunicorn workers) into a delegation with a quota of 20 and no approval step; how many approved
  registrations are over the quota. Must be 0.
- registration.rps_ratio: self-registrations through an economy's private link (/r/<token>), one new
  person per request (a quota large enough for all, no approval step), per second, divided by the
  bare-insert baseline. Target at least 0.2.
- registration.list_rps_ratio: the staff registration list (10,000 registrations, first page, logged in
  as an organizer) beside the bare insert endpoint. Between changes a worker serves the page it
  kept (registration/staff_list.py); registration.list_after_change_ms is the median time of the
  same page just after a registration changed, when it is counted and rendered again.
- registration.import_2000_s: uploading and importing 2,000 rows (preview, then import, e-mails
  queued) through the server, in seconds.
"""

from __future__ import annotations

import http.client
import re
import statistics
import threading
import time
import uuid
from datetime import date, timedelta
from urllib.parse import urlencode, urlsplit

import sqlalchemy as sa

ATTEMPTS = 200
QUOTA = 20
IMPORT_ROWS = 2000


def _conn(b):
    host = urlsplit(b.base_url)
    return http.client.HTTPConnection(host.hostname, host.port, timeout=600)


def _request(conn, method, path, body=None, headers=None):
    conn.request(method, path, body=body, headers=headers or {})
    response = conn.getresponse()
    return response, response.read()


def _cookie(response, current: str = "") -> str:
    value = response.getheader("Set-Cookie", "")
    return value.split(";", 1)[0] if value else current


def _quota_event(b, quota: int = QUOTA) -> tuple[str, int]:
    """A published event open for registration, one delegation with a quota of `quota`, no approval step."""
    from eventhub.db import utcnow, write_intent
    from eventhub.economies.services import by_code
    from eventhub.events.models import Event, EventStatus
    from eventhub.extensions import db
    from eventhub.registration.models import Delegation

    with b.app.app_context(), write_intent():
        start = date(2031, 3, 10)
        event = Event(slug=f"bench-quota-{uuid.uuid4().hex[:6]}", title="Bench quota workshop",
                      timezone="Asia/Bangkok", start_date=start, end_date=start + timedelta(days=1),
                      status=EventStatus.PUBLISHED, approval_required=False,
                      registration_opens_at=utcnow() - timedelta(days=1))
        db.session.add(event)
        db.session.flush()
        delegation = Delegation(event_id=event.id, economy_id=by_code(db.session, "THA").id, quota=quota)
        db.session.add(delegation)
        db.session.commit()
        return delegation.invite_token, delegation.id


def quota_exceeded(b) -> None:
    from eventhub.extensions import db
    from eventhub.registration.models import Delegation, Registration, RegistrationStatus

    token, delegation_id = _quota_event(b)
    path = f"/r/{token}"
    ready = threading.Barrier(ATTEMPTS)
    statuses: list[int] = []
    lock = threading.Lock()

    def attempt(i: int) -> None:
        conn = _conn(b)
        try:
            response, page = _request(conn, "GET", path)
            cookie = _cookie(response)
            html = page.decode()
            csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)
            key = re.search(r'name="submission_key" type="hidden" value="([^"]*)"', html)
            body = urlencode({
                "csrf_token": csrf.group(1) if csrf else "", "submission_key": key.group(1) if key else "",
                "given_name": f"Racer{i}", "family_name": "สมชาย", "email": f"racer{i}@bench.example.org",
                "organisation": "Bench SME Agency", "sex": "female" if i % 2 else "male",
                "category": "delegate", "funding": "self_funded", "privacy": "y",
            })
            ready.wait(timeout=60)
            response, _ = _request(conn, "POST", path, body, {
                "Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})
            with lock:
                statuses.append(response.status)
        finally:
            conn.close()

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(ATTEMPTS)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    with b.app.app_context():
        approved = db.session.scalar(sa.select(sa.func.count()).select_from(Registration).where(
            Registration.delegation_id == delegation_id, Registration.status == RegistrationStatus.APPROVED))
        total = db.session.scalar(sa.select(sa.func.count()).select_from(Registration).where(
            Registration.delegation_id == delegation_id))
        taken = db.session.get(Delegation, delegation_id).taken
    ok = sum(1 for s in statuses if s == 302)
    if ok != ATTEMPTS:
        b.failures.append(f"registration: {ATTEMPTS - ok} of {ATTEMPTS} self-registrations were not accepted "
                          f"(statuses {sorted(set(statuses))})")
    if approved != min(ok, QUOTA) or taken != approved or total != ok:
        b.failures.append(f"registration: approved {approved}, taken {taken}, rows {total}, accepted {ok}")
    b.report("registration.quota_exceeded", max(approved - QUOTA, taken - QUOTA, 0))
    b.report("registration.quota_attempts_accepted", ok)
    b.report("registration.quota_200_s", round(elapsed, 2))


def list_rps_ratio(b) -> None:
    headers = b.login(*b.dataset.organizer)
    b.report_ratio("registration.list_rps_ratio", f"/events/{b.dataset.slug}/registrations/", headers=headers,
                   rps_name="registration.list_rps")

    # Just after a change, every worker counts and renders the page again.
    engine = sa.create_engine(b.database_url)
    conn, times = _conn(b), []
    try:
        for i in range(21):
            with engine.begin() as db:
                db.execute(sa.text("UPDATE registrations SET organisation = :o WHERE id = :id"),
                           {"o": f"Bench organisation {i}", "id": b.dataset.registration_ids[i]})
            started = time.perf_counter()
            conn.request("GET", f"/events/{b.dataset.slug}/registrations/", headers=headers)
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                b.failures.append(f"registration list after a change: {response.status}")
            if i:  # the first one may find a worker that never rendered any page
                times.append((time.perf_counter() - started) * 1000)
    finally:
        conn.close()
        engine.dispose()
    b.report("registration.list_after_change_ms", round(statistics.median(times), 1))


def _multipart(fields: dict[str, str], file_field: str, filename: str, content: bytes) -> tuple[bytes, str]:
    boundary = f"----bench{uuid.uuid4().hex}"
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; filename="{filename}"\r\n'
                 "Content-Type: text/csv\r\n\r\n".encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def import_2000(b) -> None:
    headers = b.login(*b.dataset.organizer)
    delegation_id = b.dataset.delegation_ids[-1]
    path = f"/events/{b.dataset.slug}/delegations/{delegation_id}/import"
    token = b.csrf_token(headers, path)
    names = [("Wei", "Chen", "陈伟"), ("Somchai", "Jaidee", "สมชาย ใจดี"), ("An", "Nguyễn", "Nguyễn Văn An"),
             ("Min-jun", "Kim", "김민준"), ("Yui", "Sato", "佐藤 結衣")]
    lines = ["email,given_name,family_name,name_local,sex,organisation,category,funding,consent_list"]
    for i in range(IMPORT_ROWS):
        given, family, local = names[i % len(names)]
        lines.append(f"import{i}@bench.example.org,{given},{family},{local},{'female' if i % 2 else 'male'},"
                     f"Bench Cluster Association,delegate,self-funded,yes")
    content = ("\ufeff" + "\n".join(lines) + "\n").encode("utf-8")
    body, ctype = _multipart({"csrf_token": token, "send_mail": "y"}, "file", "delegation.csv", content)
    conn = _conn(b)
    started = time.perf_counter()
    response, page = _request(conn, "POST", path, body, {**headers, "Content-Type": ctype})
    html = page.decode()
    fields = dict(re.findall(r'name="(csrf_token|payload|filename|send_mail)" type="hidden" value="([^"]*)"', html))
    if response.status != 200 or "payload" not in fields:
        conn.close()
        raise RuntimeError(f"import preview failed ({response.status})")
    response, _ = _request(conn, "POST", path + "/confirm", urlencode(fields),
                           {**headers, "Content-Type": "application/x-www-form-urlencoded"})
    elapsed = time.perf_counter() - started
    conn.close()
    if response.status != 302:
        raise RuntimeError(f"import failed ({response.status})")
    from eventhub.extensions import db
    from eventhub.registration.models import Registration

    with b.app.app_context():
        imported = db.session.scalar(sa.select(sa.func.count()).select_from(Registration).where(
            Registration.email.like("import%@bench.example.org")))
    if imported != IMPORT_ROWS:
        b.failures.append(f"registration: imported {imported} of {IMPORT_ROWS} rows")
    b.report("registration.import_2000_s", round(elapsed, 2))


def run(b) -> None:
    quota_exceeded(b)
    list_rps_ratio(b)
    import_2000(b)
    rps_ratio(b)


def rps_ratio(b) -> None:
    """Self-registration throughput: every request registers someone new (its own e-mail)."""
    import itertools

    token, _ = _quota_event(b, quota=1_000_000)
    path = f"/r/{token}"
    conn = _conn(b)
    response, page = _request(conn, "GET", path)
    conn.close()
    cookie = _cookie(response)
    html = page.decode()
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)
    counter = itertools.count()  # next() is atomic under the GIL: a new person on every request

    def body(thread: int, n: int) -> tuple[bytes, str]:
        i = next(counter)
        return (urlencode({
            "csrf_token": csrf.group(1) if csrf else "", "given_name": f"Rate{i}", "family_name": "Bench",
            "email": f"rate{i}-{uuid.uuid4().hex[:6]}@bench.example.org", "organisation": "Bench SME Agency",
            "sex": "female" if i % 2 else "male", "category": "delegate", "funding": "self_funded",
            "privacy": "y",
        }).encode(), "application/x-www-form-urlencoded")

    b.report_ratio("registration.rps_ratio", path, method="POST", headers={"Cookie": cookie}, make_body=body,
                   expect=(302,), rps_name="registration.rps")
