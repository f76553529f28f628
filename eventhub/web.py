"""Small helpers every blueprint uses: absolute links, safe redirects, ids from URLs, form errors,
and the guard against input no field can hold (NUL characters, JSON nested too deeply).

One copy of each, so that a fix (an open redirect, a forged Host header) is made once.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from flask import current_app, has_request_context, request, url_for
from flask_babel import gettext as _
from werkzeug.exceptions import BadRequest
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


# --- Input no field can hold --------------------------------------------------------------------------

# JSON the app takes is flat (the scanner API: one object of scalars). Python's parser recurses per
# level and fails past about a thousand; refuse anything deeper than this before parsing.
MAX_JSON_DEPTH = 32

_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_JSON_BRACKET = re.compile(rb"[\[\]{}]")


class BadInput(BadRequest):
    """A 400 whose description says what was wrong with the input (shown on the error page)."""


def json_depth(body: bytes) -> int:
    """How deeply arrays and objects nest in a JSON text (brackets inside strings do not count)."""
    depth = deepest = 0
    for match in _JSON_BRACKET.finditer(_JSON_STRING.sub(b'""', body)):
        if match.group() in (b"[", b"{"):
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def _nul_in_json(value) -> bool:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


# Views that answer unusable input themselves, in their own shape: the desk puts the message next
# to the field it concerns, the scanner API answers with the JSON its apps read.
_CHECKS_OWN_INPUT: set = set()


def checks_own_input(view):
    """Mark a view as refusing NUL characters and deep JSON itself (refuse_unusable_input skips it)."""
    _CHECKS_OWN_INPUT.add(view)
    return view


def refuse_unusable_input() -> None:
    """Raise BadInput (400) for input that no text field can hold, before any view sees it.

    A NUL character cannot be stored in a PostgreSQL text column (and breaks SQLite lookups), in
    a URL, a query string, a form field or a JSON string; JSON nested deeper than MAX_JSON_DEPTH
    would exhaust the parser. Called from a before_request hook for every request.
    """
    if "\x00" in request.path:
        raise BadInput(_("The address contains a NUL character (\\0). Check the link."))
    if current_app.view_functions.get(request.endpoint) in _CHECKS_OWN_INPUT:
        return
    for source, values in (("address", request.args), ("form", request.form)):
        for name, value in values.items(multi=True):
            if "\x00" in name or "\x00" in value:
                label = name.replace("\x00", "") or "?"
                message = (_("The field “%(name)s” in the address contains a NUL character (\\0), which text "
                             "cannot hold. Remove it (it often comes from copying out of another program) and "
                             "try again.", name=label) if source == "address" else
                           _("The field “%(name)s” in the form contains a NUL character (\\0), which text "
                             "cannot hold. Remove it (it often comes from copying out of another program) and "
                             "try again.", name=label))
                raise BadInput(message)
    if request.is_json and request.content_length != 0:
        body = request.get_data(cache=True)
        if json_depth(body) > MAX_JSON_DEPTH:
            raise BadInput(_("The JSON is nested more than %(num)d levels deep; EventHub reads flat objects "
                             "only.", num=MAX_JSON_DEPTH))
        if b"\\u0000" in body.lower() or b"\x00" in body:
            if _nul_in_json(request.get_json(silent=True)):
                raise BadInput(_("A text value in the JSON contains a NUL character (\\u0000), which text "
                                 "cannot hold."))

