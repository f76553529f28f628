"""Rate limits per token: 429 with Retry-After in the API's error shape."""

from __future__ import annotations

import pytest


@pytest.fixture
def app_config(app_config):
    app_config.update(RATELIMIT_ENABLED=True, API_RATE_LIMIT="3/minute")
    return app_config


def test_a_token_over_its_limit_gets_429_with_retry_after(client, world, token_for):
    headers = token_for(world.secretariat)
    statuses = [client.get("/api/v1/events/cluster/delegations", headers=headers).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = client.get("/api/v1/events/cluster/delegations", headers=headers)
    assert limited.get_json()["error"]["code"] == "rate_limited" and int(limited.headers["Retry-After"]) > 0
    other = token_for(world.organizer)  # another token has its own allowance
    assert client.get("/api/v1/events/cluster/delegations", headers=other).status_code == 200
