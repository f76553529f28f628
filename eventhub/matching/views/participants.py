"""The participants' pages: profile, catalogue and suggestions, requests, my meetings."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from eventhub.errors import DomainError
from eventhub.events.views import load_event
from eventhub.extensions import db
from eventhub.i18n import current_language
from eventhub.matching import notify, outcomes, profiles, scheduling, suggestions
from eventhub.matching import requests as meeting_requests
from eventhub.matching.forms import DeclineForm, ProfileForm, RequestForm
from eventhub.matching.models import COOPERATION_LABELS, OUTCOME_LABELS, MatchingProfile, Outcome, unpack
from eventhub.matching.views import bp
from eventhub.matching.views.common import NotParticipant, not_participant_page, participant_of
from eventhub.web import parse_id


@bp.errorhandler(NotParticipant)
def _not_participant(exc):
    return not_participant_page(load_event(request.view_args["slug"]))


def _slot_label(slot, event) -> str:
    from eventhub.formatting import local_dt

    return _("%(start)s–%(end)s", start=local_dt(slot.starts_at, event, "short_datetime"),
             end=local_dt(slot.ends_at, event, "time"))


@bp.route("/events/<slug>/matching/profile", methods=["GET", "POST"])
@login_required
def profile(slug: str):
    event = load_event(slug)
    me = participant_of(event)
    slots = scheduling.event_slots(db.session, event.id)
    form = ProfileForm()
    form.sectors.choices = [(s, s) for s in me.settings.sector_list]
    form.languages.choices = [(c, profiles.language_label(c, current_language())) for c in profiles.LANGUAGES]
    form.available.choices = [(s.id, _slot_label(s, event)) for s in slots]
    if request.method == "GET":
        p = me.profile
        if p is None:
            form.organisation.data = me.registration.organisation
            form.available.data = [s.id for s in slots]
        else:
            form.organisation.data, form.sectors.data = p.organisation, unpack(p.sectors)
            form.cluster_name.data, form.cluster_location.data = p.cluster_name, p.cluster_location
            form.offers.data, form.seeks.data = p.offers, p.seeks
            form.offer_types.data, form.seek_types.data = unpack(p.offer_types), unpack(p.seek_types)
            form.languages.data, form.listed.data = unpack(p.languages), p.listed
            blocked = {u.slot_id for u in p.unavailable}
            form.available.data = [s.id for s in slots if s.id not in blocked]
    elif form.validate_on_submit():
        chosen = set(form.available.data or [])
        try:
            profiles.save_profile(
                db.session, me.settings, me.registration, organisation=form.organisation.data,
                sectors=form.sectors.data or [], cluster_name=form.cluster_name.data or "",
                cluster_location=form.cluster_location.data or "", offers=form.offers.data or "",
                seeks=form.seeks.data or "", offer_types=form.offer_types.data or [],
                seek_types=form.seek_types.data or [], languages=form.languages.data or [],
                listed=form.listed.data, unavailable_slot_ids=[s.id for s in slots if s.id not in chosen])
            db.session.commit()
        except DomainError as exc:
            db.session.rollback()
            getattr(form, exc.field or "organisation").errors.append(exc.message)
        else:
            flash(_("Your matching profile is saved."), "success")
            return redirect(url_for("matching.catalogue", slug=event.slug))
    status = 422 if form.errors else 200
    return render_template("matching/profile_form.html", event=event, form=form, me=me), status


@bp.route("/events/<slug>/matching")
@login_required
def catalogue(slug: str):
    event = load_event(slug)
    me = participant_of(event)
    if me.profile is None:
        flash(_("Tell the others about your organisation first: then you can browse and send requests."), "info")
        return redirect(url_for("matching.profile", slug=event.slug))
    args = request.args
    filters = profiles.Filters(
        q=(args.get("q") or "").strip()[:100], sector=(args.get("sector") or "")[:120],
        economy_id=parse_id(args.get("economy")), cluster=(args.get("cluster") or "")[:200],
        cooperation=args.get("cooperation") if args.get("cooperation") in {t.value for t in COOPERATION_LABELS}
        else "", language=args.get("language") if args.get("language") in profiles.LANGUAGES else "")
    page = parse_id(args.get("page")) or 1
    rows, total = profiles.catalogue(db.session, event.id, filters, page=page, exclude_profile_id=me.profile.id)
    economies, clusters = profiles.filter_choices(db.session, event.id)
    filtered = any((filters.q, filters.sector, filters.economy_id, filters.cluster, filters.cooperation,
                    filters.language))
    suggested = [] if filtered or page > 1 else suggestions.suggestions(db.session, me.profile, limit=5)
    languages = [(c, profiles.language_label(c, current_language())) for c in profiles.LANGUAGES]
    pages = max((total + profiles.PAGE_SIZE - 1) // profiles.PAGE_SIZE, 1)
    return render_template("matching/catalogue.html", event=event, me=me, rows=rows, total=total, page=page,
                           pages=pages, filters=filters, economies=economies, clusters=clusters,
                           languages=languages, suggested=suggested, cooperation=COOPERATION_LABELS,
                           args={k: v for k, v in args.items() if k != "page"})


@bp.route("/events/<slug>/matching/profiles/<int:profile_id>")
@login_required
def show_profile(slug: str, profile_id: int):
    event = load_event(slug)
    me = participant_of(event)
    viewer_id = me.profile.id if me.profile else None
    other = profiles.visible_profile(db.session, event.id, profile_id, viewer_id)
    if other is None:
        abort(404)
    return _profile_page(event, me, other, RequestForm())


def _profile_page(event, me, other: MatchingProfile, form, status: int = 200):
    met = me.profile is not None and other.id in profiles.met_profile_ids(db.session, me.profile.id)
    reason = suggestions.score(me.profile, other)[1] if me.profile and other.id != me.profile.id else ""
    return render_template("matching/profile.html", event=event, me=me, other=other, form=form,
                           show_contact=met or other.id == viewer_id_of(me), reason=reason,
                           cooperation=COOPERATION_LABELS), status


def viewer_id_of(me) -> int | None:
    return me.profile.id if me.profile else None


@bp.route("/events/<slug>/matching/profiles/<int:profile_id>/request", methods=["POST"])
@login_required
def send_request(slug: str, profile_id: int):
    event = load_event(slug)
    me = participant_of(event)
    if me.profile is None:
        return redirect(url_for("matching.profile", slug=event.slug))
    form = RequestForm()
    other = profiles.visible_profile(db.session, event.id, profile_id, me.profile.id)
    if other is None:
        abort(404)
    if not form.validate_on_submit():
        return _profile_page(event, me, other, form, 422)
    organisation = other.organisation
    try:
        sent = meeting_requests.send_request(db.session, me.settings, me.profile, profile_id, form.message.data or "")
        crossed = sent.crossed
        notify.request_sent(db.session, sent.request, crossed=crossed)
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        form.message.errors.append(exc.message)
        other = profiles.visible_profile(db.session, event.id, profile_id, me.profile.id)
        return _profile_page(event, me, other, form, 409)
    flash(_("%(organisation)s had already asked you: your meeting is agreed.", organisation=organisation) if crossed
          else _("Your request has gone to %(organisation)s.", organisation=organisation), "success")
    return redirect(url_for("matching.my_requests", slug=event.slug))


@bp.route("/events/<slug>/matching/requests")
@login_required
def my_requests(slug: str):
    event = load_event(slug)
    me = participant_of(event)
    if me.profile is None:
        return redirect(url_for("matching.profile", slug=event.slug))
    received, sent = meeting_requests.requests_of(db.session, me.profile.id)
    return render_template("matching/requests.html", event=event, me=me, received=received, sent=sent,
                           decline_form=DeclineForm())


def _answer(slug: str, request_id: int, how: str):
    event = load_event(slug)
    me = participant_of(event)
    if me.profile is None:
        abort(404)
    form = DeclineForm()
    if not form.validate_on_submit():
        flash(_("The reason is too long (at most 500 characters)."), "error")
        return redirect(url_for("matching.my_requests", slug=event.slug))
    placed = None
    try:
        if how == "accept":
            meeting = meeting_requests.accept_request(db.session, request_id, me.profile)
            notify.meeting_accepted(db.session, meeting)
            if meeting.slot is not None:
                placed = _("Meeting agreed: %(time)s at %(table)s. You both see it under My meetings.",
                           time=_slot_label(meeting.slot, event), table=meeting.table.name)
        elif how == "decline":
            notify.request_answered(db.session, meeting_requests.decline_request(
                db.session, request_id, me.profile, form.reason.data or ""))
        else:
            meeting_requests.withdraw_request(db.session, request_id, me.profile)
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        flash(placed or {"accept": _("Meeting agreed. It has no time yet: the organizers will schedule it."),
               "decline": _("Request declined."), "withdraw": _("Request withdrawn.")}[how], "success")
    return redirect(url_for("matching.my_requests", slug=event.slug))


@bp.route("/events/<slug>/matching/requests/<int:request_id>/accept", methods=["POST"])
@login_required
def accept(slug: str, request_id: int):
    return _answer(slug, request_id, "accept")


@bp.route("/events/<slug>/matching/requests/<int:request_id>/decline", methods=["POST"])
@login_required
def decline(slug: str, request_id: int):
    return _answer(slug, request_id, "decline")


@bp.route("/events/<slug>/matching/requests/<int:request_id>/withdraw", methods=["POST"])
@login_required
def withdraw(slug: str, request_id: int):
    return _answer(slug, request_id, "withdraw")


@bp.route("/events/<slug>/matching/meetings")
@login_required
def my_meetings(slug: str):
    event = load_event(slug)
    me = participant_of(event)
    if me.profile is None:
        return redirect(url_for("matching.profile", slug=event.slug))
    meetings = scheduling.meetings_of(db.session, me.profile.id)
    return render_template("matching/meetings.html", event=event, me=me, meetings=meetings,
                           recorded=outcomes.outcomes_by_meeting(db.session, me.profile.id),
                           outcome_labels=OUTCOME_LABELS, started=outcomes.slot_has_started)


@bp.route("/events/<slug>/matching/meetings/<int:meeting_id>/outcome", methods=["POST"])
@login_required
def record_outcome(slug: str, meeting_id: int):
    event = load_event(slug)
    me = participant_of(event)
    if me.profile is None:
        abort(404)
    try:
        outcome = Outcome(request.form.get("outcome", ""))
    except ValueError:
        flash(_("Choose what came of the meeting."), "error")
        return redirect(url_for("matching.my_meetings", slug=event.slug))
    try:
        outcomes.record_outcome(db.session, meeting_id, me.profile, outcome)
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        flash(_("Recorded: %(outcome)s.", outcome=outcome.label), "success")
    return redirect(url_for("matching.my_meetings", slug=event.slug))
