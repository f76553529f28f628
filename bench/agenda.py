"""The agenda page and the roundtable allocation.

- agenda.page_rps_ratio: requests per second of the public agenda of the 200-session event, divided by
  the bare-insert baseline (target at least 0.3).
- agenda.page_queries: SQL statements of one agenda request (the same for 10 or 200 sessions).
- roundtable.allocate_2000_s: 2,000 delegates who ranked 3 of 20 roundtables (capacity 100, at most
  12 per economy per table) allocated by the service: read the rankings, solve, write the preview.
  Target under 1 s. roundtable.first_choice_share: the share who got their first choice.
"""

from __future__ import annotations

import json
import random
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

PEOPLE = 2000
TABLES = 20


def _agenda_queries(b) -> int:
    from tests.conftest import count_queries

    with b.app.app_context():
        client = b.app.test_client()
        client.get(f"/events/{b.dataset.slug}/agenda")
        with count_queries() as q:
            client.get(f"/events/{b.dataset.slug}/agenda")
    return q.count


def _seed_roundtables(b) -> datetime:
    from eventhub.agenda.models import Session, SessionKind, SignupMode
    from eventhub.db import write_intent
    from eventhub.extensions import db
    from eventhub.registration.models import Registration, RegistrationStatus
    from eventhub.signups.models import RoundtablePreference

    ds = b.dataset
    zone = ZoneInfo(ds.timezone)
    day = ds.start_date + timedelta(days=1)
    slot = datetime(day.year, day.month, day.day, 21, 0, tzinfo=zone)  # after the generated sessions
    rng = random.Random(4)
    with b.app.app_context(), write_intent():
        s = db.session
        s.execute(sa.insert(Session), [
            {"event_id": ds.event_id, "kind": SessionKind.ROUNDTABLE, "title": f"Bench roundtable {i + 1}",
             "starts_at": slot, "ends_at": slot + timedelta(hours=1), "bookable": True, "capacity": 100,
             "signup_mode": SignupMode.PREFERENCE, "economy_cap": 12, "is_public": True}
            for i in range(TABLES)])
        tables = list(s.scalars(sa.select(Session.id).where(Session.event_id == ds.event_id,
                                                           Session.title.like("Bench roundtable %"))
                                .order_by(Session.id)))
        people = list(s.scalars(sa.select(Registration.id).where(
            Registration.event_id == ds.event_id, Registration.status == RegistrationStatus.APPROVED)
            .order_by(Registration.id).limit(PEOPLE)))
        weights = [rng.random() ** 2 + 0.05 for _ in tables]
        rows = []
        for reg_id in people:
            choices: list[int] = []
            while len(choices) < 3:
                t = rng.choices(tables, weights=weights)[0]
                if t not in choices:
                    choices.append(t)
            rows += [{"event_id": ds.event_id, "registration_id": reg_id, "session_id": t, "slot": slot,
                      "rank": r} for r, t in enumerate(choices, start=1)]
        s.execute(sa.insert(RoundtablePreference), rows)
        s.commit()
    return slot


def run(b) -> None:
    path = f"/events/{b.dataset.slug}/agenda"
    b.report_ratio("agenda.page_rps_ratio", path)
    try:
        b.report("agenda.page_queries", _agenda_queries(b))
    except ImportError:  # tests/ not shipped
        pass

    from eventhub.db import write_intent
    from eventhub.extensions import db
    from eventhub.signups import roundtables

    slot = _seed_roundtables(b)
    with b.app.app_context(), write_intent():
        started = time.perf_counter()
        run_row = roundtables.run_allocation(db.session, b.dataset.event_id, slot, actor_id=None)
        db.session.commit()
        elapsed = time.perf_counter() - started
        figures = json.loads(run_row.figures_json)
    b.report("roundtable.allocate_2000_s", round(elapsed, 3))
    b.report("roundtable.first_choice_share", figures["by_rank"][0]["share"])
