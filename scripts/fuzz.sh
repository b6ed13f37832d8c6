#!/usr/bin/env bash
# Runs each cargo-fuzz target (tests/fuzz) for SECONDS (default 20), seeded
# from tests/mail and tests/fuzz/seeds. cargo-fuzz needs a nightly
# toolchain; without one this says SKIPPED and why, and the stable property
# tests over arbitrary bytes (cargo test) still cover every parser.
#   scripts/fuzz.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
seconds="${1:-20}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(csv mapping json mail canned closure period)

if ! cargo +nightly --version >/dev/null 2>&1; then
    echo "fuzz: SKIPPED: no nightly toolchain here (cargo-fuzz needs one)"
    exit 0
fi
# cargo-fuzz itself comes from crates.io, into the project's target dir.
tools="$root/target/fuzz-tools"
if ! "$tools/bin/cargo-fuzz" --version >/dev/null 2>&1; then
    echo "fuzz: installing cargo-fuzz into target/fuzz-tools"
    cargo install cargo-fuzz --locked --quiet --root "$tools"
fi
export PATH="$tools/bin:$PATH"

cd tests/fuzz
for t in "${targets[@]}"; do
    corpus="corpus/$t"
    mkdir -p "$corpus"
    seeds="seeds/$t"
    [ "$t" = mail ] && seeds="$root/tests/mail"
    echo "fuzz: $t for ${seconds}s"
    log="$(mktemp)"
    if ! cargo +nightly fuzz run --fuzz-dir . "$t" "$corpus" "$seeds" -- \
        -max_total_time="$seconds" -max_len=65536 -print_final_stats=1 >"$log" 2>&1; then
        # A crash leaves its input in artifacts/ and the trace in the log.
        tail -40 "$log"
        echo "fuzz: $t failed; inputs that fail are in tests/fuzz/artifacts/$t"
        exit 1
    fi
    grep -E "^(Done|stat::number_of_executed_units)" "$log" || true
    rm -f "$log"
done
echo "fuzz: every target ran ${seconds}s without a failure"
