//! Terraform's built-in functions that static analysis can evaluate. Any other function gives an
//! unknown naming it.

use super::coerce::{
    budget_message, deep_unknown, equal, fmt_num, insert, pairs, shallow_unknown, to_bool, to_int,
    to_num, to_str, Fx, Halt, Limits,
};
use crate::source::Span;
use crate::value::{Node, Unknown, Value};
use compact_str::CompactString;

/// Largest compiled regular expression (bytes), so hostile patterns stay cheap.
const REGEX_SIZE_LIMIT: usize = 1 << 20;

pub(super) fn call(name: &str, args: Vec<Node>, span: Span, lim: &mut Limits) -> Fx<Value> {
    let sp = Some(span);
    let a = &args;
    let out = match name {
        // ---- strings ----
        "format" => {
            arity(a, 1, usize::MAX)?;
            Value::String(format(&to_str(&a[0].value)?, &a[1..])?.into())
        }
        "formatlist" => formatlist(a, sp, lim)?,
        "lower" => Value::String(s1(a)?.as_str().to_lowercase().into()),
        "upper" => Value::String(s1(a)?.as_str().to_uppercase().into()),
        "title" => Value::String(CompactString::from(title(&s1(a)?))),
        "chomp" => Value::String(CompactString::from(s1(a)?.trim_end_matches(['\n', '\r']))),
        "trimspace" => Value::String(CompactString::from(s1(a)?.trim())),
        "strrev" => Value::String(s1(a)?.chars().rev().collect()),
        "trim" => {
            let (s, cut) = s2(a)?;
            Value::String(CompactString::from(s.trim_matches(|c| cut.contains(c))))
        }
        "trimprefix" => {
            let (s, p) = s2(a)?;
            Value::String(CompactString::from(
                s.strip_prefix(p.as_str()).unwrap_or(&s),
            ))
        }
        "trimsuffix" => {
            let (s, p) = s2(a)?;
            Value::String(CompactString::from(
                s.strip_suffix(p.as_str()).unwrap_or(&s),
            ))
        }
        "startswith" => {
            let (s, p) = s2(a)?;
            Value::Bool(s.starts_with(p.as_str()))
        }
        "endswith" => {
            let (s, p) = s2(a)?;
            Value::Bool(s.ends_with(p.as_str()))
        }
        "strcontains" => {
            let (s, p) = s2(a)?;
            Value::Bool(s.contains(p.as_str()))
        }
        "split" => {
            let (sep, s) = s2(a)?;
            let parts: Vec<Node> = if sep.is_empty() {
                s.chars()
                    .map(|c| str_node(CompactString::from(c.to_string()), sp))
                    .collect()
            } else {
                s.split(sep.as_str())
                    .map(|p| str_node(p.into(), sp))
                    .collect()
            };
            charge(lim, parts.len())?;
            Value::List(parts)
        }
        "join" => {
            arity(a, 2, usize::MAX)?;
            let sep = to_str(&a[0].value)?;
            let mut parts = Vec::new();
            for l in &a[1..] {
                for n in list(&l.value)? {
                    parts.push(to_str(&n.value)?);
                }
            }
            Value::String(CompactString::from(parts.join(&sep)))
        }
        "replace" => {
            arity(a, 3, 3)?;
            let (s, from, to) = (
                to_str(&a[0].value)?,
                to_str(&a[1].value)?,
                to_str(&a[2].value)?,
            );
            match from.strip_prefix('/').and_then(|f| f.strip_suffix('/')) {
                Some(pattern) if from.len() > 1 => Value::String(CompactString::from(
                    regex(pattern)?.replace_all(&s, to.as_str()).into_owned(),
                )),
                _ if from.is_empty() => Value::String(s),
                _ => Value::String(CompactString::from(
                    s.as_str().replace(from.as_str(), to.as_str()),
                )),
            }
        }
        "substr" => {
            arity(a, 3, 3)?;
            let s = to_str(&a[0].value)?;
            let (off, len) = (to_int(&a[1].value)?, to_int(&a[2].value)?);
            let chars: Vec<char> = s.chars().collect();
            let n = chars.len() as i64;
            let start = if off < 0 { n + off } else { off };
            if start < 0 || start > n {
                return Err(Halt::Err("offset is out of range".into()));
            }
            let end = if len < 0 { n } else { (start + len).min(n) };
            Value::String(chars[start as usize..end as usize].iter().collect())
        }
        "regex" | "regexall" => {
            let (pattern, s) = s2(a)?;
            let re = regex(&pattern)?;
            let found: Vec<Value> = re
                .captures_iter(&s)
                .map(|c| captures(&re, &c, sp))
                .collect();
            charge(lim, found.len())?;
            if name == "regex" {
                found
                    .into_iter()
                    .next()
                    .ok_or_else(|| Halt::Err("the pattern did not match".into()))?
            } else {
                Value::List(found.into_iter().map(|v| Node::new(v, sp)).collect())
            }
        }
        "basename" => Value::String(CompactString::from(
            s1(a)?.rsplit('/').next().unwrap_or_default(),
        )),
        "dirname" => {
            let s = s1(a)?;
            Value::String(match s.rfind('/') {
                Some(0) => "/".into(),
                Some(i) => s[..i].into(),
                None => ".".into(),
            })
        }
        // ---- numbers ----
        "min" | "max" => {
            arity(a, 1, usize::MAX)?;
            let mut best = to_num(&a[0].value)?;
            for n in &a[1..] {
                let x = to_num(&n.value)?;
                best = if name == "min" {
                    best.min(x)
                } else {
                    best.max(x)
                };
            }
            Value::Number(best)
        }
        "abs" => Value::Number(n1(a)?.abs()),
        "ceil" => Value::Number(n1(a)?.ceil()),
        "floor" => Value::Number(n1(a)?.floor()),
        "signum" => Value::Number(n1(a)?.signum()),
        "pow" => {
            arity(a, 2, 2)?;
            Value::Number(to_num(&a[0].value)?.powf(to_num(&a[1].value)?))
        }
        "parseint" => {
            arity(a, 2, 2)?;
            let s = to_str(&a[0].value)?;
            let base = to_int(&a[1].value)?;
            if !(2..=36).contains(&base) {
                return Err(Halt::Err("base must be between 2 and 36".into()));
            }
            let n = i64::from_str_radix(&s, base as u32)
                .map_err(|_| Halt::Err(format!("\"{s}\" is not a base {base} integer")))?;
            Value::Number(n as f64)
        }
        "sum" => {
            let mut total = 0.0;
            for n in list(&one_arg(a)?.value)? {
                total += to_num(&n.value)?;
            }
            Value::Number(total)
        }
        "range" => range(a, sp, lim)?,
        // ---- collections ----
        "length" => match &one_arg(a)?.value {
            Value::List(items) => Value::Number(items.len() as f64),
            Value::Object(m) => Value::Number(m.len() as f64),
            Value::String(s) => Value::Number(s.chars().count() as f64),
            other => return Err(not_a("collection", other)),
        },
        "concat" => {
            let mut out = Vec::new();
            for l in a {
                out.extend(list(&l.value)?.iter().cloned());
            }
            charge(lim, out.len())?;
            Value::List(out)
        }
        "merge" => {
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
            Value::Object(out)
        }
        "lookup" => {
            arity(a, 2, 3)?;
            let key = to_str(&a[1].value)?;
            match object(&a[0].value)?.iter().find(|(k, _)| *k == key) {
                Some((_, v)) => v.value.clone(),
                None => match a.get(2) {
                    Some(d) => d.value.clone(),
                    None => return Err(Halt::Err(format!("the map has no key \"{key}\""))),
                },
            }
        }
        "keys" | "values" => {
            let m = pairs(&object_value(&one_arg(a)?.value)?)?;
            Value::List(
                m.into_iter()
                    .map(|(k, v)| if name == "keys" { k } else { v })
                    .collect(),
            )
        }
        "zipmap" => {
            arity(a, 2, 2)?;
            let (ks, vs) = (list(&a[0].value)?, list(&a[1].value)?);
            if ks.len() != vs.len() {
                return Err(Halt::Err("the lists must have the same length".into()));
            }
            let mut out = Vec::new();
            for (k, v) in ks.iter().zip(vs) {
                insert(&mut out, to_str(&k.value)?, v.clone());
            }
            Value::Object(out)
        }
        "element" => {
            arity(a, 2, 2)?;
            let items = list(&a[0].value)?;
            let i = to_int(&a[1].value)?;
            if items.is_empty() || i < 0 {
                return Err(Halt::Err("cannot take an element of an empty list".into()));
            }
            items[(i as usize) % items.len()].value.clone()
        }
        "index" => {
            arity(a, 2, 2)?;
            let mut pending = None;
            for (i, n) in list(&a[0].value)?.iter().enumerate() {
                match equal(&n.value, &a[1].value) {
                    Ok(true) => return Ok(Value::Number(i as f64)),
                    Ok(false) => {}
                    Err(h) => pending = pending.or(Some(h)),
                }
            }
            return Err(pending.unwrap_or_else(|| Halt::Err("the value is not in the list".into())));
        }
        "contains" => {
            arity(a, 2, 2)?;
            let mut pending = None;
            for n in list(&a[0].value)? {
                match equal(&n.value, &a[1].value) {
                    Ok(true) => return Ok(Value::Bool(true)),
                    Ok(false) => {}
                    Err(h) => pending = pending.or(Some(h)),
                }
            }
            return pending.map_or(Ok(Value::Bool(false)), Err);
        }
        "distinct" => Value::List(distinct(list(&one_arg(a)?.value)?.to_vec())?),
        "compact" => {
            let mut out = Vec::new();
            for n in list(&one_arg(a)?.value)? {
                match &n.value {
                    Value::Null => {}
                    Value::String(s) if s.is_empty() => {}
                    v => {
                        to_str(v)?;
                        out.push(n.clone());
                    }
                }
            }
            Value::List(out)
        }
        "flatten" => {
            let mut out = Vec::new();
            flatten(list(&one_arg(a)?.value)?, &mut out, 0)?;
            charge(lim, out.len())?;
            Value::List(out)
        }
        "one" => {
            let items = list(&one_arg(a)?.value)?;
            match items {
                [] => Value::Null,
                [x] => x.value.clone(),
                _ => return Err(Halt::Err("the list has more than one element".into())),
            }
        }
        "coalesce" => {
            for n in a {
                match &n.value {
                    Value::Null => {}
                    Value::String(s) if s.is_empty() => {}
                    Value::Unknown(u) => return Err(Halt::Unknown(u.clone())),
                    v => return Ok(v.clone()),
                }
            }
            return Err(Halt::Err("all arguments are null or empty".into()));
        }
        "coalescelist" => {
            for n in a {
                if !list(&n.value)?.is_empty() {
                    return Ok(n.value.clone());
                }
            }
            return Err(Halt::Err("all arguments are empty lists".into()));
        }
        "slice" => {
            arity(a, 3, 3)?;
            let items = list(&a[0].value)?;
            let (from, to) = (to_int(&a[1].value)?, to_int(&a[2].value)?);
            if from < 0 || to < from || to as usize > items.len() {
                return Err(Halt::Err("the indices are out of range".into()));
            }
            Value::List(items[from as usize..to as usize].to_vec())
        }
        "reverse" => Value::List(list(&one_arg(a)?.value)?.iter().rev().cloned().collect()),
        "sort" => {
            let mut strs = Vec::new();
            for n in list(&one_arg(a)?.value)? {
                strs.push(to_str(&n.value)?);
            }
            strs.sort();
            Value::List(strs.into_iter().map(|s| str_node(s, sp)).collect())
        }
        "alltrue" | "anytrue" => {
            let want = name == "anytrue";
            let mut pending = None;
            for n in list(&one_arg(a)?.value)? {
                match to_bool(&n.value) {
                    Ok(b) if b == want => return Ok(Value::Bool(want)),
                    Ok(_) => {}
                    Err(h) => pending = pending.or(Some(h)),
                }
            }
            return pending.map_or(Ok(Value::Bool(!want)), Err);
        }
        "setunion" | "setintersection" | "setsubtract" => {
            arity(a, 1, usize::MAX)?;
            let mut acc = distinct(list(&a[0].value)?.to_vec())?;
            for other in &a[1..] {
                let other = list(&other.value)?;
                let keys = other
                    .iter()
                    .map(|o| set_key(&o.value))
                    .collect::<Fx<std::collections::HashSet<_>>>()?;
                match name {
                    "setunion" => acc.extend(other.iter().cloned()),
                    _ => {
                        let keep = name == "setintersection";
                        let mut kept = Vec::with_capacity(acc.len());
                        for n in acc {
                            if keys.contains(&set_key(&n.value)?) == keep {
                                kept.push(n);
                            }
                        }
                        acc = kept;
                    }
                }
                acc = distinct(acc)?;
            }
            Value::List(set_order(acc))
        }
        "chunklist" => {
            arity(a, 2, 2)?;
            let items = list(&a[0].value)?;
            let size = to_int(&a[1].value)?;
            if size < 0 {
                return Err(Halt::Err("the chunk size must not be negative".into()));
            }
            if size == 0 {
                Value::List(vec![Node::new(Value::List(items.to_vec()), sp)])
            } else {
                Value::List(
                    items
                        .chunks(size as usize)
                        .map(|c| Node::new(Value::List(c.to_vec()), sp))
                        .collect(),
                )
            }
        }
        // ---- type conversion ----
        "tostring" => match &one_arg(a)?.value {
            Value::Null => Value::Null,
            v => Value::String(to_str(v)?),
        },
        "tonumber" => match &one_arg(a)?.value {
            Value::Null => Value::Null,
            v => Value::Number(to_num(v)?),
        },
        "tobool" => match &one_arg(a)?.value {
            Value::Null => Value::Null,
            v => Value::Bool(to_bool(v)?),
        },
        "tolist" => Value::List(list(&one_arg(a)?.value)?.to_vec()),
        "toset" => Value::List(set_order(distinct(list(&one_arg(a)?.value)?.to_vec())?)),
        "tomap" => Value::Object(object(&one_arg(a)?.value)?.to_vec()),
        "sensitive" | "nonsensitive" => one_arg(a)?.value.clone(),
        // ---- encoding ----
        "jsonencode" => {
            let v = &one_arg(a)?.value;
            if let Some(u) = deep_unknown(v) {
                return Err(Halt::Unknown(u));
            }
            Value::String(CompactString::from(to_json(v, 0)?.to_string()))
        }
        "jsondecode" => {
            let s = s1(a)?;
            let json: serde_json::Value =
                serde_json::from_str(&s).map_err(|e| Halt::Err(format!("invalid JSON: {e}")))?;
            Value::from_json(&json, sp)
        }
        // ---- IP networks ----
        "cidrsubnet" => {
            arity(a, 3, 3)?;
            let net = Cidr::parse(&to_str(&a[0].value)?)?;
            let bits = to_int(&a[1].value)?;
            let num = to_int(&a[2].value)?;
            Value::String(CompactString::from(net.subnet(bits, num)?.to_string()))
        }
        "cidrsubnets" => {
            arity(a, 1, usize::MAX)?;
            let net = Cidr::parse(&to_str(&a[0].value)?)?;
            let mut out = Vec::new();
            let mut next = net.addr;
            for n in &a[1..] {
                let (sub, after) = net.allocate(next, to_int(&n.value)?)?;
                out.push(str_node(CompactString::from(sub.to_string()), sp));
                next = after;
            }
            Value::List(out)
        }
        "cidrhost" => {
            arity(a, 2, 2)?;
            let net = Cidr::parse(&to_str(&a[0].value)?)?;
            Value::String(net.host(to_int(&a[1].value)?)?.into())
        }
        "cidrnetmask" => {
            let net = Cidr::parse(&s1(a)?)?;
            if net.width != 32 {
                return Err(Halt::Err("only IPv4 prefixes have a netmask".into()));
            }
            Value::String(CompactString::from(
                std::net::Ipv4Addr::from(net.mask() as u32).to_string(),
            ))
        }
        // Functions whose result is not static (time, randomness, files outside the scan).
        "timestamp" | "uuid" | "plantimestamp" | "bcrypt" => {
            return Err(Halt::Unknown(Unknown::new(
                format!("{name}()"),
                "changes on every run",
            )))
        }
        _ => {
            return Err(Halt::Unknown(Unknown::new(
                format!("{name}(...)"),
                "uses a function that acrlint does not evaluate",
            )))
        }
    };
    Ok(out)
}

