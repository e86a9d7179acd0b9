use std::path::Path;
use std::sync::Arc;

use super::*;
use crate::load::{Mode, Resource};
use crate::source::{SourceFile, SourceMap, Span};
use crate::value::{Node, ResourceRef, Unknown, Value};

struct Fixture {
    _dir: tempfile::TempDir,
    root: PathBuf,
    sources: SourceMap,
    loaded: Loaded,
}

/// Write `files` (paths relative to a temporary root) and load the root folder with `opts`.
fn load_with(files: &[(&str, &str)], opts: &TfOptions) -> Fixture {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().to_path_buf();
    for (path, text) in files {
        let p = root.join(path);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(&p, text).expect("write");
    }
    let sources = SourceMap::default();
    let mut ids = Vec::new();
    for (path, text) in files {
        if !path.contains('/') && (path.ends_with(".tf") || path.ends_with(".tf.json")) {
            let p = root.join(path);
            ids.push(sources.add(SourceFile::new(
                p.clone(),
                path.to_string(),
                Arc::from(*text),
            )));
        }
    }
    let loaded = load_module(&root, &ids, &sources, opts);
    Fixture {
        _dir: dir,
        root,
        sources,
        loaded,
    }
}

fn load(files: &[(&str, &str)]) -> Fixture {
    load_with(files, &TfOptions::default())
}

impl Fixture {
    fn res(&self, addr: &str) -> &Resource {
        self.loaded
            .resources
            .iter()
            .find(|r| r.addr == addr)
            .unwrap_or_else(|| panic!("no {addr} in {:?}", self.addrs()))
    }

    fn addrs(&self) -> Vec<&str> {
        self.loaded
            .resources
            .iter()
            .map(|r| r.addr.as_str())
            .collect()
    }

    /// The value at a dotted path in a resource body (`network_rule_set.0.default_action`).
    fn get(&self, addr: &str, path: &str) -> Value {
        self.node(addr, path).value
    }

    fn node(&self, addr: &str, path: &str) -> Node {
        let mut n = self.res(addr).body.clone();
        for key in path.split('.') {
            n = match (&n.value, key.parse::<usize>()) {
                (Value::List(items), Ok(i)) => items.get(i).cloned(),
                _ => n.value.get(key).cloned(),
            }
            .unwrap_or_else(|| panic!("{addr}: no {path} in {:?}", n.value));
        }
        n
    }

    /// The source text a span covers.
    fn text(&self, span: Span) -> String {
        let f = self.sources.get(span.file);
        f.text[span.start as usize..span.end as usize].to_string()
    }

    fn errors(&self) -> Vec<String> {
        self.loaded
            .errors
            .iter()
            .map(|e| {
                let f = self.sources.get(e.file);
                let name = f.path.file_name().map(|n| n.to_string_lossy().into_owned());
                let at = e.span.map(|s| f.position(s.start));
                format!("{}:{:?}: {}", name.unwrap_or_default(), at, e.message)
            })
            .collect()
    }
}

fn s(v: &str) -> Value {
    Value::String(v.into())
}

fn r(addr: &str, attr: &[&str]) -> Value {
    Value::Ref(ResourceRef {
        addr: addr.into(),
        attr: attr.iter().map(|a| a.to_string()).collect(),
    })
}

fn unknown(depends_on: &str, reason: &str) -> Value {
    Value::Unknown(Unknown::new(depends_on, reason))
}

const REGISTRY: &str = r#"
resource "azurerm_resource_group" "rg" {
  name     = "rg-demo"
  location = "westeurope"
}

resource "azurerm_container_registry" "acr" {
  name                          = "acrdemo"
  resource_group_name           = azurerm_resource_group.rg.name
  location                      = azurerm_resource_group.rg.location
  sku                           = "Premium"
  public_network_access_enabled = false
  depends_on                    = [azurerm_resource_group.rg]

  network_rule_set {
    default_action = "Deny"
    ip_rule {
      action   = "Allow"
      ip_range = "1.2.3.4/32"
    }
    ip_rule {
      action   = "Allow"
      ip_range = "5.6.7.8/32"
    }
  }

  lifecycle {
    prevent_destroy = true
  }
}
"#;

#[test]
fn resource_body_shape_spans_and_meta_arguments() {
    let f = load(&[("main.tf", REGISTRY)]);
    assert!(f.loaded.errors.is_empty(), "{:?}", f.errors());
    assert_eq!(
        f.addrs(),
        [
            "azurerm_resource_group.rg",
            "azurerm_container_registry.acr"
        ]
    );
    let acr = f.res("azurerm_container_registry.acr");
    assert_eq!(acr.mode, Mode::Managed);
    assert_eq!(acr.rtype, "azurerm_container_registry");
    assert_eq!(acr.id, None);
    assert_eq!(
        f.text(acr.header),
        r#"resource "azurerm_container_registry" "acr""#
    );
    assert_eq!(f.get("azurerm_container_registry.acr", "sku"), s("Premium"));
    let n = f.node(
        "azurerm_container_registry.acr",
        "public_network_access_enabled",
    );
    assert_eq!(n.value, Value::Bool(false));
    assert_eq!(f.text(n.span.expect("span")), "false");
    assert_eq!(
        f.get(
            "azurerm_container_registry.acr",
            "network_rule_set.0.default_action"
        ),
        s("Deny")
    );
    assert_eq!(
        f.get(
            "azurerm_container_registry.acr",
            "network_rule_set.0.ip_rule.1.ip_range"
        ),
        s("5.6.7.8/32")
    );
    let block = f.node("azurerm_container_registry.acr", "network_rule_set.0");
    assert!(f
        .text(block.span.expect("span"))
        .starts_with("network_rule_set {"));
    // Known configuration values are looked through; meta-arguments are not in the body.
    assert_eq!(
        f.get("azurerm_container_registry.acr", "location"),
        s("westeurope")
    );
    let loc = f.node("azurerm_container_registry.acr", "location");
    assert_eq!(
        f.text(loc.span.expect("span")),
        "azurerm_resource_group.rg.location"
    );
    assert!(acr.body.get("depends_on").is_none());
    assert!(acr.body.get("lifecycle").is_none());
}

