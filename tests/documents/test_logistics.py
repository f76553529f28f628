"""The catering and logistics lists: dietary and accessibility needs with counts, arrivals and
departures per event-local day, letters pending; CSV (UTF-8 with BOM) and XLSX; who may see them."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from openpyxl import load_workbook

from tests.documents.conftest import english_on


def _local(event, day_offset, hour):
    d = event.start_date + timedelta(days=day_offset)
    return datetime(d.year, d.month, d.day, hour, 30, tzinfo=ZoneInfo(event.timezone))


def _people(world, make):
    ev = world.event
    prc = world.reg.delegation
    make.registration(ev, prc, given_name="Li", family_name="Na", dietary="Halal", accessibility="Wheelchair",
                      arrival_at=_local(ev, -1, 23), departure_at=_local(ev, 2, 7))  # 23:30 local: still day -1
    make.registration(ev, prc, given_name="Zhang", family_name="Wei", dietary=" halal ",
                      arrival_at=_local(ev, -1, 9), departure_at=_local(ev, 30, 9))  # departs outside the window
    make.registration(ev, prc, given_name="Chen", family_name="Jie", dietary="Vegetarian",
                      arrival_at=_local(ev, 0, 1))  # 01:30 local is the day before in UTC
    make.registration(ev, prc, given_name="Gone", family_name="Away", dietary="Vegan", status="cancelled")


def test_counts_per_need_and_per_local_day(world, make, login_as):
    _people(world, make)
    client = login_as(world.secretariat)
    page = client.get(f"/events/{world.event.slug}/logistics")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    dietary = html.split('data-table="dietary"')[1].split("</table>")[0]
    assert '<th scope="row">Halal</th><td class="num">2</td>' in dietary
    assert '<th scope="row">Vegetarian</th><td class="num">1</td>' in dietary and "Vegan" not in dietary
    assert '<th scope="row">Total</th><td class="num">3</td>' in dietary
    assert "Wheelchair" in html.split('data-table="accessibility"')[1].split("</table>")[0]
    # The delegate of the fixture (Wang, visa letter, no passport details) is pending.
    assert "Xiaomei Wang" in html.split('data-table="letters"')[1] and "Passport details missing" in html

    data = client.get(f"/events/{world.event.slug}/logistics.csv").data
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    days = rows[rows.index(["Arrivals and departures"]) + 2:]
    days = days[:days.index([])]
    day_before = world.event.start_date - timedelta(days=1)
    assert days[0][1:] == ["2", "0"] and str(day_before.day) in days[0][0]  # both arrive the day before
    assert days[1][1:] == ["1", "0"]  # 01:30 local on the first day
    assert days[-1] == ["Other dates", "0", "1"]
    assert sum(int(d[2]) for d in days) == 2

    book = load_workbook(io.BytesIO(client.get(f"/events/{world.event.slug}/logistics.xlsx").data))
    assert book["Dietary needs"]["A2"].value == "Halal" and book["Dietary needs"]["B2"].value == 2
    travel = list(book["Travel by person"].iter_rows(values_only=True))
    assert travel[0][3] == "Arrival (Asia/Shanghai)"
    assert [r[0] for r in travel[1:]] == ["Zhang Wei", "Li Na", "Chen Jie"]  # by arrival
    assert travel[2][3] == datetime(day_before.year, day_before.month, day_before.day, 23, 30)


def test_only_registration_staff_see_the_lists(world, login_as):
    for user, status in ((world.organizer, 200), (world.secretariat, 200), (world.focal, 403),
                         (world.delegate, 403)):
        client = login_as(user)
        assert client.get(f"/events/{world.event.slug}/logistics").status_code == status
        assert client.get(f"/events/{world.event.slug}/logistics.csv").status_code == status
        client.post("/logout")


def test_lists_in_chinese(world, make, login_as):
    _people(world, make)
    client = login_as(world.secretariat)
    client.get("/")  # shows (and so clears) the English flash of the log-out made in English
    html = client.get(f"/events/{world.event.slug}/logistics",
                      headers={"Accept-Language": "zh-CN,zh;q=0.9"}).get_data(as_text=True)
    assert "餐饮与后勤" in html and "每日抵达与离开" in html and "待签发的签证邀请函" in html
    assert english_on(html) == []
