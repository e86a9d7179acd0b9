//! Encoding functions: JSON.

use super::not_a;
use crate::resolve::hcl::coerce::{deep_unknown, to_str, Fx, Halt, Limits};
use crate::source::Span;
use crate::value::{Node, Value};
use compact_str::CompactString;

pub(super) fn jsonencode(a: &[Node], _: Option<Span>, _: &mut Limits) -> Fx<Value> {
    let v = &a[0].value;
    if let Some(u) = deep_unknown(v) {
        return Err(Halt::Unknown(u));
    }
    Ok(Value::String(CompactString::from(
        to_json(v, 0)?.to_string(),
    )))
}

pub(super) fn jsondecode(a: &[Node], sp: Option<Span>, _: &mut Limits) -> Fx<Value> {
    let s = to_str(&a[0].value)?;
    let json = crate::load::json::parse(&s)
        .map_err(|e| Halt::Err(format!("invalid JSON: {}", e.message)))?;
    Ok(Value::from_json(&json, sp))
}

/// The value as Terraform encodes it in JSON.
pub(super) fn to_json(v: &Value, depth: usize) -> Fx<serde_json::Value> {
    if depth > 256 {
        return Err(Halt::Err("the value is nested too deeply".into()));
    }
    Ok(match v {
        Value::Null => serde_json::Value::Null,
        Value::Bool(b) => serde_json::Value::Bool(*b),
        Value::Number(n) if n.fract() == 0.0 && n.abs() < 9e15 => (*n as i64).into(),
        Value::Number(n) => serde_json::Number::from_f64(*n)
            .map(serde_json::Value::Number)
            .ok_or_else(|| Halt::Err("the number cannot be encoded".into()))?,
        Value::String(s) => serde_json::Value::String(s.to_string()),
        Value::List(items) => serde_json::Value::Array(
            items
                .iter()
                .map(|n| to_json(&n.value, depth + 1))
                .collect::<Fx<_>>()?,
        ),
        Value::Object(m) => {
            // Terraform encodes object attributes in lexical order.
            let mut sorted: Vec<&(CompactString, Node)> = m.iter().collect();
            sorted.sort_by(|a, b| a.0.cmp(&b.0));
            let mut out = serde_json::Map::new();
            for (k, n) in sorted {
                out.insert(k.to_string(), to_json(&n.value, depth + 1)?);
            }
            serde_json::Value::Object(out)
        }
        other => return Err(not_a("known value", other)),
    })
}
