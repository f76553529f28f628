"""A stamp per event that changes whenever what the staff registration list shows changes.

The list of a large event is kept between requests (see staff_list.py); this stamp says whether a
kept page is still right. Database triggers change it on every insert, update and delete of the
event's registrations and delegations and on any change to an economy, however the change is
written (ORM, bulk UPDATE, raw SQL), so no write path can forget it. An event without a stamp row
(none of its registrations or delegations changed since the table exists) has no kept page.

The stamp is a random number rather than a counter: a page kept for stamp S shows data at least as
new as S, and no later change can bring S back.

On PostgreSQL the trigger is deferred to COMMIT: a transaction that changes one event's list takes
that event's stamp row only while committing, after the delegation and registration rows it locked,
so registrations of one event do not queue on it while they work.

Keep the triggers when changing these tables: on SQLite, Alembic's batch mode rebuilds a table by
copying it, which drops its triggers (tests/test_migrations.py checks that they are there).
"""

from __future__ import annotations

import sqlalchemy as sa

from eventhub.db import Base
from eventhub.registration.models import RegistrationListStamp

TABLES = ("registrations", "delegations")
TRIGGERS = {
    "sqlite": [f"{table}_list_stamp_{op}" for table in TABLES for op in ("insert", "update", "delete")]
    + ["economies_list_stamp"],
    "postgresql": [f"{table}_list_stamp" for table in (*TABLES, "economies")],
}


def _sqlite_stamp(row: str, condition: str = "") -> str:
    return f"""INSERT INTO registration_list_stamps (event_id, stamp)
               SELECT id, random() FROM events WHERE id = {row}.event_id{condition}
               ON CONFLICT (event_id) DO UPDATE SET stamp = random();"""


SQLITE_DDL = [
    *(f"CREATE TRIGGER IF NOT EXISTS {table}_list_stamp_insert AFTER INSERT ON {table} BEGIN "
      f"{_sqlite_stamp('NEW')} END" for table in TABLES),
    # A row moved to another event changes both lists.
    *(f"CREATE TRIGGER IF NOT EXISTS {table}_list_stamp_update AFTER UPDATE ON {table} BEGIN "
      f"{_sqlite_stamp('NEW')} {_sqlite_stamp('OLD', ' AND OLD.event_id <> NEW.event_id')} END" for table in TABLES),
    *(f"CREATE TRIGGER IF NOT EXISTS {table}_list_stamp_delete AFTER DELETE ON {table} BEGIN "
      f"{_sqlite_stamp('OLD')} END" for table in TABLES),
    """CREATE TRIGGER IF NOT EXISTS economies_list_stamp AFTER UPDATE ON economies BEGIN
         UPDATE registration_list_stamps SET stamp = random();
       END""",
]

POSTGRESQL_DDL = [
    """CREATE OR REPLACE FUNCTION registration_list_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         INSERT INTO registration_list_stamps (event_id, stamp)
         SELECT id, (random() * 4e18)::bigint FROM events
         WHERE id IN (CASE WHEN TG_OP <> 'DELETE' THEN NEW.event_id END,
                      CASE WHEN TG_OP <> 'INSERT' THEN OLD.event_id END)
         ON CONFLICT (event_id) DO UPDATE SET stamp = excluded.stamp;
         RETURN NULL;
       END $$""",
    """CREATE OR REPLACE FUNCTION registration_list_stamps_all() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         UPDATE registration_list_stamps SET stamp = (random() * 4e18)::bigint;
         RETURN NULL;
       END $$""",
    *(statement for table in TABLES for statement in (
        f"DROP TRIGGER IF EXISTS {table}_list_stamp ON {table}",
        f"""CREATE CONSTRAINT TRIGGER {table}_list_stamp AFTER INSERT OR UPDATE OR DELETE ON {table}
            DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION registration_list_stamp()""")),
    "DROP TRIGGER IF EXISTS economies_list_stamp ON economies",
    """CREATE TRIGGER economies_list_stamp AFTER UPDATE ON economies
       FOR EACH STATEMENT EXECUTE FUNCTION registration_list_stamps_all()""",
]

DDL = {"sqlite": SQLITE_DDL, "postgresql": POSTGRESQL_DDL}

_STAMP = sa.select(RegistrationListStamp.stamp).where(RegistrationListStamp.event_id == sa.bindparam("event_id"))


def list_stamp(connection: sa.Connection, event_id: int) -> int | None:
    """The event's current stamp, or None while it has none (then nothing may be kept)."""
    return connection.execute(_STAMP, {"event_id": event_id}).scalar()


@sa.event.listens_for(Base.metadata, "after_create")
def _create_triggers(target, connection: sa.Connection, **_kw) -> None:
    # For schemas made by create_all() (tests); the migration makes the same triggers.
    for statement in DDL.get(connection.dialect.name, []):
        connection.exec_driver_sql(statement)
