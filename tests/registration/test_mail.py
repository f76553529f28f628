"""E-mails reach the SMTP server with the right recipients, copies and attachments."""

from __future__ import annotations

from eventhub.extensions import db
from eventhub.mail.delivery import deliver_due
from eventhub.registration import services
from tests.registration.conftest import details


def registered(world, email, **kw):
    reg, _ = services.self_register(db.session, world.thailand, email=email, details=details(**kw),
                                    privacy_acknowledged=True)
    db.session.commit()
    return reg


def test_received_approved_with_ics_and_focal_point_in_copy(world, mailbox):
    reg = registered(world, "somchai@example.org")
    deliver_due()
    [received] = mailbox.to("somchai@example.org")
    assert received.subject == "Registration received: SME Cluster Workshop"
    assert "Dear Mr Somchai Jaidee" in received.text()
    assert not received.parts("text/calendar")
    mailbox.clear()

    services.approve(db.session, reg, actor=world.focal)
    db.session.commit()
    deliver_due()
    [approved] = mailbox.to("somchai@example.org")
    assert approved.subject.startswith("Registration approved")
    assert approved.message["Cc"] == "focal.th@example.org"
    assert sorted(approved.recipients) == ["focal.th@example.org", "somchai@example.org"]
    [ics] = [p for p in approved.message.iter_attachments() if p.get_filename() == "event.ics"]
    assert ics.get_content_type() == "text/calendar"
    body = ics.get_content()
    body = body.decode() if isinstance(body, bytes) else body
    assert body.startswith("BEGIN:VCALENDAR") and "SME Cluster Workshop" in body


def test_secretariat_decisions_do_not_copy_the_focal_point(world, mailbox):
    reg = registered(world, "p@example.org")
    services.decline(db.session, reg, actor=world.secretariat, reason="The workshop is for officials.")
    db.session.commit()
    deliver_due()
    [mail] = [m for m in mailbox.to("p@example.org") if "declined" in m.subject]
    assert "Reason: The workshop is for officials." in mail.text()
    assert mail.recipients == ["p@example.org"]


def test_waitlisted_then_promoted_emails(world, mailbox):
    regs = [registered(world, f"p{i}@example.org", given_name=f"P{i}") for i in range(3)]
    for r in regs:
        services.approve(db.session, r, actor=world.secretariat)
    db.session.commit()
    deliver_due()
    [waitlisted] = [m for m in mailbox.to("p2@example.org") if "waitlist" in m.subject]
    assert "on its waitlist at position 1" in waitlisted.text()
    mailbox.clear()

    services.cancel(db.session, regs[0], actor=regs[0].user)
    db.session.commit()
    deliver_due()
    [cancelled] = mailbox.to("p0@example.org")
    assert cancelled.subject.startswith("Registration cancelled")
    [promoted] = mailbox.to("p2@example.org")
    assert promoted.subject.startswith("A place is free")
    assert "focal.th@example.org" in promoted.recipients  # the focal point learns who moved up
    assert any(p.get_filename() == "event.ics" for p in promoted.message.iter_attachments())
