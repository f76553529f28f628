"""The read API: who sees what, filters, cursor pages, ETags, bounded statements, error shape."""

from __future__ import annotations

import pytest

from eventhub.api.models import Scope
from eventhub.db import utcnow
from eventhub.extensions import db


def _error(response) -> dict:
    return response.get_json()["error"]


def test_published_events_without_a_token_drafts_hidden(client, make, world):
    draft = make.event(slug="secret-draft", published=False)
    listed = client.get("/api/v1/events").get_json()
    assert [e["slug"] for e in listed["data"]] == ["cluster"]
    assert client.get(f"/api/v1/events/{draft.slug}").status_code == 404
    assert _error(client.get(f"/api/v1/events/{draft.slug}"))["code"] == "not_found"


def test_event_has_sessions_with_rooms_seats_left_and_economies(client, make, world):
    room = make.room(world.event, "Hall B", capacity=80)
    make.session(world.event, title="Site visit", kind="site_visit", bookable=True, capacity=30, room_id=room.id)
    body = client.get("/api/v1/events/cluster").get_json()
    assert body["title"] == "SME Cluster Workshop"
    (session,) = body["sessions"]
    assert session["seats_left"] == 30 and session["room"]["name"] == "Hall B" and session["capacity"] == 30
    assert {e["code"] for e in body["economies"]} == {"THA", "PRC"}


@pytest.mark.parametrize("who, status", [
    (None, 401), ("outsider", 403), ("checkin", 403), ("focal_tha", 403), ("secretariat", 200), ("organizer", 200)])
def test_registrations_only_for_staff(client, make, world, token_for, who, status):
    make.registration(world.event, world.tha)
    headers = token_for(getattr(world, who)) if who else {}
    response = client.get("/api/v1/events/cluster/registrations", headers=headers)
    assert response.status_code == status
    if status != 200:
        assert set(_error(response)) == {"code", "message", "field"}


def test_a_token_without_the_scope_or_revoked_or_unknown(client, world, token_for):
    headers = token_for(world.secretariat, scopes={Scope.READ_EVENT})
    response = client.get("/api/v1/events/cluster/registrations", headers=headers)
    assert response.status_code == 403 and _error(response)["code"] == "missing_scope"
    unknown = client.get("/api/v1/events/cluster/registrations", headers={"Authorization": "Bearer nope"})
    assert unknown.status_code == 401
    from eventhub.api.auth import revoke_token
    from eventhub.api.models import ApiToken

    headers = token_for(world.secretariat)
    for token in db.session.query(ApiToken).all():
        revoke_token(db.session, world.secretariat, token.id)
    db.session.commit()
    revoked = client.get("/api/v1/events/cluster/registrations", headers=headers)
    assert revoked.status_code == 401 and _error(revoked)["code"] == "token_revoked"


def test_a_token_of_another_event_sees_nothing_here(client, make, world, token_for):
    other = make.event(slug="other")
    organizer_elsewhere = make.staff(other, "organizer")
    response = client.get("/api/v1/events/cluster/registrations", headers=token_for(organizer_elsewhere))
    assert response.status_code == 403


def test_filters_and_cursor_pages_stable_under_inserts(client, make, world, token_for):
    headers = token_for(world.secretariat)
    for _ in range(3):
        make.registration(world.event, world.prc)
    make.registration(world.event, world.tha, status="submitted")
    only_tha = client.get("/api/v1/events/cluster/registrations?economy=THA", headers=headers).get_json()
    assert [r["economy"] for r in only_tha["data"]] == ["THA"]
    submitted = client.get("/api/v1/events/cluster/registrations?state=submitted", headers=headers).get_json()
    assert len(submitted["data"]) == 1
    first = client.get("/api/v1/events/cluster/registrations?limit=2", headers=headers).get_json()
    assert len(first["data"]) == 2 and first["next_cursor"]
    make.registration(world.event, world.prc)  # inserted between two pages: it comes last, nothing repeats
    second = client.get(f"/api/v1/events/cluster/registrations?limit=2&cursor={first['next_cursor']}",
                        headers=headers).get_json()
    third = client.get(f"/api/v1/events/cluster/registrations?limit=2&cursor={second['next_cursor']}",
                       headers=headers).get_json()
    ids = [r["id"] for page in (first, second, third) for r in page["data"]]
    assert len(ids) == len(set(ids)) == 5 and third["next_cursor"] is None


def test_bad_cursor_and_bad_query_are_400_in_the_error_shape(client, world, token_for):
    headers = token_for(world.secretariat)
    bad = client.get("/api/v1/events/cluster/registrations?cursor=garbage", headers=headers)
    assert bad.status_code == 400 and _error(bad)["code"] == "bad_cursor" and _error(bad)["field"] == "cursor"
    wrong = client.get("/api/v1/events/cluster/registrations?limit=9999", headers=headers)
    assert wrong.status_code == 400 and _error(wrong)["field"] == "limit"
    assert client.get("/api/v1/events/cluster/registrations?state=nope", headers=headers).status_code == 400
    assert client.get("/api/v1/events/cluster/registrations?updated_since=yesterday",
                      headers=headers).status_code == 400


