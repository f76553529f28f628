"""The filters of the attendance summary (a day, a session kind) and what they rely on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session as DbSession

from eventhub.agenda.models import Session, SessionKind
from eventhub.events.models import Event
from eventhub.formatting import day_label

# Sessions nobody checks in to.
UNTRACKED_KINDS = (SessionKind.BREAK, SessionKind.MEAL)


@dataclass
class Filters:
    day: date | None = None
    kind: SessionKind | None = None

    @property
    def active(self) -> bool:
        return self.day is not None or self.kind is not None

    def describe(self) -> str:
        if self.day and self.kind:
            return _("%(day)s, %(kind)s sessions", day=day_label(self.day, "date"), kind=self.kind.label)
        if self.day:
            return day_label(self.day, "date")
        if self.kind:
            return _("%(kind)s sessions", kind=self.kind.label)
        return _("whole event")

    @property
    def session_scoped(self) -> bool:
        """A session kind is chosen: the figures are about bookings of and check-ins to those sessions."""
        return self.kind is not None

    def query_args(self) -> dict:
        args = {}
        if self.day:
            args["day"] = self.day.isoformat()
        if self.kind:
            args["kind"] = self.kind.value
        return args


def local_day_bounds(event: Event, day: date) -> tuple[datetime, datetime]:
    """The UTC-comparable bounds [start, end) of an event-local day."""
    start = datetime(day.year, day.month, day.day, tzinfo=event.tz)
    return start, start + timedelta(days=1)


def session_kinds_in_use(db_session: DbSession, event: Event) -> list[SessionKind]:
    """The session kinds (people check in to) that the event's programme has, for the kind filter."""
    kinds = db_session.scalars(sa.select(Session.kind).where(Session.event_id == event.id,
                                                             Session.kind.not_in(UNTRACKED_KINDS)).distinct())
    present = set(kinds)
    return [k for k in SessionKind if k in present]
