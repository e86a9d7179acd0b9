//! The configuration of one module folder, as written: blocks with unevaluated expressions. `.tf`
//! files are read through hcl-edit; `.tf.json` files through the JSON syntax mapping (`json.rs`).

use hcl_edit::structure::{Block, Body, Structure};
use hcl_edit::Span as _;

use crate::load::{syntax, LoadError, LoadWarning, Mode};
use crate::resolve::hcl::{from_hcl, Expr, Name};
use crate::source::{FileId, Span};

#[derive(Debug, Default)]
pub struct ModuleDef {
    pub variables: Vec<VariableDef>,
    pub locals: Vec<(Name, Expr)>,
    pub outputs: Vec<(Name, Expr)>,
    pub resources: Vec<ResourceDef>,
    pub calls: Vec<CallDef>,
    pub errors: Vec<LoadError>,
    pub warnings: Vec<LoadWarning>,
    /// A file of the folder did not parse (or was not a configuration): its declarations are
    /// missing, so references are not checked against them.
    pub incomplete: bool,
    /// `module.NAME.OUTPUT` references, checked when the called module is loaded.
    pub output_refs: Vec<super::refs::OutputRef>,
    /// The `environment` of the default `provider "azurerm"` block (one without `alias`): the
    /// cloud it deploys to.
    pub provider_environment: Option<Expr>,
    /// Where each variable, local value, output, resource and module call was first defined
    /// (by kind and name), and whether a second definition was already reported there.
    defined: rustc_hash::FxHashMap<(&'static str, Name), (Span, bool)>,
}

#[derive(Debug)]
pub struct VariableDef {
    pub name: Name,
    pub default: Option<Expr>,
    pub ty: Option<Expr>,
}

#[derive(Debug)]
pub struct ResourceDef {
    pub mode: Mode,
    pub rtype: Name,
    pub name: Name,
    pub header: Span,
    pub span: Span,
    /// All arguments, `count` and `for_each` included (read with [`BodyDef::attr`]).
    pub body: BodyDef,
}

#[derive(Debug)]
pub struct CallDef {
    pub name: Name,
    pub source: Option<(String, Span)>,
    pub header: Span,
    /// All arguments: meta-arguments (`count`, `for_each`, ...) and the values bound to the called
    /// module's variables ([`CallDef::arg`]).
    pub body: BodyDef,
}

impl CallDef {
    /// The argument bound to the called module's variable `name`.
    pub fn arg(&self, name: &str) -> Option<&Expr> {
        if CALL_META.contains(&name) {
            return None;
        }
        self.body.attr(name)
    }
}

#[derive(Debug, Default)]
pub struct BodyDef {
    pub items: Vec<Item>,
}

#[derive(Debug)]
pub enum Item {
    Attr(Name, Expr),
    Block(BlockDef),
}

#[derive(Debug)]
pub struct BlockDef {
    pub kind: Name,
    pub labels: Vec<Name>,
    pub body: BodyDef,
    pub span: Span,
}

impl BodyDef {
    pub fn attr(&self, name: &str) -> Option<&Expr> {
        self.items.iter().find_map(|i| match i {
            Item::Attr(n, e) if n == name => Some(e),
            _ => None,
        })
    }

    pub fn block(&self, kind: &str) -> Option<&BlockDef> {
        self.items.iter().find_map(|i| match i {
            Item::Block(b) if b.kind == kind => Some(b),
            _ => None,
        })
    }
}

/// Meta-arguments of `module` blocks, which are not variables of the called module.
const CALL_META: &[&str] = &[
    "source",
    "version",
    "count",
    "for_each",
    "depends_on",
    "providers",
];

impl ModuleDef {
    /// Record a definition of `name` (the `kind` of block it is, as Terraform names it), at
    /// `span`. Terraform rejects a configuration that defines the same name twice in one module,
    /// in one file or in two: each definition is an error (the first one is still used), so a
    /// neighbouring file cannot silently replace a value.
    pub fn define(&mut self, kind: &'static str, name: &str, span: Span) {
        let message = format!(
            "duplicate {kind} `{name}`: it is defined more than once in this module, which \
             Terraform rejects (the first definition is used)"
        );
        match self.defined.get_mut(&(kind, Name::from(name))) {
            None => {
                self.defined.insert((kind, name.into()), (span, false));
            }
            Some((first, reported)) => {
                let first_error = (!*reported).then(|| LoadError {
                    file: first.file,
                    span: Some(*first),
                    message: message.clone(),
                });
                *reported = true;
                self.errors.extend(first_error);
                self.errors.push(LoadError {
                    file: span.file,
                    span: Some(span),
                    message,
                });
            }
        }
    }

