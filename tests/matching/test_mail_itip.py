"""Matching mail as delivered to the test SMTP server: requests received, accepted, declined; meetings
scheduled (REQUEST), moved (REQUEST, SEQUENCE + 1) and cancelled (CANCEL, SEQUENCE + 1), each in the
recipient's language, and the day-before schedule."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from eventhub.db import utcnow
from eventhub.extensions import db
from eventhub.matching import notify, onday
from eventhub.matching.models import DayScheduleMail, MatchingSlot, Meeting, MeetingSeat, Unavailability
from tests.calendars.icscheck import check_bytes, parse_all
from tests.matching.daykit import move_slots

ANA, SEYE, SHIFEI = "ana@example.org", "seye@example.org", "shifei@example.org"


def invitation(message) -> tuple[str, dict]:
    [part] = message.parts("text/calendar")
    data = part.get_content()
    data = data.encode("utf-8") if isinstance(data, str) else data
    lines = check_bytes(data, feed=False)
    [entry] = parse_all(data, feed=False).values()
    assert f"METHOD:{part.get_param('method')}" in lines
    return part.get_param("method"), entry


def test_request_received_accepted_and_scheduled_mails(client, login_as, world, make, mailbox, scheduled):
    sch = scheduled
    mailbox.clear()
    login_as(world.users["shifei"])
    client.post(f"/events/{world.event.slug}/matching/profiles/{world.profiles['ana'].id}/request",
                data={"message": "We make skin-care products."})
    [received] = mailbox.to(ANA)
    assert received.subject.startswith("Meeting request from Guangdong Shifei Cosmetics")
    assert "We make skin-care products." in received.text() and "/matching/requests" in received.text()
    assert not received.parts("text/calendar")

    login_as(world.users["ana"])
    request_id = db.session.scalar(sa.text("SELECT id FROM matching_requests WHERE receiver_id = :p"),
                                   {"p": world.profiles["ana"].id})
    client.post(f"/events/{world.event.slug}/matching/requests/{request_id}/accept")
    to_shifei = mailbox.to(SHIFEI)
    subjects = sorted(m.subject for m in to_shifei)
    assert subjects[0].startswith("Bangkok Biotech accepted your meeting request")
    scheduled_mail = next(m for m in to_shifei if m.subject.startswith("Meeting with Bangkok Biotech"))
    method, entry = invitation(scheduled_mail)
    meeting = db.session.scalar(sa.select(Meeting).where(Meeting.id != sch.meeting.id))
    assert method == "REQUEST" and entry["sequence"] == 0 and entry["status"] == "CONFIRMED"
    assert entry["start"] == meeting.slot.starts_at and "Table" in entry["location"]
    assert "Bangkok Biotech" in entry["summary"] and "Table: " in scheduled_mail.text()
    [to_ana] = [m for m in mailbox.to(ANA) if m.parts("text/calendar")]
    assert invitation(to_ana)[1]["summary"] == "Meeting: Guangdong Shifei Cosmetics"


def test_declined_mail_carries_the_reason_in_the_senders_language(client, login_as, world, mailbox):
    world.regs["ana"].language = "zh_Hans"
    db.session.commit()
    login_as(world.users["ana"])
    client.post(f"/events/{world.event.slug}/matching/profiles/{world.profiles['shifei'].id}/request", data={})
    login_as(world.users["shifei"])
    request_id = db.session.scalar(sa.text("SELECT id FROM matching_requests"))
    mailbox.clear()
    client.post(f"/events/{world.event.slug}/matching/requests/{request_id}/decline",
                data={"reason": "We only meet buyers."})
    [declined] = mailbox.to(ANA)
    assert "Guangdong Shifei Cosmetics" in declined.subject and "拒绝" in declined.subject
    assert "We only meet buyers." in declined.text() and "拒绝" in declined.text()


def test_scheduled_moved_cancelled_carry_rising_sequence(client, login_as, world, make, mailbox, scheduled):
    sch, slug = scheduled, world.event.slug
    first = sch.meeting.slot_id
    [request] = [m for m in mailbox.to(ANA) if m.parts("text/calendar")]
    assert invitation(request)[0] == "REQUEST" and invitation(request)[1]["sequence"] == 0
    chinese = next(m for m in mailbox.to(SEYE) if m.parts("text/calendar"))
    assert "会" in chinese.subject  # Seye reads Chinese: the invitation is written in it

    # Seye cannot come to the first slot: the re-optimisation moves the meeting.
    db.session.add(Unavailability(profile_id=world.profiles["seye"].id, slot_id=first))
    db.session.commit()
    mailbox.clear()
    organizer = make.staff(world.event, "organizer")
    login_as(organizer)
    client.post(f"/events/{slug}/matching/schedule/run", data={"move_published": "y"})
    client.post(f"/events/{slug}/matching/schedule/publish")
    db.session.expire_all()
    meeting = db.session.get(Meeting, sch.meeting.id)
    assert meeting.slot_id != first and meeting.sequence == 1
    [moved] = mailbox.to(ANA)
    method, entry = invitation(moved)
    assert moved.subject.startswith("Meeting moved: Guangzhou Seye Biopharmaceutical")
    assert method == "REQUEST" and entry["sequence"] == 1 and entry["start"] == meeting.slot.starts_at
    assert "it was " in moved.text()
    assert len(mailbox.to(SEYE)) == 1

    mailbox.clear()
    login_as(world.users["ana"])
    page = client.post(f"/events/{slug}/matching/meetings/{meeting.id}/cancel", follow_redirects=True)
    assert "cancelled. They have been told" in page.get_data(as_text=True)
    [to_seye] = mailbox.to(SEYE)
    method, entry = invitation(to_seye)
    assert method == "CANCEL" and entry["sequence"] == 2 and entry["status"] == "CANCELLED"
    assert "Bangkok Biotech" in to_seye.text()
    [to_ana] = mailbox.to(ANA)
    assert invitation(to_ana)[0] == "CANCEL" and "You cancelled" in to_ana.text()


def test_day_before_schedule_once_per_person(world, make, mailbox, scheduled):
    sch = scheduled
    slot = db.session.get(MatchingSlot, sch.meeting.slot_id)
    zone = ZoneInfo(world.event.timezone)
    # Noon of the day before, on the event's clock.
    now = datetime.combine(slot.starts_at.astimezone(zone).date() - timedelta(days=1), time(12), tzinfo=zone)
    mailbox.clear()
    assert onday.queue_day_before(db.session, world.event, now=now) == 2
    db.session.commit()
    assert onday.queue_day_before(db.session, world.event, now=now) == 0  # each person once per day
    db.session.commit()
    [mail] = mailbox.to(ANA)
    assert "business-matching meetings" in mail.subject
    assert "Table A" in mail.text() and "Guangzhou Seye Biopharmaceutical" in mail.text()
    assert "/matching/meetings.pdf" in mail.text()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DayScheduleMail)) == 2
    assert onday.queue_day_before(db.session, world.event, now=utcnow() - timedelta(days=30)) == 0


def test_losing_the_slot_sends_cancel_and_a_new_time_goes_above_it(world, mailbox, scheduled):
    m = scheduled.meeting
    slot_id, table_id = m.slot_id, m.table_id
    mailbox.clear()

    def place(slot, table):
        before = notify.schedule_snapshot(db.session, world.event.id)
        db.session.execute(sa.delete(MeetingSeat).where(MeetingSeat.meeting_id == m.id))
        db.session.execute(sa.update(Meeting).where(Meeting.id == m.id).values(slot_id=slot, table_id=table))
        if slot is not None:
            db.session.add_all([MeetingSeat(meeting_id=m.id, profile_id=p, slot_id=slot)
                                for p in (m.profile_a_id, m.profile_b_id)])
        notify.schedule_changed(db.session, world.event.id, before)
        db.session.commit()

    place(None, None)  # a new schedule had no room for it
    [lost] = mailbox.to(ANA)
    assert lost.subject.startswith("Your meeting with Guangzhou Seye Biopharmaceutical has no time any more")
    assert invitation(lost)[0] == "CANCEL" and invitation(lost)[1]["sequence"] == 1
    mailbox.clear()
    place(slot_id, table_id)  # and the next one had
    [back] = mailbox.to(ANA)
    method, entry = invitation(back)
    assert method == "REQUEST" and entry["sequence"] == 2  # above the CANCEL, or calendars ignore it


def test_the_day_before_command_queues_for_events_with_meetings_tomorrow(app, world, mailbox, scheduled):
    zone = ZoneInfo(world.event.timezone)
    tomorrow_noon = datetime.combine(utcnow().astimezone(zone).date() + timedelta(days=1), time(12), tzinfo=zone)
    move_slots(scheduled.session.id, tomorrow_noon - utcnow())
    mailbox.clear()
    result = app.test_cli_runner().invoke(args=["eventhub", "matching-day-before"])
    assert result.exit_code == 0, result.output
    assert f"{world.event.slug}: 2 schedules queued." in result.output
    assert [m.subject for m in mailbox.to(ANA)][0].startswith("Your business-matching meetings on")
    again = app.test_cli_runner().invoke(args=["eventhub", "matching-day-before"])
    assert "Matching: 0 schedules queued in 1 events." in again.output
