"""Evaluation surveys: built from the APEC template, sent only to those who attended, answered by a
personal link (once, editable), results with the anonymity threshold, exports."""

from __future__ import annotations

import csv
import io
import re

import sqlalchemy as sa

from eventhub.extensions import db
from eventhub.surveys.models import SurveyInvitation, SurveyQuestion, SurveyResponse
from tests.surveys.conftest import check_in, link_in


def _create(client, world, **data):
    form = {"title": "Evaluation", "session_id": "", "from_template": "y", "min_group_size": "5", **data}
    response = client.post(f"/events/{world.event.slug}/surveys", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rsplit("/", 1)[1])


def _questions(survey_id):
    return list(db.session.scalars(sa.select(SurveyQuestion).where(SurveyQuestion.survey_id == survey_id)
                                   .order_by(SurveyQuestion.position)))


def _answer_all(client, url, questions, rating=4, before=2, after=4, text=""):
    data = {}
    for q in questions:
        key = f"q{q.id}"
        if q.kind.value == "rating":
            data[key] = str(rating)
        elif q.kind.value == "before_after":
            data[key], data[key + "_after"] = str(before), str(after)
        elif q.kind.value in ("single", "multiple"):
            data[key] = "1"
        elif text:
            data[key] = text
    return client.post(url, data=data)


def test_template_survey_goes_only_to_attendees_and_is_answered_once(client, world, login_as, mailbox):
    make = world.make
    came = make.registration(world.event, world.tha, email="somchai@example.org", sex="male")
    make.registration(world.event, world.tha, email="absent@example.org")
    check_in(world.event, came)
    login_as(world.organizer)
    survey_id = _create(client, world)
    page = client.get(f"/events/{world.event.slug}/surveys/{survey_id}").get_data(as_text=True)
    assert "Gender issues were adequately addressed." in page and "性别问题得到了充分关注。" in page

    assert client.post(f"/events/{world.event.slug}/surveys/{survey_id}/invite").status_code == 302
    assert mailbox.to("absent@example.org") == []
    (mail,) = mailbox.to("somchai@example.org")
    assert "Please evaluate Green Ports Workshop" in mail.subject
    url = link_in(mail)
    client.post("/logout")

    questions = _questions(survey_id)
    form = client.get(url).get_data(as_text=True)
    assert "The objectives of the workshop were clearly defined." in form and "Before the workshop" in form
    assert _answer_all(client, url, questions, rating=3).status_code == 200
    assert _answer_all(client, url, questions, rating=5).status_code == 200  # edits, never duplicates
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SurveyResponse)) == 1
    page = client.get(url).get_data(as_text=True)
    first = questions[0].id
    assert re.search(rf'checked id="q{first}-\d" name="q{first}" required type="radio" value="5"', page)
    assert "You have already answered" in page


def test_missing_answer_shows_the_error_next_to_the_question(client, world, login_as, mailbox):
    reg = world.make.registration(world.event, world.tha, email="a@example.org")
    check_in(world.event, reg)
    login_as(world.organizer)
    survey_id = _create(client, world)
    client.post(f"/events/{world.event.slug}/surveys/{survey_id}/invite")
    url = link_in(mailbox.to("a@example.org")[0])
    response = client.post(url, data={})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    first = _questions(survey_id)[0]
    assert f'id="q{first.id}-error">Please answer this question.' in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SurveyResponse)) == 0


def test_closed_survey_refuses_changes_and_unknown_link_is_404(client, world, login_as, mailbox):
    reg = world.make.registration(world.event, world.tha, email="a@example.org")
    check_in(world.event, reg)
    login_as(world.organizer)
    survey_id = _create(client, world)
    client.post(f"/events/{world.event.slug}/surveys/{survey_id}/invite")
    url = link_in(mailbox.to("a@example.org")[0])
    client.post(f"/events/{world.event.slug}/surveys/{survey_id}/close")
    assert "This survey is closed" in client.get(url).get_data(as_text=True)
    assert _answer_all(client, url, _questions(survey_id)).status_code == 409
    assert client.get("/survey/not-a-real-token").status_code == 404