#[test]
fn references_to_computed_attributes_stay_references() {
    let f = load(&[
        ("acr.tf", REGISTRY),
        (
            "endpoint.tf",
            r#"
resource "azurerm_private_dns_zone" "acr" {
  name                = "privatelink.azurecr.io"
  resource_group_name = azurerm_resource_group.rg.name
}
resource "azurerm_private_endpoint" "acr" {
  name      = "${azurerm_container_registry.acr.name}-pe"
  subnet_id = data.azurerm_subnet.pe.id
  private_service_connection {
    name                           = "acr"
    private_connection_resource_id = azurerm_container_registry.acr.id
    subresource_names              = ["registry"]
    is_manual_connection           = false
  }
  private_dns_zone_group {
    name                 = azurerm_private_dns_zone.acr.name
    private_dns_zone_ids = [azurerm_private_dns_zone.acr.id]
  }
}
data "azurerm_subnet" "pe" {
  name = "pe"
}
"#,
        ),
    ]);
    let pe = "azurerm_private_endpoint.acr";
    assert_eq!(f.get(pe, "name"), s("acrdemo-pe"));
    assert_eq!(
        f.get(
            pe,
            "private_service_connection.0.private_connection_resource_id"
        ),
        r("azurerm_container_registry.acr", &["id"])
    );
    assert_eq!(f.get(pe, "subnet_id"), r("data.azurerm_subnet.pe", &["id"]));
    assert_eq!(
        f.get(pe, "private_dns_zone_group.0.private_dns_zone_ids.0"),
        r("azurerm_private_dns_zone.acr", &["id"])
    );
    assert_eq!(
        f.get(pe, "private_dns_zone_group.0.name"),
        s("privatelink.azurecr.io")
    );
    assert_eq!(f.res("data.azurerm_subnet.pe").mode, Mode::Data);
}

const VARS: &str = r#"
variable "sku" {
  default = "Basic"
}
variable "name" {}
variable "count_n" {
  type    = number
  default = 1
}
variable "ranges" {
  type    = list(string)
  default = []
}
variable "cfg" {
  type = object({ public = optional(bool, true), sku = optional(string, "Standard") })
  default = {}
}
resource "x_r" "r" {
  sku    = var.sku
  name   = var.name
  n      = var.count_n + 1
  ranges = var.ranges
  public = var.cfg.public
  cfgsku = var.cfg.sku
}
"#;

#[test]
fn variable_defaults_and_unknown_without_default() {
    let f = load(&[("main.tf", VARS)]);
    assert_eq!(f.get("x_r.r", "sku"), s("Basic"));
    // A root module's variable nobody gave: an input, the same value wherever it is read.
    assert_eq!(
        f.get("x_r.r", "name"),
        Value::Unknown(Unknown::input(
            "var.name",
            "has no default (set it in a .tfvars file, with --var or with TF_VAR_name)"
        ))
    );
    assert_eq!(f.get("x_r.r", "n"), Value::Number(2.0));
    assert_eq!(f.get("x_r.r", "public"), Value::Bool(true));
    assert_eq!(f.get("x_r.r", "cfgsku"), s("Standard"));
}

#[test]
fn variable_files_and_flags_follow_terraform_precedence() {
    let base = [
        ("main.tf", VARS),
        ("terraform.tfvars", "sku = \"a\"\nname = \"n1\"\n"),
        ("terraform.tfvars.json", "{\"sku\": \"b\"}"),
        ("a.auto.tfvars", "sku = \"c\"\n"),
        (
            "b.auto.tfvars.json",
            "{\"sku\": \"d\", \"cfg\": {\"public\": false}}",
        ),
        ("extra.tfvars", "sku = \"e\"\n"),
        ("more.tfvars", "sku = \"f\"\nname = \"n2\"\n"),
    ];
    let f = load(&base);
    assert_eq!(f.get("x_r.r", "sku"), s("d"));
    assert_eq!(f.get("x_r.r", "name"), s("n1"));
    assert_eq!(f.get("x_r.r", "public"), Value::Bool(false));
    assert_eq!(f.get("x_r.r", "cfgsku"), s("Standard"), "optional default");

    let dir_probe = load(&base);
    let opts = TfOptions {
        inputs: vec![
            VarInput::File(dir_probe.root.join("more.tfvars")),
            VarInput::File(dir_probe.root.join("extra.tfvars")),
        ],
        ..TfOptions::default()
    };
    let f = load_with(&base, &opts);
    assert_eq!(
        f.get("x_r.r", "sku"),
        s("e"),
        "--var-file in order, later wins"
    );
    assert_eq!(f.get("x_r.r", "name"), s("n2"));

    let opts = TfOptions {
        inputs: vec![
            VarInput::File(dir_probe.root.join("extra.tfvars")),
            VarInput::Var("sku".into(), "g".into()),
            VarInput::Var("sku".into(), "h".into()),
            VarInput::Var("count_n".into(), "41".into()),
            VarInput::Var("ranges".into(), "[\"10.0.0.0/8\", \"1.2.3.4/32\"]".into()),
            VarInput::Var("name".into(), "[not, hcl".into()),
        ],
        ..TfOptions::default()
    };
    let f = load_with(&base, &opts);
    assert_eq!(f.get("x_r.r", "sku"), s("h"), "--var wins over files");
    assert_eq!(
        f.get("x_r.r", "n"),
        Value::Number(42.0),
        "converted to number"
    );
    assert_eq!(f.get("x_r.r", "ranges.1"), s("1.2.3.4/32"), "parsed as HCL");
    assert_eq!(
        f.get("x_r.r", "name"),
        s("[not, hcl"),
        "untyped: a literal string"
    );
}

