"""Who sees what: participants only, organizers for the set-up, nobody else's requests."""

from __future__ import annotations

import sqlalchemy as sa

from eventhub.extensions import db
from eventhub.matching import requests as mr
from eventhub.matching.models import MeetingRequest, RequestStatus
from tests.matching.conftest import add_participant
from tests.matching.test_pages import text


def test_anonymous_is_sent_to_log_in(client, world):
    for path in ("/matching", "/matching/requests", "/matching/settings", "/matching/schedule"):
        response = client.get(f"/events/{world.event.slug}{path}")
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_users_who_do_not_take_part_are_told(client, make, login_as, world):
    outsider = make.user("outsider@example.org")
    login_as(outsider)
    response = client.get(f"/events/{world.event.slug}/matching")
    assert response.status_code == 403 and "Your account has no such registration." in text(response)
    journalist = make.user("press@example.org")
    make.registration(world.event, economy="PRC", user=journalist, email="press@example.org", category="media")
    login_as(journalist)
    assert client.get(f"/events/{world.event.slug}/matching/profile").status_code == 403
    pending = make.user("pending@example.org")
    make.registration(world.event, economy="PRC", user=pending, email="pending@example.org", status="submitted")
    login_as(pending)
    assert client.get(f"/events/{world.event.slug}/matching").status_code == 403


def test_matching_that_is_off_does_not_exist(client, login_as, world):
    world.settings.enabled = False
    db.session.commit()
    login_as(world.users["ana"])
    assert client.get(f"/events/{world.event.slug}/matching").status_code == 404


def test_participants_and_other_staff_cannot_use_the_organizer_pages(client, make, login_as, world):
    secretariat = make.staff(world.event, "secretariat")
    other_event = make.event()
    other_organizer = make.staff(other_event, "organizer")
    for user in (world.users["ana"], secretariat, other_organizer):
        login_as(user)
        assert client.get(f"/events/{world.event.slug}/matching/settings").status_code == 403
        assert client.post(f"/events/{world.event.slug}/matching/schedule/run").status_code == 403


def test_unlisted_profile_is_hidden_until_in_touch(client, make, login_as, world):
    hidden = add_participant(make, world.event, world.settings, "hidden", "PRC", organisation="Hidden Co",
                             listed=False)
    login_as(world.users["ana"])
    assert client.get(f"/events/{world.event.slug}/matching/profiles/{hidden[2].id}").status_code == 404
    assert "Hidden Co" not in text(client.get(f"/events/{world.event.slug}/matching", query_string={"q": "Hidden"}))


def test_nobody_answers_a_request_addressed_to_someone_else(client, login_as, world):
    sent = mr.send_request(db.session, world.settings, world.profiles["ana"], world.profiles["seye"].id, "")
    db.session.commit()
    login_as(world.users["shifei"])
    response = client.post(f"/events/{world.event.slug}/matching/requests/{sent.request.id}/accept",
                           follow_redirects=True)
    assert "This request is not addressed to you." in text(response)
    assert db.session.scalar(sa.select(MeetingRequest.status)) == RequestStatus.PENDING
    received = text(client.get(f"/events/{world.event.slug}/matching/requests"))
    assert "Bangkok Biotech" not in received


def test_contact_details_only_after_a_meeting(client, login_as, world):
    login_as(world.users["shifei"])
    page = text(client.get(f"/events/{world.event.slug}/matching/profiles/{world.profiles['ana'].id}"))
    assert "ana@example.org" not in page and "+86 20 1234 5678" not in page