def test_session_survey_goes_to_that_sessions_attendees(client, world, login_as, mailbox):
    in_session = world.make.registration(world.event, world.tha, email="in@example.org")
    day_only = world.make.registration(world.event, world.tha, email="day@example.org")
    check_in(world.event, in_session, world.session)
    check_in(world.event, day_only)
    login_as(world.organizer)
    survey_id = _create(client, world, session_id=str(world.session.id), from_template="")
    client.post(f"/events/{world.event.slug}/surveys/{survey_id}/invite")
    assert len(mailbox.to("in@example.org")) == 1 and mailbox.to("day@example.org") == []


def test_reminder_sends_a_new_link_and_the_old_one_stops_working(client, world, login_as, mailbox):
    reg = world.make.registration(world.event, world.tha, email="a@example.org")
    check_in(world.event, reg)
    login_as(world.organizer)
    survey_id = _create(client, world)
    client.post(f"/events/{world.event.slug}/surveys/{survey_id}/invite")
    old = link_in(mailbox.to("a@example.org")[0])
    client.post(f"/events/{world.event.slug}/surveys/{survey_id}/remind")
    mails = mailbox.to("a@example.org")
    assert len(mails) == 2 and mails[1].subject.startswith("Reminder")
    assert client.get(old).status_code == 404 and client.get(link_in(mails[1])).status_code == 200
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SurveyInvitation)) == 1


def test_add_choice_question_without_choices_shows_error_next_to_field(client, world, login_as):
    login_as(world.organizer)
    survey_id = _create(client, world, from_template="")
    response = client.post(f"/events/{world.event.slug}/surveys/{survey_id}",
                           data={"kind": "single", "text": "Which day?", "choices": "Only one", "required": "y"})
    assert response.status_code == 422
    assert 'id="choices-error">A choice question needs at least two choices' in response.get_data(as_text=True)
    client.post(f"/events/{world.event.slug}/surveys/{survey_id}",
                data={"kind": "rating", "text": "Venue", "required": "y"})
    client.post(f"/events/{world.event.slug}/surveys/{survey_id}",
                data={"kind": "text", "text": "Comments"})
    second = _questions(survey_id)[1]
    client.post(f"/events/{world.event.slug}/surveys/{survey_id}/questions/{second.id}/up")
    assert [q.text for q in _questions(survey_id)] == ["Comments", "Venue"]


def test_results_by_hand_with_the_anonymity_threshold(client, world, login_as, mailbox):
    """Six Thai men rate 4, two Chinese women rate 2 (threshold 5): mean 3.5; Thailand and men shown
    (4.00), China and women shown as "fewer than 5 answers"; before 2 → after 4 is +2.00."""
    regs = [world.make.registration(world.event, world.tha, email=f"t{i}@example.org", sex="male")
            for i in range(6)]
    regs += [world.make.registration(world.event, world.prc, email=f"c{i}@example.org", sex="female")
             for i in range(2)]
    for reg in regs:
        check_in(world.event, reg)
    login_as(world.organizer)
    survey_id = _create(client, world)
    client.post(f"/events/{world.event.slug}/surveys/{survey_id}/invite")
    questions = _questions(survey_id)
    for reg in regs:
        url = link_in(mailbox.to(reg.email)[0])
        rating = 4 if reg.email.startswith("t") else 2
        assert _answer_all(client, url, questions, rating=rating, text=f"idea from {reg.email[:2]}").status_code == 200
    page = client.get(f"/events/{world.event.slug}/surveys/{survey_id}/results").get_data(as_text=True)
    assert 'data-figure="rate">100%' in page
    assert "Mean: 3.50" in page
    assert "Mean before: 2.00 · after: 4.00 · change: 2.00" in page
    assert "Thailand</th><td class=\"num\">4.00" in page
    assert "fewer than 5 answers" in page and "2.00 <span" not in page.split("By economy")[1].split("</table>")[0]
    assert "idea from t0" in page and "t0@example.org" not in page

    data = client.get(f"/events/{world.event.slug}/surveys/{survey_id}/results.csv").data
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert ["8", "8", "100.0%"] in rows
    xlsx = client.get(f"/events/{world.event.slug}/surveys/{survey_id}/results.xlsx")
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"


