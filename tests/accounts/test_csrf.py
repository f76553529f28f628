import pytest

from tests.conftest import PASSWORD


@pytest.fixture
def app_config(app_config):
    app_config["WTF_CSRF_ENABLED"] = True
    return app_config


def test_login_post_without_csrf_token_is_refused(client, make):
    user = make.user()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 400
    assert "security token" in response.get_data(as_text=True)
    assert "Log out" not in client.get("/").get_data(as_text=True)


def test_state_change_without_csrf_token_is_refused_and_nothing_saved(client, make):
    import re

    from eventhub.events.models import Room
    from eventhub.extensions import db

    event = make.event()
    organizer = make.staff(event, "organizer")
    # Log in through the real form, token included.
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert client.post("/login", data={"email": organizer.email, "password": PASSWORD,
                                       "csrf_token": token}).status_code == 302

    response = client.post(f"/events/{event.slug}/manage/rooms", data={"name": "Hall A", "kind": "room"})
    assert response.status_code == 400
    assert db.session.query(Room).count() == 0

    page = client.get(f"/events/{event.slug}/manage/rooms").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post(f"/events/{event.slug}/manage/rooms",
                           data={"name": "Hall A", "kind": "room", "csrf_token": token})
    assert response.status_code == 302
    assert db.session.query(Room).count() == 1
