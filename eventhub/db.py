"""Declarative base, column types and mixins shared by every model.

Datetimes are stored in UTC and always come back timezone-aware. Enums are stored as
their string values with a CHECK constraint, so the database refuses an unknown state.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, scoped_session

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(sa.types.TypeDecorator):
    """A timezone-aware datetime stored as UTC. Naive values are refused, never guessed."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value!r}: EventHub stores timezone-aware datetimes only")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def str_enum(enum_cls: type[enum.Enum], name: str | None = None) -> sa.Enum:
    """A str Enum stored as its value in a VARCHAR with a CHECK constraint."""
    return sa.Enum(
        enum_cls,
        name=name or enum_cls.__name__.lower(),
        native_enum=False,
        create_constraint=True,
        length=max(len(m.value) for m in enum_cls),
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
    )


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), default=utcnow, onupdate=utcnow, nullable=False
    )


# --- SQLite: pragmas and write transactions -------------------------------------------------------
#
# A SQLite transaction that reads first and writes later fails with "database is locked" as soon
# as another writer commits in between (WAL cannot upgrade a stale snapshot). Requests that change
# state therefore open their transaction with BEGIN IMMEDIATE, which waits for the write lock
# (busy timeout) before reading anything. Reads keep plain deferred transactions.

_write_intent: ContextVar[bool] = ContextVar("eventhub_write_intent", default=False)


def set_write_intent(value: bool) -> None:
    _write_intent.set(value)


def end_read_phase(db_session) -> None:
    """End a request's read-only transaction so that its writes run in a short one of their own.

    For paths that many clients hit at once (the scanner API): holding SQLite's write lock while
    reading would queue every other writer behind this request. The view reads in a plain
    transaction, calls this, and its next statement opens a write transaction (BEGIN IMMEDIATE on
    SQLite). Objects loaded so far stay usable; what the writes rely on must be guarded by the
    database (unique indexes, conditional updates), not by the earlier reads.
    """
    session = db_session() if isinstance(db_session, scoped_session) else db_session
    if session.new or session.dirty or session.deleted:
        raise RuntimeError("end_read_phase() after changes: they would be committed on their own")
    commit_keeping_loaded(session)
    set_write_intent(True)


def commit_keeping_loaded(db_session) -> None:
    """Commit without expiring the objects loaded so far, so that what is built from them next
    (an answer, a page) needs no second read: for a short write transaction, ended before the
    answer is built."""
    session = db_session() if isinstance(db_session, scoped_session) else db_session
    expire = session.expire_on_commit
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = expire


@contextmanager
def write_intent() -> Iterator[None]:
    token = _write_intent.set(True)
    try:
        yield
    finally:
        _write_intent.reset(token)


def configure_sqlite(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        # Let SQLAlchemy emit BEGIN itself (below) instead of pysqlite's implicit handling.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE" if _write_intent.get() else "BEGIN")


def claim_queued(db_session, model, pending, now: datetime, *, limit: int, lease: timedelta) -> list[int]:
    """Claim up to `limit` due rows of a delivery queue (the mail outbox, webhook deliveries) for
    this worker, exactly once however many workers ask together; the caller commits at once.

    `model` has `id`, `status`, `next_attempt_at` and `attempts`; `pending` is its waiting status.
    The claim moves `next_attempt_at` one lease ahead, and the outer WHERE re-checks it: on
    PostgreSQL a second worker that waited on the same row locks re-evaluates only the outer WHERE
    against the committed row, so a condition the claim itself changes is what stops it from taking
    the rows again (re-checking `status`, which the claim leaves alone, did not). SKIP LOCKED lets
    that worker take the next rows instead of waiting. If a worker dies mid-send, its rows are due
    again when the lease ends.
    """
    due = (sa.select(model.id).where(model.status == pending, model.next_attempt_at <= now)
           .order_by(model.id).limit(limit))
    chosen = due.scalar_subquery()
    if db_session.get_bind().dialect.name == "postgresql":
        # In a CTE: PostgreSQL may run a LIMIT … SKIP LOCKED sub-select of IN (…) more than once and
        # so claim more than `limit` rows; a CTE that locks rows is run once (it is never inlined).
        chosen = sa.select(due.with_for_update(skip_locked=True).cte("due").c.id)
    return list(db_session.scalars(
        sa.update(model)
        .where(model.id.in_(chosen), model.status == pending, model.next_attempt_at <= now)
        .values(next_attempt_at=now + lease, attempts=model.attempts + 1)
        .returning(model.id)
        .execution_options(synchronize_session=False)
    ).all())
