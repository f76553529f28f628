"""Booking, waitlists, my programme, roundtable ranking and allocation, rosters and manifests."""

from __future__ import annotations

import json
from datetime import datetime

import sqlalchemy as sa
from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from eventhub.accounts.permissions import Action, authorize, can
from eventhub.agenda.models import Session, SessionKind, SessionStatus
from eventhub.db import utcnow
from eventhub.economies.models import Economy
from eventhub.errors import DomainError
from eventhub.events.views import load_event
from eventhub.extensions import db
from eventhub.registration.models import Registration, RegistrationStatus
from eventhub.signups import manifests, queries, roundtables, services
from eventhub.signups.forms import AddPersonForm, MoveForm, VehicleForm
from eventhub.signups.models import AllocationStatus, Booking, BookingLog, BookingStatus
from eventhub.web import parse_id

bp = Blueprint("signups", __name__)


def _registration_for(event, raw_id: str | None) -> Registration | None:
    """The person acted for: the given registration (checked; a malformed or huge id is a 404),
    else — when none is given — the user's own."""
    if raw_id not in (None, ""):
        registration_id = parse_id(raw_id)
        if registration_id is None:
            abort(404)
        reg = db.session.get(Registration, registration_id)
        if reg is None or reg.event_id != event.id:
            abort(404)
        authorize(Action.BOOK_SESSIONS, event, registration=reg)
        return reg
    return queries.own_registration(db.session, event.id, current_user)


def _session_of(event, session_id: int) -> Session:
    s = db.session.get(Session, session_id)
    if s is None or s.event_id != event.id:
        abort(404)
    return s


def _back(event, session_id: int):
    target = request.form.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect(url_for("agenda.session", slug=event.slug, session_id=session_id))


# --- delegates and focal points ---------------------------------------------------------------------------

@bp.route("/events/<slug>/sessions/<int:session_id>/book", methods=["POST"])
@login_required
def book(slug: str, session_id: int):
    event = load_event(slug)
    s = _session_of(event, session_id)
    reg = _registration_for(event, request.form.get("registration_id"))
    if reg is None:
        flash("You are not registered for this event.", "error")
        return _back(event, s.id)
    authorize(Action.BOOK_SESSIONS, event, registration=reg)
    title, name, session_id = s.title, reg.full_name, s.id  # read before the commit expires them
    myself = reg.user_id == current_user.id
    try:
        outcome = services.book(db.session, session_id, reg.id, actor_id=current_user.id)
        confirmed, created = outcome.confirmed, outcome.created
        position = None if confirmed else services.waitlist_position(db.session, outcome.booking)
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    except IntegrityError:  # the other click of a double click won: one booking exists
        db.session.rollback()
        flash(f"{name} already has a booking for “{title}”.", "info")
    else:
        who = "You have" if myself else f"{name} has"
        if not created:
            flash(f"{who} already booked “{title}”.", "info")
        elif confirmed:
            flash(f"{who} a seat in “{title}”. A confirmation is on its way by e-mail.", "success")
        else:
            flash(f"“{title}” is full. {'You are' if myself else name + ' is'} "
                  f"on the waitlist at position {position}.", "warning")
    return _back(event, session_id)


@bp.route("/events/<slug>/bookings/<int:booking_id>/cancel", methods=["POST"])
@login_required
def cancel(slug: str, booking_id: int):
    event = load_event(slug)
    booking = db.session.get(Booking, booking_id)
    if booking is None or booking.session.event_id != event.id:
        abort(404)
    authorize(Action.BOOK_SESSIONS, event, registration=booking.registration)
    title = booking.session.title
    was_waiting = booking.status == BookingStatus.WAITLISTED
    session_id = booking.session_id
    try:
        services.cancel_booking(db.session, booking_id, actor_id=current_user.id)
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        flash(f"Left the waitlist of “{title}”." if was_waiting else f"Cancelled the booking for “{title}”.",
              "success")
    return _back(event, session_id)


