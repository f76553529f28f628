"""Nobody approves their own registration: a focal point who is also a registrant of their
delegation is decided on by the secretariat or another focal point."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from eventhub.errors import DomainError
from eventhub.extensions import db
from eventhub.registration import decisions, services
from eventhub.registration.models import FocalPoint, Registration


def _status(reg_id):
    return db.session.scalar(sa.select(Registration.status).where(Registration.id == reg_id)).value


def test_a_focal_point_cannot_approve_their_own_registration(client, world, make, login_as):
    own = make.registration(world.event, world.thailand, user=world.focal, email=world.focal.email,
                            given_name="Siriporn", status="submitted")
    login_as(world.focal)
    page = client.get(f"/events/{world.event.slug}/delegations/{world.thailand.id}/").get_data(as_text=True)
    assert "Your own: the secretariat or another focal point decides." in page
    assert 'aria-label="Approve Siriporn' not in page
    show = client.get(f"/events/{world.event.slug}/registrations/{own.id}").get_data(as_text=True)
    assert "nobody approves their own" in show and "Approve</button>" not in show
    response = client.post(f"/events/{world.event.slug}/registrations/{own.id}/approve")
    assert response.status_code == 404
    assert _status(own.id) == "submitted"


def test_another_focal_point_or_the_secretariat_approves_it(client, world, make, login_as):
    own = make.registration(world.event, world.thailand, user=world.focal, email=world.focal.email,
                            status="submitted")
    second = make.user("second.th@example.org")
    db.session.add(FocalPoint(delegation_id=world.thailand.id, user_id=second.id))
    db.session.commit()
    login_as(second)
    assert client.post(f"/events/{world.event.slug}/registrations/{own.id}/approve").status_code == 302
    assert _status(own.id) == "approved"


def test_the_service_refuses_self_approval_also_for_staff_and_in_bulk(world, make):
    own = make.registration(world.event, world.thailand, user=world.secretariat, email=world.secretariat.email,
                            given_name="Self", status="submitted")
    with pytest.raises(DomainError, match="Nobody approves their own registration"):
        services.approve(db.session, own, actor=world.secretariat)
    db.session.rollback()
    done, _waitlisted, problems = decisions.bulk_decide(db.session, world.event, [own.id], "approve",
                                                       actor=world.secretariat)
    assert done == 0 and any("Nobody approves their own registration" in p for p in problems)
    db.session.rollback()
    assert _status(own.id) == "submitted"
    services.approve(db.session, own, actor=world.organizer)
    assert own.status.value == "approved"
