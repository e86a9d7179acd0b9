#!/usr/bin/env bash
# The GitHub Action's run step (action.yml passes its inputs as INPUT_* variables). Runs acrlint
# once and writes, from that run:
#   - workflow annotations on standard output (`--format github`), when `format` has `github`;
#   - SARIF to INPUT_SARIF_FILE, when `format` has `sarif` (for github/codeql-action/upload-sarif);
#   - the Markdown report appended to $GITHUB_STEP_SUMMARY, when INPUT_SUMMARY is true and GitHub
#     gives a summary file;
#   - the outputs findings, exit-code and sarif-file to $GITHUB_OUTPUT;
# then exits as `fail-on` says: 1 on findings at or above it (never with `none`), 2 when acrlint
# could not check (a usage error, a file it could not parse).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=../lib.sh
. "$here/lib.sh"

output() {
    if [ -n "${GITHUB_OUTPUT:-}" ]; then echo "$1=$2" >>"$GITHUB_OUTPUT"; fi
}
log_error() {
    echo "::error title=acrlint::$1"
}
# A failure before acrlint runs still sets exit-code, and says why as an annotation.
usage_error() {
    log_error "$1"
    output exit-code 2
    exit 2
}

formats=${INPUT_FORMAT:-github,sarif}
sarif=${INPUT_SARIF_FILE:-acrlint.sarif}
summary=${INPUT_SUMMARY:-true}
case "$summary" in
true | false) ;;
*) usage_error "summary must be true or false, not '$summary'" ;;
esac

acrlint_prepare "${INPUT_PATHS:-.}" "${INPUT_FAIL_ON:-}" "${INPUT_CONFIG:-}" "${INPUT_ARGS:-}" 2>/dev/null ||
    usage_error "fail-on must be critical, high, medium, low, info or none, not '${INPUT_FAIL_ON:-}'"
acrlint_exclude "$here/.."

work="$(mktemp -d "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/acrlint.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# `format`: a list of acrlint formats. `sarif` is written to the SARIF file; the other one (at most
# one) is printed to the log. The JSON report always goes to a scratch file, for the count.
log=""
want_sarif=false
read -r -d '' -a list <<<"${formats//,/ }" || true
for f in "${list[@]}"; do
    case "$f" in
    sarif) want_sarif=true ;;
    pretty | compact | json | github | azure-devops | junit | gitlab | markdown | dot)
        [ -z "$log" ] || usage_error "format lists two formats for the log ($log and $f); only sarif is written to a file"
        log=$f
        ;;
    *) usage_error "format: unknown format '$f' (github, sarif, compact, pretty, json, markdown, ...)" ;;
    esac
done
if [ -n "$log" ]; then
    ACRLINT_CMD+=(--format "$log" --color always --also "json=$work/acrlint.json")
else
    ACRLINT_CMD+=(--format json --output "$work/acrlint.json")
fi
if $want_sarif; then
    mkdir -p "$(dirname "$sarif")"
    rm -f "$sarif"
    ACRLINT_CMD+=(--also "sarif=$sarif")
fi
to_summary=false
if $summary && [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
    to_summary=true
    ACRLINT_CMD+=(--also "markdown=$work/acrlint.md")
fi

acrlint_run
findings=$(acrlint_findings "$work/acrlint.json")

if $to_summary; then
    if [ -s "$work/acrlint.md" ]; then
        # GitHub refuses a step summary over 1 MiB: say so rather than lose the step's summary.
        size=$(wc -c <"$work/acrlint.md")
        if [ "$size" -le 1000000 ]; then
            cat "$work/acrlint.md" >>"$GITHUB_STEP_SUMMARY"
        else
            printf '**acrlint: %s findings**: the report (%s bytes) is too large for the job summary; see the annotations or the SARIF file.\n' \
                "$findings" "$size" >>"$GITHUB_STEP_SUMMARY"
        fi
    else
        printf '**acrlint could not check** (exit code %s): see the log of the acrlint step.\n' \
            "$ACRLINT_CODE" >>"$GITHUB_STEP_SUMMARY"
    fi
fi

output findings "$findings"
output exit-code "$ACRLINT_CODE"
if $want_sarif && [ -f "$sarif" ]; then output sarif-file "$sarif"; else output sarif-file ""; fi

acrlint_finish fail-on step log_error "$findings"
