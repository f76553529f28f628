"""The demo workshop gets check-ins for most of its delegates: the summary shows real figures; loading twice adds nothing."""

from __future__ import annotations

import io

import sqlalchemy as sa

from eventhub.attendance.models import CheckIn
from eventhub.demo import DEMO_SLUG, load_demo
from eventhub.extensions import db
from eventhub.registration.models import Registration, RegistrationStatus
from tests.conftest import PASSWORD


def _count():
    return db.session.scalar(sa.select(sa.func.count()).select_from(CheckIn))


def test_demo_check_ins_fill_the_summary_and_exports(client, login_as):
    load_demo(db.session, PASSWORD)
    db.session.commit()
    first = _count()
    load_demo(db.session, PASSWORD)
    db.session.commit()
    assert _count() == first > 0

    approved = db.session.scalar(sa.select(sa.func.count()).select_from(Registration).where(
        Registration.status == RegistrationStatus.APPROVED, Registration.event.has(slug=DEMO_SLUG),
        Registration.matching_only.is_(False)))  # the matching firms' people are not delegates
    day = db.session.scalar(sa.select(sa.func.count(sa.distinct(CheckIn.registration_id))).where(
        CheckIn.session_id.is_(None)))
    assert approved > 0 and day / approved > 0.75  # most demo delegates came
    kinds = set(db.session.scalars(sa.text(
        "SELECT DISTINCT s.kind FROM checkins c JOIN sessions s ON s.id = c.session_id")))
    assert {"opening", "roundtable", "site_visit"} <= kinds
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CheckIn).where(
        CheckIn.vehicle_id.is_not(None))) > 0  # boarded a bus

    secretariat = db.session.scalar(sa.text("SELECT id FROM users WHERE email = 'secretariat@example.org'"))
    client.post("/login", data={"email": "secretariat@example.org", "password": PASSWORD})
    assert secretariat
    page = client.get(f"/events/{DEMO_SLUG}/reports/attendance").get_data(as_text=True)
    assert 'data-figure="attended">0<' not in page
    assert "Thailand" in page and "Roundtable" in page and "Bus" in page
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(client.get(f"/events/{DEMO_SLUG}/reports/attendance.xlsx").data))
    attended = {row[0].value: row[4].value for row in book["By economy"].iter_rows(min_row=2)}
    assert attended["Total"] == day
    desk = client.get(f"/events/{DEMO_SLUG}/checkin").get_data(as_text=True)
    assert "Main desk" in desk or "Desk 2" in desk
