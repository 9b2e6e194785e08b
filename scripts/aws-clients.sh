#!/usr/bin/env bash
# Drives the AWS Query API (`POST /`, Signature Version 4) with the real AWS CLI and boto3: the
# unittest suite in end2end/aws runs against two freshly started servers, each on a free port with
# its own throw-away database:
#   sqlite    -> a SQLite file in a temporary folder
#   postgres  -> a database of its own in a throw-away cluster (scripts/with-postgres.sh)
# Before a server starts, the CLI creates the root user and a root access key on its database; the
# tests sign with that key and mint user keys with `portcullis create-access-key --user-name`.
#
#   scripts/aws-clients.sh                      builds the server, runs both backends
#   PORTCULLIS_BIN=/tmp/portcullis scripts/aws-clients.sh   uses that binary, builds nothing
#   AWS_CLIENTS_BACKENDS=sqlite scripts/aws-clients.sh      one backend only
#   scripts/aws-clients.sh test_users.UsersTest.test_delete_user   arguments select tests
#
# The clients (pinned in tools/aws-clients/requirements.txt) live in the venv tools/aws-venv,
# created when missing and again when the requirements change. KEEP_AWS_CLIENTS=1 keeps the work
# folder, logs and PostgreSQL database.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ -z "${PORTCULLIS_TEST_POSTGRES_URL:-}" ]]; then
  exec scripts/with-postgres.sh "$0" "$@"
fi
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)

say() { printf '==> %s\n' "$*" >&2; }

# The AWS clients, in their own venv; the stamp holds the hash of the requirements it was made from.
venv=tools/aws-venv
requirements=tools/aws-clients/requirements.txt
stamp=$venv/.requirements.sha256
want=$(sha256sum "$requirements" | cut -d' ' -f1)
if [[ ! -x $venv/bin/aws || ! -f $stamp || "$(cat "$stamp")" != "$want" ]]; then
  say "installing the AWS clients into $venv ($requirements)"
  rm -rf "$venv"
  nice -n 10 python3 -m venv "$venv"
  # Every package is pinned, dependencies included: --no-deps installs exactly those, and
  # `pip check` fails if one is missing or does not fit.
  nice -n 10 "$venv/bin/pip" install --quiet --disable-pip-version-check --no-deps -r "$requirements"
  nice -n 10 "$venv/bin/pip" check --disable-pip-version-check
  echo "$want" >"$stamp"
fi
# The venv ignores itself in git, as venvs from Python 3.13 on do.
[[ -f $venv/.gitignore ]] || echo '*' >"$venv/.gitignore"

if [[ -z "${PORTCULLIS_BIN:-}" ]]; then
  cargo build -p server --bin portcullis
  PORTCULLIS_BIN=target/debug/portcullis
fi
PORTCULLIS_BIN=$(realpath "$PORTCULLIS_BIN")

account_id=123456789012
root_password='Root-password-1234'
backends=${AWS_CLIENTS_BACKENDS:-sqlite postgres}

work=$(mktemp -d /tmp/portcullis-aws.XXXXXX)
pg_database=""
server_pid=""
stop_server() {
  if [[ -n "$server_pid" ]]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
  fi
}
cleanup() {
  stop_server
  if [[ -n "${KEEP_AWS_CLIENTS:-}" ]]; then
    echo "kept $work and PostgreSQL database ${pg_database:-}" >&2
  else
    rm -rf "$work"
    if [[ -n "$pg_database" ]]; then
      "$pg_bin/psql" -q "$PORTCULLIS_TEST_POSTGRES_URL" -c "DROP DATABASE IF EXISTS $pg_database WITH (FORCE)" >/dev/null || true
    fi
  fi
}
trap cleanup EXIT

for backend in $backends; do
  case $backend in
    sqlite) ;;
    postgres)
      # A database of its own on the cluster (which may be shared with other test runs).
      pg_database="portcullis_aws_$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
      "$pg_bin/psql" -q -v ON_ERROR_STOP=1 "$PORTCULLIS_TEST_POSTGRES_URL" -c "CREATE DATABASE $pg_database" >/dev/null
      ;;
    *) echo "unknown backend $backend (sqlite or postgres)" >&2; exit 2 ;;
  esac
done

