"""At phone width (390px) wide tables become one card per row: no sideways scrolling, and the action
buttons (Edit/Delete, Approve/Decline/Replace, Undo) are on screen, not hidden off to the right."""

from __future__ import annotations

from datetime import date

from eventhub.attendance import services
from eventhub.extensions import db
from tests.browser.conftest import browser_login
from tests.conftest import PASSWORD


def _world(make):
    event = make.event(slug="phone", title="Project on Promoting SME Industrial Cluster Development",
                       start=date(2030, 6, 27), days=1)
    make.room(event, "Guangzhou Seye Biopharmaceutical Technology Co., Ltd. (off-site)", capacity=40)
    tha = make.delegation(event, "THA", quota=10)
    waiting = make.registration(event, tha, given_name="Siriporn", family_name="Chaiyaporn-Wongsawat",
                                name_local="ศิริพร ชัยพร", status="submitted", organisation="Office of SME Promotion",
                                email="siriporn.chaiyaporn-wongsawat@osmep.example.org")
    here = make.registration(event, tha, given_name="Souksavanh", family_name="Phommachanh", consent_list=True,
                             organisation="Ministry of Industry and Commerce, Department of SME Promotion")
    staff = make.staff(event, "secretariat", "sec@example.org")
    make.role(event, staff, "organizer")
    scope = services.resolve_scope(db.session, event, day=event.start_date)
    services.check_in(db.session, event, here, scope, by=staff)
    db.session.commit()
    return event, tha, waiting


def _fits(page) -> None:
    width = page.evaluate("window.innerWidth")
    assert width == 390
    assert page.evaluate("document.scrollingElement.scrollWidth") <= width, page.url


def _on_screen(page, locator) -> None:
    assert locator.count() > 0
    for i in range(locator.count()):
        element = locator.nth(i)
        assert element.is_visible()
        box = element.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, (page.url, box)


def test_tables_stack_into_cards_with_their_buttons_on_screen(phone_page, live_server, make):
    page = phone_page
    event, tha, waiting = _world(make)
    browser_login(page, live_server, "sec@example.org", PASSWORD)

    page.goto(f"{live_server}/events/{event.slug}/manage/rooms")
    _fits(page)
    _on_screen(page, page.locator("table.rooms").get_by_role("link", name="Edit"))
    _on_screen(page, page.locator("table.rooms").get_by_role("button", name="Delete"))
    # Each value carries its column's name, since the header row is not shown.
    label = page.locator("table.rooms td[data-label=Capacity]").first.evaluate(
        "td => getComputedStyle(td, '::before').content")
    assert label == '"Capacity"'

    page.goto(f"{live_server}/events/{event.slug}/delegations/{tha.id}/")
    _fits(page)
    for name in ("Approve", "Decline"):
        _on_screen(page, page.get_by_role("button", name=f"{name} {waiting.full_name}"))
    _on_screen(page, page.get_by_role("link", name=f"Replace {waiting.full_name}"))

    page.goto(f"{live_server}/events/{event.slug}/registrations/")
    _fits(page)
    _on_screen(page, page.locator("table.registrations a", has_text="CHAIYAPORN-WONGSAWAT"))

    page.goto(f"{live_server}/events/{event.slug}/checkin")
    _fits(page)
    _on_screen(page, page.locator("table.recent button", has_text="Undo"))

    page.goto(f"{live_server}/events/{event.slug}/participants")
    _fits(page)
    _on_screen(page, page.locator("table.participants td", has_text="Ministry of Industry"))


def test_consent_check_boxes_sit_beside_their_labels(phone_page, live_server, make):
    page = phone_page
    event, _tha, _waiting = _world(make)
    browser_login(page, live_server, "sec@example.org", PASSWORD)
    page.goto(f"{live_server}/events/{event.slug}/registrations/new")
    _fits(page)
    for name in ("consent_list", "consent_photo"):
        box = page.locator(f"input[name={name}]").bounding_box()
        label = page.locator(f"label[for={name}]").bounding_box()
        assert abs(box["y"] - label["y"]) < 12, (name, box, label)  # on the label's first line, not above it
        assert label["x"] > box["x"] + box["width"]  # and to its right
