"""The live API checked against its own description: schemathesis generates requests from
/api/v1/openapi.json (valid ones, and ones its schema forbids) for every operation and checks each
answer: never a 500, documented status codes and content types, bodies that match the response
schema, and a refusal for what the schema forbids. Bounded (a few examples per operation and mode)
so that it runs in well under a minute."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.specs.openapi import checks as openapi_checks

from eventhub.extensions import db

EXAMPLES = 10
CHECKS = [
    schemathesis.checks.not_a_server_error,
    openapi_checks.status_code_conformance,
    openapi_checks.content_type_conformance,
    openapi_checks.response_schema_conformance,
    openapi_checks.negative_data_rejection,
]


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_every_answer_matches_the_description(app, make, world, token_for, mode):
    visit = make.session(world.event, kind="site_visit", bookable=True, capacity=3)
    reg = make.registration(world.event, world.prc, status="submitted")
    db.session.commit()
    # Ids that exist, so that generated requests reach the endpoints' rules rather than a 404.
    ids = {"slug": "cluster", "session_id": visit.id, "delegation_id": world.prc.id, "registration_id": reg.id}
    headers = token_for(world.organizer)
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 11  # every /api/v1/ endpoint (test_openapi.py checks none is missing)
    checked = []
    for operation in operations:
        wanted = {k: v for k, v in ids.items() if f"{{{k}}}" in operation.path}

        @given(case=operation.as_strategy(mode, path_parameters=wanted))
        @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def check(case):
            case.call_and_validate(headers=headers, checks=CHECKS)

        try:
            check()
        except Unsatisfiable:
            # Nothing of this operation can be made invalid once its path is fixed (no query, no body).
            assert mode == GenerationMode.NEGATIVE, operation.label
            continue
        checked.append(operation.label)
    assert "POST /api/v1/events/{slug}/delegations/{delegation_id}/registrations" in checked
    assert "GET /api/v1/events/{slug}/registrations" in checked
