"""The pages: the economy's link, confirming, my registration, the focal point's delegation page."""

from __future__ import annotations

import json
from datetime import timedelta

import sqlalchemy as sa

from eventhub.db import utcnow
from eventhub.extensions import db
from eventhub.registration.models import Registration
from tests.registration.conftest import form_data


def link(world, delegation=None):
    return f"/r/{(delegation or world.thailand).invite_token}"


def count_regs() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Registration))


def test_the_link_shows_the_form_with_the_economy_fixed(client, world):
    page = client.get(link(world)).get_data(as_text=True)
    assert "Register for the Thailand delegation" in page
    assert 'name="economy' not in page and 'name="delegation' not in page
    assert "Privacy notice" in page


def test_registering_through_the_link(client, world, mailbox):
    response = client.post(link(world), data=form_data(email="Lan@Example.VN"))
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Registration received" in page and "lan@example.vn" in page
    reg = db.session.scalar(sa.select(Registration))
    assert (reg.family_name, reg.name_local, reg.economy.code) == ("Nguyễn", "Nguyễn Thị Lan", "THA")
    [mail] = mailbox.to("lan@example.vn")
    assert mail.subject.startswith("Registration received")
    assert "/password/reset/" in mail.text()  # a link to choose a password


def test_a_mistake_is_shown_next_to_the_field_and_nothing_is_saved(client, world):
    response = client.post(link(world), data=form_data(family_name="", email="not-an-email", phone="call me"))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="family_name-error"' in page and "Enter the family name." in page
    assert "Enter a valid e-mail address" in page
    assert "Use digits, spaces" in page
    assert 'value="Lan"' in page and "Nguyễn Thị Lan" in page  # what was typed is kept
    assert count_regs() == 0


def test_missing_privacy_acknowledgement_is_refused(client, world):
    response = client.post(link(world), data=form_data(privacy=None))
    assert response.status_code == 422
    assert "Please confirm that you have read the privacy notice." in response.get_data(as_text=True)
    assert count_regs() == 0


def test_a_double_submission_creates_one_registration(client, world):
    data = form_data(submission_key="same-form-key-123")
    first = client.post(link(world), data=data)
    second = client.post(link(world), data=data)
    assert first.status_code == second.status_code == 302
    assert count_regs() == 1
    # Another form (another key) with the same e-mail is refused next to the field.
    third = client.post(link(world), data=form_data(submission_key="other-key"))
    assert third.status_code == 422
    assert "already has a registration" in third.get_data(as_text=True)
    assert count_regs() == 1


def test_a_forged_economy_or_delegation_in_the_post_is_refused(client, world):
    for name, value in (("economy_id", world.viet_nam.economy_id), ("delegation_id", world.viet_nam.id)):
        response = client.post(link(world), data=form_data(**{name: str(value)}))
        assert response.status_code == 400
    assert count_regs() == 0


def test_a_rotated_or_unknown_link_gives_a_clear_page(client, world, login_as):
    old = link(world)
    login_as(world.focal)
    client.post(f"/events/{world.event.slug}/delegations/{world.thailand.id}/rotate-link")
    client.post("/logout")
    for url in (old, "/r/nonsense", old + "/done"):
        response = client.get(url)
        assert response.status_code == 404
        assert "This link is no longer valid" in response.get_data(as_text=True)
    response = client.post(old, data=form_data())
    assert response.status_code == 404
    db.session.refresh(world.thailand)
    assert client.get(link(world)).status_code == 200


def test_outside_the_window_the_link_says_when_registration_is_open(client, world):
    world.event.registration_closes_at = utcnow() - timedelta(minutes=5)
    world.event.registration_opens_at = utcnow() - timedelta(days=5)
    db.session.commit()
    page = client.get(link(world)).get_data(as_text=True)
    assert "Registration for this event has closed" in page and "Asia/Shanghai" in page
    assert client.post(link(world), data=form_data()).status_code == 403
    assert count_regs() == 0


def test_my_registration_page_edit_cancel_and_download(client, world, make, login_as, mailbox):
    me = make.user("me@example.org")
    reg = make.registration(world.event, world.thailand, user=me, email="me@example.org", status="approved",
                            given_name="陈", family_name="伟", phone="+86 20 1234 5678")
    login_as(me)
    response = client.get(f"/events/{world.event.slug}/my-registration")
    assert response.headers["Location"].endswith(f"/registrations/{reg.id}")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "陈 伟" in page and "Approved" in page and "+86 20 1234 5678" in page

    data = form_data(given_name="伟", family_name="陈", dietary="vegetarian")
    data.pop("email")
    response = client.post(f"/events/{world.event.slug}/registrations/{reg.id}/edit", data=data)
    assert response.status_code == 302
    page = client.get(f"/events/{world.event.slug}/registrations/{reg.id}").get_data(as_text=True)
    assert "vegetarian" in page and "Details changed" in page

    download = client.get(f"/events/{world.event.slug}/registrations/{reg.id}/my-data.json")
    data = json.loads(download.get_data(as_text=True))
    assert data["registration"]["given_name"] == "伟"
    assert download.headers["Content-Disposition"].startswith("attachment")

    client.post(f"/events/{world.event.slug}/registrations/{reg.id}/cancel", data={"reason": "ill"})
    page = client.get(f"/events/{world.event.slug}/registrations/{reg.id}").get_data(as_text=True)
    assert "Cancelled" in page and "ill" in page
    [mail] = mailbox.to("me@example.org")
    assert mail.subject.startswith("Registration cancelled")
    assert mail.message["Cc"] is None  # the delegate acted, no focal point in copy


