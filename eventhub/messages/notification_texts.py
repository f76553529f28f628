"""Every automatic e-mail an organizer may reword for their event: its key, the placeholders it
offers (with what each holds and a sample for the preview and the check on save), and a starting
text written with those placeholders.

The builders (registration/mails.py, signups/notify.py, messages/reminders.py) ask `override()` when
they write a message: with an event's own text they render it in the sandbox (texts.render) with the
message's values — plain strings only — and send text and HTML parts; without one they send the
built-in message as before. A reminder's built-in text is its starting text here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session as DbSession

from eventhub.messages import texts
from eventhub.messages.models_texts import NotificationText

# The languages an organizer writes a text in.
LANGUAGES = ("en", "zh_Hans")


@dataclass(frozen=True)
class Placeholder:
    name: str
    description: object  # a lazy string
    sample: str


def placeholder(name: str, description, sample: str) -> Placeholder:
    return Placeholder(name, description, sample)


PERSON = (
    placeholder("first_name", _l("the person's given name"), "Mei"),
    placeholder("family_name", _l("the person's family name"), "LIN"),
    placeholder("full_name", _l("given and family name"), "Mei LIN"),
    placeholder("economy", _l("their economy"), "Thailand"),
    placeholder("event_title", _l("the event's title"), "SME Cluster Workshop"),
    placeholder("event_dates", _l("the event's dates"), "28 June 2025"),
    placeholder("event_city", _l("the event's city"), "Guangzhou"),
    placeholder("contact_email", _l("the organizers' e-mail address (may be empty)"), "sme@example.org"),
    placeholder("home_url", _l("the person's home page for the event"), "https://eventhub.example/events/sme/home"),
)
REGISTRATION = PERSON + (
    placeholder("status", _l("the registration's state"), "Approved"),
    placeholder("registration_url", _l("the page of the registration"), "https://eventhub.example/events/sme/registrations/7"),
    placeholder("password_link", _l("a link to choose a password, when the person has none (else empty)"), ""),
    placeholder("position", _l("the waitlist position (may be empty)"), "2"),
    placeholder("reason", _l("the reason given (may be empty)"), ""),
    placeholder("confirm_url", _l("the link to confirm the details (nominations only; else empty)"), ""),
)
SESSION = PERSON + (
    placeholder("session_title", _l("the session's title"), "Visit: Shifei Cosmetics"),
    placeholder("session_details", _l("when and where, departure and meeting point (several lines)"),
       "Visit: Shifei Cosmetics\nDeparture: Sat 28 Jun 2025, 13:20 (Asia/Shanghai) from Main lobby"),
    placeholder("session_url", _l("the session's page"), "https://eventhub.example/events/sme/agenda/12"),
    placeholder("programme_url", _l("the person's programme"), "https://eventhub.example/events/sme/programme"),
    placeholder("position", _l("the waitlist position (may be empty)"), "3"),
    placeholder("rank", _l("which of their choices they got (roundtables; may be empty)"), "1"),
    placeholder("other_session", _l("the session moved from or to (may be empty)"), ""),
    placeholder("changes", _l("what changed (one line each; may be empty)"), "  - place: now Hall B"),
)


@dataclass(frozen=True)
class Notification:
    key: str
    label: object
    placeholders: tuple[Placeholder, ...]
    subject: object  # the starting subject (a lazy string holding a template)
    body: tuple  # the starting body: lazy strings joined in the language asked for
    reminder: bool = False  # its built-in text is the template above (not a file template)

    def sample(self) -> dict[str, str]:
        return {p.name: p.sample for p in self.placeholders}

    def default(self, language: str) -> tuple[str, str]:
        with force_locale(language):
            return str(self.subject), "".join(str(part) for part in self.body)


def _registration(key, label, subject, opening) -> Notification:
    body = (_l("Dear {{ full_name }},"), "\n\n", opening, "\n\n",
            _l("Your registration: {{ registration_url }}"), "\n\n{{ event_title }}\n{{ event_dates }}\n")
    return Notification(f"registration.{key}", label, REGISTRATION, subject, body)


def _signup(key, label, subject, opening) -> Notification:
    body = (_l("Dear {{ full_name }},"), "\n\n", opening, "\n\n{{ session_details }}\n",
            _l("Your programme: {{ programme_url }}"), "\n\n{{ event_title }}\n")
    return Notification(f"signups.{key}", label, SESSION, subject, body)


_ALL = [
    _registration("received", _l("Registration received"), _l("Registration received: {{ event_title }}"),
                  _l("we have received your registration for {{ event_title }} in the {{ economy }} delegation. "
                     "It now waits for approval.")),
    _registration("approved", _l("Registration approved"), _l("Registration approved: {{ event_title }}"),
                  _l("your registration for {{ event_title }} is approved: you have a place in the "
                     "{{ economy }} delegation.")),
    _registration("waitlisted", _l("Registration on the waitlist"),
                  _l("You are on the waitlist: {{ event_title }}"),
                  _l("the {{ economy }} delegation for {{ event_title }} is full, so your registration is on its "
                     "waitlist at position {{ position }}.")),
    _registration("promoted", _l("Registration moved up from the waitlist"),
                  _l("A place is free — you are registered: {{ event_title }}"),
                  _l("good news: a place in the {{ economy }} delegation has become free and it is yours.")),
    _registration("declined", _l("Registration declined"), _l("Registration declined: {{ event_title }}"),
                  _l("we are sorry: your registration for {{ event_title }} was declined. {{ reason }}")),
    _registration("cancelled", _l("Registration cancelled"), _l("Registration cancelled: {{ event_title }}"),
                  _l("your registration for {{ event_title }} is cancelled. {{ reason }}")),
    _registration("nominated", _l("Nomination: please confirm"),
                  _l("Please confirm your registration: {{ event_title }}"),
                  _l("you have been registered for {{ event_title }} in the {{ economy }} delegation. Please check "
                     "and complete your details and confirm: {{ confirm_url }}")),
    _signup("confirmed", _l("Booking confirmed"), _l("Your seat: {{ session_title }} · {{ event_title }}"),
            _l("You have a seat in:")),
    _signup("promoted", _l("Booking moved up from the waitlist"),
            _l("A seat came free — you are confirmed: {{ session_title }} · {{ event_title }}"),
            _l("Good news: a seat came free and you moved up from the waitlist. You are now confirmed for:")),
    _signup("waitlisted", _l("Booking on the waitlist"),
            _l("Waitlist position {{ position }}: {{ session_title }} · {{ event_title }}"),
            _l("“{{ session_title }}” is full, so you are on its waitlist at position {{ position }}.")),
    _signup("cancelled", _l("Booking cancelled"), _l("Booking cancelled: {{ session_title }} · {{ event_title }}"),
            _l("Your booking has been cancelled:")),
    _signup("left_waitlist", _l("Left a waitlist"), _l("Left the waitlist: {{ session_title }} · {{ event_title }}"),
            _l("You are no longer on the waitlist of:")),
    _signup("moved_from", _l("Booking moved to another session"),
            _l("Moved from: {{ session_title }} · {{ event_title }}"),
            _l("The organizers moved you from this session to “{{ other_session }}” (a separate message has "
               "the details):")),
    _signup("changed", _l("Booked session changed"), _l("Changed: {{ session_title }} · {{ event_title }}"),
            _l("A session you are booked on has changed (now as below):\n{{ changes }}")),
    _signup("session_cancelled", _l("Session cancelled"), _l("Cancelled: {{ session_title }} · {{ event_title }}"),
            _l("We are sorry: this session has been cancelled.")),
    _signup("roundtable", _l("Roundtable place"), _l("Your roundtable: {{ session_title }} · {{ event_title }}"),
            _l("The roundtable places have been allocated. You have a place at:")),
]
REGISTRY: dict[str, Notification] = {n.key: n for n in _ALL}


def register(notification: Notification) -> None:
    """Add an automatic e-mail (the reminders register theirs)."""
    REGISTRY[notification.key] = notification


def find_override(db: DbSession, event_id: int, key: str, language: str) -> NotificationText | None:
    """The event's own text for `key` in `language`, or its English one (the organizer's words over the
    built-in ones), or None."""
    rows = {row.language: row for row in db.scalars(sa.select(NotificationText).where(
        NotificationText.event_id == event_id, NotificationText.key == key,
        NotificationText.language.in_({language, "en"})))}
    return rows.get(language) or rows.get("en")


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def render_text(subject: str, body: str, values: dict[str, str]) -> Rendered:
    """Subject (one line) and body filled in the sandbox; the HTML part from the body."""
    line = " ".join(texts.render(subject, values).split())
    text = texts.render(body, values)
    return Rendered(line[:480], text, texts.to_html(text))


def override(db: DbSession, event_id: int, key: str, language: str,
             values: Callable[[], dict[str, object]]) -> Rendered | None:
    """The message written from the event's own text for `key`, or None (send the built-in one).
    `values` is called only when there is such a text."""
    row = find_override(db, event_id, key, language)
    if row is None:
        return None
    return render_text(row.subject, row.body, {k: "" if v is None else str(v) for k, v in values().items()})


def person_values(reg, event) -> dict[str, str]:
    """The placeholders every delegate's message offers, in the language in force."""
    from eventhub.formatting import date_range
    from eventhub.i18n import localized
    from eventhub.web import absolute_url

    return {"first_name": reg.given_name, "family_name": reg.family_name, "full_name": reg.full_name,
            "economy": localized(reg.economy, "name"), "event_title": localized(event, "title"),
            "event_dates": date_range(event.start_date, event.end_date), "event_city": event.city or "",
            "contact_email": event.contact_email or "",
            "home_url": absolute_url("messages.home", slug=event.slug)}


