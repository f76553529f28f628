"""Purging personal details after an event, keeping what reports count; the demo loader."""

from __future__ import annotations

from datetime import date, time, timedelta

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
    # The Guangzhou workshop's Thai delegation (the Sichuan one has its own): the first one made.
    thailand = db.session.scalar(sa.select(Delegation).where(Delegation.economy.has(code="THA"))
                                 .order_by(Delegation.id))
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


def test_purge_also_removes_sent_mail_eml_copies_booking_reasons_and_notes(app, make, mailbox):
    from pathlib import Path

    from eventhub.mail.delivery import deliver_due
    from eventhub.mail.models import MailStatus, OutboxMessage
    from eventhub.registration import services
    from eventhub.signups import services as signups
    from eventhub.signups.models import Booking, BookingLog
    from tests.registration.conftest import details

    past = make.event(slug="past-workshop", title="Past Workshop", start=date.today() - timedelta(days=100))
    focal = make.user("focal.th@example.org")
    delegation = make.delegation(past, "THA", quota=5, focal_point=focal)
    staff = make.staff(past, "organizer", "org@example.org")
    reg, _ = services.nominate(db.session, delegation, email="somchai_j@example.org",
                               details=details(given_name="Somchai", family_name="Jaidee"), actor=focal, staff=True)
    services.approve(db.session, reg, actor=focal, unconfirmed_ok=True)
    db.session.commit()
    visit = make.session(past, kind="site_visit", bookable=True, capacity=0, title="Factory tour")
    signups.add_by_staff(db.session, visit.id, reg.id, "Somchai Jaidee is the host's guest", actor_id=staff.id,
                         now=past.local_to_utc(past.start_date, time(8)))
    db.session.commit()
    deliver_due(limit=500)
    # An unrelated message (another person, another subject) that must stay.
    other = OutboxMessage(recipients="someone@example.org", subject="Your EventHub account", raw=b"x",
                          status=MailStatus.SENT)
    db.session.add(other)
    db.session.commit()
    # Where no SMTP server is set, delivered copies are .eml files in MAIL_DIR.
    mail_dir = Path(app.config["MAIL_DIR"])
    mail_dir.mkdir(parents=True, exist_ok=True)
    eml_paths = []
    for message in db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.id != other.id)):
        path = mail_dir / f"{message.id:06d}.eml"
        path.write_bytes(message.raw)
        message.file_path = str(path)
        eml_paths.append(path)
    db.session.commit()
    sent_before = db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage))
    assert sent_before >= 4  # nomination, focal notices, approval, booking
    assert any(b"Somchai" in p.read_bytes() for p in eml_paths)

    result = app.test_cli_runner().invoke(args=["eventhub", "purge-personal-data", "--days", "30"])
    assert result.exit_code == 0, result.output

    db.session.rollback()
    left = db.session.scalars(sa.select(OutboxMessage)).all()
    assert [m.id for m in left] == [other.id]
    assert not any(p.exists() for p in eml_paths)
    assert db.session.scalar(sa.select(Booking.over_capacity_reason).where(Booking.registration_id == reg.id)) == ""
    assert all(note == "" for note in db.session.scalars(
        sa.select(BookingLog.note).where(BookingLog.registration_id == reg.id)))
    purged = db.session.get(Registration, reg.id)
    assert purged.email == f"purged-{reg.id}@invalid" and purged.family_name == f"#{reg.id}"
    assert len(purged.confirm_token) >= 30 and purged.confirm_token != purged.calendar_token


def test_purge_is_set_based_not_one_statement_per_person(app, make, query_counter):
    from eventhub.registration.privacy import purge_personal_data

    def statements(n):
        event = make.event(start=date.today() - timedelta(days=100))
        delegation = make.delegation(event, "THA", quota=n)
        for _ in range(n):
            make.registration(event, delegation)
        with query_counter() as q:
            purge_personal_data(db.session, days=30, event_slug=event.slug)
        db.session.commit()
        return q.count

    assert statements(2) == statements(40)


def test_demo_delegates_have_phones_for_the_bus_manifests_and_reloading_fills_missing_ones(app):
    import re

    from eventhub.demo import load_demo

    load_demo(db.session, "demo-password-123")
    db.session.commit()
    phones = db.session.scalars(sa.select(Registration.phone)).all()
    assert phones and all(re.fullmatch(r"\+[0-9 ]{8,}", p) for p in phones)
    # A database loaded before phones existed: the next load fills them in, and keeps a real one.
    db.session.execute(sa.update(Registration).values(phone=""))
    db.session.execute(sa.update(Registration).where(Registration.email == "delegate1@example.org")
                       .values(phone="+66 2 123 4567"))
    db.session.commit()
    load_demo(db.session, "demo-password-123")
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Registration)
                             .where(Registration.phone == "")) == 0
    assert db.session.scalar(sa.select(Registration.phone).where(
        Registration.email == "delegate1@example.org")) == "+66 2 123 4567"