database_url() {
  case $1 in
    sqlite) echo "sqlite:$work/sqlite.db" ;;
    postgres) echo "${PORTCULLIS_TEST_POSTGRES_URL%/*}/$pg_database" ;;
  esac
}

# Runs the suite against one backend, in a subshell of its own so that a failing setup step (under
# `set -e`) fails this backend only; returns non-zero when the setup or a test failed. Prints
# `<backend>: N passed, N failed, N skipped` (end2end/aws/run.py) and appends it to $work/summary.
run_backend() {
  local backend=$1 url log key_json
  shift
  local db key_file="$work/$backend.master.key"
  db=$(database_url "$backend")
  log="$work/$backend.log"
  trap stop_server EXIT
  od -An -N32 -tx1 /dev/urandom | tr -d ' \n' >"$key_file"
  chmod 600 "$key_file"
  export DATABASE_URL="$db" PORTCULLIS_MASTER_KEY_FILE="$key_file" PORTCULLIS_ACCOUNT_ID=$account_id

  say "$backend: creating the root user and its access key"
  printf '%s\n' "$root_password" | "$PORTCULLIS_BIN" create-root --email root@example.com
  key_json=$("$PORTCULLIS_BIN" create-access-key)
  local key_id secret
  key_id=$(python3 -c 'import json, sys; print(json.load(sys.stdin)["AccessKey"]["AccessKeyId"])' <<<"$key_json")
  secret=$(python3 -c 'import json, sys; print(json.load(sys.stdin)["AccessKey"]["SecretAccessKey"])' <<<"$key_json")

  PORTCULLIS_ADDR=127.0.0.1:0 PORTCULLIS_LOG=info LEPTOS_SITE_ROOT=target/site \
    "$PORTCULLIS_BIN" >"$log" 2>&1 &
  server_pid=$!
  url=""
  for _ in $(seq 1 300); do
    url=$(sed -n 's/.*serving the console on \(http:[^ ]*\).*/\1/p' "$log" | head -n1)
    [[ -n "$url" ]] && break
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  if [[ -z "$url" ]]; then
    echo "the $backend server did not start; its log:" >&2
    cat "$log" >&2
    stop_server
    return 1
  fi
  say "$backend: server on $url ($DATABASE_URL)"

  local status=0
  env -u AWS_SESSION_TOKEN -u AWS_PROFILE -u AWS_REGION \
    AWS_ACCESS_KEY_ID="$key_id" AWS_SECRET_ACCESS_KEY="$secret" AWS_DEFAULT_REGION=us-east-1 \
    AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_EC2_METADATA_DISABLED=true \
    PORTCULLIS_ENDPOINT="$url" PORTCULLIS_BIN="$PORTCULLIS_BIN" PORTCULLIS_DATABASE_URL="$db" \
    PORTCULLIS_BACKEND="$backend" PORTCULLIS_SUMMARY="$work/summary" PYTHONDONTWRITEBYTECODE=1 \
    nice -n 10 "$venv/bin/python" end2end/aws/run.py "$@" || status=$?
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "the $backend server exited during the tests" >&2
    status=1
  fi
  stop_server
  if [[ $status -ne 0 ]]; then
    echo "---- last 60 lines of the $backend server log ($log) ----" >&2
    tail -n 60 "$log" >&2
    echo "---- end of the $backend server log ----" >&2
  fi
  unset DATABASE_URL PORTCULLIS_MASTER_KEY_FILE PORTCULLIS_ACCOUNT_ID
  return $status
}

: >"$work/summary"
failed=""
for backend in $backends; do
  # Not in an `if`: there, bash would ignore `set -e` inside the subshell too.
  set +e
  (set -e; run_backend "$backend" "$@")
  status=$?
  set -e
  if [[ $status -ne 0 ]]; then
    failed="$failed $backend"
    # No counts from the tests: the setup failed (or the runner died).
    grep -q "^$backend: .* passed, " "$work/summary" || echo "$backend: setup failed" >>"$work/summary"
  fi
done

echo
cat "$work/summary"
# The closing line counts every test on every backend.
awk '/ passed, / { p += $2; f += $4; s += $6 } / setup failed$/ { f += 1 } END { printf "aws-clients: %d passed, %d failed, %d skipped\n", p, f, s }' "$work/summary"
if [[ -n "$failed" ]]; then
  echo "aws-clients: failed on:$failed" >&2
  exit 1
fi
