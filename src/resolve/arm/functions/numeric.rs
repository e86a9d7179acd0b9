//! Numeric functions: integer arithmetic, `min` and `max`.

use super::helpers::{as_int, bad, call_text, int, term};
use super::Call;
use crate::value::Value;

pub(super) fn add(c: &Call, v: &[Value]) -> Value {
    arithmetic(c, v, i64::checked_add)
}

pub(super) fn sub(c: &Call, v: &[Value]) -> Value {
    arithmetic(c, v, i64::checked_sub)
}

pub(super) fn mul(c: &Call, v: &[Value]) -> Value {
    arithmetic(c, v, i64::checked_mul)
}

pub(super) fn div(c: &Call, v: &[Value]) -> Value {
    arithmetic(c, v, i64::checked_div)
}

pub(super) fn mod_(c: &Call, v: &[Value]) -> Value {
    arithmetic(c, v, i64::checked_rem)
}

pub(super) fn min(c: &Call, v: &[Value]) -> Value {
    deployment_number(c, v).unwrap_or_else(|| min_max(true, v, c.text))
}

pub(super) fn max(c: &Call, v: &[Value]) -> Value {
    deployment_number(c, v).unwrap_or_else(|| min_max(false, v, c.text))
}

/// `min(length(name), 24)` of a name known only at deployment: numbers and deployment-time
/// numbers ([`super::collection::length`]) give one, the call (also in arithmetic).
fn deployment_number(c: &Call, v: &[Value]) -> Option<Value> {
    let symbolic = v.iter().any(|x| matches!(x, Value::Symbolic(_)));
    let numbers = v
        .iter()
        .all(|x| matches!(x, Value::Number(_) | Value::Symbolic(_)));
    if !symbolic || !numbers {
        return None;
    }
    Some(term(&call_text(c.name, v)?))
}

fn arithmetic(c: &Call, v: &[Value], op: fn(i64, i64) -> Option<i64>) -> Value {
    let [a, b] = v else {
        return c.reject(v);
    };
    if let Some(n) = deployment_number(c, v) {
        return n;
    }
    let (Some(x), Some(y)) = (as_int(a), as_int(b)) else {
        return c.bad("needs integer arguments");
    };
    match op(x, y) {
        Some(r) => int(r),
        None => c.bad("overflows or divides by zero"),
    }
}

fn min_max(min: bool, values: &[Value], text: &str) -> Value {
    let items: Vec<&Value> = match values {
        [Value::List(items)] => items.iter().map(|n| &n.value).collect(),
        _ => values.iter().collect(),
    };
    let nums: Option<Vec<f64>> = items
        .iter()
        .map(|v| match v {
            Value::Number(n) => Some(*n),
            _ => None,
        })
        .collect();
    match nums {
        Some(n) if !n.is_empty() => Value::Number(n.into_iter().fold(
            if min {
                f64::INFINITY
            } else {
                f64::NEG_INFINITY
            },
            |acc, x| if min { acc.min(x) } else { acc.max(x) },
        )),
        _ => bad(text, "needs integers"),
    }
}
