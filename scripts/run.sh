#!/usr/bin/env bash
# The run command: installs what is missing, builds the client and the server in release,
# and serves Tessera on http://127.0.0.1:3000 with its data in data/tessera.db.
# On an empty database it loads a demo account. Extra arguments go to `tessera serve`.

source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
ensure_build_tools
cd "$ROOT"

step "Building the browser client (release)"
trunk build --release

step "Building the server (release; the first build takes a few minutes)"
cargo build --release --locked -p server --bin tessera

step "Starting Tessera"
exec "$CARGO_TARGET_DIR/release/tessera" serve --dist "$ROOT/dist" --seed-demo "$@"
