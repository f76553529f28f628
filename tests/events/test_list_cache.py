"""The public event list is kept per worker between changes, and never shows a stale or foreign page."""

from eventhub.extensions import db


def _get(client, query_counter, url="/", **headers):
    db.session.expire_all()
    with query_counter() as q:
        page = client.get(url, headers=headers)
    assert page.status_code == 200
    return q.count, page.get_data(as_text=True)


def test_the_list_is_kept_until_an_event_changes(client, make, query_counter):
    event = make.event(title="Cluster workshop")
    first_count, first = _get(client, query_counter)
    again_count, again = _get(client, query_counter)
    assert "Cluster workshop" in first and again == first
    assert again_count == 1 < first_count  # only the stamp is read

    event.title = "Cluster workshop on cosmetics"
    db.session.commit()
    _, renamed = _get(client, query_counter)
    assert "Cluster workshop on cosmetics" in renamed

    make.event(title="Port logistics roundtable")
    _, added = _get(client, query_counter)
    assert "Port logistics roundtable" in added


def test_a_chinese_reader_never_gets_the_english_list_and_back(client, make, query_counter):
    make.event(title="Cluster workshop", title_zh="产业集群研讨会")
    _, english = _get(client, query_counter)
    _, chinese = _get(client, query_counter, **{"Accept-Language": "zh-CN"})
    _, english_again = _get(client, query_counter)
    assert "产业集群研讨会" in chinese
    assert "产业集群研讨会" not in english and "Cluster workshop" in english_again
    assert english_again == english


def test_the_new_event_button_is_not_kept_for_others(app, client, make, login_as, query_counter):
    organizer = make.user()
    make.role(make.event(title="Cluster workshop"), organizer, "organizer")
    login_as(organizer)
    _, theirs = _get(client, query_counter)
    assert "New event" in theirs
    _, anonymous = _get(app.test_client(), query_counter)
    assert "New event" not in anonymous and "Cluster workshop" in anonymous
