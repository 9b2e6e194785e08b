#!/usr/bin/env bash
# The console under load on loopback (issue 7), for docs/benchmarks.md (`make bench-console`).
#
# Builds the release server and iam/examples/seed_console_bench.rs if needed (the same command
# shape as bench/authorize-api.sh, so target/ is shared), times one argon2 password check with the
# production parameters (the example's `argon2` mode, through iam::PasswordHasher), seeds a fresh
# SQLite database in a temporary directory (root; 10,000 users, the last 500 with a console
# password; the policy PowerUserExampleCorp on the group PowerUsers of 2,000 members; 1,000,000
# events over 90 days and 1,000,000 per-action access records), serves it (`portcullis`, with
# PORTCULLIS_SIGN_IN_RATE_LIMIT=100000 so the per-address limit stays out of the flood) on a free
# loopback port, signs root in once (POST /api/sign_in_root) and runs wrk with the session cookie:
#   users            GET /users: the first page of the Users list (20 of 10,000, with the total)
#   users-filter     GET /users?q=userNNNNN: the list filtered by a name, rotating
#   policies         GET /policies: the first page of the Policies list
#   advisor          GET /policies/details?arn=…&tab=access-advisor: PowerUserExampleCorp's
#                    Access Advisor (457 services, 50 accessed by 2,000 members)
#   events           GET /events: the Event history, last 90 days, no attribute
#   events-user      GET /events?attribute=Username&value=userNNNNN (1,000 events each), rotating
#   events-resource  GET /events?attribute=ResourceName&value=groupN (100 events each), rotating
#   flood            GET /policies with PROBE_CONNECTIONS connections alone, then again while
#                    FLOOD_CONNECTIONS connections post IAM-user sign-ins with correct passwords
#                    (bench/console-signin.lua), rotating over the 500 users
#   flood-alone      the same sign-in flood with no page requests beside it
# Each run reports requests/s, p50/p90/p99, errors (non-2xx answers and socket errors; wrk's
# timeout is 30 s, so slow answers count in the latencies), the size of the page, and the server's
# peak RSS during it (VmHWM, reset before each run through /proc/PID/clear_refs), with the load
# average and how many compilers (rustc, cc1, clippy-driver) ran when it started.
#
# Settings (environment): NO_BUILD=1 (use target/release as it is), DURATION (wrk -d per page run,
# default 15s), CONNECTIONS (page runs, default 8), THREADS (wrk threads, default 1: the server
# has the other core), FLOOD_DURATION (default 30s; the probe runs DURATION inside it),
# FLOOD_CONNECTIONS (default 200), PROBE_CONNECTIONS (default 4), PHASES (default
# "users users-filter policies advisor events events-user events-resource flood flood-alone"),
# SERVER_ENV (extra environment for the server).
set -euo pipefail
cd "$(dirname "$0")/.."

duration=${DURATION:-15s}
connections=${CONNECTIONS:-8}
threads=${THREADS:-1}
flood_duration=${FLOOD_DURATION:-30s}
flood_connections=${FLOOD_CONNECTIONS:-200}
probe_connections=${PROBE_CONNECTIONS:-4}
phases=${PHASES:-users users-filter policies advisor events events-user events-resource flood flood-alone}

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
  cargo build --release -p server -p iam --bin portcullis --example seed_console_bench
fi
seeder=target/release/examples/seed_console_bench

