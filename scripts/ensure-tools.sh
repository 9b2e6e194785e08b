#!/usr/bin/env bash
# Installs what the build and the tests need and is missing; skips what is present.
#   scripts/ensure-tools.sh build   wasm target, wasm-bindgen-cli (the Cargo.lock version), wasm-opt
#   scripts/ensure-tools.sh test    cargo-nextest
#   scripts/ensure-tools.sh e2e     build tools, plus Chromium and the Playwright npm packages
#   scripts/ensure-tools.sh aws-clients  python3 with its venv module, for the AWS CLI and boto3
#   scripts/ensure-tools.sh dev     build tools, plus cargo-leptos for `cargo leptos watch`
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:-build}

say() { printf '==> %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

apt_install() {
  say "installing $* from Debian's packages"
  if [ -z "${APT_UPDATED:-}" ]; then
    as_root apt-get update -q
    APT_UPDATED=1
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@"
}

ensure_build_tools() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi

  # wasm-bindgen-cli must be exactly the wasm-bindgen library version in Cargo.lock.
  local want
  want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3; exit }' Cargo.lock)
  if [ -z "$want" ]; then
    echo "cannot find the wasm-bindgen version in Cargo.lock" >&2
    exit 1
  fi
  local have=""
  if command -v wasm-bindgen >/dev/null; then
    have=$(wasm-bindgen --version | awk '{ print $2 }')
  fi
  if [ "$have" != "$want" ]; then
    # Not --locked: its lock file pins crates that this registry mirror may not serve.
    say "installing wasm-bindgen-cli $want (found: ${have:-none})"
    cargo install wasm-bindgen-cli --version "$want" --force
  fi

  # wasm-opt from npm's binaryen 132; Debian's binaryen 108 produces wasm that fails to hydrate.
  if [ ! -x tools/node_modules/.bin/wasm-opt ]; then
    say "installing wasm-opt (npm binaryen@132.0.0) into tools/"
    (cd tools && npm ci --silent --no-audit --no-fund)
  fi
}

ensure_test_tools() {
  if ! command -v cargo-nextest >/dev/null; then
    say "installing cargo-nextest"
    cargo install cargo-nextest --locked
  fi
}

ensure_e2e_tools() {
  if [ ! -x /usr/bin/chromium ]; then
    apt_install chromium
  fi
  if [ ! -d end2end/node_modules/@playwright/test ]; then
    say "installing the end-to-end test packages (no browser download)"
    (cd end2end && npm ci --silent --no-audit --no-fund)
  fi
}

# The AWS CLI and boto3 live in a venv (scripts/aws-clients.sh makes it); Debian's python3 needs
# python3-venv for `python3 -m venv` to work.
ensure_aws_client_tools() {
  if ! command -v python3 >/dev/null; then
    apt_install python3 python3-venv
  elif ! python3 -c 'import ensurepip, venv' 2>/dev/null; then
    apt_install python3-venv
  fi
}

ensure_dev_tools() {
  if ! command -v cargo-leptos >/dev/null; then
    say "installing cargo-leptos 0.3.11 (about 20 minutes)"
    cargo install cargo-leptos --version 0.3.11 --locked --ignore-rust-version --features no_downloads
  fi
}

case "$what" in
  build) ensure_build_tools ;;
  test) ensure_test_tools ;;
  e2e) ensure_build_tools; ensure_e2e_tools ;;
  aws-clients) ensure_aws_client_tools ;;
  dev) ensure_build_tools; ensure_dev_tools ;;
  *) echo "usage: $0 build|test|e2e|aws-clients|dev" >&2; exit 2 ;;
esac