def test_a_delegate_never_sees_anothers_registration(client, world, make, login_as):
    me = make.user("me@example.org")
    other = make.registration(world.event, world.thailand, email="other@example.org", phone="+66 99")
    login_as(me)
    for url in (f"/events/{world.event.slug}/registrations/{other.id}",
                f"/events/{world.event.slug}/registrations/{other.id}/edit",
                f"/events/{world.event.slug}/registrations/{other.id}/my-data.json"):
        response = client.get(url)
        assert response.status_code == 404
        assert "+66 99" not in response.get_data(as_text=True)
    assert client.post(f"/events/{world.event.slug}/registrations/{other.id}/cancel").status_code == 404
    assert client.post(f"/events/{world.event.slug}/registrations/{other.id}/approve").status_code == 404
    assert client.get(f"/events/{world.event.slug}/registrations/").status_code == 403
    assert client.get(f"/events/{world.event.slug}/delegations/{world.thailand.id}/").status_code == 404


def test_a_delegate_cannot_approve_themself(client, world, make, login_as):
    me = make.user("me@example.org")
    reg = make.registration(world.event, world.thailand, user=me, email="me@example.org", status="submitted")
    login_as(me)
    assert client.post(f"/events/{world.event.slug}/registrations/{reg.id}/approve").status_code == 404
    db.session.refresh(reg)
    assert reg.status.value == "submitted"


def test_focal_point_sees_only_their_delegation(client, world, make, login_as):
    mine = make.registration(world.event, world.thailand, email="th1@example.org", given_name="Somchai",
                             status="submitted")
    theirs = make.registration(world.event, world.viet_nam, email="vn1@example.org", given_name="Minh",
                               phone="+84 123")
    login_as(world.focal)
    page = client.get(f"/events/{world.event.slug}/delegations/{world.thailand.id}/").get_data(as_text=True)
    assert "Somchai" in page and "Minh" not in page
    assert world.thailand.invite_token in page
    assert client.get(f"/events/{world.event.slug}/delegations/{world.viet_nam.id}/").status_code == 404
    assert client.get(f"/events/{world.event.slug}/registrations/{theirs.id}").status_code == 404
    assert client.get(f"/events/{world.event.slug}/registrations/").status_code == 403
    assert client.get(f"/events/{world.event.slug}/registrations/export.csv").status_code == 403
    # /delegations/ takes a focal point straight to their delegation.
    response = client.get(f"/events/{world.event.slug}/delegations/")
    assert response.headers["Location"].endswith(f"/delegations/{world.thailand.id}/")
    # ...and they approve their own delegates.
    response = client.post(f"/events/{world.event.slug}/registrations/{mine.id}/approve")
    assert response.status_code == 302
    db.session.refresh(mine)
    assert mine.status.value == "approved"


def test_delegation_page_shows_quota_and_waitlist_positions(client, world, make, login_as):
    for i in range(2):
        make.registration(world.event, world.thailand, given_name=f"Approved{i}", status="approved")
    first = make.registration(world.event, world.thailand, given_name="Waiting1", status="waitlisted",
                              waitlisted_at=utcnow() - timedelta(hours=2))
    make.registration(world.event, world.thailand, given_name="Waiting2", status="waitlisted",
                      waitlisted_at=utcnow() - timedelta(hours=1))
    login_as(world.focal)
    page = client.get(f"/events/{world.event.slug}/delegations/{world.thailand.id}/").get_data(as_text=True)
    assert "#1 on the waitlist" in page and "#2 on the waitlist" in page
    assert page.index("Waiting1") < page.index("Waiting2")
    stats = page.split('class="stats"', 1)[1].split("</div>\n</div>", 1)[0]
    assert '<span class="value">2</span><span class="label">Places used' in stats
    assert '<span class="value">0</span><span class="label">Places left' in stats
    me = client.get(f"/events/{world.event.slug}/registrations/{first.id}").get_data(as_text=True)
    assert "number <strong>1</strong> on the Thailand waitlist" in me