fn arity(a: &[Node], min: usize, max: usize) -> Fx<()> {
    if a.len() < min || a.len() > max {
        return Err(Halt::Err(format!(
            "wrong number of arguments ({} given)",
            a.len()
        )));
    }
    Ok(())
}

fn one_arg(a: &[Node]) -> Fx<&Node> {
    arity(a, 1, 1)?;
    Ok(&a[0])
}

fn s1(a: &[Node]) -> Fx<CompactString> {
    to_str(&one_arg(a)?.value)
}

fn s2(a: &[Node]) -> Fx<(CompactString, CompactString)> {
    arity(a, 2, 2)?;
    Ok((to_str(&a[0].value)?, to_str(&a[1].value)?))
}

fn n1(a: &[Node]) -> Fx<f64> {
    to_num(&one_arg(a)?.value)
}

fn str_node(s: CompactString, span: Option<Span>) -> Node {
    Node::new(Value::String(s), span)
}

fn charge(lim: &mut Limits, n: usize) -> Fx<()> {
    if lim.charge(n as u64) {
        Ok(())
    } else {
        Err(Halt::Err(budget_message()))
    }
}

fn not_a(what: &str, v: &Value) -> Halt {
    shallow_unknown(v).map_or_else(
        || Halt::Err(format!("expected a {what}, found a {}", v.type_name())),
        Halt::Unknown,
    )
}

