//! Collection functions.

use super::encoding::to_json;
use super::{charge, list, not_a, object, str_node};
use crate::resolve::hcl::coerce::{
    budget_message, deep_unknown, equal, insert, pairs, to_bool, to_int, to_num, to_str, Fx, Halt,
    Limits,
};
use crate::source::Span;
use crate::value::{Node, Value};
use compact_str::CompactString;

pub(super) fn length(a: &[Node], _: Option<Span>, _: &mut Limits) -> Fx<Value> {
    Ok(match &a[0].value {
        Value::List(items) => Value::Number(items.len() as f64),
        Value::Object(m) => Value::Number(m.len() as f64),
        Value::String(s) => Value::Number(s.chars().count() as f64),
        other => return Err(not_a("collection", other)),
    })
}

pub(super) fn concat(a: &[Node], _: Option<Span>, lim: &mut Limits) -> Fx<Value> {
    let mut out = Vec::new();
    for l in a {
        out.extend(list(&l.value)?.iter().cloned());
    }
    charge(lim, out.len())?;
    Ok(Value::List(out))
}

pub(super) fn merge(a: &[Node], _: Option<Span>, lim: &mut Limits) -> Fx<Value> {
    let mut out: Vec<(CompactString, Node)> = Vec::new();
    for o in a {
        if o.value == Value::Null {
            continue;
        }
        for (k, v) in object(&o.value)? {
            insert(&mut out, k.clone(), v.clone());
        }
    }
    charge(lim, out.len())?;
    Ok(Value::Object(out))
}

pub(super) fn lookup(a: &[Node], _: Option<Span>, _: &mut Limits) -> Fx<Value> {
    let key = to_str(&a[1].value)?;
    Ok(match object(&a[0].value)?.iter().find(|(k, _)| *k == key) {
        Some((_, v)) => v.value.clone(),
        None => match a.get(2) {
            Some(d) => d.value.clone(),
            None => return Err(Halt::Err(format!("the map has no key \"{key}\""))),
        },
    })
}

pub(super) fn keys(a: &[Node], _: Option<Span>, _: &mut Limits) -> Fx<Value> {
    Ok(Value::List(
        members(&a[0].value)?.into_iter().map(|(k, _)| k).collect(),
    ))
}

pub(super) fn values(a: &[Node], _: Option<Span>, _: &mut Limits) -> Fx<Value> {
    Ok(Value::List(
        members(&a[0].value)?.into_iter().map(|(_, v)| v).collect(),
    ))
}

pub(super) fn zipmap(a: &[Node], _: Option<Span>, _: &mut Limits) -> Fx<Value> {
    let (ks, vs) = (list(&a[0].value)?, list(&a[1].value)?);
    if ks.len() != vs.len() {
        return Err(Halt::Err("the lists must have the same length".into()));
    }
    let mut out = Vec::new();
    for (k, v) in ks.iter().zip(vs) {
        insert(&mut out, to_str(&k.value)?, v.clone());
    }
    Ok(Value::Object(out))
}

pub(super) fn element(a: &[Node], _: Option<Span>, _: &mut Limits) -> Fx<Value> {
    let items = list(&a[0].value)?;
    let i = to_int(&a[1].value)?;
    if items.is_empty() || i < 0 {
        return Err(Halt::Err("cannot take an element of an empty list".into()));
    }
    Ok(items[(i as usize) % items.len()].value.clone())
}

pub(super) fn index(a: &[Node], _: Option<Span>, _: &mut Limits) -> Fx<Value> {
    let mut pending = None;
    for (i, n) in list(&a[0].value)?.iter().enumerate() {
        match equal(&n.value, &a[1].value) {
            Ok(true) => return Ok(Value::Number(i as f64)),
            Ok(false) => {}
            Err(h) => pending = pending.or(Some(h)),
        }
    }
    Err(pending.unwrap_or_else(|| Halt::Err("the value is not in the list".into())))
}

pub(super) fn contains(a: &[Node], _: Option<Span>, _: &mut Limits) -> Fx<Value> {
    let mut pending = None;
    for n in list(&a[0].value)? {
        match equal(&n.value, &a[1].value) {
            Ok(true) => return Ok(Value::Bool(true)),
            Ok(false) => {}
            Err(h) => pending = pending.or(Some(h)),
        }
    }
    pending.map_or(Ok(Value::Bool(false)), Err)
}

pub(super) fn distinct(a: &[Node], _: Option<Span>, _: &mut Limits) -> Fx<Value> {
    Ok(Value::List(distinct_nodes(list(&a[0].value)?.to_vec())?))
}

pub(super) fn compact(a: &[Node], _: Option<Span>, _: &mut Limits) -> Fx<Value> {
    let mut out = Vec::new();
    for n in list(&a[0].value)? {
        match &n.value {
            Value::Null => {}
            Value::String(s) if s.is_empty() => {}
            v => {
                to_str(v)?;
                out.push(n.clone());
            }
        }
    }
    Ok(Value::List(out))
}

