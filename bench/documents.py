"""Documents and the completion report on the large event.

- certificates.bulk_500_s: 500 certificates of attendance as one PDF (references given in one
  INSERT batch, then one WeasyPrint rendering of all the pages), in seconds, in-process. Target
  under 20 s. The pages are drawn in chunks on up to four cores (eventhub/documents/bulk_pdf.py);
  certificates.bulk_500_cpu_s is the CPU time of the same work, all processes together (on a busy
  machine the wall time says more about the neighbours).
- report.completion_ms: median time of GET /events/<slug>/reports/completion (the whole page: the
  pack's GROUP BY, per day, per session, totals, tables and SVG charts) for 10,000 registrations and
  100,000 check-ins, served by gunicorn; report.completion_builder_ms is the pack's builder alone.
- report.completion_plain_sql_ms: the same figures by hand-written SQL GROUP BY queries through a
  bare connection; report.completion_ratio = completion_ms ÷ completion_plain_sql_ms, target at most 2.

The check-ins are the attendance module's (it runs first in `make bench`); run alone, this module
adds the same number in the same shape. 400 session speakers (200 sessions × 2) are added so the
speaker test of the pack has rows to find.
"""

from __future__ import annotations

import io
import os
import statistics
import time
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

CHECKINS = 100_000
CERTIFICATES = 500
RUNS = 9


def _seed(b) -> None:
    from eventhub.agenda.models import Session, SessionSpeaker
    from eventhub.attendance.models import CheckIn
    from eventhub.db import write_intent
    from eventhub.events.models import Event
    from eventhub.extensions import db

    ds = b.dataset
    with b.app.app_context(), write_intent():
        s = db.session
        event = s.get(Event, ds.event_id)
        sessions = s.execute(sa.select(Session.id, Session.starts_at).where(Session.event_id == event.id)
                             .order_by(Session.id)).all()
        if not s.scalar(sa.select(sa.func.count()).select_from(SessionSpeaker)):
            regs = ds.registration_ids
            s.execute(sa.insert(SessionSpeaker), [
                {"session_id": sid, "registration_id": regs[(i * 37 + k) % len(regs)], "position": k}
                for i, (sid, _starts) in enumerate(sessions) for k in range(2)])
        have = s.scalar(sa.select(sa.func.count()).select_from(CheckIn).where(CheckIn.event_id == event.id))
        if have < CHECKINS:
            day_of = {sid: starts.astimezone(event.tz).date() for sid, starts in sessions}
            days = [event.start_date + timedelta(days=d) for d in range((event.end_date - event.start_date).days + 1)]
            scanned = datetime(event.start_date.year, event.start_date.month, event.start_date.day, 1, tzinfo=UTC)
            rows = []
            for i, rid in enumerate(ds.registration_ids):
                for d, day in enumerate(days):
                    if (i + d) % 7:
                        rows.append({"event_id": event.id, "registration_id": rid, "day": day, "session_id": None,
                                     "scanned_at": scanned, "recorded_at": scanned, "source": "desk", "desk": "",
                                     "undone_at": scanned if i % 97 == 0 else None})
            k = 0
            while len(rows) < CHECKINS:
                for i, rid in enumerate(ds.registration_ids):
                    sid = sessions[(i * 7 + k * 13) % len(sessions)][0]
                    rows.append({"event_id": event.id, "registration_id": rid, "day": day_of[sid], "session_id": sid,
                                 "scanned_at": scanned, "recorded_at": scanned, "source": "api", "desk": "",
                                 "undone_at": None})
                    if len(rows) >= CHECKINS:
                        break
                k += 1
            for start in range(0, len(rows), 10_000):
                s.execute(sa.insert(CheckIn), rows[start:start + 10_000])
        s.commit()
        with db.engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE")
            conn.commit()


