//! Numeric functions.

use crate::resolve::hcl::coerce::{to_int, to_num, to_str, Fx, Halt, Limits};
use crate::source::Span;
use crate::value::{Node, Value};

pub(super) fn abs(a: &[Node], _: Option<Span>, _: &mut Limits) -> Fx<Value> {
    Ok(Value::Number(to_num(&a[0].value)?.abs()))
}

pub(super) fn ceil(a: &[Node], _: Option<Span>, _: &mut Limits) -> Fx<Value> {
    Ok(Value::Number(to_num(&a[0].value)?.ceil()))
}

pub(super) fn floor(a: &[Node], _: Option<Span>, _: &mut Limits) -> Fx<Value> {
    Ok(Value::Number(to_num(&a[0].value)?.floor()))
}

pub(super) fn signum(a: &[Node], _: Option<Span>, _: &mut Limits) -> Fx<Value> {
    Ok(Value::Number(to_num(&a[0].value)?.signum()))
}

pub(super) fn min(a: &[Node], _: Option<Span>, _: &mut Limits) -> Fx<Value> {
    fold(a, f64::min)
}

pub(super) fn max(a: &[Node], _: Option<Span>, _: &mut Limits) -> Fx<Value> {
    fold(a, f64::max)
}

pub(super) fn pow(a: &[Node], _: Option<Span>, _: &mut Limits) -> Fx<Value> {
    Ok(Value::Number(
        to_num(&a[0].value)?.powf(to_num(&a[1].value)?),
    ))
}

pub(super) fn parseint(a: &[Node], _: Option<Span>, _: &mut Limits) -> Fx<Value> {
    let s = to_str(&a[0].value)?;
    let base = to_int(&a[1].value)?;
    if !(2..=36).contains(&base) {
        return Err(Halt::Err("base must be between 2 and 36".into()));
    }
    let n = i64::from_str_radix(&s, base as u32)
        .map_err(|_| Halt::Err(format!("\"{s}\" is not a base {base} integer")))?;
    Ok(Value::Number(n as f64))
}

fn fold(a: &[Node], pick: fn(f64, f64) -> f64) -> Fx<Value> {
    let mut best = to_num(&a[0].value)?;
    for n in &a[1..] {
        best = pick(best, to_num(&n.value)?);
    }
    Ok(Value::Number(best))
}
