"""Pages of focal points, the secretariat and organizers: delegations, lists, imports, exports."""

from __future__ import annotations

import base64
import binascii

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from eventhub.accounts.permissions import Action, authorize, can
from eventhub.errors import DomainError, NotFound
from eventhub.extensions import db
from eventhub.i18n import localized
from eventhub.registration import decisions, exports, imports, queries, services
from eventhub.registration import delegations as dlg
from eventhub.registration.forms import (
    EmptyForm,
    FocalPointForm,
    ImportConfirmForm,
    ImportForm,
    NominationForm,
    ReasonForm,
    StaffAddForm,
)
from eventhub.registration.staff_list import staff_list_html
from eventhub.registration.views import bp
from eventhub.registration.views.common import add_error, load_event, load_registration
from eventhub.web import absolute_url, parse_id, safe_next


def _delegation(slug: str, delegation_id: int, action: Action = Action.MANAGE_DELEGATION):
    event = load_event(slug)
    try:
        delegation = dlg.get_delegation(db.session, event, delegation_id)
    except NotFound:
        abort(404)
    authorize(action, event, delegation=delegation, hide=True)
    return event, delegation


# --- Delegations -------------------------------------------------------------------------------------------

@bp.route("/events/<slug>/delegations/")
def delegations(slug: str):
    event = load_event(slug)
    if not can(current_user, Action.MANAGE_REGISTRATIONS, event):
        # A focal point goes straight to their own delegation.
        mine = [d for d in dlg.user_delegations(db.session, current_user) if d.event_id == event.id] \
            if current_user.is_authenticated else []
        if len(mine) == 1:
            return redirect(url_for("registration.delegation", slug=slug, delegation_id=mine[0].id))
        authorize(Action.MANAGE_REGISTRATIONS, event)
    return render_template("registration/delegations.html", event=event,
                           delegations=dlg.event_delegations(db.session, event),
                           counts=dlg.delegation_counts(db.session, event))


@bp.route("/events/<slug>/delegations/<int:delegation_id>/")
def delegation(slug: str, delegation_id: int):
    event, delegation = _delegation(slug, delegation_id)
    return render_template(
        "registration/delegation.html", event=event, view=dlg.delegation_view(db.session, delegation),
        delegation=delegation, form=EmptyForm(), focal_form=FocalPointForm(), decide_form=ReasonForm(),
        link=absolute_url("registration.register", token=delegation.invite_token),
        can_invite=can(current_user, Action.INVITE_FOCAL_POINTS, event),
        can_decide=can(current_user, Action.APPROVE_REGISTRATION, event, delegation=delegation),
        window=services.window_text(event),
    )


