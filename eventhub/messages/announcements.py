"""Announcements: check the organizer's text, show it as one recipient will see it, and send it —
one outbox message per person, written by the delivery process in that person's language.

Sending records only ids: the announcement row, one recipient row per person, and one deferred
outbox message per person (kind "messages.announcement"), each a bulk INSERT, so 5,000 recipients
are queued in one request. The builder (`build_announcement`) fills the placeholders when the
message is delivered.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import sqlalchemy as sa
from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session as DbSession

from eventhub.agenda.models import Session
from eventhub.errors import DomainError
from eventhub.events.models import Event
from eventhub.formatting import local_dt
from eventhub.i18n import localized, recipient_language
from eventhub.mail.kinds import register
from eventhub.mail.models import MailStatus, OutboxMessage
from eventhub.mail.outbox import build_message
from eventhub.messages import consent, texts
from eventhub.messages.audience import Audience, recipients
from eventhub.messages.models_announcements import Announcement, AnnouncementRecipient, MessageConsent
from eventhub.registration.models import Registration
from eventhub.signups.models import Booking, BookingStatus
from eventhub.web import absolute_url

KIND = "messages.announcement"

# The placeholders an announcement may use, with what each one holds (shown beside the editor).
PLACEHOLDERS = {
    "first_name": _l("the person's given name"),
    "full_name": _l("given and family name"),
    "event_title": _l("the event's title"),
    "bookings": _l("their booked sessions and site visits, one per line, with times"),
    "calendar_url": _l("their personal calendar subscription link"),
    "programme_url": _l("the link to their programme"),
}
SUBJECT_MAX = 300
BODY_MAX = 20_000


class AlreadySent(DomainError):
    """The form was already sent (a double click or a resubmit): nobody is mailed again."""

    def __init__(self, announcement_id: int):
        super().__init__(str(_l("This announcement was already sent.")))
        self.announcement_id = announcement_id


@dataclass(frozen=True)
class Draft:
    subject: str
    body: str
    subject_zh: str = ""
    body_zh: str = ""


def sample_values() -> dict[str, str]:
    return {"first_name": "Anong", "full_name": "Anong Srisuk", "event_title": "Workshop",
            "bookings": "- Site visit, Sat 28 Jun 2025, 13:20", "calendar_url": "https://example.org/calendar.ics",
            "programme_url": "https://example.org/programme"}


def check_draft(draft: Draft) -> None:
    """Refuse a text with a syntax error or an unknown placeholder, naming the field and line."""
    for name in ("subject", "body", "subject_zh", "body_zh"):
        source = getattr(draft, name)
        limit = SUBJECT_MAX if name.startswith("subject") else BODY_MAX
        if len(source) > limit:
            raise DomainError(_("At most %(count)s characters.", count=limit), field=name)
        if name.startswith("subject") and "\n" in source.strip():
            raise DomainError(_("A subject is one line."), field=name)
        try:
            texts.check(source, sample_values())
        except texts.TemplateInvalid as exc:
            where = _("line %(line)s: %(message)s", line=exc.line, message=exc.message) if exc.line \
                else exc.message
            raise DomainError(_("This text cannot be used (%(where)s). Placeholders are written like "
                                "{{ first_name }}.", where=where), field=name) from None
    if bool(draft.subject_zh.strip()) != bool(draft.body_zh.strip()):
        raise DomainError(_("Give both the Chinese subject and the Chinese text, or neither."),
                          field="body_zh" if draft.subject_zh.strip() else "subject_zh")


def bookings_text(db_session: DbSession, event, registration_id: int) -> str:
    """A person's confirmed bookings, one line each, in the language now in force. One query."""
    rows = db_session.scalars(
        sa.select(Session).join(Booking, Booking.session_id == Session.id)
        .where(Booking.registration_id == registration_id, Booking.status == BookingStatus.CONFIRMED)
        .order_by(Session.starts_at, Session.id)).all()
    if not rows:
        return _("(no bookings)")
    return "\n".join(f"- {localized(s, 'title')}, {local_dt(s.starts_at, event)}" for s in rows)


