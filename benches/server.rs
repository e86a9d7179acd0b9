//! Language server benchmark: re-analysis after a keystroke.
//!
//! `cargo bench --bench server` writes a Terraform folder of 100 files (25 registries, each with
//! its private endpoint, network and DNS link, in files of their own, one shared zone), opens it
//! as a workspace folder of the server's session, opens one file and then, for each run, changes
//! its unsaved text by one character and times what the server does before it publishes: the
//! document's scope analysed again with the open documents laid over the disk, and the results
//! turned into LSP diagnostics. Prints the median (target: under 20 ms) and the spread.
//!
//! `ACRLINT_BENCH_RUNS` (default 51): runs; `ACRLINT_BENCH_VERBOSE=1`: every run's time.

use std::path::Path;
use std::time::{Duration, Instant};

use acrlint::server::session::Session;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn write(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap();
}

/// 100 files: for each of 25 registries, `registry_i.tf`, `endpoint_i.tf`, `network_i.tf` and
/// `dns_i.tf`. Every fifth registry is public; every third VNet is not linked to the zone.
fn corpus(dir: &Path) {
    for i in 0..25 {
        let public = i % 5 == 0;
        write(
            &dir.join(format!("registry_{i}.tf")),
            &format!(
                r#"resource "azurerm_container_registry" "r{i}" {{
  name                          = "acr{i}"
  resource_group_name           = "rg"
  location                      = var.location
  sku                           = "Premium"
  public_network_access_enabled = {public}
  admin_enabled                 = false
}}
"#
            ),
        );
        write(
            &dir.join(format!("endpoint_{i}.tf")),
            &format!(
                r#"resource "azurerm_private_endpoint" "e{i}" {{
  name                = "pe-{i}"
  location            = var.location
  resource_group_name = "rg"
  subnet_id           = azurerm_subnet.s{i}.id

  private_service_connection {{
    name                           = "registry"
    private_connection_resource_id = azurerm_container_registry.r{i}.id
    subresource_names              = ["registry"]
    is_manual_connection           = false
  }}

  private_dns_zone_group {{
    name                 = "acr"
    private_dns_zone_ids = [azurerm_private_dns_zone.acr.id]
  }}
}}
"#
            ),
        );
        write(
            &dir.join(format!("network_{i}.tf")),
            &format!(
                r#"resource "azurerm_virtual_network" "v{i}" {{
  name                = "vnet-{i}"
  location            = var.location
  resource_group_name = "rg"
  address_space       = ["10.{i}.0.0/16"]
}}

resource "azurerm_subnet" "s{i}" {{
  name                 = "snet-pe"
  resource_group_name  = "rg"
  virtual_network_name = azurerm_virtual_network.v{i}.name
  address_prefixes     = ["10.{i}.1.0/24"]
}}
"#
            ),
        );
        let zone = match i {
            0 => r#"variable "location" {
  type    = string
  default = "westeurope"
}

resource "azurerm_private_dns_zone" "acr" {
  name                = "privatelink.azurecr.io"
  resource_group_name = "rg"
}
"#
            .to_string(),
            _ => String::new(),
        };
        let link = match i % 3 {
            0 => String::new(),
            _ => format!(
                r#"
resource "azurerm_private_dns_zone_virtual_network_link" "l{i}" {{
  name                  = "link-{i}"
  resource_group_name   = "rg"
  private_dns_zone_name = azurerm_private_dns_zone.acr.name
  virtual_network_id    = azurerm_virtual_network.v{i}.id
}}
"#
            ),
        };
        write(&dir.join(format!("dns_{i}.tf")), &format!("{zone}{link}"));
    }
}

fn main() {
    acrlint::check::init_thread_pool();
    let runs: usize = std::env::var("ACRLINT_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(51);
    let verbose = std::env::var_os("ACRLINT_BENCH_VERBOSE").is_some();
    let dir = tempfile::tempdir().unwrap();
    corpus(dir.path());
    let files = std::fs::read_dir(dir.path()).unwrap().count();

    let mut session = Session::default();
    session.add_folder(dir.path());
    let published = session.analyse_all();
    let findings: usize = published.iter().map(|(_, d)| d.len()).sum();
    let edited = dir.path().join("endpoint_7.tf");
    let text = std::fs::read_to_string(&edited).unwrap();
    session.set_text(&edited, &text);
    session.analyse_files(std::slice::from_ref(&edited));

    let mut times: Vec<Duration> = Vec::with_capacity(runs);
    for run in 0..runs {
        // A keystroke: one character more or less in the endpoint's name.
        let typed = match run % 2 {
            0 => text.replace("\"pe-7\"", "\"pe-7x\""),
            _ => text.clone(),
        };
        session.set_text(&edited, &typed);
        let start = Instant::now();
        let publish = session.analyse_files(std::slice::from_ref(&edited));
        let took = start.elapsed();
        assert!(!publish.is_empty());
        if verbose {
            println!("run {run}: {:.2} ms", took.as_secs_f64() * 1e3);
        }
        times.push(took);
    }
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "re-analysis after a keystroke, {files}-file Terraform folder ({findings} diagnostics): \
         median {:.2} ms (min {:.2}, max {:.2}; {runs} runs)",
        ms(times[runs / 2]),
        ms(times[0]),
        ms(times[runs - 1]),
    );
}
