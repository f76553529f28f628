import pytest
import sqlalchemy as sa

from eventhub.extensions import db
from eventhub.mail.models import MailStatus, OutboxMessage
from eventhub.mail.outbox import build_message, queue


@pytest.fixture
def admin(make, login_as):
    login_as(make.user("admin@example.org", admin=True))


def failed_message(to="focal@example.org", subject="Your delegation's registration link"):
    row = queue(db.session, build_message(to=[to], subject=subject, text="Hello,\n\nHere is the link.\n"))
    row.status = MailStatus.FAILED
    row.attempts = 8
    row.last_error = "SMTPServerDisconnected: Connection unexpectedly closed"
    db.session.commit()
    return row


def test_outbox_lists_messages_with_status_and_attempts(client, admin, app):
    row = failed_message()
    page = client.get("/admin/mail/").get_data(as_text=True)
    assert "Your delegation&#39;s registration link" in page
    assert "focal@example.org" in page and "Failed" in page and ">8<" in page
    assert "Connection unexpectedly closed" in page
    assert "Your delegation" in client.get("/admin/mail/?status=failed").get_data(as_text=True)
    assert "Your delegation" not in client.get("/admin/mail/?status=sent").get_data(as_text=True)
    assert row.id


def test_one_message_shows_headers_and_text(client, admin):
    row = failed_message()
    page = client.get(f"/admin/mail/{row.id}").get_data(as_text=True)
    assert "Message-ID" in page and "focal@example.org" in page
    assert "Here is the link." in page
    assert "Retry now" in page
    assert client.get("/admin/mail/999999").status_code == 404


def test_retrying_a_failed_message_delivers_it(client, admin, mailbox):
    row = failed_message()
    response = client.post(f"/admin/mail/{row.id}/retry", follow_redirects=True)
    assert "queued again" in response.get_data(as_text=True)
    [delivered] = mailbox.to("focal@example.org")
    assert delivered.subject == "Your delegation's registration link"
    db.session.expire_all()
    row = db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.id == row.id))
    assert row.status == MailStatus.SENT
    assert "Retry now" not in client.get(f"/admin/mail/{row.id}").get_data(as_text=True)
