"""The participants' and organizer's pages, as a person uses them."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from eventhub.extensions import db
from eventhub.matching.models import Meeting, MeetingRequest
from tests.matching.conftest import add_participant


def text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)).split())


def test_profile_form_then_catalogue(client, make, login_as, world):
    user = make.user("newcomer@example.org")
    make.registration(world.event, economy="VN", user=user, email="newcomer@example.org", organisation="Hanoi Trade")
    login_as(user)
    first = client.get(f"/events/{world.event.slug}/matching", follow_redirects=True)
    assert "Tell the others about your organisation first" in text(first)
    assert 'value="Hanoi Trade"' in first.get_data(as_text=True)
    bad = client.post(f"/events/{world.event.slug}/matching/profile", data={"organisation": ""})
    assert bad.status_code == 422 and "Give the name of your organisation." in text(bad)
    ok = client.post(f"/events/{world.event.slug}/matching/profile", data={
        "organisation": "Hanoi Trade", "sectors": ["Biomedicine"], "seek_types": ["technology_transfer"],
        "seeks": "biomedicine licensing", "listed": "y"}, follow_redirects=True)
    page = text(ok)
    assert "Your matching profile is saved." in page
    assert "Suggested for you" in page and "They offer technology transfer in Biomedicine, which you seek." in page
    assert "Guangzhou Seye Biopharmaceutical" in page and "3 profiles found." in page


def test_catalogue_filters(client, login_as, world):
    login_as(world.users["ana"])
    base = f"/events/{world.event.slug}/matching"
    cosmetics = text(client.get(base, query_string={"sector": "Cosmetics"}))
    assert "Guangdong Shifei Cosmetics" in cosmetics and "Seye" not in cosmetics and "1 profile found." in cosmetics
    assert "Seye" in text(client.get(base, query_string={"cooperation": "technology_transfer"}))
    assert "1 profile found." in text(client.get(base, query_string={"language": "zh"}))
    assert "2 profiles found." in text(client.get(base, query_string={"q": "guang"}))
    assert "No listed profile matches." in text(client.get(base, query_string={"q": "nothing%like_this"}))


def test_request_accept_then_contact_details_show(client, login_as, world):
    seye = world.profiles["seye"]
    login_as(world.users["ana"])
    page = text(client.get(f"/events/{world.event.slug}/matching/profiles/{seye.id}"))
    assert "seye@example.org" not in page and "Contact details are shown once you have a meeting." in page
    sent = client.post(f"/events/{world.event.slug}/matching/profiles/{seye.id}/request",
                       data={"message": "Licensing?"}, follow_redirects=True)
    assert "Your request has gone to Guangzhou Seye Biopharmaceutical." in text(sent)
    again = client.post(f"/events/{world.event.slug}/matching/profiles/{seye.id}/request", data={"message": ""})
    assert again.status_code == 409 and "already been in touch" in text(again)

    login_as(world.users["seye"])
    received = text(client.get(f"/events/{world.event.slug}/matching/requests"))
    assert "Bangkok Biotech" in received and "Licensing?" in received
    request_id = db.session.scalar(sa.select(MeetingRequest.id))
    done = client.post(f"/events/{world.event.slug}/matching/requests/{request_id}/accept", follow_redirects=True)
    assert "Meeting agreed." in text(done)

    login_as(world.users["ana"])
    meetings = text(client.get(f"/events/{world.event.slug}/matching/meetings"))
    assert "Guangzhou Seye Biopharmaceutical" in meetings and "seye@example.org" in meetings
    assert "Not scheduled yet" in meetings
    assert "seye@example.org" in text(client.get(f"/events/{world.event.slug}/matching/profiles/{seye.id}"))


def test_decline_with_reason_shown_to_sender(client, login_as, world):
    login_as(world.users["ana"])
    client.post(f"/events/{world.event.slug}/matching/profiles/{world.profiles['shifei'].id}/request", data={})
    login_as(world.users["shifei"])
    request_id = db.session.scalar(sa.select(MeetingRequest.id))
    client.post(f"/events/{world.event.slug}/matching/requests/{request_id}/decline", data={"reason": "Fully booked"})
    login_as(world.users["ana"])
    page = text(client.get(f"/events/{world.event.slug}/matching/requests"))
    assert "Declined" in page and "Reason: Fully booked" in page


def test_organizer_sets_slots_runs_and_publishes(client, make, login_as, world):
    organizer = make.staff(world.event, "organizer")
    session = make.session(world.event, kind="business_matching", title="Business matching with Baiyun District companies",
                           start="14:00", end="15:00")
    db.session.add(Meeting(event_id=world.event.id, request_id=_accepted(world, "ana", "seye"),
                           profile_a_id=min(world.profiles["ana"].id, world.profiles["seye"].id),
                           profile_b_id=max(world.profiles["ana"].id, world.profiles["seye"].id)))
    db.session.commit()
    login_as(organizer)
    settings = text(client.get(f"/events/{world.event.slug}/matching/settings"))
    assert "Business matching with Baiyun District companies" in settings
    bad = client.post(f"/events/{world.event.slug}/matching/sessions/{session.id}",
                      data={f"s{session.id}-meeting_minutes": "90", f"s{session.id}-break_minutes": "0",
                            f"s{session.id}-tables": "T1"})
    assert bad.status_code == 422 and "The session is shorter than one meeting." in text(bad)
    client.post(f"/events/{world.event.slug}/matching/sessions/{session.id}",
                data={f"s{session.id}-meeting_minutes": "20", f"s{session.id}-break_minutes": "10",
                      f"s{session.id}-tables": "Table A\nTable B"})
    assert "2 slots · 2 tables" in text(client.get(f"/events/{world.event.slug}/matching/settings"))
    run = text(client.post(f"/events/{world.event.slug}/matching/schedule/run", data={}, follow_redirects=True))
    assert "Proposal: 1 of 1 accepted meetings placed, 1 between different economies." in run
    assert "nobody sees it until you publish it" in run

    login_as(world.users["ana"])
    assert "Not scheduled yet" in text(client.get(f"/events/{world.event.slug}/matching/meetings"))
    login_as(organizer)
    published = text(client.post(f"/events/{world.event.slug}/matching/schedule/publish", follow_redirects=True))
    assert "Schedule published: 1 meetings got a new time or table." in published
    login_as(world.users["ana"])
    mine = text(client.get(f"/events/{world.event.slug}/matching/meetings"))
    assert "Table A" in mine and "14:00" in mine


def _accepted(world, a, b) -> int:
    from eventhub.matching import requests as mr

    sent = mr.send_request(db.session, world.settings, world.profiles[a], world.profiles[b].id, "")
    mr.accept(db.session, sent.request)
    db.session.flush()
    db.session.execute(sa.delete(Meeting))  # the test adds the meeting itself
    return sent.request.id


def test_organizer_settings_form_errors(client, make, login_as, world):
    login_as(make.staff(world.event, "organizer"))
    bad = client.post(f"/events/{world.event.slug}/matching/settings",
                      data={"enabled": "y", "open_request_limit": "0"})
    page = text(bad)
    assert bad.status_code == 422
    assert "Choose at least one category." in page and "Enter a number from 1 to 500." in page


def test_catalogue_statement_count_does_not_grow(client, make, login_as, world, query_counter):
    login_as(world.users["ana"])
    url = f"/events/{world.event.slug}/matching"

    def statements() -> int:
        db.session.expire_all()  # as in a fresh request: the test's session is shared with the app's
        with query_counter() as q:
            assert client.get(url).status_code == 200
        return q.count

    few = statements()
    for i in range(27):
        add_participant(make, world.event, world.settings, f"firm{i}", "PRC", organisation=f"Firm {i}",
                        sectors=["Biomedicine"], offer_types=["technology_transfer"])
    assert statements() == few


def test_scheduled_meetings_show_in_the_programme(client, make, login_as, world):
    from eventhub.matching import requests as mr
    from eventhub.matching import scheduling

    session = make.session(world.event, kind="business_matching", start="14:00", end="15:00")
    scheduling.configure_session(db.session, session, meeting_minutes=20, break_minutes=0, table_names=["Table 7"])
    sent = mr.send_request(db.session, world.settings, world.profiles["ana"], world.profiles["seye"].id, "")
    mr.accept(db.session, sent.request)
    db.session.commit()
    login_as(world.users["ana"])
    page = text(client.get(f"/events/{world.event.slug}/programme"))
    assert "Business matching meetings" in page
    assert "Guangzhou Seye Biopharmaceutical" in page and "Table 7" in page and "14:00" in page
    login_as(world.users["shifei"])  # no meetings: no section
    assert "Business matching meetings" not in text(client.get(f"/events/{world.event.slug}/programme"))


@pytest.mark.parametrize("page", ["requests", "meetings"])
def test_requests_and_meetings_statement_count_does_not_grow(client, make, login_as, world, query_counter, page):
    from eventhub.matching import requests as mr

    world.settings.open_request_limit = 100
    db.session.commit()
    ana = world.profiles["ana"]
    url = f"/events/{world.event.slug}/matching/{page}"
    login_as(world.users["ana"])

    def add(n: int) -> None:
        for _ in range(n):
            firm = add_participant(make, world.event, world.settings, f"f{make._next()}", "PRC",
                                   organisation=f"Firm {make._next()}")[2]
            sent = mr.send_request(db.session, world.settings, firm, ana.id, "Hello")
            if page == "meetings":
                mr.accept(db.session, sent.request)
            db.session.commit()

    def statements() -> int:
        db.session.expire_all()
        with query_counter() as q:
            assert client.get(url).status_code == 200
        return q.count

    add(3)
    few = statements()
    add(27)
    assert statements() == few