pub(super) fn flatten(a: &[Node], _: Option<Span>, lim: &mut Limits) -> Fx<Value> {
    let mut out = Vec::new();
    flatten_into(list(&a[0].value)?, &mut out, 0)?;
    charge(lim, out.len())?;
    Ok(Value::List(out))
}

pub(super) fn one(a: &[Node], _: Option<Span>, _: &mut Limits) -> Fx<Value> {
    match list(&a[0].value)? {
        [] => Ok(Value::Null),
        [x] => Ok(x.value.clone()),
        _ => Err(Halt::Err("the list has more than one element".into())),
    }
}

pub(super) fn coalesce(a: &[Node], _: Option<Span>, _: &mut Limits) -> Fx<Value> {
    for n in a {
        match &n.value {
            Value::Null => {}
            Value::String(s) if s.is_empty() => {}
            Value::Unknown(u) => return Err(Halt::Unknown(u.clone())),
            v => return Ok(v.clone()),
        }
    }
    Err(Halt::Err("all arguments are null or empty".into()))
}

pub(super) fn coalescelist(a: &[Node], _: Option<Span>, _: &mut Limits) -> Fx<Value> {
    for n in a {
        if !list(&n.value)?.is_empty() {
            return Ok(n.value.clone());
        }
    }
    Err(Halt::Err("all arguments are empty lists".into()))
}

pub(super) fn slice(a: &[Node], _: Option<Span>, _: &mut Limits) -> Fx<Value> {
    let items = list(&a[0].value)?;
    let (from, to) = (to_int(&a[1].value)?, to_int(&a[2].value)?);
    if from < 0 || to < from || to as usize > items.len() {
        return Err(Halt::Err("the indices are out of range".into()));
    }
    Ok(Value::List(items[from as usize..to as usize].to_vec()))
}

pub(super) fn reverse(a: &[Node], _: Option<Span>, _: &mut Limits) -> Fx<Value> {
    Ok(Value::List(
        list(&a[0].value)?.iter().rev().cloned().collect(),
    ))
}

pub(super) fn sort(a: &[Node], sp: Option<Span>, _: &mut Limits) -> Fx<Value> {
    let mut strs = Vec::new();
    for n in list(&a[0].value)? {
        strs.push(to_str(&n.value)?);
    }
    strs.sort();
    Ok(Value::List(
        strs.into_iter().map(|s| str_node(s, sp)).collect(),
    ))
}

pub(super) fn alltrue(a: &[Node], _: Option<Span>, _: &mut Limits) -> Fx<Value> {
    all_or_any(a, false)
}

pub(super) fn anytrue(a: &[Node], _: Option<Span>, _: &mut Limits) -> Fx<Value> {
    all_or_any(a, true)
}

pub(super) fn setunion(a: &[Node], _: Option<Span>, _: &mut Limits) -> Fx<Value> {
    set_op(a, SetOp::Union)
}

pub(super) fn setintersection(a: &[Node], _: Option<Span>, _: &mut Limits) -> Fx<Value> {
    set_op(a, SetOp::Intersection)
}

pub(super) fn setsubtract(a: &[Node], _: Option<Span>, _: &mut Limits) -> Fx<Value> {
    set_op(a, SetOp::Subtract)
}

/// Every combination of one element of each argument, the first argument's varying slowest
/// (as Terraform's `setproduct`; the zone × VNet pairs of hub-and-spoke DNS modules).
pub(super) fn setproduct(a: &[Node], sp: Option<Span>, lim: &mut Limits) -> Fx<Value> {
    let lists = a.iter().map(|n| list(&n.value)).collect::<Fx<Vec<_>>>()?;
    let total = lists
        .iter()
        .try_fold(1usize, |acc, l| acc.checked_mul(l.len()));
    let total = total
        .filter(|&t| t <= 1 << 30)
        .ok_or_else(|| Halt::Err(budget_message()))?;
    charge(lim, total.saturating_mul(lists.len()))?;
    let mut out: Vec<Vec<Node>> = vec![Vec::with_capacity(lists.len())];
    for items in lists {
        out = out
            .iter()
            .flat_map(|prefix| {
                items.iter().map(move |item| {
                    let mut tuple = prefix.clone();
                    tuple.push(item.clone());
                    tuple
                })
            })
            .collect();
    }
    Ok(Value::List(
        out.into_iter()
            .map(|tuple| Node::new(Value::List(tuple), sp))
            .collect(),
    ))
}

