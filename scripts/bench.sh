#!/usr/bin/env bash
# Benchmarks (not part of CI), against the release server on loopback:
# - the cost of bearer authentication: `GET /api/v1/me` with a token against a minimal
#   unauthenticated answer through the same stack (`GET /api/v1/none`, a 404 in the envelope),
#   32 kept-alive connections, interleaved, RATE_SECONDS (default 3) each, RATE_ROUNDS times
#   (default 4, in alternating order, after a second of each not counted);
# - a soak: mixed traffic at full rate (sign-ins, token creations, REST reads and writes) for
#   SOAK_SECONDS (default 60) with SOAK_WORKERS clients (default 16); it fails on any 5xx, any
#   401 or any other unexpected answer, and prints the server's memory before, at its peak and
#   after;
# - a static file (the page) on 8 kept-alive connections;
# - the server's memory after 100 sign-ins in bursts of 8, and 2 s later;
# - with the built client (dist/): the bytes a browser asking for `br, gzip` receives for the
#   first load of /login, and apart from them what that page prefetches for after sign-in, the
#   latency of the 2nd and 3rd request on one kept-alive connection, and, with chromedriver,
#   page timings in headless Chromium (see tests/examples/page_times.rs);
# - with --criterion, the criterion benchmark of token verification.
# Every measure ends up in one table, printed last.

source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
ensure_rust
cd "$ROOT"

if [ "${1:-}" = "--criterion" ]; then
  step "Criterion: token verification"
  cargo bench --locked -p app --features ssr --bench verify
fi

step "Building the release server and the benchmark clients"
cargo build --release --locked -p server --bin tessera --example soak --example rate
bin="$CARGO_TARGET_DIR/release/tessera"
soak="$CARGO_TARGET_DIR/release/examples/soak"
rate="$CARGO_TARGET_DIR/release/examples/rate"
page_times=""
if [ -f "$ROOT/dist/index.html" ] && have chromedriver; then
  cargo build --release --locked -p tessera-tests --example page_times
  page_times="$CARGO_TARGET_DIR/release/examples/page_times"
fi

