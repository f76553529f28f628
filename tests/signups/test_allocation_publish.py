"""Publishing the roundtable allocation: per person what they get before publishing, a warning and a
confirmation before the ranking deadline, the deadline read correctly afterwards, times with the zone."""

from datetime import timedelta

import sqlalchemy as sa

from eventhub.db import utcnow
from eventhub.extensions import db
from eventhub.signups.models import AllocationRun, Booking


def _setup(client, make, login_as, closes):
    event = make.event(timezone="Asia/Bangkok")
    tables = [make.session(event, kind="roundtable", title=f"Roundtable {name}", start="10:30", end="12:00",
                           bookable=True, capacity=2, signup_mode="preference", signup_closes_at=closes)
              for name in ("biomedicine", "new energy")]
    user = make.user()
    make.registration(event, user=user, given_name="Somchai", family_name="Jaidee")
    login_as(user)
    client.post(f"/events/{event.slug}/roundtables", data={"slot": tables[0].starts_at.isoformat(),
                                                          "choice_1": tables[1].id, "choice_2": tables[0].id})
    login_as(make.staff(event, "organizer"))
    client.post(f"/events/{event.slug}/allocation/run", data={"slot": tables[0].starts_at.isoformat()})
    return event, tables, db.session.scalar(sa.select(AllocationRun))


def test_before_the_deadline_publishing_warns_and_needs_a_second_confirmation(client, make, login_as):
    event, tables, run = _setup(client, make, login_as, closes=utcnow() + timedelta(days=2))
    page = client.get(f"/events/{event.slug}/allocation").get_data(as_text=True)
    assert "What each person will get (1 person)" in page
    assert "Somchai JAIDEE" in page and "Roundtable new energy" in page and "choice 1" in page
    assert "has not passed. Publishing now ends the ranking" in page
    assert "(Asia/Bangkok) — not yet published" in page and "(Asia/Bangkok) (still open)" in page
    response = client.post(f"/events/{event.slug}/allocation/{run.id}/publish", data={"confirm": "1"},
                           follow_redirects=True)
    assert "has not passed: publishing now ends the ranking early" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Booking)) == 0
    response = client.post(f"/events/{event.slug}/allocation/{run.id}/publish",
                           data={"confirm": "1", "before_deadline": "1"}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Published: 1 participant placed" in page
    assert "(ranking ended when the allocation was published)" in page and "(passed)" not in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Booking)) == 1


def test_after_the_deadline_one_confirmation_is_enough(client, make, login_as):
    event, tables, run = _setup(client, make, login_as, closes=utcnow() + timedelta(minutes=5))
    from eventhub.signups import roundtables

    slot = roundtables.slot_at(db.session, event.id, tables[0].starts_at)
    n = roundtables.publish(db.session, event.id, run.id, actor_id=None, now=slot.deadline + timedelta(minutes=1))
    db.session.commit()
    assert n == 1
