"""E-mails of registration: queued in the business transaction, delivered after commit.

Templates live in templates/mail/registration/<kind>.txt. The delegate is the only recipient of a
mail that carries a personal link (set-password link, confirmation link): such a mail is never
copied to anyone, since whoever holds the link can take over the account. Where the focal point
acted (the services decide whom to "copy"), they get a separate notice that names the change and
links only to the delegation page.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session as DbSession

from eventhub.i18n import localized, recipient_language
from eventhub.mail.kinds import register
from eventhub.mail.outbox import Attachment, build_message, queue_deferred, queue_deferred_many
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
                position: int | None = None, reason: str = "", replaced_by: str = "") -> None:
    """The e-mail for the registration's current state (or `kind`, e.g. promoted). Recorded now,
    written by the delivery process in the delegate's language (build_status_mail)."""
    kind = kind or KIND_BY_STATUS[reg.status.value]
    details = {"registration": reg.id, "kind": kind, "position": position, "reason": str(reason),
               "replaced_by": replaced_by}
    queue_deferred(db_session, kind="registration.status", to=[reg.email], params=details)
    focal_notice(db_session, reg, cc, **details)


def nominated(db_session: DbSession, reg, *, cc: Iterable[str] = ()) -> None:
    """Someone registered this delegate on their behalf: confirm and complete the details."""
    queue_deferred(db_session, kind="registration.status", to=[reg.email],
                   params={"registration": reg.id, "kind": "nominated"})
    focal_notice(db_session, reg, cc, registration=reg.id, kind="nominated")


def nominated_many(db_session: DbSession, regs) -> None:
    """The nomination e-mail for many imported people at once: one INSERT for all of them."""
    queue_deferred_many(db_session, kind="registration.status", messages=[
        ([reg.email], {"registration": reg.id, "kind": "nominated"}) for reg in regs])


NOTICE_SUBJECTS = {
    "received": _l("%(name)s registered: %(title)s"),
    "approved": _l("%(name)s is approved: %(title)s"),
    "waitlisted": _l("%(name)s is on the waitlist: %(title)s"),
    "promoted": _l("%(name)s moved up from the waitlist: %(title)s"),
    "declined": _l("%(name)s was declined: %(title)s"),
    "cancelled": _l("%(name)s is cancelled: %(title)s"),
    "nominated": _l("%(name)s was asked to confirm their registration: %(title)s"),
}


def focal_notice(db_session: DbSession, reg, recipients: Iterable[str], **details) -> None:
    """Tell the focal point(s) what happened to a delegate — without any of the delegate's links.
    One message each, so each reads it in their own language."""
    for address in sorted({c for c in recipients if c and c != reg.email}):
        queue_deferred(db_session, kind="registration.focal_notice", to=[address], params=details)


def _reason(params: dict) -> str:
    if params.get("replaced_by"):
        return _("replaced by %(name)s", name=params["replaced_by"])
    return params.get("reason") or ""


def _registration(db_session: DbSession, params: dict):
    from eventhub.registration.models import Registration

    reg = db_session.get(Registration, params["registration"])
    return None if reg is None or reg.personal_data_purged_at is not None else reg


def build_status_mail(db_session: DbSession, params: dict, recipients: list[str]):
    """Write a recorded registration e-mail to the delegate (eventhub.mail.kinds)."""
    reg = _registration(db_session, params)
    if reg is None:
        return None
    kind, event = params["kind"], reg.event
    attachments = []
    if kind in ("approved", "promoted") or (kind == "nominated" and reg.status.value == "approved"):
        attachments.append(event_ics_attachment(db_session, event))
    with force_locale(recipient_language(registration=reg, event=event)):
        context = {"reg": reg, "event": event, "url": registration_url(reg),
                   "password_link": set_password_link(reg.user)}
        if kind == "nominated":
            context["confirm_url"] = absolute_url("registration.confirm", token=reg.confirm_token)
        else:
            context.update(position=params.get("position"), reason=_reason(params))
        own = _event_text(db_session, reg, event, kind, context)
        if own is not None:
            return build_message(to=recipients, subject=own.subject, text=own.text, html=own.html,
                                 attachments=attachments)
        return build_message(to=recipients, subject=_subject(SUBJECTS[kind], title=localized(event, "title")),
                             text=render_template(f"mail/registration/{kind}.txt", **context),
                             attachments=attachments)


def _event_text(db_session: DbSession, reg, event, kind: str, context: dict):
    """The message in the event's own words for this kind (eventhub.messages.notification_texts), or None."""
    from eventhub.i18n import current_language
    from eventhub.messages import notification_texts

    values = lambda: notification_texts.person_values(reg, event) | {  # noqa: E731
        "status": str(reg.status.label), "registration_url": context["url"],
        "password_link": context.get("password_link") or "", "position": context.get("position") or "",
        "reason": context.get("reason") or "", "confirm_url": context.get("confirm_url") or ""}
    return notification_texts.override(db_session, event.id, f"registration.{kind}", current_language(), values)


def build_focal_notice(db_session: DbSession, params: dict, recipients: list[str]):
    """Write a recorded notice to a focal point, in the language their account chose."""
    import sqlalchemy as sa

    from eventhub.accounts.models import User

    reg = _registration(db_session, params)
    if reg is None:
        return None
    event = reg.event
    url = (absolute_url("registration.delegation", slug=event.slug, delegation_id=reg.delegation_id)
           if reg.delegation_id else registration_url(reg))
    user = db_session.scalar(sa.select(User).where(User.email == recipients[0])) if recipients else None
    with force_locale(recipient_language(user=user, event=event)):
        kind = params["kind"]
        text = render_template("mail/registration/focal_notice.txt", reg=reg, event=event, kind=kind,
                               position=params.get("position"), reason=_reason(params), url=url)
        return build_message(to=recipients, text=text, subject=_subject(
            NOTICE_SUBJECTS[kind], name=reg.full_name, title=localized(event, "title")))


def focal_point_invited(db_session: DbSession, *, user, delegation, actor) -> None:
    queue_deferred(db_session, kind="registration.focal_point_invited", to=[user.email], params={
        "user": user.id, "delegation": delegation.id, "actor": actor.id if actor is not None else None})


def build_focal_point_invited(db_session: DbSession, params: dict, recipients: list[str]):
    from eventhub.accounts.models import User
    from eventhub.registration.models import Delegation

    user, delegation = db_session.get(User, params["user"]), db_session.get(Delegation, params["delegation"])
    if user is None or delegation is None:
        return None
    actor = db_session.get(User, params["actor"]) if params.get("actor") else None
    event = delegation.event
    with force_locale(recipient_language(user=user, event=event)):
        text = render_template(
            "mail/registration/focal_point_invited.txt", user=user, delegation=delegation, event=event,
            actor=actor, password_link=set_password_link(user),
            url=absolute_url("registration.delegation", slug=event.slug, delegation_id=delegation.id),
            login_url=absolute_url("accounts.login"))
        return build_message(to=recipients, text=text, subject=_(
            "You are focal point of %(economy)s for %(title)s",
            economy=localized(delegation.economy, "name"), title=localized(event, "title")))


register("registration.status", build_status_mail)
register("registration.focal_notice", build_focal_notice)
register("registration.focal_point_invited", build_focal_point_invited)
