"""A long certificates PDF is drawn in chunks on several cores and joined in order."""

from __future__ import annotations

import io

from pypdf import PdfReader

from eventhub.documents import pdf as pdf_module
from eventhub.documents.certificates import CertificateItem
from eventhub.documents.letters import settings_for
from eventhub.documents.pdf import certificates_pdf
from eventhub.extensions import db


def test_chunks_drawn_apart_are_joined_in_order(app, world, monkeypatch):
    items = [CertificateItem(f"CA-ABCDE-2345{i}", f"Person{i} Chen", "陈伟" if i % 2 else "", "Thailand")
             for i in range(2, 7)]
    with app.test_request_context():
        monkeypatch.setattr(pdf_module, "processes_for", lambda pages: 2)  # two chunks, even on one core
        data = certificates_pdf(world.event, settings_for(db.session, world.event), items)
    pages = PdfReader(io.BytesIO(data)).pages
    assert len(pages) == 5
    texts = [page.extract_text() for page in pages]
    assert [f"Person{i} Chen" in t for i, t in zip(range(2, 7), texts, strict=True)] == [True] * 5
    assert "陈伟" in texts[1] and "CA-ABCDE-23456" in texts[4]
