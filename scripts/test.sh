#!/usr/bin/env bash
# The test command: installs what is missing (also Chromium and chromedriver), builds the
# client, and runs every test: unit (the server's and the client's), integration and browser,
# on SQLite; then, when TEST_DATABASE_URL names a PostgreSQL server, the integration tests
# again on PostgreSQL.
# Non-zero on any failure; the last line sums up.

source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
ensure_build_tools
ensure_browser
cd "$ROOT"

step "Building the browser client for the browser tests"
trunk build

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
status=0
export TESSERA_DIST="$ROOT/dist"

step "Running all tests on SQLite"
cargo test --locked --workspace 2>&1 | tee -a "$log" || status=1

step "Running the browser client's own unit tests (csr, natively)"
cargo test --locked -p app --lib --no-default-features --features csr 2>&1 | tee -a "$log" || status=1

if [ -n "${TEST_DATABASE_URL:-}" ]; then
  step "Running the integration tests again on PostgreSQL (${TEST_DATABASE_URL%%@*}@…)"
  TESSERA_TEST_BACKEND=postgres cargo test --locked -p tessera-tests --test integration 2>&1 | tee -a "$log" || status=1
else
  printf '\nPostgreSQL half SKIPPED: set TEST_DATABASE_URL=postgres://user@host/database to run the integration\n'
  printf 'tests on PostgreSQL as well (each test creates and drops a database of its own there).\n'
fi

passed=$(grep -Eo 'test result: [a-zA-Z]+\. [0-9]+ passed' "$log" | awk '{s += $4} END {print s + 0}')
failed=$(grep -Eo '[0-9]+ failed;' "$log" | awk '{s += $1} END {print s + 0}')
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo
echo "tests: $passed passed, $failed failed"
exit "$status"
