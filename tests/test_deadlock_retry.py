"""A request that PostgreSQL rolls back as a deadlock victim runs again instead of answering 500."""

import psycopg
from sqlalchemy.exc import OperationalError

from eventhub.extensions import db


def test_a_deadlock_victim_runs_again_and_succeeds(app, client):
    calls = []

    @app.route("/test-only/deadlocks-once", methods=["POST"])
    def deadlocks_once():
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("UPDATE sessions …", {}, psycopg.errors.DeadlockDetected("deadlock detected"))
        db.session.commit()
        return "booked"

    response = client.post("/test-only/deadlocks-once")
    assert response.status_code == 200 and response.get_data(as_text=True) == "booked"
    assert len(calls) == 2


def test_a_request_that_keeps_deadlocking_gets_the_try_again_page(app, client):
    @app.route("/test-only/always-deadlocks", methods=["POST"])
    def always_deadlocks():
        raise OperationalError("UPDATE …", {}, psycopg.errors.SerializationFailure("could not serialize"))

    response = client.post("/test-only/always-deadlocks")
    assert response.status_code == 503
    assert "Try again in a moment" in response.get_data(as_text=True)


def test_other_database_errors_are_not_retried(app, client):
    calls = []

    @app.route("/test-only/broken", methods=["POST"])
    def broken():
        calls.append(1)
        raise OperationalError("SELECT …", {}, psycopg.errors.UndefinedTable("no such table"))

    assert client.post("/test-only/broken").status_code == 503
    assert len(calls) == 1
