#!/usr/bin/env bash
# Fuzz every target for a bounded time under a memory limit, seeded from testdata/ (fuzz/seed.py)
# and from the inputs that once crashed acrlint (fuzz/regressions/). A crash, a leak past the
# memory limit or a hang fails the gate; libFuzzer leaves the input under fuzz/artifacts/<target>/,
# and it belongs in fuzz/regressions/<target>/, where tests/fuzz_regressions.rs replays it.
#
#   .ci/fuzz.sh [SECONDS_PER_TARGET]      # default 10, or FUZZ_SECONDS
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-${FUZZ_SECONDS:-10}}"

# cargo fuzz needs nightly's -Z flags: the nightly toolchain when installed, else the stable
# compiler told to accept them.
if rustup run nightly rustc --version >/dev/null 2>&1; then
    fuzz=(cargo +nightly fuzz)
else
    echo "no nightly toolchain: cargo fuzz runs on stable with RUSTC_BOOTSTRAP=1"
    export RUSTC_BOOTSTRAP=1
    fuzz=(cargo fuzz)
fi
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked --version 0.13.2

corpus=target/fuzz-corpus
python3 fuzz/seed.py "$corpus" >/dev/null
for dir in fuzz/regressions/*/; do
    [ -d "$dir" ] && cp "$dir"* "$corpus/$(basename "$dir")/" 2>/dev/null || true
done
# No sanitizer: acrlint has no unsafe code, and the build is much faster. Debug assertions on,
# so that an arithmetic overflow is a crash, as in the tests.
opts=(--sanitizer none --debug-assertions)
dict_for() {
    case "$1" in
        arm_*|json) echo "-dict=fuzz/dict/arm.dict" ;;
        hcl_*|tfvars|tf_json) echo "-dict=fuzz/dict/hcl.dict" ;;
    esac
}
mkdir -p target
"${fuzz[@]}" build "${opts[@]}" >target/fuzz-build.log 2>&1 ||
    { tail -n 50 target/fuzz-build.log; echo "building the fuzz targets failed" >&2; exit 1; }
for target in $("${fuzz[@]}" list); do
    echo "-- $target: ${seconds}s"
    log="target/fuzz-$target.log"
    # shellcheck disable=SC2046 # the dictionary option is one word or none
    if ! "${fuzz[@]}" run "${opts[@]}" "$target" "$corpus/$target" -- \
        -max_total_time="$seconds" -rss_limit_mb=2048 -malloc_limit_mb=2048 -timeout=20 \
        $(dict_for "$target") -print_final_stats=1 >"$log" 2>&1; then
        tail -n 60 "$log"
        echo "fuzzing $target failed: the input is under fuzz/artifacts/$target/" >&2
        exit 1
    fi
    grep -E "^(stat::number_of_executed_units|stat::peak_rss_mb|#[0-9]+ +DONE)" "$log" || true
done