@bp.route("/events/<slug>/delegations/<int:delegation_id>/rotate-link", methods=["POST"])
def rotate_link(slug: str, delegation_id: int):
    event, delegation = _delegation(slug, delegation_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    dlg.rotate_link(db.session, delegation)
    db.session.commit()
    flash(_("A new registration link is ready. The old link no longer works: send the new one to your "
            "delegates."), "success")
    return redirect(url_for("registration.delegation", slug=slug, delegation_id=delegation_id))


@bp.route("/events/<slug>/delegations/<int:delegation_id>/focal-points", methods=["POST"])
def invite_focal_point(slug: str, delegation_id: int):
    event, delegation = _delegation(slug, delegation_id, Action.INVITE_FOCAL_POINTS)
    form = FocalPointForm()
    if form.validate_on_submit():
        try:
            _focal, created = dlg.invite_focal_point(db.session, delegation, email=form.email.data,
                                                     name=form.name.data or "", actor=current_user)
        except DomainError as exc:
            add_error(form, exc)
        else:
            email = form.email.data.strip().lower()
            db.session.commit()
            economy = localized(delegation.economy, "name")
            if created:
                flash(_("%(email)s is now a focal point of %(economy)s and has been e-mailed a link to choose a "
                        "password.", email=email, economy=economy), "success")
            else:
                flash(_("%(email)s is now a focal point of %(economy)s and has been e-mailed.", email=email,
                        economy=economy), "success")
            return redirect(url_for("registration.delegation", slug=slug, delegation_id=delegation_id))
    delegation = dlg.get_delegation(db.session, event, delegation_id)
    return render_template(
        "registration/delegation.html", event=event, view=dlg.delegation_view(db.session, delegation),
        delegation=delegation, form=EmptyForm(), focal_form=form, decide_form=ReasonForm(),
        link=absolute_url("registration.register", token=delegation.invite_token),
        can_invite=True, can_decide=can(current_user, Action.APPROVE_REGISTRATION, event, delegation=delegation),
        window=services.window_text(event),
    ), 422


@bp.route("/events/<slug>/delegations/<int:delegation_id>/focal-points/<int:focal_point_id>/remove",
          methods=["POST"])
def remove_focal_point(slug: str, delegation_id: int, focal_point_id: int):
    event, delegation = _delegation(slug, delegation_id, Action.INVITE_FOCAL_POINTS)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        focal = dlg.remove_focal_point(db.session, delegation, focal_point_id)
    except NotFound:
        abort(404)
    email = focal.user.email
    db.session.commit()
    flash(_("%(email)s is no longer a focal point of %(economy)s.", email=email,
            economy=localized(delegation.economy, "name")), "success")
    return redirect(url_for("registration.delegation", slug=slug, delegation_id=delegation_id))


def _person_page(template_title: str, form, event, **context):
    return render_template("registration/person_form.html", form=form, event=event, title=template_title,
                           **context), 422 if form.errors else 200


@bp.route("/events/<slug>/delegations/<int:delegation_id>/nominate", methods=["GET", "POST"])
def nominate(slug: str, delegation_id: int):
    event, delegation = _delegation(slug, delegation_id)
    staff = can(current_user, Action.MANAGE_REGISTRATIONS, event)
    form = NominationForm()
    if form.validate_on_submit():
        try:
            reg, _created = services.nominate(db.session, delegation, email=form.email.data,
                                       details=form.details(event.timezone), actor=current_user, staff=staff,
                                       submission_key=form.submission_key.data or None)
        except DomainError as exc:
            add_error(form, exc)
        else:
            name, email = reg.full_name, reg.email
            db.session.commit()
            flash(_("%(name)s is registered. We e-mailed %(email)s a link to confirm and complete the details.",
                    name=name, email=email), "success")
            return redirect(url_for("registration.delegation", slug=slug, delegation_id=delegation_id))
    form.ensure_key()
    return _person_page(_("Register a delegate for %(economy)s", economy=localized(delegation.economy, "name")),
                        form, event, delegation=delegation,
                        intro=_("The delegate gets an e-mail to confirm and complete their details."),
                        places_left=services.places_left(delegation),
                        back=url_for("registration.delegation", slug=slug, delegation_id=delegation_id))


@bp.route("/events/<slug>/registrations/<int:registration_id>/substitute", methods=["GET", "POST"])
def substitute(slug: str, registration_id: int):
    event, reg = load_registration(slug, registration_id, Action.VIEW_REGISTRATION)
    if reg.delegation is None:
        abort(404)
    authorize(Action.MANAGE_DELEGATION, event, delegation=reg.delegation, hide=True)
    form = NominationForm()
    if form.validate_on_submit():
        try:
            new = services.substitute(db.session, reg, email=form.email.data, details=form.details(event.timezone),
                                      actor=current_user, submission_key=form.submission_key.data or None)
        except DomainError as exc:
            add_error(form, exc)
        else:
            new_id, new_name, old_name = new.id, new.full_name, reg.full_name
            db.session.commit()
            flash(_("%(new)s replaces %(old)s and keeps the place. We e-mailed both.", new=new_name, old=old_name),
                  "success")
            return redirect(url_for("registration.show", slug=slug, registration_id=new_id))
    form.ensure_key()
    return _person_page(_("Replace %(name)s", name=reg.full_name), form, event, reg=reg,
                        intro=_("The substitute takes the %(status)s place of %(name)s without going through the "
                                "waitlist. Both are e-mailed.", status=reg.status.label.lower(), name=reg.full_name),
                        back=url_for("registration.show", slug=slug, registration_id=registration_id))


# --- Import -------------------------------------------------------------------------------------------------

@bp.route("/events/<slug>/delegations/<int:delegation_id>/import", methods=["GET", "POST"])
def import_upload(slug: str, delegation_id: int):
    event, delegation = _delegation(slug, delegation_id)
    staff = can(current_user, Action.MANAGE_REGISTRATIONS, event)
    form = ImportForm()
    checked = None
    confirm_form = None
    if not staff:
        try:
            services.check_window(event)
        except DomainError as exc:
            flash(exc.message, "error")
            return redirect(url_for("registration.delegation", slug=slug, delegation_id=delegation_id))
    if form.validate_on_submit():
        upload = form.file.data
        data = upload.read(imports.MAX_BYTES + 1)
        try:
            checked = imports.preview(db.session, delegation, upload.filename or "", data)
        except DomainError as exc:
            add_error(form, exc)
        else:
            confirm_form = ImportConfirmForm(formdata=None, payload=base64.b64encode(data).decode(),
                                             filename=upload.filename, send_mail="1" if form.send_mail.data else "")
    return render_template("registration/import.html", event=event, delegation=delegation, form=form,
                           checked=checked, confirm_form=confirm_form,
                           columns=[imports.column_title(c) for c in imports.COLUMNS],
                           required=[imports.column_title(c) for c in imports.REQUIRED]), 422 if form.errors else 200


@bp.route("/events/<slug>/delegations/<int:delegation_id>/import/confirm", methods=["POST"])
def import_confirm(slug: str, delegation_id: int):
    event, delegation = _delegation(slug, delegation_id)
    staff = can(current_user, Action.MANAGE_REGISTRATIONS, event)
    form = ImportConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        data = base64.b64decode(form.payload.data, validate=True)
    except (binascii.Error, ValueError):
        abort(400)
    try:
        if not staff:
            services.check_window(event)
        regs = imports.import_rows(db.session, delegation, form.filename.data, data, actor=current_user,
                                   send_mail=bool(form.send_mail.data))
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for("registration.import_upload", slug=slug, delegation_id=delegation_id))
    count = len(regs)
    db.session.commit()
    economy = localized(delegation.economy, "name")
    if form.send_mail.data:
        flash(ngettext("%(num)d delegate imported into %(economy)s. Each was e-mailed a link to confirm their "
                       "details.", "%(num)d delegates imported into %(economy)s. Each was e-mailed a link to "
                       "confirm their details.", count, economy=economy), "success")
    else:
        flash(ngettext("%(num)d delegate imported into %(economy)s.", "%(num)d delegates imported into "
                       "%(economy)s.", count, economy=economy), "success")
    return redirect(url_for("registration.delegation", slug=slug, delegation_id=delegation_id))


