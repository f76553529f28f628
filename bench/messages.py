"""Announcements: queuing a big one, and delivering it beside a plain SMTP loop.

- mail.queue_5000_s: an organizer sends an announcement to 5,000 people through the real send
  endpoint (gunicorn, log-in, CSRF): the request's time. Target under 5 s.
- mail.deliver_rps: those messages written (placeholders, HTML part, unsubscribe link) and sent by
  the delivery process's code (`deliver_due`) to a local SMTP server, per second.
- mail.deliver_ratio: deliver_rps over a plain send loop to the same server in the same run: what a
  hand-written mail merge does — for each person an `EmailMessage` with the personalised text and
  an HTML part, sent with smtplib over one connection, nothing recorded (mail.plain_smtp_rps).
  Target at least 0.5. mail.plain_prebuilt_rps is smtplib alone, sending one ready-made message
  again and again: the SMTP round trips, the floor of any delivery.

`python -m bench.messages` runs this module alone (it builds the usual data set first).
"""

from __future__ import annotations

import http.client
import re
import smtplib
import socket
import threading
import time
from urllib.parse import urlencode, urlsplit

import sqlalchemy as sa

PEOPLE = 5_000
DELIVERED = 1_000  # of them, timed through deliver_due (and as many in the plain loop)


class _CountingSink:
    def __init__(self) -> None:
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        with self.lock:
            self.count += 1
        return "250 OK"


def _announce_event(b) -> str:
    """An event of its own with exactly PEOPLE approved registrations (bulk inserted)."""
    from eventhub.accounts.models import EventRole, EventRoleKind, User
    from eventhub.agenda.models import Session, SessionKind
    from eventhub.db import utcnow, write_intent
    from eventhub.events.models import Event, EventStatus
    from eventhub.extensions import db
    from eventhub.registration.models import Delegation, Registration, RegistrationStatus, new_token
    from eventhub.signups.models import Booking, BookingStatus

    ds = b.dataset
    with b.app.app_context(), write_intent():
        base = db.session.get(Event, ds.event_id)
        event = Event(slug="bench-announce", title="Bench announcement workshop", timezone=base.timezone,
                      start_date=base.start_date, end_date=base.end_date, status=EventStatus.PUBLISHED)
        db.session.add(event)
        db.session.flush()
        organizer = db.session.scalar(sa.select(User).where(User.email == ds.organizer[0]))
        db.session.add(EventRole(event_id=event.id, user_id=organizer.id, role=EventRoleKind.ORGANIZER))
        delegation = Delegation(event_id=event.id, economy_id=ds.economy_ids[0], quota=PEOPLE, taken=PEOPLE)
        visit = Session(event_id=event.id, kind=SessionKind.SITE_VISIT, title="Bench site visit",
                        starts_at=utcnow(), ends_at=utcnow(), bookable=True, capacity=PEOPLE)
        db.session.add_all([delegation, visit])
        db.session.flush()
        now = utcnow()
        db.session.execute(sa.insert(Registration), [
            {"event_id": event.id, "delegation_id": delegation.id, "economy_id": ds.economy_ids[0],
             "email": f"announce{i}@bench.example.org", "given_name": f"Given{i}", "family_name": f"Family{i}",
             "status": RegistrationStatus.APPROVED, "confirm_token": new_token(), "calendar_token": new_token(),
             "created_at": now, "updated_at": now} for i in range(PEOPLE)])
        ids = db.session.scalars(sa.select(Registration.id).where(Registration.event_id == event.id)).all()
        db.session.execute(sa.insert(Booking), [
            {"session_id": visit.id, "registration_id": rid, "economy_id": ds.economy_ids[0],
             "status": BookingStatus.CONFIRMED, "created_at": now, "updated_at": now} for rid in ids])
        db.session.commit()
        return event.slug


