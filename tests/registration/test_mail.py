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
    # The delegate's mail carries their set-password link: it goes to them alone.
    assert approved.message["Cc"] is None
    assert approved.recipients == ["somchai@example.org"]
    assert "/password/reset/" in approved.text()
    [notice] = mailbox.to("focal.th@example.org")
    assert notice.recipients == ["focal.th@example.org"]
    assert notice.subject == "Somchai Jaidee is approved: SME Cluster Workshop"
    assert "/password/reset/" not in notice.text() and "/confirm/" not in notice.text()
    assert f"/delegations/{world.thailand.id}/" in notice.text()
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
    assert promoted.recipients == ["p2@example.org"]
    [notice] = mailbox.to("focal.th@example.org")  # the focal point learns who moved up
    assert "moved up from the waitlist" in notice.text()
    assert "/password/reset/" not in notice.text() and "/calendar" not in notice.text()
    assert any(p.get_filename() == "event.ics" for p in promoted.message.iter_attachments())


def test_no_personal_link_is_ever_copied_to_the_focal_point(world, mailbox):
    """Whoever holds a set-password or confirmation link can take over the account: only its owner gets it."""
    reg, _ = services.nominate(db.session, world.thailand, email="nominee@example.org", details=details(),
                               actor=world.focal)
    db.session.commit()
    services.substitute(db.session, reg, email="sub@example.org", details=details(given_name="Sub"),
                        actor=world.focal)
    db.session.commit()
    deliver_due()
    nominee_mails = mailbox.to("nominee@example.org")
    assert any("/confirm/" in m.text() for m in nominee_mails)
    for m in nominee_mails + mailbox.to("sub@example.org"):
        assert "focal.th@example.org" not in m.recipients
    notices = mailbox.to("focal.th@example.org")
    assert len(notices) >= 2
    for m in notices:
        assert m.recipients == ["focal.th@example.org"]
        assert "/password/reset/" not in m.text() and "/confirm/" not in m.text()
        assert reg.confirm_token not in m.text() and reg.calendar_token not in m.text()
