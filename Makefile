# regdesk's commands. Each one first runs scripts/bootstrap.sh, which installs only what is missing,
# so they work on a machine that has just the base image (rustup, node/npm, apt).

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c

export PATH := $(CURDIR)/.tools/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
export CHROMEDRIVER ?= /usr/bin/chromedriver
# One wasm test binary runs all its tests in one page; this bounds the whole binary, not one test.
export WASM_BINDGEN_TEST_TIMEOUT ?= 180
export TRUNK_SKIP_VERSION_CHECK := true

WASM := --target wasm32-unknown-unknown

.PHONY: serve test release bootstrap fmt lint test-native test-browser clean

## serve: build the app and serve it at http://127.0.0.1:8080 (rebuilds on change)
serve:
	scripts/bootstrap.sh
	trunk serve

## test: formatting, lints (native and wasm), native domain tests, browser tests in headless Chromium
test:
	scripts/bootstrap.sh --browser
	$(MAKE) --no-print-directory fmt lint test-native test-browser

## release: optimised build into dist/, then the sizes of what a browser downloads
release:
	scripts/bootstrap.sh
	trunk build --release
	scripts/sizes.sh dist

bootstrap:
	scripts/bootstrap.sh --browser

fmt:
	cargo fmt --check

lint:
	cargo clippy --all-targets -- -D warnings
	cargo clippy --all-targets $(WASM) -- -D warnings

test-native:
	cargo test

# `--test '*'`: the browser tests are the integration tests under tests/; the library's own unit
# tests are native-only domain tests and already ran above.
test-browser:
	cargo test $(WASM) --test '*'

clean:
	cargo clean
	rm -rf dist
