"""Read side of registration: the staff list, the public participant list, a person's registrations.

The staff list pages through thousands of registrations in APEC economy order with a bounded
number of queries and without sorting the whole event: one statement counts the matching rows of
each economy along the (event, economy, family name, given name) index, which says which economies
the requested page spans; the page query then reads only those economies, in name order, along
the same index. (The rendered page is kept between changes: staff_list.py.)
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import Session as DbSession
from sqlalchemy.orm import selectinload

from eventhub.accounts.models import User
from eventhub.economies.models import Economy
from eventhub.events.models import Event
from eventhub.i18n import localized
from eventhub.matching.figures import firms_counted
from eventhub.registration.models import (
    ACTIVE_STATUSES,
    Category,
    Delegation,
    Registration,
    RegistrationStatus,
    Sex,
)
from eventhub.web import parse_id

S = RegistrationStatus


@dataclass
class Filters:
    economy_id: int | None = None
    status: str = ""
    category: str = ""
    sex: str = ""
    q: str = ""
    page: int = 1

    @classmethod
    def from_args(cls, args) -> Filters:
        def as_int(name: str) -> int | None:
            return parse_id(args.get(name, ""))  # None for text, 0, or beyond the id range

        status = args.get("status", "")
        category = args.get("category", "")
        sex = args.get("sex", "")
        return cls(
            economy_id=as_int("economy"),
            status=status if status in {s.value for s in S} else "",
            category=category if category in {c.value for c in Category} else "",
            sex=sex if sex in {s.value for s in Sex} else "",
            q=" ".join((args.get("q") or "").split())[:100],
            page=max(as_int("page") or 1, 1),
        )

    def args(self, **changes) -> dict:
        values = {"economy": self.economy_id or "", "status": self.status, "category": self.category,
                  "sex": self.sex, "q": self.q, "page": self.page}
        values.update(changes)
        return {k: v for k, v in values.items() if v not in ("", None) and not (k == "page" and v == 1)}

    @property
    def active(self) -> bool:
        return bool(self.economy_id or self.status or self.category or self.sex or self.q)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


# The staff list runs for every page view: its statements are built once per filter shape (which
# filters are set, how many search words, how many economies a page spans) with bind parameters,
# and their values change. Building SQLAlchemy statements costs more than SQLite's work here.
@dataclass(frozen=True)
class Shape:
    economy: bool
    status: bool
    category: bool
    sex: bool
    words: int


def _shape_and_params(event_id: int, f: Filters) -> tuple[Shape, dict]:
    words = f.q.split()[:5]
    params: dict = {"event_id": event_id, "economy": f.economy_id,
                    "status": S(f.status) if f.status else None,
                    "category": Category(f.category) if f.category else None,
                    "sex": Sex(f.sex) if f.sex else None}
    params.update({f"word_{i}": f"%{_escape_like(word)}%" for i, word in enumerate(words)})
    return Shape(bool(f.economy_id), bool(f.status), bool(f.category), bool(f.sex), len(words)), params


def _where(shape: Shape) -> list:
    # Firms' representatives of the business matching are listed only when the organizer counts them.
    clauses = [Registration.event_id == sa.bindparam("event_id"),
               sa.or_(Registration.matching_only.is_(False), sa.bindparam("with_firms", type_=sa.Boolean()))]
    if shape.economy:
        clauses.append(Registration.economy_id == sa.bindparam("economy"))
    if shape.status:
        clauses.append(Registration.status == sa.bindparam("status", type_=Registration.status.type))
    if shape.category:
        clauses.append(Registration.category == sa.bindparam("category", type_=Registration.category.type))
    if shape.sex:
        clauses.append(Registration.sex == sa.bindparam("sex", type_=Registration.sex.type))
    for i in range(shape.words):
        pattern = sa.bindparam(f"word_{i}", type_=sa.String())
        clauses.append(sa.or_(*(col.ilike(pattern, escape="\\") for col in (
            Registration.given_name, Registration.family_name, Registration.name_local, Registration.email))))
    return clauses


# What the staff list shows of each person: read as plain rows, not Registration objects (a page of
# 50 objects, each lazy-loading its economy, costs more than everything else on the page).
LIST_COLUMNS = (Registration.id, Registration.economy_id, Registration.given_name, Registration.family_name,
                Registration.name_local, Registration.status, Registration.needs_confirmation,
                Registration.privacy_acknowledged_at, Registration.category, Registration.sex, Registration.organisation, Registration.email)


@dataclass(frozen=True, slots=True)
class ListRow:
    """One line of the staff list, ready to print (the template only escapes)."""

    id: int
    economy: str
    name: str  # Given FAMILY
    name_local: str
    status: RegistrationStatus
    needs_confirmation: bool
    privacy_acknowledged: bool
    category: str
    sex: str
    organisation: str
    email: str

    @property
    def is_active(self) -> bool:  # as Registration.is_active, for status_badge()
        return self.status in ACTIVE_STATUSES

    @classmethod
    def of(cls, row: sa.Row, economy_names: dict[int, str]) -> ListRow:
        return cls(row.id, economy_names.get(row.economy_id, ""), f"{row.given_name} {row.family_name.upper()}",
                   row.name_local or "", row.status, row.needs_confirmation,
                   row.privacy_acknowledged_at is not None, row.category.label, row.sex.label,
                   row.organisation, row.email)


@dataclass
class Page:
    items: list[ListRow]
    total: int
    page: int
    per_page: int
    economies: list[tuple[int, str]] = field(default_factory=list)  # (id, name) for the filter, in APEC order

    @property
    def pages(self) -> int:
        return max(math.ceil(self.total / self.per_page), 1)

    @property
    def first(self) -> int:
        return (self.page - 1) * self.per_page + 1 if self.total else 0

    @property
    def last(self) -> int:
        return min(self.page * self.per_page, self.total)


def active_economies(db_session: DbSession) -> list[Economy]:
    return list(db_session.scalars(sa.select(Economy).where(Economy.active.is_(True))
                                   .order_by(Economy.sort_key, Economy.name)))


@functools.lru_cache(maxsize=64)
def _counts_statement(shape: Shape):
    """The event's economies (invited, or with any registration) in APEC order, and how many
    registrations match the filter in each: a count along the (event, economy, …) index per
    economy, which SQLite does faster than one GROUP BY over the whole event."""
    matching = (sa.select(sa.func.count()).select_from(Registration)
                .where(*_where(shape), Registration.economy_id == Economy.id).correlate(Economy).scalar_subquery())
    event_id = sa.bindparam("event_id")
    invited = sa.exists().where(Delegation.event_id == event_id, Delegation.economy_id == Economy.id)
    registered = sa.exists().where(Registration.event_id == event_id, Registration.economy_id == Economy.id)
    return (sa.select(Economy.id, Economy.name, Economy.name_zh, matching.label("matching"))
            .where(sa.or_(invited, registered)).order_by(Economy.sort_key, Economy.name))


@functools.lru_cache(maxsize=128)
def _rows_statement(shape: Shape, spans: int, limit: int):
    """`limit` rows from `spans` economies in order (bind parameters economy_<i>, skip_<i>).

    Each economy is read along the index in name order and stops after `limit` rows (no sort of
    the economy's registrations); the few rows read are then put in APEC order.
    """
    def part(i: int):
        return (sa.select(*LIST_COLUMNS, sa.literal(i).label("rank"))
                .where(*_where(shape), Registration.economy_id == sa.bindparam(f"economy_{i}"))
                .order_by(Registration.family_name, Registration.given_name, Registration.id)
                .limit(limit).offset(sa.bindparam(f"skip_{i}")))

    if spans == 1:
        return part(0)
    parts = sa.union_all(*(sa.select(part(i).subquery()) for i in range(spans))).subquery()
    return sa.select(parts).order_by(parts.c.rank, parts.c.family_name, parts.c.given_name, parts.c.id).limit(limit)


def registration_page(db_session: DbSession, event: Event, f: Filters, per_page: int = 50) -> Page:
    """One page of the staff list, sorted by economy (APEC order), family name, given name."""
    shape, params = _shape_and_params(event.id, f)
    params["with_firms"] = firms_counted(db_session, event.id)
    connection = db_session.connection()
    economies = connection.execute(_counts_statement(shape), params).all()
    counts = {row.id: row.matching for row in economies if row.matching}
    total = sum(counts.values())
    pages = max(math.ceil(total / per_page), 1)
    page = min(f.page, pages)
    start = (page - 1) * per_page
    # Which economies does [start, start + per_page) cover, and where in the first one does it begin?
    spans, seen = [], 0
    for economy in economies:
        n = counts.get(economy.id, 0)
        if n and seen + n > start and seen < start + per_page:
            spans.append((economy.id, start - seen if not spans else 0))
        seen += n
    names = {e.id: localized(e, "name") for e in economies}  # in the reader's language
    items = []
    if spans:
        for i, (economy_id, skip) in enumerate(spans):
            params[f"economy_{i}"], params[f"skip_{i}"] = economy_id, skip
        rows = connection.execute(_rows_statement(shape, len(spans), per_page), params)
        items = [ListRow.of(row, names) for row in rows]
    return Page(items, total, page, per_page, list(names.items()))


def export_rows(db_session: DbSession, event: Event, f: Filters | None = None):
    """Every matching registration with its economy and delegation, in APEC order (streamed)."""
    shape, params = _shape_and_params(event.id, f or Filters())
    params["with_firms"] = firms_counted(db_session, event.id)
    return db_session.execute(
        sa.select(Registration, Economy)
        .join(Economy, Economy.id == Registration.economy_id)
        .where(*_where(shape)).params(params)
        .order_by(Economy.sort_key, Registration.family_name, Registration.given_name, Registration.id)
        .execution_options(yield_per=500)
    )


def public_participants(db_session: DbSession, event: Event, page: int = 1, per_page: int = 200):
    """Approved participants who agreed to be listed: name, economy, organisation only."""
    where = (Registration.event_id == event.id, Registration.status == S.APPROVED,
             Registration.consent_list.is_(True), Registration.personal_data_purged_at.is_(None))
    total = db_session.scalar(sa.select(sa.func.count()).select_from(Registration).where(*where)) or 0
    pages = max(math.ceil(total / per_page), 1)
    page = min(max(page, 1), pages)
    rows = db_session.execute(
        sa.select(Registration.honorific, Registration.given_name, Registration.family_name,
                  Registration.name_local, Registration.organisation, Economy.name, Economy.name_zh)
        .join(Economy, Economy.id == Registration.economy_id)
        .where(*where)
        .order_by(Economy.sort_key, Registration.family_name, Registration.given_name, Registration.id)
        .limit(per_page).offset((page - 1) * per_page)
    ).all()
    return rows, total, page, pages


def user_registrations(db_session: DbSession, user: User) -> list[Registration]:
    return list(db_session.scalars(
        sa.select(Registration).where(Registration.user_id == user.id)
        .options(selectinload(Registration.event), selectinload(Registration.economy))
        .order_by(Registration.created_at.desc())
    ))


def has_active_registration(db_session: DbSession, event: Event, user: User) -> bool:
    return db_session.scalar(sa.select(Registration.id).where(
        Registration.event_id == event.id, Registration.user_id == user.id,
        Registration.status.in_((S.SUBMITTED, S.APPROVED, S.WAITLISTED))).limit(1)) is not None


def registration_for_user(db_session: DbSession, event: Event, user: User) -> Registration | None:
    """The user's active registration for the event, else their latest one."""
    regs = db_session.scalars(
        sa.select(Registration).where(Registration.event_id == event.id, Registration.user_id == user.id)
        .order_by(Registration.created_at.desc())
    ).all()
    for reg in regs:
        if reg.is_active:
            return reg
    return regs[0] if regs else None


def load_registration(db_session: DbSession, event: Event, registration_id: int) -> Registration | None:
    from eventhub.registration.models import RegistrationLog

    reg = db_session.scalar(
        sa.select(Registration).where(Registration.id == registration_id, Registration.event_id == event.id)
        .options(selectinload(Registration.economy), selectinload(Registration.delegation),
                 selectinload(Registration.log).selectinload(RegistrationLog.actor))
    )
    return reg
