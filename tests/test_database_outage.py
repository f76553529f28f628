"""While the database is away, pages answer 503 "try again" (not a bare 500), and the app
recovers by itself once the database is back."""

import pytest

from eventhub import create_app
from eventhub.extensions import db
from tests.conftest import make_test_config


@pytest.fixture
def missing_dir(tmp_path):
    return tmp_path / "not-yet"  # SQLite cannot open a file in a folder that does not exist


@pytest.fixture
def away_app(tmp_path, smtp_server, missing_dir):
    config = make_test_config(tmp_path, None, smtp_server,
                              SQLALCHEMY_DATABASE_URI=f"sqlite:///{missing_dir / 'eventhub.db'}")
    return create_app(config)


def test_a_logged_in_user_gets_a_try_again_page_and_the_app_recovers(away_app, missing_dir):
    client = away_app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = "1:1"  # a logged-in user's cookie: loading the user needs the database
    response = client.get("/")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    body = response.get_data(as_text=True)
    assert "Try again in a moment" in body and "cannot reach its database" in body
    assert "Traceback" not in body and "Internal Server Error" not in body

    api = client.post("/api/events/demo/checkins", json={"token": "x"},
                      headers={"Authorization": "Bearer some-token"})
    assert api.status_code == 503 and api.get_json()["error"] == "Try again in a moment"

    missing_dir.mkdir()  # the database is back
    with away_app.app_context():
        db.create_all()
    assert client.get("/").status_code == 200


def test_an_unreachable_postgresql_server_gives_the_same_page(tmp_path, smtp_server):
    # Nothing listens on port 1: the connection is refused at once.
    config = make_test_config(tmp_path, None, smtp_server,
                              SQLALCHEMY_DATABASE_URI="postgresql+psycopg://nobody@127.0.0.1:1/eventhub")
    response = create_app(config).test_client().get("/")
    assert response.status_code == 503
    assert "cannot reach its database" in response.get_data(as_text=True)
