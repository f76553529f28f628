"""The OpenAPI 3.1 description is generated from the endpoints, valid, and covers every route."""

from __future__ import annotations

import re

from openapi_spec_validator import validate


def test_the_description_is_valid_openapi_31_and_names_every_route(app, client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.1")
    validate(spec)
    documented = {(path, method.upper()) for path, item in spec["paths"].items() for method in item}
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("api.") or rule.endpoint in ("api.openapi", "api.docs", "api.static"):
            continue
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert (path, method) in documented, f"{method} {path} is not in the description"
    create = spec["paths"]["/api/v1/events/{slug}/delegations/{delegation_id}/registrations"]["post"]
    assert "requestBody" in create and "201" in create["responses"]


def test_the_reference_page_is_served_from_static_without_a_cdn(client):
    page = client.get("/api/v1/docs")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "/static/api-docs/redoc.standalone.js" in html
    assert "https://" not in html
    assert client.get("/static/api-docs/redoc.standalone.js").status_code == 200
