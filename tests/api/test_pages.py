"""The API tokens page and the integrations page: who may use them, what they show."""

from __future__ import annotations

from eventhub.api.models import ApiToken
from eventhub.extensions import db


def test_make_a_scoped_token_shown_once_then_use_and_revoke_it(client, world, login_as):
    login_as(world.secretariat)
    page = client.post("/my/api-tokens", data={"name": "Hotel rooming list",
                                               "scopes": ["registrations:read", "events:read"]})
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Hotel rooming list" in html and "shown only once" in html
    token = html.split('id="new-api-token">')[1].split("<")[0]
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/events/cluster/registrations", headers=headers).status_code == 200
    assert client.get("/my/api-tokens").get_data(as_text=True).count(token) == 0  # never shown again
    row = db.session.query(ApiToken).one()
    assert row.expires_at is not None and (row.expires_at - row.created_at).days == 90  # the default
    client.post(f"/my/api-tokens/{row.id}/revoke")
    assert client.get("/api/v1/events/cluster/registrations", headers=headers).status_code == 401


def test_a_token_needs_a_name_and_a_scope_said_next_to_the_field(client, world, login_as):
    login_as(world.secretariat)
    page = client.post("/my/api-tokens", data={"name": "x"})
    assert page.status_code == 400 and "Choose at least one scope." in page.get_data(as_text=True)
    assert db.session.query(ApiToken).count() == 0


def test_only_organizers_see_the_integrations_page(client, world, login_as):
    assert client.get("/events/cluster/integrations").status_code == 302  # to log in
    login_as(world.secretariat)
    assert client.get("/events/cluster/integrations").status_code == 403
    login_as(world.focal_tha)
    assert client.get("/events/cluster/integrations").status_code == 403
    login_as(world.organizer)
    page = client.get("/events/cluster/integrations")
    assert page.status_code == 200 and "Add a webhook" in page.get_data(as_text=True)


def test_pages_in_chinese(client, world, login_as):
    login_as(world.organizer)
    headers = {"Accept-Language": "zh-CN"}
    html = client.get("/events/cluster/integrations", headers=headers).get_data(as_text=True)
    assert "集成" in html and "添加 Webhook" in html
    html = client.get("/my/api-tokens", headers=headers).get_data(as_text=True)
    assert "API 令牌" in html


def test_a_token_can_be_made_to_work_until_revoked(client, world, login_as):
    login_as(world.secretariat)
    page = client.post("/my/api-tokens", data={"name": "Badge printer", "scopes": ["checkins:write"],
                                               "valid_days": ""})
    assert page.status_code == 200 and "until revoked" in page.get_data(as_text=True)
    assert db.session.query(ApiToken).one().expires_at is None
