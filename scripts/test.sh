#!/usr/bin/env bash
# The test command: installs what is missing (also Chromium and chromedriver), builds the
# client, and runs every test: unit, integration and browser. Non-zero on any failure.

source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
ensure_build_tools
ensure_browser
cd "$ROOT"

step "Building the browser client for the browser tests"
trunk build

step "Running all tests"
export TESSERA_DIST="$ROOT/dist"
cargo test --locked --workspace
