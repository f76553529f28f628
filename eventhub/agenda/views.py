"""The public agenda, a session's page, and the organizer's session editor."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy.orm import selectinload

from eventhub.accounts.permissions import Action, authorize, can, is_staff
from eventhub.agenda import cancellation, services
from eventhub.agenda.forms import SessionForm
from eventhub.agenda.layout import by_day
from eventhub.agenda.models import Session, SessionKind, SessionSpeaker
from eventhub.errors import DomainError
from eventhub.events.views import load_event
from eventhub.extensions import db
from eventhub.i18n import localized
from eventhub.page_cache import page_cache
from eventhub.registration.models import Category, Registration, RegistrationStatus
from eventhub.signups import queries as signup_queries

bp = Blueprint("agenda", __name__)

SPEAKER_CATEGORIES = (Category.SPEAKER, Category.MODERATOR, Category.HEAD, Category.STAFF, Category.SECRETARIAT)


def _session_or_404(event, session_id: int, *, for_staff: bool = False) -> Session:
    session = db.session.scalar(
        sa.select(Session).where(Session.id == session_id, Session.event_id == event.id)
        .options(selectinload(Session.room), selectinload(Session.site_visit),
                 selectinload(Session.speakers).selectinload(SessionSpeaker.registration))
    )
    if session is None:
        abort(404)
    if not session.is_public and not for_staff and not is_staff(current_user, event):
        abort(404)
    return session


def _calendar_link(event, session_id: int) -> str:
    return url_for("calendars.session_ics", slug=event.slug, session_id=session_id)


_SENTINEL = 987654321


def _url_maker(build):
    """A fast id -> URL function from one url_for call (the agenda has hundreds of links)."""
    head, _, tail = build(_SENTINEL).partition(str(_SENTINEL))
    return lambda session_id: f"{head}{session_id}{tail}"


def _days_html(event, staff: bool, own, mine) -> Markup:
    """The agenda's days. Pages without personal state (no booking badges) are kept per event and
    view (eventhub/page_cache.py) while the event's slug and zone (links and times in the page) and
    a fingerprint of everything it shows are unchanged: any change to a session, its seats, its
    speakers or the rooms gives a new key. `page_cache` keeps one cache per language (and the
    event's own title in Chinese is in the slot's event row, read per request), so a Chinese page
    never reaches an English reader."""
    cache, slot, key = page_cache("agenda"), (event.id, staff), None
    if own is None:
        key = (event.slug, event.timezone, services.agenda_fingerprint(db.session, event.id))
        html = cache.get(slot, key)
        if html is not None:
            return html
    sessions = services.event_sessions(db.session, event.id, public_only=not staff)
    html = Markup(render_template(
        "agenda/_days.html", event=event, days=by_day(sessions, event), mine=mine, own=own,
        session_url=_url_maker(lambda sid: url_for("agenda.session", slug=event.slug, session_id=sid)),
        ics_url=_url_maker(lambda sid: _calendar_link(event, sid)),
    ))
    if key is not None:
        cache.put(slot, key, html)
    return html


@bp.route("/events/<slug>/agenda")
def agenda(slug: str):
    event = load_event(slug)
    staff = is_staff(current_user, event)
    mine: dict = {}
    own = signup_queries.own_registration(db.session, event.id, current_user)
    if own is not None:
        mine = signup_queries.bookings_of(db.session, [own.id])
    return render_template("agenda/agenda.html", event=event, staff=staff,
                           days_html=_days_html(event, staff, own, mine))


@bp.route("/events/<slug>/sessions/<int:session_id>")
def session(slug: str, session_id: int):
    event = load_event(slug)
    s = _session_or_404(event, session_id)
    registrations = signup_queries.registrations_user_books_for(db.session, event.id, current_user)
    states = signup_queries.bookings_of(db.session, [r.id for r in registrations], [s.id])
    own = signup_queries.own_registration(db.session, event.id, current_user)
    # People who hold a seat elsewhere at the same time are not offered a booking here.
    clashes = signup_queries.overlapping_seats(
        db.session, [r.id for r in registrations if (s.id, r.id) not in states], s) if s.bookable else {}
    return render_template(
        "agenda/session.html", event=event, s=s, registrations=registrations, states=states, own=own,
        clashes=clashes,
        ics_url=_calendar_link(event, s.id),
        may_manage=can(current_user, Action.MANAGE_BOOKINGS, event),
        may_edit=can(current_user, Action.MANAGE_AGENDA, event),
    )


# --- organizer: the session editor ----------------------------------------------------------------------

@bp.route("/events/<slug>/agenda/manage")
def manage(slug: str):
    event = load_event(slug, public=False)
    authorize(Action.MANAGE_AGENDA, event)
    sessions = services.event_sessions(db.session, event.id)
    problems = services.conflicts_of_all(db.session, event, sessions)
    return render_template("agenda/manage.html", event=event, days=by_day(sessions, event), problems=problems)


def _participants(event, session=None) -> list[Registration]:
    keep = [sp.registration_id for sp in session.speakers if sp.registration_id] if session else []
    return list(db.session.scalars(
        sa.select(Registration).where(
            Registration.event_id == event.id,
            sa.or_(sa.and_(Registration.status == RegistrationStatus.APPROVED,
                           Registration.category.in_(SPEAKER_CATEGORIES)),
                   Registration.id.in_(keep or [0])))
        .options(selectinload(Registration.economy))
        .order_by(Registration.family_name, Registration.given_name)
    ))


def _edit(event, session: Session | None):
    form = SessionForm(rooms=event.rooms, participants=_participants(event, session))
    if request.method == "GET":
        if session is not None:
            form.fill_from(session)
        else:
            form.day.data = event.start_date
            if request.args.get("kind") in {k.value for k in SessionKind}:
                form.kind.data = request.args["kind"]
    warnings: list = []
    if request.method == "POST" and form.validate():
        try:
            saved = services.save_session(db.session, event, form.to_input(event), session=session,
                                          accept_warnings=form.accept_warnings.data, actor_id=current_user.id)
        except services.WarningsNotAccepted as exc:
            db.session.rollback()
            warnings = exc.problems
        except DomainError as exc:
            db.session.rollback()
            if exc.field and exc.field in form._fields:
                form[exc.field].errors = [*form[exc.field].errors, exc.message]
            else:
                form.form_errors.append(exc.message)
        else:
            db.session.commit()
            flash(_("Saved “%(title)s”.", title=localized(saved, "title")), "success")
            return redirect(url_for("agenda.manage", slug=event.slug) + f"#session-{saved.id}")
    elif request.method == "GET" and session is not None:
        warnings = services.conflicts_of(db.session, event, session)
    form.pad_speakers()
    return render_template("agenda/edit.html", event=event, form=form, session=session, warnings=warnings)


@bp.route("/events/<slug>/agenda/sessions/new", methods=["GET", "POST"])
def new_session(slug: str):
    event = load_event(slug, public=False)
    authorize(Action.MANAGE_AGENDA, event)
    return _edit(event, None)


@bp.route("/events/<slug>/agenda/sessions/<int:session_id>/edit", methods=["GET", "POST"])
def edit_session(slug: str, session_id: int):
    event = load_event(slug, public=False)
    authorize(Action.MANAGE_AGENDA, event)
    return _edit(event, _session_or_404(event, session_id, for_staff=True))


@bp.route("/events/<slug>/agenda/sessions/<int:session_id>/cancel", methods=["GET", "POST"])
def cancel_session(slug: str, session_id: int):
    """GET: what cancelling would do (how many people are told) and a confirm button; POST: cancel."""
    event = load_event(slug, public=False)
    authorize(Action.MANAGE_AGENDA, event)
    s = _session_or_404(event, session_id, for_staff=True)
    if request.method == "GET":
        return render_template("agenda/cancel.html", event=event, s=s,
                               audience=cancellation.audience(db.session, s))
    if s.is_cancelled:
        flash(_("“%(title)s” was already cancelled.", title=localized(s, "title")), "info")
        return redirect(url_for("agenda.manage", slug=event.slug) + f"#session-{s.id}")
    told = cancellation.cancel_session(db.session, s, actor_id=current_user.id)
    db.session.commit()
    flash(ngettext("Cancelled “%(title)s”. %(num)d participant was told by e-mail. You can reinstate it from "
                   "the agenda.", "Cancelled “%(title)s”. %(num)d participants were told by e-mail. You can "
                   "reinstate it from the agenda.", told, title=localized(s, "title")), "success")
    return redirect(url_for("agenda.manage", slug=event.slug) + f"#session-{s.id}")


@bp.route("/events/<slug>/agenda/sessions/<int:session_id>/reinstate", methods=["POST"])
def reinstate_session(slug: str, session_id: int):
    event = load_event(slug, public=False)
    authorize(Action.MANAGE_AGENDA, event)
    s = _session_or_404(event, session_id, for_staff=True)
    try:
        cancellation.reinstate_session(db.session, s)
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        db.session.commit()
        flash(_("Reinstated “%(title)s”. Its bookings do not come back by themselves: people who were booked "
                "need to book again.", title=localized(s, "title")), "success")
    return redirect(url_for("agenda.manage", slug=event.slug) + f"#session-{s.id}")