@bp.route("/events/<slug>/registrations/import-template.csv")
def import_template(slug: str):
    load_event(slug)
    return Response(imports.template_csv(), content_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": 'attachment; filename="delegation-import-template.csv"'})


# --- Staff: the list, bulk decisions, adding anyone, exports -------------------------------------------------

def _staff_event(slug: str):
    event = load_event(slug)
    authorize(Action.MANAGE_REGISTRATIONS, event)
    return event


@bp.route("/events/<slug>/registrations/")
def registrations(slug: str):
    event = _staff_event(slug)
    body = staff_list_html(db.session, event, queries.Filters.from_args(request.args))
    return render_template("registration/list.html", event=event, body=body)


@bp.route("/events/<slug>/registrations/bulk", methods=["POST"])
def bulk(slug: str):
    event = _staff_event(slug)
    if not EmptyForm().validate_on_submit():
        abort(400)
    decision = request.form.get("decision", "")
    # Ids that are not plausible (text, 0, beyond the id range) are simply not found.
    ids = [i for i in map(parse_id, request.form.getlist("ids")) if i is not None]
    try:
        done, waitlisted, problems = decisions.bulk_decide(
            db.session, event, ids, decision, actor=current_user,
            unconfirmed_ok=bool(request.form.get(services.UNCONFIRMED_FIELD)))
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        db.session.commit()
        done_text = (ngettext("%(num)d approved.", "%(num)d approved.", done) if decision == "approve"
                     else ngettext("%(num)d declined.", "%(num)d declined.", done))
        if waitlisted:
            flash(ngettext("%(done)s %(num)d waitlisted: the delegation's quota is full.",
                           "%(done)s %(num)d waitlisted: their delegation's quota is full.", waitlisted,
                           done=done_text), "success")
        else:
            flash(done_text, "success")
        for problem in problems[:10]:
            flash(problem, "warning")
    return redirect(safe_next(request.form.get("back"), url_for("registration.registrations", slug=slug)))


@bp.route("/events/<slug>/registrations/new", methods=["GET", "POST"])
def staff_add(slug: str):
    event = _staff_event(slug)
    economies = queries.active_economies(db.session)
    form = StaffAddForm()
    form.economy.choices = [(0, _("— choose —"))] + [(e.id, localized(e, "name")) for e in economies]
    if request.method == "POST" and form.economy.data not in {e.id for e in economies}:
        form.validate()
        form.economy.errors = [*list(form.economy.errors or []), _("Choose the economy.")]
    elif form.validate_on_submit():
        try:
            reg, _created = services.staff_add(db.session, event, economy_id=form.economy.data, email=form.email.data,
                                        details=form.details(event.timezone), actor=current_user,
                                        submission_key=form.submission_key.data or None)
        except DomainError as exc:
            add_error(form, exc)
        else:
            reg_id, name = reg.id, reg.full_name
            db.session.commit()
            flash(_("%(name)s is added. They were e-mailed a link to confirm their details.", name=name), "success")
            return redirect(url_for("registration.show", slug=slug, registration_id=reg_id))
    form.ensure_key()
    return _person_page(_("Add a participant"), form, event, staff_add=True,
                        intro=_("Add anyone, also after registration has closed. An invited economy's quota "
                                "still applies; the person confirms their details by e-mail."),
                        back=url_for("registration.registrations", slug=slug))


@bp.route("/events/<slug>/registrations/export.<any(csv, xlsx):fmt>")
def export(slug: str, fmt: str):
    event = _staff_event(slug)
    rows = queries.export_rows(db.session, event, queries.Filters.from_args(request.args))
    name = f"{event.slug}-registrations"
    if fmt == "csv":
        return Response(exports.registrations_csv(rows, event), content_type="text/csv; charset=utf-8", headers={
            "Content-Disposition": f'attachment; filename="{name}.csv"', "Cache-Control": "no-store"})
    return Response(exports.registrations_xlsx(rows, event),
                    mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"',
                             "Cache-Control": "no-store"})
