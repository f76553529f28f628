"""Certificates: the staff page and bulk PDF, the person's own download and e-mail.

The bulk PDF (hundreds of pages take seconds to draw) is drawn after the transaction: the view
gives the new references in one short transaction, reads everything the pages print into plain
values, commits, and only then renders. No database transaction or connection is held while
WeasyPrint works. One person's certificate (one page) is drawn in the request.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from eventhub.accounts.permissions import Action, authorize
from eventhub.documents import certificates, letters
from eventhub.documents.forms import EmptyForm
from eventhub.documents.mails import certificate_requested
from eventhub.documents.pdf import certificates_pdf
from eventhub.documents.views import bp
from eventhub.documents.views.common import load_event, load_registration, pdf_response
from eventhub.errors import DomainError
from eventhub.extensions import db
from eventhub.i18n import localized


@bp.route("/events/<slug>/certificates")
def certificate_list(slug: str):
    event = load_event(slug)
    authorize(Action.ISSUE_CERTIFICATES, event)
    settings = letters.settings_for(db.session, event)
    people = certificates.eligible(db.session, event, settings.certificate_rule)
    return render_template("documents/certificates.html", event=event, people=people, settings=settings,
                           form=EmptyForm())


def _detach(*objects) -> None:
    """Keep loaded values readable after the commit (which would expire them and query again)."""
    for obj in objects:
        if obj in db.session:
            db.session.expunge(obj)


@bp.route("/events/<slug>/certificates.pdf", methods=["POST"])
def certificates_bulk(slug: str):
    event = load_event(slug)
    authorize(Action.ISSUE_CERTIFICATES, event)
    if not EmptyForm().validate_on_submit():
        abort(400)
    settings = letters.settings_for(db.session, event)
    people = certificates.eligible(db.session, event, settings.certificate_rule)
    if not people:
        flash(_("Nobody has attended yet by the rule set for certificates."), "info")
        return redirect(url_for("documents.certificate_list", slug=slug))
    items = certificates.certificates_for(db.session, event, people, actor=current_user,
                                          with_sessions=settings.certificate_lists_sessions, localized=localized)
    _detach(event, settings)
    db.session.commit()
    db.session.close()  # the connection goes back to the pool before the long render
    return pdf_response(certificates_pdf(event, settings, items), f"certificates-{event.slug}.pdf")


def _own_certificate(slug: str, registration_id: int):
    event, reg = load_registration(slug, registration_id, Action.VIEW_REGISTRATION)
    if reg.personal_data_purged_at is not None:
        abort(404)
    settings = letters.settings_for(db.session, event)
    try:
        item = certificates.certificate_of(db.session, event, reg, settings.certificate_rule, actor=current_user,
                                           with_sessions=settings.certificate_lists_sessions, localized=localized)
    except DomainError:
        abort(404)
    return event, reg, settings, item


@bp.route("/events/<slug>/registrations/<int:registration_id>/certificate.pdf")
def certificate_download(slug: str, registration_id: int):
    event, reg, settings, item = _own_certificate(slug, registration_id)
    try:
        db.session.commit()  # the certificate's reference, given on the first download
    except IntegrityError:
        # A double click made it at the same moment: take the one that was kept.
        db.session.rollback()
        event, reg, settings, item = _own_certificate(slug, registration_id)
    return pdf_response(certificates_pdf(event, settings, [item]), f"certificate-{item.reference}.pdf")


@bp.route("/events/<slug>/registrations/<int:registration_id>/certificate/email", methods=["POST"])
def certificate_email(slug: str, registration_id: int):
    event, reg, settings, item = _own_certificate(slug, registration_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    certificate_requested(db.session, reg)  # the delivery process draws the PDF
    email = reg.email
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()  # a double click gave the reference at the same moment: ask once more
        event, reg, settings, item = _own_certificate(slug, registration_id)
        certificate_requested(db.session, reg)
        db.session.commit()
    flash(_("The certificate is on its way to %(email)s.", email=email), "success")
    return redirect(url_for("registration.show", slug=slug, registration_id=registration_id))