def _cpu() -> float:
    """CPU seconds of this process and of its finished children (the processes drawing the chunks)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def _certificates(b) -> float:
    from eventhub.db import write_intent
    from eventhub.documents import certificates, letters
    from eventhub.documents.pdf import certificates_pdf
    from eventhub.events.models import Event
    from eventhub.extensions import db
    from eventhub.i18n import localized

    with b.app.test_request_context(), write_intent():
        event = db.session.get(Event, b.dataset.event_id)
        settings = letters.settings_for(db.session, event)
        started, cpu = time.perf_counter(), _cpu()
        people = certificates.eligible(db.session, event, settings.certificate_rule,
                                       b.dataset.registration_ids[:CERTIFICATES + 100])[:CERTIFICATES]
        items = certificates.certificates_for(db.session, event, people, actor=None, with_sessions=True,
                                              localized=localized)
        db.session.commit()
        pdf = certificates_pdf(event, settings, items)
        took = time.perf_counter() - started
        # On a busy machine the wall time says more about the neighbours: the CPU time beside it.
        b.report("certificates.bulk_500_cpu_s", round(_cpu() - cpu, 2))
    from pypdf import PdfReader  # a test extra, which `make bench` installs

    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    if len(items) != CERTIFICATES:
        b.failures.append(f"certificates: {len(items)} people attended, not {CERTIFICATES}")
    b.report("certificates.bulk_500_pages", pages)
    return took


_CAME = "EXISTS (SELECT 1 FROM checkins c WHERE c.registration_id = r.id AND c.undone_at IS NULL)"
_SPEAKER = """(r.category IN ('speaker', 'moderator') OR EXISTS (SELECT 1 FROM session_speakers ss
                JOIN sessions s ON s.id = ss.session_id
                WHERE ss.registration_id = r.id AND s.event_id = :e AND s.status = 'scheduled'))"""

# The pack's figures written by hand: the best plain SQL, run through a bare connection.
PLAIN_SQL = [
    f"""SELECT x.id, x.name, x.kind, t.economy_id, p.sex, p.category, p.funding, p.speaker,
              sum(p.came), sum(p.approved)
       FROM (SELECT r.economy_id, r.sex, r.category, r.funding,
                    CASE WHEN {_SPEAKER} THEN 1 ELSE 0 END AS speaker,
                    CASE WHEN {_CAME} THEN 1 ELSE 0 END AS came,
                    CASE WHEN r.status = 'approved' THEN 1 ELSE 0 END AS approved
             FROM registrations r WHERE r.event_id = :e) p
       JOIN economies x ON x.id = p.economy_id
       LEFT JOIN (SELECT DISTINCT economy_id FROM travel_eligibility
                  WHERE effective_from <= :end AND (effective_to IS NULL OR effective_to >= :start)) t
         ON t.economy_id = x.id
       GROUP BY x.id, x.name, x.kind, x.sort_key, t.economy_id, p.sex, p.category, p.funding, p.speaker
       ORDER BY x.sort_key""",
    """SELECT (SELECT count(*) FROM economies WHERE kind = 'member' AND active),
              (SELECT count(*) FROM session_speakers ss JOIN sessions s ON s.id = ss.session_id
               WHERE s.event_id = :e AND s.status = 'scheduled' AND ss.registration_id IS NULL)""",
    """SELECT c.day, count(DISTINCT c.registration_id),
              count(DISTINCT CASE WHEN r.sex = 'female' THEN c.registration_id END),
              count(DISTINCT r.economy_id),
              count(DISTINCT CASE WHEN r.status = 'approved' THEN c.registration_id END)
       FROM checkins c JOIN registrations r ON r.id = c.registration_id
       WHERE c.event_id = :e AND c.undone_at IS NULL GROUP BY c.day""",
    """SELECT s.id, s.title, s.capacity, b.n, a.n FROM sessions s
       LEFT JOIN (SELECT session_id, count(*) n FROM bookings WHERE status = 'confirmed' GROUP BY session_id) b
         ON b.session_id = s.id
       LEFT JOIN (SELECT session_id, count(*) n FROM checkins
                  WHERE event_id = :e AND undone_at IS NULL AND session_id IS NOT NULL GROUP BY session_id) a
         ON a.session_id = s.id
       WHERE s.event_id = :e ORDER BY s.starts_at""",
]


def _plain_sql_ms(b) -> float:
    from eventhub.events.models import Event
    from eventhub.extensions import db

    with b.app.app_context():
        event = db.session.get(Event, b.dataset.event_id)
        args = {"e": event.id, "start": event.start_date, "end": event.end_date}
        statements = [sa.text(q) for q in PLAIN_SQL]
        times = []
        with db.engine.connect() as conn:
            for i in range(RUNS + 1):
                started = time.perf_counter()
                for statement in statements:
                    conn.execute(statement, args).all()
                if i:
                    times.append((time.perf_counter() - started) * 1000)
                conn.rollback()
    return statistics.median(times)


def _builder_ms(b) -> float:
    from eventhub.events.models import Event
    from eventhub.extensions import db
    from eventhub.surveys.report import completion_report

    with b.app.test_request_context():
        event = db.session.get(Event, b.dataset.event_id)
        times = []
        for i in range(RUNS + 1):
            started = time.perf_counter()
            completion_report(db.session, event)
            if i:
                times.append((time.perf_counter() - started) * 1000)
            db.session.rollback()
    return statistics.median(times)


def run(b) -> None:
    started = time.perf_counter()
    _seed(b)
    b.report("documents.seed_s", round(time.perf_counter() - started, 2))
    b.report("certificates.bulk_500_s", round(_certificates(b), 2))

    headers = b.login(*b.dataset.organizer)
    page_ms = b.median_get_ms(f"/events/{b.dataset.slug}/reports/completion", headers, RUNS)
    plain_ms = _plain_sql_ms(b)
    b.report("report.completion_ms", round(page_ms, 1))
    b.report("report.completion_builder_ms", round(_builder_ms(b), 1))
    b.report("report.completion_plain_sql_ms", round(plain_ms, 1))
    b.report("report.completion_ratio", round(page_ms / plain_ms, 2) if plain_ms else 0.0)
