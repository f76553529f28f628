"""The one SEQUENCE of a person's calendar entry for a session: e-mails and feeds read it from here.

A session's own SEQUENCE (`sessions.sequence`) rises when its time or place changes or it is
cancelled or reinstated. A person's entry may have to go above it: after their booking was
cancelled (an iTIP CANCEL carries one more than the entry had), a new booking's invitation must go
above that CANCEL or their calendar ignores it. Each booking records the SEQUENCE last e-mailed for
it (`bookings.itip_sequence`), so the number of a person's entry is

    max(session's SEQUENCE, what their active booking was sent, 1 + what a cancelled booking was sent)

`entry_sequence()` computes it in Python for the e-mails (`eventhub.signups.notify`), and
`entry_sequence_sql()` the same in SQL for the personal feed, which holds confirmed bookings: so the
invitation in the mailbox and the entry of the subscribed feed carry one number, after cancel,
re-book and move alike. A REQUEST carries the entry's number; a CANCEL one more (recorded on the
cancelled booking).
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import GenericFunction


def entry_sequence(session_sequence: int | None, active_sent: int | None, cancelled_sent: int | None) -> int:
    """The SEQUENCE of a person's entry: see the module's docstring."""
    sequence = session_sequence or 0
    if active_sent is not None:
        sequence = max(sequence, active_sent)
    if cancelled_sent is not None:
        sequence = max(sequence, cancelled_sent + 1)
    return sequence


class greatest(GenericFunction):  # noqa: N801 - SQL function name
    """GREATEST(a, b, …) on PostgreSQL, the multi-argument max(a, b, …) on SQLite (no NULLs given)."""

    type = sa.Integer()
    inherit_cache = True


@compiles(greatest, "sqlite")
def _greatest_sqlite(element, compiler, **kw):
    return f"max({compiler.process(element.clauses, **kw)})"


def entry_sequence_sql(session_sequence, session_id, registration_id):
    """entry_sequence() as a SQL expression for one session (column) and one person (bound value)."""
    from eventhub.signups.models import Booking, BookingStatus

    mine = (Booking.session_id == session_id, Booking.registration_id == registration_id)
    base = sa.func.coalesce(session_sequence, 0)
    active = (sa.select(sa.func.max(Booking.itip_sequence))
              .where(*mine, Booking.status != BookingStatus.CANCELLED).scalar_subquery())
    cancelled = (sa.select(sa.func.max(Booking.itip_sequence) + 1)
                 .where(*mine, Booking.status == BookingStatus.CANCELLED).scalar_subquery())
    return greatest(base, sa.func.coalesce(active, base), sa.func.coalesce(cancelled, base))
