//! Logical functions and comparisons: `if`, `and`, `or`, `not`, `coalesce`, `bool`, `equals`,
//! `less`, ..., `true()` and `false()`.

use super::helpers::{argument_text, call_text, equal};
use super::Call;
use crate::resolve::arm::Expr;
use crate::symbolic;
use crate::value::{Unknown, Value};
use std::cmp::Ordering;

pub(super) fn bool(c: &Call, v: &[Value]) -> Value {
    match v {
        [x] => match x {
            Value::Bool(_) => x.clone(),
            Value::Number(n) => Value::Bool(*n != 0.0),
            Value::String(x) if x.eq_ignore_ascii_case("true") => Value::Bool(true),
            Value::String(x) if x.eq_ignore_ascii_case("false") => Value::Bool(false),
            _ => c.bad("is not a boolean ('true', 'false', 1 or 0)"),
        },
        _ => c.reject(v),
    }
}

pub(super) fn true_(_: &Call, _: &[Value]) -> Value {
    Value::Bool(true)
}

pub(super) fn false_(_: &Call, _: &[Value]) -> Value {
    Value::Bool(false)
}

pub(super) fn equals(c: &Call, v: &[Value]) -> Value {
    match v {
        [a, b] => match equal(a, b) {
            Some(r) => Value::Bool(r),
            None => deployment_comparison(c, a, b),
        },
        _ => c.reject(v),
    }
}

pub(super) fn not(c: &Call, v: &[Value]) -> Value {
    match v {
        [Value::Bool(b)] => Value::Bool(!b),
        _ => c.reject(v),
    }
}

pub(super) fn less(c: &Call, v: &[Value]) -> Value {
    compare(c, v, Ordering::is_lt)
}

pub(super) fn less_or_equals(c: &Call, v: &[Value]) -> Value {
    compare(c, v, Ordering::is_le)
}

pub(super) fn greater(c: &Call, v: &[Value]) -> Value {
    compare(c, v, Ordering::is_gt)
}

pub(super) fn greater_or_equals(c: &Call, v: &[Value]) -> Value {
    compare(c, v, Ordering::is_ge)
}

pub(super) fn if_(c: &Call, args: &[Expr]) -> Value {
    let [cond, then, otherwise] = args else {
        return c.bad("needs three arguments");
    };
    match c.eval(cond) {
        Value::Bool(true) => c.eval(then),
        Value::Bool(false) => c.eval(otherwise),
        Value::Unknown(u) => {
            // Both branches agree: the condition does not matter.
            let (a, b) = (c.eval(then), c.eval(otherwise));
            if equal(&a, &b) == Some(true) {
                return a;
            }
            // A choice by the same condition between the same values is the same value wherever
            // it is made (`if(equals(toLower(environment().name), 'azureusgovernment'),
            // 'azurecr.us', 'azurecr.io')`), so that names made of it still match; the condition's
            // own identity is not the choice's.
            let choice = |cond: &str| {
                let (a, b) = (argument_text(&a)?, argument_text(&b)?);
                let cond = symbolic::whole_term(cond)?;
                Some(symbolic::encode_term(&format!("if({cond}, {a}, {b})")).into())
            };
            let identity = u.identity.as_deref().and_then(choice);
            Value::Unknown(Unknown { identity, ..u })
        }
        other => c.bad(format!(
            "has a {} condition, not a boolean",
            other.type_name()
        )),
    }
}

pub(super) fn coalesce(c: &Call, args: &[Expr]) -> Value {
    for a in args {
        match c.eval(a) {
            Value::Null => continue,
            v => return v,
        }
    }
    Value::Null
}

pub(super) fn and(c: &Call, args: &[Expr]) -> Value {
    and_or(true, c, args)
}

pub(super) fn or(c: &Call, args: &[Expr]) -> Value {
    and_or(false, c, args)
}

fn and_or(is_and: bool, c: &Call, args: &[Expr]) -> Value {
    let mut pending: Option<Unknown> = None;
    for a in args {
        match c.eval(a) {
            Value::Bool(b) if b != is_and => return Value::Bool(b),
            Value::Bool(_) => {}
            Value::Unknown(u) => {
                pending.get_or_insert(u);
            }
            other => {
                return c.bad(format!(
                    "has a {} argument, not a boolean",
                    other.type_name()
                ))
            }
        }
    }
    match pending {
        // Unknown because of one argument, but not that argument's value.
        Some(u) => Value::Unknown(Unknown {
            identity: None,
            ..u
        }),
        None => Value::Bool(is_and),
    }
}

fn compare(c: &Call, v: &[Value], test: fn(Ordering) -> bool) -> Value {
    let [a, b] = v else {
        return c.reject(v);
    };
    let ord = match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.partial_cmp(y),
        (Value::String(x), Value::String(y)) => Some(x.cmp(y)),
        _ => None,
    };
    let Some(ord) = ord else {
        if v.iter().any(|x| matches!(x, Value::Symbolic(_))) {
            return deployment_comparison(c, a, b);
        }
        return c.bad("compares values that are not both numbers or both strings");
    };
    Value::Bool(test(ord))
}

/// A comparison of values known only at deployment: unknown, and, as for `equals`, the same
/// comparison is the same answer wherever it is made (its identity), so that what is chosen by
/// it is one value too.
fn deployment_comparison(c: &Call, a: &Value, b: &Value) -> Value {
    let reason = "compares values known only at deployment time";
    match call_text(c.name, [a, b]) {
        Some(text) => Value::Unknown(Unknown {
            identity: Some(symbolic::encode_term(&text).into()),
            ..Unknown::new(super::helpers::quote(c.text), reason)
        }),
        None => c.bad(reason),
    }
}