#[test]
fn count_for_each_and_dynamic_blocks_expand() {
    let f = load(&[(
        "main.tf",
        r#"
variable "envs" {
  default = { prod = { public = false }, dev = { public = true } }
}
variable "rules" {
  default = [{ range = "1.1.1.1/32" }, { range = "2.2.2.2/32" }]
}
resource "azurerm_container_registry" "env" {
  for_each                      = var.envs
  name                          = "acr${each.key}"
  public_network_access_enabled = each.value.public
  network_rule_set {
    default_action = "Deny"
    dynamic "ip_rule" {
      for_each = var.rules
      iterator = rule
      content {
        action   = "Allow"
        ip_range = rule.value.range
        dynamic "nested" {
          for_each = [rule.key]
          content {
            index = nested.value
          }
        }
      }
    }
  }
}
resource "azurerm_subnet" "s" {
  count = 2
  name  = "snet-${count.index}"
}
resource "azurerm_subnet" "none" {
  count = 0
}
resource "azurerm_subnet" "maybe" {
  count = var.unset ? 1 : 0
  name  = "m"
}
resource "x_r" "set" {
  for_each = toset(["b", "a"])
  name     = each.value
  first    = azurerm_subnet.s[0].name
  ids      = azurerm_subnet.s[*].id
  all      = azurerm_container_registry.env["prod"].name
}
"#,
    )]);
    assert_eq!(
        f.addrs(),
        [
            "azurerm_container_registry.env[\"dev\"]",
            "azurerm_container_registry.env[\"prod\"]",
            "azurerm_subnet.s[0]",
            "azurerm_subnet.s[1]",
            "azurerm_subnet.maybe",
            "x_r.set[\"a\"]",
            "x_r.set[\"b\"]",
        ]
    );
    let prod = "azurerm_container_registry.env[\"prod\"]";
    assert_eq!(f.get(prod, "name"), s("acrprod"));
    assert_eq!(
        f.get(prod, "public_network_access_enabled"),
        Value::Bool(false)
    );
    assert_eq!(
        f.get(prod, "network_rule_set.0.ip_rule.1.ip_range"),
        s("2.2.2.2/32")
    );
    assert_eq!(
        f.get(prod, "network_rule_set.0.ip_rule.1.nested.0.index"),
        Value::Number(1.0)
    );
    assert_eq!(f.get("azurerm_subnet.s[1]", "name"), s("snet-1"));
    assert_eq!(f.get("x_r.set[\"a\"]", "name"), s("a"));
    assert_eq!(f.get("x_r.set[\"a\"]", "first"), s("snet-0"));
    assert_eq!(
        f.get("x_r.set[\"a\"]", "ids.1"),
        r("azurerm_subnet.s[1]", &["id"])
    );
    assert_eq!(f.get("x_r.set[\"a\"]", "all"), s("acrprod"));
}

#[test]
fn unknown_dynamic_for_each_makes_the_block_list_unknown() {
    let f = load(&[(
        "main.tf",
        r#"
variable "rules" {}
resource "azurerm_container_registry" "acr" {
  network_rule_set {
    default_action = "Deny"
    dynamic "ip_rule" {
      for_each = var.rules
      content {
        ip_range = ip_rule.value
      }
    }
  }
}
"#,
    )]);
    let n = f.node(
        "azurerm_container_registry.acr",
        "network_rule_set.0.ip_rule",
    );
    assert!(
        matches!(&n.value, Value::Unknown(u) if u.depends_on == "var.rules"),
        "{:?}",
        n.value
    );
    // Located at the `for_each` that leaves it unknown.
    assert_eq!(f.text(n.span.expect("span")), "var.rules");
}

fn module_files() -> Vec<(&'static str, &'static str)> {
    vec![
        (
            "main.tf",
            r#"
module "stack" {
  source = "./modules/stack"
  sku    = "Standard"
}
module "env" {
  source   = "./modules/registry"
  for_each = { prod = "Premium", dev = "Basic" }
  sku      = each.value
  name     = "acr${each.key}"
}
module "counted" {
  source = "./modules/registry"
  count  = 1
  sku    = "Premium"
  name   = "c${count.index}"
}
resource "azurerm_private_endpoint" "pe" {
  name = "pe-${module.stack.registry_name}"
  private_service_connection {
    private_connection_resource_id = module.stack.registry_id
  }
  prod_id = module.env["prod"].registry_id
  sku     = module.env["dev"].sku
  path    = module.stack.path
}
"#,
        ),
        (
            "modules/stack/main.tf",
            r#"
variable "sku" {}
module "registry" {
  source = "../registry"
  sku    = var.sku
  name   = "stackacr"
}
output "registry_id" {
  value = module.registry.registry_id
}
output "registry_name" {
  value = module.registry.name
}
output "path" {
  value = path.module
}
"#,
        ),
        (
            "modules/registry/main.tf",
            r#"
variable "sku" {
  type = string
}
variable "name" {
  default = "unnamed"
}
resource "azurerm_container_registry" "this" {
  name = var.name
  sku  = var.sku
}
output "registry_id" {
  value = azurerm_container_registry.this.id
}
output "name" {
  value = azurerm_container_registry.this.name
}
output "sku" {
  value = azurerm_container_registry.this.sku
}
"#,
        ),
    ]
}

