"""Roundtables: deterministic across time zones, the ranking deadline, no ranking after publishing,
no placement over a confirmed seat elsewhere; booking closes when the session starts."""

import json
from datetime import UTC, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from eventhub.db import utcnow
from eventhub.errors import Conflict, DomainError
from eventhub.extensions import db
from eventhub.signups import roundtables, services
from eventhub.signups.models import Booking, BookingStatus, RoundtablePreference


def _tables(make, event, n=2, capacity=3, **kw):
    kw.setdefault("signup_closes_at", utcnow() + timedelta(days=1))
    return [make.session(event, kind="roundtable", title=f"Roundtable {i}", start="10:30", end="12:00",
                         bookable=True, capacity=capacity, signup_mode="preference", **kw)
            for i in range(n)]


def _rank_all(event, tables, regs):
    for reg in regs:  # everyone wants table 0 first: who gets it depends on the seed only
        roundtables.save_preferences(db.session, event.id, reg.id, tables[0].starts_at,
                                     [tables[0].id, tables[1].id])
    db.session.commit()


def test_same_placements_whether_the_slot_start_is_in_shanghai_or_utc(make):
    event = make.event()
    tables = _tables(make, event, capacity=5)
    regs = [make.registration(event) for _ in range(10)]
    _rank_all(event, tables, regs)
    shanghai = tables[0].starts_at.astimezone(ZoneInfo("Asia/Shanghai"))
    utc = tables[0].starts_at.astimezone(UTC)

    def placements(start):
        for t in tables:  # as the demo loader holds them: start times in the event's zone
            t.starts_at = t.starts_at.astimezone(start.tzinfo)
        run = roundtables.run_allocation(db.session, event.id, start, actor_id=None)
        return json.loads(run.result_json)["placements"]

    assert placements(shanghai) == placements(utc)


def test_ranking_deadline_defaults_to_the_start_and_is_shown(make, client, login_as):
    event = make.event()
    tables = _tables(make, event, signup_closes_at=None)
    user = make.user()
    reg = make.registration(event, user=user)
    slot = roundtables.slots(db.session, event.id)[0]
    assert slot.deadline == tables[0].starts_at
    with pytest.raises(DomainError, match="deadline"):
        roundtables.save_preferences(db.session, event.id, reg.id, slot.starts_at, [tables[0].id],
                                     now=tables[0].starts_at + timedelta(minutes=1))
    login_as(user)
    page = client.get(f"/events/{event.slug}/roundtables").get_data(as_text=True)
    assert "Ranking deadline:" in page and "10:30" in page


def test_no_ranking_after_the_allocation_is_published(make):
    event = make.event()
    tables = _tables(make, event)
    regs = [make.registration(event) for _ in range(2)]
    _rank_all(event, tables, regs)
    run = roundtables.run_allocation(db.session, event.id, tables[0].starts_at, actor_id=None)
    roundtables.publish(db.session, event.id, run.id, actor_id=None, before_deadline_ok=True)
    db.session.commit()
    late = make.registration(event)
    with pytest.raises(DomainError, match="allocated and published"):
        roundtables.save_preferences(db.session, event.id, late.id, tables[0].starts_at, [tables[1].id])
    assert db.session.scalar(sa.select(sa.func.count()).select_from(RoundtablePreference)
                             .where(RoundtablePreference.registration_id == late.id)) == 0


def test_publish_does_not_place_someone_over_a_confirmed_seat_elsewhere(make):
    event = make.event()
    tables = _tables(make, event)
    visit = make.session(event, kind="site_visit", title="Factory tour", start="10:00", end="13:00",
                         bookable=True, capacity=5)
    busy, free = make.registration(event), make.registration(event)
    _rank_all(event, tables, [busy, free])
    run = roundtables.run_allocation(db.session, event.id, tables[0].starts_at, actor_id=None)
    db.session.commit()
    assert services.book(db.session, visit.id, busy.id).confirmed  # after the preview
    db.session.commit()
    with pytest.raises(Conflict, match="Run the allocation again"):
        roundtables.publish(db.session, event.id, run.id, actor_id=None, before_deadline_ok=True)
    db.session.rollback()
    run = roundtables.run_allocation(db.session, event.id, tables[0].starts_at, actor_id=None)
    roundtables.publish(db.session, event.id, run.id, actor_id=None, before_deadline_ok=True)
    db.session.commit()
    seated = set(db.session.scalars(sa.select(Booking.registration_id).where(
        Booking.session_id.in_([t.id for t in tables]), Booking.status == BookingStatus.CONFIRMED)))
    assert seated == {free.id}


def test_booking_closes_when_the_session_starts_without_a_close(make):
    event = make.event()
    visit = make.session(event, kind="site_visit", bookable=True, capacity=5, start="14:00", end="17:00")
    reg = make.registration(event)
    with pytest.raises(DomainError, match="closed"):
        services.book(db.session, visit.id, reg.id, now=visit.starts_at + timedelta(minutes=5))
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Booking)) == 0
    assert services.book(db.session, visit.id, reg.id, now=visit.starts_at - timedelta(hours=1)).confirmed
