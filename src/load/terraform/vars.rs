//! Values of the root module's variables from the environment, variable files and `--var`, in
//! Terraform's precedence order (later wins): `TF_VAR_name`, `terraform.tfvars`,
//! `terraform.tfvars.json`, `*.auto.tfvars` and `*.auto.tfvars.json` in lexical order,
//! `--var-file` in order, `--var` in order.

use rustc_hash::FxHashMap as HashMap;
use std::path::{Path, PathBuf};

use hcl_edit::structure::Structure;

use super::config::ModuleDef;
use super::files::read_source;
use super::{TfOptions, VarInput};
use crate::classify::{classify, FileKind};
use crate::load::json::{Json, JsonValue};
use crate::load::{LoadError, LoadWarning};
use crate::resolve::hcl::{from_hcl, is_primitive_type, parse_expr, EvOp, Eval, Limits, Resolver};
use crate::source::{FileId, SourceMap, Span};
use crate::value::{Node, ResourceRef, Unknown, Value};

/// The root module's inputs.
pub struct RootValues {
    /// Raw values by variable name (before conversion to the declared type).
    pub values: HashMap<String, Node>,
    pub errors: Vec<LoadError>,
    pub warnings: Vec<LoadWarning>,
    /// The variable files read.
    pub files: Vec<FileId>,
}

/// The root module's inputs: its variable files and `--var` values, with their errors and
/// warnings.
pub fn root_values(
    dir: &Path,
    listing: Option<Vec<PathBuf>>,
    def: &ModuleDef,
    sources: &SourceMap,
    opts: &TfOptions,
) -> RootValues {
    let mut values = HashMap::default();
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let mut read = Vec::new();
    // `TF_VAR_name` first: every variable file and `--var` wins over it. Terraform ignores one
    // that names no variable of the root.
    for (name, raw) in &opts.environment.vars {
        if let Some(v) = def.variables.iter().find(|v| v.name == *name) {
            let primitive = is_primitive_type(v.ty.as_ref());
            values.insert(
                name.clone(),
                cli_value(name, raw, primitive, &format!("a TF_VAR_{name} value")),
            );
        }
    }
    let files = default_var_files(dir, listing)
        .into_iter()
        .map(VarInput::File);
    for input in files.chain(opts.inputs.iter().cloned()) {
        match input {
            VarInput::File(path) => {
                let (file, text) = match read_source(&path, sources) {
                    Ok(x) => x,
                    Err(e) => {
                        errors.push(e);
                        continue;
                    }
                };
                read.push(file);
                let parsed = if path.to_string_lossy().ends_with(".json") {
                    json_values(file, &text)
                } else {
                    hcl_values(file, &text, &mut warnings)
                };
                match parsed {
                    Ok(vals) => values.extend(vals),
                    Err(e) => errors.push(e),
                }
            }
            VarInput::Var(name, raw) => {
                let ty = def
                    .variables
                    .iter()
                    .find(|v| v.name == name)
                    .and_then(|v| v.ty.as_ref());
                let value = cli_value(&name, &raw, is_primitive_type(ty), "a --var value");
                values.insert(name, value);
            }
        }
    }
    RootValues {
        values,
        errors,
        warnings,
        files: read,
    }
}

/// The variable files Terraform reads by itself, in precedence order: `terraform.tfvars`, then
/// `*.auto.tfvars` in lexical order. `listing` is the folder's files when discovery already
/// listed them; otherwise the folder is read.
fn default_var_files(dir: &Path, listing: Option<Vec<PathBuf>>) -> Vec<PathBuf> {
    let names = |p: &PathBuf| p.file_name().map(|n| n.to_string_lossy().into_owned());
    let mut files: Vec<PathBuf> = match listing {
        Some(files) => files,
        None => std::fs::read_dir(dir)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.is_file())
            .collect(),
    };
    files.retain(|p| classify(p) == Some(FileKind::DefaultVars));
    // terraform.tfvars(.json) first, then the auto files by name.
    files.sort_by_key(|p| {
        let n = names(p).unwrap_or_default();
        (!n.starts_with("terraform.tfvars"), n)
    });
    files
}

