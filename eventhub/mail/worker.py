"""The delivery process: sends what web requests queued, apart from the web workers.

Pages only record mail in the outbox (in their own transaction); this loop claims due messages
(`delivery.claim_due`: exactly once however many of these run, on any number of hosts) and sends
them, and then the webhook deliveries due (eventhub.api.delivery). A mail server that hangs or is down therefore costs this process its timeouts, never a page.
`make run` starts one beside gunicorn; in production run it as its own service (README).
"""

from __future__ import annotations

import signal
import threading

from flask import Flask
from sqlalchemy.exc import SQLAlchemyError

from eventhub.api.delivery import deliver_due_webhooks
from eventhub.extensions import db
from eventhub.mail.delivery import deliver_due
from eventhub.messages.reminders import run_due_reminders

POLL_SECONDS = 1.0
# After a database error, wait this long before trying again (the database may be restarting).
DATABASE_RETRY_SECONDS = 5.0


def run(app: Flask, stop: threading.Event, *, poll_seconds: float = POLL_SECONDS) -> None:
    """Deliver until `stop` is set: at once while there is work, else every `poll_seconds`."""
    while not stop.is_set():
        wait = 0.0
        with app.app_context():
            try:
                run_due_reminders()  # queued exactly once however many workers run; sent this round
                sent, failed = deliver_due()
                # Webhooks ride in the same process: one service to run beside the web workers.
                delivered, refused = deliver_due_webhooks()
                if sent + failed + delivered + refused == 0:
                    wait = poll_seconds
            except SQLAlchemyError:
                app.logger.exception("mail delivery: database error; trying again shortly")
                db.session.rollback()
                wait = DATABASE_RETRY_SECONDS
            finally:
                db.session.remove()
        if wait:
            stop.wait(wait)


def run_until_signalled(app: Flask, *, poll_seconds: float = POLL_SECONDS) -> None:
    """The `flask eventhub mail-worker` command: run until SIGTERM or Ctrl-C, finishing the batch."""
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    app.logger.info("mail delivery process started")
    run(app, stop, poll_seconds=poll_seconds)
