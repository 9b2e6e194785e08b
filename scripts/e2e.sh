#!/usr/bin/env bash
# Runs the Playwright tests in Chromium against freshly started servers, one per project
# (hydrated, and JavaScript disabled), each on a throw-away SQLite database and a free port.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/build-site.sh debug

work=$(mktemp -d /tmp/portcullis-e2e.XXXXXX)
cleanup() {
  for name in hydrated nojs; do
    rm -f "$work/$name.restart"
    [ -f "$work/$name.pid" ] && kill "$(cat "$work/$name.pid")" 2>/dev/null || true
  done
  wait 2>/dev/null || true
  if [ -n "${KEEP_E2E:-}" ]; then echo "kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT

# Runs one server in the background. A test can restart it (support.ts `restartServer`): it creates
# `$work/<name>.restart` and stops the server, which then starts again on the same port and
# database. Without that file an exit is final, so a server that crashes is not hidden.
start_server() {
  local name=$1
  (
    addr=127.0.0.1:0
    while :; do
      DATABASE_URL="sqlite:$work/$name.db" PORTCULLIS_ADDR=$addr LEPTOS_SITE_ROOT=target/site \
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
export E2E_HYDRATED_DB="$work/hydrated.db" E2E_NOJS_DB="$work/nojs.db"

cd end2end
# Results (traces) go to this run's own folder, so runs side by side don't delete each other's; a
# later `--output` among the arguments wins.
npx playwright test --output="$work/test-results" "$@"
