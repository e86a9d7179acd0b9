//! Scan benchmark over a generated corpus of Terraform stacks and ARM templates.
//!
//! `cargo bench --bench scan` prints, for the same files: the time to read and parse them (the floor
//! any analyser pays), and the time of a full `acrlint check`. The target is a full scan in under
//! twice the read-and-parse time.
//!
//! Environment:
//! - `ACRLINT_BENCH_STACKS` (default 300): Terraform stacks, and as many ARM templates and Bicep
//!   stacks (a root file and a local module each);
//!   `ACRLINT_BENCH_DEPTH` (default 50): depth of the module chain; `ACRLINT_BENCH_RUNS`
//!   (default 21): runs of each measurement (the median is printed; read + parse and the full
//!   scan alternate, so that both see the same machine load).
//! - `ACRLINT_BENCH_CORPUS=DIR`: only write the corpus to DIR (to time other tools, such as
//!   Checkov, on the same files); `ACRLINT_BENCH_DIR=DIR`: measure a corpus written before.
//! - `ACRLINT_BENCH_ONLY=scan` (or `parse`): time one side alone, for a profiler;
//!   `ACRLINT_BENCH_VERBOSE=1`: print every run's time.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

// The same allocator as the `acrlint` binary, so that the figures are the binary's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// One Terraform stack: a registry, its network, a private endpoint and DNS, split over files as
/// real repositories do. Every fourth stack is public; every third has a broken DNS link.
fn terraform_stack(dir: &Path, i: usize) {
    let public = i.is_multiple_of(4);
    let linked_vnet = if i.is_multiple_of(3) {
        "other"
    } else {
        "spoke"
    };
    write(
        &dir.join("variables.tf"),
        &format!(
            r#"variable "location" {{
  type    = string
  default = "westeurope"
}}

variable "prefix" {{
  type    = string
  default = "stack{i}"
}}

locals {{
  registry_name = lower(format("%sacr%03d", var.prefix, {i}))
  tags = {{ env = "prod", stack = "{i}" }}
}}
"#
        ),
    );
    write(
        &dir.join("registry.tf"),
        &format!(
            r#"resource "azurerm_resource_group" "rg" {{
  name     = "rg-${{var.prefix}}"
  location = var.location
}}

resource "azurerm_container_registry" "acr" {{
  name                          = local.registry_name
  resource_group_name           = azurerm_resource_group.rg.name
  location                      = azurerm_resource_group.rg.location
  sku                           = "Premium"
  public_network_access_enabled = {public}
  export_policy_enabled         = {public}
  admin_enabled                 = false
  tags                          = local.tags
}}
"#
        ),
    );
    write(
        &dir.join("network.tf"),
        r#"resource "azurerm_virtual_network" "spoke" {
  name                = "vnet-spoke"
  resource_group_name = azurerm_resource_group.rg.name
  location            = azurerm_resource_group.rg.location
  address_space       = ["10.1.0.0/16"]
}

resource "azurerm_virtual_network" "other" {
  name                = "vnet-other"
  resource_group_name = azurerm_resource_group.rg.name
  location            = azurerm_resource_group.rg.location
  address_space       = ["10.2.0.0/16"]
}

resource "azurerm_subnet" "pe" {
  name                 = "snet-pe"
  resource_group_name  = azurerm_resource_group.rg.name
  virtual_network_name = azurerm_virtual_network.spoke.name
  address_prefixes     = [cidrsubnet("10.1.0.0/16", 8, 1)]
}
"#,
    );
    write(
        &dir.join("dns.tf"),
        &format!(
            r#"resource "azurerm_private_dns_zone" "acr" {{
  name                = "privatelink.azurecr.io"
  resource_group_name = azurerm_resource_group.rg.name
}}

resource "azurerm_private_dns_zone_virtual_network_link" "acr" {{
  name                  = "acr-link"
  resource_group_name   = azurerm_resource_group.rg.name
  private_dns_zone_name = azurerm_private_dns_zone.acr.name
  virtual_network_id    = azurerm_virtual_network.{linked_vnet}.id
}}

resource "azurerm_private_endpoint" "acr" {{
  name                = "pe-${{local.registry_name}}"
  location            = azurerm_resource_group.rg.location
  resource_group_name = azurerm_resource_group.rg.name
  subnet_id           = azurerm_subnet.pe.id

  private_service_connection {{
    name                           = "acr"
    private_connection_resource_id = azurerm_container_registry.acr.id
    subresource_names              = ["registry"]
    is_manual_connection           = false
  }}

  private_dns_zone_group {{
    name                 = "default"
    private_dns_zone_ids = [azurerm_private_dns_zone.acr.id]
  }}
}}
"#
        ),
    );
}

