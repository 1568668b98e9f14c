#!/usr/bin/env bash
# Installs what building Tessera needs, skipping whatever is already there. Sourced by
# scripts/run.sh and scripts/test.sh; safe to run again and again.
#
# Everything comes from package registries (crates.io, npm, Debian): nothing is downloaded
# from anywhere else, so it works on a machine that reaches only those.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${TESSERA_CACHE:-$HOME/.cache/tessera}"
# One target folder outside the clone: a fresh clone reuses earlier builds.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$CACHE/target}"
export PATH="$HOME/.cargo/bin:$CACHE/tools/node_modules/.bin:$PATH"
# The client is public, and its panic messages name each crate's source file where Cargo keeps
# it, under this machine's home folder: the browser build names them from the registry instead
# (added to the flags in .cargo/config.toml, not in their place).
# Cargo splits this variable at spaces, so a home folder with one in it keeps its paths; and
# the flag goes in once, however often this file is sourced (other flags would rebuild).
remap="--remap-path-prefix=${CARGO_HOME:-$HOME/.cargo}/registry/src=registry"
case "$remap" in
  *[[:space:]]*) ;;
  *) case " ${CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS:-} " in
       *" $remap "*) ;;
       *) export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="${CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS:+$CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS }$remap" ;;
     esac ;;
esac

TRUNK_VERSION="0.21.14"      # 0.22 needs a newer rustc than this toolchain
BINARYEN_VERSION="132.0.0"   # wasm-opt; Debian's binaryen 108 silently breaks the client
WASM_SPLIT_VERSION="0.2.4"   # wasm-split-cli, which cuts the pages out of the client's main wasm
AXE_VERSION="4.14.1"         # axe-core, the accessibility audit the browser tests run

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
have() { command -v "$1" >/dev/null 2>&1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif have sudo; then sudo "$@"; else
    echo "error: '$*' needs root; run it as root or install sudo" >&2; return 1
  fi
}

apt_updated=""
apt_install() {
  if [ -z "$apt_updated" ]; then
    as_root apt-get update -qq
    apt_updated=1
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
}

ensure_rust() {
  if ! have cargo || ! have rustup; then
    echo "error: Rust is needed (rustup with cargo): see https://rustup.rs" >&2
    exit 1
  fi
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    step "Adding the wasm32 target (the browser client compiles to WebAssembly)"
    rustup target add wasm32-unknown-unknown
  fi
}

ensure_trunk() {
  if have trunk && trunk --version | grep -q " $TRUNK_VERSION"; then return; fi
  step "Installing trunk $TRUNK_VERSION, which builds the browser client (compiles from source: about 13 minutes on 2 cores)"
  cargo install trunk --version "$TRUNK_VERSION" --locked
}

wasm_bindgen_version() {
  # Exactly the version in Cargo.lock: the CLI and the library must match.
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock"
}

ensure_wasm_bindgen() {
  local version
  version="$(wasm_bindgen_version)"
  if have wasm-bindgen && wasm-bindgen --version | grep -q " $version"; then return; fi
  step "Installing wasm-bindgen-cli $version, matching Cargo.lock (compiles from source: about 3 minutes)"
  cargo install wasm-bindgen-cli --version "$version" --force
}

ensure_wasm_opt() {
  if have wasm-opt && wasm-opt --version | grep -q "version ${BINARYEN_VERSION%%.*}"; then return; fi
  ensure_npm
  step "Installing wasm-opt (binaryen $BINARYEN_VERSION from npm), which shrinks the client"
  mkdir -p "$CACHE/tools"
  npm install --prefix "$CACHE/tools" --no-audit --no-fund --loglevel=error "binaryen@$BINARYEN_VERSION"
}

ensure_openssl() {
  # scripts/split-client.sh computes the page's integrity attributes with it.
  if have openssl; then return; fi
  step "Installing openssl (the client's integrity hashes)"
  apt_install openssl
}

ensure_wasm_split() {
  # The CLI has no --version; cargo remembers what it installed.
  if have wasm-split-cli && cargo install --list | grep -x "wasm_split_cli_support v$WASM_SPLIT_VERSION:" >/dev/null; then
    return
  fi
  step "Installing wasm-split-cli $WASM_SPLIT_VERSION, which splits the client by page (compiles from source: about 2 minutes)"
  cargo install wasm_split_cli_support --version "$WASM_SPLIT_VERSION" --features build-binary --locked --force
}

ensure_npm() {
  if have npm; then return; fi
  step "Installing Node.js and npm (wasm-opt and axe-core come from the npm registry)"
  apt_install nodejs npm
}

ensure_axe() {
  local installed="$CACHE/tools/node_modules/axe-core/package.json"
  if [ -f "$installed" ] && grep -q "\"version\": \"$AXE_VERSION\"" "$installed"; then return; fi
  ensure_npm
  step "Installing axe-core $AXE_VERSION from npm, for the accessibility audits of the browser tests"
  mkdir -p "$CACHE/tools"
  npm install --prefix "$CACHE/tools" --no-audit --no-fund --loglevel=error "axe-core@$AXE_VERSION"
}
export TESSERA_AXE="$CACHE/tools/node_modules/axe-core/axe.min.js"

ensure_browser() {
  ensure_axe
  if have chromium && have chromedriver; then return; fi
  step "Installing Chromium and chromedriver from Debian (for the browser tests)"
  apt_install chromium chromium-driver
}

ensure_build_tools() {
  ensure_rust
  ensure_trunk
  ensure_wasm_bindgen
  ensure_wasm_opt
  ensure_wasm_split
  ensure_openssl
  step "Fetching crates"
  (cd "$ROOT" && cargo fetch --locked)
}
