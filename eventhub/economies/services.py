"""Economy reference data: loading and editing."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
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
        economy = Economy(code=code, name=name, kind=kind, sort_key=sort_key)
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