/// One ARM template in the shape Bicep emits: parameters, variables, a registry, a VNet, a private
/// endpoint with a zone group, the zone and its link.
fn arm_template(path: &Path, i: usize) {
    let access = if i.is_multiple_of(4) {
        "Enabled"
    } else {
        "Disabled"
    };
    write(
        path,
        &format!(
            r#"{{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {{
    "location": {{ "type": "string", "defaultValue": "westeurope" }},
    "acrName": {{ "type": "string", "defaultValue": "[format('acr{{0}}{i}', uniqueString('bench'))]" }}
  }},
  "variables": {{
    "vnetName": "vnet-{i}",
    "zoneName": "[format('privatelink{{0}}', environment().suffixes.acrLoginServer)]"
  }},
  "resources": [
    {{
      "type": "Microsoft.ContainerRegistry/registries",
      "apiVersion": "2023-07-01",
      "name": "[parameters('acrName')]",
      "location": "[parameters('location')]",
      "sku": {{ "name": "Premium" }},
      "properties": {{
        "publicNetworkAccess": "{access}",
        "adminUserEnabled": false,
        "policies": {{ "exportPolicy": {{ "status": "disabled" }} }}
      }}
    }},
    {{
      "type": "Microsoft.Network/virtualNetworks",
      "apiVersion": "2024-05-01",
      "name": "[variables('vnetName')]",
      "location": "[parameters('location')]",
      "properties": {{
        "addressSpace": {{ "addressPrefixes": [ "10.0.0.0/16" ] }},
        "subnets": [ {{ "name": "pe", "properties": {{ "addressPrefix": "10.0.1.0/24" }} }} ]
      }}
    }},
    {{
      "type": "Microsoft.Network/privateDnsZones",
      "apiVersion": "2020-06-01",
      "name": "[variables('zoneName')]",
      "location": "global"
    }},
    {{
      "type": "Microsoft.Network/privateDnsZones/virtualNetworkLinks",
      "apiVersion": "2020-06-01",
      "name": "[format('{{0}}/{{1}}', variables('zoneName'), 'link')]",
      "location": "global",
      "properties": {{
        "registrationEnabled": false,
        "virtualNetwork": {{ "id": "[resourceId('Microsoft.Network/virtualNetworks', variables('vnetName'))]" }}
      }}
    }},
    {{
      "type": "Microsoft.Network/privateEndpoints",
      "apiVersion": "2024-05-01",
      "name": "[format('pe-{{0}}', parameters('acrName'))]",
      "location": "[parameters('location')]",
      "properties": {{
        "subnet": {{ "id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', variables('vnetName'), 'pe')]" }},
        "privateLinkServiceConnections": [
          {{ "name": "acr", "properties": {{
            "privateLinkServiceId": "[resourceId('Microsoft.ContainerRegistry/registries', parameters('acrName'))]",
            "groupIds": [ "registry" ] }} }}
        ]
      }}
    }},
    {{
      "type": "Microsoft.Network/privateEndpoints/privateDnsZoneGroups",
      "apiVersion": "2024-05-01",
      "name": "[format('{{0}}/{{1}}', format('pe-{{0}}', parameters('acrName')), 'default')]",
      "properties": {{
        "privateDnsZoneConfigs": [
          {{ "name": "acr", "properties": {{ "privateDnsZoneId": "[resourceId('Microsoft.Network/privateDnsZones', variables('zoneName'))]" }} }}
        ]
      }}
    }}
  ]
}}
"#
        ),
    );
}

/// A chain of local modules `depth` deep, passing the SKU down to a registry at the bottom.
fn module_chain(dir: &Path, depth: usize) {
    write(
        &dir.join("main.tf"),
        "module \"m0\" {\n  source = \"./modules/m0\"\n  sku    = \"Standard\"\n}\n",
    );
    for level in 0..depth {
        let here = dir.join(format!("modules/m{level}"));
        let body = if level + 1 < depth {
            format!(
                "variable \"sku\" {{ type = string }}\n\nmodule \"m{next}\" {{\n  source = \"../m{next}\"\n  sku    = var.sku\n}}\n\noutput \"id\" {{ value = module.m{next}.id }}\n",
                next = level + 1
            )
        } else {
            "variable \"sku\" { type = string }\n\nresource \"azurerm_container_registry\" \"this\" {\n  name                          = \"deepacr\"\n  resource_group_name           = \"rg\"\n  location                      = \"westeurope\"\n  sku                           = var.sku\n  public_network_access_enabled = false\n}\n\noutput \"id\" { value = azurerm_container_registry.this.id }\n".to_string()
        };
        write(&here.join("main.tf"), &body);
    }
}

