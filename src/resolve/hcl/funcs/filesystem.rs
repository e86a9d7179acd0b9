//! Filesystem functions that work on the path text alone.

use crate::resolve::hcl::coerce::{to_str, Fx, Limits};
use crate::source::Span;
use crate::value::{Node, Value};
use compact_str::CompactString;

pub(super) fn basename(a: &[Node], _: Option<Span>, _: &mut Limits) -> Fx<Value> {
    Ok(Value::String(CompactString::from(
        to_str(&a[0].value)?.rsplit('/').next().unwrap_or_default(),
    )))
}

pub(super) fn dirname(a: &[Node], _: Option<Span>, _: &mut Limits) -> Fx<Value> {
    let s = to_str(&a[0].value)?;
    Ok(Value::String(match s.rfind('/') {
        Some(0) => "/".into(),
        Some(i) => s[..i].into(),
        None => ".".into(),
    }))
}
