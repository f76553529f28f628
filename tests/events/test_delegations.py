import pytest
import sqlalchemy as sa

from eventhub.extensions import db
from eventhub.registration.models import Delegation


@pytest.fixture
def event(make, login_as):
    event = make.event(slug="cluster", default_quota=4)
    login_as(make.staff(event, "organizer"))
    return event


def delegations(event) -> dict[str, Delegation]:
    db.session.expire_all()
    return {d.economy.code: d for d in db.session.scalars(sa.select(Delegation).where(Delegation.event_id == event.id))}


def edit_form(event, **overrides):
    data = {"title": event.title, "slug": event.slug, "timezone": event.timezone,
            "start_date": event.start_date.isoformat(), "end_date": event.end_date.isoformat(),
            "status": "published", "default_quota": str(event.default_quota), "host_economy_id": "None"}
    data.update(overrides)
    return data


def test_invited_economies_get_the_event_default_unless_overridden(client, make, event):
    tha, sgp, jpn = make.economy("THA"), make.economy("SGP"), make.economy("JPN")
    response = client.post("/events/cluster/manage/economies", data={"economy_ids": [tha.id, sgp.id]},
                           follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Invited 2 economies." in page
    # APEC order: Singapore before Thailand.
    assert page.index("Singapore") < page.index("Thailand")
    client.post("/events/cluster/manage/economies", data={"economy_ids": [jpn.id], "quota": "2"})
    got = delegations(event)
    assert (got["THA"].quota, got["THA"].quota_overridden) == (4, False)
    assert (got["JPN"].quota, got["JPN"].quota_overridden) == (2, True)
    # The picker offers only economies not yet invited.
    picker = client.get("/events/cluster/manage/economies").get_data(as_text=True).split('id="invite"')[1]
    assert "Thailand" not in picker and "Peru" in picker


def test_changing_the_default_updates_delegations_that_follow_it(client, make, event):
    make.delegation(event, "THA", quota=4)
    jpn = make.delegation(event, "JPN", quota=2)
    client.post(f"/events/cluster/manage/economies/{jpn.id}/quota", data={"quota": "2"})
    response = client.post("/events/cluster/manage/details", data=edit_form(event, default_quota="6"))
    assert response.status_code == 302
    got = delegations(event)
    assert got["THA"].quota == 6
    assert got["JPN"].quota == 2 and got["JPN"].quota_overridden


def test_default_below_places_taken_is_refused(client, make, event):
    tha = make.delegation(event, "THA", quota=4)
    for _ in range(3):
        make.registration(event, tha)
    response = client.post("/events/cluster/manage/details", data=edit_form(event, default_quota="2"))
    assert response.status_code == 200
    assert "Thailand (3)" in response.get_data(as_text=True)
    assert delegations(event)["THA"].quota == 4
    db.session.refresh(event)
    assert event.default_quota == 4


def test_quota_override_below_zero_or_below_taken_is_refused_with_a_message(client, make, event):
    tha = make.delegation(event, "THA", quota=4)
    make.registration(event, tha)
    make.registration(event, tha)
    response = client.post(f"/events/cluster/manage/economies/{tha.id}/quota", data={"quota": "1"})
    page = response.get_data(as_text=True)
    assert "Thailand already has 2 places taken; the quota cannot go below that." in page
    assert f'id="quota-{tha.id}-error"' in page and 'value="1"' in page
    response = client.post(f"/events/cluster/manage/economies/{tha.id}/quota", data={"quota": "-1"})
    assert "The quota cannot be below zero." in response.get_data(as_text=True)
    assert delegations(event)["THA"].quota == 4

    response = client.post(f"/events/cluster/manage/economies/{tha.id}/quota", data={"quota": "2"},
                           follow_redirects=True)
    assert "Thailand: 2 places." in response.get_data(as_text=True)
    assert (delegations(event)["THA"].quota, delegations(event)["THA"].quota_overridden) == (2, True)
    client.post(f"/events/cluster/manage/economies/{tha.id}/quota", data={"use_default": "1", "quota": ""})
    assert (delegations(event)["THA"].quota, delegations(event)["THA"].quota_overridden) == (4, False)


def test_inviting_nothing_or_negative_quota_is_refused(client, make, event):
    response = client.post("/events/cluster/manage/economies", data={})
    assert "Choose at least one economy to invite." in response.get_data(as_text=True)
    tha = make.economy("THA")
    response = client.post("/events/cluster/manage/economies", data={"economy_ids": [tha.id], "quota": "-3"})
    assert "The quota cannot be below zero." in response.get_data(as_text=True)
    assert delegations(event) == {}


def test_withdrawing_an_invitation(client, make, event):
    tha = make.delegation(event, "THA")
    sgp = make.delegation(event, "SGP")
    make.registration(event, sgp, status="submitted")
    response = client.post(f"/events/cluster/manage/economies/{tha.id}/remove", follow_redirects=True)
    assert "The invitation of Thailand is withdrawn." in response.get_data(as_text=True)
    response = client.post(f"/events/cluster/manage/economies/{sgp.id}/remove", follow_redirects=True)
    assert "Singapore has 1 registration;" in response.get_data(as_text=True)
    assert set(delegations(event)) == {"SGP"}


def test_quota_change_and_place_taken_at_once_never_break_the_limit(app, make):
    """A quota lowered while a place is taken: the conditional UPDATE keeps taken <= quota either way."""
    import threading

    from eventhub.db import write_intent
    from eventhub.errors import DomainError
    from eventhub.events import services

    event = make.event(default_quota=3)
    tha = make.delegation(event, "THA", quota=3)
    make.registration(event, tha)
    make.registration(event, tha)
    delegation_id = tha.id  # the threads use their own sessions, never the test's objects
    barrier = threading.Barrier(2)
    results = {}

    def lower():
        with app.app_context(), write_intent():
            barrier.wait()
            try:
                delegation = db.session.get(Delegation, delegation_id)
                services.set_delegation_quota(db.session, delegation, 2)
                db.session.commit()
                results["lower"] = "ok"
            except DomainError:
                db.session.rollback()
                results["lower"] = "refused"

    def take():
        with app.app_context(), write_intent():
            barrier.wait()
            changed = db.session.execute(
                sa.update(Delegation).where(Delegation.id == delegation_id, Delegation.taken < Delegation.quota)
                .values(taken=Delegation.taken + 1)
            ).rowcount
            db.session.commit()
            results["take"] = "ok" if changed else "full"

    threads = [threading.Thread(target=lower), threading.Thread(target=take)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    final = delegations(event)["THA"]
    assert final.taken <= final.quota
    assert results in ({"lower": "ok", "take": "full"}, {"lower": "refused", "take": "ok"})


def test_raising_a_quota_promotes_the_delegation_waitlist_at_once(client, make, event, mailbox):
    from eventhub.registration.models import Registration

    tha = make.delegation(event, "THA", quota=1)
    make.registration(event, tha)
    first = make.registration(event, tha, status="waitlisted", email="first@example.org")
    second = make.registration(event, tha, status="waitlisted", email="second@example.org")
    client.post(f"/events/cluster/manage/economies/{tha.id}/quota", data={"quota": "2"})
    db.session.expire_all()
    assert db.session.get(Registration, first.id).status.value == "approved"
    assert db.session.get(Registration, second.id).status.value == "waitlisted"
    assert delegations(event)["THA"].taken == 2
    assert any("A place is free" in m.subject for m in mailbox.to("first@example.org"))


def test_raising_the_event_default_promotes_waitlists_of_delegations_that_follow_it(client, make, event, mailbox):
    from eventhub.registration.models import Registration

    tha = make.delegation(event, "THA", quota=4)
    for _ in range(4):
        make.registration(event, tha)
    queued = make.registration(event, tha, status="waitlisted", email="queued@example.org")
    response = client.post("/events/cluster/manage/details", data=edit_form(event, default_quota="5"))
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Registration, queued.id).status.value == "approved"
    assert delegations(event)["THA"].taken == 5
    assert any("A place is free" in m.subject for m in mailbox.to("queued@example.org"))
