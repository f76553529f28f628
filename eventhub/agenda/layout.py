"""Arrange sessions for the agenda page: by day, and sessions that overlap side by side."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass
class Slot:
    """Sessions that overlap in time: shown side by side (stacked on a phone)."""

    sessions: list = field(default_factory=list)

    @property
    def parallel(self) -> bool:
        return len(self.sessions) > 1


@dataclass
class Day:
    date: date
    slots: list[Slot] = field(default_factory=list)


def by_day(sessions, event) -> list[Day]:
    """Group sessions (sorted by start) into days in the event's zone, then into overlapping slots."""
    tz = event.tz
    days: dict[date, Day] = {}
    slot_end = {}
    for s in sorted(sessions, key=lambda s: (s.starts_at, s.ends_at, s.id)):
        d = s.starts_at.astimezone(tz).date()
        day = days.setdefault(d, Day(d))
        if day.slots and s.starts_at < slot_end[d]:
            day.slots[-1].sessions.append(s)
            slot_end[d] = max(slot_end[d], s.ends_at)
        else:
            day.slots.append(Slot([s]))
            slot_end[d] = s.ends_at
    return [days[d] for d in sorted(days)]
