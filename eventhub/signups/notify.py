"""E-mails about bookings and sessions, queued in the business transaction (delivered after commit).

Confirmed or promoted → an iTIP REQUEST; a cancelled booking or session → CANCEL; a session that
moved → an updated REQUEST to everyone holding a seat.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from flask import current_app, has_request_context, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.orm import Session as DbSession

from eventhub.formatting import local_dt
from eventhub.i18n import localized, recipient_language
from eventhub.mail.outbox import CalendarPart, queue_template
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


def _itip(db: DbSession, kind: str, session, registration) -> CalendarPart | None:
    try:
        from eventhub.calendars import itip
    except ImportError:  # calendars not installed: plain e-mail
        return None
    make = itip.request_part if kind == "REQUEST" else itip.cancel_part
    return make(session, registration.email, registration.full_name,
                sequence=next_sequence(db, session, registration, kind))


def link(endpoint: str, **values) -> str:
    """An absolute link for e-mails, also outside a request (CLI, tests in threads)."""
    base = (current_app.config.get("PUBLIC_BASE_URL") or "").rstrip("/")
    if has_request_context():
        path = url_for(endpoint, **values)
        return (base or request.host_url.rstrip("/")) + path
    adapter = current_app.url_map.bind(current_app.config.get("SERVER_NAME_FOR_UIDS") or "localhost")
    path = adapter.build(endpoint, values)
    return (base or f"https://{current_app.config.get('SERVER_NAME_FOR_UIDS') or 'localhost'}") + path


def _send(db: DbSession, registration, session, *, subject: Callable[[str], str], template: str,
          calendar: str | None = None, **context) -> None:
    """subject: the session's title (in the recipient's language) -> the subject line, called while
    the recipient's language is in force: whoever books or cancels, the e-mail and its invitation
    reach the delegate in the language they chose."""
    if not registration.email or registration.personal_data_purged_at is not None:
        return
    event = session.event
    with force_locale(recipient_language(registration=registration, event=event)):
        title = f"{subject(localized(session, 'title'))} · {localized(event, 'title')}"
        queue_template(
            db, to=[registration.email], subject=title[:480], template=f"signups/{template}",
            calendar=_itip(db, calendar, session, registration) if calendar else None,
            registration=registration, session=session, event=event,
            session_url=link("agenda.session", slug=event.slug, session_id=session.id),
            programme_url=link("signups.programme", slug=event.slug), **context,
        )


def booking_confirmed(db, booking, registration, session) -> None:
    _send(db, registration, session, subject=lambda title: _("Your seat: %(title)s", title=title), template="confirmed",
          calendar="REQUEST", booking=booking)


def booking_promoted(db, booking, registration, session) -> None:
    _send(db, registration, session, subject=lambda title: _("A seat came free — you are confirmed: %(title)s", title=title),
          template="promoted", calendar="REQUEST", booking=booking)


def booking_waitlisted(db, booking, registration, session, position: int | None, *,
                       economy_cap: int | None = None) -> None:
    """On the waitlist: because the session is full, or — economy_cap given — because the person's
    economy has used its share of the seats while others are still free."""
    _send(db, registration, session, subject=lambda title: _("Waitlist position %(position)s: %(title)s", position=position, title=title),
          template="waitlisted", booking=booking, position=position, economy_cap=economy_cap)


def booking_cancelled(db, booking, registration, session, *, by_organizer: bool = False,
                      had_seat: bool = True) -> None:
    def subject(title):
        return _("Booking cancelled: %(title)s", title=title) if had_seat else _("Left the waitlist: %(title)s", title=title)

    _send(db, registration, session, subject=subject, template="cancelled",
          calendar="CANCEL" if had_seat else None, booking=booking, by_organizer=by_organizer)


def booking_moved(db, booking, registration, source, target) -> None:
    _send(db, registration, source, subject=lambda title: _("Moved from: %(title)s", title=title), template="cancelled",
          calendar="CANCEL", booking=booking, by_organizer=True, moved_to=target)
    _send(db, registration, target, subject=lambda title: _("Your seat: %(title)s", title=title), template="confirmed",
          calendar="REQUEST", booking=booking, moved_from=source)


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
        _send(db, registration, session, subject=lambda title: _("Changed: %(title)s", title=title),
              template="session_moved", calendar="REQUEST", changes=changes, change_lines=change_lines)


def session_cancelled(db, session, registrations, *, invited: bool = True) -> None:
    """invited: they hold a seat and were sent an invitation (iTIP CANCEL); otherwise (its waitlist,
    everyone for a session everyone attends) a plain message."""
    for registration in registrations:
        _send(db, registration, session, subject=lambda title: _("Cancelled: %(title)s", title=title), template="session_cancelled",
              calendar="CANCEL" if invited else None, invited=invited)


def roundtable_placed(db, booking, registration, session, rank: int) -> None:
    _send(db, registration, session, subject=lambda title: _("Your roundtable: %(title)s", title=title), template="roundtable_placed",
          calendar="REQUEST", booking=booking, rank=rank)
