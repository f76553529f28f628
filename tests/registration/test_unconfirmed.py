"""A nominee who never confirmed their details or accepted the privacy notice: staff see it, and
approving them (one or in bulk) takes an explicit confirmation; without it nothing changes."""

from __future__ import annotations

import sqlalchemy as sa

from eventhub.extensions import db
from eventhub.registration.models import Registration


def _nominee(make, world, **kw):
    return make.registration(world.event, world.thailand, status="submitted", needs_confirmation=True, **kw)


def _status(reg_id):
    return db.session.scalar(sa.select(Registration.status).where(Registration.id == reg_id)).value


def test_staff_see_the_unconfirmed_state_in_the_list_and_on_the_delegation_page(client, world, make, login_as):
    _nominee(make, world, given_name="Somchai", family_name="Jaidee")
    make.registration(world.event, world.thailand, status="submitted", given_name="Anong",
                      privacy_acknowledged_at=None)
    login_as(world.secretariat)
    page = client.get(f"/events/{world.event.slug}/registrations/").get_data(as_text=True)
    assert "Not yet confirmed by the delegate: details and privacy notice" in page
    assert "Privacy notice not accepted" in page
    page = client.get(f"/events/{world.event.slug}/delegations/{world.thailand.id}/").get_data(as_text=True)
    assert "Not yet confirmed by the delegate" in page and "Approve…" in page


def test_approving_one_unconfirmed_person_needs_the_checkbox(client, world, make, login_as, mailbox):
    reg = _nominee(make, world, given_name="Somchai", family_name="Jaidee")
    login_as(world.secretariat)
    show = client.get(f"/events/{world.event.slug}/registrations/{reg.id}").get_data(as_text=True)
    assert "Approve although not confirmed" in show
    url = f"/events/{world.event.slug}/registrations/{reg.id}/approve"
    page = client.post(url, follow_redirects=True).get_data(as_text=True)
    assert "Nothing was approved: Somchai Jaidee has not yet confirmed their details" in page
    assert _status(reg.id) == "submitted" and mailbox.to(reg.email) == []
    page = client.post(url, data={"approve_unconfirmed": "y"}, follow_redirects=True).get_data(as_text=True)
    assert "Somchai Jaidee is approved." in page
    assert _status(reg.id) == "approved"


def test_bulk_approval_with_an_unconfirmed_person_changes_nothing_without_the_checkbox(client, world, make,
                                                                                       login_as):
    confirmed = make.registration(world.event, world.thailand, status="submitted")
    nominee = _nominee(make, world, given_name="Somchai", family_name="Jaidee")
    login_as(world.secretariat)
    data = {"ids": [str(confirmed.id), str(nominee.id)], "decision": "approve"}
    page = client.post(f"/events/{world.event.slug}/registrations/bulk", data=data,
                       follow_redirects=True).get_data(as_text=True)
    assert "Nothing was approved: Somchai Jaidee has not yet confirmed" in page
    assert (_status(confirmed.id), _status(nominee.id)) == ("submitted", "submitted")
    page = client.post(f"/events/{world.event.slug}/registrations/bulk", data={**data, "approve_unconfirmed": "y"},
                       follow_redirects=True).get_data(as_text=True)
    assert "2 approved." in page
    assert (_status(confirmed.id), _status(nominee.id)) == ("approved", "approved")


def test_a_confirmed_person_is_approved_in_one_click(client, world, make, login_as):
    reg = make.registration(world.event, world.thailand, status="submitted")
    login_as(world.secretariat)
    client.post(f"/events/{world.event.slug}/registrations/{reg.id}/approve")
    assert _status(reg.id) == "approved"
