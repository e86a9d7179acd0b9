//! ARM template loader: classic and languageVersion 2.0 templates (hand-written or Bicep output)
//! into evaluated [`Resource`]s.
//!
//! Every resource instance becomes one `Resource`: `rtype` is the full ARM type
//! (`Microsoft.Network/privateEndpoints/privateDnsZoneGroups`), `addr` the full type and full name
//! (`Microsoft.Network/privateEndpoints/privateDnsZoneGroups/pe-acr/default`), prefixed with
//! `<deployment name>/` for each nested deployment it sits in; `body` the whole resource object
//! with every expression evaluated (keys too), `name` and `type` replaced by the full name and
//! type, and the resource-level `copy`, child `resources` and a nested deployment's
//! `properties.template` left out; `id` the resource id as `resourceId()` builds it (with the
//! deployment-scope placeholders of [`crate::resolve::arm`]).
//!
//! Parameter values come from parameter files (`--parameters`, and by convention `X.parameters.json`
//! beside `X.json`), then from defaults; a parameter with neither is unknown.

pub(crate) mod template;

use std::path::{Path, PathBuf};

use rustc_hash::FxHashMap;
use std::sync::Arc;

use super::{syntax, LoadError, LoadWarning, Loaded};
use crate::load::json::{self, Json, JsonValue};
use crate::resolve::arm::DeploymentScope;
use crate::source::{FileId, SourceFile, SourceMap, Span};
use crate::value::{Node, Unknown, Value};

#[derive(Clone, Debug, Default)]
pub struct ArmOptions {
    /// `--parameters FILE`: parameter files applied to every template scanned (after the
    /// conventional `X.parameters.json`, so they win).
    pub parameter_files: Vec<PathBuf>,
}

/// Does this text look like a deployment template (its `$schema` says so, for any scope)?
pub fn is_template(text: &str) -> bool {
    schema_contains(text, "deploymenttemplate.json")
}

/// Does this text look like a deployment parameter file?
pub fn is_parameter_file(text: &str) -> bool {
    schema_contains(text, "deploymentparameters.json")
}