@bp.route("/events/<slug>/programme")
@login_required
def programme(slug: str):
    event = load_event(slug)
    reg = _registration_for(event, request.args.get("registration_id"))
    others = [r for r in queries.registrations_user_books_for(db.session, event.id, current_user)
              if reg is None or r.id != reg.id]
    data = queries.programme(db.session, event.id, reg) if reg is not None else None
    others_booked = queries.bookings_by_person(db.session, [r.id for r in others])
    # The personal calendar address is shown to the delegate themself only (not to a focal point or
    # staff looking at someone's programme): whoever has it can read that person's programme.
    own_calendar = reg if reg is not None and reg.user_id == current_user.id else None
    return render_template("signups/programme.html", event=event, reg=reg, data=data, others=others,
                           others_booked=others_booked, registration=own_calendar)


def _parse_slot(value: str | None) -> datetime | None:
    try:
        moment = datetime.fromisoformat(value or "")
    except ValueError:
        return None
    return moment if moment.tzinfo else None


@bp.route("/events/<slug>/roundtables", methods=["GET", "POST"], endpoint="roundtables")
@login_required
def roundtables_page(slug: str):
    event = load_event(slug)
    reg = _registration_for(event, request.values.get("registration_id"))
    all_slots = roundtables.slots(db.session, event.id)
    errors: dict = {}
    if request.method == "POST":
        slot = _parse_slot(request.form.get("slot"))
        if slot is None:
            abort(400)
        if reg is None:
            abort(403)
        ranked = []
        for i in range(1, 21):
            raw = request.form.get(f"choice_{i}", "")
            if raw.strip():
                value = parse_id(raw)
                ranked.append(value if value is not None else 0)  # refused: not among the tables
        authorize(Action.BOOK_SESSIONS, event, registration=reg)
        try:
            roundtables.save_preferences(db.session, event.id, reg.id, slot, ranked)
            db.session.commit()
        except DomainError as exc:
            db.session.rollback()
            errors[slot] = exc.message
        else:
            flash("Your ranking is saved. You will hear by e-mail once the places are allocated."
                  if ranked else "Your ranking was cleared.", "success")
            return redirect(url_for("signups.roundtables", slug=event.slug,
                                    **({"registration_id": reg.id} if reg.user_id != current_user.id else {})))
    prefs = roundtables.preferences_of(db.session, reg.id) if reg is not None else {}
    seated = queries.bookings_of(db.session, [reg.id], [s.id for sl in all_slots for s in sl.sessions]) if reg else {}
    status = {}
    if request.method == "POST":
        status = {slot: [parse_id(request.form.get(f"choice_{i}")) for i in range(1, 21)] for slot in errors}
    return render_template("signups/roundtables.html", event=event, reg=reg, slots=all_slots, prefs=prefs,
                           errors=errors, posted=status, seated=seated, now=utcnow(),
                           approved=reg is not None and reg.status == RegistrationStatus.APPROVED)


# --- staff: rosters, overrides, vehicles, manifests ------------------------------------------------------

def _roster_context(event, s: Session, add_form=None, vehicle_form=None):
    roster = queries.roster(db.session, s.id)
    booked_ids = {b.registration_id for b in roster.confirmed + roster.waitlist}
    add_form = add_form or AddPersonForm()
    add_form.registration_id.choices = [(0, "— choose —")] + [
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
    move_form.to_session_id.choices = [(o.id, f"{o.title} ({o.taken}/{o.capacity})") for o in others]
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
    s = _session_of(event, session_id)
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
            return _roster_context(event, _session_of(event, session_id), add_form=form), 422
        flash(f"Added {booking.registration.full_name}"
              f"{' beyond capacity' if not booking.holds_seat else ''}.", "success")
        return _roster_redirect(event, s)
    if not form.registration_id.data:
        form.registration_id.errors = ["Choose a participant."]
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
    flash(f"Removed {name}. They were told by e-mail.", "success")
    return _roster_redirect(event, s)


@bp.route("/events/<slug>/bookings/<int:booking_id>/move", methods=["POST"])
def move(slug: str, booking_id: int):
    event, booking = _staff_booking(slug, booking_id)
    s = booking.session
    form = MoveForm()
    form.to_session_id.choices = []
    if not form.validate():
        flash("Choose the session to move to.", "error")
        return _roster_redirect(event, s)
    target_id = parse_id(form.to_session_id.data)
    if target_id is None:
        abort(404)
    target = _session_of(event, target_id)
    name = booking.registration.full_name
    try:
        services.move_booking(db.session, booking_id, target.id, actor_id=current_user.id, reason=form.reason.data)
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        flash(f"Moved {name} to “{target.title}”.", "success")
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
            flash(f"Added {form.name.data}.", "success")
            return _roster_redirect(event, s)
    return _roster_context(event, _session_of(event, session_id), vehicle_form=form), 422


@bp.route("/events/<slug>/sessions/<int:session_id>/vehicles/auto", methods=["POST"])
def auto_assign(slug: str, session_id: int):
    event, s = _staff_session(slug, session_id)
    n = services.auto_assign_vehicles(db.session, s)
    db.session.commit()
    flash(f"Seated {n} participant(s) on the vehicles.", "success")
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
                           vehicle_id=vehicle_id)


