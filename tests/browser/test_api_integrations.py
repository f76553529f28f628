"""API and integrations in a real browser: make a scoped token and use it, add a webhook and see
its delivery, read the reference page (Redoc, served from static/)."""

from __future__ import annotations

import threading
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import requests

from eventhub.api.delivery import deliver_due_webhooks
from tests.browser.conftest import browser_login
from tests.conftest import PASSWORD


class _Ok(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802
        self.rfile.read(int(self.headers["Content-Length"]))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_token_webhook_and_reference_page(page, live_server, make, app):
    app.config["WEBHOOKS_ALLOW_PRIVATE"] = True
    event = make.event(slug="api-test", title="SME Cluster Workshop", start=date(2030, 6, 27))
    tha = make.delegation(event, "THA", quota=5)
    make.staff(event, "organizer", "org@example.org")
    receiver = ThreadingHTTPServer(("127.0.0.1", 0), _Ok)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    hook_url = f"http://127.0.0.1:{receiver.server_port}/hook"
    try:
        browser_login(page, live_server, "org@example.org", PASSWORD)
        page.goto(f"{live_server}/my/api-tokens")
        page.fill("#name", "Hotel rooming list")
        page.check("input[value='registrations:read']")
        page.check("input[value='registrations:write']")
        page.click("button:has-text('Make the token')")
        token = page.locator("#new-api-token").inner_text().strip()
        headers = {"Authorization": f"Bearer {token}"}

        page.goto(f"{live_server}/events/{event.slug}/integrations")
        page.fill("#url", hook_url)
        page.check("input[value='registration.created']")
        page.click("button:has-text('Add the webhook')")
        assert "The webhook is saved" in page.inner_text("body")

        made = requests.post(f"{live_server}/api/v1/events/{event.slug}/delegations/{tha.id}/registrations",
                             json={"email": "anong@example.org", "given_name": "Anong", "family_name": "Srisuk"},
                             headers={**headers, "Idempotency-Key": "k1"}, timeout=10)
        assert made.status_code == 201
        listed = requests.get(f"{live_server}/api/v1/events/{event.slug}/registrations", headers=headers, timeout=10)
        assert [r["email"] for r in listed.json()["data"]] == ["anong@example.org"]
        with app.app_context():
            assert deliver_due_webhooks() == (1, 0)
        page.reload()
        row = page.locator("tr.delivery-delivered")
        assert "Registration created" in row.inner_text() and "HTTP 204" in row.inner_text()

        page.goto(f"{live_server}/api/v1/docs")
        page.wait_for_selector("h1:has-text('EventHub API')", timeout=20_000)
        assert "/api/v1/events/{slug}/registrations" in page.inner_text("body")
    finally:
        receiver.shutdown()
        receiver.server_close()
