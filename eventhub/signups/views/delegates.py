"""Booking, waitlists, my programme and roundtable ranking: the pages of delegates and focal points."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError

from eventhub.accounts.permissions import Action, authorize
from eventhub.db import end_read_phase, set_write_intent, utcnow
from eventhub.errors import DomainError
from eventhub.events.views import load_event
from eventhub.extensions import db
from eventhub.i18n import localized
from eventhub.registration.models import RegistrationStatus
from eventhub.signups import queries, roundtables, services
from eventhub.signups.models import Booking, BookingStatus
from eventhub.signups.views import bp
from eventhub.signups.views.common import back_to, parse_slot, registration_for, session_of
from eventhub.web import parse_id

# --- delegates and focal points ---------------------------------------------------------------------------

@bp.route("/events/<slug>/sessions/<int:session_id>/book", methods=["POST"])
@login_required
def book(slug: str, session_id: int):
    # The sign-up rush: the checks below only read, in a plain transaction; the booking itself
    # then runs in a short write transaction of its own (BEGIN IMMEDIATE on SQLite), so that the
    # write lock every booking waits for is held only while seats are counted and taken.
    # services.book re-reads (and locks) the registration and the session it relies on.
    set_write_intent(False)
    event = load_event(slug)
    s = session_of(event, session_id)
    reg = registration_for(event, request.form.get("registration_id"))
    if reg is None:
        flash(_("You are not registered for this event."), "error")
        return back_to(event, s.id)
    authorize(Action.BOOK_SESSIONS, event, registration=reg)
    title, name, session_id = localized(s, "title"), reg.full_name, s.id  # read before the commit expires them
    myself = reg.user_id == current_user.id
    answer = back_to(event, session_id)  # built now: after the commit, event.slug would be read again
    end_read_phase(db.session)
    try:
        outcome = services.book(db.session, session_id, reg.id, actor_id=current_user.id)
        confirmed, created, by_cap, position = (outcome.confirmed, outcome.created, outcome.held_by_economy_cap,
                                                outcome.position)
        if by_cap:
            cap, economy = s.economy_cap, localized(reg.economy, "name")
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    except IntegrityError:  # the other click of a double click won: one booking exists
        db.session.rollback()
        flash(_("%(name)s already has a booking for “%(title)s”.", name=name, title=title), "info")
    else:
        # Whole sentences for "you" and for someone else: no glued pieces for translators.
        if not created:
            flash(_("You have already booked “%(title)s”.", title=title) if myself else
                  _("%(name)s has already booked “%(title)s”.", name=name, title=title), "info")
        elif confirmed:
            flash(_("You have a seat in “%(title)s”. A confirmation is on its way by e-mail.", title=title) if myself
                  else _("%(name)s has a seat in “%(title)s”. A confirmation is on its way by e-mail.", name=name,
                         title=title), "success")
        elif by_cap:
            flash(_("“%(title)s” still has free seats, but %(economy)s has taken its share (%(cap)s per economy). "
                    "You are on the waitlist at position %(position)s.", title=title, economy=economy, cap=cap,
                    position=position) if myself else
                  _("“%(title)s” still has free seats, but %(economy)s has taken its share (%(cap)s per economy). "
                    "%(name)s is on the waitlist at position %(position)s.", title=title, economy=economy, cap=cap,
                    name=name, position=position), "warning")
        else:
            flash(_("“%(title)s” is full. You are on the waitlist at position %(position)s.", title=title,
                    position=position) if myself else
                  _("“%(title)s” is full. %(name)s is on the waitlist at position %(position)s.", title=title,
                    name=name, position=position), "warning")
    return answer


@bp.route("/events/<slug>/bookings/<int:booking_id>/cancel", methods=["POST"])
@login_required
def cancel(slug: str, booking_id: int):
    event = load_event(slug)
    booking = db.session.get(Booking, booking_id)
    if booking is None or booking.session.event_id != event.id:
        abort(404)
    authorize(Action.BOOK_SESSIONS, event, registration=booking.registration)
    title = localized(booking.session, "title")
    was_waiting = booking.status == BookingStatus.WAITLISTED
    session_id = booking.session_id
    try:
        services.cancel_booking(db.session, booking_id, actor_id=current_user.id)
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        flash(_("Left the waitlist of “%(title)s”.", title=title) if was_waiting
              else _("Cancelled the booking for “%(title)s”.", title=title), "success")
    return back_to(event, session_id)


@bp.route("/events/<slug>/programme")
@login_required
def programme(slug: str):
    event = load_event(slug)
    reg = registration_for(event, request.args.get("registration_id"))
    others = [r for r in queries.registrations_user_books_for(db.session, event.id, current_user)
              if reg is None or r.id != reg.id]
    data = queries.programme(db.session, event.id, reg) if reg is not None else None
    others_booked = queries.bookings_by_person(db.session, [r.id for r in others])
    # The personal calendar address is shown to the delegate themself only (not to a focal point or
    # staff looking at someone's programme): whoever has it can read that person's programme.
    own_calendar = reg if reg is not None and reg.user_id == current_user.id else None
    return render_template("signups/programme.html", event=event, reg=reg, data=data, others=others,
                           others_booked=others_booked, registration=own_calendar)


@bp.route("/events/<slug>/roundtables", methods=["GET", "POST"], endpoint="roundtables")
@login_required
def roundtables_page(slug: str):
    event = load_event(slug)
    reg = registration_for(event, request.values.get("registration_id"))
    all_slots = roundtables.slots(db.session, event.id)
    errors: dict = {}
    if request.method == "POST":
        slot = parse_slot(request.form.get("slot"))
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
            flash(_("Your ranking is saved. You will hear by e-mail once the places are allocated.")
                  if ranked else _("Your ranking was cleared."), "success")
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
