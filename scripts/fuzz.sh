#!/usr/bin/env bash
# The fuzz command: runs each fuzz target in fuzz/ for a bounded time, one after another, and
# prints how many inputs each executed. Needs the nightly toolchain; installs cargo-fuzz from
# crates.io when it is missing. Non-zero when a target crashes.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]     (60 seconds per target, every target by default)
#
# The seeds in fuzz/corpus/<target>/ are only read. What a run discovers goes to a working
# corpus in the cache, kept for the next run; a crashing input is saved in
# fuzz/artifacts/<target>/ (the summary says how to replay it), and each target's full output
# in the cache's fuzz-logs/.

source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$ROOT"

seconds="${1:-60}"
if ! [[ "$seconds" =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: scripts/fuzz.sh [SECONDS] [TARGET...]" >&2
  exit 2
fi
shift $(($# > 0 ? 1 : 0))
if [ $# -gt 0 ]; then
  targets=("$@")
else
  targets=()
  for file in fuzz/fuzz_targets/*.rs; do targets+=("$(basename "$file" .rs)"); done
fi

# The parsers are safe Rust (the workspace forbids unsafe code), so no sanitizer by default:
# about twice the inputs per second. FUZZ_SANITIZER=address turns AddressSanitizer on.
fuzz_opts=(--sanitizer "${FUZZ_SANITIZER:-none}" --target-dir "$CACHE/target-fuzz")

if ! rustup run nightly rustc --version >/dev/null 2>&1; then
  echo "error: fuzzing needs the nightly toolchain (rustup toolchain install nightly)" >&2
  exit 1
fi
if ! have cargo-fuzz; then
  step "Installing cargo-fuzz from crates.io (compiles from source: about 2 minutes)"
  cargo +nightly install cargo-fuzz --locked
fi

step "Building the fuzz targets (the first build takes about 6 minutes)"
cargo +nightly fetch --locked --manifest-path fuzz/Cargo.toml
cargo +nightly fuzz build "${fuzz_opts[@]}"

mkdir -p "$CACHE/fuzz-logs"
summary=()
status=0
for target in "${targets[@]}"; do
  step "Fuzzing $target for $seconds s"
  work="$CACHE/fuzz-corpus/$target"
  log="$CACHE/fuzz-logs/$target.log"
  mkdir -p "$work"
  if cargo +nightly fuzz run "${fuzz_opts[@]}" "$target" "$work" "fuzz/corpus/$target" -- \
    -max_total_time="$seconds" -timeout=30 -print_final_stats=1 >"$log" 2>&1; then
    result="no crash"
  else
    result="CRASH: see $log; replay with cargo +nightly fuzz run ${fuzz_opts[*]} $target fuzz/artifacts/$target/<file>"
    status=1
    grep -E -A12 'panicked|ERROR: libFuzzer|SUMMARY' "$log" | head -40 || true
  fi
  runs="$(sed -nE 's/^stat::number_of_executed_units: *([0-9]+).*/\1/p' "$log" | tail -n 1)"
  grep -E '^Done [0-9]+ runs' "$log" || true
  summary+=("$(printf '%-18s %12s executions   %s' "$target" "${runs:-?}" "$result")")
done

echo
printf '%s\n' "${summary[@]}"
exit "$status"
