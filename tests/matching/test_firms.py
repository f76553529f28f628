"""Firms through the matching invitation link: the link, the registration, what firms see, and
that their representatives stay out of the event's figures unless the organizer counts them."""

from __future__ import annotations

import io
import re

import sqlalchemy as sa

from eventhub.extensions import db
from eventhub.matching import firms
from eventhub.matching.firm_models import Firm, FirmMember, ProfileImage
from eventhub.matching.models import MatchingProfile
from eventhub.registration.models import Registration, RegistrationStatus
from tests.conftest import deliver_all


def text(response) -> str:
    return response.get_data(as_text=True)


def png(width=50, height=30, colour=(200, 30, 30)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, format="PNG")
    return out.getvalue()


def firm_form(**changes) -> dict:
    from eventhub.economies.models import Economy

    prc = db.session.scalar(sa.select(Economy.id).where(Economy.code == "PRC"))
    data = {"name": "Guangzhou Baiyun Packaging Co., Ltd.", "economy": str(prc), "cluster_name": "Baiyun District "
            "cosmetics cluster", "cluster_location": "Guangzhou", "sectors": ["Cosmetics"],
            "offers": "Bottles and jars for cosmetics", "offer_types": ["supplier"], "seeks": "Distributors",
            "seek_types": ["distribution"],
            "rep1_given_name": "Li", "rep1_family_name": "Wei", "rep1_position": "Sales director",
            "rep1_email": "li.wei@baiyun-pack.example", "rep1_phone": "+86 20 8888 0000", "rep1_languages": ["zh", "en"],
            "rep2_given_name": "Chen", "rep2_family_name": "Jing", "rep2_email": "chen.jing@baiyun-pack.example",
            "rep2_languages": ["zh"]}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def make_link(world) -> str:
    token = firms.rotate_link(db.session, world.event.id)
    db.session.commit()
    return f"/events/{world.event.slug}/matching/join/{token}"


def test_organizer_makes_rotates_and_withdraws_the_link(client, make, login_as, world):
    login_as(make.staff(world.event, "organizer"))
    base = f"/events/{world.event.slug}/matching/firms"
    assert "There is no working link" in text(client.get(base))
    client.post(f"{base}/link")
    page = text(client.get(base))
    first = re.search(r"/matching/join/([\w-]+)", page).group(1)
    assert client.get(f"/events/{world.event.slug}/matching/join/{first}").status_code == 200
    client.post(f"{base}/link")
    second = re.search(r"/matching/join/([\w-]+)", text(client.get(base))).group(1)
    assert second != first
    gone = client.get(f"/events/{world.event.slug}/matching/join/{first}")
    assert gone.status_code == 404 and "no longer valid" in text(gone)
    client.post(f"{base}/link/revoke")
    assert client.get(f"/events/{world.event.slug}/matching/join/{second}").status_code == 404
    assert "There is no working link" in text(client.get(base))


def test_a_firm_registers_its_representatives_who_get_a_password_link(app, client, world, mailbox):
    url = make_link(world)
    data = firm_form(image=(io.BytesIO(png()), "logo.png"))
    response = client.post(url, data=data, content_type="multipart/form-data")
    assert response.status_code == 302, text(response)
    done = text(client.get(response.headers["Location"]))
    assert "Guangzhou Baiyun Packaging Co., Ltd. is registered" in done and "li.wei@baiyun-pack.example" in done
    firm = db.session.scalar(sa.select(Firm))
    regs = db.session.scalars(sa.select(Registration).join(FirmMember).order_by(Registration.id)).all()
    assert [(r.given_name, r.family_name, r.position) for r in regs] == [("Li", "Wei", "Sales director"),
                                                                          ("Chen", "Jing", "")]
    assert all(r.matching_only and r.delegation_id is None and r.status == RegistrationStatus.APPROVED for r in regs)
    assert all(r.economy.code == "PRC" and r.organisation == firm.name for r in regs)
    profile = db.session.scalar(sa.select(MatchingProfile).where(MatchingProfile.registration_id == regs[0].id))
    assert profile.cluster_name == "Baiyun District cosmetics cluster" and profile.languages == ",en,zh,"
    image = db.session.get(ProfileImage, profile.id)
    assert (image.width, image.height) == (50, 30) and image.png.startswith(b"\x89PNG")
    deliver_all(app)
    mail = mailbox.to("li.wei@baiyun-pack.example")
    assert len(mail) == 1 and "First choose a password" in mail[0].text()
    assert "Guangzhou Baiyun Packaging" in mail[0].subject


def test_bad_input_changes_nothing_and_says_what_to_fix(client, world, make):
    url = make_link(world)
    none = client.post(url, data=firm_form(rep1_given_name="", rep1_family_name="", rep1_email="", rep1_position="",
                                           rep1_phone="", rep2_given_name="", rep2_family_name="", rep2_email=""))
    assert none.status_code == 422 and "Name at least one representative." in text(none)
    half = client.post(url, data=firm_form(rep2_email="", rep2_family_name=""))
    assert half.status_code == 422 and "Enter the family name." in text(half)
    make.registration(world.event, economy="PRC", email="li.wei@baiyun-pack.example")
    db.session.commit()
    taken = client.post(url, data=firm_form())
    assert taken.status_code == 422 and "li.wei@baiyun-pack.example is already registered" in text(taken)
    bad_image = client.post(url, data=firm_form(rep1_email="other@baiyun-pack.example",
                                                image=(io.BytesIO(b"GIF89a not really"), "logo.gif")),
                            content_type="multipart/form-data")
    assert bad_image.status_code == 422 and "readable PNG or JPEG" in text(bad_image)
    huge = client.post(url, data=firm_form(rep1_email="other@baiyun-pack.example",
                                           image=(io.BytesIO(png(2500, 10)), "logo.png")),
                       content_type="multipart/form-data")
    assert huge.status_code == 422 and "at most 2000 a side" in text(huge)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Firm)) == 0
    assert client.get(f"/events/{world.event.slug}/matching/join/not-a-token").status_code == 404