def values_for(db_session: DbSession, event, reg: Registration) -> dict[str, str]:
    return {
        "first_name": reg.given_name, "full_name": reg.full_name, "event_title": localized(event, "title"),
        "bookings": bookings_text(db_session, event, reg.id),
        "calendar_url": absolute_url("calendars.personal_feed", token=reg.calendar_token),
        "programme_url": absolute_url("signups.programme", slug=event.slug),
    }


@dataclass(frozen=True)
class Written:
    subject: str
    text: str
    html: str  # the whole HTML part
    body_html: str  # the organizer's text in it, for the preview page


def write(db_session: DbSession, draft, event, reg: Registration, unsubscribe_url: str) -> Written:
    """The message as `reg` reads it: their language, their values, the unsubscribe footer."""
    language = recipient_language(registration=reg, event=event)
    with force_locale(language):
        use_zh = bool(draft.body_zh) and language.startswith("zh")
        subject_src, body_src = (draft.subject_zh, draft.body_zh) if use_zh else (draft.subject, draft.body)
        values = values_for(db_session, event, reg)
        subject = " ".join(texts.render(subject_src, values).split())
        body = texts.render(body_src, values)
        context = {"event": event, "unsubscribe_url": unsubscribe_url}
        text = body.rstrip() + "\n\n" + render_template("mail/messages/announcement_footer.txt", **context)
        body_html = texts.to_html(body)
        html = render_template("mail/messages/announcement.html", body_html=body_html, subject=subject, **context)
    return Written(subject[:480], text, html, body_html)


def unsubscribe_url(registration_id: int, generation: int) -> str:
    return absolute_url("announcements.unsubscribe", token=consent.token_for(registration_id, generation))


def sent_with_token(db_session: DbSession, send_token: str) -> int | None:
    return db_session.scalar(sa.select(Announcement.id).where(Announcement.send_token == send_token))


def send(db_session: DbSession, event, *, draft: Draft, audience: Audience, send_token: str,
         author_id: int | None) -> Announcement:
    """Record the announcement and queue one message per recipient. Raises AlreadySent for a token
    already used and DomainError for an unusable text or an empty audience."""
    if not send_token or len(send_token) > 64:
        raise DomainError(_("The form expired. Please submit it again."))
    existing = sent_with_token(db_session, send_token)
    if existing is not None:
        raise AlreadySent(existing)
    check_draft(draft)
    audience.check()
    people = recipients(db_session, event.id, audience)
    if not people:
        raise DomainError(_("Nobody matches these filters: there is no one to send this to."))
    announcement = Announcement(event_id=event.id, subject=draft.subject.strip(), body=draft.body,
                                subject_zh=draft.subject_zh.strip(), body_zh=draft.body_zh,
                                audience=audience.to_json(), recipient_count=len(people),
                                send_token=send_token, created_by_id=author_id)
    db_session.add(announcement)
    # A concurrent request with the same form that committed first makes this flush raise
    # IntegrityError (UNIQUE send_token); the view then shows the announcement that request sent.
    db_session.flush()
    # One INSERT for all outbox rows (outbox.queue_deferred_many writes the same rows but returns
    # nothing): RETURNING the ids with their parameters, so the recipients table names each
    # person's message. Asking RETURNING for the order of the rows instead costs one statement a row.
    returned = db_session.execute(
        sa.insert(OutboxMessage).returning(OutboxMessage.id, OutboxMessage.params),
        [{"recipients": email, "subject": "", "raw": b"", "kind": KIND,
          "params": {"announcement": announcement.id, "registration": rid}} for rid, email in people]).all()
    db_session.execute(sa.insert(AnnouncementRecipient), [
        {"announcement_id": announcement.id, "registration_id": params["registration"], "outbox_id": oid}
        for oid, params in returned])
    return announcement


