"""One SEQUENCE per person's entry: the invitation e-mailed and the personal feed agree after
cancel, re-book, move of the booking and move of the session (eventhub/calendars/sequence.py)."""

from datetime import timedelta

import sqlalchemy as sa

from eventhub.agenda import services as agenda
from eventhub.extensions import db
from eventhub.mail.delivery import deliver_due
from eventhub.signups import services
from eventhub.signups.models import Booking
from tests.calendars.icscheck import parse_all


def last_invitation(mailbox, address):
    for message in reversed(mailbox.to(address)):
        parts = message.parts("text/calendar")
        if parts:
            data = parts[0].get_content()
            data = data.encode() if isinstance(data, str) else data
            return parts[0].get_param("method"), parse_all(data, feed=False)
    raise AssertionError("no invitation")


def feed_sequence(client, reg, uid):
    return parse_all(client.get(f"/calendar/{reg.calendar_token}.ics").data)[uid]["sequence"]


def test_mail_and_personal_feed_carry_one_sequence(client, make, mailbox):
    event = make.event()
    visit = make.session(event, kind="site_visit", title="Shifei visit", bookable=True, capacity=5,
                         start="14:00", end="16:00")
    other = make.session(event, kind="site_visit", title="Seye visit", bookable=True, capacity=5,
                         start="14:00", end="16:00", day=0)
    reg = make.registration(event, email="mai@example.vn")
    uid, other_uid = f"session-{visit.id}@eventhub.test", f"session-{other.id}@eventhub.test"

    def step(action):
        action()
        db.session.commit()
        deliver_due()

    def agree(session_uid):
        method, invited = last_invitation(mailbox, reg.email)
        assert method == "REQUEST"
        assert feed_sequence(client, reg, session_uid) == invited[session_uid]["sequence"]
        return invited[session_uid]["sequence"]

    step(lambda: services.book(db.session, visit.id, reg.id))
    first = agree(uid)
    booking = db.session.scalar(sa.select(Booking).where(Booking.session_id == visit.id))
    step(lambda: services.cancel_booking(db.session, booking.id))
    method, cancel = last_invitation(mailbox, reg.email)
    assert method == "CANCEL" and cancel[uid]["sequence"] > first
    step(lambda: services.book(db.session, visit.id, reg.id))
    rebooked = agree(uid)
    assert rebooked > cancel[uid]["sequence"]  # above the CANCEL, in the mail and in the feed

    # The organizer moves the session an hour later: the update and the feed agree again.
    db.session.refresh(visit)
    data = agenda.SessionInput(kind=visit.kind, title=visit.title, starts_at=visit.starts_at + timedelta(hours=1),
                               ends_at=visit.ends_at + timedelta(hours=1), bookable=True, capacity=5)
    step(lambda: agenda.save_session(db.session, event, data, session=visit, accept_warnings=True))
    assert agree(uid) >= rebooked

    # Moved to the other visit: the new entry there agrees too.
    active = db.session.scalar(sa.select(Booking).where(Booking.session_id == visit.id,
                                                        Booking.status == "confirmed"))
    step(lambda: services.move_booking(db.session, active.id, other.id, actor_id=None))
    agree(other_uid)
    # And back again: above the CANCEL the move sent for it.
    moved = db.session.scalar(sa.select(Booking).where(Booking.session_id == other.id,
                                                       Booking.status == "confirmed"))
    step(lambda: services.move_booking(db.session, moved.id, visit.id, actor_id=None))
    agree(uid)
