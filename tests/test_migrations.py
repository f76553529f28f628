"""The schema comes from Alembic: a fresh database upgraded to head matches the models exactly."""

import os
import uuid

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from eventhub import create_app
from eventhub.extensions import db
from tests.conftest import ON_POSTGRES


@pytest.fixture
def empty_database_url(tmp_path):
    if not ON_POSTGRES:
        yield f"sqlite:///{tmp_path / 'migrated.db'}"
        return
    import psycopg

    from eventhub.config import normalise_database_url

    base = os.environ["TEST_DATABASE_URL"]
    name = f"eventhub_migrations_{uuid.uuid4().hex[:8]}"
    admin_url = base.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield normalise_database_url(base.rsplit("/", 1)[0] + "/" + name)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _triggers() -> set[str]:
    with db.engine.connect() as conn:
        if db.engine.dialect.name == "sqlite":
            rows = conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        else:
            rows = conn.exec_driver_sql("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        return {name for (name,) in rows}


def test_upgraded_schema_matches_the_models_and_downgrades(empty_database_url):
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), db.metadata)
        assert diff == [], f"models and migrations differ; run `flask db migrate`: {diff}"
        # Triggers are not in the models' metadata: the staff list's stamps depend on them.
        from eventhub.registration.list_stamps import TRIGGERS

        assert set(TRIGGERS[db.engine.dialect.name]) <= _triggers(), "a migration dropped the list stamp triggers"
        # The demo loads on the migrated schema, twice, without duplicating anything.
        from eventhub.db import write_intent
        from eventhub.demo import load_demo

        counts = []
        for _ in range(2):
            with write_intent():
                load_demo(db.session, "demo-password")
                db.session.commit()
            counts.append({t.name: db.session.execute(sa.select(sa.func.count()).select_from(t)).scalar()
                           for t in db.metadata.sorted_tables if t.name != "mail_outbox"})
        assert counts[0] == counts[1]
        assert counts[0]["registrations"] > 20 and counts[0]["sessions"] > 5
        db.session.remove()
        downgrade(revision="base")
        assert set(sa.inspect(db.engine).get_table_names()) <= {"alembic_version"}
        assert not _triggers()
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect() as conn:
                assert not conn.exec_driver_sql(
                    "SELECT proname FROM pg_proc WHERE proname IN ('registration_list_stamp', 'registration_list_stamps_all')").all()
        db.engine.dispose()
