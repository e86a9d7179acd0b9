//! HCL expressions for Terraform: an owned expression tree with byte spans (built from hcl-edit for
//! `.tf` files, or from Terraform's JSON syntax), and a static evaluator over [`Value`].
//!
//! The evaluator knows the expression language only. Names that reach outside an expression
//! (`var.x`, `local.y`, `module.m.out`, resource references) are answered by a [`Resolver`], which
//! the Terraform loader implements.

mod coerce;
mod convert;
mod eval;
mod funcs;
pub use funcs::decode_yaml;
mod ids;
mod name;
mod refs;
mod types;

pub use coerce::{after_apply, deep_unknown, Limits};
pub use convert::{from_hcl, parse_expr, parse_template};
pub use eval::{describe, EvOp, Eval, EvalError, Resolver};
pub use funcs::names as function_names;
pub use name::Name;
pub use refs::{visit_refs, Reference};
pub use types::{convert_to_type, is_primitive_type};

use crate::source::Span;

/// An expression with the span of its source text.
#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    Null,
    Bool(bool),
    Number(f64),
    Str(Name),
    /// A string template; a template that is a single interpolation yields the value unconverted.
    Template(Vec<Part>),
    Tuple(Vec<Expr>),
    Object(Vec<(Key, Expr)>),
    /// A bare name: the root of a reference (`var`, `local`, `azurerm_subnet`) or a bound name.
    Var(Name),
    /// `expr.attr`, `expr[index]`, `expr[*]`, applied left to right.
    Traverse(Box<Expr>, Vec<Op>),
    /// Function call; the flag is `f(args...)` (expand the final argument).
    Call(Name, Vec<Expr>, bool),
    Cond(Box<Expr>, Box<Expr>, Box<Expr>),
    Unary(UnOp, Box<Expr>),
    Binary(BinOp, Box<Expr>, Box<Expr>),
    For(Box<ForExpr>),
}

#[derive(Clone, Debug, PartialEq)]
pub enum Key {
    /// A bare identifier key (`{ name = 1 }`): a literal string.
    Name(Name),
    Expr(Expr),
}

#[derive(Clone, Debug, PartialEq)]
pub enum Op {
    Attr(Name),
    Index(Expr),
    /// `[*]`: the following operators apply to each element. `.*` (`attrs_only`): only the
    /// attribute names that follow it do; an index after them applies to the resulting list
    /// (`vnet.subnet.*.id[0]` is the first id).
    Splat {
        attrs_only: bool,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub enum Part {
    Lit(Name),
    Interp(Expr),
    If(Expr, Vec<Part>, Vec<Part>),
    For {
        key: Option<Name>,
        value: Name,
        coll: Expr,
        body: Vec<Part>,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnOp {
    Neg,
    Not,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    Eq,
    NotEq,
    Less,
    LessEq,
    Greater,
    GreaterEq,
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    And,
    Or,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ForExpr {
    pub key_var: Option<Name>,
    pub value_var: Name,
    pub coll: Expr,
    /// Present for object `for` expressions (`{ for k, v in x : k => v }`).
    pub key: Option<Expr>,
    pub value: Expr,
    pub cond: Option<Expr>,
    /// `...` after the value: group values with the same key into lists.
    pub group: bool,
}

impl Expr {
    pub fn new(kind: ExprKind, span: Span) -> Expr {
        Expr { kind, span }
    }

    /// The name of a bare identifier expression (`iterator = r`, `type = string`).
    pub fn as_name(&self) -> Option<&Name> {
        match &self.kind {
            ExprKind::Var(name) => Some(name),
            _ => None,
        }
    }

    /// A literal string, or a template without interpolation.
    pub fn as_literal_str(&self) -> Option<String> {
        match &self.kind {
            ExprKind::Str(s) => Some(s.as_str().to_owned()),
            ExprKind::Template(parts) => {
                let mut out = String::new();
                for p in parts {
                    match p {
                        Part::Lit(s) => out.push_str(s),
                        _ => return None,
                    }
                }
                Some(out)
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests;
