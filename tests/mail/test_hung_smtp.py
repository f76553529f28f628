"""A mail server that accepts connections and never answers costs the delivery process its
timeouts and never a page."""

import socket
import threading
import time
import urllib.parse
import urllib.request

import pytest
import sqlalchemy as sa

from eventhub.extensions import db
from eventhub.mail import worker
from eventhub.mail.delivery import deliver_due
from eventhub.mail.models import MailStatus, OutboxMessage
from tests.mail.test_claim import queue_messages

TIMEOUT = 1.0


@pytest.fixture
def hung_smtp():
    """A loopback listener that accepts every connection and never sends the SMTP greeting."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            held.append(conn)  # kept open, silent

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join(2)
    for conn in held:
        conn.close()
    listener.close()


@pytest.fixture
def app_config(app_config, hung_smtp):
    return {**app_config, "MAIL_PORT": hung_smtp, "MAIL_TIMEOUT": TIMEOUT}


def pending_count() -> int:
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)
                             .where(OutboxMessage.status == MailStatus.PENDING))


def timed(url: str, data: dict | None = None) -> tuple[float, str]:
    started = time.monotonic()
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    with urllib.request.urlopen(url, data=body, timeout=30) as response:
        text = response.read().decode()
    return time.monotonic() - started, text


def test_pages_answer_promptly_while_the_delivery_process_waits_on_a_hung_server(app, live_server, make):
    for i in range(5):
        make.user(f"delegate{i}@example.org")
    db.session.remove()
    stop = threading.Event()
    delivery = threading.Thread(target=worker.run, args=(app, stop), kwargs={"poll_seconds": 0.05})
    delivery.start()
    try:
        answers = []
        for i in range(5):  # each request queues a reset message for the hung server
            seconds, text = timed(f"{live_server}/password/forgot", {"email": f"delegate{i}@example.org"})
            assert "Check your e-mail" in text
            answers.append(seconds)
            answers.append(timed(f"{live_server}/")[0])
        assert max(answers) < TIMEOUT / 2, answers
        time.sleep(TIMEOUT * 1.5)  # let the delivery process meet the hung server at least once
    finally:
        stop.set()
        delivery.join(TIMEOUT * 4)
    assert not delivery.is_alive()  # stopping waits for at most one timeout
    assert pending_count() == 5  # nothing lost, nothing sent
    last_errors = db.session.scalars(sa.select(OutboxMessage.last_error)).all()
    assert any("timed out" in error for error in last_errors)


def test_a_hung_server_costs_a_batch_one_timeout_and_every_message_stays_queued(app):
    queue_messages(20)
    started = time.monotonic()
    assert deliver_due() == (0, 1)
    assert time.monotonic() - started < TIMEOUT * 3  # not twenty timeouts
    assert pending_count() == 20
    attempts = db.session.scalars(sa.select(OutboxMessage.attempts).order_by(OutboxMessage.id)).all()
    assert attempts == [1] + [0] * 19  # the untried nineteen keep their attempts
    assert deliver_due() == (0, 0)  # and wait for the backoff before the next try