def _kept(db_session: DbSession, model, key: int):
    """A row held for as long as the session lives: the delivery process builds a batch of messages
    of one announcement and event, and the session's identity map keeps objects only while something
    else refers to them — without this each message would read them again."""
    kept = db_session.info.setdefault("messages.kept", {})
    if (model, key) not in kept:
        kept[(model, key)] = db_session.get(model, key)
    return kept[(model, key)]


def build_announcement(db_session: DbSession, params: Mapping, to: list[str]):
    """Write one person's announcement (eventhub.mail.kinds); None when they opted out meanwhile or
    their data is gone."""
    announcement = _kept(db_session, Announcement, params["announcement"])
    # The person with their choice about optional messages: one query for both.
    found = db_session.execute(
        sa.select(Registration, MessageConsent.opted_out_at, MessageConsent.generation)
        .outerjoin(MessageConsent, MessageConsent.registration_id == Registration.id)
        .where(Registration.id == params["registration"])).first()
    if announcement is None or found is None or found[0].personal_data_purged_at is not None:
        return None
    reg, opted_out_at, generation = found
    if opted_out_at is not None:
        return None
    link = unsubscribe_url(reg.id, generation or 0)
    written = write(db_session, announcement, _kept(db_session, Event, reg.event_id), reg, link)
    message = build_message(to=to, subject=written.subject, text=written.text, html=written.html)
    message["List-Unsubscribe"] = f"<{link}>"
    return message


register(KIND, build_announcement)


# --- the history ----------------------------------------------------------------------------------

def announcements_of(db_session: DbSession, event_id: int) -> list[Announcement]:
    return list(db_session.scalars(sa.select(Announcement).where(Announcement.event_id == event_id)
                                   .order_by(Announcement.created_at.desc(), Announcement.id.desc())))


def announcement_of(db_session: DbSession, event_id: int, announcement_id: int) -> Announcement | None:
    return db_session.scalar(sa.select(Announcement).where(Announcement.id == announcement_id,
                                                           Announcement.event_id == event_id))


def delivery_states(db_session: DbSession, announcement_ids: list[int]) -> dict[int, dict[str, int]]:
    """{announcement id: {"pending"/"sent"/"failed": count}} in one query."""
    if not announcement_ids:
        return {}
    rows = db_session.execute(
        sa.select(AnnouncementRecipient.announcement_id, OutboxMessage.status, sa.func.count())
        .outerjoin(OutboxMessage, OutboxMessage.id == AnnouncementRecipient.outbox_id)
        .where(AnnouncementRecipient.announcement_id.in_(announcement_ids))
        .group_by(AnnouncementRecipient.announcement_id, OutboxMessage.status)).all()
    states: dict[int, dict[str, int]] = {i: {} for i in announcement_ids}
    for aid, status, count in rows:
        key = status.value if status is not None else MailStatus.FAILED.value
        states[aid][key] = states[aid].get(key, 0) + int(count)
    return states


RECIPIENTS_SHOWN = 500


def recipient_rows(db_session: DbSession, announcement_id: int, limit: int = RECIPIENTS_SHOWN):
    """The recipients in name order with their message's state and whether they opted out since."""
    return db_session.execute(
        sa.select(Registration.given_name, Registration.family_name, Registration.email, OutboxMessage.status,
                  OutboxMessage.sent_at, MessageConsent.opted_out_at)
        .select_from(AnnouncementRecipient)
        .join(Registration, Registration.id == AnnouncementRecipient.registration_id)
        .outerjoin(OutboxMessage, OutboxMessage.id == AnnouncementRecipient.outbox_id)
        .outerjoin(MessageConsent, MessageConsent.registration_id == Registration.id)
        .where(AnnouncementRecipient.announcement_id == announcement_id)
        .order_by(Registration.family_name, Registration.given_name, Registration.id).limit(limit)).all()
