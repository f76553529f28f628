"""Writing, previewing and sending announcements through the pages; what people receive."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from eventhub.extensions import db
from eventhub.mail.delivery import deliver_due
from eventhub.mail.models import OutboxMessage
from eventhub.messages.models_announcements import Announcement, AnnouncementRecipient

URL = "/events/{slug}/announcements/new"


def _form(world, **extra) -> dict:
    data = {"subject": "Bus for {{ first_name }}", "send_token": "token-1",
            "body": "Dear {{ first_name }},\n\nThe bus leaves at **13:20** from the main lobby.\n\n"
                    "Your bookings:\n{{ bookings }}\n\nCalendar: {{ calendar_url }}\nProgramme: {{ programme_url }}\n",
            "session_id": str(world.visit.id), "booking": "booked", "send": "Send"}
    data.update(extra)
    return data


def _post(client, world, **extra):
    return client.post(URL.format(slug=world.event.slug), data=_form(world, **extra))


def test_preview_shows_count_names_and_one_persons_message(world, login_as):
    client = login_as(world.organizer)
    response = _post(client, world, send="", preview="Preview")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "2 recipients" in page
    assert "Anong, Chiyo" in page
    assert "Bus for Anong" in page  # the first recipient's subject, placeholders filled
    assert "<strong>13:20</strong>" in page
    assert "Shifei Cosmetics site visit" in page  # Anong's bookings
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 0  # a preview sends nothing


def test_send_queues_one_message_per_person_and_delivers_both_parts(world, login_as, mailbox):
    client = login_as(world.secretariat)
    response = _post(client, world)
    assert response.status_code == 302
    announcement = db.session.scalar(sa.select(Announcement))
    assert announcement.recipient_count == 2
    rows = db.session.scalars(sa.select(OutboxMessage)).all()
    assert sorted(r.recipients for r in rows) == ["anong@example.org", "chiyo@example.org"]
    received = mailbox.messages
    assert len(received) == 2
    for mail in received:
        assert len(mail.recipients) == 1 and mail.message["Cc"] is None
        assert mail.message["To"] == mail.recipients[0]
    anong = mailbox.to("anong@example.org")[0]
    assert anong.subject == "Bus for Anong"
    text = anong.text()
    assert "Dear Anong," in text and "Shifei Cosmetics site visit" in text
    assert f"/calendar/{world.people['anong'].calendar_token}.ics" in text
    assert f"/events/{world.event.slug}/programme" in text
    html = anong.parts("text/html")[0].get_content()
    assert "<strong>13:20</strong>" in html and "/unsubscribe/" in html
    assert "Chiyo" not in text  # nobody sees anyone else
    page = client.get(f"/events/{world.event.slug}/announcements/{announcement.id}").get_data(as_text=True)
    assert "delivered: 2" in page
    audience = re.search(r'<dl class="event-facts" id="audience">(.*?)</dl>', page, re.S).group(1)
    assert "Booked on" in audience and "Shifei Cosmetics site visit" in audience and "Holds a seat" in audience


def test_a_double_submit_mails_nobody_twice(world, login_as, mailbox):
    client = login_as(world.organizer)
    first = _post(client, world)
    second = _post(client, world)
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Announcement)) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AnnouncementRecipient)) == 2
    assert len(mailbox.messages) == 2


def test_an_empty_audience_cannot_be_sent(world, login_as):
    client = login_as(world.organizer)
    response = _post(client, world, focal_points="y")  # the focal point booked nothing
    assert response.status_code == 422
    assert "Nobody matches these filters" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Announcement)) == 0


@pytest.mark.parametrize(("field", "text", "expected"), [
    ("body", "Hello\n\n{{ first_nme }}", "first_nme"),
    ("body", "Hello\nthere\n{% if %}", "line 3"),
    ("subject", "{{ config.SECRET_KEY }}", "config"),
])
def test_a_broken_text_is_refused_next_to_the_field(world, login_as, field, text, expected):
    client = login_as(world.organizer)
    response = _post(client, world, **{field: text})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    error = re.search(rf'id="{field}-error">(.*?)</p>', page, re.S)
    assert error and expected in error.group(1)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 0


def test_sex_needs_the_confirmation(world, login_as):
    client = login_as(world.organizer)
    response = _post(client, world, sexes="female", session_id="")
    assert response.status_code == 422
    assert 'id="sex_confirmed-error"' in response.get_data(as_text=True)
    response = _post(client, world, sexes="female", session_id="", sex_confirmed="y")
    assert response.status_code == 302
    assert db.session.scalar(sa.select(Announcement.recipient_count)) == 2  # Anong and Chiyo


def test_chinese_readers_get_the_chinese_version(world, login_as, mailbox):
    world.people["chiyo"].language = "zh_Hans"
    db.session.commit()
    client = login_as(world.organizer)
    assert _post(client, world, subject_zh="{{ first_name }}的班车", body_zh="班车13:20出发。").status_code == 302
    assert mailbox.to("chiyo@example.org")[0].subject == "Chiyo的班车"
    assert "班车13:20出发" in mailbox.to("chiyo@example.org")[0].text()
    assert mailbox.to("anong@example.org")[0].subject == "Bus for Anong"


def test_staff_only(world, login_as):
    client = login_as(world.focal)
    assert _post(client, world).status_code == 403
    assert client.get(f"/events/{world.event.slug}/announcements").status_code == 403


def test_the_compose_and_preview_pages_take_the_same_queries_for_2_and_40_recipients(world, make, login_as,
                                                                                    query_counter):
    from eventhub.signups.models import Booking, BookingStatus

    client = login_as(world.organizer)
    url = URL.format(slug=world.event.slug)

    def preview_queries() -> int:
        client.get(url)  # warm
        with query_counter() as q:
            response = _post(client, world, send="", preview="Preview")
        assert response.status_code == 200
        return q.count

    small = preview_queries()
    canada = make.delegation(world.event, "CDA", quota=100)
    for _ in range(38):
        reg = make.registration(world.event, canada)
        db.session.add(Booking(session_id=world.visit.id, registration_id=reg.id, economy_id=reg.economy_id,
                               status=BookingStatus.CONFIRMED, holds_seat=False))
    db.session.commit()
    assert preview_queries() == small
    with query_counter() as q:
        assert _post(client, world).status_code == 302
    sent = q.count
    assert db.session.scalar(sa.select(Announcement.recipient_count)) == 40
    assert sent < 25, "\n".join(s[:90] for s in q.statements)


def test_an_smtp_outage_keeps_them_queued(world, login_as, app, mailbox):
    app.config["MAIL_PORT"] = 1  # nothing listens there
    client = login_as(world.organizer)
    assert _post(client, world).status_code == 302
    db.session.rollback()
    deliver_due()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)
                             .where(OutboxMessage.status == "pending")) == 2
