"""A registration that ends (cancelled, declined, replaced) frees the person's site-visit seats at once:
the first waitlisted person of the visit gets the seat and is e-mailed, in the same transaction."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from eventhub.extensions import db
from eventhub.mail.delivery import deliver_due
from eventhub.registration import services
from eventhub.signups import services as signups
from eventhub.signups.models import Booking, BookingStatus
from tests.registration.conftest import details


def full_visit_with_waitlist(make, world):
    """A site visit with one seat: `holder` has it, `waiting` is first on its waitlist."""
    visit = make.session(world.event, kind="site_visit", bookable=True, capacity=1, start="14:00", end="17:00",
                         title="Shifei factory tour")
    holder = make.registration(world.event, world.thailand, email="holder@example.org", given_name="Holder")
    waiting = make.registration(world.event, world.viet_nam, email="waiting@example.org", given_name="Waiting")
    assert signups.book(db.session, visit.id, holder.id).confirmed
    assert not signups.book(db.session, visit.id, waiting.id).confirmed
    db.session.commit()
    deliver_due()
    return visit, holder, waiting


def status_of(visit, reg):
    return db.session.scalar(sa.select(Booking.status).where(Booking.session_id == visit.id,
                                                              Booking.registration_id == reg.id)
                             .order_by(Booking.id.desc()).limit(1))


@pytest.mark.parametrize("how", ["delegate", "focal point", "secretariat", "declined", "substituted"])
def test_ending_a_registration_frees_its_seat_for_the_waitlist(make, world, mailbox, how):
    visit, holder, waiting = full_visit_with_waitlist(make, world)
    mailbox.clear()
    if how == "delegate":
        services.cancel(db.session, holder, actor=holder.user)
    elif how == "focal point":
        services.cancel(db.session, holder, actor=world.focal)
    elif how == "secretariat":
        services.cancel(db.session, holder, actor=world.secretariat)
    elif how == "declined":
        services.decline(db.session, holder, actor=world.secretariat, reason="not eligible")
    else:
        services.substitute(db.session, holder, email="sub@example.org", details=details(given_name="Sub"),
                            actor=world.focal)
    db.session.commit()
    deliver_due()
    assert status_of(visit, holder) == BookingStatus.CANCELLED
    assert status_of(visit, waiting) == BookingStatus.CONFIRMED
    db.session.refresh(visit)
    assert visit.taken == 1  # the freed seat went to the waitlisted person, not lost, not doubled
    assert any("Shifei factory tour" in m.subject for m in mailbox.to("waiting@example.org"))


def test_declining_an_approved_person_gives_their_place_to_the_delegation_waitlist(make, world):
    first = make.registration(world.event, world.thailand)
    make.registration(world.event, world.thailand)
    queued = make.registration(world.event, world.thailand, status="waitlisted")
    services.decline(db.session, first, actor=world.secretariat)
    db.session.commit()
    db.session.refresh(queued)
    assert queued.status.value == "approved"
