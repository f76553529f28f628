"""The attendance summary in a real browser at desktop width: every chart label is drawn inside its
chart (none cut at the left edge) and the "By category" table shows its last column (No-shows)."""

from __future__ import annotations

from datetime import date

from eventhub.attendance import services
from eventhub.extensions import db
from tests.browser.conftest import browser_login
from tests.conftest import PASSWORD

LONG = "Roundtable: petroleum and petrochemicals industry cluster development"


def test_chart_labels_and_category_table_are_not_clipped(page, live_server, make):
    event = make.event(slug="charts", start=date(2030, 6, 27), days=1)
    tha = make.delegation(event, "THA", quota=10)
    roundtable = make.session(event, title=LONG, kind="roundtable", capacity=10, start="10:30", end="12:00")
    staff = make.staff(event, "secretariat", "sec@example.org")
    for i, category in enumerate(["head_of_delegation", "speaker", "moderator", "delegate"]):
        reg = make.registration(event, tha, given_name=f"P{i}", family_name="Test", category=category)
        if i % 2:
            services.check_in(db.session, event, reg, services.resolve_scope(db.session, event,
                                                                           session_id=roundtable.id), by=staff)
    db.session.commit()
    browser_login(page, live_server, "sec@example.org", PASSWORD)
    page.goto(f"{live_server}/events/{event.slug}/reports/attendance")
    assert page.evaluate("window.innerWidth") == 1280

    outside = page.evaluate("""() => [...document.querySelectorAll('svg.chart text')].filter(t => {
        const box = t.getBBox(), view = t.ownerSVGElement.viewBox.baseVal;
        return box.x < 0 || box.x + box.width > view.width; }).map(t => t.textContent)""")
    assert outside == []
    label = page.locator(".session-chart svg g", has=page.locator("title", has_text=LONG))
    assert label.locator("text").text_content().startswith("Roundtable: petroleum")
    assert label.locator("text").text_content().endswith("…")

    clipped = page.evaluate("""() => [...document.querySelectorAll('.report-section .table-wrap')]
        .filter(w => w.scrollWidth > w.clientWidth).map(w => w.querySelector('caption').textContent)""")
    assert clipped == []
    no_shows = page.locator("#h-category + .report-grid table").first.locator("th", has_text="No-shows")
    box, wrap = no_shows.bounding_box(), page.locator("#h-category + .report-grid .table-wrap").first.bounding_box()
    assert box["x"] + box["width"] <= wrap["x"] + wrap["width"] + 1
