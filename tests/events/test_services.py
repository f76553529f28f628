"""Unit tests of the event services: plain functions, called directly."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from eventhub.accounts.models import EventRole
from eventhub.errors import Conflict, DomainError
from eventhub.events import rooms, services
from eventhub.events.models import Event, EventStatus, RoomKind
from eventhub.extensions import db


def fields(**overrides) -> services.EventFields:
    data = {"title": "  Workshop  ", "slug": "Workshop-2026", "timezone": "Asia/Bangkok",
            "start_date": date(2026, 8, 3), "end_date": date(2026, 8, 4)}
    data.update(overrides)
    return services.EventFields(**data)


def test_create_event_cleans_input_and_makes_the_creator_organizer(make):
    creator = make.user()
    event = services.create_event(db.session, fields(registration_opens_local=datetime(2026, 6, 1, 8, 0)),
                                  creator=creator)
    db.session.commit()
    assert (event.title, event.slug, event.status) == ("Workshop", "workshop-2026", EventStatus.DRAFT)
    assert event.registration_opens_at == datetime(2026, 6, 1, 1, 0, tzinfo=UTC)  # Bangkok is UTC+7
    role = db.session.scalar(sa.select(EventRole).where(EventRole.event_id == event.id))
    assert role.user_id == creator.id and role.role.value == "organizer"


@pytest.mark.parametrize(("overrides", "field"), [
    ({"title": " "}, "title"),
    ({"slug": "-bad-"}, "slug"),
    ({"slug": "new"}, "slug"),
    ({"timezone": "Mars/Olympus_Mons"}, "timezone"),
    ({"timezone": ""}, "timezone"),
    ({"end_date": date(2026, 8, 1)}, "end_date"),
    ({"default_quota": -1}, "default_quota"),
    ({"contact_email": "no-at-sign"}, "contact_email"),
    ({"venue": "v" * 301}, "venue"),
    ({"registration_opens_local": datetime(2026, 6, 2), "registration_closes_local": datetime(2026, 6, 1)},
     "registration_closes_local"),
    ({"host_economy_id": 987654}, "host_economy_id"),
])
def test_create_event_refuses_bad_input_naming_the_field(make, overrides, field):
    with pytest.raises(DomainError) as info:
        services.create_event(db.session, fields(**overrides), creator=make.user())
    assert info.value.field == field
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Event)) == 0


def test_duplicate_slug_is_a_conflict(make):
    make.event(slug="workshop-2026")
    with pytest.raises(Conflict) as info:
        services.create_event(db.session, fields(), creator=make.user())
    assert info.value.field == "slug"


def test_local_to_utc_refuses_times_that_do_not_exist_and_takes_the_first_of_repeated_ones():
    new_york = ZoneInfo("America/New_York")
    with pytest.raises(DomainError):
        services.local_to_utc(datetime(2026, 3, 8, 2, 30), new_york)
    # 01:30 happens twice on 1 November 2026; the first (daylight time, UTC-4) is taken.
    assert services.local_to_utc(datetime(2026, 11, 1, 1, 30), new_york) == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)


def test_timezone_names_are_iana_names():
    names = services.timezone_names()
    assert "Asia/Shanghai" in names and "America/Lima" in names and "UTC" in names
    assert all("/" in n or n == "UTC" for n in names)


def test_default_quota_follows_to_delegations_not_set_by_hand(make):
    event = make.event(default_quota=4)
    services.invite_economies(db.session, event, [make.economy("THA").id, make.economy("PE").id])
    [jpn] = services.invite_economies(db.session, event, [make.economy("JPN").id], quota=9)
    assert jpn.quota_overridden
    changed = services.set_default_quota(db.session, event, 6)
    db.session.commit()
    assert changed == 2
    quotas = {d.economy.code: d.quota for d in event.delegations}
    assert quotas == {"THA": 6, "PE": 6, "JPN": 9}


def test_inviting_twice_is_a_conflict(make):
    event = make.event()
    tha = make.economy("THA")
    services.invite_economies(db.session, event, [tha.id])
    with pytest.raises(Conflict, match="Already invited: Thailand"):
        services.invite_economies(db.session, event, [tha.id])


def test_rooms_names_are_unique_per_event_ignoring_case(make):
    event, other = make.event(), make.event()
    rooms.add_room(db.session, event, rooms.RoomFields(name="Hall A", capacity=100))
    rooms.add_room(db.session, other, rooms.RoomFields(name="Hall A"))
    with pytest.raises(Conflict):
        rooms.add_room(db.session, event, rooms.RoomFields(name="HALL A", kind=RoomKind.OFFSITE))
