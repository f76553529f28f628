"""The phone desk's walk-ins (sent at once or from the offline queue), the event's limit on the age
of a desk's list, and who gets the desk's shell."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from eventhub.attendance import desk_tokens
from eventhub.attendance.models import DeskSettings
from eventhub.extensions import db
from eventhub.registration.models import Registration
from tests.attendance.conftest import checkins

TAKEN = (datetime.now(UTC) - timedelta(minutes=20)).replace(microsecond=0)


def _desk(workshop, user):
    _row, token = desk_tokens.issue_desk_token(db.session, workshop.event, user, "Gate A")
    db.session.commit()
    return {"Authorization": f"Bearer {token}"}


def _walk_in(**extra):
    body = {"submission_key": "walkin-key-0001", "scope": "day-2030-06-27", "given_name": "Mai",
            "family_name": "Nguyen", "email": "mai@example.org", "sex": "female", "category": "delegate",
            "funding": "self_funded", "scanned_at": TAKEN.isoformat()}
    return {**body, **extra}


def _registrations(email):
    db.session.rollback()
    return db.session.scalars(sa.select(Registration).where(Registration.email == email)).all()


def test_a_queued_walk_in_is_registered_and_checked_in_once(client, workshop):
    headers = _desk(workshop, workshop.secretariat)
    body = _walk_in(economy=workshop.prc.economy_id)
    first = client.post("/api/events/cluster/desk/walk-ins", json=body, headers=headers)
    assert first.status_code == 201, first.get_json()
    assert first.get_json()["person"]["name"] == "Mai NGUYEN"
    # The desk did not hear the answer and sends the walk-in again from its queue: nothing doubles.
    again = client.post("/api/events/cluster/desk/walk-ins", json=body, headers=headers)
    assert again.status_code == 200
    assert len(_registrations("mai@example.org")) == 1
    rows = checkins()
    assert len(rows) == 1 and rows[0].source.value == "walk_in"
    assert rows[0].scanned_at == TAKEN  # when the desk took it, offline


def test_a_walk_in_without_sex_or_economy_is_refused_by_field(client, workshop):
    headers = _desk(workshop, workshop.secretariat)
    body = _walk_in(economy=0)
    del body["sex"]
    answer = client.post("/api/events/cluster/desk/walk-ins", json=body, headers=headers)
    assert answer.status_code == 400
    errors = answer.get_json()["errors"]
    assert errors["economy"] == "Choose the economy."
    assert errors["sex"].startswith("Choose one, as the person tells you")
    assert _registrations("mai@example.org") == [] and checkins() == []


def test_check_in_staff_desks_may_not_register_walk_ins(client, workshop):
    headers = _desk(workshop, workshop.checkin)
    roster = client.get("/api/events/cluster/desk/roster", headers=headers).get_json()
    assert roster["can_walk_in"] is False and roster["economies"] == []  # the desk shows no button
    answer = client.post("/api/events/cluster/desk/walk-ins", json=_walk_in(economy=workshop.prc.economy_id),
                         headers=headers)
    assert answer.status_code == 403 and "secretariat" in answer.get_json()["message"]
    assert answer.get_json()["error"] == "walk_in_forbidden"  # the desk lists it and keeps syncing
    assert _registrations("mai@example.org") == []
    secretariat = client.get("/api/events/cluster/desk/roster", headers=_desk(workshop, workshop.secretariat)).get_json()
    assert secretariat["can_walk_in"] is True and any(e["id"] == workshop.prc.economy_id for e in secretariat["economies"])


def test_a_waitlisted_walk_in_is_registered_but_not_checked_in(client, make, workshop):
    full = make.delegation(workshop.event, "JPN", quota=0)
    headers = _desk(workshop, workshop.secretariat)
    answer = client.post("/api/events/cluster/desk/walk-ins", json=_walk_in(economy=full.economy_id), headers=headers)
    assert answer.status_code == 422 and "not checked in" in answer.get_json()["message"]
    assert len(_registrations("mai@example.org")) == 1 and checkins() == []


def test_the_roster_carries_the_events_age_limit_which_the_organizer_sets(client, login_as, workshop):
    headers = _desk(workshop, workshop.checkin)
    assert client.get("/api/events/cluster/desk/roster", headers=headers).get_json()["max_age_hours"] == 12
    login_as(workshop.organizer)
    staff = client.get("/events/cluster/manage/staff").get_data(as_text=True)
    assert "older than 12 hours warns" in staff
    bad = client.post("/events/cluster/manage/desks/settings", data={"roster_max_hours": "0"})
    assert bad.status_code == 422 and "from 1 to 168" in bad.get_data(as_text=True)
    assert db.session.get(DeskSettings, workshop.event.id) is None
    done = client.post("/events/cluster/manage/desks/settings", data={"roster_max_hours": "4"})
    assert done.status_code == 302
    assert client.get("/api/events/cluster/desk/roster", headers=headers).get_json()["max_age_hours"] == 4
    login_as(workshop.secretariat)
    assert client.post("/events/cluster/manage/desks/settings", data={"roster_max_hours": "40"}).status_code == 403


def test_an_anonymous_visitor_is_sent_to_log_in_but_a_set_up_desk_opens(client, login_as, workshop):
    answer = client.get("/events/cluster/desk/")
    assert answer.status_code == 302 and "/login" in answer.headers["Location"]
    login_as(workshop.checkin)
    setup = client.post("/events/cluster/desk/token", data={"desk": "Gate A"})
    assert "eventhub_desk=cluster" in setup.headers["Set-Cookie"]
    page = client.get("/events/cluster/desk/").get_data(as_text=True)
    assert 'href="/events/cluster/"' in page  # back to the event
    client.get("/logout")
    client.post("/logout")
    # The sign-in expired, the desk (with its own token in the browser) still opens.
    assert client.get("/events/cluster/desk/").status_code == 200


def test_every_message_of_the_desks_scripts_is_chinese_for_a_chinese_reader(client, login_as, workshop):
    import json
    import re

    login_as(workshop.secretariat)
    page = client.get("/events/cluster/desk/", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    messages = json.loads(page.split('id="desk-messages">', 1)[1].split("</script>", 1)[0])
    texts = [(key, form) for key, value in messages.items()
             for form in (value.values() if isinstance(value, dict) else [value])]
    assert [key for key, text in texts if not re.search(r"[\u4e00-\u9fff]", text)] == []
    assert "登记现场报名" in page and "查找人员（未带胸卡）" in page and "清除本签到台" in page
