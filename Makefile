# Portcullis. `make run` serves the console; `make test` runs every check. Both install what is
# missing first (see scripts/ensure-tools.sh) and skip what is present.

SHELL := bash
.SHELLFLAGS := -euo pipefail -c
export PATH := $(CURDIR)/tools/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)

.PHONY: run build release test fmt-check clippy clippy-ssr clippy-hydrate test-rust e2e tools dev-tools clean-data

## Build a release and serve the console on http://127.0.0.1:3000 (SQLite at ./data/portcullis.db).
run: release
	mkdir -p data
	LEPTOS_SITE_ROOT=target/site ./target/release/portcullis

release: tools
	scripts/build-site.sh release

build: tools
	scripts/build-site.sh debug

## Every check: formatting, clippy (ssr and hydrate), Rust tests, browser tests, and the AWS API
## driven by the real AWS CLI and boto3 (mk/aws-clients.mk).
test: fmt-check clippy test-rust e2e aws-clients

fmt-check:
	cargo fmt --all --check

clippy: clippy-ssr clippy-hydrate

clippy-ssr:
	cargo clippy --workspace --all-targets -- -D warnings

clippy-hydrate: tools
	cargo clippy -p app --lib --target wasm32-unknown-unknown --no-default-features --features hydrate -- -D warnings
	cargo clippy -p policy --lib --target wasm32-unknown-unknown -- -D warnings

## Rust tests, then the iam store suite again on a throw-away PostgreSQL server.
test-rust:
	scripts/ensure-tools.sh test
	scripts/with-postgres.sh scripts/test-rust.sh

e2e:
	scripts/ensure-tools.sh e2e
	scripts/e2e.sh

tools:
	scripts/ensure-tools.sh build

## cargo-leptos, for `cargo leptos watch` while developing (not needed by run or test).
dev-tools:
	scripts/ensure-tools.sh dev

-include mk/*.mk
