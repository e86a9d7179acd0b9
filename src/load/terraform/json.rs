//! Terraform's JSON configuration syntax (`.tf.json`) mapped to the same configuration model as
//! `.tf` files. Strings are templates (`"${var.x}"`); block types and names are object keys; a
//! repeated block is an array of objects.

use crate::load::json::{Json, JsonKey, JsonValue};
use crate::load::{syntax, LoadError};
use crate::resolve::hcl::{parse_expr, parse_template, Expr, ExprKind, Key};
use crate::source::{FileId, Span};

use super::config::{BlockDef, BodyDef, Item, ModuleDef, ResourceDef, VariableDef};
use crate::load::Mode;

type Members = [(JsonKey, Json)];

/// Object-valued arguments that are maps, not nested blocks. Without provider schemas this is
/// the one guess the JSON syntax needs: any other object value is taken as a nested block.
const MAP_ATTRIBUTES: &[&str] = &[
    "tags",
    "body",
    "labels",
    "metadata",
    "parameters",
    "settings",
    "protected_settings",
    "app_settings",
    "headers",
    "output",
];

/// Meta-blocks and meta-arguments that never reach a resource body.
const SKIPPED: &[&str] = &[
    "//",
    "provider",
    "provisioner",
    "connection",
    "lifecycle",
    "depends_on",
];

pub fn add_json(def: &mut ModuleDef, file: FileId, text: &str) {
    let root = match parse(text) {
        Ok(j) => j,
        Err((at, message)) => {
            let error = syntax::json_error(file, text, at, "cannot parse", &message);
            def.errors.push(error);
            def.incomplete = true;
            return;
        }
    };
    let mut m = Mapper {
        file,
        errors: Vec::new(),
    };
    let JsonValue::Object(top) = &root.value else {
        def.errors.push(LoadError {
            file,
            span: Some(m.span(&root.span)),
            message: "a .tf.json file must contain a JSON object".into(),
        });
        def.incomplete = true;
        return;
    };
    for (key, val) in top {
        match key.name.as_str() {
            kind @ ("resource" | "data") => {
                let mode = if kind == "data" {
                    Mode::Data
                } else {
                    Mode::Managed
                };
                for (rtype, names) in entries(val) {
                    for (name, body) in entries(names) {
                        for obj in objects(body) {
                            let b = m.body(obj.0);
                            let addr = match mode {
                                Mode::Data => format!("data.{}.{}", rtype.name, name.name),
                                _ => format!("{}.{}", rtype.name, name.name),
                            };
                            def.define("resource", &addr, m.span(&name.span));
                            def.resources.push(ResourceDef {
                                mode,
                                rtype: rtype.name.as_str().into(),
                                name: name.name.as_str().into(),
                                header: m.span(&name.span),
                                span: m.span(&obj.1.span),
                                body: b,
                            });
                        }
                    }
                }
            }
            "variable" => {
                for (name, body) in entries(val) {
                    for obj in objects(body) {
                        let get = |k: &str| obj.0.iter().find(|(key, _)| key.name == k);
                        let ty = get("type").and_then(|(_, t)| match &t.value {
                            JsonValue::String(s) => match parse_expr(s, file, t.span.start + 1) {
                                Ok(e) => Some(e),
                                Err((at, msg)) => {
                                    m.error(t.span.start + 1 + at, &msg);
                                    None
                                }
                            },
                            _ => None,
                        });
                        def.define("variable", &name.name, m.span(&name.span));
                        def.variables.push(VariableDef {
                            name: name.name.as_str().into(),
                            default: get("default").map(|(_, d)| m.literal(d)),
                            ty,
                        });
                    }
                }
            }
            "locals" => {
                for (name, v) in entries(val) {
                    def.define("local value", &name.name, m.span(&name.span));
                    def.locals.push((name.name.as_str().into(), m.expr(v)));
                }
            }
            "output" => {
                for (name, body) in entries(val) {
                    for obj in objects(body) {
                        def.define("output", &name.name, m.span(&name.span));
                        if let Some((_, v)) = obj.0.iter().find(|(k, _)| k.name == "value") {
                            def.outputs.push((name.name.as_str().into(), m.expr(v)));
                        }
                    }
                }
            }
            "module" => {
                for (name, body) in entries(val) {
                    for obj in objects(body) {
                        let b = m.body(obj.0);
                        def.add_call(&name.name, m.span(&name.span), b);
                    }
                }
            }
            "provider" => {
                let azurerm = entries(val).into_iter();
                let azurerm = azurerm.filter(|(name, _)| name.name == "azurerm");
                for obj in azurerm.flat_map(|(_, body)| objects(body)) {
                    let get = |k: &str| obj.0.iter().find(|(key, _)| key.name == k);
                    if let (None, Some((_, v))) = (get("alias"), get("environment")) {
                        def.provider_environment = Some(m.expr(v));
                    }
                }
            }
            _ => {}
        }
    }
    def.errors.append(&mut m.errors);
}