def queue_5000(b) -> None:
    slug = _announce_event(b)
    headers = b.login(*b.dataset.organizer)
    host = urlsplit(b.base_url)
    conn = http.client.HTTPConnection(host.hostname, host.port, timeout=120)
    conn.request("GET", f"/events/{slug}/announcements/new", headers=headers)
    page = conn.getresponse().read().decode()
    csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    send_token = re.search(r'name="send_token"[^>]*value="([^"]+)"', page).group(1)
    body = urlencode({"csrf_token": csrf, "send_token": send_token, "subject": "Bus for {{ first_name }}",
                      "body": "Dear {{ first_name }},\n\nThe bus leaves at **13:20**.\n\n{{ bookings }}\n\n"
                              "Calendar: {{ calendar_url }}", "statuses": "approved", "send": "Send"})
    started = time.perf_counter()
    conn.request("POST", f"/events/{slug}/announcements/new", body=body,
                 headers={**headers, "Content-Type": "application/x-www-form-urlencoded"})
    response = conn.getresponse()
    response.read()
    took = time.perf_counter() - started
    conn.close()
    if response.status != 302:
        b.failures.append(f"announcement send answered {response.status}")
    b.report("mail.queue_5000_s", round(took, 2))


def deliver(b) -> None:
    from aiosmtpd.controller import Controller

    from eventhub.extensions import db
    from eventhub.mail.delivery import deliver_due
    from eventhub.mail.models import MailStatus, OutboxMessage

    sink = _CountingSink()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    config = b.app.config
    saved = {k: config.get(k) for k in ("MAIL_SERVER", "MAIL_PORT", "PUBLIC_BASE_URL")}
    config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, PUBLIC_BASE_URL=saved["PUBLIC_BASE_URL"] or
                  "http://127.0.0.1")
    try:
        with b.app.app_context():
            pending = db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)
                                        .where(OutboxMessage.status == MailStatus.PENDING))
            target = min(DELIVERED, pending)
            sent = 0
            started = time.perf_counter()
            while sent < target:
                done, _failed = deliver_due(limit=min(200, target - sent))
                if not done:
                    break
                sent += done
            took = time.perf_counter() - started
            sample = db.session.scalar(sa.select(OutboxMessage.raw).where(
                OutboxMessage.kind == "messages.announcement", OutboxMessage.status == MailStatus.SENT).limit(1))
            db.session.remove()
        rps = sent / took if took else 0.0
        plain = _plain_loop(port, sent or DELIVERED)
        prebuilt = _prebuilt_loop(port, sample or b"Subject: x\r\n\r\nx\r\n", sent or DELIVERED)
    finally:
        controller.stop()
        config.update(saved)
    b.report("mail.deliver_rps", round(rps, 1))
    b.report("mail.plain_smtp_rps", round(plain, 1))
    b.report("mail.plain_prebuilt_rps", round(prebuilt, 1))
    b.report("mail.deliver_ratio", round(rps / plain, 3) if plain else 0.0)


def _plain_loop(port: int, n: int) -> float:
    from email.message import EmailMessage

    smtp = smtplib.SMTP("127.0.0.1", port, timeout=30)
    started = time.perf_counter()
    for i in range(n):
        message = EmailMessage()
        message["From"] = "EventHub <no-reply@bench.example.org>"
        message["To"] = f"plain{i}@bench.example.org"
        message["Subject"] = f"Bus for Given{i}"
        text = f"Dear Given{i},\n\nThe bus leaves at 13:20.\n\n- Bench site visit\n"
        message.set_content(text)
        message.add_alternative(f"<p>Dear Given{i},</p><p>The bus leaves at <strong>13:20</strong>.</p>",
                                subtype="html")
        smtp.send_message(message)
    took = time.perf_counter() - started
    smtp.quit()
    return n / took if took else 0.0


def _prebuilt_loop(port: int, raw: bytes, n: int) -> float:
    smtp = smtplib.SMTP("127.0.0.1", port, timeout=30)
    started = time.perf_counter()
    for i in range(n):
        smtp.sendmail("no-reply@bench.example.org", [f"prebuilt{i}@bench.example.org"], raw)
    took = time.perf_counter() - started
    smtp.quit()
    return n / took if took else 0.0


def run(b) -> None:
    queue_5000(b)
    deliver(b)


if __name__ == "__main__":
    import sys

    from bench.harness import Bench

    bench = Bench()
    try:
        bench.setup()
        run(bench)
    finally:
        bench.close()
    for problem in bench.failures:
        print(f"# warning: {problem}", file=sys.stderr)
