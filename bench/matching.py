"""Business matching on the bench event: 400 participants, 1,500 accepted requests, two
business-matching sessions of 16 slots × 60 tables each (1,920 places: 1,500 meetings cannot fit
in one session's 960).

The meetings are made from a planted schedule (every meeting in a slot where both people are free,
at most 60 per slot), which is then hidden: all meetings start unscheduled, and the re-optimisation
must find a schedule as good.

- matching.schedule_s: the organizer's re-optimisation (scheduling.propose: read, solve, write the
  proposal) in seconds. Target under 2 s.
- matching.scheduled_share: meetings placed ÷ accepted. Target at least 0.98.
- matching.catalogue_rps_ratio: a participant's catalogue page (suggestions included) beside the
  bare endpoint. Target at least 0.3.
- matching.accept_rps_ratio: participants accepting requests (each accept places the meeting at
  once in the earliest free slot and table; one unlisted accepter per load thread and round, each
  with 200 waiting requests) beside the bare endpoint. Target at least 0.2.
"""

from __future__ import annotations

import random
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

PARTICIPANTS = 400
MEETINGS = 1_500
TABLES = 60
SLOTS = 16
SESSIONS = 2
ROUNDS = 3
RECEIVERS = 8 * ROUNDS  # one accepting participant per load thread and round: each accept can be placed
SENDERS = 200  # each receiver has a waiting request from each sender
PASSWORD = "bench-matching-password"
SECTORS = ["Cosmetics", "Biomedicine", "Petrochemicals", "New energy", "New materials", "Packaging",
           "Logistics", "Food processing", "Electronics", "Textiles"]
TYPES = ["supplier", "buyer", "investment", "technology_transfer", "distribution", "joint_research",
         "policy_exchange"]


