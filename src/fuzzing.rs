//! Entry points for the fuzz targets in `fuzz/` (one function per target), kept in the library so
//! that the targets stay one line each and reach the parsers and evaluators exactly as the
//! pipeline calls them: in memory where the pipeline reads from memory, on the large stack the
//! loaders run on, with the default [`crate::limits`]. Not a stable interface.
//!
//! Every function takes arbitrary bytes and must return for every input: a panic (even one the
//! per-scope net would catch, since libFuzzer's panic hook aborts first), a hang or unbounded
//! memory is a finding.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::load::{arm, terraform, with_large_stack, Loaded};
use crate::resolve::arm as arm_expr;
use crate::resolve::hcl::{self, EvOp, Eval, Resolver};
use crate::source::{FileId, SourceFile, SourceMap, Span};
use crate::value::{Node, ResourceRef, Unknown, Value};

/// The folder the in-memory Terraform and ARM files claim to be in. It does not exist, so that a
/// module call or a conventional parameter file finds nothing on disk rather than files of the
/// machine that runs the fuzzer.
fn virtual_dir() -> PathBuf {
    std::env::temp_dir().join("acrlint-fuzz-virtual-folder-that-does-not-exist")
}

fn text(data: &[u8]) -> String {
    String::from_utf8_lossy(data).into_owned()
}

/// The loaders' own net turns a panic into this error; under libFuzzer the panic aborts first, but
/// a caller without libFuzzer's hook (a regression test) must still see it as a failure.
fn assert_no_internal_error(loaded: &Loaded) {
    for e in &loaded.errors {
        assert!(
            !e.message.starts_with("internal error"),
            "a loader panicked: {}",
            e.message
        );
    }
}

/// Load one Terraform module whose files are `files` (name, text), with `extra` variable files
/// (already named in `files`) as the folder's listing, so that nothing is read from disk.
fn load_terraform(files: &[(&str, String)], var_files: &[&str]) -> Loaded {
    let dir = virtual_dir();
    let sources = SourceMap::default();
    let mut ids = Vec::new();
    for (name, text) in files {
        let path = dir.join(name);
        let id = sources.add(SourceFile::read(path.clone(), Arc::from(text.as_str())));
        if !var_files.contains(name) {
            ids.push(id);
        }
    }
    let mut cache = terraform::ModuleCache::default();
    cache.set_var_files(
        terraform::folder_key(&dir),
        var_files.iter().map(|n| dir.join(n)).collect(),
    );
    let loaded = terraform::load_module_with(
        &dir,
        &ids,
        &sources,
        &terraform::TfOptions::default(),
        &cache,
    );
    assert_no_internal_error(&loaded);
    loaded
}

/// `main.tf`: a whole module in HCL.
pub fn hcl_module(data: &[u8]) -> Loaded {
    load_terraform(&[("main.tf", text(data))], &[])
}

/// `main.tf.json`: a whole module in Terraform's JSON syntax.
pub fn tf_json_module(data: &[u8]) -> Loaded {
    load_terraform(&[("main.tf.json", text(data))], &[])
}

/// A module that declares variables of several types and feeds them to a registry and an
/// endpoint, so that values from the variable file reach type conversion and the model.
const TFVARS_MODULE: &str = r#"
variable "name" { type = string }
variable "public" { type = bool }
variable "count_n" { type = number }
variable "tags" { type = map(string) }
variable "subnets" { type = list(object({ id = string, zone = optional(string, "x") })) }
variable "any" {}
resource "azurerm_container_registry" "acr" {
  count                         = var.count_n
  name                          = "${var.name}${count.index}"
  sku                           = "Premium"
  public_network_access_enabled = var.public
  tags                          = var.tags
}
resource "azurerm_private_endpoint" "pe" {
  for_each  = { for s in var.subnets : s.id => s }
  name      = each.key
  subnet_id = each.value.id
  private_service_connection {
    private_connection_resource_id = azurerm_container_registry.acr[0].id
    subresource_names              = ["registry"]
  }
}
output "any" { value = var.any }
"#;

/// A variable file: `terraform.tfvars.json` when the input starts (after blanks) with `{`, else
/// `terraform.tfvars`, for [`TFVARS_MODULE`].
pub fn tfvars(data: &[u8]) -> Loaded {
    let vars = text(data);
    let name = match vars.trim_start().starts_with('{') {
        true => "terraform.tfvars.json",
        false => "terraform.tfvars",
    };
    load_terraform(
        &[("main.tf", TFVARS_MODULE.to_string()), (name, vars)],
        &[name],
    )
}

/// The span-keeping JSON parser every JSON input goes through, then the value conversion the
/// evaluators use.
pub fn json(data: &[u8]) {
    let text = text(data);
    with_large_stack(|| {
        if let Ok(doc) = crate::load::json::parse(&text) {
            let _ = Value::from_json(&doc, None);
        }
    })
    .expect("the JSON parser panicked");
}

