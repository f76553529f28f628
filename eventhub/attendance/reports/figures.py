"""What an attendance summary is made of: its rows and the figures derived from them (no queries)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from babel.lists import format_list
from flask_babel import gettext as _
from flask_babel import ngettext

from eventhub.agenda.models import SessionKind
from eventhub.attendance.reports.filters import Filters
from eventhub.economies.models import EconomyKind
from eventhub.events.models import Event
from eventhub.formatting import date_locale
from eventhub.registration.models import Sex

# How many economies of a kind attended ("2 guests"), in the reader's language's plural forms.
_KIND_COUNTS = {
    EconomyKind.GUEST: lambda n: ngettext("%(num)d guest", "%(num)d guests", n),
    EconomyKind.OBSERVER: lambda n: ngettext("%(num)d observer", "%(num)d observers", n),
    EconomyKind.ORGANISATION: lambda n: ngettext("%(num)d organisation", "%(num)d organisations", n),
    EconomyKind.MEMBER: lambda n: ngettext("%(num)d member", "%(num)d members", n),
}


@dataclass
class Row:
    key: str
    label: str
    registered: int = 0
    approved: int = 0
    attended: int = 0
    no_shows: int = 0
    code: str = ""
    group: str = ""
    booked: int = 0

    def share_of(self, total: int) -> float | None:
        return self.attended / total if total else None


@dataclass
class DayRow:
    day: date
    attended: int
    women: int
    economies: int
    no_shows: int


@dataclass
class SessionRow:
    session_id: int
    title: str
    kind: SessionKind
    starts_at: datetime
    booked: int
    attended: int
    capacity: int | None

    @property
    def fill_rate(self) -> float | None:
        return self.attended / self.capacity if self.capacity else None


@dataclass
class VehicleRow:
    vehicle_id: int
    session_title: str
    name: str
    seats: int
    assigned: int
    boarded: int


@dataclass
class Summary:
    event: Event
    filters: Filters
    totals: Row
    economies_registered: int
    economies_represented: int
    by_economy: list[Row] = field(default_factory=list)
    by_sex: list[Row] = field(default_factory=list)
    by_category: list[Row] = field(default_factory=list)
    category_groups: list[Row] = field(default_factory=list)
    by_funding: list[Row] = field(default_factory=list)
    per_day: list[DayRow] = field(default_factory=list)
    per_session: list[SessionRow] = field(default_factory=list)
    per_vehicle: list[VehicleRow] = field(default_factory=list)
    # How many of the member economies (21 in APEC) attended, and how many non-members by kind.
    members_total: int = 0
    members_attended: int = 0
    others_attended: dict[EconomyKind, int] = field(default_factory=dict)

    @property
    def economies_headline(self) -> str:
        """ "11 of 21 member economies, plus 2 guests and 1 observer" — members apart from the others."""
        text = ngettext("%(attended)d of %(num)d member economy", "%(attended)d of %(num)d member economies",
                        self.members_total, attended=self.members_attended)
        others = [_KIND_COUNTS[kind](n) for kind, n in sorted(
            self.others_attended.items(), key=lambda kv: list(EconomyKind).index(kv[0])) if n]
        if others:
            # "2 guests and 1 observer": the reader's language's way of listing.
            return _("%(members)s, plus %(others)s", members=text, others=format_list(others, locale=date_locale()))
        return text

    @property
    def women_attended(self) -> int:
        return next((r.attended for r in self.by_sex if r.key == Sex.FEMALE.value), 0)

    @property
    def session_scoped(self) -> bool:
        return self.filters.session_scoped

    @property
    def expected_label(self) -> str:
        """What the "expected" figure is: registered people, or for session-scoped figures booked ones."""
        return _("Booked") if self.session_scoped else _("Registered")

    def expected(self, row: Row) -> int:
        return row.booked if self.session_scoped else row.registered

    @property
    def count_columns(self) -> list[tuple[str, str]]:
        """(heading, Row attribute) of the count columns of every table, page and exports alike."""
        if self.session_scoped:
            return [(_("Booked"), "booked"), (_("Attended"), "attended"), (_("No-shows"), "no_shows")]
        return [(_("Registered"), "registered"), (_("Approved"), "approved"), (_("Attended"), "attended"),
                (_("No-shows"), "no_shows")]

    @property
    def women_registered(self) -> int:
        return next((self.expected(r) for r in self.by_sex if r.key == Sex.FEMALE.value), 0)

    @property
    def women_share(self) -> float | None:
        return self.women_attended / self.totals.attended if self.totals.attended else None

    @property
    def women_share_registered(self) -> float | None:
        expected = self.expected(self.totals)
        return self.women_registered / expected if expected else None

    @property
    def attendance_rate(self) -> float | None:
        base = self.totals.booked if self.session_scoped else self.totals.approved
        return (base - self.totals.no_shows) / base if base else None
