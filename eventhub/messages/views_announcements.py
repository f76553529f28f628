"""Announcement pages (blueprint "announcements"): the history, writing with a preview, sending,
one sent announcement with its delivery states, and the personal unsubscribe page."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy.exc import IntegrityError

from eventhub.accounts.permissions import Action, authorize
from eventhub.db import utcnow
from eventhub.errors import DomainError
from eventhub.extensions import db
from eventhub.messages import announcements, consent
from eventhub.messages.audience import Audience, summary
from eventhub.messages.forms_announcements import (
    AnnouncementForm,
    audience_from,
    describe,
    draft_from,
    fill_choices,
)
from eventhub.registration.models import Registration
from eventhub.web import add_domain_error

bp = Blueprint("announcements", __name__)


def _event(slug: str):
    from eventhub.events.views import load_event

    event = load_event(slug, public=False)
    authorize(Action.SEND_ANNOUNCEMENTS, event)
    return event


@bp.route("/events/<slug>/announcements")
def index(slug: str):
    event = _event(slug)
    sent = announcements.announcements_of(db.session, event.id)
    states = announcements.delivery_states(db.session, [a.id for a in sent])
    return render_template("messages/announcements/index.html", event=event, sent=sent, states=states)


@bp.route("/events/<slug>/announcements/new", methods=["GET", "POST"])
def compose(slug: str):
    event = _event(slug)
    form = AnnouncementForm()
    fill_choices(form, db.session, event)
    preview = None
    if form.validate_on_submit():
        draft, audience = draft_from(form), audience_from(form)
        if form.send.data:
            try:
                sent = announcements.send(db.session, event, draft=draft, audience=audience,
                                          send_token=form.send_token.data, author_id=current_user.id)
                sent_id, count = sent.id, sent.recipient_count
                db.session.commit()
            except announcements.AlreadySent as exc:
                db.session.rollback()
                return redirect(url_for("announcements.show", slug=slug, announcement_id=exc.announcement_id))
            except IntegrityError:  # the same form, sent by a concurrent request that committed first
                db.session.rollback()
                sent_id = announcements.sent_with_token(db.session, form.send_token.data)
                if sent_id is None:
                    raise
                return redirect(url_for("announcements.show", slug=slug, announcement_id=sent_id))
            except DomainError as exc:
                db.session.rollback()
                add_domain_error(form, exc)
            else:
                flash(ngettext("The announcement is queued for %(num)d person.",
                               "The announcement is queued for %(num)d people.", count), "success")
                return redirect(url_for("announcements.show", slug=slug, announcement_id=sent_id))
        else:
            preview = _preview(form, event, draft, audience)
    status = 422 if form.errors or form.form_errors else 200
    return render_template("messages/announcements/compose.html", event=event, form=form, preview=preview,
                           placeholders=announcements.PLACEHOLDERS), status


def _preview(form, event, draft, audience):
    """Counts, first names and the first recipient's message; None (errors on the form) when the
    text or the filters cannot be used."""
    try:
        announcements.check_draft(draft)
        audience.check()
    except DomainError as exc:
        add_domain_error(form, exc)
        return None
    found = summary(db.session, event.id, audience)
    message = None
    if found.first_id is not None:
        reg = db.session.get(Registration, found.first_id)
        message = announcements.write(db.session, draft, event, reg, url_for(
            "announcements.unsubscribe", token="preview", _external=False))
    return {"summary": found, "message": message}


@bp.route("/events/<slug>/announcements/<int:announcement_id>")
def show(slug: str, announcement_id: int):
    event = _event(slug)
    announcement = announcements.announcement_of(db.session, event.id, announcement_id)
    if announcement is None:
        abort(404)
    states = announcements.delivery_states(db.session, [announcement.id])[announcement.id]
    rows = announcements.recipient_rows(db.session, announcement.id)
    filters = describe(db.session, event, Audience.from_json(announcement.audience))
    return render_template("messages/announcements/show.html", event=event, announcement=announcement,
                           states=states, rows=rows, shown=announcements.RECIPIENTS_SHOWN, filters=filters)


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
def unsubscribe(token: str):
    """The personal link in every announcement. GET only asks (mail scanners open links); the button
    stops optional messages at once, or starts them again."""
    reg = consent.registration_for_token(db.session, token)
    if reg is None:
        return render_template("messages/unsubscribe_invalid.html"), 404
    form = FlaskForm()
    if form.validate_on_submit():
        choice = request.form.get("choice")
        if choice == "rotate":
            new_token = consent.rotate(db.session, reg, utcnow())
            db.session.commit()
            flash(_("This is your new link. The old one no longer works."), "success")
            return redirect(url_for("announcements.unsubscribe", token=new_token))
        consent.set_opted_out(db.session, reg, choice != "resubscribe", utcnow())
        db.session.commit()
        flash(_("You will receive announcements again.") if choice == "resubscribe"
              else _("Done: you will receive no more announcements or reminders for this event."), "success")
        return redirect(url_for("announcements.unsubscribe", token=token))
    return render_template("messages/unsubscribe.html", reg=reg, event=reg.event, form=form,
                           opted_out=consent.is_opted_out(db.session, reg.id))
