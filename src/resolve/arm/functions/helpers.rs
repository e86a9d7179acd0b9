//! Helpers shared by the function families: building values, rendering them as text, comparing
//! them, and the message of a failed call.

use crate::resolve::arm::unknown;
use crate::symbolic::{self, Symbolic};
use crate::value::{Node, Value};
use compact_str::CompactString;

/// Longest `depends_on` text quoted from an expression.
const MAX_QUOTE: usize = 160;

pub(super) fn node(v: Value) -> Node {
    Node::new(v, None)
}

/// A string result: symbolic when it holds a deployment-time term.
pub(super) fn s(v: impl Into<CompactString>) -> Value {
    Value::text(v)
}

/// A deployment-time term (`resourceGroup().location`).
pub(super) fn term(expr: &str) -> Value {
    Value::Symbolic(Symbolic::term(expr))
}

/// What a function of a symbolic text returns when it keeps identity without knowing the text:
/// the call as a term, with the text shown as written: `substring('acr{...}', 0, 5)`, or
/// `substring(uniqueString(...), 0, 4)` when the text is one term.
pub(super) fn derived(f: &str, x: &Symbolic, rest: &[String]) -> Value {
    let mut expr = match symbolic::whole_term(x.encoded()) {
        Some(term) => format!("{f}({term}"),
        None => format!("{f}('{x}'"),
    };
    for r in rest {
        expr.push_str(", ");
        expr.push_str(r);
    }
    expr.push(')');
    term(&expr)
}

pub(super) fn obj(members: Vec<(&str, Value)>) -> Value {
    Value::Object(
        members
            .into_iter()
            .map(|(k, v)| (k.into(), node(v)))
            .collect(),
    )
}

/// The call as written, shortened for messages.
pub(super) fn quote(text: &str) -> String {
    if text.chars().count() <= MAX_QUOTE {
        return text.to_string();
    }
    let mut q: String = text.chars().take(MAX_QUOTE).collect();
    q.push_str("...");
    q
}

/// A value as an argument written in an ARM expression (see [`Value::argument_text`]).
pub(super) fn argument_text(v: &Value) -> Option<String> {
    v.argument_text(crate::resolve::arm::literal, "null()")
}

/// A call written with its arguments (`min(length('acr{resourceGroup().name}'), 24)`), the term
/// or identity of its result when that is known only at deployment; `None` when an argument has
/// no text (a collection, an unknown without identity).
pub(super) fn call_text<'v>(
    name: &str,
    args: impl IntoIterator<Item = &'v Value>,
) -> Option<String> {
    let args: Option<Vec<String>> = args.into_iter().map(argument_text).collect();
    Some(format!("{name}({})", args?.join(", ")))
}

/// An error in a call: the call is unknown, with the reason.
pub(super) fn bad(call: &str, reason: impl Into<String>) -> Value {
    unknown(quote(call), reason)
}

pub(in crate::resolve::arm) use crate::value::number_text;

/// A value as text, the way `format`, `concat` and `string` render it.
pub(super) fn display(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.to_string()),
        Value::Symbolic(s) => Some(s.encoded().to_string()),
        _ => {
            let mut out = String::new();
            display_into(&mut out, v)?;
            Some(out)
        }
    }
}

/// [`display`] appended to `out` (unchanged when `None`).
pub(super) fn display_into(out: &mut String, v: &Value) -> Option<()> {
    match v {
        Value::String(s) => out.push_str(s),
        Value::Symbolic(s) => out.push_str(s.encoded()),
        Value::Number(n) => out.push_str(&number_text(*n)),
        Value::Bool(b) => out.push_str(if *b { "True" } else { "False" }),
        Value::Null => {}
        Value::List(_) | Value::Object(_) => out.push_str(&v.to_json()?),
        Value::Ref(_) | Value::Unknown(_) => return None,
    }
    Some(())
}

/// Deep equality; `None` when it depends on something unknown, or on deployment-time values
/// that may or may not turn out equal.
pub(super) fn equal(a: &Value, b: &Value) -> Option<bool> {
    match (a, b) {
        (Value::Unknown(_), _)
        | (_, Value::Unknown(_))
        | (Value::Ref(_), _)
        | (_, Value::Ref(_)) => None,
        (Value::String(x), Value::String(y)) => Some(x == y),
        (Value::Symbolic(_), Value::String(_) | Value::Symbolic(_))
        | (Value::String(_), Value::Symbolic(_)) => {
            let (x, y) = (a.as_str()?, b.as_str()?);
            if x == y {
                Some(true)
            } else if symbolic::may_equal(x, y) {
                None
            } else {
                Some(false)
            }
        }
        (Value::Number(x), Value::Number(y)) => Some(x == y),
        (Value::Bool(x), Value::Bool(y)) => Some(x == y),
        (Value::Null, Value::Null) => Some(true),
        (Value::List(x), Value::List(y)) => {
            if x.len() != y.len() {
                return Some(false);
            }
            let mut result = Some(true);
            for (p, q) in x.iter().zip(y) {
                match equal(&p.value, &q.value) {
                    Some(false) => return Some(false),
                    None => result = None,
                    Some(true) => {}
                }
            }
            result
        }
        (Value::Object(x), Value::Object(y)) => {
            if x.len() != y.len() {
                return Some(false);
            }
            let mut result = Some(true);
            for (k, p) in x {
                let Some(q) = b.get(k) else {
                    return Some(false);
                };
                match equal(&p.value, &q.value) {
                    Some(false) => return Some(false),
                    None => result = None,
                    Some(true) => {}
                }
            }
            result
        }
        _ => Some(false),
    }
}

pub(super) fn as_int(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) if n.fract() == 0.0 && n.abs() < 9.0e15 => Some(*n as i64),
        _ => None,
    }
}

pub(super) fn int(n: i64) -> Value {
    Value::Number(n as f64)
}

/// Insert or replace an object member (keys are case-insensitive).
pub(super) fn set_member(members: &mut Vec<(CompactString, Node)>, key: &str, value: Node) {
    match members
        .iter_mut()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
    {
        Some((_, v)) => *v = value,
        None => members.push((key.into(), value)),
    }
}
