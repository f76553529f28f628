"""The organizer's page: the letter's text, signatory and images, the certificate rule; a preview."""

from __future__ import annotations

from datetime import date, timedelta

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from eventhub.accounts.permissions import Action, authorize
from eventhub.documents import letters
from eventhub.documents.forms import SettingsForm
from eventhub.documents.images import reencode_image
from eventhub.documents.models import AttendanceRule, PassportDetails
from eventhub.documents.pdf import letter_pdf
from eventhub.documents.views import bp
from eventhub.documents.views.common import load_event, pdf_response
from eventhub.errors import DomainError
from eventhub.extensions import db
from eventhub.registration.models import Registration
from eventhub.registration.views.common import add_error


def _upload(field, name: str) -> bytes | None:
    data = field.data
    if data is None or not getattr(data, "filename", ""):
        return None
    return reencode_image(data.read(), field=name)


@bp.route("/events/<slug>/documents", methods=["GET", "POST"])
def settings(slug: str):
    event = load_event(slug)
    authorize(Action.EDIT_DOCUMENT_TEMPLATES, event)
    current = letters.settings_for(db.session, event)
    form = SettingsForm(obj=current if request.method == "GET" else None)
    if request.method == "GET":
        form.certificate_rule.data = current.certificate_rule.value if current.certificate_rule else "either"
        if current.certificate_lists_sessions is None:
            form.certificate_lists_sessions.data = True
    if form.validate_on_submit():
        try:
            letters.save_settings(
                db.session, event, letter_body=form.letter_body.data, signatory_name=form.signatory_name.data or "",
                signatory_title=form.signatory_title.data or "", letter_lead_days=form.letter_lead_days.data,
                certificate_rule=AttendanceRule(form.certificate_rule.data),
                certificate_lists_sessions=form.certificate_lists_sessions.data,
                signature_png=_upload(form.signature, "signature"), logo_png=_upload(form.logo, "logo"),
                remove_signature=form.remove_signature.data, remove_logo=form.remove_logo.data)
        except DomainError as exc:
            add_error(form, exc)
        else:
            db.session.commit()
            flash(_("The letter and certificate settings are saved."), "success")
            return redirect(url_for("documents.settings", slug=slug))
    return render_template("documents/settings.html", event=event, form=form, settings=current,
                           placeholders=letters.PLACEHOLDERS), 422 if form.errors else 200


@bp.route("/events/<slug>/documents/preview.pdf")
def preview(slug: str):
    """The saved letter filled in for an invented delegate, marked PREVIEW; nothing is issued."""
    event = load_event(slug)
    authorize(Action.EDIT_DOCUMENT_TEMPLATES, event)
    current = letters.settings_for(db.session, event)
    sample = Registration(given_name="Mei", family_name="WANG", organisation="Ministry of Commerce",
                          position="Director")
    sample.economy = event.host_economy or _any_economy()
    passport = PassportDetails(name_in_passport="WANG MEI", nationality="—", passport_number="E12345678",
                               date_of_birth=date(1985, 4, 21), stay_from=event.start_date - timedelta(days=1),
                               stay_to=event.end_date + timedelta(days=1))
    pdf = letter_pdf(event, sample, passport, current, "VL-PREVW-00000", preview=True)
    db.session.rollback()  # the invented delegate is never stored
    return pdf_response(pdf, f"letter-preview-{event.slug}.pdf")


def _any_economy():
    import sqlalchemy as sa

    from eventhub.economies.models import Economy

    return db.session.scalars(sa.select(Economy).order_by(Economy.sort_key).limit(1)).first()
