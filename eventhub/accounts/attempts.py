"""The log-in limit, counted in the database so that it holds across workers and hosts.

flask-limiter's default storage is a worker's memory: with three gunicorn workers about thirty
attempts a minute got through a limit of ten. Here every attempt is a row in `login_attempts`,
committed before it is counted, so two workers (or hosts) that take attempts at the same moment
each see the other's: at most the limit passes in any window, on SQLite as on PostgreSQL.
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from limits import parse as parse_limit
from sqlalchemy.orm import Session as DbSession

from eventhub.accounts.models import LoginAttempt
from eventhub.db import utcnow


def limit_of(setting: str) -> tuple[int, timedelta]:
    """(attempts, window) of a setting such as "10 per minute" or "5/30 seconds"."""
    item = parse_limit(setting)
    return item.amount, timedelta(seconds=item.get_expiry())


def take_attempt(db_session: DbSession, key: str, *, amount: int, window: timedelta) -> bool:
    """Record one attempt for `key`; True while at most `amount` were made in the last `window`.

    Commits: the attempt must be visible to every other worker before it is counted. Call it
    before the request does any other work in its session.
    """
    now = utcnow()
    db_session.execute(sa.delete(LoginAttempt).where(LoginAttempt.at < now - window))
    db_session.add(LoginAttempt(key=key[:120], at=now))
    db_session.commit()
    made = db_session.scalar(
        sa.select(sa.func.count()).select_from(LoginAttempt)
        .where(LoginAttempt.key == key[:120], LoginAttempt.at > now - window)
    )
    return made <= amount
