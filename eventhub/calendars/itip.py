"""iTIP (RFC 5546) invitations for e-mail: METHOD:REQUEST and METHOD:CANCEL parts.

Use with the mail outbox:

    from eventhub.calendars.itip import request_part, cancel_part
    queue_template(db.session, to=[reg.email], subject=..., template=...,
                   calendar=request_part(session, reg.email, reg.full_name))

The UID is the session's, the same as in every feed, so a client that subscribed to a feed and
got the invitation shows one event. REQUEST carries the session's SEQUENCE; CANCEL carries a
higher one (sequence + 1) and STATUS:CANCELLED, so clients apply it over the last REQUEST.
"""

from __future__ import annotations

from email.utils import parseaddr

from flask import current_app

from eventhub.agenda.models import Session
from eventhub.calendars.ical import TimeWriter, calendar_lines, param_value, serialize_text
from eventhub.calendars.vevent import entry_span, item_from_session, session_url_maker, session_vevent
from eventhub.db import utcnow
from eventhub.i18n import localized
from eventhub.mail.outbox import CalendarPart


def organizer_line(session: Session) -> str:
    """ORGANIZER: the event's contact address, else the default sender."""
    event = session.event
    if event.contact_email:
        name, address = (event.host_organisation or event.title), event.contact_email
    else:
        name, address = parseaddr(current_app.config["MAIL_DEFAULT_SENDER"])
        name = name or "EventHub"
    return f"ORGANIZER;CN={param_value(name)}:mailto:{address.strip().lower()}"


def attendee_line(email: str, name: str, partstat: str = "NEEDS-ACTION") -> str:
    cn = f";CN={param_value(name)}" if name else ""
    return (
        f"ATTENDEE{cn};CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT={partstat};RSVP=FALSE"
        f":mailto:{email.strip().lower()}"
    )


def _part(session: Session, method: str, attendee_email: str, attendee_name: str,
          sequence: int | None = None) -> CalendarPart:
    event = session.event
    item = item_from_session(session)
    years = [moment.year for moment in entry_span(item)]
    times = TimeWriter(event.timezone, min(years), max(years))
    url = session_url_maker(event.slug)(session.id)
    extra = [organizer_line(session), attendee_line(attendee_email, attendee_name)]
    if sequence is None:
        sequence = item.sequence + 1 if method == "CANCEL" else item.sequence
    # DTSTAMP of an e-mailed message: when it was sent (RFC 5546) — never before the session's last
    # change — so a message sent after an earlier one (a re-booking after a CANCEL) is never older.
    stamp = max(utcnow(), item.changed_at) if item.changed_at else utcnow()
    vevent = session_vevent(item, event, times, url, sequence=sequence, dtstamp=stamp, extra=extra,
                            status="CANCELLED" if method == "CANCEL" else "CONFIRMED")
    lines = calendar_lines(method=method, name=localized(event, "title"), tzid=event.timezone)
    lines += times.timezone_lines()
    ics = serialize_text(lines) + vevent + "END:VCALENDAR\r\n"
    return CalendarPart(ics=ics.encode("utf-8"), method=method)


def request_part(session: Session, attendee_email: str, attendee_name: str, *,
                 sequence: int | None = None) -> CalendarPart:
    """METHOD:REQUEST for a confirmed or promoted booking, or an update after the session moved.

    sequence: the SEQUENCE to write (default: the session's); the sender passes one above anything
    it already sent to this person for this session."""
    return _part(session, "REQUEST", attendee_email, attendee_name, sequence)


def cancel_part(session: Session, attendee_email: str, attendee_name: str, *,
                sequence: int | None = None) -> CalendarPart:
    """METHOD:CANCEL for a cancelled booking or session (SEQUENCE above the last REQUEST)."""
    return _part(session, "CANCEL", attendee_email, attendee_name, sequence)
