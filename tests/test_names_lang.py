"""Names in a local script carry `lang`: the person's economy's language where known, else the script's."""

import pytest

from eventhub.lang import script_lang


@pytest.mark.parametrize(("name", "economy", "lang"), [
    ("佐藤 結衣", "JPN", "ja"),          # kanji only: the economy says Japanese
    ("さとう ゆい", None, "ja"),          # kana: Japanese whatever the economy
    ("陈伟", "PRC", "zh-Hans"),
    ("陳偉", "HKC", "zh-Hant"),
    ("陈伟明", None, "zh"),
    ("김민준", None, "ko"),
    ("สมชาย ใจดี", None, "th"),
    ("សុខា ចាន់", "KHM", "km"),
    ("ສຸກສະຫວັນ ພົມມະຈັນ", None, "lo"),
    ("Nguyễn Văn An", None, "vi"),
    ("Maria Cristina Santos", "PHL", ""),  # Latin: no tag of its own
    ("", "JPN", ""),
    ("佐藤 結衣", "Japan", "ja"),         # an economy's display name works too
])
def test_the_language_of_a_local_name(name, economy, lang):
    assert script_lang(name, economy) == lang


def test_pages_that_show_local_names_tag_their_language(client, make, login_as):
    event = make.event(slug="langs")
    japan = make.delegation(event, "JPN", quota=5)
    reg = make.registration(event, japan, given_name="Yui", family_name="Sato", name_local="佐藤 結衣")
    thai = make.registration(event, economy="THA", given_name="Somchai", family_name="Jaidee",
                             name_local="สมชาย ใจดี")
    login_as(make.staff(event, "secretariat"))
    page = client.get(f"/events/langs/registrations/{reg.id}").get_data(as_text=True)
    assert '<span class="name-local" lang="ja">佐藤 結衣</span>' in page
    page = client.get("/events/langs/registrations/").get_data(as_text=True)
    assert 'lang="ja">佐藤 結衣</span>' in page  # by the economy's name: kanji alone could be Chinese
    assert 'lang="th">สมชาย ใจดี</span>' in page and thai.id
