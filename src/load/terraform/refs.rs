//! References to names a module does not declare (`var.x` without a `variable "x"` block,
//! `local.y` without such a local, `module.m` without a `module "m"` block), which Terraform
//! rejects (`terraform validate`). They are found in one walk over the module's expressions when
//! the folder is parsed, whether or not anything reads them. `module.m.out` is collected here and
//! checked against the called module's outputs once that module is loaded ([`output_error`]).

use rustc_hash::FxHashSet as HashSet;

use super::config::{BodyDef, Item, ModuleDef};
use crate::load::LoadError;
use crate::resolve::hcl::{visit_refs, Expr, Name, Op, Reference};
use crate::source::Span;

/// A `module.NAME.OUTPUT` reference (also `module.NAME[key].OUTPUT`, `module.NAME[*].OUTPUT`).
#[derive(Debug)]
pub struct OutputRef {
    pub call: Name,
    pub output: Name,
    pub span: Span,
    /// Whether `output` is written as an attribute (`module.NAME.X`): for a call with
    /// `for_each`, a map of instances, `.X` is an instance key, as `["X"]` is.
    pub keyed: bool,
    /// For `module.NAME.KEY.OUTPUT`: `OUTPUT` and the span to its end.
    pub of_instance: Option<(Name, Span)>,
    /// Inside `try()` or `can()`: an output that is not declared is not an error there.
    pub caught: bool,
}

/// Check the references of a whole module folder (all its files added): errors for undeclared
/// variables, locals and module calls go to `def.errors`, references to module outputs to
/// `def.output_refs`. A folder with a file that did not parse is not checked: its declarations
/// are not all known.
pub fn check(def: &mut ModuleDef) {
    if def.incomplete {
        return;
    }
    let mut errors = Vec::new();
    let mut outputs = Vec::new();
    {
        let vars: HashSet<&str> = def.variables.iter().map(|v| v.name.as_str()).collect();
        let locals: HashSet<&str> = def.locals.iter().map(|(n, _)| n.as_str()).collect();
        let calls: HashSet<&str> = def.calls.iter().map(|c| c.name.as_str()).collect();
        let mut on_ref = |r: Reference<'_>| {
            let Some(name) = r.first_attr() else {
                return;
            };
            let message = match r.root {
                "var" if !vars.contains(name) => format!(
                    "undeclared input variable var.{name}: \
                     no variable \"{name}\" block in this module"
                ),
                "local" if !locals.contains(name) => format!(
                    "undeclared local value local.{name}: \
                     no locals block in this module sets \"{name}\""
                ),
                "module" if !calls.contains(name) => format!(
                    "undeclared module module.{name}: no module \"{name}\" block in this module"
                ),
                "module" => {
                    if let Some((output, end)) = output_of(&r) {
                        let keyed = matches!(r.ops.get(1), Some(Op::Attr(_)));
                        let of_instance = match r.ops.get(2) {
                            Some(Op::Attr(out)) if keyed => {
                                Some((out.clone(), clip(&r, end + 1 + out.len())))
                            }
                            _ => None,
                        };
                        outputs.push(OutputRef {
                            call: name.into(),
                            output: output.into(),
                            span: clip(&r, end),
                            keyed,
                            of_instance,
                            caught: r.caught,
                        });
                    }
                    return;
                }
                _ => return,
            };
            let end = r.root_span.start as usize + r.root.len() + 1 + name.len();
            errors.push(LoadError {
                file: r.span.file,
                span: Some(clip(&r, end)),
                message,
            });
        };
        let mut bound = Vec::new();
        for (_, e) in def.locals.iter().chain(&def.outputs) {
            visit_refs(e, &mut bound, &mut on_ref);
        }
        for r in &def.resources {
            visit_body(&r.body, &mut bound, &mut on_ref);
        }
        for c in &def.calls {
            visit_body(&c.body, &mut bound, &mut on_ref);
        }
    }
    def.errors.append(&mut errors);
    def.output_refs = outputs;
}

