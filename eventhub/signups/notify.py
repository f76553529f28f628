"""E-mails about bookings and sessions, queued in the business transaction (delivered after commit).

Confirmed or promoted → an iTIP REQUEST; a cancelled booking or session → CANCEL; a session that
moved → an updated REQUEST to everyone holding a seat.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app, has_request_context, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session as DbSession

from eventhub.formatting import local_dt
from eventhub.i18n import localized, recipient_language
from eventhub.mail.kinds import register
from eventhub.mail.outbox import build_message, queue_deferred
from eventhub.signups.models import Booking, BookingStatus


def next_sequence(db: DbSession, session, registration, kind: str) -> int:
    """The SEQUENCE for the next iTIP message to this person about this session, and record it on
    the booking it is about. The number comes from eventhub.calendars.sequence, the same rule the
    personal feed uses: a REQUEST carries the entry's number, a CANCEL one more."""
    from eventhub.calendars.sequence import entry_sequence

    rows = db.execute(
        sa.select(Booking.id, Booking.status, Booking.itip_sequence)
        .where(Booking.session_id == session.id, Booking.registration_id == registration.id).order_by(Booking.id)
    ).all()
    active = [r for r in rows if r.status != BookingStatus.CANCELLED]
    cancelled = [r for r in rows if r.status == BookingStatus.CANCELLED]
    if kind == "CANCEL":  # withdraws the entry of the booking cancelled last
        target = cancelled[-1] if cancelled else None
        earlier = [r.itip_sequence for r in cancelled[:-1] if r.itip_sequence is not None]
        sequence = entry_sequence(session.sequence, target.itip_sequence if target else None,
                                  max(earlier, default=None)) + 1
    else:
        target = active[-1] if active else None
        earlier = [r.itip_sequence for r in cancelled if r.itip_sequence is not None]
        sequence = entry_sequence(session.sequence, target.itip_sequence if target else None,
                                  max(earlier, default=None))
    if target is not None:
        db.execute(sa.update(Booking).where(Booking.id == target.id).values(itip_sequence=sequence)
                   .execution_options(synchronize_session=False))
    return sequence


def link(endpoint: str, **values) -> str:
    """An absolute link for e-mails, also outside a request (CLI, tests in threads)."""
    base = (current_app.config.get("PUBLIC_BASE_URL") or "").rstrip("/")
    if has_request_context():
        path = url_for(endpoint, **values)
        return (base or request.host_url.rstrip("/")) + path
    adapter = current_app.url_map.bind(current_app.config.get("SERVER_NAME_FOR_UIDS") or "localhost")
    path = adapter.build(endpoint, values)
    return (base or f"https://{current_app.config.get('SERVER_NAME_FOR_UIDS') or 'localhost'}") + path


# Subject lines, read in the recipient's language when the delivery process writes the message.
SUBJECTS = {
    "confirmed": _l("Your seat: %(title)s"),
    "promoted": _l("A seat came free — you are confirmed: %(title)s"),
    "waitlisted": _l("Waitlist position %(position)s: %(title)s"),
    "cancelled": _l("Booking cancelled: %(title)s"),
    "left_waitlist": _l("Left the waitlist: %(title)s"),
    "moved_from": _l("Moved from: %(title)s"),
    "changed": _l("Changed: %(title)s"),
    "session_cancelled": _l("Cancelled: %(title)s"),
    "roundtable": _l("Your roundtable: %(title)s"),
}
KIND = "signups.session"


def _send(db: DbSession, registration, session, *, subject: str, template: str,
          calendar: str | None = None, sequence: int | None = None, **context) -> None:
    """Record the e-mail; the delivery process writes it (build_session_mail) in the language the
    delegate chose, whoever booked or cancelled. Only the iTIP SEQUENCE is settled now, in the
    business transaction, since it belongs to the change being made (`sequence`: already settled
    and recorded on the booking by the caller)."""
    if not registration.email or registration.personal_data_purged_at is not None:
        return
    if calendar and sequence is None:
        sequence = next_sequence(db, session, registration, calendar)
    queue_deferred(db, kind=KIND, to=[registration.email], params={
        "registration": registration.id, "session": session.id, "subject": subject, "template": template,
        "calendar": calendar, "sequence": sequence, **context})