fn list(v: &Value) -> Fx<&[Node]> {
    match v {
        Value::List(items) => Ok(items),
        other => Err(not_a("list", other)),
    }
}

fn object(v: &Value) -> Fx<&[(CompactString, Node)]> {
    match v {
        Value::Object(m) => Ok(m),
        other => Err(not_a("map", other)),
    }
}

fn object_value(v: &Value) -> Fx<Value> {
    object(v).map(|m| Value::Object(m.to_vec()))
}

/// A key that is equal for equal known values, so set operations hash instead of comparing
/// every pair.
pub(super) fn set_key(v: &Value) -> Fx<String> {
    if let Some(u) = deep_unknown(v) {
        return Err(Halt::Unknown(u));
    }
    Ok(match v {
        Value::String(s) => format!("s{s}"),
        other => format!("j{}", to_json(other, 0)?),
    })
}

fn distinct(items: Vec<Node>) -> Fx<Vec<Node>> {
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
fn set_order(mut items: Vec<Node>) -> Vec<Node> {
    if items.iter().all(|n| matches!(n.value, Value::String(_))) {
        items.sort_by(|a, b| a.value.as_str().cmp(&b.value.as_str()));
    }
    items
}

fn flatten(items: &[Node], out: &mut Vec<Node>, depth: usize) -> Fx<()> {
    if depth > 64 {
        return Err(Halt::Err("the list is nested too deeply".into()));
    }
    for n in items {
        match &n.value {
            Value::List(inner) => flatten(inner, out, depth + 1)?,
            Value::Unknown(u) => return Err(Halt::Unknown(u.clone())),
            _ => out.push(n.clone()),
        }
    }
    Ok(())
}

fn range(a: &[Node], sp: Option<Span>, lim: &mut Limits) -> Fx<Value> {
    arity(a, 1, 3)?;
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

fn regex(pattern: &str) -> Fx<regex::Regex> {
    regex::RegexBuilder::new(pattern)
        .size_limit(REGEX_SIZE_LIMIT)
        .build()
        .map_err(|e| Halt::Err(format!("invalid regular expression: {e}")))
}

/// A match as Terraform returns it: the matched text without groups, a list for unnamed groups,
/// an object for named groups.
fn captures(re: &regex::Regex, c: &regex::Captures, sp: Option<Span>) -> Value {
    let text = |m: Option<regex::Match>| match m {
        Some(m) => str_node(CompactString::from(m.as_str()), sp),
        None => Node::new(Value::Null, sp),
    };
    if c.len() == 1 {
        return Value::String(CompactString::from(c.get(0).map_or("", |m| m.as_str())));
    }
    if re.capture_names().flatten().next().is_some() {
        Value::Object(
            re.capture_names()
                .flatten()
                .map(|n| (n.into(), text(c.name(n))))
                .collect(),
        )
    } else {
        Value::List((1..c.len()).map(|i| text(c.get(i))).collect())
    }
}

fn to_json(v: &Value, depth: usize) -> Fx<serde_json::Value> {
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

/// Upper-case the first letter of each word, leaving the rest as written (Go's strings.Title).
fn title(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_word = false;
    for c in s.chars() {
        if in_word {
            out.push(c);
        } else {
            out.extend(c.to_uppercase());
        }
        in_word = c.is_alphanumeric() || c == '_';
    }
    out
}

fn formatlist(a: &[Node], sp: Option<Span>, lim: &mut Limits) -> Fx<Value> {
    arity(a, 1, usize::MAX)?;
    let fmt = to_str(&a[0].value)?;
    let mut len: Option<usize> = None;
    for n in &a[1..] {
        if let Value::List(items) = &n.value {
            if len.is_some_and(|l| l != items.len()) {
                return Err(Halt::Err("the lists must have the same length".into()));
            }
            len = Some(items.len());
        } else if let Some(u) = shallow_unknown(&n.value) {
            return Err(Halt::Unknown(u));
        }
    }
    let len = len.unwrap_or(1);
    charge(lim, len)?;
    let mut out = Vec::with_capacity(len);
    for i in 0..len {
        let row: Vec<Node> = a[1..]
            .iter()
            .map(|n| match &n.value {
                Value::List(items) => items[i].clone(),
                _ => n.clone(),
            })
            .collect();
        out.push(str_node(format(&fmt, &row)?.into(), sp));
    }
    Ok(Value::List(out))
}

/// Go-style `format` verbs as Terraform supports them: `%s %d %f %g %e %t %v %q %x %X %o %b %%`,
/// with flags, width, precision and `%[n]` argument indexes.
fn format(fmt: &str, args: &[Node]) -> Fx<String> {
    let mut out = String::new();
    let mut chars = fmt.chars().peekable();
    let mut next_arg = 0usize;
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        if chars.peek() == Some(&'%') {
            chars.next();
            out.push('%');
            continue;
        }
        let mut flags = String::new();
        while let Some(&f) = chars.peek() {
            if "-+ 0#".contains(f) {
                flags.push(f);
                chars.next();
            } else {
                break;
            }
        }
        if chars.peek() == Some(&'[') {
            chars.next();
            let digits: String = chars.by_ref().take_while(|c| *c != ']').collect();
            let n: usize = digits
                .parse()
                .map_err(|_| Halt::Err("invalid argument index".into()))?;
            next_arg = n
                .checked_sub(1)
                .ok_or_else(|| Halt::Err("invalid argument index".into()))?;
        }
        let width = digits(&mut chars);
        let precision = if chars.peek() == Some(&'.') {
            chars.next();
            Some(digits(&mut chars).unwrap_or(0))
        } else {
            None
        };
        let verb = chars
            .next()
            .ok_or_else(|| Halt::Err("the format ends inside a verb".into()))?;
        let arg = args
            .get(next_arg)
            .ok_or_else(|| Halt::Err("not enough arguments for the format".into()))?;
        next_arg += 1;
        let v = &arg.value;
        if let Some(u) = deep_unknown(v) {
            return Err(Halt::Unknown(u));
        }
        let numeric = matches!(verb, 'd' | 'f' | 'g' | 'e' | 'x' | 'X' | 'o' | 'b');
        let mut text = match verb {
            's' => {
                let s = to_str(v)?;
                match precision {
                    Some(p) => s.chars().take(p).collect(),
                    None => s.into(),
                }
            }
            'v' => match v {
                Value::List(_) | Value::Object(_) => to_json(v, 0)?.to_string(),
                _ => to_str(v)?.into(),
            },
            'q' => serde_json::Value::String(to_str(v)?.into()).to_string(),
            't' => to_bool(v)?.to_string(),
            'd' => to_int(v)?.to_string(),
            'f' => format!("{:.*}", precision.unwrap_or(6), to_num(v)?),
            'e' => format!("{:.*e}", precision.unwrap_or(6), to_num(v)?),
            'g' => fmt_num(to_num(v)?),
            'x' => format!("{:x}", to_int(v)?),
            'X' => format!("{:X}", to_int(v)?),
            'o' => format!("{:o}", to_int(v)?),
            'b' => format!("{:b}", to_int(v)?),
            other => return Err(Halt::Err(format!("unsupported format verb %{other}"))),
        };
        if numeric && flags.contains('+') && !text.starts_with('-') {
            text.insert(0, '+');
        }
        if let Some(w) = width {
            let len = text.chars().count();
            if len < w {
                let pad = w - len;
                if flags.contains('-') {
                    text.push_str(&" ".repeat(pad));
                } else if flags.contains('0') && numeric {
                    let sign = if text.starts_with(['-', '+']) { 1 } else { 0 };
                    text.insert_str(sign, &"0".repeat(pad));
                } else {
                    text.insert_str(0, &" ".repeat(pad));
                }
            }
        }
        out.push_str(&text);
    }
    Ok(out)
}

fn digits(chars: &mut std::iter::Peekable<std::str::Chars>) -> Option<usize> {
    let mut s = String::new();
    while let Some(&d) = chars.peek() {
        if d.is_ascii_digit() && s.len() < 6 {
            s.push(d);
            chars.next();
        } else {
            break;
        }
    }
    s.parse().ok()
}

/// An IPv4 or IPv6 prefix, as an integer address and a prefix length.
struct Cidr {
    addr: u128,
    len: u32,
    /// 32 or 128.
    width: u32,
}

impl Cidr {
    fn parse(s: &str) -> Fx<Cidr> {
        let bad = || Halt::Err(format!("\"{s}\" is not a CIDR prefix"));
        let (ip, len) = s.split_once('/').ok_or_else(bad)?;
        let len: u32 = len.parse().map_err(|_| bad())?;
        let (addr, width) = match ip.parse::<std::net::IpAddr>().map_err(|_| bad())? {
            std::net::IpAddr::V4(v4) => (u32::from(v4) as u128, 32),
            std::net::IpAddr::V6(v6) => (u128::from(v6), 128),
        };
        if len > width {
            return Err(bad());
        }
        let net = Cidr { addr, len, width };
        Ok(Cidr {
            addr: addr & net.mask(),
            ..net
        })
    }

    fn mask(&self) -> u128 {
        let all = if self.width == 32 {
            u32::MAX as u128
        } else {
            u128::MAX
        };
        let host_bits = self.width - self.len;
        if host_bits >= 128 {
            0
        } else {
            all & !((1u128 << host_bits) - 1)
        }
    }

    fn format(&self, addr: u128) -> String {
        if self.width == 32 {
            std::net::Ipv4Addr::from(addr as u32).to_string()
        } else {
            std::net::Ipv6Addr::from(addr).to_string()
        }
    }

    fn subnet(&self, newbits: i64, num: i64) -> Fx<CidrText> {
        let new_len = self.len as i64 + newbits;
        if newbits < 0 || new_len > self.width as i64 {
            return Err(Halt::Err(format!(
                "cannot extend the prefix by {newbits} bits"
            )));
        }
        // The limit in u128: `1i64 << 63` would be negative and reject every number.
        let too_big = 1u128
            .checked_shl(newbits as u32)
            .is_some_and(|limit| num as u128 >= limit);
        if num < 0 || too_big {
            return Err(Halt::Err(format!(
                "network number {num} does not fit in {newbits} bits"
            )));
        }
        let shift = self.width - new_len as u32;
        let addr = self.addr | ((num as u128).checked_shl(shift).unwrap_or(0));
        Ok(CidrText(self.format(addr), new_len as u32))
    }

    /// `cidrsubnets`: the next free, aligned block of `newbits` after `next`.
    fn allocate(&self, next: u128, newbits: i64) -> Fx<(CidrText, u128)> {
        let new_len = self.len as i64 + newbits;
        if newbits < 1 || new_len > self.width as i64 {
            return Err(Halt::Err(format!(
                "cannot extend the prefix by {newbits} bits"
            )));
        }
        let size = 1u128
            .checked_shl(self.width - new_len as u32)
            .ok_or_else(|| Halt::Err("the prefix is too large".into()))?;
        let start = next.div_ceil(size).saturating_mul(size);
        let end_of_net = self.addr
            | !self.mask()
                & (if self.width == 32 {
                    u32::MAX as u128
                } else {
                    u128::MAX
                });
        if start < next || start > end_of_net || end_of_net - start < size - 1 {
            return Err(Halt::Err("not enough address space left".into()));
        }
        Ok((
            CidrText(self.format(start), new_len as u32),
            start.saturating_add(size),
        ))
    }

    fn host(&self, num: i64) -> Fx<String> {
        let host_bits = self.width - self.len;
        let size: i128 = if host_bits >= 127 {
            i128::MAX
        } else {
            1i128 << host_bits
        };
        let offset = if num < 0 {
            size + num as i128
        } else {
            num as i128
        };
        if offset < 0 || offset >= size {
            return Err(Halt::Err(format!("host number {num} is out of range")));
        }
        Ok(self.format(self.addr + offset as u128))
    }
}

struct CidrText(String, u32);

impl std::fmt::Display for CidrText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.0, self.1)
    }
}
