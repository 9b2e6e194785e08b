#!/usr/bin/env bash
# The Rust tests, with the iam store suite on both backends. Run it inside
# scripts/with-postgres.sh, which provides PORTCULLIS_TEST_POSTGRES_URL, so that both passes share
# one throw-away PostgreSQL cluster (each store test creates and drops a database of its own):
#
#   scripts/with-postgres.sh scripts/test-rust.sh
#
# 1. every workspace test, the store suite on SQLite (the default backend);
# 2. the store suite again on PostgreSQL (PORTCULLIS_TEST_BACKEND=postgres).
# Both passes run even when the first fails, so one run reports every failure on both backends;
# the exit status is non-zero if either failed.
set -euo pipefail

if [[ -z "${PORTCULLIS_TEST_POSTGRES_URL:-}" ]]; then
  echo "test-rust: \`PORTCULLIS_TEST_POSTGRES_URL\` is not set; run scripts/with-postgres.sh scripts/test-rust.sh" >&2
  exit 2
fi

status=0

echo "test-rust: workspace tests, store suite on SQLite"
cargo nextest run --workspace --no-fail-fast || status=1

echo "test-rust: store suite on PostgreSQL"
PORTCULLIS_TEST_BACKEND=postgres cargo nextest run -p iam --test store --no-fail-fast || status=1

if [[ $status -ne 0 ]]; then
  echo "test-rust: failures above (the SQLite pass, the PostgreSQL pass, or both)" >&2
fi
exit "$status"
