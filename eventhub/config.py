"""Settings from the environment (12-factor). Nothing here reads a file except the dev secret key."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path


class ConfigError(RuntimeError):
    """Raised when the environment cannot start the application safely."""


def _database_url(instance_path: Path) -> str:
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        return f"sqlite:///{instance_path / 'eventhub.db'}"
    return normalise_database_url(url)


def normalise_database_url(url: str) -> str:
    # Heroku-style and plain PostgreSQL URLs go through psycopg 3.
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def _dev_secret_key(instance_path: Path) -> str:
    """A development key kept in the instance folder, so log-ins survive a restart."""
    path = instance_path / "secret_key"
    if path.exists():
        return path.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    path.write_text(key)
    path.chmod(0o600)
    return key


def load_settings(instance_path: Path) -> dict:
    env = os.environ.get("EVENTHUB_ENV", "development").strip().lower()
    production = env == "production"
    secret_key = os.environ.get("SECRET_KEY", "").strip()
    if not secret_key:
        if production:
            raise ConfigError(
                "SECRET_KEY is not set. EventHub refuses to start in production without it: "
                "set SECRET_KEY to a long random value (for example: python -c "
                "'import secrets; print(secrets.token_hex(32))')."
            )
        secret_key = _dev_secret_key(instance_path)
    public_base_url = os.environ.get("PUBLIC_BASE_URL", "").strip().rstrip("/")
    if production and not public_base_url:
        raise ConfigError(
            "PUBLIC_BASE_URL is not set. In production EventHub builds the links in e-mails and calendars "
            "(password resets, invitations) from it, never from a request's Host header: set it to the "
            "address people use, for example https://events.example.org."
        )
    # Cookies only over https in production, and wherever the site's address is https.
    secure_cookies = production or public_base_url.startswith("https://")

    return {
        "EVENTHUB_ENV": env,
        "SECRET_KEY": secret_key,
        "SQLALCHEMY_DATABASE_URI": _database_url(instance_path),
        "SERVER_NAME_FOR_UIDS": os.environ.get("EVENTHUB_HOST", "eventhub.local"),
        "PUBLIC_BASE_URL": public_base_url,
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", ""),
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "25")),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD", ""),
        "MAIL_TIMEOUT": float(os.environ.get("MAIL_TIMEOUT", "10")),
        "MAIL_USE_TLS": os.environ.get("MAIL_USE_TLS", "") in ("1", "true", "yes"),
        "MAIL_DEFAULT_SENDER": os.environ.get("MAIL_DEFAULT_SENDER", "EventHub <no-reply@eventhub.local>"),
        "MAIL_DIR": os.environ.get("MAIL_DIR", str(instance_path / "mail")),
        # How many messages a minute the SMTP server accepts (0: no limit); see eventhub.mail.delivery.
        "MAIL_RATE_PER_MINUTE": int(os.environ.get("MAIL_RATE_PER_MINUTE", "0")),
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_ENABLED": os.environ.get("RATELIMIT_ENABLED", "1") not in ("0", "false", "no"),
        "LOGIN_RATE_LIMIT": os.environ.get("LOGIN_RATE_LIMIT", "10 per minute"),
        "REGISTRATION_RATE_LIMIT": os.environ.get("REGISTRATION_RATE_LIMIT", "30 per minute"),
        "API_RATE_LIMIT": os.environ.get("API_RATE_LIMIT", "600/minute"),  # per API token
        "WEBHOOKS_ALLOW_PRIVATE": os.environ.get("WEBHOOKS_ALLOW_PRIVATE", "") in ("1", "true", "yes"),
        "WEBHOOKS_TIMEOUT": float(os.environ.get("WEBHOOKS_TIMEOUT", "5")),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": secure_cookies,
        # "Keep me logged in": 30 days, not flask-login's default year, and never sent cross-site.
        "REMEMBER_COOKIE_DURATION": timedelta(days=30),
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": secure_cookies,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "WTF_CSRF_TIME_LIMIT": None,
        "MAX_CONTENT_LENGTH": 8 * 1024 * 1024,
        "PASSWORD_RESET_MAX_AGE": 3600,
        "PAGE_SIZE": 50,
    }