def test_focal_point_nominates_and_the_delegate_confirms(client, world, login_as, mailbox):
    login_as(world.focal)
    data = form_data(email="nominee@example.org", given_name="Malee", family_name="Srisuk", name_local="มาลี ศรีสุข")
    data.pop("privacy")
    response = client.post(f"/events/{world.event.slug}/delegations/{world.thailand.id}/nominate", data=data)
    assert response.status_code == 302
    [mail] = mailbox.to("nominee@example.org")
    assert mail.recipients == ["nominee@example.org"]  # the confirmation link goes to the delegate alone
    [notice] = mailbox.to("focal.th@example.org")  # the focal point acted: a notice without the link
    assert "/confirm/" not in notice.text() and "/password/reset/" not in notice.text()
    confirm_url = next(line for line in mail.text().splitlines() if "/confirm/" in line).strip()
    client.post("/logout")
    path = confirm_url.split("://", 1)[1].split("/", 1)[1]
    page = client.get("/" + path).get_data(as_text=True)
    assert "Confirm your registration" in page and 'value="Malee"' in page
    response = client.post("/" + path, data=form_data(given_name="Malee", family_name="Srisuk",
                                                      dietary="no pork", email=None))
    assert response.status_code == 302
    assert "/password/reset/" in response.headers["Location"]  # next: choose a password
    reg = db.session.scalar(sa.select(Registration).where(Registration.email == "nominee@example.org"))
    assert not reg.needs_confirmation and reg.dietary == "no pork" and reg.privacy_acknowledged_at
    assert "already confirmed" in client.get("/" + path).get_data(as_text=True)


def test_substitution_through_the_page(client, world, make, login_as):
    old = make.registration(world.event, world.thailand, given_name="Old", status="approved")
    login_as(world.focal)
    response = client.post(f"/events/{world.event.slug}/registrations/{old.id}/substitute",
                           data=form_data(email="new@example.org", given_name="New"))
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Approved" in page and "Substitute" in page and "replaces Old" in page


def test_invite_a_focal_point_creates_the_account_and_emails_a_password_link(client, world, login_as, mailbox):
    login_as(world.organizer)
    response = client.post(f"/events/{world.event.slug}/delegations/{world.viet_nam.id}/focal-points",
                           data={"email": "Tran@Example.VN", "name": "Trần Văn Minh"})
    assert response.status_code == 302
    [mail] = mailbox.to("tran@example.vn")
    assert "focal point of the Viet Nam delegation" in mail.text()
    assert "/password/reset/" in mail.text()
    link_line = next(line for line in mail.text().splitlines() if "/password/reset/" in line).strip()
    client.post("/logout")
    path = "/" + link_line.split("://", 1)[1].split("/", 1)[1]
    client.post(path, data={"password": "a long new password", "confirm": "a long new password",
                            "password_confirm": "a long new password"})
    page = client.get(f"/events/{world.event.slug}/delegations/{world.viet_nam.id}/").get_data(as_text=True)
    assert "Viet Nam delegation" in page
    # Inviting the same person twice says so next to the field.
    login_as(world.organizer)
    response = client.post(f"/events/{world.event.slug}/delegations/{world.viet_nam.id}/focal-points",
                           data={"email": "tran@example.vn"})
    assert response.status_code == 422
    assert "already a focal point" in response.get_data(as_text=True)


def test_a_focal_point_cannot_invite_focal_points(client, world, login_as):
    login_as(world.focal)
    response = client.post(f"/events/{world.event.slug}/delegations/{world.thailand.id}/focal-points",
                           data={"email": "friend@example.org"})
    assert response.status_code == 404


def test_public_participant_list_shows_only_consenting_approved_people(client, world, make):
    make.registration(world.event, world.thailand, given_name="Listed", family_name="Person", consent_list=True,
                      organisation="SME Bank", phone="+66 1")
    make.registration(world.event, world.thailand, given_name="Hidden", consent_list=False)
    make.registration(world.event, world.viet_nam, given_name="Pending", consent_list=True, status="submitted")
    page = client.get(f"/events/{world.event.slug}/participants").get_data(as_text=True)
    assert "Listed PERSON" in page and "SME Bank" in page and "Thailand" in page
    assert "Hidden" not in page and "Pending" not in page
    assert "+66 1" not in page and "@example.org" not in page


def test_staff_add_anyone_also_after_closing(client, world, login_as):
    world.event.registration_closes_at = utcnow() - timedelta(minutes=5)
    world.event.registration_opens_at = utcnow() - timedelta(days=5)
    db.session.commit()
    login_as(world.secretariat)
    from eventhub.economies.services import by_code

    data = form_data(email="speaker@example.org", category="speaker", economy=str(by_code(db.session, "PRC").id))
    data.pop("privacy")
    response = client.post(f"/events/{world.event.slug}/registrations/new", data=data)
    assert response.status_code == 302
    reg = db.session.scalar(sa.select(Registration))
    assert reg.economy.code == "PRC" and reg.delegation_id is None and reg.category.value == "speaker"
