#!/usr/bin/env bash
# Runs a command with a throw-away PostgreSQL server: initialises a cluster in a temporary folder,
# starts it on a free loopback port, exports PORTCULLIS_TEST_POSTGRES_URL for the command, and
# stops and deletes the cluster afterwards, whatever the command's outcome.
#
#   scripts/with-postgres.sh cargo nextest run --workspace
#
# With PORTCULLIS_TEST_POSTGRES_URL already set, that server is used and nothing is started.
# PostgreSQL comes from Debian's packages and is installed if missing.
set -euo pipefail

if [[ -n "${PORTCULLIS_TEST_POSTGRES_URL:-}" ]]; then
  exec "$@"
fi

pg_bin() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1
}

bin=$(pg_bin)
if [[ -z "$bin" || ! -x "$bin/initdb" ]]; then
  echo "with-postgres: installing PostgreSQL from Debian's packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq postgresql >/dev/null
  bin=$(pg_bin)
fi

dir=$(mktemp -d /tmp/portcullis-pg.XXXXXX)
# PostgreSQL refuses to run as root; as root, the cluster belongs to the `postgres` user.
as_owner() {
  if [[ $(id -u) -eq 0 ]]; then
    chown -R postgres "$dir"
    su postgres -s /bin/bash -c "$(printf '%q ' "$@")"
  else
    "$@"
  fi
}

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

cleanup() {
  as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT

as_owner "$bin/initdb" -D "$dir/data" -A trust -U postgres --no-sync >"$dir/initdb.log" 2>&1 ||
  { cat "$dir/initdb.log" >&2; exit 1; }
# fsync off: the cluster is thrown away, and tests that need durability start their own.
as_owner "$bin/pg_ctl" -D "$dir/data" -w -l "$dir/server.log" \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null ||
  { cat "$dir/server.log" >&2; exit 1; }

export PORTCULLIS_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$port/postgres"
echo "with-postgres: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
"$@"
