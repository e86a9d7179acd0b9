//! Type conversion functions (`try` and `can` are answered by the evaluator).

use super::collection::{distinct_nodes, set_order};
use super::{list, object};
use crate::resolve::hcl::coerce::{to_bool, to_num, to_str, Fx, Limits};
use crate::source::Span;
use crate::value::{Node, Value};

pub(super) fn tostring(a: &[Node], _: Option<Span>, _: &mut Limits) -> Fx<Value> {
    Ok(match &a[0].value {
        Value::Null => Value::Null,
        v => Value::String(to_str(v)?),
    })
}

pub(super) fn tonumber(a: &[Node], _: Option<Span>, _: &mut Limits) -> Fx<Value> {
    Ok(match &a[0].value {
        Value::Null => Value::Null,
        v => Value::Number(to_num(v)?),
    })
}

pub(super) fn tobool(a: &[Node], _: Option<Span>, _: &mut Limits) -> Fx<Value> {
    Ok(match &a[0].value {
        Value::Null => Value::Null,
        v => Value::Bool(to_bool(v)?),
    })
}

pub(super) fn tolist(a: &[Node], _: Option<Span>, _: &mut Limits) -> Fx<Value> {
    Ok(Value::List(list(&a[0].value)?.to_vec()))
}

pub(super) fn toset(a: &[Node], _: Option<Span>, _: &mut Limits) -> Fx<Value> {
    Ok(Value::List(set_order(distinct_nodes(
        list(&a[0].value)?.to_vec(),
    )?)))
}

pub(super) fn tomap(a: &[Node], _: Option<Span>, _: &mut Limits) -> Fx<Value> {
    Ok(Value::Object(object(&a[0].value)?.to_vec()))
}

/// Sensitivity does not change a value.
pub(super) fn sensitive(a: &[Node], _: Option<Span>, _: &mut Limits) -> Fx<Value> {
    Ok(a[0].value.clone())
}

pub(super) fn nonsensitive(a: &[Node], _: Option<Span>, _: &mut Limits) -> Fx<Value> {
    Ok(a[0].value.clone())
}
