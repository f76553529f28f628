"""A stamp per event that changes whenever what the staff registration list shows changes.

The list of a large event is kept between requests (see staff_list.py); this stamp says whether a
kept page is still right. Database triggers change it on every insert, update and delete of the
event's registrations and delegations and on any change to an economy, however the change is
written (ORM, bulk UPDATE, raw SQL), so no write path can forget it.

The stamp is a random number rather than a counter: a page kept for stamp S shows data at least as
new as S, and no later change can bring S back, even if the database is recreated.

On PostgreSQL the trigger is deferred to COMMIT: concurrent transactions then meet on the stamp row
only while committing, when they no longer wait for anything else (no deadlock with the delegation
and registration row locks they take before).
"""

from __future__ import annotations

import sqlalchemy as sa

from eventhub.db import Base
from eventhub.registration.models import RegistrationListStamp

TABLES = ("registrations", "delegations")

SQLITE_DDL = [
    *(f"""CREATE TRIGGER IF NOT EXISTS {table}_list_stamp_{op.lower()} AFTER {op} ON {table} BEGIN
            INSERT INTO registration_list_stamps (event_id, stamp)
            SELECT id, random() FROM events WHERE id = {row}.event_id
            ON CONFLICT (event_id) DO UPDATE SET stamp = random();
          END""" for table in TABLES for op, row in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD"))),
    """CREATE TRIGGER IF NOT EXISTS economies_list_stamp AFTER UPDATE ON economies BEGIN
         UPDATE registration_list_stamps SET stamp = random();
       END""",
]

POSTGRESQL_DDL = [
    """CREATE OR REPLACE FUNCTION registration_list_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         INSERT INTO registration_list_stamps (event_id, stamp)
         SELECT id, (random() * 4e18)::bigint FROM events
         WHERE id = CASE WHEN TG_OP = 'DELETE' THEN OLD.event_id ELSE NEW.event_id END
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
    """CREATE OR REPLACE TRIGGER economies_list_stamp AFTER UPDATE ON economies
       FOR EACH STATEMENT EXECUTE FUNCTION registration_list_stamps_all()""",
]

DDL = {"sqlite": SQLITE_DDL, "postgresql": POSTGRESQL_DDL}

_STAMP = sa.select(RegistrationListStamp.stamp).where(RegistrationListStamp.event_id == sa.bindparam("event_id"))


def list_stamp(connection: sa.Connection, event_id: int) -> int:
    """The event's current stamp (0 before its first registration or delegation)."""
    return connection.execute(_STAMP, {"event_id": event_id}).scalar() or 0


@sa.event.listens_for(Base.metadata, "after_create")
def _create_triggers(target, connection: sa.Connection, **_kw) -> None:
    # For schemas made by create_all() (tests); the migration makes the same triggers.
    for statement in DDL.get(connection.dialect.name, []):
        connection.exec_driver_sql(statement)