/// One Bicep stack: a registry, a VNet, a private endpoint with its zone group in `main.bicep`,
/// the zone and its link in a local module. Every fourth is public; every third links the zone to
/// another VNet.
fn bicep_stack(dir: &Path, i: usize) {
    let access = if i.is_multiple_of(4) {
        "Enabled"
    } else {
        "Disabled"
    };
    write(
        &dir.join("main.bicep"),
        &format!(
            r#"@description('Where everything is deployed.')
param location string = resourceGroup().location
param suffix string = '{i}'

var acrName = 'acr${{uniqueString(resourceGroup().id)}}${{suffix}}'

resource acr 'Microsoft.ContainerRegistry/registries@2025-11-01' = {{
  name: acrName
  location: location
  sku: {{ name: 'Premium' }}
  properties: {{
    publicNetworkAccess: '{access}'
    adminUserEnabled: false
  }}
}}

resource vnet 'Microsoft.Network/virtualNetworks@2024-05-01' = {{
  name: 'vnet-{i}'
  location: location
  properties: {{
    addressSpace: {{ addressPrefixes: [ '10.0.0.0/16' ] }}
    subnets: [
      {{
        name: 'snet-pe'
        properties: {{ addressPrefix: '10.0.1.0/24' }}
      }}
    ]
  }}
}}

module dns './dns.bicep' = {{
  name: 'dns-{i}'
  params: {{
    vnetId: {link}
  }}
}}

resource pe 'Microsoft.Network/privateEndpoints@2024-05-01' = {{
  name: 'pe-acr-{i}'
  location: location
  properties: {{
    subnet: {{ id: resourceId('Microsoft.Network/virtualNetworks/subnets', vnet.name, 'snet-pe') }}
    privateLinkServiceConnections: [
      {{
        name: 'acr'
        properties: {{
          privateLinkServiceId: acr.id
          groupIds: [ 'registry' ]
        }}
      }}
    ]
  }}
  resource group 'privateDnsZoneGroups' = {{
    name: 'default'
    properties: {{
      privateDnsZoneConfigs: [
        {{
          name: 'acr'
          properties: {{ privateDnsZoneId: dns.outputs.zoneId }}
        }}
      ]
    }}
  }}
}}
"#,
            link = if i.is_multiple_of(3) {
                "resourceId('Microsoft.Network/virtualNetworks', 'vnet-hub')"
            } else {
                "vnet.id"
            }
        ),
    );
    write(
        &dir.join("dns.bicep"),
        r#"param vnetId string

resource zone 'Microsoft.Network/privateDnsZones@2024-06-01' = {
  name: 'privatelink${environment().suffixes.acrLoginServer}'
  location: 'global'
}

resource link 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2024-06-01' = {
  parent: zone
  name: 'link'
  location: 'global'
  properties: {
    registrationEnabled: false
    virtualNetwork: { id: vnetId }
  }
}

output zoneId string = zone.id
"#,
    );
}

fn generate(root: &Path, stacks: usize, depth: usize) -> Vec<PathBuf> {
    for i in 0..stacks {
        terraform_stack(&root.join(format!("terraform/stack{i:04}")), i);
        arm_template(&root.join(format!("arm/template{i:04}.json")), i);
        bicep_stack(&root.join(format!("bicep/stack{i:04}")), i);
    }
    module_chain(&root.join("deep"), depth);
    walkdir::WalkDir::new(root)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect()
}

/// Read and parse every file, in parallel: the floor for any analyser of these files.
fn read_and_parse(files: &[PathBuf]) -> usize {
    files
        .par_iter()
        .map(|p| {
            let text = std::fs::read_to_string(p).unwrap();
            if p.extension().is_some_and(|e| e == "json") {
                acrlint::load::json::parse(&text).map(|_| 1).unwrap_or(0)
            } else if p.extension().is_some_and(|e| e == "bicep") {
                usize::from(acrlint::load::bicep::parser::parse(&text).errors.is_empty())
            } else {
                hcl_edit::parser::parse_body(&text).map(|_| 1).unwrap_or(0)
            }
        })
        .sum()
}

fn median(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs[runs.len() / 2]
}

/// Time one call. The previous result is dropped before the clock starts: freeing it is the
/// caller's business, not the measured code's.
fn timed<T>(out: &mut Option<T>, f: impl FnOnce() -> T) -> Duration {
    drop(out.take());
    let start = Instant::now();
    *out = Some(f());
    let t = start.elapsed();
    if std::env::var_os("ACRLINT_BENCH_VERBOSE").is_some() {
        eprint!("{:.1} ", t.as_secs_f64() * 1e3);
    }
    t
}

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut out = None;
    let times = (0..runs).map(|_| timed(&mut out, &mut f)).collect();
    (median(times), out.unwrap())
}