work="$(mktemp -d)"
summary="$work/summary"
# Adds a row to the table printed at the end.
row() { printf '| %s | %s |\n' "$1" "$2" >>"$summary"; }
rss_mib() { awk -v key="$2:" '$1 == key { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }
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

step "Memory: 100 sign-ins in bursts of 8"
idle="$(rss_mib "$server_pid" VmRSS)"
codes="$work/sign-in-codes"
for burst in $(seq 0 12); do
  burst_pids=()
  for i in $(seq 1 8); do
    n=$((burst * 8 + i))
    [ "$n" -le 100 ] || break
    curl -s -o /dev/null -w '%{http_code}\n' -H "Origin: $base" --data-urlencode "username=soak$i" \
      --data-urlencode "password=$password" "$base/rpc/sign_in" >>"$codes" &
    burst_pids+=($!)
  done
  wait "${burst_pids[@]}"
done
after="$(rss_mib "$server_pid" VmRSS)"
sleep 2
later="$(rss_mib "$server_pid" VmRSS)"
peak="$(rss_mib "$server_pid" VmHWM)"
signed_in="$(grep -c '^200$' "$codes" || true)"
echo "$signed_in of 100 sign-ins answered 200; RSS idle $idle MiB, peak $peak MiB, right after $after MiB, 2 s later $later MiB"
row "server memory (RSS), 100 sign-ins in bursts of 8 ($signed_in answered 200): idle / peak / 2 s after" \
  "$idle / $peak / $later MiB"

if [ -f "$dist/index.html" ]; then
  step "Bytes over the wire for the first load of /login (Accept-Encoding: br, gzip)"
  # What the page needs (its stylesheets and scripts), and apart from that what it prefetches
  # at idle priority for the page after sign-in.
  login_page="$(curl -fsS "$base/login")"
  tags="$(grep -oE '<(link|script)[^>]*>' <<<"$login_page" || true)"
  files="$(grep -v 'rel="prefetch"' <<<"$tags" | grep -oE '(href|src)="/[^"]+\.(js|wasm|css)"' | cut -d'"' -f2 | sort -u || true)"
  prefetched="$(grep 'rel="prefetch"' <<<"$tags" | grep -oE 'href="/[^"]+"' | cut -d'"' -f2 | sort -u || true)"
  # Adds the bytes (headers included) of each path to the variable named first.
  add_bytes() {
    local -n sum="$1"
    shift
    for path in "$@"; do
      read -r encoding headers body < <(curl -fsS -o /dev/null -H 'Accept-Encoding: br, gzip' \
        -w '%header{content-encoding} %{size_header} %{size_download}\n' "$base$path" | sed 's/^ /identity /')
      printf '%-40s %-8s %8d B (headers %d B)\n' "$path" "$encoding" "$body" "$headers"
      sum=$((sum + headers + body))
    done
  }
  total=0
  # shellcheck disable=SC2086 # one path per word
  add_bytes total /login $files
  prefetch_total=0
  # shellcheck disable=SC2086
  add_bytes prefetch_total $prefetched
  wasm="$(ls "$dist"/*_bg.wasm | head -n 1)"
  wasm_bytes="$(wc -c <"$wasm")"
  wasm_gzip="$(gzip -9 -c "$wasm" | wc -c)"
  wasm_br="$(wc -c <"$wasm.br" 2>/dev/null || echo 0)"
  echo "total $total B, and $prefetch_total B prefetched; the wasm: $wasm_bytes B, gzip -9 $wasm_gzip B, brotli $wasm_br B"
  row "bytes over the wire, first load of /login (html + js + wasm + css, headers included)" \
    "$(awk -v b="$total" 'BEGIN { printf "%.0f KB", b / 1000 }')"
  row "prefetched by /login at idle priority for My profile (main module, the account's split, shared code)" \
    "$(awk -v b="$prefetch_total" 'BEGIN { printf "%.0f KB", b / 1000 }')"
  row "the wasm: as built / gzip -9 / brotli" \
    "$(awk -v a="$wasm_bytes" -v g="$wasm_gzip" -v r="$wasm_br" 'BEGIN { printf "%.0f / %.0f / %.0f KB", a / 1000, g / 1000, r / 1000 }')"

  step "Latency of static files on one kept-alive connection (20 requests each)"
  js="$(grep '\.js$' <<<"$prefetched" | head -n 1)"
  for path in /login "$js"; do
    outputs=()
    for _ in $(seq 1 20); do outputs+=(-o /dev/null "$base$path"); done
    curl -fsS -H 'Accept-Encoding: br, gzip' -w '%{num_connects} %{time_total}\n' "${outputs[@]}" >"$work/keepalive"
    reused="$(awk 'NR > 1 && $1 == 0' "$work/keepalive" | wc -l)"
    times="$(awk 'NR == 2 || NR == 3 { printf "%s%.2f ms", (NR == 3 ? ", " : ""), $2 * 1000 }' "$work/keepalive")"
    median="$(awk 'NR > 1 { print $2 * 1000 }' "$work/keepalive" | sort -n | awk '{ a[NR] = $1 } END { printf "%.2f", a[int((NR + 1) / 2)] }')"
    echo "$path: 2nd and 3rd request $times; median of requests 2-20 $median ms ($reused of 19 on the same connection)"
    row "static file on one kept-alive connection, $path: 2nd, 3rd request (median of 2nd-20th)" "$times (median $median ms)"
  done
else
  echo "(no built client in dist/: the first-load, keep-alive and browser rows are skipped)"
fi

step "Bearer authentication cost against $base"
jar="$work/cookies"
curl -fsS -c "$jar" -H "Origin: $base" --data-urlencode "username=soak1" --data-urlencode "password=$password" \
  "$base/rpc/sign_in" >/dev/null
token="$(curl -fsS -b "$jar" -H "Origin: $base" -d "name=bench&expiry=never&expires_at=&access=read_write&description=&source=" "$base/rpc/create_token" \
  | grep -o '"secret":"[^"]*"' | cut -d'"' -f4)"
# A second of each first, not counted (connections, caches and allocator warm up); then
# RATE_ROUNDS pairs (default 4), in alternating order, so that neither answer is always
# measured first and a slow spell of the machine falls on both. The ratio is of the sums.
"$rate" "$base/api/v1/me" 1 32 "$token" >/dev/null
"$rate" "$base/api/v1/none" 1 32 >/dev/null
for round in $(seq 1 "${RATE_ROUNDS:-4}"); do
  order="me none"
  [ $((round % 2)) -eq 0 ] && order="none me"
  for path in $order; do
    if [ "$path" = me ]; then
      "$rate" "$base/api/v1/me" "${RATE_SECONDS:-3}" 32 "$token" | tee -a "$work/rates"
    else
      "$rate" "$base/api/v1/none" "${RATE_SECONDS:-3}" 32 | tee -a "$work/rates"
    fi
  done
done
if [ -f "$dist/index.html" ]; then
  step "A static file on kept-alive connections"
  "$rate" "$base/index.html" "${RATE_SECONDS:-3}" 8 | tee "$work/static"
  row "a static file (the page), 8 kept-alive connections" \
    "$(sed 's/^[^ ]* //; s/, statuses.*//' "$work/static")"
fi
ratio="$(awk '/\/api\/v1\/me:/ { me += $2; n++; m[n] = $2 } /\/api\/v1\/none:/ { none += $2; k++; o[k] = $2 }
     END { if (none > 0) { printf "%.2f (%.0f vs %.0f req/s; rounds", me / none, me / n, none / n
           for (i = 1; i <= n; i++) printf "%s %.2f", (i > 1 ? "," : ""), m[i] / o[i]; printf ")" } }' "$work/rates")"
echo "authenticated / minimal: $ratio"
row "bearer auth: GET /api/v1/me with a token ÷ minimal answer, 32 connections" "$ratio"

if [ -n "$page_times" ]; then
  step "Page timings in headless Chromium"
  "$page_times" "$base" soak1 "$password" "${PAGE_RUNS:-5}" | tee "$work/pages"
  while IFS= read -r line; do row "${line%%: median*}" "median ${line#*: median }"; done <"$work/pages"
fi

step "Soak: ${SOAK_SECONDS:-60} s against $base"
soak_ok=1
"$soak" "$base" "${SOAK_SECONDS:-60}" "${SOAK_WORKERS:-16}" "$server_pid" "${users[@]}" | tee "$work/soak" || soak_ok=""
row "soak, ${SOAK_SECONDS:-60} s, ${SOAK_WORKERS:-16} clients: sign-ins, token creations, REST reads and writes" \
  "$(grep -o '[0-9]* requests' "$work/soak"); $(grep -o '^5xx: [0-9]*; 401: [0-9]*' "$work/soak")"
row "server memory during the soak" "$(grep -o 'server RSS: .*' "$work/soak" | cut -d' ' -f3-)"

step "Summary ($([ -n "${BENCH_POSTGRES_URL:-}" ] && echo PostgreSQL || echo SQLite))"
echo "| what | measured |"
echo "|---|---|"
cat "$summary"
if [ -z "$soak_ok" ]; then
  echo "error: the soak saw unexpected answers (see above)" >&2
  exit 1
fi
