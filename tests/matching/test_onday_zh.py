"""The on-the-day pages in Chinese: no interface English of ours on My meetings (with its held /
no-show and cancel buttons) and on the desk's page, by the check of tests/i18n."""

from __future__ import annotations

import html
import re
from datetime import timedelta

from eventhub.extensions import db
from tests.i18n.test_untranslated_pages import content_strings, english_in
from tests.matching.daykit import meet, move_slots

CHINESE = {"Accept-Language": "zh-CN,zh;q=0.9"}


def main_text(client, path: str) -> str:
    client.get(path, headers=CHINESE)  # shows, and so clears, the English "logged out" of login_as
    page = client.get(path, headers=CHINESE).get_data(as_text=True)
    main = page[page.index("<main"):page.index("</main>")]
    return html.unescape(re.sub(r"<[^>]+>", "\n", main))


def test_my_meetings_and_the_desk_page_have_no_english_of_ours(client, login_as, make, world, scheduled):
    meet(world, "shifei", "ana")
    move_slots(scheduled.session.id, -timedelta(minutes=10))  # the first has begun, the second not yet
    world.settings.cancel_cutoff_hours = 0
    db.session.commit()
    slug = world.event.slug
    content = content_strings()
    login_as(world.users["ana"])
    mine = main_text(client, f"/events/{slug}/matching/meetings")
    assert "未到场" in mine and "取消会谈" in mine and "打印我的日程" in mine
    assert english_in(mine, content) == []
    login_as(make.staff(world.event, "organizer"))
    day = main_text(client, f"/events/{slug}/matching/day")
    assert "当天的会谈" in day and "桌牌" in day and "保存截止时间" in day and "已举行" in day
    assert english_in(day, content) == []
