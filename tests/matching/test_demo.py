"""The demo workshop's business matching: firms, profiles, requests in every state and a schedule,
so a newcomer sees the catalogue, suggestions, a schedule and the report. Loading twice adds nothing."""

from __future__ import annotations

import sqlalchemy as sa

from eventhub.demo import DEMO_SLUG, load_demo
from eventhub.extensions import db
from eventhub.matching.firm_models import Firm
from eventhub.matching.models import Meeting, MeetingRequest, RequestStatus
from tests.conftest import PASSWORD


def _counts():
    return (db.session.scalar(sa.select(sa.func.count()).select_from(Firm)),
            db.session.scalar(sa.select(sa.func.count()).select_from(MeetingRequest)))


def test_demo_has_a_matching_session_a_newcomer_can_look_at(client):
    load_demo(db.session, PASSWORD)
    db.session.commit()
    first = _counts()
    load_demo(db.session, PASSWORD)
    db.session.commit()
    assert _counts() == first and first[0] >= 4
    statuses = set(db.session.scalars(sa.select(MeetingRequest.status)))
    assert statuses == {RequestStatus.PENDING, RequestStatus.ACCEPTED, RequestStatus.DECLINED}
    meetings = db.session.scalars(sa.select(Meeting)).all()
    assert meetings and all(m.slot_id is not None and m.table_id is not None for m in meetings)

    base = f"/events/{DEMO_SLUG}/matching"
    client.post("/login", data={"email": "delegate1@example.org", "password": PASSWORD})
    catalogue = client.get(base).get_data(as_text=True)
    assert "Guangdong Shifei Cosmetics Co., Ltd." in catalogue and "Suggest" in catalogue
    mine = client.get(f"{base}/meetings").get_data(as_text=True)
    assert "Guangzhou Seye Biopharmaceutical Technology Co., Ltd." in mine and "Table " in mine
    client.post("/logout")
    client.post("/login", data={"email": "firm.shifei@example.org", "password": PASSWORD})
    requests = client.get(f"{base}/requests").get_data(as_text=True)
    assert "Thai SME Promotion Office" in requests
    client.post("/logout")
    client.post("/login", data={"email": "organizer@example.org", "password": PASSWORD})
    assert "Table 1" in client.get(f"{base}/schedule").get_data(as_text=True)
    assert client.get(f"{base}/report").status_code == 200
    assert "Guangzhou Huaxin Fragrance Materials" in client.get(f"{base}/firms").get_data(as_text=True)
