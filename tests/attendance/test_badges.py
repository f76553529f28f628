"""Badges: signed QR tokens that carry no personal data, and the printable PDFs."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from eventhub.attendance import badges
from eventhub.attendance.tokens import BadgeClaim, read_badge, sign_badge
from eventhub.extensions import db
from tests.attendance.conftest import SECRET


def test_tokens_verify_and_carry_only_ids():
    token = sign_badge(SECRET, 12, 3456, 0)
    assert read_badge(SECRET, token) == BadgeClaim(12, 3456, 0)
    assert read_badge(SECRET, token.lower()) == BadgeClaim(12, 3456, 0)  # a scanner in lower case
    assert read_badge(SECRET, f"  {token}\n") == BadgeClaim(12, 3456, 0)
    # Upper case, digits and dots only: the dense QR alphanumeric mode, and nothing about the person.
    assert set(token) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.")
    assert token.startswith("EH1.12.3456.0.") and len(token.rsplit(".", 1)[1]) == 26  # 128-bit signature


@pytest.mark.parametrize("forge", [
    lambda t: t.replace(".3456.", ".3457."),  # someone else's id
    lambda t: t.replace("EH1.12.", "EH1.13."),  # another event
    lambda t: t.replace(".0.", ".1.", 1),  # a newer version
    lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),  # one character of the signature
    lambda t: t.rsplit(".", 1)[0],  # no signature
    lambda t: sign_badge("another-secret", 12, 3456, 0),  # signed with another key
    lambda t: "EH1.12.3456.0." + "A" * 26,
    lambda t: "",
    lambda t: "https://example.org/?id=3456",
])
def test_forged_tokens_do_not_verify(forge):
    assert read_badge(SECRET, forge(sign_badge(SECRET, 12, 3456, 0))) is None


def _pdf_text(data: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), "\n".join(p.extract_text() for p in reader.pages)


def test_badge_sheet_prints_names_in_latin_and_local_script(client, make, workshop, login_as):
    ev = workshop.event
    make.registration(ev, workshop.prc, given_name="Wei", family_name="Chen", name_local="陈伟", category="speaker",
                      organisation="China Centre for Promotion of SME Development")
    make.registration(ev, workshop.tha, given_name="Siriporn", family_name="Chaiyaporn", name_local="ศิริพร ชัยพร")
    for i in range(3):
        make.registration(ev, workshop.usa, given_name=f"Person{i}", family_name="Smith")
    make.registration(ev, workshop.usa, given_name="Pending", family_name="Person", status="submitted")
    make.registration(ev, workshop.usa, given_name="Gone", family_name="Person", status="cancelled")
    login_as(workshop.secretariat)
    response = client.get(f"/events/{ev.slug}/badges.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    pages, text = _pdf_text(response.data)
    assert pages == 2  # five approved badges, four to an A4 sheet
    assert "Wei CHEN" in text and "陈伟" in text
    assert "Siriporn CHAIYAPORN" in text and "ศิริพร ชัยพร" in text
    assert "SPEAKER / EXPERT" in text and "DELEGATE" in text
    assert "People's Republic of" in text and "Thailand" in text
    assert "Pending" not in text and "Gone" not in text
    # APEC order: PRC before Thailand before the United States.
    assert text.index("Wei CHEN") < text.index("Siriporn") < text.index("Person0")
    with_pending = _pdf_text(client.get(f"/events/{ev.slug}/badges.pdf?include_pending=y&layout=single").data)
    assert with_pending[0] == 6 and "Pending PERSON" in with_pending[1] and "Gone" not in with_pending[1]
    speakers = _pdf_text(client.get(f"/events/{ev.slug}/badges.pdf?category=speaker").data)
    assert speakers[0] == 1 and "Wei CHEN" in speakers[1] and "Siriporn" not in speakers[1]


def test_badges_qr_tokens_belong_to_the_registration(make, workshop, app):
    reg = make.registration(workshop.event, workshop.prc)
    [badge] = badges.make_badges(db.session, workshop.event, [reg], app.config["SECRET_KEY"])
    assert read_badge(SECRET, badge.token) == BadgeClaim(workshop.event.id, reg.id, 0)
    assert badge.qr_data_uri.startswith("data:image/svg+xml")
    assert reg.email not in badge.token and reg.family_name.upper() not in badge.token


def test_focal_point_prints_their_delegation_only(client, make, workshop, login_as):
    ev = workshop.event
    own = make.registration(ev, workshop.tha, given_name="Malee", family_name="Suk")
    other = make.registration(ev, workshop.prc, given_name="Wei", family_name="Chen")
    login_as(workshop.focal_tha)
    page = client.get(f"/events/{ev.slug}/badges").get_data(as_text=True)
    assert "Thailand" in page and "People&#39;s Republic of China" not in page and "All delegations" not in page
    pages, text = _pdf_text(client.get(f"/events/{ev.slug}/badges.pdf?delegation={workshop.tha.id}").data)
    assert "Malee SUK" in text and "CHEN" not in text
    assert client.get(f"/events/{ev.slug}/badges.pdf?delegation={workshop.prc.id}").status_code == 403
    assert client.get(f"/events/{ev.slug}/badges.pdf").status_code == 403  # all delegations: staff only
    assert client.get(f"/events/{ev.slug}/registrations/{own.id}/badge.pdf").status_code == 200
    assert client.get(f"/events/{ev.slug}/registrations/{other.id}/badge.pdf").status_code == 404


def test_badges_are_not_for_outsiders(client, make, workshop, login_as):
    ev = workshop.event
    reg = make.registration(ev, workshop.tha)
    urls = [f"/events/{ev.slug}/badges", f"/events/{ev.slug}/badges.pdf",
            f"/events/{ev.slug}/badges.pdf?delegation={workshop.tha.id}"]
    for url in urls:
        assert client.get(url).status_code == 302
    assert client.get(f"/events/{ev.slug}/registrations/{reg.id}/badge.pdf").status_code == 302
    login_as(workshop.outsider)
    for url in urls:
        assert client.get(url).status_code == 403, url
    assert client.get(f"/events/{ev.slug}/registrations/{reg.id}/badge.pdf").status_code == 404
    login_as(workshop.checkin)  # the desk reprints badges
    assert client.get(f"/events/{ev.slug}/registrations/{reg.id}/badge.pdf").status_code == 200


def test_a_khmer_local_name_is_printed_in_a_khmer_font(client, make, workshop, login_as):
    """Cambodia (a guest economy) sends Sokha CHAN: the Khmer name must print, not as empty boxes.
    Needs the Khmer OS fonts (Debian: fonts-khmeros; .ci/run installs them)."""
    ev = workshop.event
    reg = make.registration(ev, None, economy="KHM", given_name="Sokha", family_name="Chan", name_local="សុខា ចាន់",
                            category="guest")
    login_as(workshop.secretariat)
    response = client.get(f"/events/{ev.slug}/registrations/{reg.id}/badge.pdf")
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.data))
    text = reader.pages[0].extract_text()
    assert "Sokha CHAN" in text and "សុខា ចាន់" in text
    fonts = {str(f.get_object()["/BaseFont"]) for f in reader.pages[0]["/Resources"]["/Font"].values()}
    assert any("Khmer" in name for name in fonts), fonts
