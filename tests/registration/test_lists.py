"""The staff list: filters, search, APEC order, paging with bounded queries, bulk decisions, exports."""

from __future__ import annotations

import csv
import io
import re

import openpyxl
import sqlalchemy as sa

from eventhub.db import utcnow
from eventhub.economies.services import by_code
from eventhub.extensions import db
from eventhub.registration.models import Registration, new_token


def bulk_insert(event, delegation, n, start=0, **kw):
    rows = [{"event_id": event.id, "delegation_id": delegation.id, "economy_id": delegation.economy_id,
             "email": f"bulk{start + i}-{delegation.id}@example.org", "given_name": f"G{start + i:05d}",
             "family_name": "Family", "status": kw.get("status", "submitted"), "sex": kw.get("sex", "female"),
             "category": "delegate", "funding": "self_funded", "confirm_token": new_token(),
             "calendar_token": new_token(), "privacy_acknowledged_at": utcnow()} for i in range(n)]
    db.session.execute(sa.insert(Registration), rows)
    db.session.commit()


def names(page: str) -> list[str]:
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r'<td data-label="Name"><a href="[^"]*">([^<]*)</a>', body)


def test_list_is_in_apec_order_and_filters(client, world, make, login_as):
    korea = make.delegation(world.event, "ROK", quota=5)
    ct = make.delegation(world.event, "CT", quota=5)
    make.registration(world.event, world.thailand, given_name="Somchai", family_name="Jaidee", sex="male")
    make.registration(world.event, ct, given_name="Mei", family_name="Lin", sex="female", status="submitted")
    make.registration(world.event, korea, given_name="Min-jun", family_name="Kim", sex="male", category="speaker")
    make.registration(world.event, world.viet_nam, given_name="Lan", family_name="Nguyễn", sex="female")
    login_as(world.secretariat)
    base = f"/events/{world.event.slug}/registrations/"
    page = client.get(base).get_data(as_text=True)
    # Korea (9) before Chinese Taipei (18) before Thailand (19) before Viet Nam (21): not alphabetical.
    assert names(page) == ["Min-jun KIM", "Mei LIN", "Somchai JAIDEE", "Lan NGUYỄN"]
    assert names(client.get(base + "?sex=female").get_data(as_text=True)) == ["Mei LIN", "Lan NGUYỄN"]
    assert names(client.get(base + "?status=submitted").get_data(as_text=True)) == ["Mei LIN"]
    assert names(client.get(base + "?category=speaker").get_data(as_text=True)) == ["Min-jun KIM"]
    assert names(client.get(base + f"?economy={world.viet_nam.economy_id}").get_data(as_text=True)) == [
        "Lan NGUYỄN"]
    assert names(client.get(base + "?q=nguy").get_data(as_text=True)) == ["Lan NGUYỄN"]
    assert names(client.get(base + "?q=somchai+jaidee").get_data(as_text=True)) == ["Somchai JAIDEE"]
    assert names(client.get(base + "?status=bogus&economy=x&page=-3").get_data(as_text=True))  # bad args ignored


def test_list_rows_show_state_economy_and_link_to_the_registration(client, world, make, login_as):
    waiting = make.registration(world.event, world.thailand, given_name="Somchai", family_name="Jaidee",
                                name_local="สมชาย ใจดี", status="submitted", needs_confirmation=True)
    make.registration(world.event, world.viet_nam, given_name="Lan", family_name="Nguyễn", status="declined",
                      needs_confirmation=True)
    login_as(world.secretariat)
    body = client.get(f"/events/{world.event.slug}/registrations/").get_data(as_text=True)
    rows = body.split("<tbody>", 1)[1].split("</tbody>", 1)[0].split("</tr>")
    thai, vietnamese = rows[0], rows[1]
    assert ">Thailand<" in thai and "สมชาย ใจดี" in thai and "badge-submitted" in thai
    assert f'href="/events/{world.event.slug}/registrations/{waiting.id}"' in thai
    assert "Not yet confirmed by the delegate" in thai  # active and waiting for the delegate
    assert ">Viet Nam<" in vietnamese and "badge-declined" in vietnamese
    assert "Not yet confirmed" not in vietnamese  # declined: nothing to confirm any more