/// A `--var` or `TF_VAR_name` value (`given`, for messages): a literal string for primitive (or
/// untyped) variables, else an HCL expression.
fn cli_value(name: &str, raw: &str, primitive: bool, given: &str) -> Node {
    if primitive {
        return Node::new(Value::String(raw.into()), None);
    }
    // Spans of a command-line value point nowhere; they are dropped after evaluation.
    let file = FileId(u32::MAX);
    match parse_expr(raw, file, 0) {
        Ok(e) => without_spans(Eval::new(&mut Constant::default()).value(&e)),
        Err((_, msg)) => Node::unknown(
            Unknown::new(
                format!("var.{name}"),
                format!("has {given} that cannot be parsed: {msg}"),
            ),
            None,
        ),
    }
}

fn without_spans(n: Node) -> Node {
    let value = match n.value {
        Value::List(items) => Value::List(items.into_iter().map(without_spans).collect()),
        Value::Object(m) => {
            Value::Object(m.into_iter().map(|(k, v)| (k, without_spans(v))).collect())
        }
        v => v,
    };
    Node::new(value, None)
}

fn hcl_values(
    file: FileId,
    text: &str,
    warnings: &mut Vec<LoadWarning>,
) -> Result<Vec<(String, Node)>, LoadError> {
    let parsed = super::recover::parse_body(text).map_err(|e| {
        let at = e.offset.min(text.len());
        LoadError {
            file,
            span: Some(Span::new(file, at..(at + 1).min(text.len()))),
            message: format!("cannot parse: {}", e.message),
        }
    })?;
    let duplicate = |d| super::config::duplicate_warning(file, text, d);
    warnings.extend(parsed.duplicates.iter().map(duplicate));
    let body = parsed.body;
    let mut out = Vec::new();
    for s in body.iter() {
        if let Structure::Attribute(a) = s {
            let e = from_hcl(&a.value, file, 0);
            out.push((
                a.key.as_str().to_string(),
                Eval::new(&mut Constant::default()).value(&e),
            ));
        }
    }
    Ok(out)
}

fn json_values(file: FileId, text: &str) -> Result<Vec<(String, Node)>, LoadError> {
    let root = super::json::parse(text).map_err(|(at, message)| {
        let at = at.min(text.len());
        LoadError {
            file,
            span: Some(Span::new(file, at..(at + 1).min(text.len()))),
            message: format!("cannot parse: {message}"),
        }
    })?;
    match &root.value {
        JsonValue::Object(m) => Ok(m
            .iter()
            .map(|(k, v)| (k.name.as_str().into(), json_node(file, v)))
            .collect()),
        _ => Err(LoadError {
            file,
            span: Some(Span::new(file, root.span.clone())),
            message: "a variable file must contain a JSON object".into(),
        }),
    }
}

fn json_node(file: FileId, j: &Json) -> Node {
    let value = match &j.value {
        JsonValue::Null => Value::Null,
        JsonValue::Bool(b) => Value::Bool(*b),
        JsonValue::Number(n) => Value::Number(*n),
        JsonValue::String(s) => Value::String(s.as_str().into()),
        JsonValue::Array(items) => Value::List(items.iter().map(|i| json_node(file, i)).collect()),
        JsonValue::Object(m) => Value::Object(
            m.iter()
                .map(|(k, v)| (k.name.as_str().into(), json_node(file, v)))
                .collect(),
        ),
    };
    Node::new(value, Some(Span::new(file, j.span.clone())))
}

/// Resolver for constant expressions (variable files): no references are allowed.
struct Constant {
    limits: Limits,
}

impl Default for Constant {
    fn default() -> Constant {
        Constant {
            limits: Limits::new(100_000),
        }
    }
}

impl Resolver for Constant {
    fn resolve(&mut self, root: &str, _ops: &[EvOp], span: Span) -> (Node, usize) {
        let u = Unknown::new(root, "cannot be referenced in a variable value");
        (Node::unknown(u, Some(span)), 0)
    }

    fn configured_attr(&mut self, _: &ResourceRef, _: &str) -> Option<Node> {
        None
    }

    fn limits(&mut self) -> &mut Limits {
        &mut self.limits
    }
}
