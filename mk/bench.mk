# Benchmarks whose figures go in docs/benchmarks.md: criterion benches (policy evaluation, the
# authorization API inside `Iam` on a seeded SQLite file), the authorization API over HTTP on
# loopback with wrk (bench/authorize-api.sh; installs wrk from Debian's packages if missing) and
# the console under load (bench/console-load.sh, the same way).
# Run them on a quiet machine: other builds on the same cores skew every figure.
.PHONY: bench bench-criterion bench-api bench-console
bench: bench-criterion bench-api bench-console

# With -p server, iam's dependencies get the release server's features and their builds are shared.
bench-criterion:
	cargo bench -p policy --bench evaluate
	cargo bench -p server -p iam --bench authorize

## The authorization API over HTTP: requests/s, decisions/s, p50/p99 and peak RSS (DURATION=25s).
bench-api:
	bench/authorize-api.sh

## The console under load over HTTP: signed-in page loads with 10,000 users and 1,000,000 events,
## a flood of 200 concurrent sign-ins against the argon2 limit, page p99 during it, peak RSS.
bench-console:
	bench/console-load.sh
