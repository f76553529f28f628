"""Survey results as a PDF with charts; a person's own answers in their data download (and nobody
else's view of it); the answers' free text and link gone after the purge."""

from __future__ import annotations

import json

from tests.documents.conftest import pdf_text
from tests.surveys.conftest import check_in, link_in
from tests.surveys.test_surveys import _answer_all, _create, _questions


def _answered(client, world, login_as, mailbox, people):
    for reg in people:
        check_in(world.event, reg)
    login_as(world.organizer)
    survey_id = _create(client, world, min_group_size="2")
    client.post(f"/events/{world.event.slug}/surveys/{survey_id}/invite")
    questions = _questions(survey_id)
    client.post("/logout")
    for i, reg in enumerate(people):
        url = link_in(mailbox.to(reg.email)[0])
        assert _answer_all(client, url, questions, rating=3 + i % 2, before=2, after=5,
                           text=f"More site visits, says {reg.given_name}").status_code == 200
    return survey_id


def test_results_pdf_has_the_figures_and_a_chart_per_question(client, world, login_as, mailbox, tmp_path):
    people = [world.make.registration(world.event, world.tha, email=f"p{i}@example.org", sex="female",
                                      given_name=f"Person{i}") for i in range(4)]
    survey_id = _answered(client, world, login_as, mailbox, people)
    login_as(world.secretariat)
    base = f"/events/{world.event.slug}/surveys/{survey_id}/results"
    page = client.get(base).get_data(as_text=True)
    assert page.count('<svg xmlns="http://www.w3.org/2000/svg" class="chart"') == 10  # 7 ratings, 2 choices, 1 pair
    assert "Download PDF" in page
    answer = client.get(base + ".pdf")
    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    (tmp_path / "results.pdf").write_bytes(answer.data)
    text = pdf_text(answer.data)
    assert "The objectives of the workshop were clearly defined." in text
    assert "Mean: 3.50" in text and "change: 3.00" in text
    assert "More site visits, says Person0" in text and "p0@example.org" not in text

    client.set_cookie("lang", "zh_Hans")
    text = pdf_text(client.get(base + ".pdf").data)
    assert "研讨会的目标明确。" in text and "问卷结果" in text


def test_my_data_download_holds_my_answers_only_for_me(client, world, login_as, mailbox):
    me = world.make.user("anong@example.org")
    reg = world.make.registration(world.event, world.tha, user=me, email="anong@example.org", given_name="Anong")
    _answered(client, world, login_as, mailbox, [reg])
    url = f"/events/{world.event.slug}/registrations/{reg.id}/my-data.json"

    login_as(me)
    data = json.loads(client.get(url).data)
    (survey,) = data["surveys"]
    assert survey["survey"] == "Evaluation" and survey["answered_at"]
    answers = {a["question"]: a for a in survey["answers"]}
    assert answers["The objectives of the workshop were clearly defined."]["answer"] == 3
    assert answers["The time allocated to the workshop was"]["answer"] == ["About right"]
    knowledge = answers["My knowledge of the subject (1 = very low, 5 = very high)"]
    assert (knowledge["before"], knowledge["after"]) == (2, 5)
    assert answers["What will you apply in your work, and how?"]["answer"] == "More site visits, says Anong"
    client.post("/logout")

    login_as(world.secretariat)  # may download the person's data, never their answers
    data = json.loads(client.get(url).data)
    assert "surveys" not in data and "More site visits" not in json.dumps(data)
