"""The staff list's stamp: database triggers change it on every change the list shows, whoever writes."""

from __future__ import annotations

import sqlalchemy as sa

from eventhub.extensions import db
from eventhub.registration.list_stamps import list_stamp
from eventhub.registration.models import Registration
from tests.conftest import ON_POSTGRES


def stamp(event) -> int:
    db.session.rollback()  # a fresh snapshot: what other transactions committed
    value = list_stamp(db.session.connection(), event.id)
    db.session.rollback()
    return value


def changes(event, write) -> bool:
    before = stamp(event)
    write()
    db.session.commit()
    return stamp(event) != before


def test_every_kind_of_write_to_registrations_and_delegations_changes_the_stamp(world, make):
    other = make.event(slug="another-workshop")
    make.delegation(other, "PRC", quota=3)
    db.session.commit()
    other_before = stamp(other)
    reg = make.registration(world.event, world.thailand, given_name="Somchai", family_name="Jaidee")
    assert stamp(world.event) != 0

    def orm_edit():
        db.session.get(Registration, reg.id).organisation = "Office of SME Promotion"

    assert changes(world.event, orm_edit)
    assert changes(world.event, lambda: db.session.execute(
        sa.update(Registration).where(Registration.id == reg.id).values(position="Director")))
    # Raw SQL, as another program or a database console would write it.
    assert changes(world.event, lambda: db.session.execute(
        sa.text("UPDATE registrations SET status = 'approved' WHERE id = :id"), {"id": reg.id}))
    assert changes(world.event, lambda: make.delegation(world.event, "ROK", quota=2))
    assert changes(world.event, lambda: db.session.execute(sa.delete(Registration).where(Registration.id == reg.id)))
    # An economy's name shows in every event's list.
    assert changes(world.event, lambda: db.session.execute(
        sa.text("UPDATE economies SET name = 'Kingdom of Thailand' WHERE code = 'THA'")))
    assert stamp(other) != other_before
    # Nothing in the other event's registrations or delegations changed since.
    settled = stamp(other)
    make.registration(world.event, world.viet_nam)
    assert stamp(other) == settled


def test_the_stamp_changes_when_the_change_is_committed_not_before(world, make):
    reg = make.registration(world.event, world.thailand)
    before = stamp(world.event)
    db.session.execute(sa.update(Registration).where(Registration.id == reg.id).values(organisation="Changed"))
    with db.engine.connect() as other:  # another worker, reading meanwhile
        assert list_stamp(other, world.event.id) == before
    db.session.rollback()
    assert stamp(world.event) == before  # rolled back: nothing changed
    if ON_POSTGRES:  # the trigger runs at COMMIT there (see list_stamps.py)
        db.session.execute(sa.update(Registration).where(Registration.id == reg.id).values(organisation="Changed"))
        assert list_stamp(db.session.connection(), world.event.id) == before
        db.session.commit()
        assert stamp(world.event) != before


def test_a_registration_moved_to_another_event_changes_both_stamps(world, make):
    other = make.event(slug="another-workshop")
    make.delegation(other, "PRC", quota=3)
    reg = make.registration(world.event, world.thailand)
    before = stamp(world.event), stamp(other)
    assert changes(world.event, lambda: db.session.execute(
        sa.text("UPDATE registrations SET event_id = :to, delegation_id = NULL WHERE id = :id"),
        {"to": other.id, "id": reg.id}))
    assert stamp(other) != before[1]


def test_an_event_without_a_stamp_has_no_kept_list(client, make, login_as, query_counter):
    event = make.event(slug="empty-workshop")
    staff = make.staff(event, "secretariat", "sec@example.org")
    assert stamp(event) is None
    login_as(staff)
    url = f"/events/{event.slug}/registrations/"
    counts = []
    for _ in range(2):
        with query_counter() as q:
            assert "No registrations" in client.get(url).get_data(as_text=True)
        counts.append(q.count)
    assert counts[0] == counts[1]  # counted again: nothing was kept under a missing stamp
