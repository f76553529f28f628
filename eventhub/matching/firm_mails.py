"""The welcome of a firm's representative: what they joined, and how to sign in (a link to choose
a password for a new account). Only the representative gets it: the link opens their account."""

from __future__ import annotations

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.orm import Session as DbSession

from eventhub.i18n import localized, recipient_language
from eventhub.mail.kinds import register
from eventhub.mail.outbox import build_message, queue_deferred
from eventhub.registration.mails import set_password_link
from eventhub.web import absolute_url

KIND = "matching.firm_welcome"


def representative_welcome(db: DbSession, *, user, registration) -> None:
    queue_deferred(db, kind=KIND, to=[user.email], params={"user": user.id, "registration": registration.id})


def build_welcome(db: DbSession, params: dict, recipients: list[str]):
    from eventhub.accounts.models import User
    from eventhub.registration.models import Registration

    user, reg = db.get(User, params["user"]), db.get(Registration, params["registration"])
    if user is None or reg is None or reg.personal_data_purged_at is not None:
        return None
    event = reg.event
    with force_locale(recipient_language(registration=reg, user=user, event=event)):
        text = render_template(
            "mail/matching/firm_welcome.txt", user=user, reg=reg, event=event,
            password_link=set_password_link(user), login_url=absolute_url("accounts.login"),
            url=absolute_url("matching.profile", slug=event.slug))
        return build_message(to=recipients, text=text, subject=_(
            "Business matching: %(organisation)s is registered for %(title)s",
            organisation=reg.organisation, title=localized(event, "title")))


register(KIND, build_welcome)
