//! The references an expression makes, found without evaluating it: one walk over the tree that
//! knows which names `for` expressions and template `for` directives bind.

use super::{Expr, ExprKind, Key, Op, Part};
use crate::source::Span;

/// A traversal rooted at a name that nothing in the expression binds: `var.x`, `local.y[0]`,
/// `module.m.out`, `azurerm_subnet.pe.id`, `each.value`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Reference<'e> {
    pub root: &'e str,
    /// The operators after the root (attribute names, indexes, splats).
    pub ops: &'e [Op],
    /// The root name alone.
    pub root_span: Span,
    /// The whole traversal.
    pub span: Span,
    /// Inside `try()` or `can()`, which catch the error of an attribute that is not there (a
    /// module output not declared), though not that of an undeclared name.
    pub caught: bool,
}

impl Reference<'_> {
    /// The attribute name right after the root (`x` in `var.x`).
    pub fn first_attr(&self) -> Option<&str> {
        match self.ops.first() {
            Some(Op::Attr(a)) => Some(a.as_str()),
            _ => None,
        }
    }
}

/// Call `f` for each reference in `e` whose root is not in `bound` or bound by an enclosing `for`.
/// `bound` is left as it was given.
pub fn visit_refs<'e>(e: &'e Expr, bound: &mut Vec<&'e str>, f: &mut dyn FnMut(Reference<'e>)) {
    match &e.kind {
        ExprKind::Null | ExprKind::Bool(_) | ExprKind::Number(_) | ExprKind::Str(_) => {}
        ExprKind::Template(parts) => visit_parts(parts, bound, f),
        ExprKind::Tuple(items) => {
            for x in items {
                visit_refs(x, bound, f);
            }
        }
        ExprKind::Object(members) => {
            for (k, v) in members {
                if let Key::Expr(k) = k {
                    visit_refs(k, bound, f);
                }
                visit_refs(v, bound, f);
            }
        }
        ExprKind::Var(name) => {
            if !bound.contains(&name.as_str()) {
                f(Reference {
                    root: name,
                    ops: &[],
                    root_span: e.span,
                    span: e.span,
                    caught: false,
                });
            }
        }
        ExprKind::Traverse(base, ops) => {
            match &base.kind {
                ExprKind::Var(name) => {
                    if !bound.contains(&name.as_str()) {
                        f(Reference {
                            root: name,
                            ops,
                            root_span: base.span,
                            span: e.span,
                            caught: false,
                        });
                    }
                }
                _ => visit_refs(base, bound, f),
            }
            for op in ops {
                if let Op::Index(i) = op {
                    visit_refs(i, bound, f);
                }
            }
        }
        ExprKind::Call(name, args, _) if name == "try" || name == "can" => {
            let mut caught = |r: Reference<'e>| f(Reference { caught: true, ..r });
            for a in args {
                visit_refs(a, bound, &mut caught);
            }
        }
        ExprKind::Call(_, args, _) => {
            for a in args {
                visit_refs(a, bound, f);
            }
        }
        ExprKind::Cond(c, t, o) => {
            visit_refs(c, bound, f);
            visit_refs(t, bound, f);
            visit_refs(o, bound, f);
        }
        ExprKind::Unary(_, x) => visit_refs(x, bound, f),
        ExprKind::Binary(_, l, r) => {
            visit_refs(l, bound, f);
            visit_refs(r, bound, f);
        }
        ExprKind::For(fe) => {
            // The collection is outside the names the expression binds.
            visit_refs(&fe.coll, bound, f);
            let mark = bound.len();
            bound.extend(fe.key_var.as_deref());
            bound.push(&fe.value_var);
            if let Some(k) = &fe.key {
                visit_refs(k, bound, f);
            }
            visit_refs(&fe.value, bound, f);
            if let Some(c) = &fe.cond {
                visit_refs(c, bound, f);
            }
            bound.truncate(mark);
        }
    }
}

fn visit_parts<'e>(parts: &'e [Part], bound: &mut Vec<&'e str>, f: &mut dyn FnMut(Reference<'e>)) {
    for p in parts {
        match p {
            Part::Lit(_) => {}
            Part::Interp(e) => visit_refs(e, bound, f),
            Part::If(c, then, other) => {
                visit_refs(c, bound, f);
                visit_parts(then, bound, f);
                visit_parts(other, bound, f);
            }
            Part::For {
                key,
                value,
                coll,
                body,
            } => {
                visit_refs(coll, bound, f);
                let mark = bound.len();
                bound.extend(key.as_deref());
                bound.push(value);
                visit_parts(body, bound, f);
                bound.truncate(mark);
            }
        }
    }
}
