"""A self-registration through an economy's link is a bounded handful of statements, whatever the
number of registrations already there."""

from __future__ import annotations

import pytest

from eventhub.db import write_intent
from eventhub.extensions import db
from eventhub.registration import services
from eventhub.registration.models import Delegation

pytestmark = pytest.mark.slow

DETAILS = {"given_name": "Mali", "family_name": "Srisuk", "organisation": "SME Agency", "sex": "female",
           "category": "delegate", "funding": "self_funded"}


def _statements_of_one_registration(make, query_counter, others: int, *, full: bool):
    event = make.event(approval_required=False)
    delegation = make.delegation(event, "THA", quota=others if full else others + 10)
    for _ in range(others):
        make.registration(event, delegation)
    delegation_id = delegation.id
    db.session.expire_all()
    with write_intent():
        delegation = db.session.get(Delegation, delegation_id)
        _ = delegation.event.title  # what the view has loaded before calling the service
        with query_counter() as q:
            reg, created = services.self_register(db.session, delegation, email=f"mali{others}@example.org",
                                                  details=DETAILS, privacy_acknowledged=True)
            db.session.flush()
        status = reg.status.value
        db.session.commit()
    assert created
    return q, status


@pytest.mark.parametrize("full", [False, True], ids=["place", "waitlist"])
def test_a_self_registration_does_not_grow_with_the_registrations_there(make, query_counter, full):
    few, status = _statements_of_one_registration(make, query_counter, 1, full=full)
    many, status_many = _statements_of_one_registration(make, query_counter, 200, full=full)
    assert status == status_many == ("waitlisted" if full else "approved")
    assert few.count == many.count
    # The existing-registration check, the user account (looked up, here created), the insert and its
    # log line, the quota's conditional UPDATE, the status change and its log line, and the e-mail.
    assert many.count <= 12, "\n".join(many.statements)
