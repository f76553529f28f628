"""eventhub.db helpers: ending a read phase before a request's writes."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from eventhub.db import end_read_phase, set_write_intent
from eventhub.economies.models import Economy
from eventhub.extensions import db


def test_end_read_phase_keeps_what_was_read_and_opens_a_write_transaction(app, query_counter):
    set_write_intent(False)
    economy = db.session.scalar(sa.select(Economy).where(Economy.code == "THA"))
    statements: list[str] = []

    def record(conn, cursor, statement, *args):
        statements.append(statement.strip().upper())

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        end_read_phase(db.session)
        with query_counter() as q:
            assert economy.name == "Thailand"  # still loaded: nothing is read again
        assert q.count == 0
        economy.name = "Thailand (renamed)"
        db.session.commit()
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
        set_write_intent(False)
    if db.engine.dialect.name == "sqlite":  # the write waited for SQLite's write lock up front
        assert "BEGIN IMMEDIATE" in statements
    db.session.expire_all()
    assert db.session.scalar(sa.select(Economy.name).where(Economy.code == "THA")) == "Thailand (renamed)"


def test_end_read_phase_refuses_after_unsaved_changes(app):
    economy = db.session.scalar(sa.select(Economy).where(Economy.code == "THA"))
    economy.name = "changed but not written"
    with pytest.raises(RuntimeError, match="after changes"):
        end_read_phase(db.session)
    db.session.rollback()