work=$(mktemp -d "${TMPDIR:-/tmp}/portcullis-console-bench.XXXXXX")
server_pid=""
flood_pid=""
cleanup() {
  if [ -n "$flood_pid" ] && kill -0 "$flood_pid" 2>/dev/null; then kill "$flood_pid" || true; fi
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid"
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

load() { cut -d' ' -f1-3 /proc/loadavg; }
builds() { ps -eo comm= | grep -cxE 'rustc|cc1|cc1plus|clippy-driver' || true; }

# Before the server exists, so nothing else of ours runs: the argon2 limit of this machine.
say "timing argon2 password checks (production parameters)"
argon2_load=$(load)
argon2=$("$seeder" argon2 40)
argon2_field() { grep -o "$1=[^ ]*" <<<"$argon2" | cut -d= -f2; }

db="$work/portcullis.db"
say "seeding $db"
seed_started=$(date +%s)
"$seeder" "sqlite:$db" >"$work/seed.txt"
seed_secs=$(( $(date +%s) - seed_started ))
seeded() { awk -F= -v k="$1" '$1 == k { sub(/^[^=]*=/, ""); print; exit }' "$work/seed.txt"; }

# shellcheck disable=SC2086 # SERVER_ENV is a list of NAME=value words
env ${SERVER_ENV:-} PORTCULLIS_SIGN_IN_RATE_LIMIT=100000 ./target/release/portcullis --addr 127.0.0.1:0 \
  --database-url "sqlite:$db" --site-root "$work/site" 2>"$work/server.log" &
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
# Resets VmHWM to the current RSS, so each run reports its own peak.
reset_peak() { echo 5 >"/proc/$server_pid/clear_refs" 2>/dev/null || true; }
db_count() { python3 -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])' "$db" "$1"; }
server_ticks() { awk '{ print $14 + $15 }' "/proc/$server_pid/stat"; }
sign_ins() { db_count "SELECT COUNT(*) FROM events WHERE event_name = 'ConsoleLogin' AND error_code IS NULL"; }

# Root signs in once; the runs send its session cookie.
curl -s -o "$work/answer.txt" -D "$work/headers.txt" "$base/api/sign_in_root" \
  -H 'Accept: application/json' --data-urlencode "email=$(seeded root_email)" \
  --data-urlencode "password=$(seeded root_password)"
cookie=$(awk 'tolower($1) == "set-cookie:" { sub(/;.*/, "", $2); print $2; exit }' "$work/headers.txt")
[ -n "$cookie" ] || { echo "root's sign-in set no cookie:" >&2; cat "$work/headers.txt" "$work/answer.txt" >&2; exit 1; }
policy_arn=$(seeded policy_arn)

# One request of each kind first: a full page of what was asked, not the sign-in page or an error.
check_page() {
  local mode=$1 path=$2 want=$3 got
  got=$(curl -s -o "$work/page.html" -w '%{http_code}' -H "Cookie: $cookie" "$base$path")
  if [ "$got" != 200 ] || ! grep -q -- "$want" "$work/page.html"; then
    echo "$mode: GET $path answered $got without \`$want\`: $(head -c 600 "$work/page.html")" >&2
    exit 1
  fi
  page_kib=$(( $(wc -c <"$work/page.html") / 1024 ))
}
first_path() {
  case "$1" in
    users) echo "/users user00019" ;;
    users-filter) echo "/users?q=user04242 user04242" ;;
    policies) echo "/policies /policies/details?arn=" ;;
    advisor) echo "/policies/details?arn=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$policy_arn")&tab=access-advisor Entities.accessed" ;;
    events) echo "/events Event.record" ;;
    events-user) echo "/events?attribute=Username&value=user00042 Event2<" ;;
    events-resource) echo "/events?attribute=ResourceName&value=group4242 Event2<" ;;
  esac
}
# The sign-in the flood sends, once: it must open a session.
code=$(curl -s -o "$work/answer.txt" -D "$work/headers.txt" -w '%{http_code}' "$base/api/sign_in_user" \
  -H 'Accept: application/json' --data-urlencode "account=$(seeded account_id)" \
  --data-urlencode "user_name=user$(printf '%05d' "$(seeded signin_first)")" \
  --data-urlencode "password=$(seeded user_password)")
if [ "$code" -ge 400 ] || ! grep -qi '^set-cookie: .*=[^;]' "$work/headers.txt"; then
  echo "an IAM user's sign-in answered $code: $(cat "$work/answer.txt")" >&2
  exit 1
fi