def _download(content: bytes, mimetype: str, filename: str) -> Response:
    return Response(content, mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"})


@bp.route("/events/<slug>/sessions/<int:session_id>/manifest.csv")
def manifest_csv(slug: str, session_id: int):
    event, s = _staff_session(slug, session_id)
    _roster, vehicle_id, rows = _manifest_rows(event, s)
    return _download(manifests.to_csv(rows), "text/csv; charset=utf-8",
                     f"manifest-{s.id}{'-' + str(vehicle_id) if vehicle_id else ''}.csv")


@bp.route("/events/<slug>/sessions/<int:session_id>/manifest.xlsx")
def manifest_xlsx(slug: str, session_id: int):
    event, s = _staff_session(slug, session_id)
    _roster, vehicle_id, rows = _manifest_rows(event, s)
    title = f"{s.title} — {s.starts_at.astimezone(event.tz):%d %b %Y %H:%M} ({event.timezone})"
    return _download(manifests.to_xlsx(rows, title),
                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                     f"manifest-{s.id}{'-' + str(vehicle_id) if vehicle_id else ''}.xlsx")


# --- organizer: roundtable allocation ------------------------------------------------------------------------

@bp.route("/events/<slug>/allocation")
def allocation(slug: str):
    event = load_event(slug, public=False)
    authorize(Action.MANAGE_AGENDA, event)
    all_slots = roundtables.slots(db.session, event.id)
    runs = roundtables.latest_runs(db.session, event.id)
    ranked = dict(db.session.execute(
        sa.select(roundtables.RoundtablePreference.slot,
                  sa.func.count(sa.distinct(roundtables.RoundtablePreference.registration_id)))
        .where(roundtables.RoundtablePreference.event_id == event.id)
        .group_by(roundtables.RoundtablePreference.slot)).all())
    figures = {slot: json.loads(run.figures_json) for slot, run in runs.items()}
    economies = {str(e.id): e for e in db.session.scalars(sa.select(Economy))}
    return render_template("signups/allocation.html", event=event, slots=all_slots, runs=runs, figures=figures,
                           ranked=ranked, economies=economies, now=utcnow(), AllocationStatus=AllocationStatus)


@bp.route("/events/<slug>/allocation/run", methods=["POST"])
def run_allocation(slug: str):
    event = load_event(slug, public=False)
    authorize(Action.MANAGE_AGENDA, event)
    slot = _parse_slot(request.form.get("slot"))
    if slot is None:
        abort(400)
    try:
        roundtables.run_allocation(db.session, event.id, slot, actor_id=current_user.id)
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        flash("Allocation computed. Check the figures, then publish it.", "success")
    return redirect(url_for("signups.allocation", slug=event.slug))


@bp.route("/events/<slug>/allocation/<int:run_id>/publish", methods=["POST"])
def publish_allocation(slug: str, run_id: int):
    event = load_event(slug, public=False)
    authorize(Action.MANAGE_AGENDA, event)
    if not request.form.get("confirm"):
        flash("Tick the box to confirm that you want to publish and notify everyone.", "error")
        return redirect(url_for("signups.allocation", slug=event.slug))
    try:
        n = roundtables.publish(db.session, event.id, run_id, actor_id=current_user.id)
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        flash(f"Published: {n} participants placed and told by e-mail.", "success")
    return redirect(url_for("signups.allocation", slug=event.slug))


def may_book_for(event, registration) -> bool:
    return can(current_user, Action.BOOK_SESSIONS, event, registration=registration)
