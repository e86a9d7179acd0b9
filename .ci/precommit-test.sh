#!/usr/bin/env bash
# Runs the acrlint pre-commit hook for real: pre-commit from PyPI builds the hook from this
# repository at HEAD (cargo install) and runs it on commits in a temporary git repository.
#   1. A staged .tf file whose finding depends on another file of its module (a variable default
#      in a file committed earlier) fails the commit.
#   2. A clean staged file passes, although an untracked file of the same folder has findings that
#      do not depend on it.
#   3. A correct private setup (registry, endpoint, zone, link, VNets in five files) passes; then a
#      commit of only the link file, now pointing the zone at another VNet, fails with ACR006 on
#      the zone in dns.tf, a file the commit does not touch.
#   4. With `.acrlint.toml` reading env/prod.tfvars for every module, a commit of only that file,
#      now setting a Standard SKU, fails with ACR003 on the registry.
#   5. Bicep: a commit of only a `.bicepparam` file that opens the registry fails with ACR001 on
#      the `.bicep` file it configures.
#   6. Data: a commit of only a YAML file that a module reads with `yamldecode(file(...))`, now
#      opening the registry, fails with ACR001 on the module; a YAML file nothing reads passes.
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

# 3. The chain breaks in a file that holds no finding itself.
rm infra/registry.tf
mkdir -p app
cat >app/variables.tf <<'HCL'
variable "sku" {
  type    = string
  default = "Premium"
}
HCL
cat >app/registry.tf <<'HCL'
resource "azurerm_container_registry" "acr" {
  name                          = "contosoacr01"
  resource_group_name           = "rg-acr"
  location                      = "westeurope"
  sku                           = var.sku
  public_network_access_enabled = false
  export_policy_enabled         = false
}
HCL
cat >app/network.tf <<'HCL'
resource "azurerm_virtual_network" "app" {
  name                = "vnet-app"
  resource_group_name = "rg-acr"
  location            = "westeurope"
  address_space       = ["10.0.0.0/16"]
}

resource "azurerm_subnet" "pe" {
  name                 = "snet-pe"
  resource_group_name  = "rg-acr"
  virtual_network_name = azurerm_virtual_network.app.name
  address_prefixes     = ["10.0.1.0/24"]
}

resource "azurerm_virtual_network" "mgmt" {
  name                = "vnet-mgmt"
  resource_group_name = "rg-acr"
  location            = "westeurope"
  address_space       = ["10.1.0.0/16"]
}
HCL
cat >app/endpoint.tf <<'HCL'
resource "azurerm_private_endpoint" "acr" {
  name                = "pe-acr"
  resource_group_name = "rg-acr"
  location            = "westeurope"
  subnet_id           = azurerm_subnet.pe.id

  private_service_connection {
    name                           = "pe-acr"
    private_connection_resource_id = azurerm_container_registry.acr.id
    subresource_names              = ["registry"]
    is_manual_connection           = false
  }

  private_dns_zone_group {
    name                 = "default"
    private_dns_zone_ids = [azurerm_private_dns_zone.acr.id]
  }
}
HCL
cat >app/dns.tf <<'HCL'
resource "azurerm_private_dns_zone" "acr" {
  name                = "privatelink.azurecr.io"
  resource_group_name = "rg-acr"
}
HCL
cat >app/links.tf <<'HCL'
resource "azurerm_private_dns_zone_virtual_network_link" "acr" {
  name                  = "link-acr"
  resource_group_name   = "rg-acr"
  private_dns_zone_name = azurerm_private_dns_zone.acr.name
  virtual_network_id    = azurerm_virtual_network.app.id
}
HCL
git add app
git commit -m "Add a private registry" >"$out" 2>&1 \
    || fail "the commit of a correct private setup (app/) failed"
before="$(git rev-parse HEAD)"
sed -i 's/azurerm_virtual_network.app.id/azurerm_virtual_network.mgmt.id/' app/links.tf
git add app/links.tf
if git commit -m "Link the zone to the management VNet" >"$out" 2>&1; then
    fail "the commit of only app/links.tf passed; acrlint should have reported ACR006 (the zone is no longer linked to the endpoint's VNet)"
fi
[ "$(git rev-parse HEAD)" = "$before" ] || fail "a commit was made although the hook failed"
grep -q "ACR006" "$out" || fail "the commit of app/links.tf failed, but not with the ACR006 finding expected"
grep -q "app/dns.tf" "$out" || fail "the ACR006 finding does not name app/dns.tf, where the zone is"
git reset --quiet -- app/links.tf
git checkout --quiet -- app/links.tf