#[test]
fn modules_pass_values_down_and_outputs_back() {
    let f = load(&module_files());
    assert!(f.loaded.errors.is_empty(), "{:?}", f.errors());
    assert_eq!(
        f.addrs(),
        [
            "azurerm_private_endpoint.pe",
            "module.stack.module.registry.azurerm_container_registry.this",
            "module.env[\"dev\"].azurerm_container_registry.this",
            "module.env[\"prod\"].azurerm_container_registry.this",
            "module.counted[0].azurerm_container_registry.this",
        ]
    );
    let inner = "module.stack.module.registry.azurerm_container_registry.this";
    assert_eq!(f.get(inner, "sku"), s("Standard"));
    assert_eq!(f.get(inner, "name"), s("stackacr"));
    let spans_file = f.sources.get(f.res(inner).header.file);
    assert!(spans_file.path.ends_with("modules/registry/main.tf"));
    assert_eq!(
        f.get(
            "module.env[\"prod\"].azurerm_container_registry.this",
            "sku"
        ),
        s("Premium")
    );
    assert_eq!(
        f.get("module.counted[0].azurerm_container_registry.this", "name"),
        s("c0")
    );
    let pe = "azurerm_private_endpoint.pe";
    assert_eq!(f.get(pe, "name"), s("pe-stackacr"));
    assert_eq!(
        f.get(
            pe,
            "private_service_connection.0.private_connection_resource_id"
        ),
        r(inner, &["id"])
    );
    assert_eq!(
        f.get(pe, "prod_id"),
        r(
            "module.env[\"prod\"].azurerm_container_registry.this",
            &["id"]
        )
    );
    assert_eq!(f.get(pe, "sku"), s("Basic"));
    assert_eq!(f.get(pe, "path"), s("modules/stack"));
    // Module files were added to the source map once, however many instances use them.
    let registry_files = (0..f.sources.len())
        .filter(|i| {
            f.sources
                .get(crate::source::FileId(*i as u32))
                .path
                .ends_with("modules/registry/main.tf")
        })
        .count();
    assert_eq!(registry_files, 1);
    assert_eq!(
        parse_folder(
            &f.root,
            &[crate::source::FileId(0)],
            &f.sources,
            &ModuleCache::default()
        ),
        (
            folder_key(&f.root),
            vec![
                folder_key(&f.root.join("modules/registry")),
                folder_key(&f.root.join("modules/stack"))
            ]
        )
    );
}

#[test]
fn remote_and_downloaded_modules() {
    let f = load(&[
        (
            "main.tf",
            r#"
module "remote" {
  source  = "Azure/avm-res-containerregistry-registry/azurerm"
  version = "0.4.0"
}
module "fetched" {
  source = "git::https://example.com/acr.git"
}
resource "x_r" "r" {
  id  = module.remote.resource_id
  got = module.fetched.name
}
"#,
        ),
        (
            ".terraform/modules/modules.json",
            r#"{"Modules":[{"Key":"","Source":"","Dir":"."},{"Key":"fetched","Source":"git::https://example.com/acr.git","Dir":".terraform/modules/fetched"}]}"#,
        ),
        (
            ".terraform/modules/fetched/main.tf",
            "resource \"azurerm_container_registry\" \"this\" {\n  name = \"fetched\"\n}\noutput \"name\" {\n  value = azurerm_container_registry.this.name\n}\n",
        ),
    ]);
    assert!(f.loaded.errors.is_empty(), "{:?}", f.errors());
    assert_eq!(
        f.get("x_r.r", "id"),
        unknown(
            "module.remote",
            "is a remote module that is not downloaded (run terraform init)"
        )
    );
    // It is also a note for --show-unknown, even when nothing reads its outputs.
    assert_eq!(f.loaded.notes.len(), 1);
    assert_eq!(f.loaded.notes[0].unknown.depends_on, "module.remote");
    assert_eq!(f.get("x_r.r", "got"), s("fetched"));
    f.res("module.fetched.azurerm_container_registry.this");
}

#[test]
fn cycles_become_unknown_without_hanging() {
    let f = load(&[
        (
            "main.tf",
            r#"
locals {
  a = local.b
  b = local.a
  self = "${local.self}-x"
}
variable "v" {
  default = var.v
}
module "a" {
  source = "./a"
}
output "o" {
  value = output.o
}
resource "x_r" "r" {
  a    = local.a
  self = local.self
  v    = var.v
  m    = module.a.out
}
"#,
        ),
        (
            "a/main.tf",
            "module \"b\" {\n  source = \"../b\"\n}\noutput \"out\" {\n  value = module.b.out\n}\n",
        ),
        (
            "b/main.tf",
            "module \"a\" {\n  source = \"../a\"\n}\noutput \"out\" {\n  value = module.a.out\n}\n",
        ),
    ]);
    assert!(matches!(f.get("x_r.r", "a"), Value::Unknown(u) if u.reason.contains("cycle")));
    assert!(matches!(f.get("x_r.r", "self"), Value::Unknown(u) if u.reason.contains("cycle")));
    assert!(matches!(f.get("x_r.r", "v"), Value::Unknown(_)));
    assert!(
        matches!(f.get("x_r.r", "m"), Value::Unknown(u) if u.reason.contains("module cycle")),
        "{:?}",
        f.get("x_r.r", "m")
    );
    let errors = f.errors();
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with("main.tf:Some((2, 12)): module cycle:")),
        "{errors:?}"
    );
    // Self-referencing locals are reported too (once each), not only made unknown.
    assert!(
        errors
            .iter()
            .any(|e| e.contains("local.self refers to itself")),
        "{errors:?}"
    );
}

#[test]
fn a_missing_module_source_is_an_error_and_unknown() {
    let f = load(&[(
        "main.tf",
        "module \"gone\" {\n  source = \"./nowhere\"\n}\nresource \"x_r\" \"r\" {\n  v = module.gone.x\n}\n",
    )]);
    assert_eq!(
        f.get("x_r.r", "v"),
        unknown("module.gone", "has a source folder that does not exist")
    );
    assert_eq!(f.errors().len(), 1);
    assert!(f.errors()[0].contains("module source \"./nowhere\" not found"));
}

