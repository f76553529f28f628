"""The quota holds under concurrency on SQLite (file database) and PostgreSQL.

Every attempt runs in its own thread with its own app context and session, released together by a
barrier. A naive read-then-insert control shows that without the conditional UPDATE the quota is
oversold under the same conditions.
"""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from eventhub.db import write_intent
from eventhub.errors import DomainError
from eventhub.extensions import db
from eventhub.registration import services
from eventhub.registration.models import Delegation, Registration, RegistrationStatus
from tests.conftest import run_in_threads
from tests.registration.conftest import details

pytestmark = pytest.mark.slow
THREADS = 60
QUOTA = 5


def run_together(app, n, work):
    """Run work(i) in n threads released at once; returns (results, unexpected errors)."""
    results = run_in_threads(app, n, work, transaction=False)
    return results, [r for r in results if isinstance(r, Exception) and not isinstance(r, DomainError)]


def status_counts(event_id):
    return dict(db.session.execute(sa.select(Registration.status, sa.func.count())
                                   .where(Registration.event_id == event_id).group_by(Registration.status)).all())


@pytest.fixture
def tight(world):
    world.thailand.quota = QUOTA
    db.session.commit()
    return world


def test_concurrent_self_registrations_never_exceed_the_quota(app, tight):
    tight.event.approval_required = False
    db.session.commit()
    delegation_id = tight.thailand.id

    def attempt(i):
        with write_intent():
            delegation = db.session.get(Delegation, delegation_id)
            reg, _ = services.self_register(db.session, delegation, email=f"racer{i}@example.org",
                                            details=details(given_name=f"Racer{i}"), privacy_acknowledged=True)
            status = reg.status
            db.session.commit()
            return status

    results, errors = run_together(app, THREADS, attempt)
    assert errors == []
    assert sum(r == RegistrationStatus.APPROVED for r in results) == QUOTA
    assert sum(r == RegistrationStatus.WAITLISTED for r in results) == THREADS - QUOTA
    db.session.rollback()  # end the test's own read transaction: see what the threads committed
    assert db.session.get(Delegation, delegation_id).taken == QUOTA
    assert status_counts(tight.event.id) == {RegistrationStatus.APPROVED: QUOTA,
                                             RegistrationStatus.WAITLISTED: THREADS - QUOTA}
    waiting = db.session.scalars(sa.select(Registration).where(Registration.status == RegistrationStatus.WAITLISTED)
                                 ).all()
    assert sorted(services.waitlist_position(db.session, r) for r in waiting) == list(range(1, THREADS - QUOTA + 1))


def test_concurrent_approvals_never_exceed_the_quota(app, make, tight):
    ids = [make.registration(tight.event, tight.thailand, status="submitted", email=f"s{i}@example.org").id
           for i in range(THREADS)]
    approver_id = tight.secretariat.id

    def attempt(i):
        from eventhub.accounts.models import User

        with write_intent():
            reg = db.session.get(Registration, ids[i])
            status = services.approve(db.session, reg, actor=db.session.get(User, approver_id))
            db.session.commit()
            return status

    results, errors = run_together(app, THREADS, attempt)
    assert errors == []
    assert results.count(RegistrationStatus.APPROVED) == QUOTA
    assert results.count(RegistrationStatus.WAITLISTED) == THREADS - QUOTA
    db.session.rollback()  # end the test's own read transaction: see what the threads committed
    assert db.session.get(Delegation, tight.thailand.id).taken == QUOTA


def test_the_same_registration_approved_twice_at_once_takes_one_place(app, make, tight):
    reg_id = make.registration(tight.event, tight.thailand, status="submitted").id

    def attempt(i):
        with write_intent():
            reg = db.session.get(Registration, reg_id)
            status = services.approve(db.session, reg, actor=None)
            db.session.commit()
            return status

    results, errors = run_together(app, 20, attempt)
    assert errors == []
    assert results.count(RegistrationStatus.APPROVED) == 1
    assert all(isinstance(r, DomainError) for r in results if r != RegistrationStatus.APPROVED)
    db.session.rollback()  # end the test's own read transaction: see what the threads committed
    assert db.session.get(Delegation, tight.thailand.id).taken == 1


def test_a_double_submission_racing_itself_creates_one_registration(app, tight):
    delegation_id = tight.thailand.id

    def attempt(i):
        with write_intent():
            delegation = db.session.get(Delegation, delegation_id)
            reg, created = services.self_register(db.session, delegation, email="twice@example.org",
                                                  details=details(), privacy_acknowledged=True,
                                                  submission_key="one-form")
            reg_id = reg.id
            db.session.commit()
            return reg_id

    results, errors = run_together(app, 30, attempt)
    assert errors == []
    assert len({r for r in results if isinstance(r, int)}) == 1
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Registration)) == 1


def test_concurrent_cancellations_promote_each_waitlisted_person_once(app, make, tight):
    approved = [make.registration(tight.event, tight.thailand, status="approved", email=f"a{i}@example.org").id
                for i in range(QUOTA)]
    from datetime import timedelta

    from eventhub.db import utcnow

    for i in range(QUOTA * 2):
        make.registration(tight.event, tight.thailand, status="waitlisted", email=f"w{i}@example.org",
                          waitlisted_at=utcnow() + timedelta(seconds=i))

    def attempt(i):
        with write_intent():
            reg = db.session.get(Registration, approved[i])
            services.cancel(db.session, reg, actor=None)
            db.session.commit()

    results, errors = run_together(app, QUOTA, attempt)
    assert errors == [] and not any(isinstance(r, Exception) for r in results)
    db.session.rollback()  # end the test's own read transaction: see what the threads committed
    counts = status_counts(tight.event.id)
    assert counts[RegistrationStatus.APPROVED] == QUOTA
    assert counts[RegistrationStatus.WAITLISTED] == QUOTA
    assert db.session.get(Delegation, tight.thailand.id).taken == QUOTA
    # The first five of the waitlist got the places, in order.
    promoted = db.session.scalars(sa.select(Registration.email).where(
        Registration.status == RegistrationStatus.APPROVED)).all()
    assert sorted(promoted) == sorted(f"w{i}@example.org" for i in range(QUOTA))


def test_control_naive_read_then_insert_oversells(app, tight):
    """What the conditional UPDATE prevents: count approved, then insert if below the quota."""
    event_id, delegation_id, economy_id = tight.event.id, tight.thailand.id, tight.thailand.economy_id
    read_done = threading.Barrier(THREADS)

    def attempt(i):
        approved = db.session.scalar(sa.select(sa.func.count()).select_from(Registration).where(
            Registration.delegation_id == delegation_id, Registration.status == RegistrationStatus.APPROVED))
        db.session.commit()  # the check and the insert are separate steps, as in naive code
        read_done.wait()
        if approved >= QUOTA:
            return False
        with write_intent():
            db.session.add(Registration(event_id=event_id, delegation_id=delegation_id, economy_id=economy_id,
                                        email=f"naive{i}@example.org", given_name="N", family_name=str(i),
                                        status=RegistrationStatus.APPROVED))
            db.session.commit()
        return True

    results, errors = run_together(app, THREADS, attempt)
    assert errors == []
    db.session.rollback()
    oversold = db.session.scalar(sa.select(sa.func.count()).select_from(Registration).where(
        Registration.status == RegistrationStatus.APPROVED))
    assert oversold > QUOTA, "the naive way should have oversold the quota"
