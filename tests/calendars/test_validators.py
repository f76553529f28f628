"""The feeds' validators (ETag, Last-Modified) cover everything a feed shows: a speaker who is a
registered participant renamed, their economy, rooms and their addresses, site-visit details, the
event itself. Each change moves both validators, and a calendar app's conditional request gets the
new calendar, not a 304."""

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from eventhub.agenda.models import Session, SessionSpeaker, SiteVisit, SpeakerRole
from eventhub.economies.models import Economy
from eventhub.events.models import Event, Room
from eventhub.extensions import db
from eventhub.registration.models import Registration
from eventhub.signups.models import Booking, BookingStatus


@pytest.fixture
def world(make):
    event = make.event(slug="gz", title="SME Cluster Workshop", venue="Baiyun Convention Center",
                       address="No. 1 Yuntai Road")
    hall = make.room(event, "Hall A", address="")
    speaker = make.registration(event, economy="PRC", given_name="Mei", family_name="Lin", category="speaker")
    talk = make.session(event, title="Cluster policy", start="09:00", end="10:00", room_id=hall.id)
    db.session.add(SessionSpeaker(session_id=talk.id, registration_id=speaker.id, role=SpeakerRole.SPEAKER))
    visit = make.session(event, title="Shifei visit", kind="site_visit", start="14:00", end="16:00",
                         bookable=True, capacity=5)
    db.session.add(SiteVisit(session_id=visit.id, host_name="Shifei Cosmetics", host_address="Baiyun District",
                             meeting_point="Hotel lobby"))
    me = make.registration(event, economy="THA")
    db.session.commit()
    for s in (talk, visit):
        db.session.add(Booking(session_id=s.id, registration_id=me.id, economy_id=me.economy_id,
                               status=BookingStatus.CONFIRMED))
    db.session.commit()
    return dict(event=event, hall=hall, speaker=speaker, talk=talk, visit=visit, me=me)


def _age_everything():
    """As if the feed had been fetched an hour ago: every stamp an hour in the past."""
    past = datetime.now(UTC) - timedelta(hours=1)
    for model in (Event, Room, Registration, Economy, SiteVisit, Booking):
        db.session.execute(sa.update(model).values(updated_at=past).execution_options(synchronize_session=False))
    db.session.execute(sa.update(Session).values(updated_at=past, changed_at=past)
                       .execution_options(synchronize_session=False))
    db.session.commit()
    db.session.expire_all()


def _rename_speaker(w):
    w["speaker"].family_name = "Lin-Zhou"
    return "Mei Lin-Zhou"


def _rename_economy(w):
    db.session.get(Economy, w["speaker"].economy_id).name = "People's Republic of China (renamed)"
    return "People's Republic of China (renamed)"


def _rename_room(w):
    w["hall"].name = "Hall B"
    return "Hall B"


def _room_address(w):
    w["hall"].address = "No. 9 Tianhe Road"
    return "No. 9 Tianhe Road"


def _event_venue(w):
    w["event"].venue = "Guangzhou Exhibition Hall"
    return "Guangzhou Exhibition Hall"


def _event_title(w):
    w["event"].title = "SME Cluster Workshop 2"
    return "SME Cluster Workshop 2"


def _visit_address(w):
    db.session.scalar(sa.select(SiteVisit)).host_address = "Huadu District"
    return "Huadu District"


CHANGES = [_rename_speaker, _rename_economy, _rename_room, _room_address, _event_venue, _event_title, _visit_address]


@pytest.mark.parametrize("change", CHANGES, ids=lambda f: f.__name__.strip("_"))
@pytest.mark.parametrize("which", ["event", "personal"])
def test_each_thing_a_feed_shows_moves_its_validators(client, world, change, which):
    url = "/events/gz/agenda.ics" if which == "event" else f"/calendar/{world['me'].calendar_token}.ics"
    _age_everything()
    before = client.get(url)
    assert before.status_code == 200
    assert client.get(url, headers={"If-None-Match": before.headers["ETag"]}).status_code == 304

    shown = change(world)
    db.session.commit()

    after = client.get(url, headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200, "answered 304: a subscribed calendar would never see the change"
    assert shown in after.get_data(as_text=True).replace("\r\n ", "")
    assert after.headers["ETag"] != before.headers["ETag"]
    modified = after.headers["Last-Modified"]
    assert datetime.strptime(modified, "%a, %d %b %Y %H:%M:%S GMT") > datetime.strptime(
        before.headers["Last-Modified"], "%a, %d %b %Y %H:%M:%S GMT")
    assert client.get(url, headers={"If-Modified-Since": modified}).status_code == 304


def test_a_registered_speaker_is_shown_with_their_economy(client, world):
    text = client.get("/events/gz/agenda.ics").get_data(as_text=True).replace("\r\n ", "")
    assert "Speaker: Mei Lin (People's Republic of China)" in text
