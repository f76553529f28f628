"""Walk-ins: registered, approved and checked in on the spot by the secretariat."""

from __future__ import annotations

import sqlalchemy as sa

from eventhub.extensions import db
from eventhub.registration.models import Registration
from tests.attendance.conftest import checkins


def _form(workshop, **overrides):
    data = {"scope": "day-2030-06-27", "submission_key": "walk-in-key-0001", "given_name": "Bounmy",
            "family_name": "Vongsa", "name_local": "ບຸນມີ ວົງສາ", "email": "bounmy@example.la",
            "economy": str(workshop.lao_id), "organisation": "Lao SME Office", "sex": "male",
            "category": "guest", "funding": "self_funded"}
    data.update(overrides)
    return data


def _lao(workshop, make):
    workshop.lao_id = make.economy("LAO").id
    return workshop


def test_secretariat_registers_and_checks_in_a_walk_in(client, make, workshop, login_as, mailbox):
    _lao(workshop, make)
    login_as(workshop.secretariat)
    page = client.get(f"/events/{workshop.event.slug}/checkin/walk-in?scope=day-2030-06-27")
    assert page.status_code == 200 and "Register and check in" in page.get_data(as_text=True)
    done = client.post(f"/events/{workshop.event.slug}/checkin/walk-in", data=_form(workshop), follow_redirects=True)
    html = done.get_data(as_text=True)
    assert "Walk-in registered. Checked in: Bounmy VONGSA" in html
    reg = db.session.scalar(sa.select(Registration).where(Registration.email == "bounmy@example.la"))
    assert reg.status.value == "approved" and reg.name_local == "ບຸນມີ ວົງສາ"
    [c] = checkins(registration_id=reg.id)
    assert c.source.value == "walk_in" and c.day.isoformat() == "2030-06-27"
    # The same form sent again (a double click) makes nothing new.
    again = client.post(f"/events/{workshop.event.slug}/checkin/walk-in", data=_form(workshop), follow_redirects=True)
    assert "already checked in" in again.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Registration)) == 1
    assert len(checkins()) == 1


def test_walk_in_with_a_registered_email_is_refused_next_to_the_field(client, make, workshop, login_as):
    _lao(workshop, make)
    make.registration(workshop.event, workshop.tha, email="taken@example.org")
    login_as(workshop.secretariat)
    response = client.post(f"/events/{workshop.event.slug}/checkin/walk-in",
                           data=_form(workshop, email="taken@example.org", submission_key="other-key-0002"))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="email-error"' in html and "already has a registration" in html
    assert 'value="Bounmy"' in html  # what was typed is kept
    assert checkins() == []


def test_walk_in_form_errors_keep_the_input(client, make, workshop, login_as):
    _lao(workshop, make)
    login_as(workshop.secretariat)
    response = client.post(f"/events/{workshop.event.slug}/checkin/walk-in",
                           data=_form(workshop, family_name="", email="not-an-email"))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Enter the family name." in html and "valid e-mail address" in html and 'value="Bounmy"' in html
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Registration)) == 0


def test_check_in_staff_may_not_register_walk_ins(client, make, workshop, login_as):
    _lao(workshop, make)
    login_as(workshop.checkin)
    assert client.get(f"/events/{workshop.event.slug}/checkin/walk-in").status_code == 403
    assert client.post(f"/events/{workshop.event.slug}/checkin/walk-in", data=_form(workshop)).status_code == 403
    desk = client.get(f"/events/{workshop.event.slug}/checkin").get_data(as_text=True)
    assert "Register a walk-in" not in desk
    # Not after a search that found nobody either: no link that leads to "Not allowed".
    desk = client.get(f"/events/{workshop.event.slug}/checkin?q=Nobody").get_data(as_text=True)
    assert "Nobody in this event matches" in desk
    assert "/checkin/walk-in" not in desk and "walk-in" not in desk.lower()
    # The secretariat sees it, and it works.
    login_as(workshop.secretariat)
    desk = client.get(f"/events/{workshop.event.slug}/checkin?q=Nobody").get_data(as_text=True)
    assert desk.count("/checkin/walk-in?scope=") == 2
    assert client.get(f"/events/{workshop.event.slug}/checkin/walk-in").status_code == 200


def test_walk_in_form_preselects_no_sex_and_requires_a_choice(client, make, workshop, login_as):
    _lao(workshop, make)
    login_as(workshop.secretariat)
    html = client.get(f"/events/{workshop.event.slug}/checkin/walk-in").get_data(as_text=True)
    sex_inputs = [tag for tag in html.split("<input") if 'name="sex"' in tag]
    assert len(sex_inputs) == 4 and not any("checked" in tag for tag in sex_inputs)
    data = _form(workshop)
    del data["sex"]
    response = client.post(f"/events/{workshop.event.slug}/checkin/walk-in", data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="sex-error"' in html and "Choose one, as the person tells you" in html
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Registration)) == 0
    for wrong in ("", "unknown"):
        response = client.post(f"/events/{workshop.event.slug}/checkin/walk-in", data={**data, "sex": wrong})
        assert response.status_code == 422 and 'id="sex-error"' in response.get_data(as_text=True)
    # "Prefer not to say" is a real answer when given.
    done = client.post(f"/events/{workshop.event.slug}/checkin/walk-in", data={**data, "sex": "undisclosed"})
    assert done.status_code == 302
    assert db.session.scalar(sa.select(Registration.sex)).value == "undisclosed"


def test_walk_in_form_shows_every_error_at_once_next_to_its_field(client, make, workshop, login_as):
    _lao(workshop, make)
    login_as(workshop.secretariat)
    data = _form(workshop, family_name="", email="not-an-email", economy="0")
    del data["sex"]
    response = client.post(f"/events/{workshop.event.slug}/checkin/walk-in", data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    for field, words in (("family_name", "Enter the family name."), ("email", "valid e-mail address"),
                         ("economy", "Choose the economy."), ("sex", "Choose one")):
        error = html.split(f'id="{field}-error"')
        assert len(error) == 2, field
        assert words in error[1].split("</p>")[0], field
    assert html.count('<li><a href="#') == 4  # the summary lists the four, each linking to its field
    assert 'value="Bounmy"' in html
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Registration)) == 0


def test_a_walk_in_whose_delegation_is_full_is_registered_but_not_checked_in(client, make, workshop, login_as):
    """Only approved registrations are checked in: a walk-in put on the waitlist is told so, not counted."""
    lao = make.delegation(workshop.event, "LAO", quota=0)
    workshop.lao_id = lao.economy_id
    login_as(workshop.secretariat)
    done = client.post(f"/events/{workshop.event.slug}/checkin/walk-in", data=_form(workshop), follow_redirects=True)
    html = done.get_data(as_text=True)
    assert "Walk-in registered as waitlisted, not checked in." in html
    assert "registration waitlisted, not approved" in html
    assert "Check in anyway (override)" in html  # the secretariat may decide at once
    reg = db.session.scalar(sa.select(Registration).where(Registration.email == "bounmy@example.la"))
    assert reg.status.value == "waitlisted"
    assert checkins() == []
