"""Visa letters: passport details (who may see them, bad input), issuing with e-mail, the PDF's
text, the verification page for genuine, revoked and unknown references, re-issue, the list."""

from __future__ import annotations

import re
from datetime import date

from eventhub.documents.models import IssuedDocument, PassportDetails
from eventhub.extensions import db
from tests.conftest import deliver_all
from tests.documents.conftest import PASSPORT, pdf_text


def _passport_url(w):
    return f"/events/{w.event.slug}/registrations/{w.reg.id}/passport"


def _enter_passport(client, w, **changes):
    return client.post(_passport_url(w), data={**PASSPORT, **changes})


def _issue(client, w):
    return client.post(f"/events/{w.event.slug}/registrations/{w.reg.id}/letter/issue")


def test_delegate_enters_passport_details_and_the_secretariat_issues_the_letter(app, world, login_as, mailbox):
    w = world
    client = login_as(w.delegate)
    page = client.get(f"/events/{w.event.slug}/registrations/{w.reg.id}")
    assert "Enter the passport details" in page.text
    assert _enter_passport(client, w).status_code == 302
    details = db.session.get(PassportDetails, w.reg.id)
    assert details.passport_number == "E12345678"  # spaces and dashes left out

    client = login_as(w.secretariat)
    listing = client.get(f"/events/{w.event.slug}/letters")
    assert "E12345678" in listing.text and "Ready to issue" in listing.text
    assert _issue(client, w).status_code == 302
    doc = db.session.query(IssuedDocument).one()
    assert re.fullmatch(r"VL-\w{5}-\w{5}", doc.reference)

    text = pdf_text(doc.pdf)
    assert "WANG XIAOMEI" in text and "E12345678" in text and "Workshop on Digital Trade" in text
    assert doc.reference in text and "/verify/" + doc.reference in text.replace("\n", "")

    deliver_all(app)
    mail = mailbox.to("wang@example.org")[-1]
    assert "visa invitation letter" in mail.subject.lower()
    assert mail.parts("application/pdf")

    # The delegate downloads it from their registration page.
    client = login_as(w.delegate)
    page = client.get(f"/events/{w.event.slug}/registrations/{w.reg.id}")
    assert "Download the visa letter (PDF)" in page.text
    pdf = client.get(f"/events/{w.event.slug}/registrations/{w.reg.id}/letter.pdf")
    assert pdf.status_code == 200 and pdf.data == doc.pdf

    # A consulate (anonymous) checks it: genuine, for whom and which event; never the passport number.
    client.post("/logout")
    check = client.get(f"/verify/{doc.reference}")
    assert check.status_code == 200
    assert "Genuine" in check.text and "WANG XIAOMEI" in check.text and "Chinese" in check.text
    assert "Workshop on Digital Trade" in check.text
    assert "E12345678" not in check.text and "1985" not in check.text


def test_reissue_and_revoke_show_on_the_verification_page(app, world, login_as):
    w = world
    _enter_passport(login_as(w.delegate), w)
    client = login_as(w.secretariat)
    _issue(client, w)
    first = db.session.query(IssuedDocument).one().reference
    _issue(client, w)  # re-issue: the first letter stops being valid
    docs = db.session.query(IssuedDocument).order_by(IssuedDocument.id).all()
    assert len(docs) == 2 and docs[0].revoked_at is not None and docs[1].revoked_at is None
    assert "Revoked" in client.get(f"/verify/{first}").text
    client.post(f"/events/{w.event.slug}/registrations/{w.reg.id}/letter/revoke")
    assert "Revoked" in client.get(f"/verify/{docs[1].reference}").text
    history = client.get(f"/events/{w.event.slug}/registrations/{w.reg.id}").text
    assert "Visa letter issued" in history and "Visa letter revoked" in history and "Visa letter replaced" in history


def test_unknown_reference_says_so(client, world):
    answer = client.get("/verify/VL-ABCDE-FGHJK")
    assert answer.status_code == 404 and "No document with the reference VL-ABCDE-FGHJK" in answer.text
    assert client.get("/verify/<script>").status_code == 404


