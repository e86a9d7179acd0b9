#!/usr/bin/env bash
# Times Checkov 3.3 and acrlint on the corpus `cargo bench --bench scan` generates (issue 2: acrlint
# must be at least 200x faster than Checkov 3.3 on the same corpus). Manual only, not part of CI: it
# needs network access to install Checkov from PyPI, and GNU time (/usr/bin/time).
#
#   benches/checkov.sh                          # 3 Checkov runs, 10 acrlint runs
#   CHECKOV_RUNS=1 ACRLINT_BENCH_STACKS=1000 benches/checkov.sh
#
# Checkov runs with --skip-download: otherwise it first tries to fetch guidelines from Prisma Cloud,
# which only adds a network wait (or a failed lookup offline) and changes no result on this corpus.
# The machine's load is printed with every run: on a shared machine, compare runs at similar load.
set -euo pipefail
cd "$(dirname "$0")/.."

CHECKOV_RUNS=${CHECKOV_RUNS:-3}
ACRLINT_RUNS=${ACRLINT_RUNS:-10}
CORPUS=${CORPUS:-target/bench-corpus}
VENV=${VENV:-target/checkov-venv}
TIME=/usr/bin/time

if ! "$TIME" -f %e true >/dev/null 2>&1; then
    echo "needs GNU time at $TIME (apt-get install time)" >&2
    exit 2
fi

echo "== corpus: $CORPUS"
# Only the folders the generator writes, so a stale larger corpus does not linger.
rm -rf "$CORPUS/terraform" "$CORPUS/arm" "$CORPUS/deep"
ACRLINT_BENCH_CORPUS="$CORPUS" cargo bench --bench scan
echo "files: $(find "$CORPUS" -type f | wc -l) ($(find "$CORPUS" -name '*.tf' | wc -l) .tf, $(find "$CORPUS" -name '*.json' | wc -l) .json)"

echo "== acrlint build"
cargo build --release --quiet

if [ ! -x "$VENV/bin/checkov" ]; then
    echo "== checkov install into $VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet 'checkov>=3.3,<3.4'
fi
echo "checkov $("$VENV/bin/checkov" --version)"

# measure NAME RUNS OK_CODES CMD...: runs CMD RUNS times (stdout kept in target/NAME.json), prints wall time, CPU
# time (GNU time, includes child processes) and peak memory per run, and leaves the median wall time
# in $median. OK_CODES lists the exit codes that mean the tool ran (both exit 1 on findings).
measure() {
    local name=$1 runs=$2 ok=$3
    shift 3
    local walls=() out code start end wall user sys rss load
    out=$(mktemp)
    for run in $(seq "$runs"); do
        load=$(cut -d' ' -f1-3 /proc/loadavg)
        code=0
        start=$(date +%s%N)
        "$TIME" -f '%U %S %M' -o "$out" "$@" >"target/$name.json" 2>"$out.err" || code=$?
        end=$(date +%s%N)
        if [[ " $ok " != *" $code "* ]]; then
            echo "$name exited with $code:" >&2
            tail -20 "$out.err" >&2
            exit 1
        fi
        wall=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.4f", (b - a) / 1e9 }')
        read -r user sys rss < <(tail -1 "$out")
        awk -v n="$name" -v r="$run" -v w="$wall" -v u="$user" -v s="$sys" -v m="$rss" -v c="$code" -v l="$load" \
            'BEGIN { printf "%-8s run %2d: wall %8.3f s  cpu %7.2f s (user %.2f, sys %.2f)  peak rss %4d MiB  exit %d  load %s\n", n, r, w, u + s, u, s, m / 1024, c, l }'
        walls+=("$wall")
    done
    median=$(printf '%s\n' "${walls[@]}" | sort -g | sed -n "$(((runs + 1) / 2))p")
    rm -f "$out" "$out.err"
}

echo "== checkov"
measure checkov "$CHECKOV_RUNS" "0 1" "$VENV/bin/checkov" -d "$CORPUS" --framework terraform arm \
    --quiet --compact --skip-download -o json
checkov_median=$median

echo "== acrlint"
measure acrlint "$ACRLINT_RUNS" "0 1" target/release/acrlint check "$CORPUS" --format json
acrlint_median=$median

# What each tool saw: a ratio against a run that loaded nothing would mean nothing.
echo "== results"
python3 - target/checkov.json target/acrlint.json <<'PY'
import json, sys
checkov = json.load(open(sys.argv[1]))
for r in checkov if isinstance(checkov, list) else [checkov]:
    s = r["summary"]
    print(f"checkov {r['check_type']}: {s['resource_count']} resources, {s['failed']} failed checks, "
          f"{s['passed']} passed, {s['parsing_errors']} parsing errors")
acrlint = json.load(open(sys.argv[2]))
s = acrlint["summary"]
print(f"acrlint: {s['files']} files, {s['resources']} resources, {s['findings']} findings, "
      f"{s['unknown']} unknown, {len(acrlint['errors'])} errors")
if s["resources"] == 0:
    print("warning: acrlint loaded no resources, so its time is not a real scan")
PY

echo "== median wall time"
echo "checkov: $checkov_median s"
echo "acrlint: $acrlint_median s"
awk -v c="$checkov_median" -v a="$acrlint_median" \
    'BEGIN { printf "ratio:   %.0fx (target: at least 200x)\n", c / a }'
