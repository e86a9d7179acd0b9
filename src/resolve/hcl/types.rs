//! Conversion of variable values to their declared type constraint, with `optional()` defaults.

use super::coerce::{fmt_num, to_bool, to_num};
use super::funcs::set_key;
use super::{Expr, ExprKind, Key};
use crate::value::{Node, Value};
use compact_str::CompactString;

/// Convert a value to a type constraint (`string`, `list(object({ a = optional(string, "x") }))`,
/// ...). Object types fill absent optional attributes with their defaults and drop undeclared
/// attributes, as Terraform does. A value that cannot be converted, and unknowns, are returned
/// unchanged.
pub fn convert_to_type(v: Node, ty: &Expr) -> Node {
    let span = v.span;
    match (&ty.kind, v.value) {
        (_, value @ (Value::Unknown(_) | Value::Ref(_) | Value::Null)) => Node::new(value, span),
        (ExprKind::Var(t), value) => Node::new(primitive(t, value), span),
        (ExprKind::Call(f, args, _), Value::List(items)) if is_seq(f) => {
            let out: Vec<Node> = match (f.as_str(), args.first()) {
                (
                    "tuple",
                    Some(Expr {
                        kind: ExprKind::Tuple(types),
                        ..
                    }),
                ) => items
                    .into_iter()
                    .enumerate()
                    .map(|(i, n)| match types.get(i) {
                        Some(t) => convert_to_type(n, t),
                        None => n,
                    })
                    .collect(),
                (_, Some(t)) => items.into_iter().map(|n| convert_to_type(n, t)).collect(),
                (_, None) => items,
            };
            let out = if f == "set" { dedup(out) } else { out };
            Node::new(Value::List(out), span)
        }
        (ExprKind::Call(f, args, _), Value::Object(members)) if f == "map" => {
            let out = match args.first() {
                Some(t) => members
                    .into_iter()
                    .map(|(k, n)| (k, convert_to_type(n, t)))
                    .collect(),
                None => members,
            };
            Node::new(Value::Object(out), span)
        }
        (ExprKind::Call(f, args, _), Value::Object(members)) if f == "object" => {
            let Some(Expr {
                kind: ExprKind::Object(attrs),
                ..
            }) = args.first()
            else {
                return Node::new(Value::Object(members), span);
            };
            let mut out = Vec::with_capacity(attrs.len());
            for (key, t) in attrs {
                let name = match key {
                    Key::Name(n) => CompactString::from(n.as_str()),
                    Key::Expr(e) => {
                        match e
                            .as_literal_str()
                            .or_else(|| e.as_name().map(|n| n.to_string()))
                        {
                            Some(n) => n.into(),
                            None => continue,
                        }
                    }
                };
                let given = members
                    .iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, n)| n.clone())
                    .filter(|n| n.value != Value::Null);
                out.push((name, attribute(given, t, span)));
            }
            Node::new(Value::Object(out), span)
        }
        (ExprKind::Call(f, args, _), value) if f == "optional" => match args.first() {
            Some(t) => convert_to_type(Node::new(value, span), t),
            None => Node::new(value, span),
        },
        (_, value) => Node::new(value, span),
    }
}

/// An object attribute: the given value, or the `optional()` default, converted.
fn attribute(given: Option<Node>, t: &Expr, span: Option<crate::source::Span>) -> Node {
    if let ExprKind::Call(f, args, _) = &t.kind {
        if f == "optional" {
            let inner = args.first();
            let value = given.or_else(|| args.get(1).and_then(literal));
            return match (value, inner) {
                (Some(v), Some(inner)) => convert_to_type(v, inner),
                (Some(v), None) => v,
                (None, _) => Node::new(Value::Null, span),
            };
        }
    }
    match given {
        Some(v) => convert_to_type(v, t),
        None => Node::new(Value::Null, span),
    }
}

/// The value of a constant expression (an `optional()` default: literals, lists, objects).
fn literal(e: &Expr) -> Option<Node> {
    let span = Some(e.span);
    let v = match &e.kind {
        ExprKind::Null => Value::Null,
        ExprKind::Bool(b) => Value::Bool(*b),
        ExprKind::Number(n) => Value::Number(*n),
        ExprKind::Unary(super::UnOp::Neg, x) => match &x.kind {
            ExprKind::Number(n) => Value::Number(-n),
            _ => return None,
        },
        ExprKind::Str(_) | ExprKind::Template(_) => Value::String(e.as_literal_str()?.into()),
        ExprKind::Tuple(items) => Value::List(items.iter().map(literal).collect::<Option<_>>()?),
        ExprKind::Object(members) => Value::Object(
            members
                .iter()
                .map(|(k, v)| {
                    let key = match k {
                        Key::Name(n) => CompactString::from(n.as_str()),
                        Key::Expr(x) => x.as_literal_str()?.into(),
                    };
                    Some((key, literal(v)?))
                })
                .collect::<Option<_>>()?,
        ),
        _ => return None,
    };
    Some(Node::new(v, span))
}

fn is_seq(f: &str) -> bool {
    matches!(f, "list" | "set" | "tuple")
}

fn primitive(t: &str, value: Value) -> Value {
    match t {
        "string" => match &value {
            Value::Number(n) => Value::String(fmt_num(*n).into()),
            Value::Bool(b) => Value::String(b.to_string().into()),
            _ => value,
        },
        "number" => match to_num(&value) {
            Ok(n) if matches!(value, Value::String(_)) => Value::Number(n),
            _ => value,
        },
        "bool" => match to_bool(&value) {
            Ok(b) if matches!(value, Value::String(_)) => Value::Bool(b),
            _ => value,
        },
        _ => value,
    }
}

/// Remove repeated known elements (unknown ones are kept: they may differ).
fn dedup(items: Vec<Node>) -> Vec<Node> {
    let mut seen = std::collections::HashSet::new();
    items
        .into_iter()
        .filter(|n| set_key(&n.value).map_or(true, |k| seen.insert(k)))
        .collect()
}

/// Whether a type constraint is primitive (or absent): `--var` values for such variables are
/// taken as literal strings; others are parsed as HCL expressions.
pub fn is_primitive_type(ty: Option<&Expr>) -> bool {
    match ty.map(|t| &t.kind) {
        None => true,
        Some(ExprKind::Var(t)) => matches!(t.as_str(), "string" | "number" | "bool"),
        Some(_) => false,
    }
}
