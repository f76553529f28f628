"""Certificates of attendance: only people who attended by the organizer's rule, Latin and Chinese
names in the PDF, sessions attended, self-service download and e-mail, bulk PDF, verification."""

from __future__ import annotations

import io

from pypdf import PdfReader

from eventhub.documents.models import DocumentKind, IssuedDocument
from eventhub.extensions import db
from tests.conftest import deliver_all
from tests.documents.conftest import check_in, pdf_text


def _url(w, reg=None):
    return f"/events/{w.event.slug}/registrations/{(reg or w.reg).id}/certificate.pdf"


def test_attendee_downloads_a_certificate_with_latin_and_chinese_names(world, make, login_as, tmp_path):
    w = world
    session = make.session(w.event, title="Cross-border data flows")
    client = login_as(w.delegate)
    assert client.get(_url(w)).status_code == 404  # not checked in yet
    assert "Download the certificate" not in client.get(f"/events/{w.event.slug}/registrations/{w.reg.id}").text
    check_in(w.event, w.reg)
    check_in(w.event, w.reg, session=session)
    assert "Download the certificate" in client.get(f"/events/{w.event.slug}/registrations/{w.reg.id}").text
    answer = client.get(_url(w))
    assert answer.status_code == 200
    (tmp_path / "certificate.pdf").write_bytes(answer.data)
    text = pdf_text(answer.data)
    assert "Xiaomei Wang" in text and "王晓梅" in text
    assert "Workshop on Digital Trade" in text and "Cross-border data flows" in text
    doc = db.session.query(IssuedDocument).filter_by(kind=DocumentKind.CERTIFICATE).one()
    assert doc.reference in text
    # Downloading again keeps the same reference; it verifies (name and event only).
    assert doc.reference in pdf_text(client.get(_url(w)).data)
    assert db.session.query(IssuedDocument).count() == 1
    client.post("/logout")
    check = client.get(f"/verify/{doc.reference}")
    assert "Genuine" in check.text and "Xiaomei Wang" in check.text


def test_the_organizers_rule_decides_who_attended(world, make, login_as):
    w = world
    check_in(w.event, w.reg)  # a day check-in, no session
    org = login_as(w.organizer)
    page = org.post(f"/events/{w.event.slug}/documents", data={
        "letter_body": "Dear {name}", "letter_lead_days": "30", "certificate_rule": "session"},
        follow_redirects=True)
    assert "The letter and certificate settings are saved." in page.text
    assert login_as(w.delegate).get(_url(w)).status_code == 404
    org = login_as(w.organizer)
    org.post(f"/events/{w.event.slug}/documents", data={
        "letter_body": "Dear {name}", "letter_lead_days": "30", "certificate_rule": "day"})
    assert login_as(w.delegate).get(_url(w)).status_code == 200


def test_a_delegate_of_another_economy_gets_nobody_elses_certificate(world, login_as, client):
    w = world
    check_in(w.event, w.reg)
    assert login_as(w.outsider).get(_url(w)).status_code == 404
    assert login_as(w.focal).get(_url(w)).status_code == 200
    assert login_as(w.outsider).get(f"/events/{w.event.slug}/certificates").status_code == 403
    client.post("/logout")
    assert client.get(_url(w)).status_code in (302, 401)


def test_certificate_by_email_on_request(app, world, login_as, mailbox):
    w = world
    check_in(w.event, w.reg)
    client = login_as(w.delegate)
    page = client.post(f"/events/{w.event.slug}/registrations/{w.reg.id}/certificate/email", follow_redirects=True)
    assert "The certificate is on its way to wang@example.org." in page.text
    deliver_all(app)
    mail = mailbox.to("wang@example.org")[-1]
    assert "certificate of attendance" in mail.subject.lower() and mail.parts("application/pdf")


def test_bulk_pdf_has_one_page_per_attendee(world, make, login_as, tmp_path):
    w = world
    check_in(w.event, w.reg)
    check_in(w.event, w.outsider_reg)
    other_name = w.outsider_reg.full_name
    client = login_as(w.secretariat)
    page = client.get(f"/events/{w.event.slug}/certificates")
    assert "2 people attended and get a certificate." in page.text
    answer = client.post(f"/events/{w.event.slug}/certificates.pdf")
    assert answer.status_code == 200
    (tmp_path / "bulk.pdf").write_bytes(answer.data)
    assert len(PdfReader(io.BytesIO(answer.data)).pages) == 2
    text = pdf_text(answer.data)
    assert "王晓梅" in text and other_name in text
    assert db.session.query(IssuedDocument).filter_by(kind=DocumentKind.CERTIFICATE).count() == 2


def test_certificates_page_costs_the_same_queries_for_3_and_30_people(world, make, login_as, query_counter):
    w = world
    client = login_as(w.secretariat)
    url = f"/events/{w.event.slug}/certificates"

    def add(n):
        for _ in range(n):
            check_in(w.event, make.registration(w.event, economy="VN"))

    add(3)
    client.get(url)
    with query_counter() as few:
        client.get(url)
    add(27)
    client.get(url)
    with query_counter() as many:
        assert "30 people attended" in client.get(url).text
    assert many.count == few.count
