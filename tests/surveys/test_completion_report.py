"""The completion report: participants by economy × sex, matching the attendance summary; exports."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from eventhub.attendance.reports.summary import build_summary
from eventhub.extensions import db
from eventhub.surveys.report import completion_report
from tests.surveys.conftest import check_in


def test_economy_by_sex_table_matches_the_attendance_summary(client, world, login_as):
    make = world.make
    came = [make.registration(world.event, world.tha, sex="female"),
            make.registration(world.event, world.tha, sex="male"),
            make.registration(world.event, world.prc, sex="female")]
    make.registration(world.event, world.prc, sex="male")  # approved, did not come
    make.registration(world.event, world.prc, sex="female", status="submitted")
    for reg in came:
        check_in(world.event, reg)
    with client.application.test_request_context():
        report = completion_report(db.session, world.event)
        summary = build_summary(db.session, world.event)
    assert report.attended.total.total == summary.totals.attended == 3
    assert report.approved.total.total == summary.totals.approved == 4
    assert {r.label: r.total for r in report.attended.rows} == {r.label: r.attended for r in summary.by_economy}
    women = {s.key: s.attended for s in summary.by_sex}["female"]
    assert report.attended.total.counts["female"] == women == 2

    login_as(world.secretariat)
    page = client.get(f"/events/{world.event.slug}/reports/completion").get_data(as_text=True)
    assert "Participants who attended, by economy and sex" in page
    assert 'data-figure="economies">2<' in page and 'data-figure="women">67%' in page
    book = load_workbook(io.BytesIO(client.get(f"/events/{world.event.slug}/reports/completion.xlsx").data))
    rows = list(book["Attended"].iter_rows(values_only=True))
    assert rows[0][:3] == ("Economy", "Female", "Male")
    assert rows[-1][0] == "Total" and rows[-1][5] == 3
    pdf = client.get(f"/events/{world.event.slug}/reports/completion.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
