"""The large event of `make bench`: 21 economies, 10,000 registrations, 200 sessions.

Rows go in with bulk INSERTs; modules that need more (bookings, check-ins) add their own.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

REGISTRATIONS = 10_000
SESSIONS = 200
DAYS = 3
ORGANIZER = ("bench-organizer@example.org", "bench-password-123")


@dataclass
class Dataset:
    event_id: int
    slug: str
    timezone: str
    start_date: date
    organizer: tuple[str, str]
    economy_ids: list[int] = field(default_factory=list)
    delegation_ids: list[int] = field(default_factory=list)
    registration_ids: list[int] = field(default_factory=list)
    session_ids: list[int] = field(default_factory=list)
    room_ids: list[int] = field(default_factory=list)


def build(app, seed: int = 2025) -> Dataset:
    from eventhub.accounts.models import EventRole, EventRoleKind, User
    from eventhub.agenda.models import Session, SessionKind
    from eventhub.db import write_intent
    from eventhub.economies.models import Economy, EconomyKind
    from eventhub.economies.services import load_reference_data
    from eventhub.events.models import Event, EventStatus, Room
    from eventhub.extensions import db
    from eventhub.registration.models import (
        Category,
        Delegation,
        Funding,
        Registration,
        RegistrationStatus,
        Sex,
        new_token,
    )

    rng = random.Random(seed)
    zone = ZoneInfo("Asia/Shanghai")
    start = date(2030, 6, 24)
    with app.app_context(), write_intent():
        session = db.session
        load_reference_data(session)
        organizer = User(email=ORGANIZER[0], name="Bench Organizer")
        organizer.set_password(ORGANIZER[1])
        event = Event(slug="bench-workshop", title="Bench Workshop on SME Cluster Development", timezone="Asia/Shanghai",
                      start_date=start, end_date=start + timedelta(days=DAYS - 1), status=EventStatus.PUBLISHED,
                      city="Guangzhou", venue="Convention Centre", default_quota=1000, approval_required=True,
                      description="A generated event for benchmarks.")
        session.add_all([organizer, event])
        session.flush()
        session.add(EventRole(event_id=event.id, user_id=organizer.id, role=EventRoleKind.ORGANIZER))
        rooms = [Room(event_id=event.id, name=f"Room {i + 1}", capacity=60) for i in range(8)]
        session.add_all(rooms)
        economies = session.scalars(sa.select(Economy).where(Economy.kind == EconomyKind.MEMBER)
                                    .order_by(Economy.sort_key)).all()
        delegations = [Delegation(event_id=event.id, economy_id=e.id, quota=1000) for e in economies]
        session.add_all(delegations)
        session.flush()

        rows = []
        taken = {d.id: 0 for d in delegations}
        for i in range(REGISTRATIONS):
            delegation = delegations[i % len(delegations)]
            status = RegistrationStatus.APPROVED if i % 10 else RegistrationStatus.SUBMITTED
            if status == RegistrationStatus.APPROVED:
                taken[delegation.id] += 1
            rows.append({
                "event_id": event.id, "delegation_id": delegation.id, "economy_id": delegation.economy_id,
                "email": f"participant{i}@bench.example.org", "given_name": f"Given{i}",
                "family_name": rng.choice(["Chen", "Nguyen", "Tanaka", "Kim", "Smith", "Santos", "Wong", "Lee"]),
                "name_local": rng.choice(["", "陈伟", "สมชาย ใจดี", "Nguyễn Văn An", "김민준"]),
                "sex": rng.choice(list(Sex)), "category": rng.choice(list(Category)),
                "funding": rng.choice(list(Funding)), "status": status, "organisation": "Bench SME Agency",
                "consent_list": bool(i % 3), "confirm_token": new_token(), "calendar_token": new_token(),
            })
        session.execute(sa.insert(Registration), rows)
        for delegation in delegations:
            delegation.taken = taken[delegation.id]

        session_rows = []
        kinds = [SessionKind.PRESENTATION, SessionKind.PANEL, SessionKind.ROUNDTABLE, SessionKind.SITE_VISIT]
        for i in range(SESSIONS):
            day = start + timedelta(days=i % DAYS)
            slot = (i // DAYS) % 8
            room = rooms[(i // (DAYS * 8)) % len(rooms)]
            begins = datetime(day.year, day.month, day.day, 8 + slot, 0, tzinfo=zone)
            session_rows.append({
                "event_id": event.id, "kind": kinds[i % len(kinds)], "title": f"Session {i + 1}: cluster topic",
                "description": "Generated for the benchmark.", "starts_at": begins,
                "ends_at": begins + timedelta(minutes=50), "room_id": room.id, "is_public": True,
                "bookable": i % 4 == 3, "capacity": 40 if i % 4 == 3 else None,
            })
        session.execute(sa.insert(Session), session_rows)
        session.commit()

        dataset = Dataset(
            event_id=event.id, slug=event.slug, timezone=event.timezone, start_date=start, organizer=ORGANIZER,
            economy_ids=[e.id for e in economies], delegation_ids=[d.id for d in delegations],
            registration_ids=list(session.scalars(sa.select(Registration.id).where(
                Registration.event_id == event.id).order_by(Registration.id))),
            session_ids=list(session.scalars(sa.select(Session.id).where(
                Session.event_id == event.id).order_by(Session.id))),
            room_ids=[r.id for r in rooms],
        )
    return dataset
