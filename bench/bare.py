"""The baseline: a bare Flask endpoint doing one insert, served exactly like EventHub.

Figures in `make bench` are ratios against this endpoint measured in the same run, so they
survive a noisy machine.
"""

import os

import sqlalchemy as sa
from flask import Flask

url = os.environ["BARE_DATABASE_URL"]
engine = sa.create_engine(url, pool_pre_ping=not url.startswith("sqlite"))  # as EventHub does


@sa.event.listens_for(engine, "connect")
def _sqlite_settings(dbapi_conn, _record):
    # The same durability and locking settings EventHub uses, so the comparison is like for like.
    if engine.dialect.name == "sqlite":
        cur = dbapi_conn.cursor()
        for pragma in ("journal_mode=WAL", "foreign_keys=ON", "busy_timeout=30000", "synchronous=NORMAL"):
            cur.execute(f"PRAGMA {pragma}")
        cur.close()

hits = sa.Table("bench_hits", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True),
                sa.Column("path", sa.String(100)))

app = Flask(__name__)


@app.route("/bare", methods=["GET", "POST"])
def bare():
    with engine.begin() as conn:
        conn.execute(hits.insert().values(path="/bare"))
    return "ok"
