import pytest

from tests.conftest import PASSWORD


@pytest.fixture
def app_config(app_config):
    app_config["RATELIMIT_ENABLED"] = True
    app_config["LOGIN_RATE_LIMIT"] = "5 per minute"
    return app_config


def test_login_is_rate_limited_after_repeated_attempts(client, make):
    user = make.user()
    for _ in range(5):
        response = client.post("/login", data={"email": user.email, "password": "guess guess guess"})
        assert response.status_code == 200
    response = client.post("/login", data={"email": user.email, "password": "guess guess guess"})
    assert response.status_code == 429
    assert "Too many attempts" in response.get_data(as_text=True)
    # Reading the form is not limited.
    assert client.get("/login").status_code == 200


def test_password_reset_requests_are_rate_limited(client):
    for _ in range(5):
        assert client.post("/password/forgot", data={"email": "someone@example.org"}).status_code == 200
    assert client.post("/password/forgot", data={"email": "someone@example.org"}).status_code == 429


def _another_worker_posts(config: dict, email: str, times: int) -> list[int]:
    """A second worker process: its own app, its own memory, the same database."""
    from eventhub import create_app
    from eventhub.extensions import db

    app = create_app(config)
    client = app.test_client()
    answers = [client.post("/login", data={"email": email, "password": "guess guess guess"}).status_code
               for _ in range(times)]
    with app.app_context():
        db.engine.dispose()
    return answers


def test_the_login_limit_holds_across_worker_processes_on_one_database(app, app_config, make):
    """Counted in the database, not in a worker's memory: what one process let through counts in the other."""
    import multiprocessing

    from eventhub import create_app
    from eventhub.extensions import db

    email = make.user().email
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        assert pool.apply(_another_worker_posts, (dict(app_config), email, 3)) == [200] * 3
        this_worker = create_app(dict(app_config))
        client = this_worker.test_client()
        answers = [client.post("/login", data={"email": email, "password": "guess guess guess"}).status_code
                   for _ in range(3)]
        assert answers == [200, 200, 429]
        # The other process refuses now too, the right password included.
        assert pool.apply(_another_worker_posts, (dict(app_config), email, 1)) == [429]
    assert client.post("/login", data={"email": email, "password": PASSWORD}).status_code == 429
    with this_worker.app_context():
        db.engine.dispose()


def test_attempts_older_than_the_window_do_not_count(app, make, monkeypatch):
    from datetime import timedelta

    from eventhub.accounts import attempts
    from eventhub.db import utcnow

    user = make.user()
    client = app.test_client()
    for _ in range(5):
        client.post("/login", data={"email": user.email, "password": "guess guess guess"})
    later = utcnow() + timedelta(seconds=61)
    monkeypatch.setattr(attempts, "utcnow", lambda: later)
    assert client.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 302
