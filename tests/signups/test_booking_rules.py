"""The booking rules through the services: seats, waitlist, promotion, overlaps, caps, overrides."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from eventhub.db import utcnow
from eventhub.errors import Conflict, DomainError
from eventhub.extensions import db
from eventhub.mail.delivery import deliver_due
from eventhub.signups import services
from eventhub.signups.models import Booking, BookingLog, BookingStatus


def _session(make, event, **kw):
    defaults = dict(kind="site_visit", bookable=True, capacity=2, start="14:00", end="17:00")
    defaults.update(kw)
    return make.session(event, **defaults)


def _commit():
    db.session.commit()
    deliver_due(limit=500)


def _book(session, reg, **kw):
    outcome = services.book(db.session, session.id, reg.id, **kw)
    _commit()
    return outcome


def test_seats_then_waitlist_with_positions(make, mailbox):
    event = make.event()
    visit = _session(make, event, title="Shifei factory tour")
    regs = [make.registration(event) for _ in range(4)]
    outcomes = [_book(visit, r) for r in regs]
    assert [o.booking.status for o in outcomes] == ["confirmed", "confirmed", "waitlisted", "waitlisted"]
    db.session.refresh(visit)
    assert visit.taken == 2 and visit.seats_left == 0
    assert services.waitlist_position(db.session, outcomes[2].booking) == 1
    assert services.waitlist_position(db.session, outcomes[3].booking) == 2
    subjects = [m.subject for m in mailbox.messages]
    assert any("Your seat: Shifei factory tour" in s for s in subjects)
    assert any("Waitlist position 2" in s for s in subjects)


def test_double_booking_returns_the_first_booking(make):
    event = make.event()
    visit = _session(make, event)
    reg = make.registration(event)
    first = _book(visit, reg)
    second = _book(visit, reg)
    assert first.created and not second.created
    assert second.booking.id == first.booking.id
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Booking)) == 1
    db.session.refresh(visit)
    assert visit.taken == 1


@pytest.mark.parametrize("status", ["submitted", "waitlisted", "declined", "cancelled"])
def test_only_approved_registrations_book(make, status):
    event = make.event()
    visit = _session(make, event)
    reg = make.registration(event, status=status)
    with pytest.raises(DomainError, match="only approved"):
        services.book(db.session, visit.id, reg.id)
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Booking)) == 0


def test_closed_cancelled_and_unbookable_sessions_are_refused(make):
    event = make.event()
    reg = make.registration(event)
    closed = _session(make, event, signup_closes_at=utcnow() - timedelta(hours=1))
    not_yet = _session(make, event, signup_opens_at=utcnow() + timedelta(days=1), start="09:00", end="10:00")
    cancelled = _session(make, event, status="cancelled", start="11:00", end="12:00")
    plain = make.session(event, start="18:00", end="19:00")
    for session, message in ((closed, "closed"), (not_yet, "opens"), (cancelled, "cancelled"),
                             (plain, "does not take sign-ups")):
        with pytest.raises(DomainError, match=message):
            services.book(db.session, session.id, reg.id)
        db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Booking)) == 0


def test_no_two_overlapping_confirmed_bookings(make):
    event = make.event()
    reg = make.registration(event)
    morning = _session(make, event, title="Morning visit", start="09:00", end="12:00")
    clash = _session(make, event, title="Late-morning visit", start="11:00", end="13:00")
    later = _session(make, event, title="Afternoon visit", start="13:00", end="15:00")
    _book(morning, reg)
    with pytest.raises(Conflict, match="Morning visit"):
        services.book(db.session, clash.id, reg.id)
    db.session.rollback()
    assert _book(later, reg).confirmed  # back to back is fine


def test_site_visit_return_time_counts_as_busy(make):
    from eventhub.agenda.models import SiteVisit

    event = make.event()
    reg = make.registration(event)
    visit = _session(make, event, title="Seye visit", start="13:00", end="16:00")
    db.session.add(SiteVisit(session_id=visit.id, departs_at=visit.starts_at,
                             returns_at=visit.ends_at + timedelta(hours=1, minutes=30)))
    db.session.commit()
    matching = _session(make, event, kind="business_matching", title="Matching", start="17:00", end="18:00")
    _book(visit, reg)
    with pytest.raises(Conflict, match="Seye visit"):
        services.book(db.session, matching.id, reg.id)
    db.session.rollback()


def test_cancellation_promotes_first_eligible_and_mails_them(make, mailbox):
    event = make.event()
    visit = _session(make, event, capacity=1, title="Bus to Baiyun")
    other = _session(make, event, title="Parallel visit", start="14:30", end="15:30")
    holder, blocked, next_in_line = (make.registration(event) for _ in range(3))
    held = _book(visit, holder)
    _book(visit, blocked)
    _book(visit, next_in_line)
    _book(other, blocked)  # `blocked` now has a seat at the same time: not eligible for promotion
    mailbox.clear()
    services.cancel_booking(db.session, held.booking.id)
    _commit()
    statuses = dict(db.session.execute(sa.select(Booking.registration_id, Booking.status)
                                       .where(Booking.session_id == visit.id)).all())
    assert statuses[holder.id] == BookingStatus.CANCELLED
    assert statuses[blocked.id] == BookingStatus.WAITLISTED
    assert statuses[next_in_line.id] == BookingStatus.CONFIRMED
    db.session.refresh(visit)
    assert visit.taken == 1
    promoted_mail = [m for m in mailbox.to(next_in_line.email) if "you are confirmed" in m.subject]
    assert promoted_mail and promoted_mail[0].parts("text/calendar")
    assert "METHOD:REQUEST" in promoted_mail[0].parts("text/calendar")[0].get_content()
    cancel_mail = mailbox.to(holder.email)
    assert cancel_mail and "METHOD:CANCEL" in cancel_mail[0].parts("text/calendar")[0].get_content()
    actions = db.session.scalars(sa.select(BookingLog.action).order_by(BookingLog.id)).all()
    assert actions[-2:] == ["cancelled", "promoted"]


def test_cancelling_twice_frees_one_seat(make):
    event = make.event()
    visit = _session(make, event, capacity=1)
    a, b, c = (make.registration(event) for _ in range(3))
    held = _book(visit, a)
    _book(visit, b)
    _book(visit, c)
    services.cancel_booking(db.session, held.booking.id)
    services.cancel_booking(db.session, held.booking.id)
    db.session.commit()
    confirmed = db.session.scalars(sa.select(Booking.registration_id).where(
        Booking.session_id == visit.id, Booking.status == "confirmed")).all()
    assert confirmed == [b.id]


def test_economy_cap_until_a_time_then_open(make):
    event = make.event()
    tha, jpn = make.delegation(event, "THA"), make.delegation(event, "JPN")
    visit = _session(make, event, capacity=4, economy_cap=1, economy_cap_until=utcnow() + timedelta(hours=1))
    t1, t2 = make.registration(event, tha), make.registration(event, tha)
    j1 = make.registration(event, jpn)
    assert _book(visit, t1).confirmed
    second_thai = _book(visit, t2)
    assert second_thai.booking.status == BookingStatus.WAITLISTED  # Thailand's share is used up
    assert _book(visit, j1).confirmed
    db.session.refresh(visit)
    assert visit.taken == 2 and visit.seats_left == 2
    # After the cap's end the seats are open to all.
    later = utcnow() + timedelta(hours=2)
    services.fill_free_seats(db.session, visit.id, now=later)
    db.session.commit()
    db.session.refresh(second_thai.booking)
    assert second_thai.booking.status == BookingStatus.CONFIRMED


def test_staff_add_beyond_capacity_needs_reason_and_absorbs_next_seat(make):
    event = make.event()
    visit = _session(make, event, capacity=1)
    a, b, vip, w = (make.registration(event) for _ in range(4))
    held = _book(visit, a)
    with pytest.raises(Conflict, match="reason"):
        services.add_by_staff(db.session, visit.id, vip.id, "", actor_id=None)
    db.session.rollback()
    booking = services.add_by_staff(db.session, visit.id, vip.id, "Speaker at the factory", actor_id=None)
    db.session.commit()
    assert booking.status == BookingStatus.CONFIRMED and not booking.holds_seat
    assert booking.over_capacity_reason == "Speaker at the factory"
    _book(visit, w)  # waits
    services.cancel_booking(db.session, held.booking.id)
    db.session.commit()
    db.session.refresh(booking)
    db.session.refresh(visit)
    assert booking.holds_seat and visit.taken == 1
    waiting = db.session.scalar(sa.select(Booking).where(Booking.registration_id == w.id))
    assert waiting.status == BookingStatus.WAITLISTED  # the room was already over-full


def test_move_between_sessions_frees_the_seat_for_the_waitlist(make, mailbox):
    event = make.event()
    a_visit = _session(make, event, capacity=1, title="Visit A")
    b_visit = _session(make, event, capacity=1, title="Visit B")
    mover, waiting = make.registration(event), make.registration(event)
    held = _book(a_visit, mover)
    _book(a_visit, waiting)
    services.move_booking(db.session, held.booking.id, b_visit.id, actor_id=None)
    _commit()
    rows = dict(db.session.execute(sa.select(Booking.session_id, Booking.status).where(
        Booking.registration_id == mover.id, Booking.status == "confirmed")).all())
    assert rows == {b_visit.id: BookingStatus.CONFIRMED}
    assert db.session.scalar(sa.select(Booking.status).where(Booking.registration_id == waiting.id)) == "confirmed"
    assert any("Your seat: Visit B" in m.subject for m in mailbox.to(mover.email))


def test_vehicle_seats_are_limited(make):
    event = make.event()
    visit = _session(make, event, capacity=5)
    van = services.add_vehicle(db.session, visit, name="Van 1", seats=1)
    db.session.commit()
    a, b = (make.registration(event) for _ in range(2))
    ba, bb = _book(visit, a).booking, _book(visit, b).booking
    services.assign_vehicle(db.session, ba.id, van.id)
    db.session.commit()
    with pytest.raises(Conflict, match="full"):
        services.assign_vehicle(db.session, bb.id, van.id)
    db.session.rollback()
    services.cancel_booking(db.session, ba.id)
    db.session.commit()
    db.session.refresh(van)
    assert van.taken == 0


def test_when_the_economy_cap_lapses_the_waitlist_is_seated_before_newcomers(make, mailbox):
    event = make.event()
    lapse = utcnow() + timedelta(days=1)
    visit = _session(make, event, title="Shifei factory tour", capacity=2, economy_cap=1, economy_cap_until=lapse)
    first, held_back = make.registration(event, economy="THA"), make.registration(event, economy="THA")
    assert _book(visit, first).confirmed
    waiting = _book(visit, held_back)
    assert waiting.booking.status == "waitlisted"  # only because of Thailand's cap
    newcomer = make.registration(event, economy="JPN")
    late = _book(visit, newcomer, now=lapse + timedelta(minutes=1))
    db.session.refresh(waiting.booking)
    assert waiting.booking.status == "confirmed"  # the person who waited got the seat
    assert late.booking.status == "waitlisted"
    db.session.refresh(visit)
    assert visit.taken == 2
    assert any("you are confirmed: Shifei factory tour" in m.subject for m in mailbox.to(held_back.email))
