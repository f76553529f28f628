"""Settings come from the environment; production refuses to start without its secrets."""

import subprocess
import sys

import pytest

from eventhub import create_app
from eventhub.config import ConfigError, load_settings, normalise_database_url


def test_production_without_secret_key_refuses_to_start(monkeypatch, tmp_path):
    monkeypatch.setenv("EVENTHUB_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://events.example.org")
    with pytest.raises(ConfigError, match="SECRET_KEY is not set"):
        load_settings(tmp_path)


def test_production_without_public_base_url_refuses_to_start(monkeypatch, tmp_path):
    monkeypatch.setenv("EVENTHUB_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "s" * 64)
    monkeypatch.delenv("PUBLIC_BASE_URL", raising=False)
    with pytest.raises(ConfigError, match="PUBLIC_BASE_URL is not set"):
        load_settings(tmp_path)


def test_gunicorn_style_start_prints_the_reason_not_a_secret(tmp_path):
    env = {"EVENTHUB_ENV": "production", "PATH": "/usr/bin:/bin", "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"}
    result = subprocess.run([sys.executable, "-c", "import wsgi"], capture_output=True, text=True, env=env,
                            cwd=str(__import__("pathlib").Path(__file__).resolve().parent.parent))
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_development_keeps_one_generated_secret_key(monkeypatch, tmp_path):
    monkeypatch.delenv("EVENTHUB_ENV", raising=False)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = load_settings(tmp_path)["SECRET_KEY"]
    assert len(first) >= 32 and load_settings(tmp_path)["SECRET_KEY"] == first


@pytest.mark.parametrize("given, expected", [
    ("postgres://u:p@h/db", "postgresql+psycopg://u:p@h/db"),
    ("postgresql://u:p@h/db", "postgresql+psycopg://u:p@h/db"),
    ("sqlite:////tmp/x.db", "sqlite:////tmp/x.db"),
])
def test_database_urls_use_psycopg3(given, expected):
    assert normalise_database_url(given) == expected


def test_huge_ids_in_urls_are_not_found_not_errors(app, client, make):
    event = make.event(slug="big-ids")
    organizer = make.staff(event, "organizer")
    client.post("/login", data={"email": organizer.email, "password": "correct horse battery staple"})
    for path in ("/events/big-ids/registrations/99999999999999999999", "/events/big-ids/sessions/2147483648",
                 "/admin/mail/99999999999999999999"):
        assert client.get(path).status_code == 404


def test_create_app_is_importable_without_side_effects():
    assert callable(create_app)
