"""Shared fixtures: a fresh database per test, a real SMTP server, factories and log-in helpers.

The suite runs on SQLite (a fresh file under tmp_path per test) and, when EVENTHUB_TEST_ON_POSTGRES=1
and TEST_DATABASE_URL is set (the second half of `make test`), on a PostgreSQL database created
for this pytest process and truncated between tests.
"""

from __future__ import annotations

import os
import threading
import time
import uuid
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from email import message_from_bytes, policy
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller
from flask.testing import FlaskClient
from werkzeug.serving import make_server

from eventhub import create_app
from eventhub.db import utcnow
from eventhub.extensions import db
from eventhub.mail.delivery import deliver_due


def pytest_configure(config):
    """Compile the catalogs, as `make install` does: a translation edited since is what the suite sees."""
    import subprocess
    import sys
    from pathlib import Path

    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "-q", "compile", "-d",
                    str(Path(__file__).resolve().parents[1] / "eventhub/translations")], check=True)


ON_POSTGRES = os.environ.get("EVENTHUB_TEST_ON_POSTGRES") == "1" and bool(os.environ.get("TEST_DATABASE_URL"))
PASSWORD = "correct horse battery staple"


# --- PostgreSQL: one database per pytest process ----------------------------------------------------

@pytest.fixture(scope="session")
def postgres_url():
    if not ON_POSTGRES:
        yield None
        return
    import psycopg

    from eventhub.config import normalise_database_url

    base = os.environ["TEST_DATABASE_URL"]
    name = f"eventhub_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin_url = base.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = normalise_database_url(base.rsplit("/", 1)[0] + "/" + name)
    yield url
    sa.create_engine(url).dispose()
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


_pg_schema_created = False


def _database_url(tmp_path, postgres_url) -> str:
    return postgres_url if postgres_url else f"sqlite:///{tmp_path / 'test.db'}"


def _reset_schema(app) -> None:
    global _pg_schema_created
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            if not _pg_schema_created:
                db.drop_all()
                db.create_all()
                _pg_schema_created = True
            else:
                # DELETE in dependency order: TRUNCATE … CASCADE costs about a second per test.
                with db.engine.begin() as conn:
                    for table in reversed(db.metadata.sorted_tables):
                        conn.execute(table.delete())
        else:
            db.create_all()
        from eventhub.economies.services import load_reference_data

        load_reference_data(db.session)
        db.session.commit()


# --- A real SMTP server on loopback --------------------------------------------------------------------

@dataclass
class Received:
    envelope_from: str
    recipients: list[str]
    message: object  # email.message.EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    def text(self) -> str:
        part = self.message.get_body(preferencelist=("plain",))
        return part.get_content() if part else ""

    def parts(self, content_type: str) -> list:
        return [p for p in self.message.walk() if p.get_content_type() == content_type]


@dataclass
class MailSink:
    """The test SMTP server's inbox.

    Reading it first runs the delivery process's work (`drain`, set by the `app` fixture) until
    the outbox holds nothing due, as the separate delivery process would have done by the time a
    person opens their mail: pages only queue mail, they never send it.
    """

    received: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    drain: Callable[[], None] | None = None

    def accept(self, envelope) -> None:
        msg = message_from_bytes(envelope.content, policy=policy.default)
        with self.lock:
            self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), msg))

    @property
    def messages(self) -> list[Received]:
        if self.drain is not None:
            self.drain()
        with self.lock:
            return list(self.received)

    def to(self, address: str) -> list[Received]:
        return [m for m in self.messages if address.lower() in [r.lower() for r in m.recipients]]

    def clear(self) -> None:
        if self.drain is not None:
            self.drain()  # mail queued before the clear is not news after it
        with self.lock:
            self.received.clear()


@dataclass
class SinkHandler:
    """The aiosmtpd handler. Kept apart from MailSink: aiosmtpd looks over its handler's
    attributes, and reading `MailSink.messages` runs delivery, which would wait on this server."""

    sink: MailSink

    async def handle_DATA(self, server, session, envelope):
        self.sink.accept(envelope)
        return "250 Message accepted for delivery"


@pytest.fixture(scope="session")
def smtp_server():
    import socket

    with socket.socket() as probe:  # aiosmtpd cannot start on port 0: find a free port first
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sink = MailSink()
    controller = Controller(SinkHandler(sink), hostname="127.0.0.1", port=port)
    controller.start()
    yield controller, sink
    controller.stop()


@pytest.fixture
def mailbox(smtp_server) -> MailSink:
    _, sink = smtp_server
    sink.clear()
    return sink


