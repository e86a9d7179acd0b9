# Shared by the CI front ends (ci/github/run.sh, ci/azure-pipelines/run.sh, ci/gitlab/run.sh);
# sourced, not run. Each front end reads its CI system's inputs, then:
#
#   acrlint_prepare PATHS FAIL_ON CONFIG ARGS   # sets ACRLINT_CMD (acrlint check ...) and
#                                               # ACRLINT_FAIL_ON, or prints why and returns 2
#   acrlint_exclude DIR                         # skip acrlint's own checkout if it is inside
#   ACRLINT_CMD+=(--format ... --also ...)       # the CI system's formats
#   acrlint_run                                 # runs it once: ACRLINT_CODE
#   acrlint_findings FILE.json                  # the number of findings, or "" without a report
#   acrlint_verdict                             # the status the step ends with
#
# Lists (paths, extra arguments) are separated by spaces or newlines; no quoting is read.

# acrlint_prepare PATHS FAIL_ON CONFIG ARGS
acrlint_prepare() {
    local paths=$1 fail_on=$2 config=$3 args=$4
    case "$fail_on" in
    "" | critical | high | medium | low | info | none) ;;
    *)
        echo "acrlint: fail-on must be critical, high, medium, low, info or none, not '$fail_on'" >&2
        return 2
        ;;
    esac
    ACRLINT_FAIL_ON=$fail_on
    ACRLINT_CMD=(acrlint check)
    local word
    read -r -d '' -a words <<<"$paths" || true
    if [ "${#words[@]}" -eq 0 ]; then words=(.); fi
    ACRLINT_CMD+=("${words[@]}")
    if [ -n "$config" ]; then ACRLINT_CMD+=(--config "$config"); fi
    # `none`: findings never fail the step (errors still do); acrlint's own default applies to
    # the exit code it reports.
    case "$fail_on" in
    "" | none) ;;
    *) ACRLINT_CMD+=(--fail-on "$fail_on") ;;
    esac
    read -r -d '' -a words <<<"$args" || true
    for word in "${words[@]}"; do ACRLINT_CMD+=("$word"); done
}

# acrlint_exclude DIR: a folder inside the current one that is acrlint's (its own checkout, with
# test fixtures full of findings, or a build cache) is not checked.
acrlint_exclude() {
    local dir here
    dir=$(cd "$1" 2>/dev/null && pwd -P) || return 0
    here=$(pwd -P)
    if [ "$dir" != "$here" ] && [ "${dir#"$here/"}" != "$dir" ]; then
        ACRLINT_CMD+=(--exclude "${dir#"$here/"}")
    fi
}

# acrlint_run: runs ACRLINT_CMD once and keeps its exit code in ACRLINT_CODE.
acrlint_run() {
    echo "+ ${ACRLINT_CMD[*]}" >&2
    ACRLINT_CODE=0
    "${ACRLINT_CMD[@]}" || ACRLINT_CODE=$?
}

# acrlint_findings FILE.json: the summary's finding count (the JSON shape is stable: the only
# `"findings": <number>` key is the summary's), or "" when acrlint wrote no report.
acrlint_findings() {
    if [ -s "$1" ]; then
        grep -o '"findings": *[0-9][0-9]*' "$1" | tail -n 1 | grep -o '[0-9][0-9]*$' || echo ""
    else
        echo ""
    fi
}

# acrlint_verdict: the exit status the step ends with. acrlint's own (0, 1 findings, 2 errors),
# except that with fail-on `none` findings do not fail.
acrlint_verdict() {
    if [ "$ACRLINT_CODE" -eq 1 ] && [ "$ACRLINT_FAIL_ON" = none ]; then
        echo 0
    else
        echo "$ACRLINT_CODE"
    fi
}

# acrlint_finish SETTING UNIT ERROR FINDINGS: say what the run concluded and exit with the
# verdict. SETTING: how this CI names fail-on; UNIT: what passes or fails (step, job); ERROR: the
# command that reports a message as an error here (it gets the message as its argument).
acrlint_finish() {
    local setting=$1 unit=$2 error=$3 findings=$4 status
    status=$(acrlint_verdict)
    case "$ACRLINT_CODE" in
    0) echo "acrlint: ${findings:-0} finding(s), none at or above $setting" ;;
    1) if [ "$status" -eq 0 ]; then
           echo "acrlint: $findings finding(s); $setting is none, so the $unit passes"
       else
           echo "acrlint: $findings finding(s), at least one at or above $setting: the $unit fails"
       fi ;;
    *) "$error" "acrlint could not check (exit code $ACRLINT_CODE): see the messages above" ;;
    esac
    exit "$status"
}
