"""The matching pages in Chinese: labels, the suggestion's reason and errors next to the field."""

from __future__ import annotations

from tests.matching.test_pages import text

CHINESE = {"Accept-Language": "zh-CN,zh;q=0.9"}


def test_catalogue_and_suggestions_in_chinese(client, login_as, world):
    login_as(world.users["ana"])
    page = text(client.get(f"/events/{world.event.slug}/matching", headers=CHINESE))
    assert "商务对接" in page and "为您推荐" in page
    assert "对方提供Biomedicine领域的技术转让，正是您所寻求的。" in page
    assert "中华人民共和国" in page


def test_profile_error_in_chinese(client, login_as, world):
    login_as(world.users["ana"])
    response = client.post(f"/events/{world.event.slug}/matching/profile", data={"organisation": ""},
                           headers=CHINESE)
    assert response.status_code == 422 and "请填写贵单位名称。" in text(response)
