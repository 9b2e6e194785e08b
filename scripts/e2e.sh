#!/usr/bin/env bash
# Runs the Playwright tests in Chromium against freshly started servers, one per project, each on
# a free port and its own throw-away database, so the whole suite runs on both backends:
#   hydrated  (JavaScript on)  -> SQLite file
#   no-js     (JavaScript off) -> PostgreSQL database in a throw-away cluster (scripts/with-postgres.sh)
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ -z "${PORTCULLIS_TEST_POSTGRES_URL:-}" ]]; then
  exec scripts/with-postgres.sh "$0" "$@"
fi
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)

scripts/build-site.sh debug

work=$(mktemp -d /tmp/portcullis-e2e.XXXXXX)
cleanup() {
  for name in hydrated nojs; do
    rm -f "$work/$name.restart"
    [ -f "$work/$name.pid" ] && kill "$(cat "$work/$name.pid")" 2>/dev/null || true
  done
  wait 2>/dev/null || true
  if [ -n "${KEEP_E2E:-}" ]; then
    echo "kept $work and PostgreSQL database ${pg_database:-}" >&2
  else
    rm -rf "$work"
    if [ -n "${pg_database:-}" ]; then
      "$pg_bin/psql" -q "$PORTCULLIS_TEST_POSTGRES_URL" -c "DROP DATABASE IF EXISTS $pg_database WITH (FORCE)" >/dev/null || true
    fi
  fi
}
trap cleanup EXIT

# A database of its own on the cluster (which may be shared with other test runs).
pg_database="portcullis_e2e_$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
"$pg_bin/psql" -q -v ON_ERROR_STOP=1 "$PORTCULLIS_TEST_POSTGRES_URL" -c "CREATE DATABASE $pg_database" >/dev/null
nojs_database_url="${PORTCULLIS_TEST_POSTGRES_URL%/*}/$pg_database"
declare -A database_url=([hydrated]="sqlite:$work/hydrated.db" [nojs]="$nojs_database_url")
# PostgreSQL needs a named master key file (SQLite's would be generated beside its database; the
# server tests cover that); each server gets its own.
for name in hydrated nojs; do
  od -An -N32 -tx1 /dev/urandom | tr -d ' \n' >"$work/$name.master.key"
  chmod 600 "$work/$name.master.key"
done

# Runs one server in the background. A test can restart it (support.ts `restartServer`): it creates
# `$work/<name>.restart` and stops the server, which then starts again on the same port and
# database. Without that file an exit is final, so a server that crashes is not hidden.
start_server() {
  local name=$1
  (
    addr=127.0.0.1:0
    while :; do
      DATABASE_URL="${database_url[$name]}" PORTCULLIS_MASTER_KEY_FILE="$work/$name.master.key" PORTCULLIS_ADDR=$addr LEPTOS_SITE_ROOT=target/site \
        PORTCULLIS_SIGN_IN_RATE_LIMIT=${E2E_SIGN_IN_RATE_LIMIT:-100000} PORTCULLIS_LOG=info target/debug/portcullis >>"$work/$name.log" 2>&1 &
      echo $! >"$work/$name.pid"
      wait $! || true
      [ -e "$work/$name.restart" ] || break
      rm -f "$work/$name.restart"
      addr=$(sed -n 's/.*serving the console on http:\/\/\([^ /]*\).*/\1/p' "$work/$name.log" | head -n1)
    done
  ) &
}

server_url() {
  local name=$1 url=""
  for _ in $(seq 1 300); do
    url=$(sed -n 's/.*serving the console on \(http:[^ ]*\).*/\1/p' "$work/$name.log" 2>/dev/null | head -n1)
    [ -n "$url" ] && { echo "$url"; return 0; }
    sleep 0.1
  done
  echo "the $name server did not start; its log:" >&2
  cat "$work/$name.log" >&2
  return 1
}

start_server hydrated
start_server nojs
E2E_HYDRATED_URL=$(server_url hydrated)
E2E_NOJS_URL=$(server_url nojs)
export E2E_HYDRATED_URL E2E_NOJS_URL
export E2E_HYDRATED_LOG="$work/hydrated.log" E2E_NOJS_LOG="$work/nojs.log" E2E_WORK="$work"
# support.ts `databaseText` reads a SQLite file directly and dumps a PostgreSQL database with pg_dump.
export E2E_HYDRATED_DB="$work/hydrated.db" E2E_NOJS_DB="$nojs_database_url" E2E_PG_DUMP="$pg_bin/pg_dump"

cd end2end
# Results (traces) go to this run's own folder, so runs side by side don't delete each other's; a
# later `--output` among the arguments wins.
npx playwright test --output="$work/test-results" "$@"
