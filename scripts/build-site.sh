#!/usr/bin/env bash
# Builds the `portcullis` server binary and the browser bundle (target/site).
#   scripts/build-site.sh debug     for tests: reuses the artifacts of `cargo nextest run`
#   scripts/build-site.sh release   for `make run`: optimised, wasm shrunk by wasm-opt
# It does what `cargo leptos build` does, with plain cargo, so that tests and `make run` build the
# same way and a fresh machine needs no 20-minute cargo-leptos install.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-debug}
export PATH="$PWD/tools/node_modules/.bin:$PATH"

case "$mode" in
  debug)
    cargo build -p server --bin portcullis
    cargo build -p app --lib --target wasm32-unknown-unknown --no-default-features --features hydrate
    wasm=target/wasm32-unknown-unknown/debug/app.wasm
    ;;
  release)
    cargo build -p server --bin portcullis --release
    cargo build -p app --lib --target wasm32-unknown-unknown --no-default-features --features hydrate \
      --profile wasm-release
    wasm=target/wasm32-unknown-unknown/wasm-release/app.wasm
    ;;
  *) echo "usage: $0 debug|release" >&2; exit 2 ;;
esac

site=target/site
# Skip the wasm-bindgen and wasm-opt steps (half a minute in release) when nothing changed.
stamp="$site/.built-$mode"
if [ -f "$stamp" ] && [ -z "$(find "$wasm" style public -newer "$stamp" -print -quit)" ]; then
  echo "target/site ($mode) is up to date" >&2
  exit 0
fi
staging=$(mktemp -d target/site.XXXXXX)
trap 'rm -rf "$staging"' EXIT
mkdir -p "$staging/pkg"
cp -r public/. "$staging/"
wasm-bindgen --target web --no-typescript --out-name portcullis --out-dir "$staging/pkg" "$wasm"
if [ "$mode" = release ]; then
  wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
    "$staging/pkg/portcullis_bg.wasm" -o "$staging/pkg/portcullis_bg.wasm"
fi
cp style/main.css "$staging/pkg/portcullis.css"
touch "$staging/.built-$mode"
rm -rf "$site"
mv "$staging" "$site"
trap - EXIT
echo "built target/site ($mode): $(du -h "$site/pkg/portcullis_bg.wasm" | cut -f1) wasm" >&2
