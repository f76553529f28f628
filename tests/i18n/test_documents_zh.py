"""Documents in Chinese: the letter's e-mail to a Chinese delegate, the certificate with the Chinese
labels, and the verification page."""

from __future__ import annotations

from eventhub.documents.models import IssuedDocument
from eventhub.extensions import db
from tests.conftest import deliver_all
from tests.documents.conftest import PASSPORT, check_in, pdf_text, world  # noqa: F401


def test_a_chinese_delegate_gets_the_letter_mail_in_chinese(app, world, login_as, mailbox):  # noqa: F811
    w = world
    w.reg.language = "zh_Hans"
    db.session.commit()
    login_as(w.delegate).post(f"/events/{w.event.slug}/registrations/{w.reg.id}/passport", data=PASSPORT)
    login_as(w.secretariat).post(f"/events/{w.event.slug}/registrations/{w.reg.id}/letter/issue")
    deliver_all(app)
    mail = mailbox.to("wang@example.org")[-1]
    assert "签证邀请函" in mail.subject and "随函附上" in mail.text()
    reference = db.session.query(IssuedDocument).one().reference
    page = login_as(w.delegate).get(f"/verify/{reference}", headers={"Accept-Language": "zh"})
    assert "真实有效" in page.text


def test_certificate_in_chinese_prints_chinese_labels_and_name(world, login_as):  # noqa: F811
    w = world
    check_in(w.event, w.reg)
    client = login_as(w.delegate)
    client.post("/language", data={"language": "zh_Hans"})
    text = pdf_text(client.get(f"/events/{w.event.slug}/registrations/{w.reg.id}/certificate.pdf",
                               headers={"Accept-Language": "zh"}).data)
    assert "出席证明" in text and "兹证明" in text and "王晓梅" in text
