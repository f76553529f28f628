"""Surveys in Chinese: the invitation e-mail in the delegate's language, the answering page with the
template's Chinese questions and the Chinese error next to the question, the results page."""

from __future__ import annotations

import sqlalchemy as sa

from eventhub.extensions import db
from eventhub.surveys.models import SurveyQuestion
from tests.surveys.conftest import check_in, link_in, world  # noqa: F401

CHINESE = {"Accept-Language": "zh-CN,zh;q=0.9"}


def test_chinese_delegate_gets_the_survey_in_chinese(client, world, login_as, mailbox):  # noqa: F811
    reg = world.make.registration(world.event, world.prc, email="wei@example.org", language="zh_Hans",
                                  given_name="伟", family_name="陈")
    check_in(world.event, reg)
    login_as(world.organizer)
    response = client.post(f"/events/{world.event.slug}/surveys",
                           data={"title": "评估", "session_id": "", "from_template": "y", "min_group_size": "5"})
    survey_id = int(response.headers["Location"].rsplit("/", 1)[1])
    client.post(f"/events/{world.event.slug}/surveys/{survey_id}/invite")
    (mail,) = mailbox.to("wei@example.org")
    assert mail.subject == "请对绿色港口研讨会进行评估"
    assert "感谢您出席绿色港口研讨会" in mail.text()
    url = link_in(mail)
    client.post("/logout")

    page = client.get(url, headers=CHINESE).get_data(as_text=True)
    assert "评估问卷" in page and "研讨会的目标明确。" in page and "研讨会前" in page and "太短" in page
    response = client.post(url, data={}, headers=CHINESE)
    first = db.session.scalar(sa.select(SurveyQuestion.id).where(SurveyQuestion.survey_id == survey_id)
                              .order_by(SurveyQuestion.position).limit(1))
    assert response.status_code == 422
    assert f'id="q{first}-error">请回答此问题。' in response.get_data(as_text=True)

    login_as(world.secretariat)
    results = client.get(f"/events/{world.event.slug}/surveys/{survey_id}/results", headers=CHINESE)
    assert "问卷结果" in results.get_data(as_text=True) and "回复率" in results.get_data(as_text=True)
    report = client.get(f"/events/{world.event.slug}/reports/completion", headers=CHINESE).get_data(as_text=True)
    assert "出席的参会人员（按经济体和性别）" in report and "中华人民共和国" in report and "女性占比" in report