def _register(client, world, **changes) -> list[Registration]:
    assert client.post(make_link(world), data=firm_form(**changes)).status_code == 302
    return db.session.scalars(sa.select(Registration).where(Registration.matching_only.is_(True))
                              .order_by(Registration.id)).all()


def _sign_in(client, reg):
    from tests.conftest import PASSWORD

    reg.user.set_password(PASSWORD)
    db.session.commit()
    client.post("/logout")
    response = client.post("/login", data={"email": reg.email, "password": PASSWORD})
    assert response.status_code == 302


def test_representatives_use_the_catalogue_but_see_nothing_of_delegations(client, make, world):
    delegation = make.delegation(world.event, "THA")
    world.regs["ana"].delegation_id = delegation.id
    db.session.commit()
    rep = _register(client, world)[0]
    _sign_in(client, rep)
    catalogue = text(client.get(f"/events/{world.event.slug}/matching"))
    assert "Bangkok Biotech" in catalogue and "Guangdong Shifei" in catalogue
    for url in (f"/events/{world.event.slug}/delegations/", f"/events/{world.event.slug}/delegations/{delegation.id}/",
                f"/events/{world.event.slug}/registrations/", f"/events/{world.event.slug}/matching/firms",
                f"/events/{world.event.slug}/matching/report"):
        response = client.get(url)
        assert response.status_code in (403, 404), url
        assert "ana@example.org" not in text(response)


def test_firms_count_in_no_figure_until_the_organizer_says_so(app, client, make, login_as, world):
    from eventhub.attendance.reports.summary import build_summary
    from eventhub.registration.queries import Filters, registration_page
    from eventhub.surveys.report import completion_report

    reps = _register(client, world)
    event = world.event

    def prc_figures():
        summary = build_summary(db.session, event)
        prc = [r for r in summary.by_economy if r.code == "PRC"]
        listed = registration_page(db.session, event, Filters())
        completion = completion_report(db.session, event)
        return (prc[0].approved if prc else 0, summary.totals.approved, listed.total,
                completion.approved.total.total)

    # The world has a Thai delegate and two Chinese firms' people registered as delegates.
    assert prc_figures() == (2, 3, 3, 3)
    firms.set_count_in_figures(db.session, event.id, True)
    db.session.commit()
    assert prc_figures() == (4, 5, 5, 5)
    firms.set_count_in_figures(db.session, event.id, False)
    db.session.commit()
    # Checked in like anyone (a badge scan), still out of the figures.
    from eventhub.attendance.checkin import check_in
    from eventhub.attendance.scopes import Scope

    outcome = check_in(db.session, event, reps[0], Scope(day=event.start_date), by=None)
    db.session.commit()
    assert outcome is not None
    summary = build_summary(db.session, event)
    assert summary.totals.attended == 0
    login_as(make.staff(event, "organizer"))
    page = text(client.get(f"/events/{event.slug}/matching/firms"))
    assert "Guangzhou Baiyun Packaging Co., Ltd." in page and "li.wei@baiyun-pack.example" in page
    client.post(f"/events/{event.slug}/matching/firms/figures", data={"count_in_figures": "y"})
    assert build_summary(db.session, event).totals.attended == 1


def test_profile_image_upload_is_checked_and_shown_in_the_catalogue(client, login_as, world):
    login_as(world.users["seye"])
    slug = world.event.slug
    bad = client.post(f"/events/{slug}/matching/profile/image",
                      data={"image": (io.BytesIO(b"<svg></svg>"), "x.svg")}, content_type="multipart/form-data",
                      follow_redirects=True)
    assert "readable PNG or JPEG" in text(bad)
    assert db.session.get(ProfileImage, world.profiles["seye"].id) is None
    ok = client.post(f"/events/{slug}/matching/profile/image",
                     data={"image": (io.BytesIO(png(900, 600)), "logo.png")}, content_type="multipart/form-data",
                     follow_redirects=True)
    assert "Your image is saved" in text(ok)
    stored = db.session.get(ProfileImage, world.profiles["seye"].id)
    assert (stored.width, stored.height) == (400, 267)  # shrunk to what a card shows
    login_as(world.users["ana"])
    image_url = f"/events/{slug}/matching/profiles/{world.profiles['seye'].id}/image.png"
    assert image_url in text(client.get(f"/events/{slug}/matching"))
    served = client.get(image_url)
    assert served.status_code == 200 and served.mimetype == "image/png" and served.data == stored.png
    assert client.get(f"/events/{slug}/matching/profiles/{world.profiles['ana'].id}/image.png").status_code == 404
    login_as(world.users["seye"])
    client.post(f"/events/{slug}/matching/profile/image/delete")
    assert db.session.get(ProfileImage, world.profiles["seye"].id) is None
