#!/usr/bin/env bash
# The run step of the Azure Pipelines template (ci/azure-pipelines/acrlint.yml passes its
# parameters as ACRLINT_* variables). Runs acrlint once and writes, from that run:
#   - logging commands on standard output (`--format azure-devops`): each finding an error or
#     warning on the run, at its file and line;
#   - SARIF to ACRLINT_SARIF_DIR/acrlint.sarif (default
#     $BUILD_ARTIFACTSTAGINGDIRECTORY/CodeAnalysisLogs), which the template publishes as the
#     CodeAnalysisLogs artifact;
#   - the Markdown report as the run's summary tab (`task.uploadsummary`), when ACRLINT_SUMMARY
#     is true;
#   - output variables findings, exitCode and sarifFile;
# then exits as ACRLINT_FAIL_ON says (as ci/github/run.sh).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=../lib.sh
. "$here/lib.sh"

variable() {
    echo "##vso[task.setvariable variable=$1;isOutput=true]$2"
}
log_error() {
    echo "##vso[task.logissue type=error]$1"
}
usage_error() {
    log_error "acrlint: $1"
    variable exitCode 2
    exit 2
}

summary=${ACRLINT_SUMMARY:-true}
case "$summary" in
true | True | false | False) ;;
*) usage_error "summary must be true or false, not '$summary'" ;;
esac
acrlint_prepare "${ACRLINT_PATHS:-.}" "${ACRLINT_FAIL_ON:-}" "${ACRLINT_CONFIG:-}" "${ACRLINT_ARGS:-}" 2>/dev/null ||
    usage_error "failOn must be critical, high, medium, low, info or none, not '${ACRLINT_FAIL_ON:-}'"
acrlint_exclude "$here/.."

sarif_dir=${ACRLINT_SARIF_DIR:-${BUILD_ARTIFACTSTAGINGDIRECTORY:?neither ACRLINT_SARIF_DIR nor BUILD_ARTIFACTSTAGINGDIRECTORY is set}/CodeAnalysisLogs}
sarif="$sarif_dir/acrlint.sarif"
mkdir -p "$sarif_dir"
rm -f "$sarif"
# The summary file must outlive the step: the agent uploads it when the job ends.
work="$(mktemp -d "${AGENT_TEMPDIRECTORY:-${TMPDIR:-/tmp}}/acrlint.XXXXXX")"

ACRLINT_CMD+=(--format azure-devops --also "json=$work/acrlint.json" --also "sarif=$sarif")
case "$summary" in
true | True) ACRLINT_CMD+=(--also "markdown=$work/acrlint.md") ;;
esac

acrlint_run
findings=$(acrlint_findings "$work/acrlint.json")
if [ -s "$work/acrlint.md" ]; then
    echo "##vso[task.uploadsummary]$work/acrlint.md"
fi
variable findings "$findings"
variable exitCode "$ACRLINT_CODE"
if [ -f "$sarif" ]; then variable sarifFile "$sarif"; else variable sarifFile ""; fi

acrlint_finish failOn step log_error "$findings"
