#!/usr/bin/env bash
# The authorization API over HTTP on loopback, for docs/benchmarks.md (`make bench-api`).
#
# Builds the release server if needed (the same command as `make release`, so target/ is shared),
# seeds a fresh SQLite database in a temporary directory (iam/examples/seed_authorize_bench.rs:
# root, 1,000 users in PowerUsers with PowerUserAccess, the caller `authz-caller` with an access
# key allowed portcullis:Authorize), serves it (`portcullis`, no subcommand) on a free loopback port and runs wrk
# (bench/authorize.lua) against it:
#   openapi         GET /api/v1/openapi.json: the HTTP stack alone, no key, no database
#   wrong-key       POST /api/v1/authorize with a wrong secret: the key check alone (401)
#   single          POST /api/v1/authorize, one decision, principals rotating over 1,000 users
#   batch           POST /api/v1/authorize/batch, 100 decisions for one principal
#   batch-spread    POST /api/v1/authorize/batch, 100 decisions for 100 principals
# Every decision is recorded as a read-only event (one write transaction per request, a WAL
# fsync with synchronous=FULL) and as an access for the Access Advisor (buffered, written once a
# second); the events written and the database growth are reported.
#
# Settings (environment): NO_BUILD=1 (use target/release as it is, e.g. while other work edits the
# sources), DURATION (wrk -d for the API runs, default 25s), CONNECTIONS (default
# 16), THREADS (wrk threads, default 1: the server has the other core), PHASES (default
# "openapi wrong-key single batch batch-spread").
set -euo pipefail
cd "$(dirname "$0")/.."

duration=${DURATION:-25s}
connections=${CONNECTIONS:-16}
threads=${THREADS:-1}
phases=${PHASES:-openapi wrong-key single batch batch-spread}

say() { printf '==> %s\n' "$*" >&2; }

if ! command -v wrk >/dev/null; then
  say "installing wrk from Debian's packages"
  if [ "$(id -u)" -eq 0 ]; then sudo=(); else sudo=(sudo); fi
  "${sudo[@]}" apt-get update -q
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk
fi

if [ -z "${NO_BUILD:-}" ]; then
  say "building the release server and the seeding example (reuses target/)"
  # One command, so that the example's dependencies get the server's features and are shared.
  cargo build --release -p server -p iam --bin portcullis --example seed_authorize_bench
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/portcullis-bench.XXXXXX")
server_pid=""
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid"
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

db="$work/portcullis.db"
say "seeding $db"
key=$(target/release/examples/seed_authorize_bench "sqlite:$db")

./target/release/portcullis --addr 127.0.0.1:0 --database-url "sqlite:$db" \
  --site-root "$work/site" 2>"$work/server.log" &
server_pid=$!
base=""
for _ in $(seq 100); do
  base=$(grep -o 'serving the console on http://[0-9.:]*' "$work/server.log" | awk '{ print $NF }' || true)
  [ -n "$base" ] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
  sleep 0.1
done
[ -n "$base" ] || { echo "the server did not start:" >&2; cat "$work/server.log" >&2; exit 1; }

status_kib() { awk -v k="$1:" '$1 == k { print $2 }' "/proc/$server_pid/status"; }
db_bytes() { du -cb "$db"* | awk 'END { print $1 }'; }
events() {
  python3 -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute(
    "SELECT COUNT(*) FROM events WHERE event_name = '"'"'Authorize'"'"'").fetchone()[0])' "$db"
}

# One request of each kind first: the answers must be decisions, not errors.
check() {
  local path=$1 body=$2 want=$3 got
  got=$(curl -s -o "$work/answer.json" -w '%{http_code}' "$base$path" \
    -H "Authorization: Bearer $key" -H 'Content-Type: application/json' -d "$body")
  if [ "$got" != "$want" ] || ! grep -q '"decision"' "$work/answer.json"; then
    echo "POST $path answered $got (wanted $want): $(cat "$work/answer.json")" >&2
    exit 1
  fi
}
check /api/v1/authorize \
  '{"principal":"user0042","action":"s3:GetObject","resource":"arn:aws:s3:::reports/q3.csv"}' 200
grep -q '"decision":"Allow"' "$work/answer.json" || { cat "$work/answer.json" >&2; exit 1; }
check /api/v1/authorize/batch \
  '{"requests":[{"principal":"user0042","action":"iam:CreateUser","resource":"*"}]}' 200
grep -q '"decision":"ImplicitDeny"' "$work/answer.json" || { cat "$work/answer.json" >&2; exit 1; }

echo "# Authorization API over loopback ($(date -u '+%Y-%m-%d %H:%M UTC'))"
echo "machine: $(nproc) vCPUs ($(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)), $(free -g | awk '/Mem:/ { print $2 }') GiB, $(. /etc/os-release && echo "$PRETTY_NAME"), $(rustc --version | cut -d' ' -f1-2), release profile"
echo "wrk: $threads thread(s), $connections connections, $duration per API run; server $base, SQLite (WAL, synchronous=FULL) in $work"
echo "server RSS after start: $(status_kib VmRSS) KiB"
echo
printf '| %-12s | %9s | %11s | %8s | %8s | %8s | %6s | %7s | %7s | %12s | %9s | %s |\n' \
  run requests/s decisions/s "p50 ms" "p90 ms" "p99 ms" non2xx "events" "DB KiB" "peak RSS MiB" "load avg" "rustc/cc1 running"
echo '|---|---|---|---|---|---|---|---|---|---|---|---|'
field() { grep -o "$1=[^ ]*" <<<"$result" | cut -d= -f2; }
for phase in $phases; do
  case "$phase" in
    openapi | wrong-key) per_request=0 run_for=10s ;;
    single) per_request=1 run_for=$duration ;;
    batch | batch-spread) per_request=100 run_for=$duration ;;
    *) echo "unknown phase \`$phase\`" >&2; exit 2 ;;
  esac
  before_events=$(events) before_bytes=$(db_bytes)
  builds=$(ps -eo comm= | grep -cxE 'rustc|cc1|cc1plus' || true)
  result=$(MODE=$phase PORTCULLIS_KEY=$key \
    wrk -t "$threads" -c "$connections" -d "$run_for" -s bench/authorize.lua "$base" |
    grep '^RESULT')
  load=$(cut -d' ' -f1 /proc/loadavg)
  rps=$(field rps)
  decisions=$(awk -v r="$rps" -v n="$per_request" 'BEGIN { printf "%.0f", r * n }')
  new_events=$(( $(events) - before_events ))
  grown=$(( ($(db_bytes) - before_bytes) / 1024 ))
  printf '| %-12s | %9s | %11s | %8s | %8s | %8s | %6s | %7s | %7s | %12s | %9s | %s |\n' \
    "$phase" "$rps" "$decisions" "$(field p50_ms)" "$(field p90_ms)" "$(field p99_ms)" \
    "$(field non2xx)" "$new_events" "$grown" "$(( $(status_kib VmHWM) / 1024 ))" "$load" "$builds"
done
echo
echo "server peak RSS (VmHWM): $(status_kib VmHWM) KiB; RSS now: $(status_kib VmRSS) KiB"
echo "events table: $(events) Authorize events; database with WAL: $(( $(db_bytes) / 1024 )) KiB"
# A non-2xx answer under load is a server error: show why (e.g. SQLite's busy timeout).
if grep -qE 'WARN|ERROR' "$work/server.log"; then
  echo "server warnings and errors: $(grep -cE 'WARN|ERROR' "$work/server.log"), the first:"
  grep -E 'WARN|ERROR' "$work/server.log" | head -3 | cut -c1-300
fi
