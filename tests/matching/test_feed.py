"""Meetings in each participant's personal calendar feed: stable UID, the SEQUENCE of the e-mails,
gone once cancelled, and the feed's validators change with them."""

from __future__ import annotations

import sqlalchemy as sa

from eventhub.calendars.feeds import personal_ics
from eventhub.extensions import db
from eventhub.matching import notify, onday
from eventhub.matching.models import Meeting, MeetingSeat
from tests.calendars.icscheck import parse_all


def feed_url(reg) -> str:
    return f"/calendar/{reg.calendar_token}.ics"


def test_both_feeds_hold_the_meeting_and_parse(client, world, scheduled):
    m, host = scheduled.meeting, "eventhub.test"
    ana = parse_all(client.get(feed_url(world.regs["ana"])).data)
    entry = ana[f"meeting-{m.id}@{host}"]
    assert entry["start"] == m.slot.starts_at and entry["end"] == m.slot.ends_at
    assert entry["summary"] == "Meeting: Guangzhou Seye Biopharmaceutical" and entry["sequence"] == 0
    assert entry["location"] == "Table A, Hall B" and entry["categories"] == ["Business matching"]
    assert "Seye Tester" in entry["description"] and "China" in entry["description"]
    seye = parse_all(client.get(feed_url(world.regs["seye"])).data)  # Seye reads Chinese
    assert seye[f"meeting-{m.id}@{host}"]["summary"] == "会谈：Bangkok Biotech"
    shifei = parse_all(client.get(feed_url(world.regs["shifei"])).data)
    assert not any(uid.startswith("meeting-") for uid in shifei)


def test_the_feed_changes_when_the_meeting_is_cancelled(client, world, scheduled):
    m = scheduled.meeting
    url = feed_url(world.regs["ana"])
    before = client.get(url)
    assert client.get(url, headers={"If-None-Match": before.headers["ETag"]}).status_code == 304
    onday.cancel_meeting(db.session, world.settings, m.id, world.profiles["seye"])
    db.session.commit()
    after = client.get(url, headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200
    assert not any(uid.startswith("meeting-") for uid in parse_all(after.data))


def test_the_feed_follows_a_move_with_the_mails_sequence(world, scheduled):
    m = scheduled.meeting
    before = notify.schedule_snapshot(db.session, world.event.id)
    later = next(slot for slot, _ in onday.slot_rows(db.session, world.event.id) if slot.id != m.slot_id)
    db.session.execute(sa.update(MeetingSeat).where(MeetingSeat.meeting_id == m.id).values(slot_id=later.id))
    db.session.execute(sa.update(Meeting).where(Meeting.id == m.id).values(slot_id=later.id))
    assert notify.schedule_changed(db.session, world.event.id, before) == 1
    db.session.commit()
    entry = parse_all(personal_ics(db.session, world.regs["ana"]))[f"meeting-{m.id}@eventhub.test"]
    assert entry["sequence"] == 1 and entry["start"] == later.starts_at


def test_the_feed_changes_when_the_other_side_renames_their_organisation(client, world, scheduled):
    url = feed_url(world.regs["ana"])
    before = client.get(url)
    world.profiles["seye"].organisation = "Seye Biopharma Group"
    db.session.commit()
    after = client.get(url, headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200 and "Meeting: Seye Biopharma Group" in after.get_data(as_text=True)
