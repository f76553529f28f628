"""Passport details, the secretariat's letters list, issuing, revoking and downloading letters."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from eventhub.accounts.permissions import Action, authorize, can
from eventhub.documents import letters
from eventhub.documents.forms import EmptyForm, PassportForm
from eventhub.documents.models import DocumentKind, PassportDetails
from eventhub.documents.pdf import letter_pdf
from eventhub.documents.views import bp
from eventhub.documents.views.common import load_event, load_registration, pdf_response
from eventhub.errors import DomainError
from eventhub.extensions import db
from eventhub.i18n import localized, recipient_language
from eventhub.mail.outbox import Attachment, queue_template
from eventhub.registration.views.common import add_error


@bp.route("/events/<slug>/registrations/<int:registration_id>/passport", methods=["GET", "POST"])
def passport(slug: str, registration_id: int):
    event, reg = load_registration(slug, registration_id, Action.EDIT_PASSPORT)
    if not reg.visa_letter or reg.personal_data_purged_at is not None:
        abort(404)
    details = db.session.get(PassportDetails, reg.id)
    form = PassportForm(obj=details)
    if request.method == "GET" and details is None:
        form.stay_from.data = form.stay_from.data or event.start_date
        form.stay_to.data = form.stay_to.data or event.end_date
        form.name_in_passport.data = f"{reg.given_name} {reg.family_name}".upper()
    if form.validate_on_submit():
        try:
            letters.save_passport(db.session, reg, actor=current_user, **form.values())
        except DomainError as exc:
            add_error(form, exc)
        else:
            db.session.commit()
            flash(_("The passport details are saved. The secretariat issues the letter."), "success")
            return redirect(url_for("registration.show", slug=slug, registration_id=reg.id))
    return render_template("documents/passport.html", event=event, reg=reg, form=form), \
        422 if form.errors else 200


@bp.route("/events/<slug>/letters")
def letter_list(slug: str):
    event = load_event(slug)
    authorize(Action.ISSUE_LETTERS, event)
    state = request.args.get("state") or None
    if state not in (None, *letters.LETTER_STATES):
        state = None
    settings = letters.settings_for(db.session, event)
    rows = letters.letter_rows(db.session, event, state=state)
    return render_template("documents/letters.html", event=event, rows=rows, state=state,
                           states=letters.LETTER_STATES, due=letters.due_date(event, settings), form=EmptyForm(),
                           can_edit_templates=can(current_user, Action.EDIT_DOCUMENT_TEMPLATES, event))


def _mail_letter(event, reg, doc) -> None:
    with force_locale(recipient_language(registration=reg, event=event)):
        queue_template(db.session, to=[reg.email], template="documents/visa_letter",
                       subject=_("Your visa invitation letter for %(event)s", event=localized(event, "title")),
                       attachments=[Attachment(f"visa-letter-{doc.reference}.pdf", doc.pdf, "application/pdf")],
                       event=event, reg=reg, reference=doc.reference)


@bp.route("/events/<slug>/registrations/<int:registration_id>/letter/<any(issue, revoke):what>", methods=["POST"])
def letter_action(slug: str, registration_id: int, what: str):
    event, reg = load_registration(slug, registration_id, Action.ISSUE_LETTERS)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        if what == "issue":
            doc = letters.issue_letter(db.session, event, reg, actor=current_user, render=letter_pdf)
            _mail_letter(event, reg, doc)
        else:
            doc = letters.revoke_letter(db.session, reg, actor=current_user)
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        reference, name = doc.reference, reg.full_name
        try:
            db.session.commit()
        except IntegrityError:
            # Two clicks (or two secretaries) at once: the valid-letter UNIQUE index kept one.
            db.session.rollback()
            flash(_("Someone changed this letter at the same moment; the list shows what was kept."), "info")
            return redirect(url_for("documents.letter_list", slug=slug))
        if what == "issue":
            flash(_("Letter %(reference)s issued to %(name)s and sent by e-mail.", reference=reference, name=name),
                  "success")
        else:
            flash(_("Letter %(reference)s is revoked: its verification page now says so.", reference=reference),
                  "info")
    return redirect(url_for("documents.letter_list", slug=slug))


@bp.route("/events/<slug>/registrations/<int:registration_id>/letter.pdf")
def letter_download(slug: str, registration_id: int):
    event, reg = load_registration(slug, registration_id, Action.VIEW_PASSPORT)
    doc = letters.valid_document(db.session, reg, DocumentKind.VISA_LETTER)
    if doc is None or doc.pdf is None:
        abort(404)
    return pdf_response(doc.pdf, f"visa-letter-{doc.reference}.pdf")
