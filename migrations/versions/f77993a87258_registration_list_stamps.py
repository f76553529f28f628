"""registration list stamps: a per-event stamp kept by triggers, for the staff list's page cache

Revision ID: f77993a87258
Revises: 2e68f6fb3984
Create Date: 2026-11-22 00:00:00.256267

The triggers are written out here rather than imported from eventhub.registration.list_stamps:
a migration is a record of what the schema was at this revision.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f77993a87258'
down_revision = '2e68f6fb3984'
branch_labels = None
depends_on = None

TABLES = ("registrations", "delegations")


def _sqlite_stamp(row, condition=""):
    return f"""INSERT INTO registration_list_stamps (event_id, stamp)
               SELECT id, random() FROM events WHERE id = {row}.event_id{condition}
               ON CONFLICT (event_id) DO UPDATE SET stamp = random();"""


SQLITE = [
    *(f"CREATE TRIGGER {table}_list_stamp_insert AFTER INSERT ON {table} BEGIN "
      f"{_sqlite_stamp('NEW')} END" for table in TABLES),
    *(f"CREATE TRIGGER {table}_list_stamp_update AFTER UPDATE ON {table} BEGIN "
      f"{_sqlite_stamp('NEW')} {_sqlite_stamp('OLD', ' AND OLD.event_id <> NEW.event_id')} END" for table in TABLES),
    *(f"CREATE TRIGGER {table}_list_stamp_delete AFTER DELETE ON {table} BEGIN "
      f"{_sqlite_stamp('OLD')} END" for table in TABLES),
    """CREATE TRIGGER economies_list_stamp AFTER UPDATE ON economies BEGIN
         UPDATE registration_list_stamps SET stamp = random();
       END""",
    "INSERT INTO registration_list_stamps (event_id, stamp) SELECT id, random() FROM events",
]

POSTGRESQL = [
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
    *(f"""CREATE CONSTRAINT TRIGGER {table}_list_stamp AFTER INSERT OR UPDATE OR DELETE ON {table}
          DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION registration_list_stamp()"""
      for table in TABLES),
    """CREATE TRIGGER economies_list_stamp AFTER UPDATE ON economies
       FOR EACH STATEMENT EXECUTE FUNCTION registration_list_stamps_all()""",
    "INSERT INTO registration_list_stamps (event_id, stamp) SELECT id, (random() * 4e18)::bigint FROM events",
]


def upgrade():
    op.create_table('registration_list_stamps',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('stamp', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_registration_list_stamps_event_id_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('event_id', name=op.f('pk_registration_list_stamps'))
    )
    dialect = op.get_bind().dialect.name
    for statement in {"sqlite": SQLITE, "postgresql": POSTGRESQL}.get(dialect, []):
        op.execute(statement)


def downgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for table in TABLES:
            for op_ in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_list_stamp_{op_}")
        op.execute("DROP TRIGGER IF EXISTS economies_list_stamp")
    elif dialect == "postgresql":
        for table in (*TABLES, "economies"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_list_stamp ON {table}")
        op.execute("DROP FUNCTION IF EXISTS registration_list_stamp()")
        op.execute("DROP FUNCTION IF EXISTS registration_list_stamps_all()")
    op.drop_table('registration_list_stamps')
