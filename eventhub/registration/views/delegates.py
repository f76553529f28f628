"""Registration pages for delegates: the economy's link, confirming a nomination, my registration,
the public participant list. Staff and focal-point pages are in manage.py (same blueprint).

Each view: parse the form, one permission check, one service call, commit once, redirect/render.
"""

from __future__ import annotations

from flask import (
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from eventhub.accounts.permissions import Action, can
from eventhub.db import end_read_phase, set_write_intent, utcnow
from eventhub.errors import DomainError
from eventhub.extensions import db, limiter
from eventhub.i18n import COOKIE, match, prefer
from eventhub.registration import exports, queries, services
from eventhub.registration.delegations import delegation_by_token, user_delegations
from eventhub.registration.forms import ConfirmForm, EditForm, ReasonForm, SelfRegistrationForm
from eventhub.registration.models import Registration
from eventhub.registration.views import bp
from eventhub.registration.views.common import (
    add_error,
    limits_disabled,
    load_event,
    load_registration,
    own_registration,
    registration_limit,
)
from eventhub.web import parse_id, safe_next

# Names a forged POST might use to move a registration to another economy or delegation.
FORGED_FIELDS = ("economy", "economy_id", "delegation", "delegation_id", "event_id")

# --- The economy's private link ------------------------------------------------------------------------

def _reader_language(reg) -> None:
    """Pages reached by the delegate's own links speak the language saved on their registration,
    unless the reader chose one otherwise (the switcher's cookie, their account's setting)."""
    if request.cookies.get(COOKIE):
        return
    if current_user.is_authenticated and match(getattr(current_user, "language", None)):
        return
    prefer(reg.language)


def _link_invalid():
    return render_template("registration/link_invalid.html"), 404


@bp.route("/r/<token>", methods=["GET", "POST"])
@limiter.limit(registration_limit, methods=["POST"], exempt_when=limits_disabled)
def register(token: str):
    # As for bookings: the link, the window and the form are checked in a plain read transaction,
    # and only the registration itself holds SQLite's write lock (see eventhub.db.end_read_phase);
    # quotas and duplicates are guarded by the database, not by these reads.
    set_write_intent(False)
    delegation = delegation_by_token(db.session, token)
    if delegation is None:
        return _link_invalid()
    event = delegation.event
    if request.method == "POST":
        for name in FORGED_FIELDS:
            if name in request.form:
                abort(400, description=_("This form takes its economy from the link; it cannot be changed."))
    try:
        services.check_window(event)
    except DomainError as exc:
        return render_template("registration/closed.html", event=event, delegation=delegation,
                               message=exc.message), 403 if request.method == "POST" else 200
    form = SelfRegistrationForm()
    if form.validate_on_submit():
        end_read_phase(db.session)
        try:
            reg, _created = services.self_register(
                db.session, delegation, email=form.email.data, details=form.details(event.timezone),
                privacy_acknowledged=form.privacy.data, submission_key=form.submission_key.data or None)
        except DomainError as exc:
            add_error(form, exc)
        else:
            reg_id = reg.id
            db.session.commit()
            session["registered"] = reg_id
            return redirect(url_for("registration.done", token=token))
    form.ensure_key()
    return render_template("registration/register.html", form=form, event=event, delegation=delegation,
                           window=services.window_text(event)), 422 if form.errors else 200


@bp.route("/r/<token>/done")
def done(token: str):
    delegation = delegation_by_token(db.session, token)
    if delegation is None:
        return _link_invalid()
    reg = db.session.get(Registration, session.get("registered") or 0)
    if reg is None or reg.delegation_id != delegation.id:
        return redirect(url_for("registration.register", token=token))
    _reader_language(reg)
    return render_template("registration/done.html", reg=reg, event=delegation.event, delegation=delegation,
                           position=services.waitlist_position(db.session, reg),
                           standing=services.standing(db.session, reg))


# --- A nominated delegate confirms -----------------------------------------------------------------------

def _by_confirm_token(token: str) -> Registration | None:
    import hmac

    import sqlalchemy as sa

    if not token or len(token) > 64:
        return None
    reg = db.session.scalar(sa.select(Registration).where(Registration.confirm_token == token))
    if reg is None or not hmac.compare_digest(reg.confirm_token.encode(), token.encode()):
        return None
    return reg


@bp.route("/confirm/<token>", methods=["GET", "POST"])
@limiter.limit(registration_limit, methods=["POST"], exempt_when=limits_disabled)
def confirm(token: str):
    reg = _by_confirm_token(token)
    if reg is None or reg.personal_data_purged_at is not None:
        return _link_invalid()
    event = reg.event
    _reader_language(reg)
    if not reg.needs_confirmation or not reg.is_active:
        return render_template("registration/confirmed.html", reg=reg, event=event)
    form = ConfirmForm()
    if request.method == "GET":
        form.fill(reg, event.timezone)
    if form.validate_on_submit():
        try:
            services.confirm_nomination(db.session, reg, details=form.details(event.timezone),
                                        privacy_acknowledged=form.privacy.data)
        except DomainError as exc:
            add_error(form, exc)
        else:
            from eventhub.registration.mails import set_password_link

            link = set_password_link(reg.user)
            db.session.commit()
            flash(_("Thank you: your details are confirmed."), "success")
            if link:
                flash(_("Choose a password to see your registration whenever you need it."), "info")
                return redirect(link)
            return redirect(url_for("registration.show", slug=event.slug, registration_id=reg.id))
    return render_template("registration/confirm.html", form=form, reg=reg, event=event), \
        422 if form.errors else 200


# --- My registration ---------------------------------------------------------------------------------------

@bp.route("/my/registrations")
@login_required
def mine():
    return render_template("registration/mine.html",
                           registrations=queries.user_registrations(db.session, current_user),
                           delegations=user_delegations(db.session, current_user))


@bp.route("/events/<slug>/my-registration")
@login_required
def my_registration(slug: str):
    event = load_event(slug)
    reg = own_registration(event)
    if reg is None:
        return redirect(url_for("registration.mine"))
    return redirect(url_for("registration.show", slug=slug, registration_id=reg.id))


def _participation(event, reg) -> dict:
    """What the person has beyond the registration, for links from its page: their programme and
    bookings (once approved), the personal calendar (the person themself only: its address reads
    their programme) and the badge (for whoever may print it)."""
    from eventhub.registration.models import RegistrationStatus
    from eventhub.signups import queries as signups

    approved = reg.status == RegistrationStatus.APPROVED
    own = current_user.is_authenticated and reg.user_id == current_user.id
    programme = None
    if approved and can(current_user, Action.BOOK_SESSIONS, event, registration=reg):
        programme = signups.programme(db.session, event.id, reg)
    return {
        "approved": approved, "own": own, "programme": programme,
        "programme_url": url_for("signups.programme", slug=event.slug,
                                 **({} if own else {"registration_id": reg.id})),
        "badge": approved and can(current_user, Action.PRINT_BADGES, event, registration=reg),
    }


@bp.route("/events/<slug>/registrations/<int:registration_id>")
def show(slug: str, registration_id: int):
    event, reg = load_registration(slug, registration_id, Action.VIEW_REGISTRATION)
    if current_user.is_authenticated and reg.user_id == current_user.id:
        _reader_language(reg)  # my registration
    return render_template(
        "registration/show.html", event=event, reg=reg, position=services.waitlist_position(db.session, reg),
        edits_close_at=services.edits_close_at(event), cancel_form=ReasonForm(), decide_form=ReasonForm(),
        edits_open=utcnow() < services.edits_close_at(event),
        can_edit=can(current_user, Action.EDIT_REGISTRATION, event, registration=reg),
        can_decide=can(current_user, Action.APPROVE_REGISTRATION, event, registration=reg),
        can_substitute=reg.delegation is not None and can(current_user, Action.MANAGE_DELEGATION, event,
                                                          delegation=reg.delegation),
        is_staff=can(current_user, Action.MANAGE_REGISTRATIONS, event),
        participation=_participation(event, reg) if reg.is_active else None,
    )


@bp.route("/events/<slug>/registrations/<int:registration_id>/edit", methods=["GET", "POST"])
def edit(slug: str, registration_id: int):
    event, reg = load_registration(slug, registration_id, Action.EDIT_REGISTRATION)
    staff = can(current_user, Action.MANAGE_REGISTRATIONS, event)
    form = EditForm()
    if request.method == "GET":
        form.fill(reg, event.timezone)
    if form.validate_on_submit():
        try:
            services.update_details(db.session, reg, details=form.details(event.timezone), actor=current_user,
                                    staff=staff)
        except DomainError as exc:
            add_error(form, exc)
        else:
            db.session.commit()
            flash(_("The details are saved."), "success")
            return redirect(url_for("registration.show", slug=slug, registration_id=registration_id))
    return render_template("registration/edit.html", form=form, event=event, reg=reg, staff=staff,
                           edits_close_at=services.edits_close_at(event)), 422 if form.errors else 200


@bp.route("/events/<slug>/registrations/<int:registration_id>/cancel", methods=["POST"])
def cancel(slug: str, registration_id: int):
    event, reg = load_registration(slug, registration_id, Action.EDIT_REGISTRATION)
    form = ReasonForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        promoted = services.cancel(db.session, reg, actor=current_user, reason=form.reason.data or "")
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        promoted_name = promoted.full_name if promoted is not None else None
        db.session.commit()
        flash(_("The registration of %(name)s is cancelled.", name=reg.full_name), "success")
        if promoted_name:
            flash(_("The place went to %(name)s, first on the waitlist.", name=promoted_name), "info")
    return redirect(url_for("registration.show", slug=slug, registration_id=registration_id))


@bp.route("/events/<slug>/registrations/<int:registration_id>/<any(approve, decline):decision>",
          methods=["POST"])
def decide(slug: str, registration_id: int, decision: str):
    event, reg = load_registration(slug, registration_id, Action.APPROVE_REGISTRATION)
    form = ReasonForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        if decision == "approve":
            services.approve(db.session, reg, actor=current_user,
                             unconfirmed_ok=bool(request.form.get(services.UNCONFIRMED_FIELD)))
        else:
            services.decline(db.session, reg, actor=current_user, reason=form.reason.data or "")
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        status, label = reg.status.value, reg.status.label.lower()
        name = reg.full_name
        db.session.commit()
        if status == "waitlisted":
            flash(_("%(name)s is waitlisted. The delegation's quota is full.", name=name), "info")
        else:
            flash(_("%(name)s is %(status)s.", name=name, status=label),
                  "success" if status == "approved" else "info")
    return redirect(safe_next(request.form.get("next"),
                              url_for("registration.show", slug=slug, registration_id=registration_id)))


@bp.route("/events/<slug>/registrations/<int:registration_id>/my-data.json")
def my_data(slug: str, registration_id: int):
    event, reg = load_registration(slug, registration_id, Action.VIEW_REGISTRATION)
    from eventhub.documents.privacy import personal_data
    from eventhub.surveys.privacy import personal_data as survey_data

    extra = {**personal_data(db.session, event, reg, current_user), **survey_data(db.session, reg, current_user)}
    body = exports.personal_data_json(reg, reg.log, extra)
    return Response(body, mimetype="application/json", headers={
        "Content-Disposition": f'attachment; filename="registration-{reg.id}.json"',
        "Cache-Control": "no-store"})


# --- Public participant list ------------------------------------------------------------------------------

@bp.route("/events/<slug>/participants")
def participants(slug: str):
    event = load_event(slug)
    page = parse_id(request.args.get("page", 1)) or 1
    rows, total, page, pages = queries.public_participants(db.session, event, page)
    return render_template("registration/participants.html", event=event, rows=rows, total=total, page=page,
                           pages=pages)

