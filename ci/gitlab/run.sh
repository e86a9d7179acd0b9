#!/usr/bin/env bash
# The script of the GitLab CI template's job (ci/gitlab/acrlint.gitlab-ci.yml sets the ACRLINT_*
# variables). Installs acrlint (ACRLINT_INSTALL: `build` from ACRLINT_SOURCE, cached in
# .acrlint-cache/ by a hash of its Cargo.lock and sources; `path`: the acrlint on PATH), runs it
# once and writes, from that run:
#   - the report in the job log (ACRLINT_LOG_FORMAT, default pretty: the code, the offending value
#     labelled);
#   - the Code Quality report to ACRLINT_REPORT (default gl-code-quality-report.json), which the
#     job declares as artifacts:reports:codequality: the merge request widget and the diff show it;
# then exits as ACRLINT_FAIL_ON says (as ci/github/run.sh).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source_dir="$(cd "$here/.." && pwd)"
# shellcheck source=../lib.sh
. "$here/lib.sh"

case "${ACRLINT_INSTALL:-build}" in
build)
    bin=$(bash "$here/install.sh" build "$source_dir" "${CI_PROJECT_DIR:-$PWD}/.acrlint-cache")
    PATH="$bin:$PATH"
    ;;
path) bash "$here/install.sh" path >/dev/null ;;
*)
    echo "acrlint: ACRLINT_INSTALL must be build or path, not '$ACRLINT_INSTALL'" >&2
    exit 2
    ;;
esac

acrlint_prepare "${ACRLINT_PATHS:-.}" "${ACRLINT_FAIL_ON:-}" "${ACRLINT_CONFIG:-}" "${ACRLINT_ARGS:-}"
acrlint_exclude "$source_dir"
acrlint_exclude "${CI_PROJECT_DIR:-$PWD}/.acrlint-cache"
report=${ACRLINT_REPORT:-gl-code-quality-report.json}
log=${ACRLINT_LOG_FORMAT:-pretty}
rm -f "$report"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
ACRLINT_CMD+=(--format "$log" --color always --also "json=$work/acrlint.json" --also "gitlab=$report")

acrlint_run
findings=$(acrlint_findings "$work/acrlint.json")
log_error() { echo "$1" >&2; }
acrlint_finish ACRLINT_FAIL_ON job log_error "$findings"
