import pytest


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
