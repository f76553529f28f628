"""The phone desk in a real browser, beyond scanning: the search and walk-ins offline, counts with
the scans still waiting, a sync cut half way, a list too old, clearing the desk, other desks' scans."""

from __future__ import annotations

import re
from datetime import date

from eventhub.attendance.models import DeskSettings
from eventhub.extensions import db
from tests.attendance.conftest import badge_token
from tests.browser.conftest import browser_login
from tests.browser.test_desk_offline import ONLINE, phones, scan, server_checkins, set_up_desk  # noqa: F401
from tests.conftest import PASSWORD


def _event(make, *, walk_ins=False, max_hours=None):
    event = make.event(slug="desk-phone", title="SME Cluster Workshop", start=date(2030, 6, 27), days=1)
    prc = make.delegation(event, "PRC", quota=10)
    tha = make.delegation(event, "THA", quota=10)
    people = [
        make.registration(event, prc, given_name="Wei", family_name="Chen", name_local="陈伟"),
        make.registration(event, tha, given_name="Somchai", family_name="Jaidee"),
        make.registration(event, tha, given_name="Lê", family_name="Văn Anh"),
    ]
    make.staff(event, "secretariat" if walk_ins else "checkin", "desk@example.org")
    if max_hours:
        db.session.add(DeskSettings(event_id=event.id, roster_max_hours=max_hours))
    db.session.commit()
    return event, people


def _count(page):
    return page.locator("#desk-count").inner_text()


def test_offline_search_walk_in_and_counts_with_the_waiting_scans(phones, live_server, make):  # noqa: F811
    event, (chen, somchai, le) = _event(make, walk_ins=True)
    context, page = phones()
    set_up_desk(page, live_server, event.slug, "Gate A")
    assert re.match(r"^0 checked in for ", _count(page))
    context.set_offline(True)

    assert scan(page, badge_token(chen)).lower() == "checked in"
    # No badge: found on the desk's own list (accents do not matter), checked in from there.
    page.fill("#search", "le van")
    result = page.locator("#search-results li", has_text="Lê VĂN ANH")
    result.wait_for()
    result.locator("button").click()
    page.locator("#result.result-green").wait_for()
    assert page.locator("#result-name").inner_text() == "Lê VĂN ANH"
    page.click("#result-close")
    page.fill("#search", "jaidee")
    page.locator("#search-results li", has_text="Somchai JAIDEE").wait_for()
    page.fill("#search", "Nobody Here")
    page.locator("#search-none").wait_for()

    # A walk-in, offline: the form asks for what is missing (no sex is chosen for them), then queues.
    page.click("#walk-in-open")
    assert page.locator("#wi-given_name").input_value() == "Nobody"
    assert page.locator("input[name=sex]:checked").count() == 0
    page.fill("#wi-email", "mai@example.org")
    page.click("#walk-in-form button[type=submit]")
    assert page.locator("#wi-sex-error").inner_text().startswith("Choose one, as the person tells you")
    assert page.locator("#wi-economy-error").inner_text() == "Choose the economy."
    page.fill("#wi-given_name", "Mai")
    page.fill("#wi-family_name", "Nguyen")
    page.select_option("#wi-economy", label="Viet Nam")
    page.check("input[name=sex][value=female]")
    page.click("#walk-in-form button[type=submit]")
    page.locator("#result.result-green").wait_for()
    assert page.locator("#result-name").inner_text() == "Mai NGUYEN"
    page.click("#result-close")

    assert page.locator("#net-banner").inner_text() == "Offline — 3 scans waiting"
    assert re.match(r"^3 checked in for .+ \(3 of them waiting on this desk\)$", _count(page))
    assert server_checkins() == []

    context.set_offline(False)
    page.locator("#net-banner", has_text=ONLINE).wait_for()
    page.locator("#desk-count", has_text=re.compile(r"^3 checked in for [^(]+$")).wait_for()
    rows = server_checkins()
    assert len(rows) == 3 and {r.registration.badge_name for r in rows} == {"Wei CHEN", "Lê VĂN ANH", "Mai NGUYEN"}
    assert [r.source.value for r in rows if r.registration.badge_name == "Mai NGUYEN"] == ["walk_in"]
    assert somchai.id not in {r.registration_id for r in rows}


def test_check_in_staff_see_no_walk_in_button(phones, live_server, make):  # noqa: F811
    event, _people = _event(make)
    _context, page = phones()
    set_up_desk(page, live_server, event.slug, "Gate A")
    page.fill("#search", "chen")
    page.locator("#search-results li", has_text="Wei CHEN").wait_for()
    assert page.locator("#walk-in-open").is_hidden()


