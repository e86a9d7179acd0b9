#!/usr/bin/env bash
# Runs the acrlint pre-commit hook for real: pre-commit from PyPI builds the hook from this
# repository at HEAD (cargo install) and runs it on commits in a temporary git repository.
#   1. A staged .tf file whose finding depends on another file of its module (a variable default
#      in a file committed earlier) fails the commit.
#   2. A clean staged file passes, although an untracked file of the same folder has findings:
#      only the files passed are reported.
# Quiet on success; on failure, says what went wrong and shows the output.
# Uses the commit at HEAD: commit first. PRE_COMMIT_HOME may point at a cache to reuse a build;
# KEEP=1 keeps the temporary folder.
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
rev="$(git -C "$repo" rev-parse HEAD)"
work="$(mktemp -d)"
if [ "${KEEP:-}" = 1 ]; then
    echo "precommit-test: keeping $work" >&2
else
    trap 'rm -rf "$work"' EXIT
fi
out="$work/output.txt"
: >"$out"

fail() {
    echo "precommit-test: FAIL: $*" >&2
    if [ -s "$out" ]; then
        echo "---- output ----" >&2
        cat "$out" >&2
        echo "----------------" >&2
    fi
    exit 1
}

if [ -n "$(git -C "$repo" status --porcelain --untracked-files=no)" ]; then
    echo "precommit-test: note: testing commit ${rev:0:12}; uncommitted changes are not in the hook" >&2
fi

# An isolated git and pre-commit: no user hooks, templates or global settings interfere.
export GIT_CONFIG_NOSYSTEM=1
export GIT_CONFIG_GLOBAL="$work/gitconfig"
git config --file "$GIT_CONFIG_GLOBAL" user.name "acrlint CI"
git config --file "$GIT_CONFIG_GLOBAL" user.email "ci@acrlint.invalid"
git config --file "$GIT_CONFIG_GLOBAL" init.defaultBranch main
git config --file "$GIT_CONFIG_GLOBAL" --add safe.directory '*'
export PRE_COMMIT_HOME="${PRE_COMMIT_HOME:-$work/pre-commit-home}"
# pre-commit builds the hook with `cargo install` (the release profile). This test checks what the
# hook does, not how fast it is: build without optimisation to keep CI short.
export CARGO_PROFILE_RELEASE_OPT_LEVEL=0 CARGO_PROFILE_RELEASE_DEBUG=0
unset PRE_COMMIT_ALLOW_NO_CONFIG SKIP

python3 -m venv "$work/venv" >"$out" 2>&1 || fail "python3 -m venv failed (is the venv module installed?)"
"$work/venv/bin/pip" install --quiet --disable-pip-version-check pre-commit >"$out" 2>&1 \
    || fail "pip install pre-commit failed"
pre_commit="$work/venv/bin/pre-commit"

project="$work/project"
mkdir -p "$project/infra"
cd "$project"
git init --quiet
cat >.pre-commit-config.yaml <<YAML
repos:
  - repo: $repo
    rev: $rev
    hooks:
      - id: acrlint
YAML
cat >infra/variables.tf <<'HCL'
variable "public_access" {
  description = "Whether the registry accepts traffic from the internet."
  type        = bool
  default     = true
}
HCL
git add .pre-commit-config.yaml infra/variables.tf
git commit --quiet -m "Initial commit, without the hook"

"$pre_commit" install >"$out" 2>&1 || fail "pre-commit install failed"
# Build the hook now, so that a build failure is not mistaken for a finding.
"$pre_commit" install-hooks >"$out" 2>&1 || fail "pre-commit could not build the acrlint hook at ${rev:0:12}"

# 1. The staged file's finding comes from the variable default in infra/variables.tf.
cat >infra/registry.tf <<'HCL'
resource "azurerm_container_registry" "acr" {
  name                          = "contosoacr"
  resource_group_name           = "rg-platform"
  location                      = "westeurope"
  sku                           = "Premium"
  public_network_access_enabled = var.public_access
}
HCL
git add infra/registry.tf
before="$(git rev-parse HEAD)"
if git commit -m "Add the registry" >"$out" 2>&1; then
    fail "the commit of infra/registry.tf passed; acrlint should have reported ACR001 (public access from the default in infra/variables.tf)"
fi
[ "$(git rev-parse HEAD)" = "$before" ] || fail "a commit was made although the hook failed"
grep -q "ACR001" "$out" || fail "the commit failed, but not with the ACR001 finding expected"
grep -q "infra/registry.tf" "$out" || fail "the finding does not name infra/registry.tf"

# 2. A clean file passes; infra/registry.tf stays in the folder, untracked, with its finding.
git reset --quiet -- infra/registry.tf
cat >infra/network.tf <<'HCL'
resource "azurerm_virtual_network" "hub" {
  name                = "vnet-hub"
  resource_group_name = "rg-platform"
  location            = "westeurope"
  address_space       = ["10.0.0.0/16"]
}
HCL
git add infra/network.tf
git commit -m "Add the network" >"$out" 2>&1 \
    || fail "the commit of a clean file (infra/network.tf) failed"
[ "$(git rev-parse HEAD)" != "$before" ] || fail "the clean commit was not made"