def build_session_mail(db: DbSession, params: dict, recipients: list[str]):
    """Write a recorded booking or session e-mail (eventhub.mail.kinds)."""
    from eventhub.agenda.models import Session
    from eventhub.registration.models import Registration

    registration = db.get(Registration, params["registration"])
    session = db.get(Session, params["session"])
    if registration is None or session is None or registration.personal_data_purged_at is not None:
        return None
    event = session.event
    context = {key: params.get(key) for key in ("position", "economy_cap", "by_organizer", "invited", "rank")}
    for key in ("moved_to", "moved_from"):
        context[key] = db.get(Session, params[key]) if params.get(key) else None
    # JSON turned ("place", where) into a list; change_lines reads tuples.
    context["changes"] = [tuple(c) if isinstance(c, list) else c for c in params.get("changes") or []]
    with force_locale(recipient_language(registration=registration, event=event)):
        title = str(SUBJECTS[params["subject"]]) % {"title": localized(session, "title"),
                                                     "position": params.get("position")}
        subject = f"{title} · {localized(event, 'title')}"
        context["session_url"] = link("agenda.session", slug=event.slug, session_id=session.id)
        context["programme_url"] = link("signups.programme", slug=event.slug)
        text = render_template(
            f"mail/signups/{params['template']}.txt", registration=registration, session=session, event=event,
            change_lines=change_lines, **context)
        own = _event_text(db, registration, session, event, params, context)
        if own is not None:
            subject, text = own.subject, own.text
        calendar = None
        if params.get("calendar"):
            from eventhub.calendars import itip

            make = itip.request_part if params["calendar"] == "REQUEST" else itip.cancel_part
            calendar = make(session, registration.email, registration.full_name, sequence=params["sequence"])
    return build_message(to=recipients, subject=subject[:480], text=text, calendar=calendar,
                         html=own.html if own is not None else None)


def _event_text(db: DbSession, registration, session, event, params: dict, context: dict):
    """The message in the event's own words (eventhub.messages.notification_texts), or None. The iTIP
    part is the same either way."""
    from eventhub.i18n import current_language
    from eventhub.messages import notification_texts

    other = context.get("moved_to") or context.get("moved_from")
    values = lambda: notification_texts.person_values(registration, event) | {  # noqa: E731
        "session_title": localized(session, "title"),
        "session_details": render_template("mail/signups/_when.txt", session=session, event=event,
                                           session_url=context["session_url"]).strip(),
        "session_url": context["session_url"], "programme_url": context["programme_url"],
        "position": params.get("position") or "", "rank": params.get("rank") or "",
        "other_session": localized(other, "title") if other is not None else "",
        "changes": "\n".join(f"  - {line}" for line in change_lines(session, context["changes"]))}
    return notification_texts.override(db, event.id, f"signups.{params['subject']}", current_language(), values)


register(KIND, build_session_mail)


def booking_confirmed(db, booking, registration, session, *, sequence: int | None = None) -> None:
    _send(db, registration, session, subject="confirmed", template="confirmed", calendar="REQUEST",
          sequence=sequence)


def booking_promoted(db, booking, registration, session) -> None:
    _send(db, registration, session, subject="promoted", template="promoted", calendar="REQUEST")


def booking_waitlisted(db, booking, registration, session, position: int | None, *,
                       economy_cap: int | None = None) -> None:
    """On the waitlist: because the session is full, or — economy_cap given — because the person's
    economy has used its share of the seats while others are still free."""
    _send(db, registration, session, subject="waitlisted", template="waitlisted", position=position,
          economy_cap=economy_cap)


def booking_cancelled(db, booking, registration, session, *, by_organizer: bool = False,
                      had_seat: bool = True) -> None:
    _send(db, registration, session, subject="cancelled" if had_seat else "left_waitlist", template="cancelled",
          calendar="CANCEL" if had_seat else None, by_organizer=by_organizer)


def booking_moved(db, booking, registration, source, target) -> None:
    _send(db, registration, source, subject="moved_from", template="cancelled", calendar="CANCEL",
          by_organizer=True, moved_to=target.id)
    _send(db, registration, target, subject="confirmed", template="confirmed", calendar="REQUEST",
          moved_from=source.id)


def change_lines(session, changes: list) -> list[str]:
    """What changed — 'time', 'place', 'visit', or ('place', where) for a place given as text
    (eventhub.agenda.services and places) — as the e-mail lists it, in the language in force."""
    event = session.event
    lines = []
    for change in changes:
        if isinstance(change, tuple) and change[0] == "place":
            lines.append(_("place: now %(place)s", place=change[1] or _("to be announced")))
        elif change == "time":
            lines.append(_("time: now %(start)s–%(end)s (%(zone)s)",
                           start=local_dt(session.starts_at, event, "short_datetime"),
                           end=local_dt(session.ends_at, event, "time"), zone=event.timezone))
        elif change == "place":
            lines.append(_("place: now %(place)s", place=session.place or _("to be announced")))
        elif change == "visit":
            lines.append(_("departure, return or meeting point changed"))
    return lines


def session_moved(db, session, registrations, changes: list) -> None:
    """changes: 'time', 'place', 'visit' — written out in each recipient's language."""
    for registration in registrations:
        _send(db, registration, session, subject="changed", template="session_moved", calendar="REQUEST",
              changes=changes)


def session_cancelled(db, session, registrations, *, invited: bool = True) -> None:
    """invited: they hold a seat and were sent an invitation (iTIP CANCEL); otherwise (its waitlist,
    everyone for a session everyone attends) a plain message."""
    for registration in registrations:
        _send(db, registration, session, subject="session_cancelled", template="session_cancelled",
              calendar="CANCEL" if invited else None, invited=invited)


def roundtable_placed(db, booking, registration, session, rank: int) -> None:
    _send(db, registration, session, subject="roundtable", template="roundtable_placed", calendar="REQUEST",
          rank=rank)
