#!/usr/bin/env bash
# Counts what the release server executes per request, in instructions (valgrind's callgrind):
# `GET /api/v1/me` with a token against the minimal answer (`GET /api/v1/none`), each
# REQUESTS times (default 300) on one kept-alive connection after 50 not counted. Unlike a
# rate, an instruction count does not move with whatever else the machine is doing, so it
# tells whether a change made authentication cheaper. Not part of CI; takes about a minute
# after the build. Installs valgrind from Debian's packages when it is missing.

source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
ensure_rust
cd "$ROOT"
if ! have valgrind || ! have callgrind_control; then
  step "Installing valgrind (callgrind counts the instructions)"
  apt_install valgrind
fi

step "Building the release server"
cargo build --release --locked -p server --bin tessera
bin="$CARGO_TARGET_DIR/release/tessera"
requests="${REQUESTS:-300}"

work="$(mktemp -d)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
db="sqlite://$work/data/instructions.db"
password="instruction count password 1"
"$bin" --database-url "$db" group create "Counted" >/dev/null
printf '%s' "$password" | "$bin" --database-url "$db" user create counted --group "Counted" --password-stdin >/dev/null

step "Starting tessera serve under callgrind (slow: everything runs on valgrind's CPU)"
port=$((20000 + RANDOM % 20000))
base="http://127.0.0.1:$port"
valgrind --tool=callgrind --callgrind-out-file="$work/callgrind.%p" "$bin" --database-url "$db" serve \
  --addr "127.0.0.1:$port" --dist "$work/no-client" --pepper-file "$work/data/pepper" \
  >"$work/out" 2>"$work/log" &
server_pid=$!
for _ in $(seq 1 600); do
  grep -q "listening on" "$work/out" 2>/dev/null && break
  sleep 0.2
done
grep -q "listening on" "$work/out" || { cat "$work/log" >&2; echo "error: the server did not start" >&2; exit 1; }

# The password and the token are on curl's command line, visible to other local users for
# the moment each runs: they belong to a throwaway user in a temporary database, deleted
# with it on exit.
jar="$work/cookies"
curl -fsS -c "$jar" -H "Origin: $base" --data-urlencode "username=counted" --data-urlencode "password=$password" \
  "$base/rpc/sign_in" >/dev/null
token="$(curl -fsS -b "$jar" -H "Origin: $base" -d "name=counted&expiry=never&expires_at=&access=read&description=&source=" \
  "$base/rpc/create_token" | grep -o '"secret":"[^"]*"' | cut -d'"' -f4)"
[ -n "$token" ] || { echo "error: no token was created" >&2; exit 1; }

# A curl config asking for `path` n times: one process, one kept-alive connection.
requests_to() { for _ in $(seq 1 "$2"); do printf 'url = "%s%s"\noutput = /dev/null\n' "$base" "$1"; done; }
requests_to /api/v1/me 50 >"$work/me-warm"
requests_to /api/v1/none 50 >"$work/none-warm"
requests_to /api/v1/me "$requests" >"$work/me"
requests_to /api/v1/none "$requests" >"$work/none"
curl -sS -H "Authorization: Bearer $token" -K "$work/me-warm"
curl -sS -K "$work/none-warm"

# Counts one batch: the counters are zeroed before it and dumped after it.
count() {
  local label="$1"
  shift
  callgrind_control -z "$server_pid" >/dev/null
  curl -sS "$@"
  callgrind_control -d "$label" "$server_pid" >/dev/null
}
count me -H "Authorization: Bearer $token" -K "$work/me"
count none -K "$work/none"

# The dumps are numbered in order: .1 for `/me`, .2 for the minimal answer.
per_request() {
  awk -v n="$requests" '/^(summary|totals):/ { printf "%.0f", $2 / n; exit }' "$work/callgrind.$server_pid.$1"
}
me="$(per_request 1)"
none="$(per_request 2)"
echo
echo "| instructions per request (callgrind, $requests requests on one connection) | count |"
echo "|---|---|"
echo "| GET /api/v1/me with a token | $me |"
echo "| GET /api/v1/none (minimal answer) | $none |"
echo "| what /me adds | $((me - none)) |"
awk -v m="$me" -v n="$none" 'BEGIN { printf "| minimal ÷ /me (the auth ratio in instructions) | %.3f |\n", n / m }'