pub(super) fn chunklist(a: &[Node], sp: Option<Span>, _: &mut Limits) -> Fx<Value> {
    let items = list(&a[0].value)?;
    let size = to_int(&a[1].value)?;
    if size < 0 {
        return Err(Halt::Err("the chunk size must not be negative".into()));
    }
    Ok(if size == 0 {
        Value::List(vec![Node::new(Value::List(items.to_vec()), sp)])
    } else {
        Value::List(
            items
                .chunks(size as usize)
                .map(|c| Node::new(Value::List(c.to_vec()), sp))
                .collect(),
        )
    })
}

pub(super) fn sum(a: &[Node], _: Option<Span>, _: &mut Limits) -> Fx<Value> {
    let mut total = 0.0;
    for n in list(&a[0].value)? {
        total += to_num(&n.value)?;
    }
    Ok(Value::Number(total))
}

pub(super) fn range(a: &[Node], sp: Option<Span>, lim: &mut Limits) -> Fx<Value> {
    let nums: Vec<f64> = a.iter().map(|n| to_num(&n.value)).collect::<Fx<_>>()?;
    let (start, limit, step) = match nums.as_slice() {
        [l] => (0.0, *l, 1.0),
        [s, l] => (*s, *l, if l >= s { 1.0 } else { -1.0 }),
        [s, l, st] => (*s, *l, *st),
        _ => return Err(Halt::Err("wrong number of arguments".into())),
    };
    if step == 0.0 || (step > 0.0) != (limit >= start) && limit != start {
        return Err(Halt::Err("the step does not move towards the limit".into()));
    }
    let count = ((limit - start) / step).ceil().max(0.0);
    if !count.is_finite() || count > 1e9 {
        return Err(Halt::Err(budget_message()));
    }
    charge(lim, count as usize)?;
    Ok(Value::List(
        (0..count as usize)
            .map(|i| Node::new(Value::Number(start + step * i as f64), sp))
            .collect(),
    ))
}

/// The members of a map as key/value pairs in key order.
fn members(v: &Value) -> Fx<Vec<(Node, Node)>> {
    pairs(&Value::Object(object(v)?.to_vec()))
}

/// `alltrue` (`want` false: the first false decides) and `anytrue` (the first true decides).
fn all_or_any(a: &[Node], want: bool) -> Fx<Value> {
    let mut pending = None;
    for n in list(&a[0].value)? {
        match to_bool(&n.value) {
            Ok(b) if b == want => return Ok(Value::Bool(want)),
            Ok(_) => {}
            Err(h) => pending = pending.or(Some(h)),
        }
    }
    pending.map_or(Ok(Value::Bool(!want)), Err)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum SetOp {
    Union,
    Intersection,
    Subtract,
}

fn set_op(a: &[Node], op: SetOp) -> Fx<Value> {
    let mut acc = distinct_nodes(list(&a[0].value)?.to_vec())?;
    for other in &a[1..] {
        let other = list(&other.value)?;
        let keys = other
            .iter()
            .map(|o| set_key(&o.value))
            .collect::<Fx<std::collections::HashSet<_>>>()?;
        match op {
            SetOp::Union => acc.extend(other.iter().cloned()),
            _ => {
                let keep = op == SetOp::Intersection;
                let mut kept = Vec::with_capacity(acc.len());
                for n in acc {
                    if keys.contains(&set_key(&n.value)?) == keep {
                        kept.push(n);
                    }
                }
                acc = kept;
            }
        }
        acc = distinct_nodes(acc)?;
    }
    Ok(Value::List(set_order(acc)))
}

/// A key that is equal for equal known values, so set operations hash instead of comparing
/// every pair.
pub(in crate::resolve::hcl) fn set_key(v: &Value) -> Fx<String> {
    if let Some(u) = deep_unknown(v) {
        return Err(Halt::Unknown(u));
    }
    Ok(match v {
        Value::String(s) => format!("s{s}"),
        other => format!("j{}", to_json(other, 0)?),
    })
}

pub(super) fn distinct_nodes(items: Vec<Node>) -> Fx<Vec<Node>> {
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::with_capacity(items.len());
    for n in items {
        if seen.insert(set_key(&n.value)?) {
            out.push(n);
        }
    }
    Ok(out)
}

/// Sets of strings iterate in lexical order in Terraform.
pub(super) fn set_order(mut items: Vec<Node>) -> Vec<Node> {
    if items.iter().all(|n| matches!(n.value, Value::String(_))) {
        items.sort_by(|a, b| a.value.as_str().cmp(&b.value.as_str()));
    }
    items
}

fn flatten_into(items: &[Node], out: &mut Vec<Node>, depth: usize) -> Fx<()> {
    if depth > 64 {
        return Err(Halt::Err("the list is nested too deeply".into()));
    }
    for n in items {
        match &n.value {
            Value::List(inner) => flatten_into(inner, out, depth + 1)?,
            Value::Unknown(u) => return Err(Halt::Unknown(u.clone())),
            _ => out.push(n.clone()),
        }
    }
    Ok(())
}
