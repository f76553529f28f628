"""Small helpers every blueprint uses: absolute links, safe redirects, ids from URLs, form errors.

One copy of each, so that a fix (an open redirect, a forged Host header) is made once.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, has_request_context, request, url_for
from werkzeug.routing import IntegerConverter

# PostgreSQL's integer: a larger id in a URL is simply not found, never an overflow error.
MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """`<int:…>` in every route: non-negative and at most MAX_ID, else the URL does not match (404)."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def parse_id(value) -> int | None:
    """An id from a query string or form value; None for anything that is not a plausible id."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if 0 < number <= MAX_ID else None


def base_url() -> str:
    """Where links in e-mails and calendars point.

    PUBLIC_BASE_URL when set (required in production, so a forged Host header can never put an
    attacker's host into a password-reset link); in development the request's host.
    """
    configured = current_app.config.get("PUBLIC_BASE_URL") or ""
    if configured:
        return configured.rstrip("/")
    if has_request_context():
        return request.host_url.rstrip("/")
    return f"http://{current_app.config['SERVER_NAME_FOR_UIDS']}"


def path_for(endpoint: str, **values) -> str:
    """url_for's path, also outside a request (e-mails queued by CLI commands)."""
    if has_request_context():
        return url_for(endpoint, **values)
    adapter = current_app.url_map.bind(current_app.config["SERVER_NAME_FOR_UIDS"])
    return adapter.build(endpoint, values)


def absolute_url(endpoint: str, **values) -> str:
    return base_url() + path_for(endpoint, **values)


def safe_next(target: str | None, default: str) -> str:
    """A same-site path to go back to, or `default`. Anything that could leave the site is refused."""
    if not target or any(ord(ch) < 32 or ch == "\\" for ch in target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    return target


def add_domain_error(form, exc) -> None:
    """Show a DomainError next to the form field it names, or above the form when it names none."""
    name = getattr(exc, "field", None)
    if name and name in form._fields:
        form[name].errors = [*list(form[name].errors or []), exc.message]
    else:
        form.form_errors.append(exc.message)