    /// Add one `.tf` file. A file that does not parse adds an error and nothing else; a key
    /// written twice in an object adds a warning.
    pub fn add_hcl(&mut self, file: FileId, text: &str) {
        let body = match super::recover::parse_body(text) {
            Ok(parsed) => {
                self.warnings.extend(
                    parsed
                        .duplicates
                        .iter()
                        .map(|d| duplicate_warning(file, text, d)),
                );
                parsed.body
            }
            Err(e) => {
                let (range, message) = syntax::locate(
                    text,
                    syntax::Dialect::Hcl,
                    e.offset,
                    "cannot parse",
                    &e.message,
                );
                self.errors.push(LoadError {
                    file,
                    span: Some(Span::new(file, range)),
                    message,
                });
                self.incomplete = true;
                return;
            }
        };
        for s in body.iter() {
            if let Structure::Block(b) = s {
                self.add_block(file, b);
            }
        }
    }

    fn add_block(&mut self, file: FileId, b: &Block) {
        let mut labels = b.labels.iter().map(|l| l.as_str());
        let labels = (labels.next(), labels.next(), labels.next());
        let span = span_of(file, b.span());
        let header = header_span(file, b);
        match (b.ident.as_str(), labels) {
            (kind @ ("resource" | "data"), (Some(rtype), Some(name), None)) => {
                let body = body_def(file, &b.body);
                let addr = match kind {
                    "data" => format!("data.{rtype}.{name}"),
                    _ => format!("{rtype}.{name}"),
                };
                self.define("resource", &addr, header);
                self.resources.push(ResourceDef {
                    mode: if kind == "data" {
                        Mode::Data
                    } else {
                        Mode::Managed
                    },
                    rtype: rtype.into(),
                    name: name.into(),
                    header,
                    span,
                    body,
                });
            }
            ("variable", (Some(name), None, _)) => {
                self.define("variable", name, header);
                let (mut default, mut ty) = (None, None);
                for s in b.body.iter() {
                    if let Structure::Attribute(a) = s {
                        let slot = match a.key.as_str() {
                            "default" => &mut default,
                            "type" => &mut ty,
                            _ => continue,
                        };
                        if slot.is_none() {
                            *slot = Some(from_hcl(&a.value, file, 0));
                        }
                    }
                }
                self.variables.push(VariableDef {
                    name: name.into(),
                    default,
                    ty,
                });
            }
            ("locals", (None, _, _)) => {
                for s in b.body.iter() {
                    if let Structure::Attribute(a) = s {
                        let key = span_of(file, a.key.span());
                        self.define("local value", a.key.as_str(), key);
                        self.locals
                            .push((a.key.as_str().into(), from_hcl(&a.value, file, 0)));
                    }
                }
            }
            ("output", (Some(name), None, _)) => {
                self.define("output", name, header);
                if let Some(v) = b.body.get_attribute("value") {
                    self.outputs
                        .push((name.into(), from_hcl(&v.value, file, 0)));
                }
            }
            ("module", (Some(name), None, _)) => {
                let body = body_def(file, &b.body);
                self.add_call(name, header, body);
            }
            ("provider", (Some("azurerm"), None, _)) if b.body.get_attribute("alias").is_none() => {
                if let Some(a) = b.body.get_attribute("environment") {
                    self.provider_environment = Some(from_hcl(&a.value, file, 0));
                }
            }
            _ => {}
        }
    }

    pub fn add_call(&mut self, name: &str, header: Span, body: BodyDef) {
        self.define("module call", name, header);
        let source = body
            .attr("source")
            .and_then(|e| e.as_literal_str().map(|s| (s, e.span)));
        self.calls.push(CallDef {
            name: name.into(),
            source,
            header,
            body,
        });
    }
}

/// What Terraform does with a key written twice in one object, said where it is written.
pub fn duplicate_warning(file: FileId, text: &str, d: &super::recover::Duplicate) -> LoadWarning {
    let line = |at| crate::source::line_column(text, at).0;
    let (dropped, kept) = (line(d.dropped), line(d.kept));
    let again = match kept == dropped {
        true => String::new(),
        false => format!(", set again at line {kept}"),
    };
    LoadWarning {
        file,
        message: format!(
            "line {dropped}: duplicate key `{}` in an object{again}: Terraform keeps the last \
             value",
            d.key
        ),
    }
}

fn span_of(file: FileId, r: Option<std::ops::Range<usize>>) -> Span {
    Span::new(file, r.unwrap_or(0..0))
}

/// The block type keyword and its labels: `resource "azurerm_container_registry" "acr"`.
fn header_span(file: FileId, b: &Block) -> Span {
    let start = b.ident.span().map_or(0, |r| r.start);
    let end = b
        .labels
        .last()
        .and_then(|l| l.span())
        .or_else(|| b.ident.span())
        .map_or(start, |r| r.end);
    Span::new(file, start..end)
}

fn body_def(file: FileId, body: &Body) -> BodyDef {
    BodyDef {
        items: body
            .iter()
            .map(|s| match s {
                Structure::Attribute(a) => {
                    Item::Attr(a.key.as_str().into(), from_hcl(&a.value, file, 0))
                }
                Structure::Block(b) => Item::Block(BlockDef {
                    kind: b.ident.as_str().into(),
                    labels: b.labels.iter().map(|l| l.as_str().into()).collect(),
                    body: body_def(file, &b.body),
                    span: span_of(file, b.span()),
                }),
            })
            .collect(),
    }
}
