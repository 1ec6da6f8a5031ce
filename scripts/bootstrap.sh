#!/usr/bin/env bash
# Installs every tool regdesk's build and tests need, and nothing that is already there.
#
# Why a script and not a list in the README: CI and a newcomer's machine start from the base image
# (rustup, node/npm, apt), and the exact flags that work on this network are not the obvious ones
# (see the comments below). Each step checks first, so a second run takes seconds.
#
# Usage: scripts/bootstrap.sh [--browser]   (--browser also installs Chromium + ChromeDriver)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
tools="$root/.tools"
mkdir -p "$tools"

# Exact versions. wasm-bindgen-cli must equal the `wasm-bindgen` crate pinned in Cargo.toml, or
# the generated glue and the test runner refuse the module.
WASM_BINDGEN_VERSION=0.2.130
TRUNK_VERSION=0.21.14   # 0.22 needs rustc >= 1.96
BINARYEN_VERSION=132    # npm's binaryen: a wasm-opt that accepts rustc 1.95 output
WASM_SPLIT_VERSION=0.2.4  # the splitter Leptos 0.8's split points are made for (wasm_split_helpers 0.2)

say() { printf 'bootstrap: %s\n' "$*"; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

for comp in rustfmt clippy; do
  if ! rustup component list --installed 2>/dev/null | grep -q "^$comp"; then
    say "adding rustup component $comp"
    rustup component add "$comp"
  fi
done

if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ] ||
   ! command -v wasm-bindgen-test-runner >/dev/null 2>&1; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 2 minutes)"
  # Without --locked on purpose: the locked tree asks for a webpki-roots version that the
  # registry reachable here does not serve.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

if [ "$(trunk --version 2>/dev/null | awk '{print $2}')" != "$TRUNK_VERSION" ]; then
  say "installing trunk $TRUNK_VERSION (about 7 minutes)"
  cargo install trunk --version "$TRUNK_VERSION" --locked --force
fi

# The splitter has no --version: ask cargo which version it installed.
if ! command -v wasm-split-cli >/dev/null 2>&1 ||
   ! cargo install --list | grep -qx "wasm_split_cli_support v$WASM_SPLIT_VERSION:"; then
  say "installing wasm-split-cli $WASM_SPLIT_VERSION, which splits the release build (about 1 minute)"
  cargo install wasm_split_cli_support --version "$WASM_SPLIT_VERSION" --features build-binary --locked --force
fi

if [ ! -x "$tools/node_modules/.bin/wasm-opt" ]; then
  say "installing wasm-opt (npm binaryen@$BINARYEN_VERSION) into .tools/"
  (cd "$tools" && [ -f package.json ] || echo '{"private":true}' > "$tools/package.json"
   cd "$tools" && npm install --no-audit --no-fund --silent "binaryen@$BINARYEN_VERSION")
fi

if [ "${1:-}" = "--browser" ]; then
  if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
    say "installing Debian chromium and chromium-driver"
    sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium chromium-driver >/dev/null
  fi
  # npm keeps the lock it installed as node_modules/.package-lock.json: installed again when the
  # project's lock is newer (a dependency added: axe-core, the test peer pouchdb-server).
  if [ -f "$root/package-lock.json" ] && { [ ! -f "$root/node_modules/.package-lock.json" ] || [ "$root/package-lock.json" -nt "$root/node_modules/.package-lock.json" ]; }; then
    say "installing the test dependencies: Playwright, axe-core, the test peer (npm ci)"
    # --ignore-scripts: the test peer pulls in leveldown and sqlite3, whose install scripts would
    # build them from source (minutes of C++); it runs in memory (memdown) and needs neither.
    (cd "$root" && npm ci --ignore-scripts --no-audit --no-fund --silent)
  fi
fi
say "ready"