def test_delegate_and_anonymous_cannot_see_surveys_or_results(client, world, login_as):
    delegate = world.make.user()
    world.make.registration(world.event, world.tha, user=delegate)
    login_as(world.organizer)
    survey_id = _create(client, world)
    for path in (f"/events/{world.event.slug}/surveys", f"/events/{world.event.slug}/surveys/{survey_id}/results",
                 f"/events/{world.event.slug}/reports/completion"):
        login_as(delegate)
        assert client.get(path).status_code == 403
        client.post("/logout")
        assert client.get(path).status_code == 302
    login_as(world.secretariat)
    assert client.get(f"/events/{world.event.slug}/surveys/{survey_id}/results").status_code == 200


def test_survey_list_costs_the_same_queries_for_3_and_30_surveys(client, world, login_as, query_counter):
    from eventhub.surveys.builder import create_survey

    login_as(world.organizer)
    path = f"/events/{world.event.slug}/surveys"

    def run(n):
        existing = db.session.scalar(sa.text("SELECT count(*) FROM surveys"))
        for i in range(existing, n):
            create_survey(db.session, world.event, title=f"S{i}", session=world.session if i % 2 else None,
                          from_template=False)
        db.session.commit()
        with query_counter() as q:
            assert client.get(path).status_code == 200
        return q.count

    assert run(3) == run(30)


def test_two_submissions_of_one_link_at_once_store_one_response(app, client, world, login_as, mailbox):
    """On PostgreSQL (EVENTHUB_TEST_ON_POSTGRES=1) the two requests really run at the same time."""
    from tests.conftest import run_in_threads

    reg = world.make.registration(world.event, world.tha, email="a@example.org")
    check_in(world.event, reg)
    login_as(world.organizer)
    survey_id = _create(client, world, from_template="")
    client.post(f"/events/{world.event.slug}/surveys/{survey_id}",
                data={"kind": "rating", "text": "Venue", "required": "y"})
    client.post(f"/events/{world.event.slug}/surveys/{survey_id}/invite")
    url = link_in(mailbox.to("a@example.org")[0])
    question = _questions(survey_id)[0]

    def submit(_i):
        return app.test_client().post(url, data={f"q{question.id}": "4"}).status_code

    assert run_in_threads(app, 2, submit, transaction=False) == [200, 200]
    db.session.rollback()  # read what the threads committed
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SurveyResponse)) == 1


def test_a_purge_removes_free_text_answers_and_the_link_but_keeps_the_ratings(client, world, login_as, mailbox):
    from datetime import date

    from eventhub.registration.privacy import purge_personal_data
    from eventhub.surveys.models import SurveyAnswer

    came = world.make.registration(world.event, world.tha, email="somchai@example.org", sex="male")
    check_in(world.event, came)
    login_as(world.organizer)
    survey_id = _create(client, world)
    client.post(f"/events/{world.event.slug}/surveys/{survey_id}/invite")
    url = link_in(mailbox.to("somchai@example.org")[0])
    client.post("/logout")
    assert _answer_all(client, url, _questions(survey_id), rating=4, text="Somchai from Rayong: loved it").status_code == 200

    world.event.start_date, world.event.end_date = date(2020, 1, 1), date(2020, 1, 2)
    db.session.commit()
    purge_personal_data(db.session, days=30)
    db.session.commit()
    texts = db.session.scalars(sa.select(SurveyAnswer.text).where(SurveyAnswer.text != "")).all()
    assert texts == []
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SurveyAnswer)
                             .where(SurveyAnswer.value == 4)) > 0  # the ratings still count
    assert client.get(url).status_code == 404