/// Members of an object, or of each object in an array (repeated top-level keys).
fn entries(j: &Json) -> Vec<(&JsonKey, &Json)> {
    objects(j)
        .into_iter()
        .flat_map(|(members, _)| members.iter().map(|(k, v)| (k, v)))
        .collect()
}

/// The object, or each object of an array.
fn objects(j: &Json) -> Vec<(&Members, &Json)> {
    match &j.value {
        JsonValue::Object(m) => vec![(m.as_slice(), j)],
        JsonValue::Array(items) => items
            .iter()
            .filter_map(|i| match &i.value {
                JsonValue::Object(m) => Some((m.as_slice(), i)),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

struct Mapper {
    file: FileId,
    errors: Vec<LoadError>,
}

impl Mapper {
    fn span(&self, r: &std::ops::Range<usize>) -> Span {
        Span::new(self.file, r.clone())
    }

    fn error(&mut self, at: usize, message: &str) {
        self.errors.push(LoadError {
            file: self.file,
            span: Some(Span::new(self.file, at..at + 1)),
            message: format!("cannot parse: {message}"),
        });
    }

    fn body(&mut self, members: &Members) -> BodyDef {
        let mut items = Vec::new();
        for (k, v) in members {
            let name = k.name.as_str();
            if SKIPPED.contains(&name) {
                continue;
            }
            if name == "dynamic" {
                for (label, spec) in entries(v) {
                    for (obj, j) in objects(spec) {
                        items.push(Item::Block(BlockDef {
                            kind: "dynamic".into(),
                            labels: vec![label.name.as_str().into()],
                            body: self.body(obj),
                            span: self.span(&j.span),
                        }));
                    }
                }
                continue;
            }
            let block_like = !MAP_ATTRIBUTES.contains(&name)
                && match &v.value {
                    JsonValue::Object(_) => true,
                    JsonValue::Array(items) => {
                        !items.is_empty()
                            && items
                                .iter()
                                .all(|i| matches!(i.value, JsonValue::Object(_)))
                    }
                    _ => false,
                };
            if block_like {
                for (obj, j) in objects(v) {
                    items.push(Item::Block(BlockDef {
                        kind: name.into(),
                        labels: Vec::new(),
                        body: self.body(obj),
                        span: self.span(&j.span),
                    }));
                }
            } else {
                items.push(Item::Attr(name.into(), self.expr(v)));
            }
        }
        BodyDef { items }
    }

    /// An expression: strings are templates.
    fn expr(&mut self, j: &Json) -> Expr {
        let span = self.span(&j.span);
        let kind = match &j.value {
            JsonValue::String(s) => match parse_template(s, self.file, j.span.start + 1) {
                // The whole string, quotes included, as for `.tf` strings.
                Ok(e) => return Expr::new(e.kind, span),
                Err((at, msg)) => {
                    self.error(j.span.start + 1 + at, &msg);
                    ExprKind::Null
                }
            },
            JsonValue::Array(items) => {
                ExprKind::Tuple(items.iter().map(|i| self.expr(i)).collect())
            }
            JsonValue::Object(m) => ExprKind::Object(
                m.iter()
                    .map(|(k, v)| (Key::Name(k.name.as_str().into()), self.expr(v)))
                    .collect(),
            ),
            _ => return self.literal(j),
        };
        Expr::new(kind, span)
    }

    /// A constant (variable defaults are not templates).
    fn literal(&mut self, j: &Json) -> Expr {
        let span = self.span(&j.span);
        let kind = match &j.value {
            JsonValue::Null => ExprKind::Null,
            JsonValue::Bool(b) => ExprKind::Bool(*b),
            JsonValue::Number(n) => ExprKind::Number(*n),
            JsonValue::String(s) => ExprKind::Str(s.as_str().into()),
            JsonValue::Array(items) => {
                ExprKind::Tuple(items.iter().map(|i| self.literal(i)).collect())
            }
            JsonValue::Object(m) => ExprKind::Object(
                m.iter()
                    .map(|(k, v)| (Key::Name(k.name.as_str().into()), self.literal(v)))
                    .collect(),
            ),
        };
        Expr::new(kind, span)
    }
}

pub(super) fn parse(text: &str) -> Result<Json, (usize, String)> {
    crate::load::json::parse(text).map_err(|e| (e.offset, e.message))
}
