#!/usr/bin/env bash
# Benchmarks (not part of CI), against the release server on loopback:
# - the cost of bearer authentication: `GET /api/v1/me` with a token against a minimal
#   unauthenticated answer through the same stack (`GET /api/v1/none`, a 404 in the envelope),
#   32 kept-alive connections, interleaved, RATE_SECONDS (default 5) each, twice;
# - a soak: mixed traffic at full rate (sign-ins, token creations, REST reads and writes) for
#   SOAK_SECONDS (default 60) with SOAK_WORKERS clients (default 16); it fails on any 5xx, any
#   401 or any other unexpected answer, and prints the server's memory before, at its peak and
#   after;
# - a static file (the page) on 8 kept-alive connections;
# - with --criterion, the criterion benchmark of token verification.

source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
ensure_rust
cd "$ROOT"

if [ "${1:-}" = "--criterion" ]; then
  step "Criterion: token verification"
  cargo bench --locked -p app --features ssr --bench verify
fi

step "Building the release server and the soak client"
cargo build --release --locked -p server --bin tessera --example soak --example rate
bin="$CARGO_TARGET_DIR/release/tessera"
soak="$CARGO_TARGET_DIR/release/examples/soak"
rate="$CARGO_TARGET_DIR/release/examples/rate"

work="$(mktemp -d)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  if [ -n "${bench_db:-}" ]; then psql -q "$BENCH_POSTGRES_URL" -c "DROP DATABASE IF EXISTS $bench_db WITH (FORCE)" || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
# SQLite by default; BENCH_POSTGRES_URL=postgres://user@host/any runs against a fresh
# PostgreSQL database created there (and dropped afterwards) instead.
if [ -n "${BENCH_POSTGRES_URL:-}" ]; then
  bench_db="tessera_bench_$$"
  psql -q "$BENCH_POSTGRES_URL" -c "CREATE DATABASE $bench_db"
  db="${BENCH_POSTGRES_URL%/*}/$bench_db"
else
  db="sqlite://$work/data/bench.db"
fi
password="soak test password 1"

step "Preparing a database with 8 users in one group"
"$bin" --database-url "$db" group create "Soak" >/dev/null
users=()
for i in 1 2 3 4 5 6 7 8; do
  printf '%s' "$password" | "$bin" --database-url "$db" user create "soak$i" --group "Soak" --password-stdin >/dev/null
  users+=("soak$i:$password")
done

step "Starting tessera serve on a free loopback port"
# The built client when there is one (scripts/run.sh or scripts/test.sh build it).
dist="$work/no-client"
if [ -f "$ROOT/dist/index.html" ]; then dist="$ROOT/dist"; fi
"$bin" --database-url "$db" serve --addr 127.0.0.1:0 --dist "$dist" \
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

step "Bearer authentication cost against $base"
jar="$work/cookies"
curl -fsS -c "$jar" -H "Origin: $base" --data-urlencode "username=soak1" --data-urlencode "password=$password" \
  "$base/rpc/sign_in" >/dev/null
token="$(curl -fsS -b "$jar" -H "Origin: $base" -d "name=bench&expiry=never&expires_at=" "$base/rpc/create_token" \
  | grep -o '"secret":"[^"]*"' | cut -d'"' -f4)"
for round in 1 2; do
  "$rate" "$base/api/v1/me" "${RATE_SECONDS:-5}" 32 "$token" | tee -a "$work/rates"
  "$rate" "$base/api/v1/none" "${RATE_SECONDS:-5}" 32 | tee -a "$work/rates"
done
if [ -f "$dist/index.html" ]; then
  step "A static file on kept-alive connections"
  "$rate" "$base/index.html" "${RATE_SECONDS:-5}" 8
fi
awk '/\/api\/v1\/me:/ { me += $2; n++ } /\/api\/v1\/none:/ { none += $2 }
     END { if (none > 0) printf "authenticated / minimal: %.2f (%.0f vs %.0f req/s)\n", me / none, me / n, none / n }' "$work/rates"

step "Soak: ${SOAK_SECONDS:-60} s against $base"
"$soak" "$base" "${SOAK_SECONDS:-60}" "${SOAK_WORKERS:-16}" "$server_pid" "${users[@]}"
