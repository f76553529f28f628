"""Each queued message is delivered once, however many delivery runs start together."""

import threading
import time
from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from eventhub.db import utcnow
from eventhub.extensions import db
from eventhub.mail.delivery import LEASE, claim_due, deliver_due
from eventhub.mail.models import MailStatus, OutboxMessage
from eventhub.mail.outbox import build_message, queue
from tests.conftest import ON_POSTGRES


def queue_messages(n: int) -> list[str]:
    addresses = [f"delegate{i}@example.org" for i in range(n)]
    for address in addresses:
        queue(db.session, build_message(to=[address], subject="Your booking", text="Seat confirmed.\n"))
    db.session.commit()
    return addresses


@pytest.mark.skipif(not ON_POSTGRES, reason="row locks and READ COMMITTED re-checks are PostgreSQL's")
def test_a_worker_that_waited_on_a_claim_does_not_take_the_same_messages(app):
    queue_messages(5)
    first = Session(db.engine)
    taken_first = claim_due(first, utcnow(), limit=50)  # not committed yet: the rows stay locked
    assert len(taken_first) == 5

    engine = db.engine
    taken_second: list[int] = []
    second_pid: list[int] = []
    errors: list[BaseException] = []

    def second_worker():
        try:
            with Session(engine) as session:
                second_pid.append(session.execute(sa.text("SELECT pg_backend_pid()")).scalar_one())
                taken_second.extend(claim_due(session, utcnow(), limit=50))
                session.commit()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    thread = threading.Thread(target=second_worker)
    thread.start()
    # Wait until the second worker has finished or is blocked on the first one's row locks.
    deadline = time.monotonic() + 10
    with db.engine.connect() as watcher:
        while thread.is_alive() and time.monotonic() < deadline:
            if second_pid and watcher.execute(sa.text(
                    "SELECT wait_event_type = 'Lock' FROM pg_stat_activity WHERE pid = :pid"),
                    {"pid": second_pid[0]}).scalar():
                break
            time.sleep(0.01)
    first.commit()
    first.close()
    thread.join(10)
    assert not thread.is_alive() and not errors
    assert taken_second == []
    # Once the first worker's lease has run out, the messages are due again (it died).
    with Session(engine) as session:
        assert sorted(claim_due(session, utcnow() + LEASE + timedelta(seconds=1), limit=50)) == sorted(taken_first)


def test_four_delivery_runs_started_together_send_each_message_once(app, mailbox):
    addresses = queue_messages(60)
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def run():
        with app.app_context():
            try:
                barrier.wait()
                while deliver_due(limit=10) != (0, 0):
                    pass
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors
    for address in addresses:
        assert len(mailbox.to(address)) == 1, address
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)
                             .where(OutboxMessage.status != MailStatus.SENT)) == 0
