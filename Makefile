# regdesk's commands. Each one first runs scripts/bootstrap.sh, which installs only what is missing,
# so they work on a machine that has just the base image (rustup, node/npm, apt).

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c

# scripts/bin first: its wasm-bindgen splits release builds before calling the real one.
export PATH := $(CURDIR)/scripts/bin:$(CURDIR)/.tools/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
export CHROMEDRIVER ?= /usr/bin/chromedriver
# One wasm test binary runs all its tests in one page; this bounds the whole binary, not one test.
export WASM_BINDGEN_TEST_TIMEOUT ?= 180
export TRUNK_SKIP_VERSION_CHECK := true
# Property tests draw new random cases on every local run (that is how the truncated-UTF-8 import
# bug was found); under CI they use a fixed seed, so a CI result can be reproduced exactly. A
# failing case is saved in tests/*.proptest-regressions and replayed on every run.
ifdef CI
export PROPTEST_RNG_SEED ?= 20261201
endif
# Where `make e2e` builds the release app it tests (relative to the repo, or absolute).
export E2E_DIST ?= dist

WASM := --target wasm32-unknown-unknown

.PHONY: serve test release e2e bootstrap fmt lint test-native test-sync test-browser test-e2e clean bench size-budget

## serve: build the app and serve it at http://127.0.0.1:8080 (rebuilds on change)
serve:
	scripts/bootstrap.sh
	trunk serve

## test: formatting, lints (native and wasm), native domain tests, browser tests in headless Chromium,
## then the end-to-end tests against a release build
test:
	scripts/bootstrap.sh --browser
	$(MAKE) --no-print-directory fmt lint test-e2e size-budget test-native test-sync test-browser

## release: optimised, split build into dist/, then what a browser downloads: every file's size,
## and the first visit of every route, measured in headless Chromium
release:
	scripts/bootstrap.sh --browser
	trunk build --release
	scripts/sizes.sh dist
	node scripts/first-visit.mjs dist

## e2e: release build, then the end-to-end tests in headless Chromium (HEADED=1 shows the browser)
e2e:
	scripts/bootstrap.sh --browser
	$(MAKE) --no-print-directory test-e2e

bootstrap:
	scripts/bootstrap.sh --browser

fmt:
	cargo fmt --check

# The third run lints what ships: the release wasm with the split points compiled in.
lint:
	cargo clippy --all-targets --features peer-tests -- -D warnings
	cargo clippy --all-targets $(WASM) -- -D warnings
	cargo clippy --release --features split --lib --bins $(WASM) -- -D warnings

test-native:
	cargo test

# The replication rules against a CouchDB-protocol server over HTTP: scripts/peer.mjs starts the
# test peer (pouchdb-server, in memory, on 127.0.0.1) for the run and stops it after.
test-sync:
	node scripts/peer.mjs run -- cargo test --features peer-tests --test sync_peer

# `--test '*'`: the browser tests are the integration tests under tests/; the library's own unit
# tests are native-only domain tests and already ran above.
# `--features peer-tests`: `--test '*'` names every test target, and cargo refuses one whose
# required feature is off (tests/sync_peer.rs, native only, compiles to nothing here).
test-browser:
	cargo test $(WASM) --features peer-tests --test '*'

# The end-to-end tests run the real release build (service worker, CSP and all) from a static
# server on 127.0.0.1; a failed step leaves a screenshot and the console log in target/e2e/.
test-e2e:
	trunk build --release --dist "$(E2E_DIST)"
	node --test --test-timeout=120000 tests/e2e/

clean:
	cargo clean
	rm -rf dist

## size-budget: the first visit to / of the release build (the one test-e2e built) — its main wasm,
## JS, split loader and the chunks / needs, gzip -9, measured in Chromium — must be within 250 KB
size-budget:
	@[ -e "$(E2E_DIST)/index.html" ] || trunk build --release --dist "$(E2E_DIST)"
	node scripts/first-visit.mjs "$(E2E_DIST)" 250

## bench: release build, then the benchmarks in headless Chromium (BENCHMARKS.md); writes
## target/bench/results.json and prints a table. Timings are recorded, never checked.
BENCH_TARGET := $(or $(CARGO_TARGET_DIR),target)
bench:
	scripts/bootstrap.sh --browser
	mkdir -p target/bench
	trunk build --release --dist target/bench/dist
	FIRST_VISIT_JSON=target/bench/first-visit.json node scripts/first-visit.mjs target/bench/dist
	cargo run --release --example bench_data -- target/bench > target/bench/native.json
	cargo build --release --example bench_page $(WASM)
	wasm-bindgen --target web --out-dir target/bench/dist/bench/pkg \
	  "$(BENCH_TARGET)/wasm32-unknown-unknown/release/examples/bench_page.wasm"
	cp bench/page.html bench/pouch.html node_modules/pouchdb/dist/pouchdb.min.js target/bench/dist/bench/
	cp target/bench/workspace.json target/bench/dist/bench/workspace.json
	node bench/run.mjs