def _planted(rng: random.Random, people: list[int], slots: int, meetings: int) -> list[tuple[int, int, int]]:
    """(slot index, a, b) for `meetings` distinct pairs, at most TABLES per slot, nobody twice in a slot."""
    per_slot = [meetings // slots + (1 if i < meetings % slots else 0) for i in range(slots)]
    seen: set[tuple[int, int]] = set()
    planted = []
    for slot, wanted in enumerate(per_slot):
        order = people[:]
        rng.shuffle(order)
        placed = 0
        for a, b in zip(order[::2], order[1::2], strict=False):
            pair = (min(a, b), max(a, b))
            if pair in seen:
                continue
            seen.add(pair)
            planted.append((slot, *pair))
            placed += 1
            if placed == wanted:
                break
    return planted


def _seed(b) -> dict:
    from werkzeug.security import generate_password_hash

    from eventhub.accounts.models import User
    from eventhub.agenda.models import Session, SessionKind
    from eventhub.db import utcnow, write_intent
    from eventhub.extensions import db
    from eventhub.matching import participants, scheduling
    from eventhub.matching.models import (
        MatchingProfile,
        Meeting,
        MeetingRequest,
        RequestStatus,
        Unavailability,
        pack,
    )
    from eventhub.registration.models import Registration, RegistrationStatus

    rng = random.Random(15)
    ds = b.dataset
    zone = ZoneInfo(ds.timezone)
    with b.app.app_context(), write_intent():
        s = db.session
        regs = list(s.execute(sa.select(Registration.id, Registration.category).where(
            Registration.event_id == ds.event_id, Registration.status == RegistrationStatus.APPROVED)
            .order_by(Registration.id)).all())
        participants.save_settings(
            s, ds.event_id, enabled=True, categories=sorted({c.value for _, c in regs}), sectors=SECTORS,
            open_request_limit=500, requests_close_at=None)
        chosen = [r for r, _ in regs[:PARTICIPANTS + RECEIVERS]]
        now = utcnow()
        s.execute(sa.insert(MatchingProfile), [{
            "event_id": ds.event_id, "registration_id": reg_id, "organisation": f"Bench firm {i}",
            "sectors": pack(rng.sample(SECTORS, 2)), "cluster_name": f"Cluster {i % 12}", "cluster_location": "",
            "offers": f"{rng.choice(SECTORS).lower()} products and services for partners",
            "seeks": f"{rng.choice(SECTORS).lower()} buyers and technology", "offer_types": pack(rng.sample(TYPES, 2)),
            "seek_types": pack(rng.sample(TYPES, 2)), "languages": ",en,", "listed": i < PARTICIPANTS,
            "created_at": now, "updated_at": now} for i, reg_id in enumerate(chosen)])
        profile_of = dict(s.execute(sa.select(MatchingProfile.registration_id, MatchingProfile.id).where(
            MatchingProfile.event_id == ds.event_id)).all())
        people = [profile_of[r] for r in chosen[:PARTICIPANTS]]
        accepters = [profile_of[r] for r in chosen[PARTICIPANTS:]]

        day = ds.start_date + timedelta(days=1)
        slot_ids = []
        for n in range(SESSIONS):
            start = datetime(day.year, day.month, day.day, 9 + 5 * n, 0, tzinfo=zone)
            session = Session(event_id=ds.event_id, kind=SessionKind.BUSINESS_MATCHING,
                              title=f"Bench business matching {n + 1}", starts_at=start,
                              ends_at=start + timedelta(minutes=20 * SLOTS))
            s.add(session)
            s.flush()
            setup = scheduling.configure_session(s, session, meeting_minutes=15, break_minutes=5,
                                                 table_names=[f"Table {t}" for t in range(1, TABLES + 1)])
            s.refresh(setup)
            slot_ids += [slot.id for slot in setup.slots]
        planted = _planted(rng, people, len(slot_ids), MEETINGS)
        # Each person cannot meet in two slots the planted schedule leaves them free in: the
        # solver has to respect it, and the planted schedule still holds every meeting.
        busy = {(p, slot_ids[k]) for k, a, b2 in planted for p in (a, b2)}
        blocked = set()
        for p in people:
            free = [sl for sl in slot_ids if (p, sl) not in busy]
            blocked |= {(p, sl) for sl in rng.sample(free, min(2, len(free)))}
        s.execute(sa.insert(Unavailability), [{"profile_id": p, "slot_id": sl} for p, sl in sorted(blocked)])
        s.execute(sa.insert(MeetingRequest), [{
            "event_id": ds.event_id, "sender_id": a, "receiver_id": b2, "low_id": a, "high_id": b2, "message": "",
            "status": RequestStatus.ACCEPTED.value, "decline_reason": "", "answered_at": now,
            "created_at": now, "updated_at": now} for _k, a, b2 in planted])
        request_of = {(lo, hi): rid for lo, hi, rid in s.execute(sa.select(
            MeetingRequest.low_id, MeetingRequest.high_id, MeetingRequest.id).where(
            MeetingRequest.event_id == ds.event_id))}
        s.execute(sa.insert(Meeting), [{
            "event_id": ds.event_id, "request_id": request_of[(a, b2)], "profile_a_id": a, "profile_b_id": b2,
            "created_at": now, "updated_at": now} for _k, a, b2 in planted])

        # The accepting participants: requests waiting from senders outside the catalogue.
        extra = [r for r, _ in regs[PARTICIPANTS + RECEIVERS:PARTICIPANTS + RECEIVERS + SENDERS]]
        s.execute(sa.insert(MatchingProfile), [{
            "event_id": ds.event_id, "registration_id": reg_id, "organisation": f"Bench sender {i}",
            "sectors": "", "cluster_name": "", "cluster_location": "", "offers": "", "seeks": "",
            "offer_types": "", "seek_types": "", "languages": "", "listed": False,
            "created_at": now, "updated_at": now} for i, reg_id in enumerate(extra)])
        senders = list(s.scalars(sa.select(MatchingProfile.id).where(
            MatchingProfile.event_id == ds.event_id, MatchingProfile.registration_id.in_(extra))
            .order_by(MatchingProfile.id)))
        s.execute(sa.insert(MeetingRequest), [{
            "event_id": ds.event_id, "sender_id": p, "receiver_id": r, "low_id": min(p, r),
            "high_id": max(p, r), "message": "", "status": RequestStatus.PENDING.value,
            "decline_reason": "", "created_at": now, "updated_at": now} for r in accepters for p in senders])
        pending = {r: list(s.scalars(sa.select(MeetingRequest.id).where(
            MeetingRequest.receiver_id == r, MeetingRequest.status == RequestStatus.PENDING)
            .order_by(MeetingRequest.id))) for r in accepters}

        hashed = generate_password_hash(PASSWORD, method="scrypt")
        users = {}
        keyed = [("viewer", chosen[0])] + [(f"accepter{i}", reg) for i, reg in enumerate(chosen[PARTICIPANTS:])]
        for key, reg_id in keyed:
            user = User(email=f"matching-{key}@bench.example.org", name=key, password_hash=hashed,
                        password_version=1)
            s.add(user)
            s.flush()
            s.execute(sa.update(Registration).where(Registration.id == reg_id).values(user_id=user.id))
            users[key] = user.email
        s.commit()
        return {"users": users, "pending": [pending[r] for r in accepters]}


def run(b) -> None:
    from eventhub.db import write_intent
    from eventhub.extensions import db
    from eventhub.matching import scheduling
    from eventhub.matching.models import Meeting

    seeded = _seed(b)
    ds = b.dataset
    with b.app.app_context(), write_intent():
        started = time.perf_counter()
        figures = scheduling.propose(db.session, ds.event_id, move_published=False)
        elapsed = time.perf_counter() - started
        db.session.commit()
    b.report("matching.schedule_s", round(elapsed, 2))
    b.report("matching.scheduled_share", round(figures.placed / figures.accepted, 3) if figures.accepted else 0)
    print(f"# matching: {figures.placed} of {figures.accepted} meetings placed, {figures.cross_economy} between "
          f"different economies, optimal: {figures.optimal}", flush=True)
    with b.app.app_context(), write_intent():
        scheduling.publish(db.session, ds.event_id)
        db.session.commit()

    slug = ds.slug
    viewer = b.login(seeded["users"]["viewer"], PASSWORD)
    b.report_ratio("matching.catalogue_rps_ratio", f"/events/{slug}/matching", headers=viewer)

    accepters = []
    for i, queue in enumerate(seeded["pending"]):
        headers = b.login(seeded["users"][f"accepter{i}"], PASSWORD)
        accepters.append((headers, b.csrf_token(headers, f"/events/{slug}/matching/requests"), iter(queue)))
    _accept_ratio(b, slug, accepters)
    with b.app.app_context():
        placed = db.session.scalar(sa.select(sa.func.count()).select_from(Meeting).where(
            Meeting.event_id == ds.event_id, Meeting.slot_id.is_not(None)))
    print(f"# matching: {placed} meetings scheduled after the accepts", flush=True)


def _accept_ratio(b, slug: str, accepters: list) -> None:
    """Like Bench.report_ratio, but each load thread accepts its own participant's waiting requests
    (a person meets once per slot: one accepter per thread and round keeps every accept placeable)."""
    from bench.harness import CONCURRENCY, load

    ratios = []
    for n in range(ROUNDS):
        load(b.bare_url, "/bare", seconds=1, concurrency=CONCURRENCY)
        bare = load(b.bare_url, "/bare", concurrency=CONCURRENCY).rps
        result = _load_accepts(b.base_url, slug, accepters[n * CONCURRENCY:(n + 1) * CONCURRENCY])
        ratios.append(result / bare if bare else 0.0)
    b.report_rounds("matching.accept_rps_ratio", ratios)


def _load_accepts(base_url: str, slug: str, accepters: list) -> float:
    import http.client
    import threading
    from urllib.parse import urlsplit

    from bench.harness import SECONDS

    host = urlsplit(base_url)
    lock = threading.Lock()
    done = [0]
    stop_at = time.monotonic() + SECONDS
    barrier = threading.Barrier(len(accepters))

    def worker(headers: dict, token: str, queue) -> None:
        conn = http.client.HTTPConnection(host.hostname, host.port, timeout=30)
        body = f"csrf_token={token}".encode()
        barrier.wait()
        while time.monotonic() < stop_at:
            request_id = next(queue, None)
            if request_id is None:
                break
            conn.request("POST", f"/events/{slug}/matching/requests/{request_id}/accept", body=body,
                         headers={**headers, "Content-Type": "application/x-www-form-urlencoded"})
            response = conn.getresponse()
            response.read()
            if response.status == 302:
                with lock:
                    done[0] += 1
        conn.close()

    threads = [threading.Thread(target=worker, args=a) for a in accepters]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return done[0] / (time.monotonic() - started)
