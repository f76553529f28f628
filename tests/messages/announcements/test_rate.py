"""MAIL_RATE_PER_MINUTE: the delivery never hands the SMTP server more than it accepts in a minute."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from eventhub.db import utcnow
from eventhub.extensions import db
from eventhub.mail.delivery import deliver_due
from eventhub.mail.models import MailStatus, OutboxMessage
from eventhub.mail.outbox import build_message, queue


@pytest.fixture
def app_config(app_config):
    app_config["MAIL_RATE_PER_MINUTE"] = 3
    return app_config


def _count(status) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage).where(OutboxMessage.status == status))


def test_at_most_the_rate_per_minute(app, mailbox):
    for i in range(5):
        queue(db.session, build_message(to=[f"p{i}@example.org"], subject=f"Message {i}", text="Hello"))
    db.session.commit()
    assert deliver_due(limit=50) == (3, 0)
    assert deliver_due(limit=50) == (0, 0)  # the minute's three are used up
    assert len(mailbox.received) == 3 and _count(MailStatus.PENDING) == 2
    db.session.execute(sa.update(OutboxMessage).where(OutboxMessage.sent_at.is_not(None))
                       .values(sent_at=utcnow() - timedelta(seconds=61)))
    db.session.commit()
    assert deliver_due(limit=50) == (2, 0)
    assert _count(MailStatus.SENT) == 5