# --- The application ---------------------------------------------------------------------------------

def make_test_config(tmp_path, postgres_url, smtp_server, **overrides) -> dict:
    controller, _ = smtp_server
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "SQLALCHEMY_DATABASE_URI": _database_url(tmp_path, postgres_url),
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": controller.port,
        "MAIL_DIR": str(tmp_path / "mail"),
        "SERVER_NAME_FOR_UIDS": "eventhub.test",
    }
    config.update(overrides)
    return config


@pytest.fixture
def app_config(tmp_path, postgres_url, smtp_server) -> dict:
    """The test app's settings. To change a key, override this fixture in a test module:

        @pytest.fixture
        def app_config(app_config):
            app_config["WTF_CSRF_ENABLED"] = True
            return app_config

    (Do not parametrize `app_config` with a bare dict: that drops the test database setting.)
    """
    return make_test_config(tmp_path, postgres_url, smtp_server)


@pytest.fixture
def app(app_config, mailbox, tmp_path):
    url = app_config.get("SQLALCHEMY_DATABASE_URI", "")
    # Never let a test fall back to the developer's instance database.
    assert url and (str(tmp_path) in url or url.startswith("postgresql")), f"test database not set: {url!r}"
    app = create_app(app_config)
    app.test_client_class = ClosingClient
    _reset_schema(app)
    mailbox.drain = lambda: deliver_all(app)
    with app.app_context():
        yield app
        db.session.remove()
    mailbox.drain = None
    with app.app_context():
        db.engine.dispose()


def deliver_all(app) -> None:
    """What the delivery process does, run to the end: send everything that is due.

    The test's own session ends its transaction first, as a request's would have ended, so that
    what the test reads next is what delivery left (SQLite keeps a reader on its snapshot)."""
    db.session.rollback()
    with app.app_context():
        while deliver_due(limit=500)[0]:
            pass


@pytest.fixture
def live_server(app):
    """The app behind a real threaded WSGI server: every request has its own context, as in gunicorn."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


class ClosingClient(FlaskClient):
    """Closes each response as a WSGI server does once it has sent it (streamed responses and
    call_on_close work have finished when the test looks)."""

    def open(self, *args, **kwargs):
        response = super().open(*args, **kwargs)
        response.get_data()
        response.close()
        return response


@pytest.fixture
def client(app):
    return app.test_client()


# --- Factories ----------------------------------------------------------------------------------------

class Factory:
    """Builds committed rows for tests. Every method commits, as a finished request would."""

    def __init__(self, app):
        self.app = app
        self._n = 0

    def _next(self) -> int:
        self._n += 1
        return self._n

    def economy(self, code: str):
        from eventhub.economies.services import by_code

        economy = by_code(db.session, code)
        assert economy is not None, f"unknown economy {code}"
        return economy

    def user(self, email: str | None = None, *, admin: bool = False, name: str = "", password: str = PASSWORD):
        from eventhub.accounts.models import User

        user = User(email=(email or f"user{self._next()}@example.org").lower(), name=name, is_admin=admin)
        user.set_password(password)
        db.session.add(user)
        db.session.commit()
        return user

    def event(self, *, slug: str | None = None, published: bool = True, timezone: str = "Asia/Shanghai",
              start: date | None = None, days: int = 1, **kw):
        from eventhub.events.models import Event, EventStatus

        start = start or (date.today() + timedelta(days=60))
        n = self._next()
        event = Event(
            slug=slug or f"event-{n}",
            title=kw.pop("title", f"Workshop {n}"),
            timezone=timezone,
            start_date=start,
            end_date=start + timedelta(days=days - 1),
            status=EventStatus.PUBLISHED if published else EventStatus.DRAFT,
            city=kw.pop("city", "Guangzhou"),
            **kw,
        )
        db.session.add(event)
        db.session.commit()
        return event

    def role(self, event, user, role: str):
        from eventhub.accounts.models import EventRole, EventRoleKind

        db.session.add(EventRole(event_id=event.id, user_id=user.id, role=EventRoleKind(role)))
        db.session.commit()

    def staff(self, event, role: str, email: str | None = None):
        user = self.user(email)
        self.role(event, user, role)
        return user

    def room(self, event, name: str = "Hall A", capacity: int | None = 100, **kw):
        from eventhub.events.models import Room

        room = Room(event_id=event.id, name=name, capacity=capacity, **kw)
        db.session.add(room)
        db.session.commit()
        return room

    def delegation(self, event, code: str, quota: int = 5, focal_point=None):
        from eventhub.registration.models import Delegation, FocalPoint

        delegation = Delegation(event_id=event.id, economy_id=self.economy(code).id, quota=quota)
        db.session.add(delegation)
        db.session.flush()
        if focal_point is not None:
            db.session.add(FocalPoint(delegation_id=delegation.id, user_id=focal_point.id))
        db.session.commit()
        return delegation

    def registration(self, event, delegation=None, *, economy: str | None = None, status: str = "approved",
                     user=None, **kw):
        """A registration in the given state. Approved ones take a place in the delegation's quota."""
        from eventhub.registration.models import Registration, RegistrationStatus

        n = self._next()
        economy_id = delegation.economy_id if delegation is not None else self.economy(economy or "THA").id
        if not kw.get("needs_confirmation"):  # the person registered themself: they accepted the privacy notice
            kw.setdefault("privacy_acknowledged_at", utcnow())
        reg = Registration(
            event_id=event.id,
            delegation_id=delegation.id if delegation is not None else None,
            economy_id=economy_id,
            user_id=user.id if user is not None else None,
            email=kw.pop("email", f"delegate{n}@example.org").lower(),
            given_name=kw.pop("given_name", f"Given{n}"),
            family_name=kw.pop("family_name", f"Family{n}"),
            status=RegistrationStatus(status),
            **kw,
        )
        db.session.add(reg)
        if delegation is not None and reg.status == RegistrationStatus.APPROVED:
            delegation.taken += 1
        db.session.commit()
        return reg

    def session(self, event, *, title: str | None = None, kind: str = "presentation", day: int = 0,
                start: str = "09:00", end: str = "10:00", **kw):
        """A session on the event's `day` (0-based), times in the event's zone."""
        from eventhub.agenda.models import Session, SessionKind

        zone = ZoneInfo(event.timezone)
        d = event.start_date + timedelta(days=day)
        sh, sm = map(int, start.split(":"))
        eh, em = map(int, end.split(":"))
        session = Session(
            event_id=event.id,
            kind=SessionKind(kind),
            title=title or f"Session {self._next()}",
            starts_at=datetime(d.year, d.month, d.day, sh, sm, tzinfo=zone),
            ends_at=datetime(d.year, d.month, d.day, eh, em, tzinfo=zone),
            **kw,
        )
        db.session.add(session)
        db.session.commit()
        return session