fn main() {
    let stacks = env_usize("ACRLINT_BENCH_STACKS", 300);
    let depth = env_usize("ACRLINT_BENCH_DEPTH", 50);
    if let Ok(dir) = std::env::var("ACRLINT_BENCH_CORPUS") {
        let files = generate(Path::new(&dir), stacks, depth);
        println!("wrote {} files to {dir}", files.len());
        return;
    }
    acrlint::check::init_thread_pool();
    // `ACRLINT_BENCH_DIR`: a corpus written before (by `ACRLINT_BENCH_CORPUS`), so that a
    // profiler sees no file creation.
    let (_tmp, root) = match std::env::var_os("ACRLINT_BENCH_DIR") {
        Some(dir) => (None, PathBuf::from(dir)),
        None => {
            let tmp = tempfile::tempdir().unwrap();
            generate(tmp.path(), stacks, depth);
            let root = tmp.path().to_path_buf();
            (Some(tmp), root)
        }
    };
    let files: Vec<PathBuf> = walkdir::WalkDir::new(&root)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    let runs = env_usize("ACRLINT_BENCH_RUNS", 21);

    let opts = acrlint::check::CheckOptions {
        paths: vec![root.clone()],
        ..Default::default()
    };
    // For profilers: one side alone, `runs` times.
    match std::env::var("ACRLINT_BENCH_ONLY").as_deref() {
        Ok("scan") => {
            let (scan, _) = time(runs, || acrlint::check::check(&opts).unwrap());
            println!("full scan:      {:>9.2} ms", scan.as_secs_f64() * 1e3);
            return;
        }
        Ok("parse") => {
            let (parse, _) = time(runs, || read_and_parse(&files));
            println!("read + parse:   {:>9.2} ms", parse.as_secs_f64() * 1e3);
            return;
        }
        _ => {}
    }
    // The two alternate, so that both see the same load: on a shared machine it drifts.
    let (mut parsed, mut report) = (None, None);
    let (mut parse_times, mut scan_times) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        parse_times.push(timed(&mut parsed, || read_and_parse(&files)));
        scan_times.push(timed(&mut report, || acrlint::check::check(&opts).unwrap()));
    }
    let (parse, parsed, scan, report) = (
        median(parse_times),
        parsed.unwrap(),
        median(scan_times),
        report.unwrap(),
    );
    let deep = acrlint::check::CheckOptions {
        paths: vec![root.join("deep")],
        ..Default::default()
    };
    let (deep_scan, _) = time(runs, || acrlint::check::check(&deep).unwrap());
    // Bicep alone, against its own parse time.
    let bicep_files: Vec<PathBuf> = files
        .iter()
        .filter(|p| p.starts_with(root.join("bicep")))
        .cloned()
        .collect();
    let bicep = acrlint::check::CheckOptions {
        paths: vec![root.join("bicep")],
        ..Default::default()
    };
    let (mut bicep_parsed, mut bicep_report) = (None, None);
    let (mut parse_times, mut scan_times) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        parse_times.push(timed(&mut bicep_parsed, || read_and_parse(&bicep_files)));
        scan_times.push(timed(&mut bicep_report, || {
            acrlint::check::check(&bicep).unwrap()
        }));
    }
    let (bicep_parse, bicep_scan, bicep_report) = (
        median(parse_times),
        median(scan_times),
        bicep_report.unwrap(),
    );

    println!("corpus: {} files ({} Terraform stacks, {} ARM templates, {} Bicep stacks, a module chain {} deep), {} parsed", files.len(), stacks, stacks, stacks, depth, parsed);
    println!("read + parse:   {:>9.2} ms", parse.as_secs_f64() * 1e3);
    println!(
        "full scan:      {:>9.2} ms  ({:.2}x read + parse; {} findings, {} resources, {} errors)",
        scan.as_secs_f64() * 1e3,
        scan.as_secs_f64() / parse.as_secs_f64(),
        report.findings.len(),
        report.resources,
        report.errors.len()
    );
    println!(
        "deep modules:   {:>9.2} ms  (chain of {depth})",
        deep_scan.as_secs_f64() * 1e3
    );
    println!(
        "Bicep alone:    {:>9.2} ms  read + parse, {:.2} ms full scan ({:.2}x; {} files, {} findings, {} errors)",
        bicep_parse.as_secs_f64() * 1e3,
        bicep_scan.as_secs_f64() * 1e3,
        bicep_scan.as_secs_f64() / bicep_parse.as_secs_f64(),
        bicep_files.len(),
        bicep_report.findings.len(),
        bicep_report.errors.len()
    );
}