echo "# The console under load on loopback ($(date -u '+%Y-%m-%d %H:%M UTC'))"
echo "machine: $(nproc) vCPUs ($(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)), $(free -g | awk '/Mem:/ { print $2 }') GiB, $(. /etc/os-release && echo "$PRETTY_NAME"), $(rustc --version | cut -d' ' -f1-2), release profile"
echo "seeded in ${seed_secs} s: $(db_count 'SELECT COUNT(*) FROM users') users, $(db_count 'SELECT COUNT(*) FROM events') events, $(db_count 'SELECT COUNT(*) FROM action_last_accessed') action access records; database $(( $(du -cb "$db"* | awk 'END { print $1 }') / 1048576 )) MiB"
echo "argon2 (production parameters, one check at a time, load $argon2_load): median $(argon2_field median_ms) ms (min $(argon2_field min_ms), max $(argon2_field max_ms)) over $(argon2_field checks); limit $(argon2_field cpus) cores / median = $(argon2_field limit_per_sec) checks/s; measured with $(argon2_field cpus) at once: $(argon2_field parallel_per_sec) checks/s"
echo "wrk: $threads thread(s), $connections connections, $duration per page run; server $base, SQLite (WAL, synchronous=FULL) in $work"
echo "server RSS after start: $(status_kib VmRSS) KiB${SERVER_ENV:+; server environment: $SERVER_ENV}"
echo
printf '| %-16s | %5s | %10s | %8s | %8s | %8s | %8s | %6s | %8s | %12s | %14s | %s |\n' \
  run conns requests/s "p50 ms" "p90 ms" "p99 ms" "max ms" errors "page KiB" "peak RSS MiB" "load avg" "builds running"
