"""E-mails of registration: queued in the business transaction, delivered after commit.

Templates live in templates/mail/registration/<kind>.txt. The delegate is the only recipient of a
mail that carries a personal link (set-password link, confirmation link): such a mail is never
copied to anyone, since whoever holds the link can take over the account. Where the focal point
acted (the services decide whom to "copy"), they get a separate notice that names the change and
links only to the delegation page.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session as DbSession

from eventhub.i18n import localized, recipient_language
from eventhub.mail.outbox import Attachment, queue_template
from eventhub.web import absolute_url

# Lazy: each message is read in its recipient's language (see _in_language_of).
SUBJECTS = {
    "received": _l("Registration received: %(title)s"),
    "approved": _l("Registration approved: %(title)s"),
    "waitlisted": _l("You are on the waitlist: %(title)s"),
    "promoted": _l("A place is free — you are registered: %(title)s"),
    "declined": _l("Registration declined: %(title)s"),
    "cancelled": _l("Registration cancelled: %(title)s"),
    "nominated": _l("Please confirm your registration: %(title)s"),
}
KIND_BY_STATUS = {"submitted": "received", "approved": "approved", "waitlisted": "waitlisted",
                  "declined": "declined", "cancelled": "cancelled"}


def _subject(message, **values) -> str:
    """A lazy subject in the language now in force (inside force_locale), its placeholders filled."""
    return str(message) % values


def _by_language(db_session: DbSession, addresses: list[str], event) -> dict[str, list[str]]:
    """Focal points' addresses grouped by the language each reads (their account's choice)."""
    import sqlalchemy as sa

    from eventhub.accounts.models import User

    users = {u.email: u for u in db_session.scalars(sa.select(User).where(User.email.in_(addresses)))}
    groups: dict[str, list[str]] = {}
    for address in addresses:
        groups.setdefault(recipient_language(user=users.get(address), event=event), []).append(address)
    return groups


def set_password_link(user) -> str | None:
    """A link for a person without a password to choose one (and so log in); None when they have one."""
    if user is None or user.password_hash:
        return None
    from eventhub.accounts.tokens import Purpose, make_password_token

    token = make_password_token(current_app.config["SECRET_KEY"], user, Purpose.WELCOME)
    return absolute_url("accounts.reset_password", token=token)


def event_ics_attachment(db_session: DbSession, event) -> Attachment:
    from eventhub.calendars.feeds import event_ics

    return Attachment("event.ics", event_ics(db_session, event), "text/calendar; charset=utf-8")


def registration_url(reg) -> str:
    return absolute_url("registration.show", slug=reg.event.slug, registration_id=reg.id)


def status_mail(db_session: DbSession, reg, *, kind: str | None = None, cc: Iterable[str] = (),
                position: int | None = None, reason: str = "") -> None:
    """The e-mail for the registration's current state (or `kind`, e.g. promoted)."""
    kind = kind or KIND_BY_STATUS[reg.status.value]
    attachments = []
    if kind in ("approved", "promoted"):
        attachments.append(event_ics_attachment(db_session, reg.event))
    event = reg.event
    with force_locale(recipient_language(registration=reg, event=event)):
        queue_template(
            db_session, to=[reg.email],
            subject=_subject(SUBJECTS[kind], title=localized(event, "title")), template=f"registration/{kind}",
            attachments=attachments, reg=reg, event=event, position=position, reason=reason,
            url=registration_url(reg), password_link=set_password_link(reg.user),
        )
    focal_notice(db_session, reg, cc, kind=kind, position=position, reason=reason)


def nominated(db_session: DbSession, reg, *, cc: Iterable[str] = ()) -> None:
    """Someone registered this delegate on their behalf: confirm and complete the details."""
    event = reg.event
    attachments = []
    if reg.status.value == "approved":
        attachments.append(event_ics_attachment(db_session, event))
    with force_locale(recipient_language(registration=reg, event=event)):
        queue_template(
            db_session, to=[reg.email],
            subject=_subject(SUBJECTS["nominated"], title=localized(event, "title")),
            template="registration/nominated", attachments=attachments, reg=reg, event=event,
            confirm_url=absolute_url("registration.confirm", token=reg.confirm_token),
            url=registration_url(reg), password_link=set_password_link(reg.user),
        )
    focal_notice(db_session, reg, cc, kind="nominated")


NOTICE_SUBJECTS = {
    "received": _l("%(name)s registered: %(title)s"),
    "approved": _l("%(name)s is approved: %(title)s"),
    "waitlisted": _l("%(name)s is on the waitlist: %(title)s"),
    "promoted": _l("%(name)s moved up from the waitlist: %(title)s"),
    "declined": _l("%(name)s was declined: %(title)s"),
    "cancelled": _l("%(name)s is cancelled: %(title)s"),
    "nominated": _l("%(name)s was asked to confirm their registration: %(title)s"),
}


def focal_notice(db_session: DbSession, reg, recipients: Iterable[str], *, kind: str,
                 position: int | None = None, reason: str = "") -> None:
    """Tell the focal point(s) what happened to a delegate — without any of the delegate's links."""
    to = sorted({c for c in recipients if c and c != reg.email})
    if not to:
        return
    event = reg.event
    url = (absolute_url("registration.delegation", slug=event.slug, delegation_id=reg.delegation_id)
           if reg.delegation_id else registration_url(reg))
    for language, group in _by_language(db_session, to, event).items():
        with force_locale(language):
            queue_template(
                db_session, to=group,
                subject=_subject(NOTICE_SUBJECTS[kind], name=reg.full_name, title=localized(event, "title")),
                template="registration/focal_notice", reg=reg, event=event, kind=kind, position=position,
                reason=reason, url=url,
            )


def nominated_many(db_session: DbSession, regs) -> None:
    """The nomination e-mail for many imported people at once (plain text, queued in bulk)."""
    from flask import render_template

    from eventhub.mail.outbox import PlainMessage, queue_plain_many

    messages = []
    for reg in regs:
        if reg.status.value == "approved":  # carries the event's .ics: the full builder
            nominated(db_session, reg)
            continue
        with force_locale(recipient_language(registration=reg, event=reg.event)):
            text = render_template("mail/registration/nominated.txt", reg=reg, event=reg.event,
                                   confirm_url=absolute_url("registration.confirm", token=reg.confirm_token),
                                   url=registration_url(reg), password_link=set_password_link(reg.user))
            subject = _subject(SUBJECTS["nominated"], title=localized(reg.event, "title"))
        messages.append(PlainMessage(to=reg.email, subject=subject, text=text))
    queue_plain_many(db_session, messages)


def focal_point_invited(db_session: DbSession, *, user, delegation, actor) -> None:
    event = delegation.event
    with force_locale(recipient_language(user=user, event=event)):
        queue_template(
            db_session, to=[user.email],
            subject=_("You are focal point of %(economy)s for %(title)s",
                      economy=localized(delegation.economy, "name"), title=localized(event, "title")),
            template="registration/focal_point_invited", user=user, delegation=delegation, event=event,
            actor=actor, password_link=set_password_link(user),
            url=absolute_url("registration.delegation", slug=event.slug, delegation_id=delegation.id),
            login_url=absolute_url("accounts.login"),
        )