/// One ARM template (the input as `azuredeploy.json`), loaded as the pipeline loads it.
pub fn arm_template(data: &[u8]) -> Loaded {
    let sources = SourceMap::default();
    let file = sources.add(SourceFile::read(
        virtual_dir().join("azuredeploy.json"),
        Arc::from(text(data).as_str()),
    ));
    let loaded =
        with_large_stack(|| arm::load_template(file, &sources, &arm::ArmOptions::default()))
            .expect("the ARM loader panicked");
    assert_no_internal_error(&loaded);
    loaded
}

/// The ARM environment of the expression target: parameters of each JSON type (one unknown, one
/// never given), a variable, a copy loop and a nested deployment's outputs, as in a template.
struct ArmEnv {
    scope: arm_expr::DeploymentScope,
    limits: arm_expr::Limits,
}

fn json_value(text: &str) -> Value {
    match crate::load::json::parse(text) {
        Ok(j) => Value::from_json(&j, None),
        Err(_) => Value::Null,
    }
}

impl arm_expr::Env for ArmEnv {
    fn scope(&self) -> &arm_expr::DeploymentScope {
        &self.scope
    }
    fn limits(&self) -> &arm_expr::Limits {
        &self.limits
    }
    fn parameter(&self, name: &str) -> Value {
        match name.to_ascii_lowercase().as_str() {
            "name" => Value::String("contosoacr".into()),
            "count" => Value::Number(3.0),
            "flag" => Value::Bool(true),
            "obj" => json_value(r#"{"sku": {"name": "Premium"}, "tags": {"a": "b"}, "n": 1.5}"#),
            "list" => json_value(r#"["a", "b", "c", 1, null, [true]]"#),
            "input" => Value::Unknown(Unknown::input("parameters('input')", "has no value")),
            _ => arm_expr::unknown(format!("parameters('{name}')"), "is not declared"),
        }
    }
    fn variable(&self, name: &str) -> Value {
        match name.to_ascii_lowercase().as_str() {
            "v" => Value::String("var-value".into()),
            "big" => Value::String("x".repeat(4096).into()),
            _ => arm_expr::unknown(format!("variables('{name}')"), "is not declared"),
        }
    }
    fn copy_index(&self, loop_name: Option<&str>) -> Value {
        match loop_name {
            None | Some("loop") => Value::Number(2.0),
            Some(_) => arm_expr::unknown("copyIndex", "is outside that loop"),
        }
    }
    fn reference(&self, target: &str) -> Option<Value> {
        (target == "nested")
            .then(|| json_value(r#"{"outputs": {"id": {"type": "string", "value": "x"}}}"#))
    }
}

/// An ARM template expression: the parser on the text, and the evaluator on what parses, both
/// as the bracketed string a template holds and as the bare expression.
pub fn arm_expression(data: &[u8]) -> Option<Value> {
    let text = text(data);
    with_large_stack(|| {
        let env = ArmEnv {
            scope: arm_expr::DeploymentScope::default(),
            limits: arm_expr::Limits::default(),
        };
        let bare = arm_expr::parse::parse(&text)
            .ok()
            .map(|expr| arm_expr::eval(&expr, &text, &env));
        // A fresh budget: the string form is a separate evaluation in a template too.
        let env = ArmEnv {
            limits: arm_expr::Limits::default(),
            ..env
        };
        let _ = arm_expr::eval_string(&format!("[{text}]"), &env);
        bare
    })
    .expect("the ARM expression parser or evaluator panicked")
}

/// The HCL names of the expression target: `var.*` of each type (one unknown), `count.index`,
/// `each.key`/`each.value`, `path.module`; any other `type.name` is a resource reference.
struct HclScope {
    limits: hcl::Limits,
}

fn hcl_var(name: &str) -> Value {
    match name {
        "name" => Value::String("Demo".into()),
        "n" => Value::Number(3.0),
        "on" => Value::Bool(true),
        "list" => json_value(r#"["a", "b", "c"]"#),
        "map" => json_value(r#"{"b": 2, "a": 1}"#),
        "envs" => json_value(r#"{"prod": {"public": false}, "dev": {"public": true}}"#),
        "nul" => Value::Null,
        _ => Value::Unknown(Unknown::new(format!("var.{name}"), "has no value")),
    }
}

impl Resolver for HclScope {
    fn resolve(&mut self, root: &str, ops: &[EvOp], span: Span) -> (Node, usize) {
        let attr = match ops.first() {
            Some(EvOp::Attr(name)) => *name,
            _ => return (Node::unknown(Unknown::new(root, "bare"), Some(span)), 0),
        };
        let value = match (root, attr) {
            ("var" | "local", name) => hcl_var(name),
            ("count", "index") => Value::Number(1.0),
            ("each", "key") => Value::String("prod".into()),
            ("each", "value") => hcl_var("envs"),
            ("path", _) => Value::String(".".into()),
            _ => Value::Ref(ResourceRef {
                addr: format!("{root}.{attr}"),
                attr: vec![],
            }),
        };
        (Node::new(value, Some(span)), 1)
    }

    fn configured_attr(&mut self, _: &ResourceRef, _: &str) -> Option<Node> {
        None
    }

    fn limits(&mut self) -> &mut hcl::Limits {
        &mut self.limits
    }
}

/// An HCL expression: parsed as an expression and as a string template, each evaluated with a
/// budget of its own (the default steps, as one Terraform scope has).
pub fn hcl_expression(data: &[u8]) -> Option<Node> {
    let text = text(data);
    with_large_stack(|| {
        let steps = crate::limits::current().steps;
        let file = FileId(0);
        let expr = hcl::parse_expr(&text, file, 0).ok().map(|e| {
            let mut scope = HclScope {
                limits: hcl::Limits::new(steps),
            };
            Eval::new(&mut scope).value(&e)
        });
        if let Ok(t) = hcl::parse_template(&text, file, 0) {
            let mut scope = HclScope {
                limits: hcl::Limits::new(steps),
            };
            Eval::new(&mut scope).value(&t);
        }
        expr
    })
    .expect("the HCL expression parser or evaluator panicked")
}

/// `main.bicep`: one Bicep file, parsed, lowered and loaded as a root, as the pipeline loads it
/// (its local modules are not on disk, so they are errors).
pub fn bicep(data: &[u8]) -> Loaded {
    let sources = SourceMap::default();
    let file = sources.add(SourceFile::read(
        virtual_dir().join("main.bicep"),
        Arc::from(text(data).as_str()),
    ));
    let loaded = with_large_stack(|| {
        let parses = crate::load::bicep::Parses::default();
        let units = crate::load::bicep::units(&[file], &[], &sources, &parses).units;
        let mut loaded = Loaded::default();
        for unit in &units {
            loaded = crate::load::bicep::load(unit, &sources, &parses, &Default::default());
        }
        loaded
    })
    .expect("the Bicep loader panicked");
    assert_no_internal_error(&loaded);
    loaded
}

/// `tfplan.json`: one Terraform plan, loaded as the pipeline loads a plan without its `.tf` files.
pub fn plan(data: &[u8]) -> Loaded {
    let sources = SourceMap::default();
    let file = sources.add(SourceFile::read(
        virtual_dir().join("tfplan.json"),
        Arc::from(text(data).as_str()),
    ));
    let loaded = with_large_stack(|| crate::load::plan::load(file, &sources, None).loaded)
        .expect("the plan loader panicked");
    assert_no_internal_error(&loaded);
    loaded
}

/// Most files of one generated folder, and their longest name: enough for modules, variable and
/// parameter files and templates side by side, and a bound on what one input writes.
const MAX_FILES: usize = 12;
const MAX_NAME: usize = 64;

/// The files an input for [`pipeline`] describes: sections that each start with a line
/// `--- NAME` (a relative path of at most two parts), the file's bytes up to the next such line.
/// Bytes before the first section are `main.tf`. Names that would leave the folder are made safe
/// rather than dropped, so that the fuzzer's mutations of a name still write a file.
pub fn pipeline_files(data: &[u8]) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<(PathBuf, Vec<u8>)> = vec![(PathBuf::from("main.tf"), Vec::new())];
    for line in data.split_inclusive(|&b| b == b'\n') {
        match line.strip_prefix(b"--- ") {
            Some(name) if files.len() < MAX_FILES => {
                files.push((safe_name(name), Vec::new()));
            }
            _ => files.last_mut().unwrap().1.extend_from_slice(line),
        }
    }
    files
}

fn safe_name(raw: &[u8]) -> PathBuf {
    let raw = String::from_utf8_lossy(raw);
    let parts: Vec<String> = raw
        .trim()
        .split('/')
        .filter(|p| !p.is_empty() && *p != "." && *p != "..")
        .take(2)
        .map(|p| {
            p.chars()
                .map(|c| match c.is_ascii_alphanumeric() || "._-".contains(c) {
                    true => c,
                    false => '_',
                })
                .take(MAX_NAME)
                .collect()
        })
        .collect();
    match parts.is_empty() {
        true => PathBuf::from("main.tf"),
        false => parts.iter().collect(),
    }
}

/// The whole run on a folder of generated files (see [`pipeline_files`]), written under `root`
/// (emptied first), then every output format rendered. Returns the report (`None` for a usage
/// error).
pub fn pipeline(root: &Path, data: &[u8]) -> Option<crate::report::Report> {
    let _ = std::fs::remove_dir_all(root);
    for (name, bytes) in pipeline_files(data) {
        let path = root.join(&name);
        if let Some(parent) = path.parent() {
            let _ = std::fs::create_dir_all(parent);
        }
        // Two sections may name a file and a folder alike; the later one is then not written.
        let _ = std::fs::write(&path, bytes);
    }
    crate::check::init_thread_pool();
    let opts = crate::check::CheckOptions {
        paths: vec![root.to_path_buf()],
        ..Default::default()
    };
    let report = crate::check::check(&opts).ok()?;
    for e in &report.errors {
        assert!(
            !e.message.starts_with("internal error"),
            "a loader panicked: {}",
            e.message
        );
    }
    let render = crate::render::RenderOptions {
        show_unknown: true,
        show_suppressed: true,
        ..Default::default()
    };
    for format in crate::render::Format::ALL {
        let _ = crate::render::render(format, &report, &render);
    }
    Some(report)
}
