"""The demo workshop's feeds are valid for both parsers: 09:00 in Guangzhou is 09:00 Asia/Shanghai."""

from zoneinfo import ZoneInfo

import sqlalchemy as sa

from eventhub.agenda.models import Session, SessionStatus, busy_span
from eventhub.demo import DEMO_SLUG, load_demo
from eventhub.extensions import db
from eventhub.registration.models import Registration, RegistrationStatus
from tests.calendars.icscheck import parse_all
from tests.conftest import PASSWORD


def test_demo_event_and_personal_feeds(client):
    load_demo(db.session, PASSWORD)
    db.session.commit()
    events = parse_all(client.get(f"/events/{DEMO_SLUG}/agenda.ics").data)
    public = db.session.scalars(sa.select(Session).join(Session.event).where(
        Session.is_public.is_(True), Session.status == SessionStatus.SCHEDULED,
        Session.event.has(slug=DEMO_SLUG))).all()
    assert len(events) == len(public) >= 10
    zone = ZoneInfo("Asia/Shanghai")
    for s in public:
        parsed = events[f"session-{s.id}@eventhub.test"]
        start, end = busy_span(s)  # a site visit's entry: from the departure to the return
        assert parsed["start"] == start and parsed["end"] == end
        assert parsed["local_start"].replace(tzinfo=None) == start.astimezone(zone).replace(tzinfo=None)

    regs = db.session.scalars(sa.select(Registration).where(Registration.status == RegistrationStatus.APPROVED)
                              .limit(10)).all()
    assert regs
    for reg in regs:
        response = client.get(f"/calendar/{reg.calendar_token}.ics")
        assert response.status_code == 200
        parse_all(response.data)