#[test]
fn parse_errors_are_located_and_other_files_still_load() {
    let f = load(&[
        ("a.tf", "resource \"x_r\" \"ok\" {\n  v = 1\n}\n"),
        ("b.tf", "resource \"x_r\" \"bad\" {\n  v = [1,\n}\n"),
        (
            "c.tf",
            &format!("locals {{\n  deep = {}\n}}\n", "[".repeat(300_000)),
        ),
    ]);
    assert_eq!(f.addrs(), ["x_r.ok"]);
    let errors = f.errors();
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(
        // At the `[` that the `}` on line 3 does not close, not where the parser stopped.
        errors[0].starts_with(
            "b.tf:Some((2, 7)): cannot parse: unclosed `[`: it has no matching `]` \
             (the parser stopped at line 3, column 1: "
        ),
        "{errors:?}"
    );
    assert!(
        // hcl-edit stops at the 65th level (column 10 is the first bracket).
        errors[1].starts_with("c.tf:Some((2, 74)): cannot parse: invalid nesting depth"),
        "{errors:?}"
    );
}

#[test]
fn what_terraform_accepts_and_hcl_edit_refuses_is_read_as_terraform_reads_it() {
    // A key written twice keeps its last value, with a warning, in a configuration file, a
    // called module and a variable file; a line break in an object `for` value is ignored.
    let f = load(&[
        (
            "main.tf",
            "variable \"tags\" {}\n\
             locals {\n  m = {\n    a = 1\n    a = 2\n  }\n}\n\
             resource \"x_r\" \"r\" {\n  v    = local.m.a\n  tags = var.tags\n}\n\
             module \"m\" {\n  source = \"./m\"\n}\n",
        ),
        (
            "terraform.tfvars",
            "tags = {\n  env = \"dev\"\n  env = \"prod\"\n}\n",
        ),
        (
            "m/main.tf",
            "locals {\n  on = { for k in [\"a\"] : k => k == \"a\" &&\n    true }\n}\n\
             resource \"x_r\" \"in\" {\n  v = { b = local.on.a, b = false }\n}\n",
        ),
    ]);
    assert_eq!(f.errors(), Vec::<String>::new());
    assert_eq!(f.get("x_r.r", "v"), Value::Number(2.0));
    assert_eq!(f.get("x_r.r", "tags.env"), s("prod"));
    assert_eq!(f.get("module.m.x_r.in", "v.b"), Value::Bool(false));
    let mut warnings: Vec<String> = f
        .loaded
        .warnings
        .iter()
        .map(|w| {
            let path = &f.sources.get(w.file).path;
            let path = path.strip_prefix(&f.root).unwrap_or(path);
            format!("{}: {}", path.display(), w.message)
        })
        .collect();
    warnings.sort();
    assert_eq!(
        warnings,
        [
            "m/main.tf: line 6: duplicate key `b` in an object: Terraform keeps the last value",
            "main.tf: line 4: duplicate key `a` in an object, set again at line 5: Terraform \
             keeps the last value",
            "terraform.tfvars: line 2: duplicate key `env` in an object, set again at line 3: \
             Terraform keeps the last value",
        ]
    );
}

#[test]
fn unreadable_module_files_are_reported() {
    let dir_files = [
        ("main.tf", "module \"m\" {\n  source = \"./m\"\n}\n"),
        ("m/ok.tf", "resource \"x_r\" \"r\" {}\n"),
    ];
    let f = load(&dir_files);
    assert_eq!(f.addrs(), ["module.m.x_r.r"]);
    std::fs::write(f.root.join("m/bin.tf"), b"\x00\x01\x02").expect("write");
    std::fs::write(f.root.join("m/latin.tf"), b"# caf\xe9\n").expect("write");
    let sources = SourceMap::default();
    let id = sources.add(SourceFile::new(
        f.root.join("main.tf"),
        "main.tf".into(),
        Arc::from(dir_files[0].1),
    ));
    let loaded = load_module(&f.root, &[id], &sources, &TfOptions::default());
    assert_eq!(loaded.resources.len(), 1);
    let messages: Vec<&str> = loaded.errors.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert!(messages[0].starts_with("binary file"), "{messages:?}");
    assert!(messages[1].starts_with("not valid UTF-8"), "{messages:?}");
}

#[test]
fn expansion_is_capped_with_an_error() {
    let f = load(&[(
        "main.tf",
        "resource \"x_r\" \"many\" {\n  for_each = toset([for i in range(20000) : tostring(i)])\n}\n",
    )]);
    assert_eq!(f.addrs(), ["x_r.many"]);
    let errors = f.errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].contains("more than 10000 instances"),
        "{errors:?}"
    );
    let f = load(&[(
        "main.tf",
        "locals {\n  big = range(10000000)\n}\nresource \"x_r\" \"r\" {\n  n = length(local.big)\n}\n",
    )]);
    assert!(matches!(f.get("x_r.r", "n"), Value::Unknown(_)));
    assert!(
        f.errors().iter().any(|e| e.contains("evaluation stopped")),
        "{:?}",
        f.errors()
    );
}

#[test]
fn long_reference_chains_stay_within_the_depth_limit() {
    let mut text = String::from("locals {\n  l0 = \"x\"\n");
    for i in 1..3000 {
        text.push_str(&format!("  l{i} = local.l{}\n", i - 1));
    }
    text.push_str("}\nresource \"x_r\" \"r\" {\n  v = local.l2999\n  w = local.l100\n}\n");
    let f = load(&[("main.tf", &text)]);
    assert!(matches!(f.get("x_r.r", "v"), Value::Unknown(u) if u.reason.contains("too deeply")));
    assert_eq!(f.get("x_r.r", "w"), s("x"));
}

