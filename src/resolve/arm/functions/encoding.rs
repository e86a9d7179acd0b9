//! Conversions and encodings: `string`, `int`, `float`, `json`, `base64`.

use super::helpers::{display, s};
use super::Call;
use crate::value::Value;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;

pub(super) fn string(c: &Call, v: &[Value]) -> Value {
    match v {
        [x] => match display(x) {
            Some(x) => s(x),
            None => c.bad("converts a value with unknown parts to a string"),
        },
        _ => c.reject(v),
    }
}

pub(super) fn int(c: &Call, v: &[Value]) -> Value {
    match v {
        [x] => match x {
            Value::Number(n) => Value::Number(n.trunc()),
            Value::String(x) => match x.trim().parse::<i64>() {
                Ok(n) => super::helpers::int(n),
                Err(_) => c.bad(format!("'{x}' is not an integer")),
            },
            _ => c.bad(format!("cannot convert a {} to an integer", x.type_name())),
        },
        _ => c.reject(v),
    }
}

pub(super) fn float(c: &Call, v: &[Value]) -> Value {
    match v {
        [x] => match x {
            Value::Number(_) => x.clone(),
            Value::String(x) => match x.trim().parse::<f64>() {
                Ok(n) => Value::Number(n),
                Err(_) => c.bad(format!("'{x}' is not a number")),
            },
            _ => c.bad(format!("cannot convert a {} to a number", x.type_name())),
        },
        _ => c.reject(v),
    }
}

pub(super) fn json(c: &Call, v: &[Value]) -> Value {
    match v {
        [Value::String(x)] => match crate::load::json::parse(x) {
            Ok(j) => Value::from_json(&j, None),
            Err(e) => c.bad(format!("is not valid JSON: {}", e.message)),
        },
        _ => c.reject(v),
    }
}

pub(super) fn base64(c: &Call, v: &[Value]) -> Value {
    match v {
        [Value::String(x)] => s(STANDARD.encode(x)),
        _ => c.reject(v),
    }
}
