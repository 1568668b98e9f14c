#!/usr/bin/env bash
# Benchmarks (not part of CI): a soak of the release server — mixed traffic at full rate on
# loopback (sign-ins, token creations, REST reads and writes) for SOAK_SECONDS (default 60)
# with SOAK_WORKERS concurrent clients (default 16) — and, with --criterion, the criterion
# benchmark of token verification. The soak fails on any 5xx, any 401 or any other
# unexpected answer, and prints the server's memory before, at its peak and after.

source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
ensure_rust
cd "$ROOT"

if [ "${1:-}" = "--criterion" ]; then
  step "Criterion: token verification"
  cargo bench --locked -p app --features ssr --bench verify
fi

step "Building the release server and the soak client"
cargo build --release --locked -p server --bin tessera --example soak
bin="$CARGO_TARGET_DIR/release/tessera"
soak="$CARGO_TARGET_DIR/release/examples/soak"

work="$(mktemp -d)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
db="sqlite://$work/data/bench.db"
password="soak test password 1"

step "Preparing a database with 8 users in one group"
"$bin" --database-url "$db" group create "Soak" >/dev/null
users=()
for i in 1 2 3 4 5 6 7 8; do
  printf '%s' "$password" | "$bin" --database-url "$db" user create "soak$i" --group "Soak" --password-stdin >/dev/null
  users+=("soak$i:$password")
done

step "Starting tessera serve on a free loopback port"
"$bin" --database-url "$db" serve --addr 127.0.0.1:0 --dist "$work/no-client" \
  --pepper-file "$work/data/pepper" --objects-per-minute 100000 >"$work/out" 2>"$work/log" &
server_pid=$!
for _ in $(seq 1 100); do
  grep -q "listening on" "$work/out" 2>/dev/null && break
  sleep 0.1
done
base="$(grep -o 'http://[0-9.:]*' "$work/out" | head -n 1)"
if [ -z "$base" ]; then
  echo "error: the server did not start:" >&2
  cat "$work/log" >&2
  exit 1
fi

step "Soak: ${SOAK_SECONDS:-60} s against $base"
"$soak" "$base" "${SOAK_SECONDS:-60}" "${SOAK_WORKERS:-16}" "$server_pid" "${users[@]}"