#[test]
fn tf_json_maps_to_the_same_model() {
    let f = load(&[
        (
            "main.tf.json",
            r#"{
  "variable": { "sku": { "type": "string", "default": "Premium" } },
  "locals": { "prefix": "acr" },
  "resource": {
    "azurerm_container_registry": {
      "acr": {
        "name": "${local.prefix}demo",
        "sku": "${var.sku}",
        "count": 1,
        "tags": { "env": "prod" },
        "network_rule_set": { "default_action": "Deny", "ip_rule": [ { "ip_range": "1.1.1.1/32" }, { "ip_range": "2.2.2.2/32" } ] },
        "dynamic": { "georeplications": { "for_each": "${[\"northeurope\"]}", "content": { "location": "${georeplications.value}" } } }
      }
    }
  },
  "output": { "id": { "value": "${azurerm_container_registry.acr[0].id}" } }
}"#,
        ),
        (
            "pe.tf",
            "resource \"x_r\" \"pe\" {\n  target = azurerm_container_registry.acr[0].id\n  name = azurerm_container_registry.acr[0].name\n}\n",
        ),
    ]);
    assert!(f.loaded.errors.is_empty(), "{:?}", f.errors());
    let acr = "azurerm_container_registry.acr[0]";
    assert_eq!(f.get(acr, "name"), s("acrdemo"));
    assert_eq!(f.get(acr, "sku"), s("Premium"));
    assert_eq!(f.get(acr, "tags.env"), s("prod"));
    assert_eq!(f.get(acr, "network_rule_set.0.default_action"), s("Deny"));
    assert_eq!(
        f.get(acr, "network_rule_set.0.ip_rule.1.ip_range"),
        s("2.2.2.2/32")
    );
    assert_eq!(f.get(acr, "georeplications.0.location"), s("northeurope"));
    assert!(f.res(acr).body.get("count").is_none());
    assert_eq!(f.get("x_r.pe", "target"), r(acr, &["id"]));
    assert_eq!(f.text(f.res(acr).header), "\"acr\"");
    assert_eq!(
        f.text(f.node(acr, "sku").span.expect("span")),
        "\"${var.sku}\""
    );
    assert_eq!(f.get("x_r.pe", "name"), s("acrdemo"));
}

#[test]
fn tf_json_parse_errors_are_located() {
    let f = load(&[
        ("bad.tf.json", "{\n  \"resource\": {,\n}"),
        ("bad_template.tf.json", "{\"locals\": {\"a\": \"${\"}}"),
    ]);
    let errors = f.errors();
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(
        errors[0].starts_with("bad.tf.json:Some((2, 16)): cannot parse"),
        "{errors:?}"
    );
    assert!(
        errors[1].starts_with("bad_template.tf.json:Some((1, "),
        "{errors:?}"
    );
}

#[test]
fn module_paths_are_normalized_lexically() {
    assert_eq!(files::normalize(Path::new("a/./b/../c")), Path::new("a/c"));
    assert_eq!(files::normalize(Path::new("../x/../y")), Path::new("../y"));
    assert_eq!(files::normalize(Path::new("/a/../../b")), Path::new("/b"));
}

/// The undeclared-reference errors of a load, as `file:(line, column): message`, sorted.
fn undeclared(f: &Fixture) -> Vec<String> {
    let mut out: Vec<String> = f
        .errors()
        .into_iter()
        .filter(|e| e.contains("undeclared"))
        .collect();
    out.sort();
    out
}

#[test]
fn undeclared_variables_locals_and_modules_are_errors_at_the_reference() {
    let f = load(&[(
        "main.tf",
        r#"variable "name" {}
locals {
  a = var.missing
  b = [for var in local.l : var.id]
  l = []
  c = "${local.nope}-${var.name}"
}
resource "x_r" "r" {
  name = module.gone.out
  tags = { for k, v in var.tags : k => upper(v) }
  count = length(path.module) > 0 ? 1 : 0
  v = "${terraform.workspace}-${count.index}-${self.id}"
  lifecycle {
    ignore_changes = [tags]
  }
}
output "o" {
  value = local.c2
}
"#,
    )]);
    assert_eq!(
        undeclared(&f),
        [
            "main.tf:Some((10, 24)): undeclared input variable var.tags: no variable \"tags\" block in this module",
            "main.tf:Some((18, 11)): undeclared local value local.c2: no locals block in this module sets \"c2\"",
            "main.tf:Some((3, 7)): undeclared input variable var.missing: no variable \"missing\" block in this module",
            "main.tf:Some((6, 10)): undeclared local value local.nope: no locals block in this module sets \"nope\"",
            "main.tf:Some((9, 10)): undeclared module module.gone: no module \"gone\" block in this module",
        ]
    );
    // The error spans the reference itself.
    let spans: Vec<String> = f
        .loaded
        .errors
        .iter()
        .filter_map(|e| e.span)
        .map(|s| f.text(s))
        .collect();
    assert!(spans.contains(&"var.missing".to_string()), "{spans:?}");
    assert!(spans.contains(&"module.gone".to_string()), "{spans:?}");
    // The value stays unknown, as before.
    assert!(matches!(f.get("x_r.r[0]", "name"), Value::Unknown(_)));
}

#[test]
fn dynamic_block_iterators_are_bound_in_their_content_only() {
    let f = load(&[(
        "main.tf",
        r#"variable "rules" {}
resource "x_r" "r" {
  dynamic "ip_rule" {
    for_each = var.rules
    content {
      value = ip_rule.value
      dynamic "inner" {
        for_each = ip_rule.value.items
        iterator = it
        content {
          a = it.key
          b = ip_rule.key
          c = var.inner_missing
        }
      }
    }
  }
  dynamic "var" {
    for_each = var.rules
    content {
      x = var.value
    }
  }
  dynamic "net" {
    for_each = net.value
    content {}
  }
}
"#,
    )]);
    // `var.value` inside `dynamic "var"` is its iterator; `net.value` in its own `for_each` is not
    // bound (and not a variable reference either).
    assert_eq!(
        undeclared(&f),
        ["main.tf:Some((13, 15)): undeclared input variable var.inner_missing: no variable \"inner_missing\" block in this module"]
    );
}

