import pytest

from tests.conftest import PASSWORD, login


def test_login_page_offers_forgot_password_link(client):
    page = client.get("/login").get_data(as_text=True)
    assert 'name="email"' in page and 'name="password"' in page
    assert 'href="/password/forgot"' in page and "Forgot password?" in page


def test_login_with_right_password_welcomes_and_wrong_password_says_so(client, make):
    user = make.user("Li.Wei@Example.org", name="Li Wei")
    response = client.post("/login", data={"email": "LI.WEI@example.org", "password": PASSWORD},
                           follow_redirects=True)
    assert "Welcome, Li Wei." in response.get_data(as_text=True)
    client.post("/logout")
    response = client.post("/login", data={"email": user.email, "password": "wrong password!"})
    assert response.status_code == 200
    assert "The e-mail or the password is not right." in response.get_data(as_text=True)
    assert "Log out" not in response.get_data(as_text=True)


def test_login_keeps_the_typed_email_and_marks_the_field(client):
    response = client.post("/login", data={"email": "not-an-email", "password": "x"})
    page = response.get_data(as_text=True)
    assert 'value="not-an-email"' in page
    assert 'aria-invalid="true"' in page


@pytest.mark.parametrize("target", ["//evil.example/phish", "/%09/evil.example", "https://evil.example/",
                                    "/\\evil.example", "/ok%0D%0ALocation:%20https://evil.example"])
def test_login_never_redirects_off_site(client, make, target):
    user = make.user()
    response = client.post(f"/login?next={target}", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/my/events"  # the user's own start page instead
    assert client.get(f"/login?next={target}").headers["Location"] == "/my/events"


def test_login_returns_to_the_page_asked_for(client, make):
    user = make.user()
    response = client.post("/login?next=/my/events%3Fx%3D1", data={"email": user.email, "password": PASSWORD})
    assert response.headers["Location"] == "/my/events?x=1"


def test_changing_the_password_logs_other_sessions_out(app, make):
    from eventhub.extensions import db

    user = make.user()
    other_device = app.test_client()
    login(other_device, user)
    assert other_device.get("/my/events").status_code == 200
    user.set_password("a brand new password")
    db.session.commit()
    assert other_device.get("/my/events").status_code == 302


def test_get_logout_only_asks(client, make):
    user = make.user()
    login(client, user)
    assert "Log out" in client.get("/logout").get_data(as_text=True)
    assert client.get("/my/events").status_code == 200  # still logged in
    client.post("/logout")
    assert client.get("/my/events").status_code == 302


def test_inactive_user_cannot_log_in(client, make, app):
    from eventhub.extensions import db

    user = make.user()
    user.active = False
    db.session.commit()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 200
    assert "not right" in response.get_data(as_text=True)


def test_a_request_leaves_no_write_intent_behind_in_its_thread(client, make):
    """Otherwise code that runs later in the thread would take SQLite's write lock for a mere read."""
    from eventhub.db import _write_intent

    user = make.user()
    client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert _write_intent.get() is False
