"""The organizer's pages for automatic e-mails: every notification with its own wording or the built-in
one, the editor (placeholders beside it, a preview with sample values, reset), and the reminders."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from eventhub.accounts.permissions import Action, authorize
from eventhub.errors import DomainError
from eventhub.extensions import db
from eventhub.i18n import language_name
from eventhub.messages import notification_texts as nt
from eventhub.messages import reminders
from eventhub.messages.models_reminders import ReminderKind
from eventhub.messages.text_forms import ReminderForm, TextForm
from eventhub.messages.views import bp
from eventhub.registration.views.common import load_event
from eventhub.web import add_domain_error


@bp.route("/events/<slug>/messages/texts")
def texts(slug: str):
    event = load_event(slug)
    authorize(Action.EDIT_MESSAGE_TEXTS, event)
    return render_template("messages/texts.html", event=event, registry=nt.REGISTRY.values(),
                           own=nt.overridden(db.session, event.id), languages=nt.LANGUAGES,
                           language_name=language_name)


@bp.route("/events/<slug>/messages/texts/<text_key>/<any(en, zh_Hans):language>", methods=["GET", "POST"])
def edit_text(slug: str, text_key: str, language: str):
    event = load_event(slug)
    authorize(Action.EDIT_MESSAGE_TEXTS, event)
    notification = nt.REGISTRY.get(text_key)
    if notification is None:
        abort(404)
    row = nt.find_override(db.session, event.id, text_key, language)
    own = row if row is not None and row.language == language else None
    form = TextForm()
    action = request.form.get("action", "save")
    if request.method == "POST" and action == "reset":
        nt.reset_override(db.session, event.id, text_key, language)
        db.session.commit()
        flash(_("The built-in text is used again."), "success")
        return redirect(url_for("messages.edit_text", slug=slug, text_key=text_key, language=language))
    if request.method == "GET":
        form.subject.data, form.body.data = (own.subject, own.body) if own is not None \
            else notification.default(language)
    preview = None
    if request.method == "GET" or form.validate_on_submit():
        try:
            if request.method == "POST" and action == "save":
                nt.save_override(db.session, event.id, text_key, language, subject=form.subject.data,
                                 body=form.body.data, user_id=current_user.id)
                db.session.commit()
                flash(_("The text is saved: the next e-mails use it."), "success")
                return redirect(url_for("messages.edit_text", slug=slug, text_key=text_key, language=language))
            preview = nt.checked(notification, form.subject.data or "", form.body.data or "")
        except DomainError as exc:
            db.session.rollback()
            add_domain_error(form, exc)
    return render_template("messages/text_edit.html", event=event, notification=notification, form=form,
                           own=own, language=language, language_label=language_name(language),
                           preview=preview), 422 if form.errors else 200


@bp.route("/events/<slug>/messages/reminders")
def reminder_settings(slug: str):
    event = load_event(slug)
    authorize(Action.EDIT_MESSAGE_TEXTS, event)
    return _reminders_page(event, {})


def _reminders_page(event, forms: dict, status: int = 200):
    settings = reminders.settings_of(db.session, event.id)
    for kind, setting in settings.items():
        forms.setdefault(kind, ReminderForm(prefix=kind.value, formdata=None, obj=setting))
    return render_template("messages/reminders.html", event=event, settings=settings, forms=forms,
                           labels=reminders.LABELS, explained=reminders.EXPLAINED,
                           own=nt.overridden(db.session, event.id)), status


@bp.route("/events/<slug>/messages/reminders/<any(registration_closing, ranking_deadline, day_before, survey):kind>",
          methods=["POST"])
def save_reminder(slug: str, kind: str):
    event = load_event(slug)
    authorize(Action.EDIT_MESSAGE_TEXTS, event)
    reminder = ReminderKind(kind)
    form = ReminderForm(prefix=kind)
    if not form.validate_on_submit():
        return _reminders_page(event, {reminder: form}, 422)
    reminders.save_setting(db.session, event.id, reminder, enabled=form.enabled.data,
                           offset_hours=form.offset_hours.data)
    db.session.commit()
    flash(_("The reminder “%(name)s” is saved.", name=reminders.LABELS[reminder]), "success")
    return redirect(url_for("messages.reminder_settings", slug=slug))