def test_a_sync_cut_half_way_resumes_without_doubles(phones, live_server, make):  # noqa: F811
    event, people = _event(make)
    context, page = phones()
    set_up_desk(page, live_server, event.slug, "Gate A")
    context.set_offline(True)
    for person in people:
        assert scan(page, badge_token(person)).lower() == "checked in"
    sent = []

    def server_records_but_the_answer_is_lost(route):
        sent.append(route.request.post_data_json["nonce"])
        if len(sent) == 2:
            route.fetch()  # the server records the second scan…
            route.abort("connectionreset")  # …and the desk never hears it
        else:
            route.continue_()

    context.route("**/api/events/desk-phone/checkins", server_records_but_the_answer_is_lost)
    context.set_offline(False)
    page.locator("#net-banner", has_text=ONLINE).wait_for(timeout=20_000)
    assert len(sent) == 4 and sent[1] == sent[2]  # the lost one was sent again, with its nonce
    rows = server_checkins()
    assert sorted(r.registration_id for r in rows) == sorted(p.id for p in people)


def test_a_list_older_than_the_events_limit_warns_before_scanning(phones, live_server, make):  # noqa: F811
    event, (chen, _somchai, _le) = _event(make, max_hours=2)
    context, page = phones()
    page.clock.install()
    set_up_desk(page, live_server, event.slug, "Gate A")
    context.set_offline(True)
    assert page.locator("#roster-warning").is_hidden()
    page.clock.fast_forward("03:00:00")
    warning = page.locator("#roster-warning")
    warning.wait_for()
    assert "3 hours old" in warning.inner_text()
    assert scan(page, badge_token(chen)).lower() == "needs a decision"  # nothing queued
    assert page.locator("#net-banner").inner_text().startswith("Offline — scans")
    page.click("#roster-warning-ok")
    assert warning.is_hidden()
    assert scan(page, badge_token(chen)).lower() == "checked in"


def test_clearing_the_desk_with_scans_waiting_warns_first(phones, live_server, make):  # noqa: F811
    event, (chen, _somchai, _le) = _event(make)
    context, page = phones()
    set_up_desk(page, live_server, event.slug, "Gate A")
    context.set_offline(True)
    assert scan(page, badge_token(chen)).lower() == "checked in"
    # Leaving the page offline with a scan waiting asks first.
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    page.evaluate("() => { window.location.href = window.location.href; }")
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]
    page.click("#clear-open")
    assert page.locator("#clear-text").inner_text().startswith("1 scan has not been sent yet: clearing the desk loses it")
    page.click("#clear-no")
    assert page.locator("#clear-confirm").is_hidden()
    assert page.locator("#net-banner").inner_text() == "Offline — 1 scan waiting"
    context.set_offline(False)
    page.locator("#net-banner", has_text=ONLINE).wait_for()
    page.click("#clear-open")
    assert page.locator("#clear-text").inner_text().startswith("This removes the desk's access")
    page.click("#clear-yes")
    page.locator("#setup").wait_for()
    assert len(server_checkins()) == 1


def test_latest_scans_reach_every_desk_of_the_scope(phones, live_server, make):  # noqa: F811
    event, (chen, _somchai, _le) = _event(make)
    _context_a, desk_a = phones()
    _context_b, desk_b = phones()
    set_up_desk(desk_a, live_server, event.slug, "Gate A")
    set_up_desk(desk_b, live_server, event.slug, "Gate B")
    assert scan(desk_a, badge_token(chen)).lower() == "checked in"
    desk_b.locator("#recent li", has_text="Wei CHEN").wait_for()  # polled, within seconds
    assert "Gate A" in desk_b.locator("#recent li", has_text="Wei CHEN").inner_text()
    desk_b.locator("#desk-count", has_text=re.compile(r"^1 checked in for ")).wait_for()


def test_an_anonymous_visitor_gets_the_login_page(page, live_server, make):
    event, _people = _event(make)
    page.goto(f"{live_server}/events/{event.slug}/desk/")
    assert "/login" in page.url
    browser_login(page, live_server, "desk@example.org", PASSWORD)
    page.goto(f"{live_server}/events/{event.slug}/desk/")
    page.click("text=← Event page")
    assert page.url == f"{live_server}/events/{event.slug}/"
