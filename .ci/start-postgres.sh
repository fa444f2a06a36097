#!/usr/bin/env bash
# Installs (Debian's postgresql, non-interactively), starts a local PostgreSQL cluster, creates the test
# role and database, and prints the URL the PostgreSQL tests read (TEST_POSTGRES_URL). Idempotent.
# Everything but the URL goes to stderr.
set -euo pipefail
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
as_postgres() { if [ "$(id -u)" -eq 0 ]; then su postgres -c "$1"; else sudo -u postgres bash -c "$1"; fi; }
if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq >&2
  $SUDO apt-get install -y -qq postgresql >&2
fi
ver="$(ls /usr/lib/postgresql | sort -V | tail -1)"
if ! pg_lsclusters -h | grep -q "^$ver main"; then $SUDO pg_createcluster "$ver" main >&2; fi
if ! pg_lsclusters -h | grep -q "^$ver main .* online"; then $SUDO pg_ctlcluster "$ver" main start >&2; fi
port="$(pg_lsclusters -h | awk -v v="$ver" '$1 == v && $2 == "main" { print $3 }')"
as_postgres "psql -p $port -qtAc \"SELECT 1 FROM pg_roles WHERE rolname = 'adk_test'\" | grep -q 1 || psql -p $port -qc \"CREATE ROLE adk_test LOGIN PASSWORD 'adk_test'\"" >&2
as_postgres "psql -p $port -qtAc \"SELECT 1 FROM pg_database WHERE datname = 'adk_test'\" | grep -q 1 || createdb -p $port -O adk_test adk_test" >&2
as_postgres "psql -p $port -qc 'ALTER DATABASE adk_test OWNER TO adk_test' && psql -p $port -d adk_test -qc 'GRANT ALL ON SCHEMA public TO adk_test'" >&2
echo "postgresql://adk_test:adk_test@127.0.0.1:$port/adk_test"