def test_etag_answers_304_until_something_changes(client, make, world, token_for):
    headers = token_for(world.secretariat)
    first = client.get("/api/v1/events/cluster/registrations", headers=headers)
    etag = first.headers["ETag"]
    again = client.get("/api/v1/events/cluster/registrations", headers={**headers, "If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""
    make.registration(world.event, world.prc)
    changed = client.get("/api/v1/events/cluster/registrations", headers={**headers, "If-None-Match": etag})
    assert changed.status_code == 200 and len(changed.get_json()["data"]) == 1


def test_delegations_bookings_checkins_and_attendance(client, make, world, token_for):
    headers = token_for(world.secretariat)
    make.registration(world.event, world.tha)
    make.registration(world.event, world.tha, status="waitlisted", waitlisted_at=utcnow())
    delegations = client.get("/api/v1/events/cluster/delegations", headers=headers).get_json()["data"]
    tha = next(d for d in delegations if d["economy"] == "THA")
    assert tha["quota"] == 2 and tha["taken"] == 1 and tha["places_left"] == 1
    assert tha["counts"] == {"approved": 1, "waitlisted": 1}
    visit = make.session(world.event, kind="site_visit", bookable=True, capacity=10)
    assert client.get(f"/api/v1/events/cluster/sessions/{visit.id}/bookings",
                      headers=headers).get_json()["data"] == []
    assert client.get("/api/v1/events/cluster/checkins", headers=headers).get_json()["data"] == []
    summary = client.get("/api/v1/events/cluster/attendance", headers=headers).get_json()
    from eventhub.attendance.reports.summary import build_summary

    built = build_summary(db.session, world.event)
    assert summary["totals"]["approved"] == built.totals.approved == 1
    assert summary["totals"]["attended"] == built.totals.attended


@pytest.mark.parametrize("n", [3, 30])
def test_registrations_page_statements_do_not_grow(client, make, world, token_for, query_counter, n):
    headers = token_for(world.secretariat)
    for _ in range(n):
        make.registration(world.event, world.prc, status="submitted")
    client.get("/api/v1/events/cluster/registrations", headers=headers)  # warm the caches
    with query_counter() as q:
        response = client.get("/api/v1/events/cluster/registrations?limit=100", headers=headers)
    assert len(response.get_json()["data"]) == n
    assert q.count <= 5, q.statements


def test_an_expired_token_is_refused_with_the_day_it_ended(client, world, token_for):
    from datetime import timedelta

    from eventhub.api.models import ApiToken

    headers = token_for(world.secretariat)
    assert client.get("/api/v1/events/cluster/registrations", headers=headers).status_code == 200
    db.session.query(ApiToken).update({"expires_at": utcnow() - timedelta(minutes=1)})
    db.session.commit()
    expired = client.get("/api/v1/events/cluster/registrations", headers=headers)
    assert expired.status_code == 401 and _error(expired)["code"] == "token_expired"
    assert "make a new one" in _error(expired)["message"]


def test_paging_while_others_register_at_the_same_time_skips_and_repeats_nothing(app, make, world, token_for):
    from eventhub.db import write_intent
    from eventhub.registration.models import Registration, RegistrationStatus
    from tests.conftest import run_in_threads

    for _ in range(20):
        make.registration(world.event, world.prc, status="submitted")
    before = {r.id for r in db.session.query(Registration)}
    headers = token_for(world.secretariat)
    economy_id, delegation_id = world.prc.economy_id, world.prc.id

    def work(i):
        if i == 0:  # a client syncing page by page
            ids, cursor = [], ""
            while True:
                page = app.test_client().get(f"/api/v1/events/cluster/registrations?limit=3{cursor}",
                                             headers=headers).get_json()
                ids += [r["id"] for r in page["data"]]
                if not page["next_cursor"]:
                    return ids
                cursor = f"&cursor={page['next_cursor']}"
        for n in range(15):  # others registering meanwhile, one commit each
            with write_intent():
                db.session.add(Registration(event_id=world.event.id, delegation_id=delegation_id, economy_id=economy_id,
                                            email=f"late{n}@example.org", given_name="Late", family_name=str(n),
                                            status=RegistrationStatus.SUBMITTED))
                db.session.commit()
        return None

    ids, _ = run_in_threads(app, 2, work, transaction=False)
    assert isinstance(ids, list), ids
    assert len(ids) == len(set(ids))  # nothing twice
    assert before <= set(ids)  # nothing that was there is skipped
    assert ids == sorted(ids)
