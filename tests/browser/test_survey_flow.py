"""The survey's main flow in a browser: the organizer builds one from the APEC template and invites
those who attended; the delegate answers on a phone (an unanswered question is marked, then saved);
the organizer sees the response rate and the mean."""

from __future__ import annotations

import re

from eventhub.attendance import services
from eventhub.extensions import db
from tests.browser.conftest import browser_login
from tests.conftest import PASSWORD


def test_organizer_sends_survey_and_delegate_answers_on_a_phone(page, phone_page, live_server, make, mailbox):
    event = make.event(slug="ports", title="Green Ports Workshop")
    organizer = make.staff(event, "organizer", "org@example.org")
    tha = make.delegation(event, "THA", quota=5)
    reg = make.registration(event, tha, email="somchai@example.org", given_name="Somchai")
    make.registration(event, tha, email="absent@example.org")
    scope = services.resolve_scope(db.session, event, day=event.start_date)
    services.check_in(db.session, event, reg, scope, by=organizer)
    db.session.commit()

    browser_login(page, live_server, "org@example.org", PASSWORD)
    page.goto(f"{live_server}/events/ports/surveys")
    page.fill("input[name=title]", "Participant evaluation")
    page.click("text=Create survey")
    assert page.locator("[data-figure=attendees]").inner_text() == "1"
    assert page.locator("text=Gender issues were adequately addressed.").count() == 1
    page.click("text=Invite those who attended")
    assert page.locator("text=1 invitation sent.").count() == 1
    assert mailbox.to("absent@example.org") == []
    # The delivery process writes the link from PUBLIC_BASE_URL (unset here): open its path on this server.
    link = live_server + re.search(r"/survey/[\w-]+", mailbox.to("somchai@example.org")[0].text()).group(0)

    phone = phone_page
    phone.goto(link)
    phone.click("text=Save my answers")
    assert phone.locator(".error").first.inner_text() == "Please answer this question."
    assert phone.evaluate("document.scrollingElement.scrollWidth") <= 390
    for group in phone.locator("fieldset.scale").all():
        group.locator("label.scale-option").nth(3).click()  # 4 of 5
    phone.locator("fieldset.choices").first.locator("label.choice").nth(1).click()  # time: about right
    phone.fill("textarea >> nth=0", "A port emissions inventory")
    phone.click("text=Save my answers")
    assert phone.locator("text=Thank you: your answers are saved.").count() == 1

    page.goto(f"{live_server}/events/ports/surveys")
    page.click("td a:has-text(\"Results\")")
    assert page.locator("[data-figure=rate]").inner_text() == "100%"
    assert page.locator("text=Mean: 4.00").count() >= 7
    assert page.locator("text=A port emissions inventory").count() == 1
