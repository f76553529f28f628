"""A small two-day event worked out by hand for the announcement tests (the `world` fixture).

    name    economy  state      sex     category  site visit          bus    checked in        ranked  meeting
    Anong   THA      approved   female  delegate  seat                Bus 1  day 1             yes     -
    Boon    THA      approved   male    head      waitlist            -      -                 -       -
    Chiyo   JPN      approved   female  speaker   seat                -      opening session   -       yes
    Daiki   JPN      submitted  male    delegate  -                   -      -                 -       yes
    Emi     JPN      cancelled  female  delegate  -                   -      -                 -       -
    Fai     THA      approved   another delegate  -                   -      day 2             -       -     (focal point)
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from eventhub.attendance.models import CheckIn
from eventhub.extensions import db
from eventhub.matching.models import MatchingProfile, Meeting, MeetingRequest, RequestStatus
from eventhub.signups.models import Booking, BookingStatus, RoundtablePreference, Vehicle


def _check_in(event, reg, day, session=None):
    db.session.add(CheckIn(event_id=event.id, registration_id=reg.id, day=day,
                           session_id=session.id if session else None, scanned_at=datetime.now(UTC), source="demo"))


@pytest.fixture
def world(make):
    event = make.event(title="Cluster Workshop", title_zh="集群研讨会", days=2)
    organizer = make.staff(event, "organizer", "organizer@example.org")
    secretariat = make.staff(event, "secretariat", "secretariat@example.org")
    focal = make.user("focal.tha@example.org")
    tha = make.delegation(event, "THA", quota=10, focal_point=focal)
    jpn = make.delegation(event, "JPN", quota=10)
    visit = make.session(event, title="Shifei Cosmetics site visit", kind="site_visit", start="13:20", end="17:00",
                         bookable=True, capacity=2)
    opening = make.session(event, title="Opening", kind="opening", start="09:00", end="09:30")
    roundtable = make.session(event, title="Biomedicine roundtable", kind="roundtable", start="10:00", end="11:00",
                              bookable=True, capacity=20, signup_mode="preference")
    people = {}
    rows = [("anong", tha, "approved", "female", "delegate", None), ("boon", tha, "approved", "male",
            "head_of_delegation", None), ("chiyo", jpn, "approved", "female", "speaker", None),
            ("daiki", jpn, "submitted", "male", "delegate", None), ("emi", jpn, "cancelled", "female", "delegate", None),
            ("fai", tha, "approved", "another", "delegate", focal)]
    for name, delegation, status, sex, category, user in rows:
        people[name] = make.registration(event, delegation, status=status, sex=sex, category=category, user=user,
                                         given_name=name.capitalize(), family_name="Test" + name.capitalize(),
                                         email=f"{name}@example.org")
    bus = Vehicle(session_id=visit.id, name="Bus 1", seats=40, taken=1)
    db.session.add(bus)
    db.session.flush()
    now = datetime.now(UTC)
    db.session.add_all([
        Booking(session_id=visit.id, registration_id=people["anong"].id, economy_id=tha.economy_id,
                status=BookingStatus.CONFIRMED, vehicle_id=bus.id),
        Booking(session_id=visit.id, registration_id=people["chiyo"].id, economy_id=jpn.economy_id,
                status=BookingStatus.CONFIRMED),
        Booking(session_id=visit.id, registration_id=people["boon"].id, economy_id=tha.economy_id,
                status=BookingStatus.WAITLISTED, waitlisted_at=now),
        RoundtablePreference(event_id=event.id, registration_id=people["anong"].id, session_id=roundtable.id,
                             slot=roundtable.starts_at, rank=1),
    ])
    visit.taken = 2
    _check_in(event, people["anong"], event.start_date)
    _check_in(event, people["chiyo"], event.start_date, opening)
    _check_in(event, people["fai"], event.start_date + timedelta(days=1))
    a = MatchingProfile(event_id=event.id, registration_id=people["chiyo"].id)
    b = MatchingProfile(event_id=event.id, registration_id=people["daiki"].id)
    db.session.add_all([a, b])
    db.session.flush()
    low, high = sorted([a.id, b.id])
    request = MeetingRequest(event_id=event.id, sender_id=a.id, receiver_id=b.id, low_id=low, high_id=high,
                             status=RequestStatus.ACCEPTED)
    db.session.add(request)
    db.session.flush()
    db.session.add(Meeting(event_id=event.id, request_id=request.id, profile_a_id=low, profile_b_id=high))
    db.session.commit()
    return SimpleNamespace(event=event, organizer=organizer, secretariat=secretariat, focal=focal, tha=tha, jpn=jpn,
                           visit=visit, opening=opening, roundtable=roundtable, bus=bus, people=people)
