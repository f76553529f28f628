"""The delivery process under load (SQLite, or PostgreSQL with `make bench-postgres`).

- mail.duplicates: 2,000 messages queued at once, then four `flask eventhub deliver-mail` processes
  started together against a real SMTP server; messages received more than once (by Message-ID),
  plus messages never received. Must be 0.
- mail.delivered_s: how long the four processes took to deliver them.
- mail.hung_smtp_page_p99_ms: while a delivery process talks to a mail server that accepts
  connections and never answers, organizers book people (each booking queues an e-mail) and
  delegates open the event page: the 99th percentile of those answer times. Target under 200 ms.
"""

from __future__ import annotations

import http.client
import itertools
import os
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from email import message_from_bytes
from urllib.parse import urlencode, urlsplit

import sqlalchemy as sa

from bench.harness import ROOT

MESSAGES = 2_000
PROCESSES = 4


class _Sink:
    """An aiosmtpd handler that counts Message-IDs."""

    def __init__(self) -> None:
        self.ids: Counter[str] = Counter()
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        message_id = message_from_bytes(envelope.original_content or envelope.content)["Message-ID"]
        with self.lock:
            self.ids[str(message_id)] += 1
        return "250 OK"


def _flask(b, args: list[str], extra_env: dict) -> subprocess.Popen:
    env = {**os.environ, **b.server_env(), **extra_env, "FLASK_APP": "wsgi:app"}
    return subprocess.Popen([sys.executable, "-m", "flask", "eventhub", *args], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _pending(b) -> int:
    from eventhub.extensions import db
    from eventhub.mail.models import MailStatus, OutboxMessage

    with b.app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)
                                 .where(OutboxMessage.status == MailStatus.PENDING))


def duplicates(b) -> None:
    from aiosmtpd.controller import Controller

    from eventhub.db import write_intent
    from eventhub.extensions import db
    from eventhub.mail.outbox import build_message, queue

    with b.app.app_context(), write_intent():
        for i in range(MESSAGES):
            queue(db.session, build_message(to=[f"delegate{i}@bench.example.org"], subject=f"Bench message {i}",
                                            text="Your seat is confirmed.\n"))
        db.session.commit()
    expected = _pending(b)  # with what earlier bench modules queued (bookings, registrations)

    sink = _Sink()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        started = time.perf_counter()
        workers = [_flask(b, ["deliver-mail"], {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(port)})
                   for _ in range(PROCESSES)]
        errors = [w.communicate(timeout=600)[1] for w in workers]
        took = time.perf_counter() - started
    finally:
        controller.stop()
    for worker, err in zip(workers, errors, strict=True):
        if worker.returncode != 0:
            b.failures.append(f"deliver-mail exited with {worker.returncode}: {err.decode()[-500:]}")
    twice = sum(n - 1 for n in sink.ids.values() if n > 1)
    missing = max(expected - len(sink.ids), 0)
    b.report("mail.duplicates", twice + missing)
    b.report("mail.delivered_s", round(took, 2))
    print(f"# mail: {expected} queued, {len(sink.ids)} received once or more, {twice} extra copies, "
          f"{_pending(b)} still pending", flush=True)


def hung_smtp(b) -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(256)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:  # accept every connection, never say a word
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    threading.Thread(target=accept, daemon=True).start()
    worker = _flask(b, ["mail-worker", "--poll", "0.2"],
                    {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(listener.getsockname()[1]), "MAIL_TIMEOUT": "30"})
    try:
        _pages_while_smtp_hangs(b)
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=40)
        except subprocess.TimeoutExpired:
            worker.kill()
        stop.set()
        for conn in held:
            conn.close()
        listener.close()


def _pages_while_smtp_hangs(b) -> None:
    from eventhub.agenda.models import Session, SessionKind
    from eventhub.db import write_intent
    from eventhub.extensions import db
    from eventhub.registration.models import Registration, RegistrationStatus

    ds = b.dataset
    with b.app.app_context(), write_intent():
        first = db.session.scalar(sa.select(Session).where(Session.event_id == ds.event_id).order_by(Session.id))
        hall = Session(event_id=ds.event_id, kind=SessionKind.NETWORKING, title="Bench lunch (open)",
                       starts_at=first.starts_at, ends_at=first.ends_at, bookable=True, capacity=1_000_000)
        db.session.add(hall)
        db.session.commit()
        hall_id = hall.id
        people = list(db.session.scalars(sa.select(Registration.id).where(
            Registration.event_id == ds.event_id, Registration.status == RegistrationStatus.APPROVED)
            .order_by(Registration.id.desc()).limit(600)))
    organizer = b.login(*ds.organizer)
    token = b.csrf_token(organizer, f"/events/{ds.slug}/sessions/{hall_id}")
    host = urlsplit(b.base_url)
    times: list[float] = []
    lock = threading.Lock()
    counter = itertools.count()
    stop_at = time.monotonic() + 10

    def client(books: bool) -> None:
        conn = http.client.HTTPConnection(host.hostname, host.port, timeout=60)
        while time.monotonic() < stop_at:
            started = time.perf_counter()
            if books:
                body = urlencode({"csrf_token": token, "registration_id": people[next(counter) % len(people)]})
                conn.request("POST", f"/events/{ds.slug}/sessions/{hall_id}/book", body=body, headers={
                    **organizer, "Content-Type": "application/x-www-form-urlencoded"})
            else:
                conn.request("GET", f"/events/{ds.slug}")
            conn.getresponse().read()
            with lock:
                times.append(time.perf_counter() - started)
            time.sleep(0.05)  # people, not a load generator: a steady stream of pages
        conn.close()

    threads = [threading.Thread(target=client, args=(i % 2 == 0,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    ordered = sorted(times)
    b.report("mail.hung_smtp_page_p99_ms", round(1000 * ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))], 1))
    print(f"# mail: {len(ordered)} pages answered while the SMTP server hung; {_pending(b)} messages waiting",
          flush=True)


def run(b) -> None:
    duplicates(b)
    hung_smtp(b)
