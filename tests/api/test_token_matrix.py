"""The authorization matrix of the API: every /api/v1/ endpoint, called with each role's token (all
scopes: what the owner may do decides) and without one, answers the expected status. The world is
the one tests/test_authorization_matrix.py builds (its ROLES, in that order); the scopes themselves
are tested in test_read.py and test_checkin_tokens.py."""

from __future__ import annotations

import re
from typing import NamedTuple

import pytest

from eventhub.api.auth import issue_token
from eventhub.api.models import Scope
from eventhub.extensions import db
from tests.test_authorization_matrix import ROLES, build_world

SECRETARIAT = "401 403 403 403 200 403 200 200"  # MANAGE_REGISTRATIONS, VIEW_REPORTS
CHECKIN = "401 403 403 200 200 403 200 200"  # CHECK_IN
PERSON = {"email": "new.person@example.org", "given_name": "New", "family_name": "Person"}


class Call(NamedTuple):
    method: str
    path: str
    expected: str
    json: dict | None = None


CALLS = [
    Call("GET", "/api/v1/events", "200 200 200 200 200 200 200 200"),
    Call("GET", "/api/v1/events/{slug}", "200 200 200 200 200 200 200 200"),
    Call("GET", "/api/v1/events/{draft_slug}", "404 404 404 200 200 404 200 200"),  # drafts: the event's staff
    Call("GET", "/api/v1/events/{slug}/registrations", SECRETARIAT),
    Call("GET", "/api/v1/events/{draft_slug}/registrations", "404 404 404 403 200 404 200 200"),
    Call("GET", "/api/v1/events/{other_slug}/registrations", "401 403 403 403 403 200 403 200"),
    Call("GET", "/api/v1/events/{slug}/delegations", SECRETARIAT),
    Call("GET", "/api/v1/events/{slug}/sessions/{session_id}/bookings", SECRETARIAT),
    Call("GET", "/api/v1/events/{slug}/checkins", CHECKIN),
    Call("GET", "/api/v1/events/{slug}/attendance", SECRETARIAT),
    # The focal point registers in their own delegation, as with the form.
    Call("POST", "/api/v1/events/{slug}/delegations/{delegation_id}/registrations",
         "401 403 201 403 201 403 201 201", PERSON),
    # The focal point decides on their delegation's registrations, as on the pages.
    Call("POST", "/api/v1/events/{slug}/registrations/{registration_id}/decision",
         "401 403 200 403 200 403 200 200", {"decision": "decline", "reason": "matrix"}),
    # The matrix's session is a plenary, not bookable: those allowed (the delegate for themself, their
    # focal point, the secretariat) are told so (422).
    Call("POST", "/api/v1/events/{slug}/sessions/{session_id}/bookings",
         "401 422 422 403 422 403 422 422", {"registration_id": "{registration_id}"}),
    Call("POST", "/api/v1/events/{slug}/checkins", "401 403 403 201 201 403 201 201",
         {"registration_id": "{registration_id}", "nonce": "{nonce}", "day": "{event_day}"}),
]


def _fill(value, ids):
    if isinstance(value, str) and re.fullmatch(r"\{\w+\}", value):
        return ids[value[1:-1]]
    return value


def _status(app, world, role: str, call: Call) -> int:
    user = world.users[role]
    headers = {}
    if user is not None:
        _row, token = issue_token(db.session, user, name="matrix", scopes=set(Scope))
        db.session.commit()
        headers["Authorization"] = f"Bearer {token}"
    path = call.path.format(**world.ids)
    body = {k: _fill(v, world.ids) for k, v in call.json.items()} if call.json is not None else None
    return app.test_client().open(path, method=call.method, json=body, headers=headers).status_code


@pytest.mark.parametrize("call", CALLS, ids=lambda c: f"{c.method} {c.path}")
def test_each_roles_token_gets_what_its_owner_may(app, make, call):
    expected = call.expected.split()
    got = []
    world = build_world(make, 0)
    for i, role in enumerate(ROLES):
        if call.method != "GET" and i:
            world = build_world(make, i)
        world.ids.update(event_day=_day_of(world), nonce=f"matrix-scan-{i:04d}")  # a nonce is unique site-wide
        got.append(str(_status(app, world, role, call)))
    if got != expected:
        table = "\n".join(f"  {role:<16} expected {e}  got {g}{'   <--' if e != g else ''}"
                          for role, e, g in zip(ROLES, expected, got, strict=True))
        pytest.fail(f"{call.method} {call.path}\n{table}")


def _day_of(world) -> str:
    from eventhub.events.models import Event

    return db.session.query(Event).filter_by(slug=world.ids["slug"]).one().start_date.isoformat()


def test_every_api_endpoint_is_in_the_token_matrix(app):
    covered = {(c.method, re.sub(r"\{(draft_slug|other_slug)\}", "{slug}", c.path)) for c in CALLS}
    missing = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/") or rule.endpoint in ("api.openapi", "api.docs"):
            continue
        path = re.sub(r"<(?:[^>]*:)?([^>:]+)>", r"{\1}", rule.rule)
        missing += [f"{m} {path}" for m in sorted(rule.methods - {"HEAD", "OPTIONS"}) if (m, path) not in covered]
    assert not missing, f"Add a Call for each: {missing}"