/// The error for a reference to an output that the called module (`called`, loaded from
/// `source`) does not declare, if it does not. With `for_each`, the call is a map of instances:
/// the name after the call's is an instance key (`module.app.web.id`), the next one the output.
pub fn output_error(
    r: &OutputRef,
    called: &ModuleDef,
    source: &str,
    for_each: bool,
) -> Option<LoadError> {
    let for_each = for_each && r.keyed;
    let (output, span) = match (for_each, &r.of_instance) {
        (false, _) => (&r.output, r.span),
        (true, Some((output, span))) => (output, *span),
        (true, None) => return None,
    };
    if r.caught || called.incomplete || called.outputs.iter().any(|(n, _)| n == output) {
        return None;
    }
    let key = match for_each {
        true => format!(".{}", r.output),
        false => String::new(),
    };
    Some(LoadError {
        file: span.file,
        span: Some(span),
        message: format!(
            "undeclared output module.{}{key}.{output}: module \"{}\" (source \"{source}\") \
             declares no output \"{output}\"",
            r.call, r.call
        ),
    })
}

/// The span from the reference's root to `end`, within the traversal.
fn clip(r: &Reference<'_>, end: usize) -> Span {
    let start = r.root_span.start as usize;
    let end = end.clamp(start, r.span.end as usize);
    Span::new(r.span.file, start..end)
}

/// For `module.m.out`, `module.m[k].out` or `module.m[*].out`: the output name and the end of
/// `out` in the text (assuming no blanks inside the traversal).
fn output_of<'e>(r: &Reference<'e>) -> Option<(&'e str, usize)> {
    let (Some(Op::Attr(call)), rest) = (r.ops.first(), r.ops.get(1..).unwrap_or_default()) else {
        return None;
    };
    let mut end = r.root_span.end as usize + 1 + call.len();
    let rest = match rest.first() {
        Some(Op::Index(i)) => {
            end = i.span.end as usize + 1;
            &rest[1..]
        }
        Some(Op::Splat { attrs_only }) => {
            end += if *attrs_only { 2 } else { 3 };
            &rest[1..]
        }
        _ => rest,
    };
    match rest.first() {
        Some(Op::Attr(out)) => Some((out.as_str(), end + 1 + out.len())),
        _ => None,
    }
}

/// The expressions of a resource or module call body. Inside a `dynamic` block, its iterator
/// (named by `iterator`, else the block label) is bound in everything but `for_each`.
fn visit_body<'e>(
    body: &'e BodyDef,
    bound: &mut Vec<&'e str>,
    on_ref: &mut dyn FnMut(Reference<'e>),
) {
    for item in &body.items {
        match item {
            // Terraform reads `depends_on` as addresses and never evaluates it: a module call
            // must exist, but `module.m.out` waits on the whole call, whatever `out` is.
            Item::Attr(n, e) if n == "depends_on" => {
                visit_refs(e, bound, &mut |r: Reference<'e>| {
                    let ops = match r.root {
                        "module" => &r.ops[..r.ops.len().min(1)],
                        _ => r.ops,
                    };
                    on_ref(Reference { ops, ..r })
                })
            }
            Item::Attr(_, e) => visit_refs(e, bound, on_ref),
            Item::Block(b) if b.kind == "dynamic" => {
                let iterator = b
                    .body
                    .attr("iterator")
                    .and_then(iterator_name)
                    .or_else(|| b.labels.first().map(|l| l.as_str()));
                if let Some(fe) = b.body.attr("for_each") {
                    visit_refs(fe, bound, on_ref);
                }
                let mark = bound.len();
                bound.extend(iterator);
                for item in &b.body.items {
                    match item {
                        Item::Attr(n, _) if n == "for_each" || n == "iterator" => {}
                        Item::Attr(_, e) => visit_refs(e, bound, on_ref),
                        Item::Block(inner) => visit_body(&inner.body, bound, on_ref),
                    }
                }
                bound.truncate(mark);
            }
            Item::Block(b) => visit_body(&b.body, bound, on_ref),
        }
    }
}

/// `iterator = name` (a bare name in `.tf`, a string in `.tf.json`).
fn iterator_name(e: &Expr) -> Option<&str> {
    match &e.kind {
        crate::resolve::hcl::ExprKind::Var(n) | crate::resolve::hcl::ExprKind::Str(n) => {
            Some(n.as_str())
        }
        _ => None,
    }
}