#[test]
fn undeclared_references_in_tf_json_are_errors() {
    let f = load(&[(
        "main.tf.json",
        r#"{
  "variable": { "sku": {} },
  "locals": { "x": "${var.sku}-${var.nope}" },
  "resource": {
    "x_r": {
      "r": {
        "name": "${local.y}",
        "dynamic": {
          "rule": {
            "for_each": "${var.sku}",
            "iterator": "var",
            "content": { "v": "${var.value}" }
          }
        }
      }
    }
  }
}
"#,
    )]);
    assert_eq!(
        undeclared(&f),
        [
            "main.tf.json:Some((3, 34)): undeclared input variable var.nope: no variable \"nope\" block in this module",
            "main.tf.json:Some((7, 20)): undeclared local value local.y: no locals block in this module sets \"y\"",
        ]
    );
}

#[test]
fn undeclared_module_outputs_are_errors_once_per_reference() {
    let f = load(&[
        (
            "main.tf",
            r#"module "acr" {
  source   = "./acr"
  for_each = toset(["a", "b"])
}
module "remote" {
  source = "Azure/avm-res-containerregistry-registry/azurerm"
}
locals {
  ok      = module.acr["a"].sku
  missing = module.acr["a"].nope
  all     = module.acr
  remote  = module.remote.anything
  by_key  = module.acr.b.sku
  one     = module.acr.b
  gone    = module.acr.b.nothing
  # `try()` and `can()` catch a missing output (terraform validate accepts them), not a name
  # that is not declared.
  tried   = try(module.acr["a"].nope, null)
  can     = can(upper(module.acr.b.nothing))
  var     = try(var.undeclared, null)
}
"#,
        ),
        (
            "acr/main.tf",
            "output \"sku\" {\n  value = \"Premium\"\n}\n",
        ),
    ]);
    // Two instances of the call: still one error each. A remote module that is not downloaded
    // is not checked. With `for_each`, `.b` is an instance key, as `["b"]` is (radix-platform's
    // `module.app.cr_cicd.principal_id`).
    assert_eq!(
        undeclared(&f),
        [
            "main.tf:Some((10, 13)): undeclared output module.acr.nope: module \"acr\" (source \"./acr\") declares no output \"nope\"",
            "main.tf:Some((15, 13)): undeclared output module.acr.b.nothing: module \"acr\" (source \"./acr\") declares no output \"nothing\"",
            "main.tf:Some((20, 17)): undeclared input variable var.undeclared: no variable \"undeclared\" block in this module",
        ]
    );
    let outputs: Vec<String> = (f.loaded.errors.iter())
        .filter(|e| e.message.starts_with("undeclared output"))
        .map(|e| f.text(e.span.expect("span")))
        .collect();
    assert_eq!(outputs, ["module.acr[\"a\"].nope", "module.acr.b.nothing"]);
}

#[test]
fn depends_on_waits_on_a_whole_module_call_whatever_output_it_names() {
    let f = load(&[
        (
            "main.tf",
            r#"module "net" {
  source = "./net"
}
resource "azurerm_resource_group" "rg" {
  name       = "rg"
  location   = "westeurope"
  depends_on = [module.net.not_an_output, module.gone.x]
}
"#,
        ),
        ("net/main.tf", "output \"id\" {\n  value = \"x\"\n}\n"),
    ]);
    // Terraform never evaluates `depends_on`: only the module call must exist.
    assert_eq!(
        undeclared(&f),
        ["main.tf:Some((7, 43)): undeclared module module.gone: no module \"gone\" block in this module"]
    );
}

#[test]
fn modules_that_are_never_instantiated_are_still_checked() {
    let f = load(&[
        (
            "main.tf",
            "module \"off\" {\n  source = \"./off\"\n  count  = 0\n}\n",
        ),
        (
            "off/main.tf",
            "module \"inner\" {\n  source = \"./inner\"\n}\noutput \"x\" {\n  value = module.inner.y\n}\n",
        ),
        ("off/inner/main.tf", "locals {\n  a = var.q\n}\n"),
    ]);
    // `off/inner/main.tf` and `off/main.tf`: no instance of either module exists.
    assert_eq!(
        undeclared(&f),
        [
            "main.tf:Some((2, 7)): undeclared input variable var.q: no variable \"q\" block in this module",
            "main.tf:Some((5, 11)): undeclared output module.inner.y: module \"inner\" (source \"./inner\") declares no output \"y\"",
        ]
    );
}

#[test]
fn a_folder_with_a_file_that_does_not_parse_is_not_checked_for_undeclared_references() {
    let f = load(&[
        ("a.tf", "locals {\n  x = var.declared_in_b\n}\n"),
        ("b.tf", "variable \"declared_in_b\" {\n  default = [\n}\n"),
    ]);
    assert!(undeclared(&f).is_empty(), "{:?}", f.errors());
    assert_eq!(f.errors().len(), 1, "{:?}", f.errors());
}

