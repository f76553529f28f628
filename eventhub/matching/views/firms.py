"""Firms in the matching: the organizer's invitation link and list of firms, the firm's own
registration behind the link, and profile images (upload and the image itself)."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from eventhub.accounts.permissions import Action, authorize, can
from eventhub.economies.services import economies_in_order
from eventhub.errors import DomainError
from eventhub.events.views import load_event
from eventhub.extensions import db, limiter
from eventhub.i18n import current_language, localized
from eventhub.matching import firms, images, profiles
from eventhub.matching.firm_forms import FiguresForm, FirmForm, ImageForm
from eventhub.matching.models import MatchingProfile
from eventhub.matching.participants import settings_of
from eventhub.matching.views import bp
from eventhub.matching.views.common import participant_of
from eventhub.registration.views.common import limits_disabled, registration_limit
from eventhub.web import absolute_url, add_domain_error

# --- The organizer: link and firms ---------------------------------------------------------------------


def _organizer_event(slug: str):
    event = load_event(slug, public=False)
    authorize(Action.MANAGE_MATCHING, event)
    return event


@bp.route("/events/<slug>/matching/firms")
def firm_list(slug: str):
    event = _organizer_event(slug)
    current = firms.firm_settings_of(db.session, event.id)
    form = FiguresForm()
    form.count_in_figures.data = bool(current and current.count_in_figures)
    link = (absolute_url("matching.join", slug=event.slug, token=current.invite_token)
            if current and current.invite_token else None)
    return render_template("matching/firms.html", event=event, link=link, form=form,
                           firms=firms.firms_of(db.session, event.id),
                           matching_on=bool((s := settings_of(db.session, event.id)) and s.enabled))


@bp.route("/events/<slug>/matching/firms/link", methods=["POST"])
def rotate_firm_link(slug: str):
    event = _organizer_event(slug)
    if not FiguresForm().validate_on_submit():
        abort(400)
    had = firms.firm_settings_of(db.session, event.id)
    firms.rotate_link(db.session, event.id)
    db.session.commit()
    flash(_("A new invitation link for firms: the previous one no longer works.") if had and had.invite_token
          else _("The invitation link for firms is ready: send or share it."), "success")
    return redirect(url_for("matching.firm_list", slug=event.slug))


@bp.route("/events/<slug>/matching/firms/link/revoke", methods=["POST"])
def revoke_firm_link(slug: str):
    event = _organizer_event(slug)
    if not FiguresForm().validate_on_submit():
        abort(400)
    firms.revoke_link(db.session, event.id)
    db.session.commit()
    flash(_("The invitation link for firms no longer works. Firms already registered keep their place."),
          "success")
    return redirect(url_for("matching.firm_list", slug=event.slug))


@bp.route("/events/<slug>/matching/firms/figures", methods=["POST"])
def firm_figures(slug: str):
    event = _organizer_event(slug)
    form = FiguresForm()
    if not form.validate_on_submit():
        abort(400)
    firms.set_count_in_figures(db.session, event.id, bool(form.count_in_figures.data))
    db.session.commit()
    flash(_("Firm representatives now count in the event's figures.") if form.count_in_figures.data
          else _("Firm representatives are left out of the event's figures."), "success")
    return redirect(url_for("matching.firm_list", slug=event.slug))


# --- The firm: registering through the link ------------------------------------------------------------


def _link_target(slug: str, token: str):
    """(event, matching settings) of a working link, or None: unknown, revoked, other event, matching off."""
    event = load_event(slug)
    current = firms.settings_by_token(db.session, token)
    settings = settings_of(db.session, event.id)
    if current is None or current.event_id != event.id or settings is None or not settings.enabled:
        return event, None
    return event, settings


def _firm_form(event, settings) -> FirmForm:
    form = FirmForm()
    form.economy.choices = [(0, _("Choose…"))] + [(e.id, localized(e, "name"))
                                                  for e in economies_in_order(db.session)]
    form.sectors.choices = [(s, s) for s in settings.sector_list]
    languages = [(c, profiles.language_label(c, current_language())) for c in profiles.LANGUAGES]
    for i, _fields in form.rows():
        form.languages_of(i).choices = languages
    return form


@bp.route("/events/<slug>/matching/join/<token>", methods=["GET", "POST"])
@limiter.limit(registration_limit, methods=["POST"], exempt_when=limits_disabled)
def join(slug: str, token: str):
    event, settings = _link_target(slug, token)
    if settings is None:
        return render_template("matching/join_invalid.html", event=event), 404
    form = _firm_form(event, settings)
    if form.validate_on_submit():
        reps = [firms.Representative(
            given_name=f["given_name"].data, family_name=f["family_name"].data, email=f["email"].data,
            position=f["position"].data or "", phone=f["phone"].data or "",
            languages=form.languages_of(i).data or []) for i, f in form.filled_rows()]
        upload = form.image.data
        data = upload.read() if upload and getattr(upload, "filename", "") else None
        details = firms.FirmDetails(
            name=form.name.data, economy_id=form.economy.data or 0, website=form.website.data or "",
            sectors=form.sectors.data or [], cluster_name=form.cluster_name.data or "",
            cluster_location=form.cluster_location.data or "", offers=form.offers.data or "",
            seeks=form.seeks.data or "", offer_types=form.offer_types.data or [],
            seek_types=form.seek_types.data or [])
        try:
            firm = firms.register_firm(db.session, settings, details, reps, image=data, language=current_language())
            firm_id = firm.id
            db.session.commit()
        except DomainError as exc:
            db.session.rollback()
            if exc.field == "representatives":
                exc.field = "rep1_email"
            add_domain_error(form, exc)
        else:
            session["matching_firm"] = firm_id
            return redirect(url_for("matching.joined", slug=event.slug, token=token))
    return render_template("matching/join.html", event=event, form=form), 422 if form.errors else 200


@bp.route("/events/<slug>/matching/join/<token>/done")
def joined(slug: str, token: str):
    event, settings = _link_target(slug, token)
    if settings is None:
        return render_template("matching/join_invalid.html", event=event), 404
    firm = db.session.get(firms.Firm, session.get("matching_firm") or 0)
    if firm is None or firm.event_id != event.id:
        return redirect(url_for("matching.join", slug=event.slug, token=token))
    return render_template("matching/joined.html", event=event, firm=firm)


# --- Profile images ---------------------------------------------------------------------------------


@bp.route("/events/<slug>/matching/profile/image", methods=["POST"])
@login_required
def upload_image(slug: str):
    event = load_event(slug)
    me = participant_of(event)
    if me.profile is None:
        return redirect(url_for("matching.profile", slug=event.slug))
    form = ImageForm()
    if form.validate_on_submit():
        try:
            images.store(db.session, me.profile, images.profile_png(form.image.data.read(), field="image"))
            db.session.commit()
        except DomainError as exc:
            db.session.rollback()
            flash(exc.message, "error")
        else:
            flash(_("Your image is saved: the catalogue shows it beside your profile."), "success")
    else:
        for errors in form.errors.values():
            flash(errors[0] if errors else _("The form expired. Please submit it again."), "error")
    return redirect(url_for("matching.profile", slug=event.slug))


@bp.route("/events/<slug>/matching/profile/image/delete", methods=["POST"])
@login_required
def delete_image(slug: str):
    event = load_event(slug)
    me = participant_of(event)
    if me.profile is None or not FiguresForm().validate_on_submit():
        return redirect(url_for("matching.profile", slug=event.slug))
    images.remove(db.session, me.profile)
    db.session.commit()
    flash(_("Your image is removed."), "success")
    return redirect(url_for("matching.profile", slug=event.slug))


@bp.route("/events/<slug>/matching/profiles/<int:profile_id>/image.png")
@login_required
def profile_image(slug: str, profile_id: int):
    """The image of a profile the reader may open (participants), or any profile (organizers)."""
    event = load_event(slug)
    if can(current_user, Action.MANAGE_MATCHING, event):
        profile = db.session.get(MatchingProfile, profile_id)
        profile = profile if profile is not None and profile.event_id == event.id else None
    else:
        me = participant_of(event)
        profile = profiles.visible_profile(db.session, event.id, profile_id, me.profile.id if me.profile else None)
    image = images.image_of(db.session, profile.id) if profile is not None else None
    if image is None:
        abort(404)
    response = Response(image.png, mimetype="image/png")
    response.headers["Cache-Control"] = "private, max-age=300"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.context_processor
def _image_helpers():
    def has_image(profile) -> bool:
        """Whether a profile has an image: one statement per page, for all profiles of the event."""
        from flask import request

        # Per request (not flask.g: an app context can outlive requests, as in tests).
        cache = request.environ.setdefault("eventhub.matching_images", {})
        if profile.event_id not in cache:
            cache[profile.event_id] = images.event_image_ids(db.session, profile.event_id)
        return profile.id in cache[profile.event_id]

    return {"has_image": has_image}
