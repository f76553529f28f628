"""The event, personal and one-session feeds as calendar apps fetch them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from zoneinfo import ZoneInfo

import pytest

from eventhub.agenda.models import SessionSpeaker, SessionStatus, SpeakerRole
from eventhub.extensions import db
from eventhub.signups.models import Booking, BookingStatus
from tests.calendars.icscheck import check_bytes, parse_all, unfold

SHANGHAI = ZoneInfo("Asia/Shanghai")


def uid(session) -> str:
    return f"session-{session.id}@eventhub.test"


def book(make, session, registration, status: str = "confirmed"):
    booking = Booking(
        session_id=session.id,
        registration_id=registration.id,
        economy_id=registration.economy_id,
        status=BookingStatus(status),
        waitlisted_at=datetime.now(UTC) if status == "waitlisted" else None,
    )
    db.session.add(booking)
    db.session.commit()
    return booking


def move(session, *, hours: int = 0, room=None):
    """What the agenda service does when a session moves: new time/place, SEQUENCE up, changed_at now."""
    session.starts_at += timedelta(hours=hours)
    session.ends_at += timedelta(hours=hours)
    if room is not None:
        session.room_id = room.id
    session.sequence += 1
    session.changed_at = datetime.now(UTC) + timedelta(seconds=2)
    db.session.commit()


@pytest.fixture
def guangzhou(make):
    """The demo workshop: Guangzhou, Asia/Shanghai, with a programme of mixed sessions."""
    event = make.event(
        slug="guangzhou-clusters",
        title="Project on Promoting SME Industrial Cluster Development in the APEC Region",
        venue="Guangzhou Baiyun International Convention Center",
        address="No. 1 Yuntai Road, Baiyun District, Guangzhou",
        contact_email="secretariat@sme-centre.example.cn",
        host_organisation="China Centre for Promotion of SME Development",
    )
    hall = make.room(event, "Hall A – 主会场")
    opening = make.session(
        event, title="Opening remarks 开幕致辞", kind="opening", start="09:00", end="09:30",
        room_id=hall.id, for_everyone=True,
        description="Welcome by the host; three officials speak.\nSimultaneous interpretation: 中文 / English.",
    )
    db.session.add(SessionSpeaker(session_id=opening.id, external_name="Wang Xiaoming", affiliation="CCPSMED",
                                  role=SpeakerRole.SPEAKER, position=0))
    db.session.add(SessionSpeaker(session_id=opening.id, external_name="Nguyễn Thị Hương", role=SpeakerRole.MODERATOR,
                                  position=1))
    db.session.commit()
    roundtable = make.session(event, title="Roundtable: biomedicine; new materials, new energy", kind="roundtable",
                              start="10:00", end="11:30", room_id=hall.id, bookable=True, capacity=12)
    visit = make.session(event, title="Site visit: Guangzhou Seye Biopharmaceutical Technology Co., Ltd.",
                         kind="site_visit", start="14:00", end="17:00", location="Baiyun District", bookable=True,
                         capacity=40)
    private = make.session(event, title="Heads of delegation dinner", kind="meal", start="19:00", end="21:00",
                           is_public=False)
    cancelled = make.session(event, title="Cancelled panel", kind="panel", start="11:30", end="12:00",
                             status=SessionStatus.CANCELLED)
    return dict(event=event, hall=hall, opening=opening, roundtable=roundtable, visit=visit, private=private,
                cancelled=cancelled)


# --- the event feed --------------------------------------------------------------------------------------

def test_event_feed_is_valid_for_both_parsers_and_matches_session_times(client, guangzhou):
    event, opening = guangzhou["event"], guangzhou["opening"]
    response = client.get("/events/guangzhou-clusters/agenda.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    data = response.data
    events = parse_all(data)

    # Public scheduled sessions only: no cancelled, no non-public.
    assert set(events) == {uid(guangzhou[k]) for k in ("opening", "roundtable", "visit")}

    # 09:00 in Guangzhou is 09:00 Asia/Shanghai = 01:00 UTC, in both parsers.
    parsed = events[uid(opening)]
    assert parsed["start"] == opening.starts_at == datetime(event.start_date.year, event.start_date.month,
                                                            event.start_date.day, 1, 0, tzinfo=UTC)
    assert parsed["local_start"].hour == 9
    assert parsed["end"] == opening.ends_at

    lines = unfold(data)
    assert f"DTSTART;TZID=Asia/Shanghai:{event.start_date:%Y%m%d}T090000" in lines
    assert "X-WR-TIMEZONE:Asia/Shanghai" in lines
    assert f"X-WR-CALNAME:{event.title}" in lines
    assert parsed["summary"] == "Opening remarks 开幕致辞"
    assert "Speaker: Wang Xiaoming (CCPSMED)" in parsed["description"]
    assert "Moderator: Nguyễn Thị Hương" in parsed["description"]
    assert "Simultaneous interpretation: 中文 / English." in parsed["description"]
    assert "<" not in parsed["description"]  # plain text
    assert parsed["location"].startswith("Hall A – 主会场, Guangzhou Baiyun International Convention Center")
    assert parsed["categories"] == ["Opening"]
    assert parsed["url"].startswith("http://localhost/events/guangzhou-clusters/")
    assert str(opening.id) in parsed["url"]
    assert parsed["dtstamp"] == opening.changed_at.replace(microsecond=0)
    assert events[uid(guangzhou["visit"])]["categories"] == ["Site visit"]
    assert events[uid(guangzhou["roundtable"])]["summary"] == "Roundtable: biomedicine; new materials, new energy"


def test_long_multilingual_lines_fold_at_75_octets_without_splitting_characters(client, make):
    event = make.event(slug="fold", title="ประชุมเชิงปฏิบัติการ " * 6)
    titles = ["开幕式" * 40, "Hội thảo phát triển doanh nghiệp nhỏ và vừa " * 5, "a" * 74, "a" * 75, "ไทย😀" * 30]
    for n, title in enumerate(titles):
        make.session(event, title=title, start=f"{9 + n:02d}:00", end=f"{9 + n:02d}:30")
    data = client.get("/events/fold/agenda.ics").data
    events = parse_all(data)
    assert sorted(e["summary"] for e in events.values()) == sorted(t.strip() for t in titles)
    assert max(len(line) for line in data.split(b"\r\n")) <= 75
    assert any(len(line) == 75 for line in data.split(b"\r\n"))  # folding actually happened at the limit


def test_draft_event_feed_is_hidden_from_the_public(client, make, login_as):
    event = make.event(slug="draft", published=False)
    make.session(event)
    assert client.get("/events/draft/agenda.ics").status_code == 404
    assert client.get("/events/nope/agenda.ics").status_code == 404
    login_as(make.staff(event, "organizer"))
    assert client.get("/events/draft/agenda.ics").status_code == 200


def test_moved_session_keeps_uid_and_raises_sequence(client, guangzhou, make):
    opening = guangzhou["opening"]
    before = client.get("/events/guangzhou-clusters/agenda.ics")
    first = parse_all(before.data)[uid(opening)]
    assert first["sequence"] == 0

    other_room = make.room(guangzhou["event"], "Room 201")
    move(opening, hours=1, room=other_room)

    after = client.get("/events/guangzhou-clusters/agenda.ics")
    moved = parse_all(after.data)[uid(opening)]
    assert moved["sequence"] == 1
    assert moved["start"] == first["start"] + timedelta(hours=1)
    assert moved["location"].startswith("Room 201")
    assert moved["dtstamp"] > first["dtstamp"]
    assert after.headers["ETag"] != before.headers["ETag"]


def test_cancelled_session_disappears_from_the_feed(client, guangzhou):
    roundtable = guangzhou["roundtable"]
    assert uid(roundtable) in parse_all(client.get("/events/guangzhou-clusters/agenda.ics").data)
    roundtable.status = SessionStatus.CANCELLED
    roundtable.sequence += 1
    roundtable.changed_at = datetime.now(UTC)
    db.session.commit()
    assert uid(roundtable) not in parse_all(client.get("/events/guangzhou-clusters/agenda.ics").data)


def test_site_visit_location_is_the_meeting_point(client, make):
    from eventhub.agenda import models as agenda_models

    event = make.event(slug="visits")
    visit = make.session(event, title="Visit to Shifei Cosmetics", kind="site_visit", start="14:00", end="17:00")
    zone = ZoneInfo(event.timezone)
    day = event.start_date
    db.session.add(agenda_models.SiteVisit(
        session_id=visit.id, host_name="Guangdong Shifei Cosmetics Co., Ltd.", host_address="Baiyun District",
        meeting_point="Hotel lobby, north entrance",
        departs_at=datetime(day.year, day.month, day.day, 13, 15, tzinfo=zone),
    ))
    db.session.commit()
    parsed = parse_all(client.get("/events/visits/agenda.ics").data)[uid(visit)]
    assert parsed["location"] == "Meeting point: Hotel lobby, north entrance"
    assert "Destination: Guangdong Shifei Cosmetics Co., Ltd., Baiyun District" in parsed["description"]
    assert "Departure: 13:15 (Asia/Shanghai)" in parsed["description"]


# --- HTTP: ETag, Last-Modified, 304 ------------------------------------------------------------------------

def test_etag_is_strong_and_stable_and_304_needs_no_calendar(client, guangzhou, query_counter, monkeypatch):
    url = "/events/guangzhou-clusters/agenda.ics"
    first = client.get(url)
    etag = first.headers["ETag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    assert first.headers["Last-Modified"]
    assert client.get(url).headers["ETag"] == etag  # same content, same validator
    assert client.get(url).data == first.data

    # A booking changes the session's seat counter, not the feed: the ETag stays.
    guangzhou["roundtable"].taken += 1
    db.session.commit()
    assert client.get(url).headers["ETag"] == etag

    # The 304 path never builds the calendar.
    from eventhub.calendars import feeds

    monkeypatch.setattr(feeds, "load", lambda *a, **k: pytest.fail("loaded the sessions for a 304"))
    monkeypatch.setattr(feeds, "event_calendar", lambda *a, **k: pytest.fail("built the calendar for a 304"))
    with query_counter() as q:
        not_modified = client.get(url, headers={"If-None-Match": etag})
    assert not_modified.status_code == 304
    assert not_modified.data == b""
    assert not_modified.headers["ETag"] == etag
    assert q.count == 1, q.statements  # the event and the validators in one statement
    assert client.get(url, headers={"If-None-Match": f"W/{etag}"}).status_code == 304
    assert client.get(url, headers={"If-None-Match": f'"other", {etag}'}).status_code == 304
    assert client.get(url, headers={"If-Modified-Since": first.headers["Last-Modified"]}).status_code == 304


def test_conditional_requests_get_the_new_feed_after_a_change(client, guangzhou):
    url = "/events/guangzhou-clusters/agenda.ics"
    first = client.get(url)
    etag, last_modified = first.headers["ETag"], first.headers["Last-Modified"]
    earlier = format_datetime(datetime(2020, 1, 1, tzinfo=UTC), usegmt=True)
    assert client.get(url, headers={"If-Modified-Since": earlier}).status_code == 200

    move(guangzhou["opening"], hours=2)
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["ETag"] != etag
    assert uid(guangzhou["opening"]) in parse_all(changed.data)
    assert client.get(url, headers={"If-Modified-Since": last_modified}).status_code == 200
    # If-None-Match wins over If-Modified-Since (RFC 9110).
    assert client.get(url, headers={"If-None-Match": etag,
                                    "If-Modified-Since": changed.headers["Last-Modified"]}).status_code == 200


def test_event_feed_builds_in_a_bounded_number_of_queries(client, make, query_counter):
    event = make.event(slug="many")
    for n in range(3):
        make.session(event, start=f"{8 + n:02d}:00", end=f"{8 + n:02d}:30")
    with query_counter() as small:
        assert client.get("/events/many/agenda.ics").status_code == 200
    hall = make.room(event, "Hall B")
    reg = make.registration(event, economy="JPN")
    for n in range(30):
        s = make.session(event, start=f"{8 + n % 12:02d}:00", end=f"{8 + n % 12:02d}:45", room_id=hall.id)
        db.session.add(SessionSpeaker(session_id=s.id, registration_id=reg.id))
        db.session.add(SessionSpeaker(session_id=s.id, external_name=f"Expert {n}", position=1))
    db.session.commit()
    with query_counter() as large:
        assert len(parse_all(client.get("/events/many/agenda.ics").data)) == 33
    assert large.count == small.count


# --- one session -------------------------------------------------------------------------------------------

def test_one_session_download(client, guangzhou):
    opening = guangzhou["opening"]
    response = client.get(f"/events/guangzhou-clusters/sessions/{opening.id}.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    events = parse_all(response.data, feed=False)
    assert list(events) == [uid(opening)]
    assert events[uid(opening)]["start"] == opening.starts_at
    assert client.get(f"/events/guangzhou-clusters/sessions/{opening.id}.ics",
                      headers={"If-None-Match": response.headers["ETag"]}).status_code == 304
    assert client.get(f"/events/guangzhou-clusters/sessions/{guangzhou['cancelled'].id}.ics").status_code == 404
    assert client.get(f"/events/guangzhou-clusters/sessions/{guangzhou['private'].id}.ics").status_code == 404
    assert client.get("/events/guangzhou-clusters/sessions/99999.ics").status_code == 404


def test_session_of_another_event_is_not_found(client, guangzhou, make):
    other = make.event(slug="other")
    assert client.get(f"/events/other/sessions/{guangzhou['opening'].id}.ics").status_code == 404
    assert other.id != guangzhou["event"].id


def test_a_time_zone_with_daylight_saving_round_trips(client, make):
    event = make.event(slug="ny", timezone="America/New_York", start=datetime(2025, 3, 8).date(), days=3)
    before = make.session(event, title="Before the change", day=0, start="09:00", end="10:00")
    after = make.session(event, title="After the change", day=2, start="09:00", end="10:00")
    data = client.get("/events/ny/agenda.ics").data
    lines = check_bytes(data)
    assert "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU" in lines
    assert "RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU" in lines
    events = parse_all(data)
    assert events[uid(before)]["start"] == datetime(2025, 3, 8, 14, 0, tzinfo=UTC)  # EST, UTC-5
    assert events[uid(after)]["start"] == datetime(2025, 3, 10, 13, 0, tzinfo=UTC)  # EDT, UTC-4


def test_loading_a_feed_gives_the_validators_of_the_aggregate_query(app, guangzhou, make):
    """The 304 path (one aggregate query) and the full path (loading the sessions) must agree."""
    from eventhub.calendars import feeds

    event = guangzhou["event"]
    reg = make.registration(event, economy="PHL")
    book(make, guangzhou["roundtable"], reg)
    empty = make.event(slug="empty")
    cases = [feeds.event_feed(event), feeds.personal_feed(reg), feeds.event_feed(empty),
             feeds.session_feed(event, guangzhou["opening"].id), feeds.session_feed(event, 99999),
             feeds.personal_feed(make.registration(event, economy="PHL", status="submitted"))]
    with app.test_request_context("/"):
        for feed in cases:
            assert feeds.load(db.session, feed)[1] == feeds.fingerprint(db.session, feed), feed.kind
        # The event feed's 304 check finds the event by its slug in the same statement.
        for e in (event, empty):
            key, fingerprint = feeds.event_feed_validators(db.session, e.slug)
            assert key[:4] == (e.id, e.slug, e.status, e.timezone)
            assert fingerprint == feeds.fingerprint(db.session, feeds.event_feed(e))
        assert feeds.event_feed_validators(db.session, "no-such-event") is None


def test_titles_with_control_characters_still_parse(client, make):
    event = make.event(slug="ctl")
    s = make.session(event, title="Opening\x0b remarks\tand 🎉", description="Line one\x0c\nLine two")
    parsed = parse_all(client.get("/events/ctl/agenda.ics").data)[uid(s)]
    assert parsed["summary"] == "Opening remarks\tand 🎉"
    assert parsed["description"].startswith("Line one\nLine two")


def test_conditional_requests_for_unknown_or_draft_events_are_not_found(client, make, login_as):
    draft = make.event(slug="draft-feed", published=False)
    make.session(draft, title="Not yet announced")
    for slug in ("no-such-event", draft.slug):
        for headers in ({"If-None-Match": '"x"'}, {"If-Modified-Since": "Sat, 01 Jan 2000 00:00:00 GMT"}):
            assert client.get(f"/events/{slug}/agenda.ics", headers=headers).status_code == 404
    # The draft's staff get it, conditional or not.
    staff = make.staff(draft, "organizer", "org@example.org")
    login_as(staff)
    assert client.get(f"/events/{draft.slug}/agenda.ics", headers={"If-None-Match": '"x"'}).status_code == 200
