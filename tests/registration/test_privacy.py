"""Purging personal details after an event, keeping what reports count; the demo loader."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from eventhub.extensions import db
from eventhub.registration.models import Registration, RegistrationLog


def test_purge_command_removes_personal_details_and_keeps_the_counts(app, make):
    past = make.event(slug="past-workshop", start=date.today() - timedelta(days=100))
    recent = make.event(slug="recent-workshop", start=date.today() - timedelta(days=10))
    delegation = make.delegation(past, "THA", quota=5)
    old = make.registration(past, delegation, given_name="สมชาย", family_name="ใจดี", phone="+66 1",
                            dietary="halal", sex="male", category="speaker", consent_list=True,
                            organisation="OSMEP")
    db.session.add(RegistrationLog(registration_id=old.id, action="cancelled", note="replaced by Malee Srisuk"))
    db.session.commit()
    keep = make.registration(recent, given_name="Recent", phone="+66 2")

    result = app.test_cli_runner().invoke(args=["eventhub", "purge-personal-data", "--days", "30"])
    assert result.exit_code == 0, result.output
    assert "past-workshop: personal details of 1 registrations removed." in result.output
    assert "recent-workshop" not in result.output

    db.session.rollback()
    old = db.session.get(Registration, old.id)
    assert old.personal_data_purged_at is not None
    assert (old.given_name, old.phone, old.dietary, old.organisation, old.user_id) == ("(removed)", "", "", "",
                                                                                      None)
    assert "ใจดี" not in old.family_name and old.email.endswith("@invalid") and not old.consent_list
    # What the attendance report counts is kept.
    assert (old.economy.code, old.sex.value, old.category.value, old.status.value) == (
        "THA", "male", "speaker", "approved")
    assert db.session.scalars(sa.select(RegistrationLog.note).where(
        RegistrationLog.registration_id == old.id)).all() == [""]
    assert db.session.get(Registration, keep.id).phone == "+66 2"
    # Running it again purges nothing more.
    again = app.test_cli_runner().invoke(args=["eventhub", "purge-personal-data", "--days", "30"])
    assert "Purged 0 registrations" in again.output


def test_purge_refuses_a_negative_number_of_days(app):
    result = app.test_cli_runner().invoke(args=["eventhub", "purge-personal-data", "--days", "-1"])
    assert result.exit_code != 0


def test_demo_delegates_load_idempotently(app):
    from eventhub.demo import load_demo
    from eventhub.registration.models import Delegation

    accounts = load_demo(db.session, "demo-password-123")
    db.session.commit()
    count = db.session.scalar(sa.select(sa.func.count()).select_from(Registration))
    again = load_demo(db.session, "demo-password-123")
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Registration)) == count >= 25
    assert accounts == again
    assert ("delegate1@example.org", "delegate of Thailand (approved)") in accounts
    thailand = db.session.scalar(sa.select(Delegation).join(Delegation.economy).where(
        Delegation.economy.has(code="THA")))
    statuses = db.session.scalars(sa.select(Registration.status).where(
        Registration.delegation_id == thailand.id)).all()
    assert thailand.taken == thailand.quota == 4
    assert sorted(s.value for s in statuses) == ["approved"] * 4 + ["waitlisted"]
    names = set(db.session.scalars(sa.select(Registration.name_local)))
    assert {"陈伟", "สมชาย ใจดี", "Nguyễn Văn An", "김민준", "佐藤 結衣"} <= names
    # Every delegation's counter matches its approved registrations.
    for delegation in db.session.scalars(sa.select(Delegation)):
        approved = db.session.scalar(sa.select(sa.func.count()).select_from(Registration).where(
            Registration.delegation_id == delegation.id, Registration.status == "approved"))
        assert delegation.taken == approved
