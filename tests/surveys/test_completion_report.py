"""The completion report pack: participants and speakers by economy × sex, categories, travel-funded
people against the travel-eligible list, economies, per day and per session, all matching the
attendance summary on the same data; page, XLSX and PDF."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from eventhub.agenda.models import SessionSpeaker
from eventhub.attendance.reports.summary import build_summary
from eventhub.extensions import db
from eventhub.surveys.report import completion_report
from tests.documents.conftest import english_on, pdf_text
from tests.surveys.conftest import check_in


def _workshop(world):
    make = world.make
    jpn = make.delegation(world.event, "JPN", quota=20)
    people = {
        "anong": make.registration(world.event, world.tha, sex="female", funding="apec_funded",
                                   given_name="Anong", family_name="Srisuk"),
        "somchai": make.registration(world.event, world.tha, sex="male", category="speaker"),
        "mei": make.registration(world.event, world.prc, sex="female"),  # speaks on the agenda
        "li": make.registration(world.event, world.prc, sex="male", funding="apec_funded"),  # did not come
        "yuki": make.registration(world.event, jpn, sex="female", funding="apec_funded",
                                  given_name="Yuki", family_name="Tanaka"),  # Japan: not travel-eligible
        "ken": make.registration(world.event, jpn, sex="male", category="observer", status="submitted"),
        "ploy": make.registration(world.event, world.tha, sex="female", status="cancelled"),  # override check-in
    }
    db.session.add(SessionSpeaker(session_id=world.session.id, registration_id=people["mei"].id))
    db.session.add(SessionSpeaker(session_id=world.session.id, external_name="Dr Outside Expert"))
    db.session.commit()
    for key in ("anong", "somchai", "mei", "yuki", "ploy"):
        check_in(world.event, people[key])
    check_in(world.event, people["anong"], world.session)
    check_in(world.event, people["mei"], world.session)
    return people


def _by_label(table):
    return {r.label: dict(r.counts) for r in table.rows}


def test_the_pack_worked_out_by_hand_matches_the_attendance_summary(client, world):
    _workshop(world)
    with client.application.test_request_context():
        rep = completion_report(db.session, world.event)
        s = build_summary(db.session, world.event)

    # APEC order (China, Japan, Thailand), the same economies as the summary.
    labels = [r.label for r in rep.attended.rows]
    assert labels == [r.label for r in s.by_economy] == ["People's Republic of China", "Japan", "Thailand"]
    assert rep.attended.total.total == s.totals.attended == 5
    assert {r.label: r.total for r in rep.attended.rows} == {r.label: r.attended for r in s.by_economy}
    assert rep.attended.total.counts["female"] == s.women_attended == 4
    # Participants: everyone who came except speakers (by category or on the agenda).
    assert rep.participants.total.total == 3 and rep.speakers.total.total == 2
    assert sum(r.total for r in rep.speakers.rows) + sum(r.total for r in rep.participants.rows) == 5
    speakers = {label: (c["female"], c["male"]) for label, c in _by_label(rep.speakers).items()}
    assert speakers == {"People's Republic of China": (1, 0), "Thailand": (0, 1)}
    participants = {label: (c["female"], c["male"]) for label, c in _by_label(rep.participants).items()}
    assert participants == {"Japan": (1, 0), "Thailand": (2, 0)}
    assert rep.external_speakers == 1
    # Category × sex, against the summary's category rows.
    by_category = {r.key: r.total for r in rep.by_category.rows}
    assert by_category == {r.key: r.attended for r in s.by_category if r.attended}
    assert by_category == {"delegate": 4, "speaker": 1}
    assert rep.by_category.total.women_share == 0.8
    # Travel-funded: Thailand and China eligible, Japan not (flagged).
    travel = {r.label: (r.eligible, r.approved, r.attended, r.flagged) for r in rep.travel}
    assert travel == {"People's Republic of China": (True, 1, 0, False), "Japan": (False, 1, 1, True),
                      "Thailand": (True, 1, 1, False)}
    funded = next(r for r in s.by_funding if r.key == "apec_funded")
    assert (rep.travel_total.approved, rep.travel_total.attended) == (funded.approved, funded.attended) == (3, 2)
    assert [r.approved for r in rep.flagged] == [1]
    # Economies, per day, per session: the summary's figures.
    assert rep.economies_attended == s.economies_represented == 3
    assert rep.members_attended == s.members_attended == 3 and rep.members_total == s.members_total
    assert [(d.day, d.attended, d.women, d.no_shows) for d in rep.per_day] == \
        [(d.day, d.attended, d.women, d.no_shows) for d in s.per_day]
    assert [(r.title, r.attended) for r in rep.per_session] == [(r.title, r.attended) for r in s.per_session]
    assert [(r.title, r.attended) for r in rep.per_session] == [("Port finance", 2)]


def test_page_xlsx_and_pdf_of_the_pack(client, world, login_as, tmp_path):
    _workshop(world)
    login_as(world.secretariat)
    url = f"/events/{world.event.slug}/reports/completion"
    page = client.get(url).get_data(as_text=True)
    assert 'data-figure="attended">5<' in page and 'data-figure="speakers">2<' in page
    assert 'data-figure="economies">3<' in page and 'data-figure="women">80%' in page
    assert "Speakers and moderators who attended, by economy and sex" in page
    assert "Not travel-eligible on the event&#39;s dates" in page or "Not travel-eligible on the event's dates" in page
    assert "Yuki Tanaka" in page and "Anong Srisuk" not in page  # only the flagged person is named
    assert "<svg" in page

    book = load_workbook(io.BytesIO(client.get(url + ".xlsx").data))
    assert {"Overview", "Participants", "Speakers", "Attended", "Categories", "Travel-funded", "Per day",
            "Per session"} <= set(book.sheetnames)
    rows = list(book["Attended"].iter_rows(values_only=True))
    assert rows[0][:3] == ("Economy", "Female", "Male")
    assert rows[-1][0] == "Total" and rows[-1][5] == 5
    travel = list(book["Travel-funded"].iter_rows(values_only=True))
    assert [r[4] for r in travel[1:] if r[4]] == ["Not travel-eligible on the event's dates"]
    assert travel[-1][2:4] == (3, 2)
    speakers = list(book["Speakers"].iter_rows(values_only=True))
    assert speakers[-1][5] == 2

    answer = client.get(url + ".pdf")
    assert answer.status_code == 200
    (tmp_path / "completion.pdf").write_bytes(answer.data)
    text = pdf_text(answer.data)
    assert "Speakers and moderators who attended" in text and "Port finance" in text
    assert "Yuki Tanaka" not in text  # the overseer's copy names nobody


def test_pack_survey_results_and_their_pdf_in_chinese(client, world, login_as, mailbox):
    from tests.surveys.test_results_pdf_and_privacy import _answered

    _workshop(world)
    people = [world.make.registration(world.event, world.tha, email=f"z{i}@example.org") for i in range(2)]
    survey_id = _answered(client, world, login_as, mailbox, people)
    login_as(world.secretariat)
    chinese = {"Accept-Language": "zh-CN,zh;q=0.9"}
    client.get("/")  # shows (and so clears) the English flash of the log-out made in English
    url = f"/events/{world.event.slug}/reports/completion"
    page = client.get(url, headers=chinese).get_data(as_text=True)
    assert "出席的发言人和主持人（按经济体和性别）" in page and "活动日期内不符合差旅资助条件" in page
    assert english_on(page) == []
    results = client.get(f"/events/{world.event.slug}/surveys/{survey_id}/results", headers=chinese)
    assert english_on(results.get_data(as_text=True)) == []
    text = pdf_text(client.get(url + ".pdf", headers=chinese).data)
    assert "APEC 差旅资助人员（按经济体）" in text and "研讨会的目标明确。" in text


def test_pack_and_logistics_cost_the_same_queries_for_few_and_many(client, world, login_as, query_counter):
    make = world.make
    login_as(world.secretariat)
    urls = [f"/events/{world.event.slug}/reports/completion", f"/events/{world.event.slug}/logistics"]

    def add(n):
        for i in range(n):
            reg = make.registration(world.event, economy=("JPN", "VN", "USA")[i % 3], funding="apec_funded",
                                    dietary=("Halal", "Vegan")[i % 2], arrival_at=None)
            check_in(world.event, reg)

    add(3)
    counts = []
    for url in urls:
        client.get(url)
        with query_counter() as few:
            assert client.get(url).status_code == 200
        counts.append(few.count)
    add(27)
    for url, few in zip(urls, counts, strict=True):
        client.get(url)
        with query_counter() as many:
            assert client.get(url).status_code == 200
        assert many.count == few, url