# 4. Only a variable file that .acrlint.toml reads for every module.
mkdir -p env
cat >.acrlint.toml <<'TOML'
var-files = ["env/prod.tfvars"]
TOML
echo 'sku = "Premium"' >env/prod.tfvars
git add .acrlint.toml env/prod.tfvars
git commit -m "Production values" >"$out" 2>&1 \
    || fail "the commit of env/prod.tfvars with a Premium SKU failed"
before="$(git rev-parse HEAD)"
echo 'sku = "Standard"' >env/prod.tfvars
git add env/prod.tfvars
if git commit -m "Downgrade production" >"$out" 2>&1; then
    fail "the commit of only env/prod.tfvars passed; acrlint should have reported ACR003 (a Standard SKU with a private endpoint)"
fi
[ "$(git rev-parse HEAD)" = "$before" ] || fail "a commit was made although the hook failed"
grep -q "ACR003" "$out" || fail "the commit of env/prod.tfvars failed, but not with the ACR003 finding expected"
grep -q "app/registry.tf" "$out" || fail "the ACR003 finding does not name app/registry.tf, where the registry is"
git reset --quiet -- env/prod.tfvars
git checkout --quiet -- env/prod.tfvars

# 5. Bicep: a commit of only the parameter file that opens the registry fails with ACR001 on the
#    Bicep file it configures.
mkdir -p bicep
cat >bicep/main.bicep <<'BICEP'
param publicNetworkAccess string

resource acr 'Microsoft.ContainerRegistry/registries@2025-11-01' = {
  name: 'contosoacr01'
  location: 'westeurope'
  sku: {
    name: 'Premium'
  }
  properties: {
    publicNetworkAccess: publicNetworkAccess
  }
}
BICEP
cat >bicep/main.bicepparam <<'BICEP'
using './main.bicep'

param publicNetworkAccess = 'Disabled'
BICEP
git add bicep
git commit -m "A private registry in Bicep" >"$out" 2>&1 \
    || fail "the commit of a private registry in Bicep (bicep/) failed"
before="$(git rev-parse HEAD)"
sed -i "s/'Disabled'/'Enabled'/" bicep/main.bicepparam
git add bicep/main.bicepparam
if git commit -m "Open the registry" >"$out" 2>&1; then
    fail "the commit of only bicep/main.bicepparam passed; acrlint should have reported ACR001"
fi
[ "$(git rev-parse HEAD)" = "$before" ] || fail "a commit was made although the hook failed"
grep -q "ACR001" "$out" || fail "the commit of bicep/main.bicepparam failed, but not with the ACR001 finding expected"
grep -q "bicep/main.bicep:" "$out" || fail "the ACR001 finding does not name bicep/main.bicep, where the registry is"

# 6. A YAML file read as data: the hook passes it, and acrlint reports what depends on it.
# The rejected change of step 5 is dropped first.
git reset -q --hard
mkdir -p data/config
cat >data/main.tf <<'HCL'
locals {
  settings = yamldecode(file("${path.module}/config/registry.yaml"))
}

resource "azurerm_container_registry" "acr" {
  name                          = "contosoacr02"
  resource_group_name           = "rg-acr"
  location                      = "westeurope"
  sku                           = "Premium"
  public_network_access_enabled = local.settings.public_network_access
}
HCL
printf 'public_network_access: false\n' >data/config/registry.yaml
printf 'name: ci\non: push\n' >data/workflow.yml
git add data
git commit -m "A registry whose settings are in YAML" >"$out" 2>&1 \
    || fail "the commit of a private registry configured in YAML (data/) failed"
before="$(git rev-parse HEAD)"
printf 'public_network_access: true\n' >data/config/registry.yaml
git add data/config/registry.yaml
if git commit -m "Open the registry in YAML" >"$out" 2>&1; then
    fail "the commit of only data/config/registry.yaml passed; acrlint should have reported ACR001"
fi
[ "$(git rev-parse HEAD)" = "$before" ] || fail "a commit was made although the hook failed"
grep -q "ACR001" "$out" || fail "the commit of data/config/registry.yaml failed, but not with the ACR001 finding expected"
grep -q "data/main.tf:" "$out" || fail "the ACR001 finding does not name data/main.tf, where the registry is"
git reset -q data/config/registry.yaml
git checkout -q data/config/registry.yaml
printf 'name: ci\non: [push]\n' >data/workflow.yml
git add data/workflow.yml
git commit -m "A YAML file nothing reads" >"$out" 2>&1 \
    || fail "the commit of only data/workflow.yml, which no configuration reads, failed"
