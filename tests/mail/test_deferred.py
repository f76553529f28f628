"""Messages are written by the delivery process, not by the request that caused them.

A booking records only what is to be sent (a kind and a few ids); the delivery process writes the
message — subject, text, the calendar invitation — in the recipient's language when it sends it.
"""

from datetime import timedelta
from email.utils import parseaddr

import sqlalchemy as sa

from eventhub.db import utcnow, write_intent
from eventhub.extensions import db
from eventhub.mail import kinds
from eventhub.mail.delivery import deliver_due
from eventhub.mail.models import MailStatus, OutboxMessage
from eventhub.mail.outbox import queue_deferred
from eventhub.signups import services
from tests.conftest import login


def _book(make, *, language: str = ""):
    event = make.event(title="Guangzhou SME Workshop")
    visit = make.session(event, kind="site_visit", title="Port visit", bookable=True, capacity=5,
                         start="14:00", end="17:00")
    reg = make.registration(event)
    if language:
        reg.language = language
        db.session.commit()
    with write_intent():
        services.book(db.session, visit.id, reg.id)
        db.session.commit()
    return event, visit, reg


def test_the_request_records_what_to_send_and_the_delivery_process_writes_it(app, make, mailbox):
    _, visit, reg = _book(make)
    row = db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.recipients == reg.email))
    assert (row.kind, row.raw, row.subject) == ("signups.session", b"", "")
    assert row.params["session"] == visit.id and row.params["calendar"] == "REQUEST"

    [received] = mailbox.to(reg.email)
    assert received.subject == "Your seat: Port visit · Guangzhou SME Workshop"
    assert "You have a seat in:" in received.text()
    [invitation] = received.parts("text/calendar")
    assert b"METHOD:REQUEST" in invitation.get_payload(decode=True)

    db.session.rollback()
    row = db.session.get(OutboxMessage, row.id)
    assert row.status == MailStatus.SENT
    assert row.subject == received.subject  # the outbox page lists what was sent
    assert row.raw.startswith(b"From:") or b"\r\nSubject:" in row.raw


def test_a_chinese_delegate_gets_the_message_written_in_chinese_at_delivery(app, make, mailbox):
    _, _, reg = _book(make, language="zh_Hans")
    [received] = mailbox.to(reg.email)
    assert received.subject.startswith("您的座位")
    assert "Port visit" in received.subject


def test_a_registration_purged_before_delivery_is_not_mailed(app, make, mailbox):
    _, _, reg = _book(make)
    reg.personal_data_purged_at = utcnow()
    db.session.commit()
    with app.app_context():
        assert deliver_due() == (0, 1)
    assert mailbox.to(reg.email) == []
    row = db.session.scalar(sa.select(OutboxMessage))
    assert row.status == MailStatus.FAILED and "purged" in row.last_error


def test_a_message_that_cannot_be_written_is_retried_and_the_rest_are_sent(app, make, mailbox, monkeypatch):
    _, _, reg = _book(make)
    with write_intent():
        queue_deferred(db.session, kind="tests.broken", to=["someone@example.org"], params={})
        db.session.commit()

    def broken(db_session, params, recipients):
        raise RuntimeError("template missing")

    monkeypatch.setitem(kinds._BUILDERS, "tests.broken", broken)
    with app.app_context():
        assert deliver_due() == (1, 1)
    assert len(mailbox.to(reg.email)) == 1
    row = db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.kind == "tests.broken"))
    assert row.status == MailStatus.PENDING and row.attempts == 1
    assert "template missing" in row.last_error and row.next_attempt_at > utcnow() + timedelta(seconds=20)


def test_a_retry_sends_the_message_written_the_first_time(app, make, mailbox, app_config):
    _, _, reg = _book(make)
    app.config["MAIL_PORT"] = 1  # nobody listens: the first attempt fails after writing the message
    with app.app_context():
        assert deliver_due() == (0, 1)
    db.session.rollback()
    row = db.session.scalar(sa.select(OutboxMessage))
    assert row.raw and row.subject.startswith("Your seat")
    first_id = [line for line in row.raw.split(b"\r\n") if line.startswith(b"Message-ID:")]

    app.config["MAIL_PORT"] = app_config["MAIL_PORT"]
    row.next_attempt_at = utcnow()
    db.session.commit()
    [received] = mailbox.to(reg.email)
    assert [f"Message-ID: {received.message['Message-ID']}".encode()] == first_id


def test_the_admin_page_of_a_message_not_yet_written(app, make, client):
    _, _, reg = _book(make)
    row_id = db.session.scalar(sa.select(OutboxMessage.id))
    login(client, make.user(admin=True))
    page = client.get(f"/admin/mail/{row_id}")
    assert page.status_code == 200
    assert "writes this message, in its recipient's language, when it sends it" in page.get_data(as_text=True)
    listing = client.get("/admin/mail/").get_data(as_text=True)
    assert "(written when sent)" in listing
    assert parseaddr(reg.email)[1] in listing
