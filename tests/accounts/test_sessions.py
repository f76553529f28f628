"""Log-out ends every session of the user; cookies are short-lived and same-site; personal pages are not kept."""

from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from http.cookies import SimpleCookie

from tests.conftest import PASSWORD, login


def _cookies(response) -> dict[str, str]:
    """name -> the whole Set-Cookie line."""
    return {SimpleCookie(line).popitem()[0]: line for line in response.headers.getlist("Set-Cookie")}


def _cookie_value(client, name: str) -> str:
    cookie = client.get_cookie(name)
    assert cookie is not None, f"no {name} cookie"
    return cookie.value


def test_a_session_cookie_captured_before_log_out_fails_after_it(app, make):
    user = make.user()
    client = app.test_client()
    login(client, user)
    captured = _cookie_value(client, "session")
    client.post("/logout")
    assert client.get("/my/events").status_code == 302

    thief = app.test_client()
    thief.set_cookie("session", captured)
    response = thief.get("/my/events")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_log_out_ends_the_sessions_on_other_devices_too(app, make):
    user = make.user()
    laptop, phone = app.test_client(), app.test_client()
    login(laptop, user)
    login(phone, user)
    assert phone.get("/my/events").status_code == 200
    laptop.post("/logout")
    assert phone.get("/my/events").status_code == 302
    # Logging in again works, and only the new session counts.
    login(phone, user)
    assert phone.get("/my/events").status_code == 200


def test_remember_me_lasts_30_days_same_site_and_ends_at_log_out(app, make):
    user = make.user()
    client = app.test_client()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD, "remember": "y"})
    line = _cookies(response)["remember_token"]
    morsel = SimpleCookie(line)["remember_token"]
    expires = parsedate_to_datetime(morsel["expires"])
    assert abs((expires - datetime.now(UTC)) - timedelta(days=30)) < timedelta(minutes=5)
    assert morsel["samesite"] == "Lax" and morsel["httponly"]
    captured = morsel.value
    client.post("/logout")

    thief = app.test_client()
    thief.set_cookie("remember_token", captured)
    assert thief.get("/my/events").status_code == 302


def test_a_password_change_ends_sessions_and_remember_me_cookies(app, make):
    from eventhub.accounts.services import set_password
    from eventhub.extensions import db

    user = make.user()
    client = app.test_client()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD, "remember": "y"})
    remembered = SimpleCookie(_cookies(response)["remember_token"])["remember_token"].value
    set_password(db.session, user, "another long passphrase 77")
    db.session.commit()
    assert client.get("/my/events").status_code == 302
    thief = app.test_client()
    thief.set_cookie("remember_token", remembered)
    assert thief.get("/my/events").status_code == 302


def test_cookies_are_secure_when_the_site_is_https(monkeypatch, tmp_path):
    from eventhub.config import load_settings

    monkeypatch.setenv("PUBLIC_BASE_URL", "https://events.example.org")
    settings = load_settings(tmp_path)
    assert settings["SESSION_COOKIE_SECURE"] and settings["REMEMBER_COOKIE_SECURE"]
    monkeypatch.setenv("PUBLIC_BASE_URL", "http://127.0.0.1:5000")
    assert not load_settings(tmp_path)["REMEMBER_COOKIE_SECURE"]


def test_pages_for_a_logged_in_person_are_not_stored(app, make):
    user = make.user()
    client = app.test_client()
    public = client.get("/")
    assert "no-store" not in public.headers.get("Cache-Control", "")
    login(client, user)
    for path in ("/my/events", "/"):
        assert client.get(path).headers["Cache-Control"] == "no-store"
    assert "no-store" not in client.get("/static/css/app.css").headers.get("Cache-Control", "")
