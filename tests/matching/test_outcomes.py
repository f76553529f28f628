"""Outcomes and the organizer's report, against a small event worked out by hand."""

from __future__ import annotations

from datetime import timedelta

import pytest

from eventhub.db import utcnow
from eventhub.errors import DomainError
from eventhub.extensions import db
from eventhub.matching import outcomes, scheduling
from eventhub.matching import requests as mr
from eventhub.matching.models import MatchingSlot, Outcome
from tests.matching.conftest import add_participant
from tests.matching.test_pages import text


@pytest.fixture
def held(make, world):
    """ana (THA) meets seye (PRC) and shifei (PRC); seye meets vn (VN); ana→vn is pending; shifei→vn declined.
    The session took place an hour ago, so outcomes can be recorded."""
    vn = add_participant(make, world.event, world.settings, "vn", "VN", organisation="Hanoi Pharma",
                         offer_types=["distribution"], seek_types=["technology_transfer"])
    world.users["vn"], world.regs["vn"], world.profiles["vn"] = vn
    p = world.profiles
    session = make.session(world.event, kind="business_matching", start="14:00", end="15:00")
    scheduling.configure_session(db.session, session, meeting_minutes=20, break_minutes=0, table_names=["T1", "T2"])
    meetings = {}
    for a, b in (("ana", "seye"), ("ana", "shifei"), ("seye", "vn")):
        sent = mr.send_request(db.session, world.settings, p[a], p[b].id, "")
        meetings[a, b] = mr.accept(db.session, sent.request).id
    mr.send_request(db.session, world.settings, p["ana"], p["vn"].id, "")
    declined = mr.send_request(db.session, world.settings, p["shifei"], p["vn"].id, "")
    mr.decline_request(db.session, declined.request.id, p["vn"], "")
    db.session.commit()
    scheduling.propose(db.session, world.event.id, move_published=False, time_limit=2)
    scheduling.publish(db.session, world.event.id)
    for slot in db.session.query(MatchingSlot).all():  # the session is over
        slot.starts_at, slot.ends_at = slot.starts_at - timedelta(days=90), slot.ends_at - timedelta(days=90)
    db.session.commit()
    return meetings


def test_report_figures(world, held):
    p = world.profiles
    outcomes.record_outcome(db.session, held["ana", "seye"], p["ana"], Outcome.AGREEMENT)
    outcomes.record_outcome(db.session, held["ana", "seye"], p["seye"], Outcome.AGREEMENT)
    outcomes.record_outcome(db.session, held["seye", "vn"], p["vn"], Outcome.FOLLOW_UP)
    db.session.commit()
    r = outcomes.report(db.session, world.event.id)
    assert r.participants == 4
    assert r.requests == {"pending": 1, "accepted": 3, "declined": 1}
    assert (r.meetings, r.scheduled, r.held) == (3, 3, 2)
    assert r.cross_economy == 3  # THA–PRC, THA–PRC, PRC–VN
    assert r.outcomes["agreement"] == 2 and r.outcomes["follow_up"] == 1 and r.outcomes["no_interest"] == 0
    by_code = {row.economy.code: (row.participants, row.meetings, row.agreements) for row in r.by_economy}
    assert by_code == {"THA": (1, 2, 1), "PRC": (2, 3, 1), "VN": (1, 1, 0)}
    coop = {t.value: (o, s) for t, o, s in r.cooperation}
    assert coop["technology_transfer"] == (1, 2) and coop["distribution"] == (1, 0) and coop["supplier"] == (1, 0)


def test_outcome_only_by_the_two_sides_and_after_the_meeting(world, held, make):
    with pytest.raises(DomainError, match="not yours"):
        outcomes.record_outcome(db.session, held["ana", "seye"], world.profiles["vn"], Outcome.AGREEMENT)
    for slot in db.session.query(MatchingSlot).all():
        slot.starts_at, slot.ends_at = utcnow() + timedelta(days=1), utcnow() + timedelta(days=1, minutes=20)
    db.session.commit()
    with pytest.raises(DomainError, match="once it has taken place"):
        outcomes.record_outcome(db.session, held["ana", "seye"], world.profiles["ana"], Outcome.AGREEMENT)


def test_one_click_outcome_and_the_report_page(client, make, login_as, world, held):
    login_as(world.users["ana"])
    page = client.post(f"/events/{world.event.slug}/matching/meetings/{held['ana', 'seye']}/outcome",
                       data={"outcome": "letter_of_intent"}, follow_redirects=True)
    assert "Recorded: Letter of intent." in text(page)
    assert 'aria-pressed="true">Letter of intent' in page.get_data(as_text=True)
    bad = client.post(f"/events/{world.event.slug}/matching/meetings/{held['ana', 'seye']}/outcome",
                      data={"outcome": "bribe"}, follow_redirects=True)
    assert "Choose what came of the meeting." in text(bad)
    assert client.get(f"/events/{world.event.slug}/matching/report").status_code == 403
    login_as(make.staff(world.event, "organizer"))
    report = text(client.get(f"/events/{world.event.slug}/matching/report"))
    assert "Meetings held 1" in report and "Letter of intent 1" in report
    assert "Between different economies 100%" in report
    assert "Thailand 1 2 0" in report