def test_bad_passport_input_is_shown_next_to_each_field(world, login_as):
    w = world
    client = login_as(w.delegate)
    answer = _enter_passport(client, w, passport_number="AB!", date_of_birth="21/04/1985", name_in_passport="",
                             stay_to="2030-06-20")
    assert answer.status_code == 422
    assert "A passport number has 5 to 20 letters and digits" in answer.text
    assert "Enter the name as it is in the passport." in answer.text
    assert "Enter the date as year-month-day, like 1985-04-21." in answer.text
    answer = _enter_passport(client, w, stay_to="2030-06-20")
    assert answer.status_code == 422 and "The last day of stay is before the first." in answer.text
    assert db.session.get(PassportDetails, w.reg.id) is None


def test_passport_details_are_seen_only_by_the_person_their_focal_point_and_the_secretariat(world, login_as, client):
    w = world
    _enter_passport(login_as(w.delegate), w)
    url = _passport_url(w)
    for user in (w.delegate, w.focal, w.secretariat):
        assert login_as(user).get(url).status_code == 200, user.email
    for user in (w.outsider, w.organizer):
        assert login_as(user).get(url).status_code == 404, user.email
    # The organizer sees the registration page but no passport details nor the letters list.
    org = login_as(w.organizer)
    assert "E12345678" not in org.get(f"/events/{w.event.slug}/registrations/{w.reg.id}").text
    assert org.get(f"/events/{w.event.slug}/letters").status_code == 403
    assert login_as(w.focal).get(f"/events/{w.event.slug}/letters").status_code == 403
    client.post("/logout")
    assert client.get(url).status_code in (302, 401)


def test_no_letter_for_an_unapproved_registration_or_a_finished_event(world, login_as, make):
    w = world
    _enter_passport(login_as(w.delegate), w)
    w.reg.status = "submitted"
    db.session.commit()
    client = login_as(w.secretariat)
    page = client.post(f"/events/{w.event.slug}/registrations/{w.reg.id}/letter/issue", follow_redirects=True)
    assert "only for an approved registration" in page.text
    w.reg.status = "approved"
    w.event.start_date, w.event.end_date = date(2020, 1, 1), date(2020, 1, 2)
    db.session.commit()
    page = client.post(f"/events/{w.event.slug}/registrations/{w.reg.id}/letter/issue", follow_redirects=True)
    assert "The event is over" in page.text
    assert db.session.query(IssuedDocument).count() == 0


def test_purge_removes_passport_details_and_the_letter(app, world, login_as):
    from eventhub.registration.privacy import purge_personal_data

    w = world
    _enter_passport(login_as(w.delegate), w)
    _issue(login_as(w.secretariat), w)
    reference = db.session.query(IssuedDocument).one().reference
    w.event.start_date, w.event.end_date = date(2020, 1, 1), date(2020, 1, 2)
    db.session.commit()
    purge_personal_data(db.session, days=30)
    db.session.commit()
    assert db.session.get(PassportDetails, w.reg.id) is None
    doc = db.session.query(IssuedDocument).one()
    assert doc.pdf is None and doc.holder_name == "(removed)"
    assert "WANG" not in login_as(w.secretariat).get(f"/verify/{reference}").text


def test_letters_list_costs_the_same_queries_for_3_and_30_people(world, make, login_as, query_counter):
    w = world
    client = login_as(w.secretariat)
    url = f"/events/{w.event.slug}/letters"

    def add(n):
        for _ in range(n):
            reg = make.registration(w.event, economy="VN", visa_letter=True)
            db.session.add(PassportDetails(registration_id=reg.id, name_in_passport="X", nationality="Vietnamese",
                                           passport_number="C1234567", date_of_birth=date(1980, 1, 1),
                                           stay_from=date(2030, 6, 26), stay_to=date(2030, 6, 29)))
        db.session.commit()

    add(2)
    client.get(url)
    with query_counter() as few:
        assert client.get(url).status_code == 200
    add(27)
    client.get(url)  # the same warm-up as before the first count
    with query_counter() as many:
        assert client.get(url).text.count("C1234567") == 29
    assert many.count == few.count, "\n".join(s[:90] for s in many.statements)


def test_personal_data_download_has_the_passport_only_for_who_may_see_it(world, login_as):
    w = world
    _enter_passport(login_as(w.delegate), w)
    url = f"/events/{w.event.slug}/registrations/{w.reg.id}/my-data.json"
    mine = login_as(w.delegate).get(url).get_json()
    assert mine["passport"]["passport_number"] == "E12345678"
    assert "passport" not in login_as(w.organizer).get(url).get_json()