def test_paging_through_thousands_with_a_bounded_number_of_queries(client, world, make, login_as, query_counter):
    login_as(world.organizer)
    bulk_insert(world.event, world.viet_nam, 10)
    url = f"/events/{world.event.slug}/registrations/"
    with query_counter() as small:
        client.get(url)
    bulk_insert(world.event, world.thailand, 1520)
    bulk_insert(world.event, world.viet_nam, 1500, start=10)
    with query_counter() as large:
        page = client.get(url + "?page=31").get_data(as_text=True)
    assert large.count == small.count, large.statements
    assert "1501–1550 of 3030" in page
    # Page 31 spans the end of Thailand (19) and the start of Viet Nam (21).
    shown = names(page)
    assert len(shown) == 50
    assert shown[0] == "G01500 FAMILY" and shown[-1] == "G00029 FAMILY"
    last = client.get(url + "?page=61").get_data(as_text=True)
    assert "3001–3030 of 3030" in last and len(names(last)) == 30


def test_bulk_approve_respects_the_quota(client, world, login_as):
    bulk_insert(world.event, world.thailand, 4)
    ids = db.session.scalars(sa.select(Registration.id).order_by(Registration.id)).all()
    login_as(world.secretariat)
    response = client.post(f"/events/{world.event.slug}/registrations/bulk",
                           data={"ids": [str(i) for i in ids], "decision": "approve"})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "2 approved. 2 waitlisted: their delegation&#39;s quota is full." in page
    statuses = db.session.scalars(sa.select(Registration.status).order_by(Registration.id)).all()
    assert [s.value for s in statuses] == ["approved", "approved", "waitlisted", "waitlisted"]


def test_exports_csv_with_bom_and_xlsx_keep_unicode_names(client, world, make, login_as):
    make.registration(world.event, world.thailand, given_name="Somchai", family_name="Jaidee",
                      name_local="สมชาย ใจดี", phone="=HYPERLINK(1)")
    make.registration(world.event, world.viet_nam, given_name="Lan", family_name="Nguyễn")
    make.registration(world.event, economy="PRC", given_name="Wei", family_name="Chen", name_local="陈伟")
    login_as(world.secretariat)
    response = client.get(f"/events/{world.event.slug}/registrations/export.csv")
    assert response.data.startswith(b"\xef\xbb\xbf")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert [r["Economy"] for r in rows] == ["People's Republic of China", "Thailand", "Viet Nam"]
    assert rows[0]["Name in local script"] == "陈伟" and rows[1]["Name in local script"] == "สมชาย ใจดี"
    assert rows[1]["Phone"] == "'=HYPERLINK(1)"  # never a formula in Excel
    assert rows[2]["Family name"] == "Nguyễn"

    response = client.get(f"/events/{world.event.slug}/registrations/export.xlsx?economy="
                          f"{by_code(db.session, 'THA').id}")
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    values = list(sheet.values)
    assert values[0][0] == "Economy" and len(values) == 2
    assert values[1][6] == "สมชาย ใจดี"


def test_a_kept_page_is_replaced_as_soon_as_anyone_changes_the_list(client, world, make, login_as, query_counter):
    reg = make.registration(world.event, world.thailand, given_name="Somchai", family_name="Jaidee",
                            status="submitted")
    login_as(world.secretariat)
    url = f"/events/{world.event.slug}/registrations/"
    with query_counter() as first:
        assert "badge-submitted" in client.get(url).get_data(as_text=True)
    with query_counter() as again:
        assert "badge-submitted" in client.get(url).get_data(as_text=True)
    assert again.count < first.count  # kept: neither counted nor read again
    # Another process approves with plain SQL: the next page shows it.
    with db.engine.begin() as other:
        other.execute(sa.text("UPDATE registrations SET status = 'approved' WHERE id = :id"), {"id": reg.id})
    db.session.rollback()  # the test client's requests share the test's session: leave its old snapshot
    page = client.get(url).get_data(as_text=True)
    assert "badge-approved" in page and "badge-submitted" not in page
    # A newly invited economy appears in the economy filter at once.
    make.delegation(world.event, "ROK", quota=2)
    assert ">Republic of Korea</option>" in client.get(url).get_data(as_text=True)
    # Filters are kept apart.
    assert "No registrations matching the filter" in client.get(url + "?status=submitted").get_data(as_text=True)
    assert names(client.get(url + "?status=approved").get_data(as_text=True)) == ["Somchai JAIDEE"]


def test_a_kept_list_follows_the_event_s_new_address(client, world, make, login_as):
    reg = make.registration(world.event, world.thailand, given_name="Somchai", family_name="Jaidee")
    login_as(world.secretariat)
    assert f"/events/{world.event.slug}/registrations/{reg.id}" in client.get(
        f"/events/{world.event.slug}/registrations/").get_data(as_text=True)
    world.event.slug = "sme-workshop-2030"
    db.session.commit()
    page = client.get("/events/sme-workshop-2030/registrations/").get_data(as_text=True)
    assert f'href="/events/sme-workshop-2030/registrations/{reg.id}"' in page
