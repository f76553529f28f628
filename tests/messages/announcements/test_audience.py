"""Each audience filter, and filters combined, against the hand-built event (conftest.py)."""

from __future__ import annotations

import pytest

from eventhub.errors import DomainError
from eventhub.extensions import db
from eventhub.messages.audience import Audience, recipients, summary

NAMES = ("anong", "boon", "chiyo", "daiki", "emi", "fai")


def _names(world, **filters) -> set[str]:
    audience = Audience(**{k: (v(world) if callable(v) else v) for k, v in filters.items()})
    found = {rid for rid, _email in recipients(db.session, world.event.id, audience)}
    return {n for n in NAMES if world.people[n].id in found}


@pytest.mark.parametrize(("filters", "expected"), [
    ({}, {"anong", "boon", "chiyo", "daiki", "fai"}),  # no filter: everyone active, not the cancelled Emi
    ({"economy_ids": lambda w: [w.jpn.economy_id]}, {"chiyo", "daiki"}),
    ({"delegation_ids": lambda w: [w.tha.id]}, {"anong", "boon", "fai"}),
    ({"statuses": ["submitted", "cancelled"]}, {"daiki", "emi"}),
    ({"categories": ["head_of_delegation", "speaker"]}, {"boon", "chiyo"}),
    ({"sexes": ["female"], "sex_confirmed": True}, {"anong", "chiyo"}),
    ({"session_id": lambda w: w.visit.id}, {"anong", "chiyo"}),
    ({"session_id": lambda w: w.visit.id, "booking": "waitlisted"}, {"boon"}),
    ({"session_id": lambda w: w.visit.id, "booking": "either"}, {"anong", "boon", "chiyo"}),
    ({"vehicle_id": lambda w: w.bus.id}, {"anong"}),
    ({"checked_in": "yes"}, {"anong", "chiyo", "fai"}),
    ({"checked_in": "no"}, {"boon", "daiki"}),
    ({"checked_in": "yes", "checkin_day": lambda w: w.event.start_date.isoformat()}, {"anong"}),
    ({"checked_in": "no", "checkin_day": lambda w: w.event.start_date.isoformat()}, {"boon", "chiyo", "daiki", "fai"}),
    ({"checked_in": "yes", "checkin_session_id": lambda w: w.opening.id}, {"chiyo"}),
    ({"ranked": "yes"}, {"anong"}),
    ({"ranked": "no"}, {"boon", "chiyo", "daiki", "fai"}),
    ({"meeting": "yes"}, {"chiyo", "daiki"}),
    ({"meeting": "no"}, {"anong", "boon", "fai"}),
    ({"focal_points": True}, {"fai"}),
])
def test_each_filter(world, filters, expected):
    assert _names(world, **filters) == expected


@pytest.mark.parametrize(("filters", "expected"), [
    ({"economy_ids": lambda w: [w.tha.economy_id], "checked_in": "no"}, {"boon"}),
    ({"session_id": lambda w: w.visit.id, "sexes": ["female"], "sex_confirmed": True, "ranked": "no"}, {"chiyo"}),
    ({"delegation_ids": lambda w: [w.jpn.id], "meeting": "yes", "statuses": ["approved"]}, {"chiyo"}),
    ({"economy_ids": lambda w: [w.jpn.economy_id], "focal_points": True}, set()),
    ({"statuses": ["approved"], "checked_in": "yes", "categories": ["delegate"]}, {"anong", "fai"}),
])
def test_filters_combine(world, filters, expected):
    assert _names(world, **filters) == expected


def test_sex_is_not_a_filter_without_the_confirmation(world):
    audience = Audience(sexes=["female"])
    with pytest.raises(DomainError) as caught:
        audience.check()
    assert caught.value.field == "sex_confirmed"


def test_summary_counts_and_first_names_in_two_queries(world, query_counter):
    event_id = world.event.id
    with query_counter() as q:
        found = summary(db.session, event_id, Audience(statuses=["approved"]))
    assert q.count == 2
    assert (found.matching, found.opted_out, found.recipients) == (4, 0, 4)
    assert found.names == ["Anong", "Boon", "Chiyo", "Fai"]  # family-name order: TestAnong, TestBoon, …