echo '|---|---|---|---|---|---|---|---|---|---|---|---|'
field() { grep -o "$1=[^ ]*" <<<"$2" | cut -d= -f2; }
row() {
  local name=$1 conns=$2 result=$3 kib=$4 load_now=$5 builds_now=$6
  printf '| %-16s | %5s | %10s | %8s | %8s | %8s | %8s | %6s | %8s | %12s | %14s | %s |\n' \
    "$name" "$conns" "$(field rps "$result")" "$(field p50_ms "$result")" "$(field p90_ms "$result")" \
    "$(field p99_ms "$result")" "$(field max_ms "$result")" \
    "$(( $(field non2xx "$result") + $(field socket_errors "$result") ))" "$kib" \
    "$(( $(status_kib VmHWM) / 1024 ))" "$load_now" "$builds_now"
}
pages() { # MODE CONNECTIONS DURATION
  MODE=$1 POLICY_ARN=$policy_arn wrk -t "$threads" -c "$2" -d "$3" --timeout 30s -H "Cookie: $cookie" \
    -s bench/console-pages.lua "$base" | grep '^RESULT'
}
flood_summary=""
alone_summary=""
for phase in $phases; do
  if [ "$phase" = flood ]; then
    read -r path want <<<"$(first_path policies)"
    check_page policies "$path" "$want"
    reset_peak
    b=$(builds)
    result=$(pages policies "$probe_connections" "$duration")
    row "policies alone" "$probe_connections" "$result" "$page_kib" "$(load)" "$b"
    alone_p99=$(field p99_ms "$result") alone_p50=$(field p50_ms "$result")

    before=$(sign_ins) ticks_before=$(server_ticks)
    reset_peak
    b=$(builds)
    ACCOUNT=$(seeded account_id) PASSWORD=$(seeded user_password) FIRST=$(seeded signin_first) \
      USERS=$(seeded signin_users) wrk -t "$threads" -c "$flood_connections" -d "$flood_duration" \
      --timeout 30s -s bench/console-signin.lua "$base" >"$work/flood.txt" &
    flood_pid=$!
    sleep 5
    result=$(pages policies "$probe_connections" "$duration")
    probe_load=$(load)
    wait "$flood_pid"
    flood_pid=""
    row "policies in flood" "$probe_connections" "$result" "$page_kib" "$probe_load" "$b"
    during_p99=$(field p99_ms "$result") during_p50=$(field p50_ms "$result")
    flood=$(grep '^RESULT' "$work/flood.txt")
    row "sign-in flood" "$flood_connections" "$flood" - "$(load)" "$b"
    opened=$(( $(sign_ins) - before ))
    cpu_secs=$(awk -v t="$(( $(server_ticks) - ticks_before ))" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.1f", t / hz }')
    flood_rps=$(field rps "$flood")
    flood_summary=$(awk -v f="$flood_rps" -v l="$(argon2_field limit_per_sec)" \
      -v p="$(argon2_field parallel_per_sec)" -v a="$alone_p99" -v d="$during_p99" \
      -v a50="$alone_p50" -v d50="$during_p50" -v o="$opened" -v cpu="$cpu_secs" \
      -v secs="$(field seconds "$flood")" 'BEGIN {
        printf "sign-ins: %.1f/s (%d sessions opened during the flood) = %.2f of the argon2 limit (%.1f/s; %.2f of the %.1f/s measured on all cores at once)\n", f, o, f / l, l, f / p, p
        printf "server CPU during the flood (with the probe): %.1f s in %.1f s, %.1f ms per session opened\n", cpu, secs, 1000 * cpu / o
        printf "page p99 during the flood / alone: %.1f ms / %.1f ms = %.1f (p50 %.1f ms / %.1f ms = %.1f)\n", d, a, d / a, d50, a50, d50 / a50 }')
    continue
  fi
  if [ "$phase" = flood-alone ]; then
    # The same flood with no page requests beside it: sign-ins alone against the ceiling.
    before=$(sign_ins) ticks_before=$(server_ticks)
    reset_peak
    b=$(builds)
    alone=$(ACCOUNT=$(seeded account_id) PASSWORD=$(seeded user_password) FIRST=$(seeded signin_first) \
      USERS=$(seeded signin_users) wrk -t "$threads" -c "$flood_connections" -d "$flood_duration" \
      --timeout 30s -s bench/console-signin.lua "$base" | grep '^RESULT')
    row "flood alone" "$flood_connections" "$alone" - "$(load)" "$b"
    opened=$(( $(sign_ins) - before ))
    cpu_secs=$(awk -v t="$(( $(server_ticks) - ticks_before ))" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.1f", t / hz }')
    alone_summary=$(awk -v f="$(field rps "$alone")" -v p="$(argon2_field parallel_per_sec)" \
      -v o="$opened" -v cpu="$cpu_secs" -v secs="$(field seconds "$alone")" 'BEGIN {
        printf "sign-ins alone: %.1f/s (%d sessions opened) = %.2f of the %.1f/s measured on all cores at once; server CPU %.1f s in %.1f s, %.1f ms per session\n", f, o, f / p, p, cpu, secs, 1000 * cpu / o }')
    continue
  fi
  spec=$(first_path "$phase")
  [ -n "$spec" ] || { echo "unknown phase \`$phase\`" >&2; exit 2; }
  read -r path want <<<"$spec"
  check_page "$phase" "$path" "$want"
  reset_peak
  b=$(builds)
  result=$(pages "$phase" "$connections" "$duration")
  row "$phase" "$connections" "$result" "$page_kib" "$(load)" "$b"
done
echo
[ -z "$flood_summary" ] || echo "$flood_summary"
[ -z "$alone_summary" ] || echo "$alone_summary"
echo "server peak RSS since the last reset (VmHWM): $(status_kib VmHWM) KiB; RSS now: $(status_kib VmRSS) KiB"
if grep -qE 'WARN|ERROR' "$work/server.log"; then
  echo "server warnings and errors: $(grep -cE 'WARN|ERROR' "$work/server.log"), the first:"
  grep -E 'WARN|ERROR' "$work/server.log" | head -3 | cut -c1-300
fi
