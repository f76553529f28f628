"""On-the-day races forced with barriers (SQLite file database and PostgreSQL): both sides cancel a
meeting at the same moment. One cancellation, one message to each side, nobody sees an error page."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from eventhub.extensions import db
from eventhub.mail.models import OutboxMessage
from eventhub.matching import onday
from eventhub.matching.models import MatchingProfile, Meeting
from eventhub.matching.participants import settings_of
from tests.conftest import run_in_threads

pytestmark = pytest.mark.slow


def test_both_sides_cancel_at_once_one_cancellation_one_mail_each(app, world, scheduled):
    meeting_id, event_id = scheduled.meeting.id, world.event.id
    sides = [world.profiles["ana"].id, world.profiles["seye"].id]
    db.session.execute(sa.delete(OutboxMessage))
    db.session.commit()

    def cancel(i: int):
        return onday.cancel_meeting(db.session, settings_of(db.session, event_id), meeting_id,
                                    db.session.get(MatchingProfile, sides[i])).id

    results = run_in_threads(app, 2, cancel)
    assert sorted(type(r).__name__ for r in results) == ["DomainError", "int"], results
    db.session.rollback()
    meeting = db.session.get(Meeting, meeting_id)
    assert meeting.cancelled_at is not None and meeting.sequence == 1
    kinds = db.session.scalars(sa.select(OutboxMessage.params)).all()
    assert sorted(p["what"] for p in kinds) == ["cancelled", "cancelled"]  # one to each side, not four

