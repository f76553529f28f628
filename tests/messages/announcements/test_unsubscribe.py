"""The personal link that stops optional messages, honoured at once; essential mail goes on."""

from __future__ import annotations

import re

import sqlalchemy as sa

from eventhub.extensions import db
from eventhub.messages import consent
from eventhub.messages.models_announcements import Announcement
from eventhub.registration import mails


def _send(client, world, token: str, **extra):
    data = {"subject": "News", "body": "Hello {{ first_name }}", "send_token": token,
            "session_id": str(world.visit.id), "booking": "booked", "send": "Send"}
    data.update(extra)
    return client.post(f"/events/{world.event.slug}/announcements/new", data=data)


def _link(mail) -> str:
    return re.search(r"http://[^/\s]+(/unsubscribe/[A-Za-z0-9_.\-]+)", mail.text()).group(1)


def test_unsubscribing_stops_later_announcements_at_once(world, login_as, client, mailbox):
    staff = login_as(world.organizer)
    assert _send(staff, world, "t1").status_code == 302
    link = _link(mailbox.to("anong@example.org")[0])
    assert "anong" not in link.lower()
    mailbox.clear()

    client.post("/logout")
    page = client.get(link)
    assert page.status_code == 200 and "Stop announcements" in page.get_data(as_text=True)
    assert not consent.is_opted_out(db.session, world.people["anong"].id)  # opening the link changes nothing
    assert client.post(link, data={"choice": "unsubscribe"}).status_code == 302
    assert consent.opted_out(db.session, world.event.id) == {world.people["anong"].id}

    staff = login_as(world.organizer)
    preview = _send(staff, world, "t2", send="", preview="Preview").get_data(as_text=True)
    assert "1 recipient" in preview and "1 opted out (not mailed)" in preview
    assert _send(staff, world, "t2").status_code == 302
    assert [m.recipients for m in mailbox.messages] == [["chiyo@example.org"]]
    assert db.session.scalar(sa.select(Announcement.recipient_count).where(Announcement.send_token == "t2")) == 1


def test_essential_mail_still_reaches_someone_who_opted_out(world, mailbox):
    reg = world.people["anong"]
    consent.set_opted_out(db.session, reg, True, reg.created_at)
    mails.status_mail(db.session, reg, kind="approved")
    db.session.commit()
    assert len(mailbox.to("anong@example.org")) == 1


def test_an_announcement_queued_before_the_opt_out_is_not_sent(world, login_as, app, mailbox):
    staff = login_as(world.organizer)
    assert _send(staff, world, "t1").status_code == 302
    consent.set_opted_out(db.session, world.people["chiyo"], True, world.people["chiyo"].created_at)
    db.session.commit()
    assert [m.recipients for m in mailbox.messages] == [["anong@example.org"]]


def test_rotating_the_link_kills_the_old_one_and_resubscribing_works(world, login_as, client, mailbox):
    staff = login_as(world.organizer)
    _send(staff, world, "t1")
    old = _link(mailbox.to("anong@example.org")[0])
    client.post("/logout")
    response = client.post(old, data={"choice": "rotate"})
    new = response.headers["Location"]
    assert new != old
    assert client.get(old).status_code == 404
    assert client.post(new, data={"choice": "unsubscribe"}).status_code == 302
    assert consent.is_opted_out(db.session, world.people["anong"].id)
    client.post(new, data={"choice": "resubscribe"})
    assert not consent.is_opted_out(db.session, world.people["anong"].id)


def test_a_forged_link_is_refused(world, client):
    assert client.get("/unsubscribe/WzEsMF0.forged").status_code == 404
    assert client.get("/unsubscribe/" + "x" * 300).status_code == 404