#[test]
fn inline_subnet_blocks_have_the_ids_azure_gives_them() {
    let f = load(&[(
        "main.tf",
        r#"
resource "azurerm_network_security_group" "nsg" {
  name = "nsg"
}
resource "azurerm_virtual_network" "app" {
  name = "vnet-app"
  subnet {
    name           = "snet-a"
    security_group = azurerm_network_security_group.nsg.id
  }
  subnet {
    name = "snet-pe"
  }
}
resource "azurerm_virtual_network" "bare" {
  name = "vnet-bare"
}
resource "azurerm_private_endpoint" "pe" {
  name      = "pe"
  subnet_id = tolist(azurerm_virtual_network.app.subnet)[1].id
}
resource "azurerm_private_endpoint" "splat" {
  name      = "pe-splat"
  subnet_id = azurerm_virtual_network.app.subnet.*.id[0]
}
resource "azurerm_private_endpoint" "bare" {
  name      = "pe-bare"
  subnet_id = tolist(azurerm_virtual_network.bare.subnet)[0].id
}
"#,
    )]);
    assert!(f.errors().is_empty(), "{:?}", f.errors());
    let id = |subnet: &str| {
        Value::text(format!(
            "{}/subnets/{subnet}",
            crate::symbolic::encode_term("azurerm_virtual_network.app.id")
        ))
    };
    assert_eq!(
        f.get("azurerm_private_endpoint.pe", "subnet_id"),
        id("snet-pe")
    );
    assert_eq!(
        f.get("azurerm_private_endpoint.splat", "subnet_id"),
        id("snet-a")
    );
    // Without inline blocks the VNet's subnets are whatever exists after apply.
    assert!(matches!(
        f.get("azurerm_private_endpoint.bare", "subnet_id"),
        Value::Unknown(_)
    ));
}

#[test]
fn tf_var_values_are_below_every_variable_file() {
    let env = |pairs: &[(&str, &str)]| TfOptions {
        environment: super::Environment::from_vars(
            pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())),
        ),
        ..TfOptions::default()
    };
    let opts = env(&[
        ("TF_VAR_sku", "env"),
        ("TF_VAR_name", "from-env"),
        ("TF_VAR_ranges", "[\"10.0.0.0/8\"]"),
    ]);
    let f = load_with(&[("main.tf", VARS)], &opts);
    assert_eq!(f.get("x_r.r", "sku"), s("env"), "over the default");
    assert_eq!(f.get("x_r.r", "name"), s("from-env"));
    assert_eq!(f.get("x_r.r", "ranges.0"), s("10.0.0.0/8"), "parsed as HCL");
    let f = load_with(
        &[("main.tf", VARS), ("terraform.tfvars", "sku = \"a\"\n")],
        &opts,
    );
    assert_eq!(f.get("x_r.r", "sku"), s("a"), "terraform.tfvars wins");
    let f = load_with(
        &[("main.tf", VARS)],
        &env(&[("TF_VAR_ranges", "[not, hcl")]),
    );
    assert!(
        matches!(f.get("x_r.r", "ranges"), Value::Unknown(u) if u.reason.contains("a TF_VAR_ranges value that cannot be parsed")),
        "{:?}",
        f.get("x_r.r", "ranges")
    );
}

#[test]
fn terraform_reads_its_environment_variables_by_prefix() {
    let env = super::Environment::from_vars(
        [
            ("TF_VAR_sku", "Premium"),
            ("TF_VAR_", "no name"),
            ("TF_VAR_allow_public", "false"),
            ("TF_WORKSPACE", "prod"),
            ("TF_DATA_DIR", "/tmp/tf"),
            ("ARM_ENVIRONMENT", "usgovernment"),
            ("tf_var_lower", "not Terraform's"),
            ("PATH", "/bin"),
        ]
        .map(|(k, v)| (k.to_string(), v.to_string())),
    );
    assert_eq!(
        env.vars,
        [
            ("allow_public".to_string(), "false".to_string()),
            ("sku".to_string(), "Premium".to_string())
        ]
    );
    assert_eq!(env.workspace.as_deref(), Some("prod"));
    assert_eq!(env.data_dir, Some(PathBuf::from("/tmp/tf")));
    assert_eq!(env.arm_environment.as_deref(), Some("usgovernment"));
    // Set but empty: as if not set.
    let empty = super::Environment::from_vars([("TF_WORKSPACE".to_string(), String::new())]);
    assert_eq!(empty.workspace, None);
}

#[test]
fn the_root_azurerm_provider_names_the_cloud() {
    use crate::model::Cloud;
    let gov = Cloud::Set("privatelink.azurecr.us");
    let cloud = |files: &[(&str, &str)], env: &[(&str, &str)]| {
        let opts = TfOptions {
            environment: super::Environment::from_vars(
                env.iter().map(|(k, v)| (k.to_string(), v.to_string())),
            ),
            ..TfOptions::default()
        };
        load_with(files, &opts).loaded.cloud
    };
    let hcl = "provider \"azurerm\" {\n  features {}\n  environment = local.cloud\n}\n\nlocals {\n  cloud = \"usgovernment\"\n}\n";
    assert_eq!(cloud(&[("main.tf", hcl)], &[]), gov);
    // Nothing set: the region tells, unless ARM_ENVIRONMENT says.
    assert_eq!(cloud(&[("main.tf", "")], &[]), Cloud::Provider);
    assert_eq!(
        cloud(&[("main.tf", "")], &[("ARM_ENVIRONMENT", "usgovernment")]),
        gov
    );
    // An aliased provider is not the one resources use by default.
    let aliased =
        "provider \"azurerm\" {\n  alias       = \"gov\"\n  environment = \"usgovernment\"\n}\n";
    assert_eq!(cloud(&[("main.tf", aliased)], &[]), Cloud::Provider);
    // The block wins over ARM_ENVIRONMENT.
    let public = "provider \"azurerm\" {\n  environment = \"public\"\n}\n";
    assert_eq!(
        cloud(
            &[("main.tf", public)],
            &[("ARM_ENVIRONMENT", "usgovernment")]
        ),
        Cloud::Set("privatelink.azurecr.io")
    );
    let json = r#"{"provider": {"azurerm": [{"alias": "other", "environment": "public"}, {"environment": "china"}]}}"#;
    assert_eq!(
        cloud(&[("main.tf.json", json)], &[]),
        Cloud::Set("privatelink.azurecr.cn")
    );
}
