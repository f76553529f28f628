#!/usr/bin/env bash
# `make bench-postgres`: the bench on a throw-away PostgreSQL cluster on loopback, started the way
# .ci/run starts the one the suite uses (needs Debian's postgresql package and root for runuser).
set -euo pipefail
cd "$(dirname "$0")/.."
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
PGDATA=$(mktemp -d /tmp/eventhub-bench-pg.XXXXXX)
PGPORT=${PGPORT:-54339}
chown postgres:postgres "$PGDATA"
runuser -u postgres -- "$PGBIN/initdb" -D "$PGDATA" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null
runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDATA" -w -l "$PGDATA/server.log" \
  -o "-p $PGPORT -k $PGDATA -c listen_addresses=127.0.0.1 -c max_connections=300" start >/dev/null
cleanup() { runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDATA" -m fast stop >/dev/null 2>&1 || true; rm -rf "$PGDATA"; }
trap cleanup EXIT
runuser -u postgres -- "$PGBIN/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -qc "CREATE DATABASE eventhub_bench"
BENCH_DATABASE_URL="postgresql://postgres@127.0.0.1:$PGPORT/eventhub_bench" "$@"
