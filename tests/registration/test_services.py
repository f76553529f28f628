"""The rules of registration, at the service level: states, quota, waitlist, substitution, window, log."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from eventhub.db import utcnow
from eventhub.errors import Conflict, DomainError
from eventhub.extensions import db
from eventhub.registration import decisions, services
from eventhub.registration.models import Registration, RegistrationLog
from tests.registration.conftest import details


def register(world, email, delegation=None, **kw):
    reg, created = services.self_register(db.session, delegation or world.thailand, email=email,
                                          details=details(**kw), privacy_acknowledged=True)
    db.session.commit()
    return reg


def test_self_registration_is_submitted_and_keeps_unicode(world):
    reg = register(world, "Somchai@Example.org")
    assert reg.status.value == "submitted"
    assert reg.email == "somchai@example.org"
    assert reg.name_local == "สมชาย ใจดี"
    assert reg.economy.code == "THA"
    assert reg.user is not None and reg.user.email == "somchai@example.org"
    assert reg.privacy_acknowledged_at is not None
    assert [e.action for e in reg.log] == ["registered"]


def test_without_approval_registrations_are_approved_until_the_quota_then_waitlisted(world):
    world.event.approval_required = False
    db.session.commit()
    regs = [register(world, f"p{i}@example.org", given_name=f"P{i}") for i in range(4)]
    assert [r.status.value for r in regs] == ["approved", "approved", "waitlisted", "waitlisted"]
    db.session.refresh(world.thailand)
    assert world.thailand.taken == 2
    assert [services.waitlist_position(db.session, r) for r in regs] == [None, None, 1, 2]


def test_approving_past_the_quota_waitlists_and_cancellation_promotes_the_first(world):
    regs = [register(world, f"p{i}@example.org", given_name=f"P{i}") for i in range(4)]
    outcomes = [services.approve(db.session, r, actor=world.focal).value for r in regs]
    db.session.commit()
    assert outcomes == ["approved", "approved", "waitlisted", "waitlisted"]

    promoted = services.cancel(db.session, regs[0], actor=world.secretariat, reason="cannot travel")
    db.session.commit()
    assert promoted.id == regs[2].id
    assert regs[2].status.value == "approved"
    assert services.waitlist_position(db.session, regs[3]) == 1
    db.session.refresh(world.thailand)
    assert world.thailand.taken == 2
    actions = db.session.scalars(sa.select(RegistrationLog.action).where(
        RegistrationLog.registration_id == regs[2].id).order_by(RegistrationLog.id)).all()
    assert actions == ["registered", "waitlisted", "promoted"]


def test_a_waitlisted_person_cannot_be_approved_while_the_quota_is_full(world):
    regs = [register(world, f"p{i}@example.org") for i in range(3)]
    for r in regs:
        services.approve(db.session, r, actor=world.secretariat)
    db.session.commit()
    with pytest.raises(Conflict, match="stays on the waitlist"):
        services.approve(db.session, regs[2], actor=world.secretariat)


def test_declining_and_cancelling_non_active_registrations_is_refused(world):
    reg = register(world, "p@example.org")
    services.decline(db.session, reg, actor=world.focal, reason="not eligible")
    db.session.commit()
    assert reg.status.value == "declined"
    with pytest.raises(Conflict):
        services.approve(db.session, reg, actor=world.focal)
    with pytest.raises(Conflict):
        services.cancel(db.session, reg, actor=world.focal)
    # A declined registration does not block a new one with the same e-mail.
    again = register(world, "p@example.org")
    assert again.status.value == "submitted"


def test_one_active_registration_per_email_and_double_submission_makes_one(world):
    first, created = services.self_register(db.session, world.thailand, email="a@example.org",
                                            details=details(), privacy_acknowledged=True, submission_key="k1")
    db.session.commit()
    again, created_again = services.self_register(db.session, world.thailand, email="a@example.org",
                                                  details=details(), privacy_acknowledged=True,
                                                  submission_key="k1")
    assert (created, created_again) == (True, False)
    assert again.id == first.id
    with pytest.raises(Conflict, match="already has a registration") as exc:
        services.self_register(db.session, world.viet_nam, email="A@example.org", details=details(),
                               privacy_acknowledged=True, submission_key="k2")
    assert exc.value.field == "email"
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Registration)) == 1


def test_registration_outside_the_window_is_refused_with_the_dates(world):
    world.event.registration_closes_at = utcnow() - timedelta(hours=1)
    world.event.registration_opens_at = utcnow() - timedelta(days=10)
    db.session.commit()
    with pytest.raises(DomainError, match=r"has closed\. It was open from .* to .*\(Asia/Shanghai\)"):
        register(world, "late@example.org")
    world.event.registration_opens_at = utcnow() + timedelta(days=1)
    world.event.registration_closes_at = utcnow() + timedelta(days=5)
    db.session.commit()
    with pytest.raises(DomainError, match="has not opened yet"):
        register(world, "early@example.org")
    # Staff add anyone, also outside the window.
    reg, _ = services.staff_add(db.session, world.event, economy_id=world.thailand.economy_id,
                                email="speaker@example.org", details=details(category="speaker"),
                                actor=world.secretariat)
    db.session.commit()
    assert reg.delegation_id == world.thailand.id and reg.needs_confirmation


def test_privacy_acknowledgement_is_required(world):
    with pytest.raises(DomainError) as exc:
        services.self_register(db.session, world.thailand, email="x@example.org", details=details(),
                               privacy_acknowledged=False)
    assert exc.value.field == "privacy"


def test_bad_details_are_refused_with_the_field(world):
    for bad, field in ((details(given_name="  "), "given_name"), (details(sex="robot"), "sex"),
                       (details(family_name="x" * 121), "family_name")):
        with pytest.raises(DomainError) as exc:
            services.self_register(db.session, world.thailand, email="x@example.org", details=bad,
                                   privacy_acknowledged=True)
        assert exc.value.field == field
    with pytest.raises(DomainError) as exc:
        services.self_register(db.session, world.thailand, email="not-an-email", details=details(),
                               privacy_acknowledged=True)
    assert exc.value.field == "email"


def test_substitution_takes_the_place_without_the_waitlist(world):
    regs = [register(world, f"p{i}@example.org", given_name=f"P{i}") for i in range(3)]
    for r in regs:
        services.approve(db.session, r, actor=world.focal)
    db.session.commit()
    assert regs[2].status.value == "waitlisted"
    new = services.substitute(db.session, regs[0], email="sub@example.org",
                              details=details(given_name="Malee", family_name="Srisuk"), actor=world.focal)
    db.session.commit()
    assert regs[0].status.value == "cancelled"
    assert new.status.value == "approved" and new.needs_confirmation
    assert regs[2].status.value == "waitlisted"  # the waitlist was not used
    db.session.refresh(world.thailand)
    assert world.thailand.taken == 2
    assert regs[0].log[-1].note == "replaced by Malee Srisuk"
    assert new.log[-1].note == "replaces P0 Jaidee"


def test_confirming_a_nomination_completes_the_details(world):
    reg, _ = services.nominate(db.session, world.thailand, email="nom@example.org",
                               details=details(phone=""), actor=world.focal)
    db.session.commit()
    assert reg.needs_confirmation and reg.privacy_acknowledged_at is None
    services.confirm_nomination(db.session, reg, details=details(phone="+66 81 000 0000"),
                                privacy_acknowledged=True)
    db.session.commit()
    assert not reg.needs_confirmation and reg.phone == "+66 81 000 0000"
    with pytest.raises(Conflict):
        services.confirm_nomination(db.session, reg, details=details(), privacy_acknowledged=True)


def test_delegates_edit_until_closing_staff_always(world):
    reg = register(world, "p@example.org")
    services.update_details(db.session, reg, details=details(dietary="vegetarian"), actor=reg.user)
    db.session.commit()
    assert reg.dietary == "vegetarian"
    assert reg.log[-1].note == "Dietary needs"
    later = world.event.registration_closes_at + timedelta(minutes=1)
    with pytest.raises(DomainError, match="could be changed until"):
        services.update_details(db.session, reg, details=details(dietary="none"), actor=reg.user, now=later)
    services.update_details(db.session, reg, details=details(dietary="none"), actor=world.secretariat,
                            staff=True, now=later)
    assert reg.dietary == "none"


def test_bulk_decisions_skip_what_changed_and_respect_the_quota(world):
    regs = [register(world, f"p{i}@example.org", given_name=f"P{i}") for i in range(3)]
    services.decline(db.session, regs[0], actor=world.focal)
    db.session.commit()
    other_event = world.event  # ids of another event are ignored
    done, waitlisted, problems = decisions.bulk_decide(
        db.session, other_event, [r.id for r in regs] + [999999], "approve", actor=world.secretariat)
    db.session.commit()
    assert (done, waitlisted) == (2, 0)
    assert any("declined and cannot be approved" in p for p in problems)
    assert any("not part of this event" in p for p in problems)


def test_raising_the_quota_fills_it_from_the_waitlist(world):
    regs = [register(world, f"p{i}@example.org") for i in range(4)]
    for r in regs:
        services.approve(db.session, r, actor=world.focal)
    db.session.commit()
    world.thailand.quota = 3
    db.session.flush()
    promoted = services.fill_from_waitlist(db.session, world.thailand)
    db.session.commit()
    assert [r.id for r in promoted] == [regs[2].id]
    assert regs[3].status.value == "waitlisted"
