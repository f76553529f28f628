"""An event's own wording of automatic e-mails: the editor refuses broken or escaping templates with
the line, previews with sample values, resets; the builders send the saved text with text and HTML
parts and the iTIP part unchanged."""

import pytest
import sqlalchemy as sa

from eventhub.extensions import db
from eventhub.messages import notification_texts as nt
from eventhub.messages.models_texts import NotificationText


def _editor(event, key="signups.confirmed", language="en"):
    return f"/events/{event.slug}/messages/texts/{key}/{language}"


@pytest.fixture
def organizer(make, login_as):
    def _make(event):
        user = make.staff(event, "organizer")
        login_as(user)
        return user
    return _make


@pytest.mark.parametrize("body, line, what", [
    ("Dear {{ first_name }},\n\n{{ config.SECRET_KEY }}", 3, "config"),           # configuration
    ("Hello\n{{ first_name.__class__.__mro__ }}", 2, "__class__"),              # Python internals
    ("{{ event_title.__init__.__globals__ }}", 1, "__init__"),
    ("{{ request.environ }}", 1, "request"),
    ("Dear {{ frist_name }}", 1, "frist_name"),                                   # unknown placeholder
    ("Dear\n{% if first_name %}\nno end", None, ""),                              # syntax error
])
def test_broken_or_escaping_text_is_refused_on_save_with_its_line(client, make, organizer, body, line, what):
    event = make.event()
    organizer(event)
    response = client.post(_editor(event), data={"subject": "Seat", "body": body, "action": "save"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    if line:
        assert f"Line {line}:" in page
    assert what in page
    assert db.session.scalar(sa.select(sa.func.count(NotificationText.id))) == 0


def test_editor_lists_placeholders_previews_saves_and_resets(client, make, organizer):
    event = make.event()
    organizer(event)
    page = client.get(_editor(event)).get_data(as_text=True)
    assert "{{ session_details }}" in page and "{{ programme_url }}" in page
    assert "Preview with sample values" in page and "Dear Mei LIN," in page  # the starting text, filled in

    response = client.post(_editor(event), data={"subject": "Seat for {{ first_name }}",
                                                 "body": "**Welcome** {{ first_name }}", "action": "preview"})
    assert "<strong>Welcome</strong> Mei" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(NotificationText.id))) == 0  # a preview saves nothing

    response = client.post(_editor(event), data={"subject": "Seat for {{ first_name }}",
                                                 "body": "Welcome {{ first_name }}", "action": "save"})
    assert response.status_code == 302
    assert nt.find_override(db.session, event.id, "signups.confirmed", "en").body == "Welcome {{ first_name }}"
    listing = client.get(f"/events/{event.slug}/messages/texts").get_data(as_text=True)
    assert "Own text" in listing

    client.post(_editor(event), data={"action": "reset"})
    assert nt.find_override(db.session, event.id, "signups.confirmed", "en") is None


def test_booking_mail_uses_the_event_text_with_both_parts_and_the_same_invitation(client, make, login_as, mailbox):
    event = make.event()
    visit = make.session(event, kind="site_visit", title="Visit: Shifei Cosmetics", bookable=True, capacity=5,
                         start="14:00", end="17:00")
    db.session.add(NotificationText(event_id=event.id, key="signups.confirmed", language="en",
                                    subject="Booked: {{ session_title }}",
                                    body="Hello {{ first_name }},\n\n- **bring** your passport\n\n{{ session_details }}"))
    db.session.commit()
    user = make.user()
    reg = make.registration(event, user=user, given_name="Mei")
    login_as(user)
    assert client.post(f"/events/{event.slug}/sessions/{visit.id}/book").status_code in (302, 303)

    [mail] = mailbox.to(reg.email)
    assert mail.subject == "Booked: Visit: Shifei Cosmetics"
    assert mail.text().startswith("Hello Mei,") and "Visit: Shifei Cosmetics" in mail.text()
    html = mail.parts("text/html")[0].get_content()
    assert "<strong>bring</strong>" in html and "<li>" in html
    [ics] = mail.parts("text/calendar")
    assert ics.get_param("method") == "REQUEST" and b"METHOD:REQUEST" in ics.get_payload(decode=True)


def test_without_an_own_text_the_built_in_mail_is_unchanged(client, make, login_as, mailbox):
    event = make.event()
    visit = make.session(event, title="Workshop A", bookable=True, capacity=5)
    user = make.user()
    reg = make.registration(event, user=user, given_name="Mei", family_name="Lin")
    login_as(user)
    client.post(f"/events/{event.slug}/sessions/{visit.id}/book")
    [mail] = mailbox.to(reg.email)
    assert mail.subject == f"Your seat: Workshop A · {event.title}"
    assert mail.text().startswith("Dear Mei Lin,") and not mail.parts("text/html")


def test_registration_mail_in_chinese_uses_the_chinese_text(app, make, mailbox):
    from eventhub.registration import mails

    event = make.event()
    db.session.add_all([
        NotificationText(event_id=event.id, key="registration.approved", language="en",
                         subject="Approved {{ first_name }}", body="English {{ economy }}"),
        NotificationText(event_id=event.id, key="registration.approved", language="zh_Hans",
                         subject="{{ first_name }}，您的注册已批准", body="经济体：{{ economy }}")])
    db.session.commit()
    zh = make.registration(event, given_name="美", language="zh_Hans")
    en = make.registration(event, given_name="Anong", economy="THA")
    mails.status_mail(db.session, zh)
    mails.status_mail(db.session, en)
    db.session.commit()
    [zh_mail] = mailbox.to(zh.email)
    assert zh_mail.subject == "美，您的注册已批准" and "经济体：泰国" in zh_mail.text()
    [en_mail] = mailbox.to(en.email)
    assert en_mail.subject == "Approved Anong" and "English Thailand" in en_mail.text()
    assert [p.get_filename() for p in en_mail.message.iter_attachments()] == ["event.ics"]


def test_every_starting_text_renders_with_its_sample_in_both_languages(app):
    with app.test_request_context():
        for notification in nt.REGISTRY.values():
            for language in nt.LANGUAGES:
                subject, body = notification.default(language)
                assert nt.checked(notification, subject, body).text.strip()


def test_only_organizers_edit_texts(client, make, login_as):
    event = make.event()
    login_as(make.staff(event, "secretariat"))
    assert client.get(_editor(event)).status_code == 403
    assert client.get(f"/events/{event.slug}/messages/texts/no.such.mail/en").status_code == 403
    login_as(make.staff(event, "organizer"))
    assert client.get(f"/events/{event.slug}/messages/texts/no.such.mail/en").status_code == 404