@pytest.fixture
def make(app) -> Factory:
    return Factory(app)


def login(client, user, password: str = PASSWORD):
    """Log a user in through the real form. Returns the response."""
    response = client.post("/login", data={"email": user.email, "password": password})
    assert response.status_code == 302, f"log-in as {user.email} failed"
    return response


@pytest.fixture
def login_as(client):
    def _login(user, password: str = PASSWORD):
        client.post("/logout")
        login(client, user, password)
        return client

    return _login


# --- Query counting -------------------------------------------------------------------------------------

@contextmanager
def count_queries():
    """Counts SQL statements sent to the database inside the block: `with count_queries() as q: ...; q.count`."""

    class Counter:
        count = 0
        statements: list[str] = []

    counter = Counter()
    counter.statements = []
    engine = db.engine

    def _before(conn, cursor, statement, parameters, context, executemany):
        if statement.strip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE", "PRAGMA")):
            return
        counter.count += 1
        counter.statements.append(statement)

    sa.event.listen(engine, "before_cursor_execute", _before)
    try:
        yield counter
    finally:
        sa.event.remove(engine, "before_cursor_execute", _before)


@pytest.fixture
def query_counter():
    return count_queries


def wait_for(predicate, timeout: float = 5.0, interval: float = 0.02):
    """Poll until predicate() is truthy (for work done by another process, never for races)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError("condition not met in time")


def run_in_threads(app, n: int, work, *, transaction: bool = True) -> list:
    """Run work(i) in n threads released together by a barrier, each in its own app context (so its
    own session). With transaction=True each is one write transaction, committed after work.

    Returns a list: work's return value, or the exception it raised, per thread.
    """
    from eventhub.db import write_intent

    barrier = threading.Barrier(n, timeout=60)
    results: list = [None] * n

    def run(i: int) -> None:
        with app.app_context():
            try:
                barrier.wait()
                if transaction:
                    with write_intent():
                        results[i] = work(i)
                        db.session.commit()
                else:
                    results[i] = work(i)
            except Exception as exc:  # returned to the test, which asserts on it
                db.session.rollback()
                results[i] = exc
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results
