"""Economy reference data: loading and editing."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session as DbSession

from eventhub.economies import data
from eventhub.economies.models import Economy, TravelEligibility


def load_reference_data(db_session: DbSession) -> int:
    """Insert the reference economies that are missing (matched by code). Returns how many were added.

    Existing rows are left as they are: an admin may have edited names or order.
    """
    existing = {code for code in db_session.scalars(sa.select(Economy.code))}
    added = 0
    for code, name, kind, sort_key in data.reference_rows():
        if code in existing:
            continue
        economy = Economy(code=code, name=name, name_zh=data.CHINESE_NAMES.get(code, ""), kind=kind,
                          sort_key=sort_key)
        if code in data.TRAVEL_ELIGIBLE:
            economy.eligibility.append(TravelEligibility(effective_from=date.fromisoformat(data.TRAVEL_ELIGIBLE_FROM)))
        db_session.add(economy)
        added += 1
    db_session.flush()
    return added


def economies_in_order(db_session: DbSession, *, active_only: bool = True) -> list[Economy]:
    query = sa.select(Economy).order_by(Economy.sort_key, Economy.id)
    if active_only:
        query = query.where(Economy.active.is_(True))
    return list(db_session.scalars(query))


def by_code(db_session: DbSession, code: str) -> Economy | None:
    return db_session.scalar(sa.select(Economy).where(Economy.code == code))


# --- Editing (site admins) ----------------------------------------------------------------------------

def save_economy(
    db_session: DbSession, economy: Economy | None, *, code: str, name: str, kind, sort_key: int, active: bool,
    name_zh: str | None = None,
) -> Economy:
    """Create (economy=None) or update an economy. Codes and names are unique, case-insensitively."""
    from eventhub.economies.models import EconomyKind
    from eventhub.errors import Conflict, DomainError

    code, name = (code or "").strip().upper(), " ".join((name or "").split())
    if not code:
        raise DomainError(_("Enter the customary abbreviation, e.g. PRC."), field="code")
    if len(code) > 12:
        raise DomainError(_("Use at most %(limit)d characters.", limit=12), field="code")
    if not name:
        raise DomainError(_("Enter the economy's official name."), field="name")
    if len(name) > 120:
        raise DomainError(_("Use at most %(limit)d characters.", limit=120), field="name")
    if name_zh is not None:
        name_zh = " ".join(name_zh.split())
        if len(name_zh) > 120:
            raise DomainError(_("Use at most %(limit)d characters.", limit=120), field="name_zh")
    if sort_key is None or not (0 <= sort_key <= 1_000_000):
        raise DomainError(_("Enter a whole number from 0 to 1,000,000."), field="sort_key")
    own_id = economy.id if economy is not None else -1
    if db_session.scalar(sa.select(Economy.id).where(sa.func.upper(Economy.code) == code, Economy.id != own_id)):
        raise Conflict(_("Another entry already uses the code %(code)s.", code=code), field="code")
    if db_session.scalar(sa.select(Economy.id).where(sa.func.lower(Economy.name) == name.lower(),
                                                     Economy.id != own_id)):
        raise Conflict(_("Another entry is already called “%(name)s”.", name=name), field="name")
    if economy is None:
        economy = Economy()
        db_session.add(economy)
    economy.code, economy.name, economy.kind = code, name, EconomyKind(kind)
    economy.sort_key, economy.active = sort_key, bool(active)
    if name_zh is not None:  # empty: Chinese readers see the official name
        economy.name_zh = name_zh
    db_session.flush()
    return economy


def add_eligibility(db_session: DbSession, economy: Economy, effective_from: date, effective_to: date | None):
    """Make an economy travel-eligible for a period. Periods of one economy may not overlap."""
    from eventhub.errors import DomainError

    if effective_from is None:
        raise DomainError(_("Enter the date from which the economy is eligible."), field="effective_from")
    if effective_to is not None and effective_to < effective_from:
        raise DomainError(_("The period cannot end before it starts."), field="effective_to")
    far = date.max
    for period in economy.eligibility:
        if effective_from <= (period.effective_to or far) and period.effective_from <= (effective_to or far):
            until = period.effective_to.isoformat() if period.effective_to else _("open-ended")
            raise DomainError(
                _("This overlaps the period from %(start)s (%(until)s). End that period first.",
                  start=period.effective_from.isoformat(), until=until), field="effective_from")
    period = TravelEligibility(economy_id=economy.id, effective_from=effective_from, effective_to=effective_to)
    db_session.add(period)
    db_session.flush()
    return period


def remove_eligibility(db_session: DbSession, economy: Economy, period_id: int) -> None:
    from eventhub.errors import NotFound

    period = db_session.get(TravelEligibility, period_id)
    if period is None or period.economy_id != economy.id:
        raise NotFound(_("No such period."))
    db_session.delete(period)
    db_session.flush()


def is_travel_eligible(economy: Economy, on: date) -> bool:
    """Whether the economy is travel-eligible on a day (uses the loaded eligibility periods)."""
    return any(p.effective_from <= on and (p.effective_to is None or on <= p.effective_to)
               for p in economy.eligibility)
