"""The organizer's letter template: placeholders checked, images checked and re-encoded, preview;
and the pages in Chinese."""

from __future__ import annotations

import io

from PIL import Image

from eventhub.documents.models import DocumentSettings, IssuedDocument
from eventhub.extensions import db
from tests.documents.conftest import PASSPORT, pdf_text


def _png(size=(120, 40), colour=(20, 40, 160)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="PNG")
    return out.getvalue() + b"TRAILING-BYTES"  # a file glued on: must not survive the re-encoding


def _form(**changes):
    data = {"letter_body": "Dear {name},\n\nYou are invited to {event} on {dates}.", "signatory_name": "Li Hua",
            "signatory_title": "Director-General", "letter_lead_days": "30", "certificate_rule": "either",
            "certificate_lists_sessions": "y"}
    data.update(changes)
    return data


def test_organizer_saves_the_template_with_signature_and_logo_and_previews_it(world, login_as, tmp_path):
    w = world
    client = login_as(w.organizer)
    answer = client.post(f"/events/{w.event.slug}/documents", content_type="multipart/form-data", data=_form(
        signature=(io.BytesIO(_png()), "sig.png"), logo=(io.BytesIO(_png((200, 80))), "logo.png")))
    assert answer.status_code == 302
    settings = db.session.get(DocumentSettings, w.event.id)
    assert settings.signature_png.startswith(b"\x89PNG") and b"TRAILING-BYTES" not in settings.signature_png
    preview = client.get(f"/events/{w.event.slug}/documents/preview.pdf")
    assert preview.status_code == 200
    text = pdf_text(preview.data)
    assert "Dear WANG MEI," in text and "Li Hua" in text and "PREVIEW" in text
    assert db.session.query(IssuedDocument).count() == 0

    # The issued letter uses the template.
    login_as(w.delegate).post(f"/events/{w.event.slug}/registrations/{w.reg.id}/passport", data=PASSPORT)
    login_as(w.secretariat).post(f"/events/{w.event.slug}/registrations/{w.reg.id}/letter/issue")
    pdf = db.session.query(IssuedDocument).one().pdf
    (tmp_path / "letter.pdf").write_bytes(pdf)
    assert "Dear WANG XIAOMEI," in pdf_text(pdf) and "Director-General" in pdf_text(pdf)


def test_bad_template_and_bad_images_are_refused_next_to_their_field(world, login_as):
    w = world
    client = login_as(w.organizer)
    answer = client.post(f"/events/{w.event.slug}/documents", data=_form(letter_body="Dear {nam}"))
    assert answer.status_code == 422 and "Unknown placeholder {nam}" in answer.text
    answer = client.post(f"/events/{w.event.slug}/documents", content_type="multipart/form-data",
                         data=_form(signature=(io.BytesIO(b"GIF89a not an image"), "sig.gif")))
    assert answer.status_code == 422 and "The file is not a readable PNG or JPEG image." in answer.text
    gif = io.BytesIO()
    Image.new("RGB", (10, 10)).save(gif, format="GIF")
    answer = client.post(f"/events/{w.event.slug}/documents", content_type="multipart/form-data",
                         data=_form(logo=(io.BytesIO(gif.getvalue()), "logo.gif")))
    assert answer.status_code == 422 and "Upload a PNG or JPEG image." in answer.text
    answer = client.post(f"/events/{w.event.slug}/documents", content_type="multipart/form-data",
                         data=_form(logo=(io.BytesIO(b"\x89PNG" + b"0" * 1_100_000), "big.png")))
    assert answer.status_code == 422 and "larger than 1 MB" in answer.text
    assert db.session.get(DocumentSettings, w.event.id) is None


def test_only_the_organizer_edits_the_template(world, login_as):
    w = world
    for user in (w.secretariat, w.delegate, w.focal):
        assert login_as(user).get(f"/events/{w.event.slug}/documents").status_code == 403, user.email


def test_pages_in_chinese(world, login_as):
    w = world
    client = login_as(w.delegate)
    client.set_cookie("lang", "zh_Hans")
    page = client.get(f"/events/{w.event.slug}/registrations/{w.reg.id}/passport", headers={"Accept-Language": "zh"})
    assert "护照" in page.text
    answer = client.post(f"/events/{w.event.slug}/registrations/{w.reg.id}/passport",
                         data={**PASSPORT, "passport_number": "AB!"}, headers={"Accept-Language": "zh"})
    assert answer.status_code == 422 and "护照号码" in answer.text
    sec = login_as(w.secretariat)
    listing = sec.get(f"/events/{w.event.slug}/letters", headers={"Accept-Language": "zh"})
    assert "签证邀请函" in listing.text
    assert "核验" in client.get("/verify/VL-ABCDE-FGHJK", headers={"Accept-Language": "zh"}).text
