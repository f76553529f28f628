"""The certificate of attendance by e-mail, on request: the request records a kind and the
registration's id (eventhub.mail.kinds); the delivery process draws the PDF and writes the message
in the person's language when it sends it, so no PDF is drawn inside the request."""

from __future__ import annotations

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.orm import Session as DbSession

from eventhub.documents import certificates, letters
from eventhub.errors import DomainError
from eventhub.i18n import localized, recipient_language
from eventhub.mail.kinds import register
from eventhub.mail.outbox import Attachment, build_message, queue_deferred
from eventhub.registration.models import Registration

KIND = "documents.certificate"


def certificate_requested(db_session: DbSession, reg: Registration) -> None:
    queue_deferred(db_session, kind=KIND, to=[reg.email], params={"registration": reg.id})


def build_certificate_mail(db_session: DbSession, params: dict, recipients: list[str]):
    from eventhub.documents.pdf import certificates_pdf

    reg = db_session.get(Registration, params["registration"])
    if reg is None or reg.personal_data_purged_at is not None:
        return None
    event = reg.event
    settings = letters.settings_for(db_session, event)
    with force_locale(recipient_language(registration=reg, event=event)):
        try:
            # The request gave the reference already: this finds it and inserts nothing.
            item = certificates.certificate_of(db_session, event, reg, settings.certificate_rule, actor=None,
                                               with_sessions=settings.certificate_lists_sessions,
                                               localized=localized)
        except DomainError:
            return None  # the check-ins were undone meanwhile
        pdf = certificates_pdf(event, settings, [item])
        text = render_template("mail/documents/certificate.txt", event=event, reg=reg, reference=item.reference)
        return build_message(
            to=recipients, text=text,
            subject=_("Your certificate of attendance for %(event)s", event=localized(event, "title")),
            attachments=[Attachment(f"certificate-{item.reference}.pdf", pdf, "application/pdf")])


register(KIND, build_certificate_mail)
