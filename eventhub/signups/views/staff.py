"""Staff pages of a bookable session: the roster, overrides (add beyond capacity, remove, move),
vehicles and the site-visit manifests. Routes on the sign-ups blueprint (endpoints signups.*)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy.orm import selectinload

from eventhub.accounts.permissions import Action, authorize
from eventhub.agenda.models import Session, SessionKind, SessionStatus
from eventhub.errors import DomainError
from eventhub.events.views import load_event
from eventhub.exports import download
from eventhub.extensions import db
from eventhub.formatting import local_dt
from eventhub.i18n import localized
from eventhub.registration.models import Registration, RegistrationStatus
from eventhub.signups import manifests, queries, services
from eventhub.signups.forms import AddPersonForm, MoveForm, VehicleForm
from eventhub.signups.models import Booking, BookingLog
from eventhub.signups.views import bp
from eventhub.signups.views.common import session_of
from eventhub.web import parse_id

# --- staff: rosters, overrides, vehicles, manifests ------------------------------------------------------

def _roster_context(event, s: Session, add_form=None, vehicle_form=None):
    roster = queries.roster(db.session, s.id)
    booked_ids = {b.registration_id for b in roster.confirmed + roster.waitlist}
    add_form = add_form or AddPersonForm()
    add_form.registration_id.choices = [(0, _("— choose —"))] + [
        (r.id, f"{r.family_name.upper()} {r.given_name} ({r.economy.code})")
        for r in db.session.scalars(
            sa.select(Registration).where(Registration.event_id == event.id,
                                          Registration.status == RegistrationStatus.APPROVED)
            .options(selectinload(Registration.economy))
            .order_by(Registration.family_name, Registration.given_name))
        if r.id not in booked_ids]
    others = db.session.scalars(
        sa.select(Session).where(Session.event_id == event.id, Session.bookable.is_(True), Session.id != s.id,
                                 Session.status == SessionStatus.SCHEDULED).order_by(Session.starts_at)).all()
    move_form = MoveForm()
    move_form.to_session_id.choices = [(o.id, f"{localized(o, 'title')} ({o.taken}/{o.capacity})") for o in others]
    log = db.session.scalars(
        sa.select(BookingLog).where(BookingLog.session_id == s.id).order_by(BookingLog.id.desc()).limit(30)
        .options(selectinload(BookingLog.actor))).all()
    names = {r.id: r for r in db.session.scalars(
        sa.select(Registration).where(Registration.id.in_({entry.registration_id for entry in log} or {0})))}
    return render_template(
        "signups/roster.html", event=event, s=s, roster=roster, add_form=add_form, move_form=move_form,
        vehicle_form=vehicle_form or VehicleForm(), log=log, names=names,
    )


def _staff_session(slug: str, session_id: int):
    event = load_event(slug, public=False)
    authorize(Action.MANAGE_BOOKINGS, event)
    s = session_of(event, session_id)
    return event, s


@bp.route("/events/<slug>/sessions/<int:session_id>/participants")
def roster(slug: str, session_id: int):
    event, s = _staff_session(slug, session_id)
    return _roster_context(event, s)


def _roster_redirect(event, s):
    return redirect(url_for("signups.roster", slug=event.slug, session_id=s.id))


@bp.route("/events/<slug>/sessions/<int:session_id>/participants/add", methods=["POST"])
def add_person(slug: str, session_id: int):
    event, s = _staff_session(slug, session_id)
    form = AddPersonForm()
    form.registration_id.choices = []
    if form.validate() and form.registration_id.data:
        try:
            booking = services.add_by_staff(db.session, s.id, form.registration_id.data, form.reason.data or "",
                                            actor_id=current_user.id)
            db.session.commit()
        except DomainError as exc:
            db.session.rollback()
            form.registration_id.choices = []
            field = exc.field if exc.field in ("reason", "registration_id") else "registration_id"
            form[field].errors = [*form[field].errors, exc.message]
            return _roster_context(event, session_of(event, session_id), add_form=form), 422
        name = booking.registration.full_name
        flash(_("Added %(name)s.", name=name) if booking.holds_seat
              else _("Added %(name)s beyond capacity.", name=name), "success")
        return _roster_redirect(event, s)
    if not form.registration_id.data:
        form.registration_id.errors = [_("Choose a participant.")]
    return _roster_context(event, s, add_form=form), 422


def _staff_booking(slug: str, booking_id: int):
    event = load_event(slug, public=False)
    authorize(Action.MANAGE_BOOKINGS, event)
    booking = db.session.get(Booking, booking_id)
    if booking is None or booking.session.event_id != event.id:
        abort(404)
    return event, booking


@bp.route("/events/<slug>/bookings/<int:booking_id>/remove", methods=["POST"])
def remove(slug: str, booking_id: int):
    event, booking = _staff_booking(slug, booking_id)
    s = booking.session
    name = booking.registration.full_name
    services.remove_booking(db.session, booking_id, actor_id=current_user.id, note=request.form.get("note", ""))
    db.session.commit()
    flash(_("Removed %(name)s. They were told by e-mail.", name=name), "success")
    return _roster_redirect(event, s)


@bp.route("/events/<slug>/bookings/<int:booking_id>/move", methods=["POST"])
def move(slug: str, booking_id: int):
    event, booking = _staff_booking(slug, booking_id)
    s = booking.session
    form = MoveForm()
    form.to_session_id.choices = []
    if not form.validate():
        flash(_("Choose the session to move to."), "error")
        return _roster_redirect(event, s)
    target_id = parse_id(form.to_session_id.data)
    if target_id is None:
        abort(404)
    target = session_of(event, target_id)
    name = booking.registration.full_name
    try:
        services.move_booking(db.session, booking_id, target.id, actor_id=current_user.id, reason=form.reason.data)
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        flash(_("Moved %(name)s to “%(title)s”.", name=name, title=localized(target, "title")), "success")
    return _roster_redirect(event, s)


@bp.route("/events/<slug>/sessions/<int:session_id>/vehicles", methods=["POST"])
def add_vehicle(slug: str, session_id: int):
    event, s = _staff_session(slug, session_id)
    form = VehicleForm()
    if form.validate():
        try:
            services.add_vehicle(db.session, s, name=form.name.data, seats=form.seats.data, kind=form.kind.data,
                                 plate=form.plate.data or "", guide_name=form.guide_name.data or "",
                                 guide_phone=form.guide_phone.data or "")
            db.session.commit()
        except DomainError as exc:
            db.session.rollback()
            form[exc.field or "name"].errors = [*form[exc.field or "name"].errors, exc.message]
        else:
            flash(_("Added %(name)s.", name=form.name.data), "success")
            return _roster_redirect(event, s)
    return _roster_context(event, session_of(event, session_id), vehicle_form=form), 422


@bp.route("/events/<slug>/sessions/<int:session_id>/vehicles/auto", methods=["POST"])
def auto_assign(slug: str, session_id: int):
    event, s = _staff_session(slug, session_id)
    n = services.auto_assign_vehicles(db.session, s)
    db.session.commit()
    flash(ngettext("Seated %(num)d participant on the vehicles.", "Seated %(num)d participants on the vehicles.", n),
          "success")
    return _roster_redirect(event, s)


@bp.route("/events/<slug>/bookings/<int:booking_id>/vehicle", methods=["POST"])
def assign(slug: str, booking_id: int):
    event, booking = _staff_booking(slug, booking_id)
    s = booking.session
    raw = request.form.get("vehicle_id", "")
    vehicle_id = parse_id(raw) if raw.strip() not in ("", "0") else None
    if raw.strip() not in ("", "0") and vehicle_id is None:
        abort(404)
    try:
        services.assign_vehicle(db.session, booking_id, vehicle_id)
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    return _roster_redirect(event, s)


def _manifest_rows(event, s):
    if s.kind != SessionKind.SITE_VISIT:
        abort(404)  # manifests are for site visits (who boards which vehicle)
    roster = queries.roster(db.session, s.id)
    raw = request.args.get("vehicle")
    vehicle_id = None if raw in (None, "") else parse_id(raw)
    if raw not in (None, "") and (vehicle_id is None or vehicle_id not in {v.id for v in roster.vehicles}):
        abort(404)
    return roster, vehicle_id, manifests.rows_for(roster, vehicle_id)


@bp.route("/events/<slug>/sessions/<int:session_id>/manifest")
def manifest(slug: str, session_id: int):
    event, s = _staff_session(slug, session_id)
    roster, vehicle_id, rows = _manifest_rows(event, s)
    return render_template("signups/manifest.html", event=event, s=s, roster=roster, rows=rows,
                           vehicle_id=vehicle_id, no_seat_reason=manifests.no_seat_reason(roster),
                           not_assigned=str(manifests.NOT_ASSIGNED))


@bp.route("/events/<slug>/sessions/<int:session_id>/manifest.csv")
def manifest_csv(slug: str, session_id: int):
    event, s = _staff_session(slug, session_id)
    _roster, vehicle_id, rows = _manifest_rows(event, s)
    return download(manifests.to_csv(rows), "text/csv; charset=utf-8",
                     f"manifest-{s.id}{'-' + str(vehicle_id) if vehicle_id else ''}.csv")


@bp.route("/events/<slug>/sessions/<int:session_id>/manifest.xlsx")
def manifest_xlsx(slug: str, session_id: int):
    event, s = _staff_session(slug, session_id)
    _roster, vehicle_id, rows = _manifest_rows(event, s)
    title = f"{localized(s, 'title')} — {local_dt(s.starts_at, event)} ({event.timezone})"
    return download(manifests.to_xlsx(rows, title),
                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                     f"manifest-{s.id}{'-' + str(vehicle_id) if vehicle_id else ''}.xlsx")
