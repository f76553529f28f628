"""On the day: held / no-show by a participant (their own meetings, once begun) or the desk (any),
cancelling before the organizer's cut-off frees slot and table, and the report counts it all."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from eventhub.errors import DomainError
from eventhub.extensions import db
from eventhub.matching import onday, outcomes
from eventhub.matching.models import Attendance, Meeting, MeetingSeat
from tests.matching.conftest import add_participant
from tests.matching.daykit import meet, move_slots


def text(response) -> str:
    return response.get_data(as_text=True)


def fresh(meeting_id: int) -> Meeting:
    db.session.expire_all()
    return db.session.get(Meeting, meeting_id)


def test_a_participant_marks_their_meeting_once_it_has_begun(client, login_as, world, scheduled):
    m, slug = scheduled.meeting, world.event.slug
    login_as(world.users["ana"])
    early = client.post(f"/events/{slug}/matching/meetings/{m.id}/attendance", data={"attendance": "held"},
                        follow_redirects=True)
    assert "A meeting can be marked once its time has come." in text(early) and fresh(m.id).attendance is None
    move_slots(scheduled.session.id, -timedelta(minutes=5))
    page = text(client.get(f"/events/{slug}/matching/meetings"))
    assert "No-show" in page and "Cancel the meeting" not in page  # begun: past any cut-off
    done = client.post(f"/events/{slug}/matching/meetings/{m.id}/attendance", data={"attendance": "no_show"},
                       follow_redirects=True)
    assert "Marked: No-show." in text(done) and fresh(m.id).attendance == Attendance.NO_SHOW
    bad = client.post(f"/events/{slug}/matching/meetings/{m.id}/attendance", data={"attendance": "maybe"},
                      follow_redirects=True)
    assert "Choose whether the meeting was held" in text(bad) and fresh(m.id).attendance == Attendance.NO_SHOW


def test_a_participant_cannot_mark_or_cancel_someone_elses_meeting(client, login_as, world, scheduled):
    m, slug = scheduled.meeting, world.event.slug
    move_slots(scheduled.session.id, -timedelta(minutes=5))
    login_as(world.users["shifei"])
    for action, data in (("attendance", {"attendance": "held"}), ("cancel", {})):
        page = client.post(f"/events/{slug}/matching/meetings/{m.id}/{action}", data=data, follow_redirects=True)
        assert "This meeting is not yours." in text(page)
    assert fresh(m.id).attendance is None and fresh(m.id).cancelled_at is None
    page = client.post(f"/events/{slug}/matching/meetings/999999/cancel", follow_redirects=True)
    assert "There is no such meeting." in text(page)


def test_cancel_frees_slot_and_table_for_the_next_meeting(client, login_as, world, scheduled):
    m, slug = scheduled.meeting, world.event.slug
    slot_id, table_id = m.slot_id, m.table_id
    login_as(world.users["seye"])
    page = client.post(f"/events/{slug}/matching/meetings/{m.id}/cancel", follow_redirects=True)
    assert "已取消" in text(page) or "cancelled" in text(page)
    gone = fresh(m.id)
    assert gone.cancelled_at is not None and gone.slot_id is None and gone.sequence == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(MeetingSeat)) == 0
    again = client.post(f"/events/{slug}/matching/meetings/{m.id}/cancel", follow_redirects=True)
    assert "already cancelled" in text(again) or "已被取消" in text(again)
    # Ana is free again in the first slot, and Table A with her.
    taken = meet(world, "shifei", "ana")
    assert (taken.slot_id, taken.table_id) == (slot_id, table_id)


def test_the_cut_off_is_the_organizers_and_applies(client, login_as, make, world, scheduled):
    m, slug = scheduled.meeting, world.event.slug
    move_slots(scheduled.session.id, timedelta(hours=5))
    organizer = make.staff(world.event, "organizer")
    login_as(organizer)
    bad = client.post(f"/events/{slug}/matching/day/cutoff", data={"hours": "900"})
    assert bad.status_code == 422 and "Enter a number of hours from 0 to 720." in text(bad)
    saved = client.post(f"/events/{slug}/matching/day/cutoff", data={"hours": "6"}, follow_redirects=True)
    assert "until 6 hours before it starts" in text(saved)
    login_as(world.users["ana"])
    assert "Cancel the meeting" not in text(client.get(f"/events/{slug}/matching/meetings"))
    late = client.post(f"/events/{slug}/matching/meetings/{m.id}/cancel", follow_redirects=True)
    assert "until 6 hours before they start" in text(late) and fresh(m.id).cancelled_at is None
    login_as(organizer)
    client.post(f"/events/{slug}/matching/day/cutoff", data={"hours": "4"})
    login_as(world.users["ana"])
    assert "Cancel the meeting" in text(client.get(f"/events/{slug}/matching/meetings"))
    client.post(f"/events/{slug}/matching/meetings/{m.id}/cancel")
    assert fresh(m.id).cancelled_at is not None


def test_a_marked_meeting_cannot_be_cancelled(world, scheduled):
    m = scheduled.meeting
    move_slots(scheduled.session.id, -timedelta(minutes=1))
    onday.mark(db.session, world.event.id, m.id, Attendance.HELD, profile=world.profiles["ana"])
    db.session.commit()
    world.settings.cancel_cutoff_hours = 0
    with pytest.raises(DomainError, match="marked as Held"):
        onday.cancel_meeting(db.session, world.settings, m.id, world.profiles["seye"])


def test_the_desk_marks_any_meeting_and_the_report_counts(client, login_as, make, world, scheduled):
    slug = world.event.slug
    vn = add_participant(make, world.event, world.settings, "vn", "VN", organisation="Hanoi Herbs")
    world.users["vn"], world.regs["vn"], world.profiles["vn"] = vn
    second = meet(world, "shifei", "ana")
    third = meet(world, "vn", "seye")
    fourth = meet(world, "vn", "shifei")
    move_slots(scheduled.session.id, -timedelta(hours=2))
    login_as(make.staff(world.event, "checkin"))
    day = text(client.get(f"/events/{slug}/matching/day"))
    assert "Meetings on the day" in day and "Hanoi Herbs" in day and "Table plan" not in day  # PDFs: organizers
    client.post(f"/events/{slug}/matching/day/meetings/{scheduled.meeting.id}/attendance", data={"attendance": "held"})
    client.post(f"/events/{slug}/matching/day/meetings/{second.id}/attendance", data={"attendance": "no_show"})
    client.post(f"/events/{slug}/matching/day/meetings/{third.id}/attendance", data={"attendance": "held"})
    client.post(f"/events/{slug}/matching/day/meetings/{third.id}/attendance", data={"attendance": "clear"})
    assert fresh(third.id).attendance is None
    world.settings.cancel_cutoff_hours = 0
    move_slots(scheduled.session.id, timedelta(hours=1))  # the last one can still be called off
    onday.cancel_meeting(db.session, world.settings, fourth.id, world.profiles["vn"])
    db.session.commit()
    r = outcomes.report(db.session, world.event.id)
    assert (r.meetings, r.scheduled, r.held, r.no_show, r.cancelled) == (4, 3, 1, 1, 1)
    login_as(make.staff(world.event, "organizer"))
    report = " ".join(re.sub(r"<[^>]+>", " ", text(client.get(f"/events/{slug}/matching/report"))).split())
    assert "Meetings held 1" in report and "No-shows 1" in report and "Meetings cancelled 1" in report


def test_day_page_and_marks_are_for_staff_only(client, login_as, world, scheduled):
    slug, m = world.event.slug, scheduled.meeting
    login_as(world.users["ana"])
    assert client.get(f"/events/{slug}/matching/day").status_code == 403
    assert client.post(f"/events/{slug}/matching/day/meetings/{m.id}/attendance",
                       data={"attendance": "held"}).status_code == 403
    assert client.post(f"/events/{slug}/matching/day/cutoff", data={"hours": "1"}).status_code == 403
    assert fresh(m.id).attendance is None


def test_the_desk_page_and_the_feed_statement_count_does_not_grow(client, login_as, make, world, scheduled,
                                                                  query_counter):
    slug, ana = world.event.slug, world.regs["ana"]
    login_as(make.staff(world.event, "checkin"))

    def statements(url: str) -> int:
        db.session.expire_all()
        with query_counter() as q:
            assert client.get(url).status_code == 200
        return q.count

    def add(keys) -> None:
        for key in keys:
            world.users[key], world.regs[key], world.profiles[key] = add_participant(
                make, world.event, world.settings, key, "VN", organisation=f"Firm {key}")
            meet(world, key, "ana" if key.endswith("a") else "seye")

    few = statements(f"/events/{slug}/matching/day"), statements(f"/calendar/{ana.calendar_token}.ics")
    add(["f1a", "f2b"])
    assert (statements(f"/events/{slug}/matching/day"), statements(f"/calendar/{ana.calendar_token}.ics")) == few


def test_the_day_page_of_an_event_without_matching_settings_offers_the_default_cut_off(client, login_as, make):
    event = make.event(title="No matching yet")
    login_as(make.staff(event, "organizer"))
    page = text(client.get(f"/events/{event.slug}/matching/day"))
    assert 'value="24"' in page and "No meeting has a time yet." in page
    saved = client.post(f"/events/{event.slug}/matching/day/cutoff", data={"hours": "0"}, follow_redirects=True)
    assert "until 0 hours before it starts" in text(saved)
    assert 'value="0"' in text(client.get(f"/events/{event.slug}/matching/day"))
