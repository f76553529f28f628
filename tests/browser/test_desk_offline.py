

def test_an_unapproved_badge_is_amber_and_only_the_secretariat_records_the_override(phones, live_server, make):
    event, _chen, _somchai = _event(make)
    pending = make.registration(event, event.delegations[0] if getattr(event, "delegations", None) else
                                make.delegation(event, "USA", quota=5), given_name="Ana", family_name="Lopez",
                                status="submitted")
    make.staff(event, "secretariat", "sec@example.org")
    db.session.commit()
    # Check-in staff: amber, nothing recorded, and no override offered.
    _context, desk = phones()
    _set_up_desk(desk, live_server, event.slug, "Gate A")
    desk.fill("#code", badge_token(pending))
    desk.press("#code", "Enter")
    desk.locator("#result.result-amber").wait_for()
    assert desk.locator("#result-title").inner_text().lower() == "needs a decision"
    assert desk.locator("#override-form").is_hidden()
    assert _server_checkins() == []
    # The secretariat's desk: the deliberate second step, with a reason, logged as an override.
    _context, sec = phones()
    browser_login(sec, live_server, "sec@example.org", PASSWORD)
    sec.goto(f"{live_server}/events/{event.slug}/desk/")
    sec.click("button:has-text('Set up this desk')")
    sec.locator("#event-title", has_text="SME Cluster Workshop").wait_for()
    sec.fill("#code", badge_token(pending))
    sec.press("#code", "Enter")
    sec.locator("#override-form").wait_for()
    sec.click("#override-button")
    assert sec.locator("#result-message").inner_text() == "Give the reason first."
    sec.fill("#override-reason", "approved by phone by the head of delegation")
    sec.click("#override-button")
    sec.locator("#result.result-green").wait_for()
    rows = _server_checkins()
    assert len(rows) == 1 and rows[0].overridden
    assert rows[0].override_reason == "approved by phone by the head of delegation"