def _refusal(exc: texts.TemplateInvalid) -> str:
    from flask_babel import gettext as _

    if exc.line:
        return _("Line %(line)s: %(reason)s. Only the placeholders listed beside the editor can be used.",
                 line=exc.line, reason=exc.message)
    return _("%(reason)s. Only the placeholders listed beside the editor can be used.", reason=exc.message)


def checked(notification: Notification, subject: str, body: str) -> Rendered:
    """The text filled with the sample values, or DomainError naming the field (and the line) that cannot
    be used: an unknown placeholder, a syntax error, anything the sandbox refuses."""
    from flask_babel import gettext as _

    from eventhub.errors import DomainError

    sample = notification.sample()
    for name, source in (("subject", subject), ("body", body)):
        try:
            texts.check(source, sample)
        except texts.TemplateInvalid as exc:
            raise DomainError(_refusal(exc), field=name) from None
    rendered = render_text(subject, body, sample)
    if not rendered.subject:
        raise DomainError(_("The subject is empty once the placeholders are filled in."), field="subject")
    return rendered


def save_override(db: DbSession, event_id: int, key: str, language: str, *, subject: str, body: str,
                  user_id: int | None) -> NotificationText:
    """Keep the event's own text for `key` in `language`, refused unless it renders (checked())."""
    checked(REGISTRY[key], subject, body)
    row = db.scalar(sa.select(NotificationText).where(
        NotificationText.event_id == event_id, NotificationText.key == key, NotificationText.language == language))
    if row is None:
        row = NotificationText(event_id=event_id, key=key, language=language)
        db.add(row)
    row.subject, row.body, row.updated_by_id = subject.strip(), body, user_id
    db.flush()
    return row


def reset_override(db: DbSession, event_id: int, key: str, language: str) -> None:
    """Back to the built-in text."""
    db.execute(sa.delete(NotificationText).where(
        NotificationText.event_id == event_id, NotificationText.key == key, NotificationText.language == language))


def overridden(db: DbSession, event_id: int) -> set[tuple[str, str]]:
    """(key, language) of every text the event has its own wording for."""
    return set(db.execute(sa.select(NotificationText.key, NotificationText.language)
                          .where(NotificationText.event_id == event_id)).all())