/// A textual test, so that classifying a file costs no parse (the loader parses it once). A
/// template with a syntax error is still a template: its error is reported rather than the file
/// skipped quietly.
fn schema_contains(text: &str, needle: &str) -> bool {
    text.contains("$schema")
        && text
            .as_bytes()
            .windows(needle.len())
            .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// The conventional parameter file of a template: `X.parameters.json` beside `X.json`.
fn conventional_parameter_file(template: &Path) -> Option<PathBuf> {
    let stem = template.file_stem()?.to_str()?;
    Some(template.with_file_name(format!("{stem}.parameters.json")))
}

/// A template file's JSON, or the error that says where it is not valid.
fn parse(file: FileId, sources: &SourceMap) -> Result<Json, LoadError> {
    let source = sources.get(file);
    json::parse(&source.text).map_err(|e| {
        syntax::json_error(
            file,
            &source.text,
            e.offset,
            e.prefix("invalid JSON"),
            &e.message,
        )
    })
}

/// A template analysed elsewhere: only whether it is valid JSON.
pub fn check_syntax(file: FileId, sources: &SourceMap) -> Loaded {
    Loaded {
        errors: parse(file, sources).err().into_iter().collect(),
        ..Loaded::default()
    }
}

/// Load one template file (already in `sources`) into resources.
pub fn load_template(file: FileId, sources: &SourceMap, opts: &ArmOptions) -> Loaded {
    let mut errors = Vec::new();
    let doc = match parse(file, sources) {
        Ok(doc) => doc,
        Err(e) => {
            return Loaded {
                errors: vec![e],
                ..Loaded::default()
            }
        }
    };

    let inputs = parameter_inputs(file, &doc, sources, opts, &[file], &mut errors);
    let schema = doc.get("$schema").and_then(Json::as_str).unwrap_or("");
    let mut loaded = template::load(
        template::Space::file(file),
        &doc,
        DeploymentScope::from_schema(schema),
        inputs.given,
        inputs.origins,
    );
    errors.append(&mut loaded.errors);
    loaded.errors = errors;
    loaded.warnings.extend(inputs.warnings);
    loaded.imports.extend(inputs.imports);
    loaded
}

/// What parameter files give a template.
pub struct ParameterInputs {
    /// Values by lower-case parameter name.
    pub given: FxHashMap<String, Value>,
    /// The span each value was written at.
    pub origins: FxHashMap<String, Span>,
    /// Parameters that the conventional file sets and the template does not declare.
    pub warnings: Vec<LoadWarning>,
    /// Each parameter file read, after the template or root it gives values to: whatever it
    /// deploys may depend on their values (a condition, not only a property), so its results
    /// depend on them ([`Loaded::imports`]).
    pub imports: Vec<(FileId, FileId)>,
}

/// Parameter values given to the template or Bicep root `file` (whose template is `template`):
/// the conventional `X.parameters.json` of the first of `conventional` that has one, then
/// `--parameters` files, later ones winning.
pub fn parameter_inputs(
    file: FileId,
    template: &Json,
    sources: &SourceMap,
    opts: &ArmOptions,
    conventional: &[FileId],
    errors: &mut Vec<LoadError>,
) -> ParameterInputs {
    let mut files: Vec<(PathBuf, Option<String>)> = Vec::new();
    let present = conventional.iter().find_map(|&of| {
        let source = sources.get(of);
        let p = conventional_parameter_file(&source.path)?;
        (!sources.known_absent(&p) && p.is_file()).then(|| {
            let display = Path::new(&source.display())
                .with_file_name(p.file_name().unwrap_or_default())
                .to_string_lossy()
                .into_owned();
            (p, Some(display))
        })
    });
    let conventional_files = usize::from(present.is_some());
    files.extend(present);
    // A `.bicepparam` given is a Bicep root's (see `bicep::units`), not a template's.
    let json_files = opts.parameter_files.iter();
    let json_files = json_files.filter(|p| !crate::load::bicep::is_param_file(p));
    files.extend(json_files.map(|p| (p.clone(), None)));
    let mut given: FxHashMap<String, Value> = FxHashMap::default();
    let mut origins: FxHashMap<String, Span> = FxHashMap::default();
    let mut warnings = Vec::new();
    let mut imports = Vec::new();
    for (i, (path, display)) in files.into_iter().enumerate() {
        match read_parameter_file(&path, display, sources, file) {
            Ok((values, id)) => {
                imports.push((file, id));
                // A `--parameters` file may be meant for another template; the one beside this
                // template is its own.
                if i < conventional_files {
                    warnings.extend(undeclared(template, id, &values, sources));
                }
                for (name, node) in values {
                    match node.span {
                        Some(span) => origins.insert(name.clone(), span),
                        None => origins.remove(&name),
                    };
                    given.insert(name, node.value);
                }
            }
            Err(e) => errors.push(e),
        }
    }
    ParameterInputs {
        given,
        origins,
        warnings,
        imports,
    }
}

/// The parameters a parameter file sets that `template` does not declare: their values go
/// nowhere (a misspelt name leaves the template's default in force), and ARM rejects a
/// deployment given them.
fn undeclared(
    template: &Json,
    file: FileId,
    values: &FxHashMap<String, Node>,
    sources: &SourceMap,
) -> Vec<LoadWarning> {
    let declared = template.get("parameters").map_or(&[][..], Json::members);
    let is_declared = |name: &str| {
        declared
            .iter()
            .any(|(k, _)| k.name.eq_ignore_ascii_case(name))
    };
    if values.keys().all(|name| is_declared(name)) {
        return Vec::new();
    }
    // The names as written, with their lines.
    let source = sources.get(file);
    let Ok(doc) = json::parse(&source.text) else {
        return Vec::new();
    };
    let written = doc.get("parameters").map_or(&[][..], Json::members);
    (written.iter())
        .filter(|(key, _)| !is_declared(&key.name))
        .map(|(key, _)| LoadWarning {
            file,
            message: format!(
                "line {}: the parameter `{}` is not declared by the template: its value is not \
                 used, and a deployment given it is rejected",
                crate::source::line_column(&source.text, key.span.start).0,
                key.name
            ),
        })
        .collect()
}

/// Read a parameter file into values by lower-case parameter name, adding it to `sources`; and
/// its id.
fn read_parameter_file(
    path: &Path,
    display: Option<String>,
    sources: &SourceMap,
    template: FileId,
) -> Result<(FxHashMap<String, Node>, FileId), LoadError> {
    let id = match sources.find(path) {
        Some(id) => id,
        None => {
            let text = sources.read_text(path).map_err(|e| LoadError {
                file: template,
                span: None,
                message: format!("cannot read parameter file {}: {e}", path.display()),
            })?;
            let display = display.unwrap_or_else(|| path.to_string_lossy().into_owned());
            sources.add(SourceFile::new(
                path.to_path_buf(),
                display,
                Arc::from(text),
            ))
        }
    };
    let source = sources.get(id);
    let doc = json::parse(&source.text).map_err(|e| {
        let prefix = e.prefix("invalid JSON in parameter file");
        syntax::json_error(id, &source.text, e.offset, prefix, &e.message)
    })?;
    Ok((parameter_values(&doc, id), id))
}

/// `{"parameters": {"name": {"value": ...} | {"reference": {...}}}}`. Values are literal JSON
/// (parameter files are not evaluated), spanned in the file; Key Vault references are unknown.
fn parameter_values(doc: &Json, file: FileId) -> FxHashMap<String, Node> {
    let mut out = FxHashMap::default();
    let Some(params) = doc.get("parameters") else {
        return out;
    };
    for (key, def) in params.members() {
        let given = def.get("value");
        let azd_default = given.and_then(Json::as_str).and_then(azd_defaults);
        let value = if let (Some(text), Some(v)) = (azd_default, given) {
            // `${NAME=default}`: what a fresh environment gets, as a variable's default.
            Node::new(
                Value::String(text.into()),
                Some(Span::new(file, v.span.clone())),
            )
        } else if given.is_some_and(substituted) {
            // The Azure Developer CLI fills `${NAME}` from its environment before deploying:
            // not known here, but one value wherever the template reads it.
            Node::unknown(
                Unknown::input(
                    format!("parameters('{}')", key.name),
                    "is set from the environment by the Azure Developer CLI (`${...}`)",
                ),
                None,
            )
        } else if let Some(v) = given {
            Node::new(
                Value::from_json(v, None),
                Some(Span::new(file, v.span.clone())),
            )
        } else if def.get("reference").is_some() {
            Node::unknown(
                Unknown::new(
                    format!("parameters('{}')", key.name),
                    "is a Key Vault secret reference, read at deployment time",
                ),
                None,
            )
        } else {
            continue;
        };
        out.insert(key.name.to_ascii_lowercase(), value);
    }
    out
}

/// The text an Azure Developer CLI value becomes when each `${NAME}` in it has a default
/// (`${NAME=default}`, `${NAME:=default}`, `${NAME-default}`, `${NAME:-default}`: the forms of the
/// `envsubst` it uses) and the variable is not set; `None` when one has none, or for text
/// without substitutions.
fn azd_defaults(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut any = false;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let inner = &rest[start + 2..];
        let end = inner.find('}')?;
        let body = &inner[..end];
        let name_end = body
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .filter(|&i| i > 0)?;
        let op = &body[name_end..];
        let default = [":=", ":-", "=", "-"]
            .iter()
            .find_map(|p| op.strip_prefix(p))?;
        out.push_str(default);
        rest = &inner[end + 1..];
        any = true;
    }
    out.push_str(rest);
    any.then_some(out)
}

/// A string value with an Azure Developer CLI `${NAME}` substitution in it.
fn substituted(v: &Json) -> bool {
    matches!(&v.value, JsonValue::String(s) if s.contains("${"))
}

#[cfg(test)]
mod tests;
