//! Array and object functions, with those that take strings too (`contains`, `length`,
//! `take`, ...), and the lambda functions (`map`, `filter`, `reduce`, `toObject`).

use super::helpers::{
    as_int, bad, derived, display, display_into, equal, int, node, obj, s, set_member,
};
use super::Call;
use crate::resolve::arm::{eval, Adds, Expr, Layer, MAX_VALUE_LEN};
use crate::value::{Node, Value};
use compact_str::CompactString;

/// Largest `range()` accepted.
const MAX_RANGE: i64 = 10_000;

pub(super) fn create_array(c: &Call, args: &[Expr]) -> Value {
    Value::List(args.iter().map(|a| node(c.eval(a))).collect())
}

pub(super) fn create_object(c: &Call, args: &[Expr]) -> Value {
    if !args.len().is_multiple_of(2) {
        return c.bad("needs key and value pairs");
    }
    let mut members: Vec<(CompactString, Node)> = Vec::new();
    for pair in args.chunks_exact(2) {
        match c.eval(&pair[0]) {
            Value::String(k) => {
                let v = c.eval(&pair[1]);
                set_member(&mut members, &k, node(v));
            }
            Value::Unknown(u) => return Value::Unknown(u),
            Value::Symbolic(_) => return c.bad("has a key known only at deployment"),
            other => return c.bad(format!("has a {} key, not a string", other.type_name())),
        }
    }
    Value::Object(members)
}

pub(super) fn map(c: &Call, args: &[Expr]) -> Value {
    lambdas("map", c, args)
}

pub(super) fn filter(c: &Call, args: &[Expr]) -> Value {
    lambdas("filter", c, args)
}

pub(super) fn reduce(c: &Call, args: &[Expr]) -> Value {
    lambdas("reduce", c, args)
}

pub(super) fn to_object(c: &Call, args: &[Expr]) -> Value {
    lambdas("toobject", c, args)
}

/// Checks its array, and then is not evaluated.
pub(super) fn sort(c: &Call, args: &[Expr]) -> Value {
    lambdas("sort", c, args)
}

pub(super) fn lambda_variables(c: &Call, v: &[Value]) -> Value {
    match v {
        [Value::String(n)] => c
            .env
            .lambda_variable(n)
            .unwrap_or_else(|| c.bad("is used outside a lambda")),
        _ => c.reject(v),
    }
}

/// `lambda('a', 'b', body)`: the parameter names and the body.
fn lambda_parts<'e, 's>(e: &'e Expr<'s>) -> Option<(Vec<String>, &'e Expr<'s>)> {
    let Expr::Call { name, args, .. } = e else {
        return None;
    };
    if !name.eq_ignore_ascii_case("lambda") {
        return None;
    }
    let (body, params) = args.split_last()?;
    let names = params
        .iter()
        .map(|p| match p {
            Expr::Str(n) => Some(n.to_string()),
            _ => None,
        })
        .collect::<Option<Vec<_>>>()?;
    Some((names, body))
}

fn apply(lambda: &(Vec<String>, &Expr), values: Vec<Value>, c: &Call) -> Value {
    let vars = lambda.0.iter().cloned().zip(values).collect();
    let inner = Layer {
        parent: c.env,
        adds: Adds::LambdaVariables(vars),
    };
    eval(lambda.1, c.src, &inner)
}

/// `map`, `filter`, `reduce`, `toObject` and `sort` (`f`, in lower case).
fn lambdas(f: &str, c: &Call, args: &[Expr]) -> Value {
    let Some(first) = args.first() else {
        return c.bad("needs arguments");
    };
    let input = match c.eval(first) {
        Value::Unknown(u) => return Value::Unknown(u),
        v => v,
    };
    let Value::List(items) = input else {
        return c.bad(format!("needs an array, not a {}", input.type_name()));
    };
    let items: Vec<Value> = items.into_iter().map(|n| n.value).collect();
    let lambda_at = |i: usize| args.get(i).and_then(lambda_parts);
    match f {
        "map" | "filter" => {
            let Some(l) = lambda_at(1) else {
                return c.bad("needs a lambda");
            };
            let mut out = Vec::new();
            for (i, item) in items.into_iter().enumerate() {
                let r = apply(&l, vec![item.clone(), int(i as i64)], c);
                if f == "map" {
                    out.push(node(r));
                } else {
                    match r {
                        Value::Bool(true) => out.push(node(item)),
                        Value::Bool(false) => {}
                        Value::Unknown(u) => return Value::Unknown(u),
                        _ => return c.bad("has a filter lambda that is not boolean"),
                    }
                }
            }
            Value::List(out)
        }
        "reduce" => {
            let (Some(init), Some(l)) = (args.get(1), lambda_at(2)) else {
                return c.bad("needs an initial value and a lambda");
            };
            let mut acc = c.eval(init);
            for (i, item) in items.into_iter().enumerate() {
                if let Value::Unknown(u) = acc {
                    return Value::Unknown(u);
                }
                acc = apply(&l, vec![acc, item, int(i as i64)], c);
            }
            acc
        }
        "toobject" => {
            let Some(key) = lambda_at(1) else {
                return c.bad("needs a key lambda");
            };
            let value = lambda_at(2);
            let mut out = Vec::new();
            for item in items {
                let k = match apply(&key, vec![item.clone()], c) {
                    Value::String(k) => k,
                    Value::Unknown(u) => return Value::Unknown(u),
                    _ => return c.bad("has a key lambda that does not return a string"),
                };
                let v = match &value {
                    Some(l) => apply(l, vec![item], c),
                    None => item,
                };
                set_member(&mut out, &k, node(v));
            }
            Value::Object(out)
        }
        _ => c.bad(format!("uses '{f}', which acrlint does not evaluate")),
    }
}

pub(super) fn concat(c: &Call, values: &[Value]) -> Value {
    if values
        .iter()
        .all(|v| matches!(v, Value::List(_) | Value::Null))
        && !values.is_empty()
    {
        let mut out = Vec::new();
        for v in values {
            if let Value::List(items) = v {
                out.extend(items.iter().cloned());
            }
        }
        return Value::List(out);
    }
    let mut out = String::new();
    for v in values {
        match v {
            Value::List(_) | Value::Object(_) => {
                return c.bad("mixes arrays and strings, which ARM rejects")
            }
            other => {
                if display_into(&mut out, other).is_none() {
                    return c.bad("has an argument that is not known");
                }
            }
        }
        if out.len() > MAX_VALUE_LEN {
            break;
        }
    }
    s(out)
}

pub(super) fn index_of(c: &Call, v: &[Value]) -> Value {
    match v {
        [a, b] => index_in(a, b, false, c.text),
        _ => c.reject(v),
    }
}

pub(super) fn last_index_of(c: &Call, v: &[Value]) -> Value {
    match v {
        [a, b] => index_in(a, b, true, c.text),
        _ => c.reject(v),
    }
}

pub(super) fn contains(c: &Call, v: &[Value]) -> Value {
    match v {
        [container, item] => contains_in(container, item, c.text),
        _ => c.reject(v),
    }
}

pub(super) fn empty(c: &Call, v: &[Value]) -> Value {
    match v {
        [x] => match x {
            Value::Null => Value::Bool(true),
            Value::String(x) => Value::Bool(x.is_empty()),
            // DeploymentScope names, hashes and GUIDs are never empty.
            Value::Symbolic(_) => Value::Bool(false),
            Value::List(x) => Value::Bool(x.is_empty()),
            Value::Object(x) => Value::Bool(x.is_empty()),
            _ => c.bad(format!("cannot test a {} for emptiness", x.type_name())),
        },
        _ => c.reject(v),
    }
}

pub(super) fn length(c: &Call, v: &[Value]) -> Value {
    match v {
        [x] => match x {
            Value::String(x) => int(x.encode_utf16().count() as i64),
            // Of text known only at deployment, a deployment-time number: the same call is the
            // same number (`substring(name, 0, min(length(name), 24))`, the naming idiom).
            Value::Symbolic(x) => match x.utf16_len() {
                Some(n) => int(n as i64),
                None => super::helpers::derived(c.name, x, &[]),
            },
            Value::List(x) => int(x.len() as i64),
            Value::Object(x) => int(x.len() as i64),
            _ => c.bad(format!("cannot take the length of a {}", x.type_name())),
        },
        _ => c.reject(v),
    }
}

pub(super) fn first(c: &Call, v: &[Value]) -> Value {
    match v {
        [x] => first_last(x, true, c.text),
        _ => c.reject(v),
    }
}

pub(super) fn last(c: &Call, v: &[Value]) -> Value {
    match v {
        [x] => first_last(x, false, c.text),
        _ => c.reject(v),
    }
}

pub(super) fn take(c: &Call, v: &[Value]) -> Value {
    match v {
        [x, n] => take_skip(x, n, true, c.text),
        _ => c.reject(v),
    }
}

pub(super) fn skip(c: &Call, v: &[Value]) -> Value {
    match v {
        [x, n] => take_skip(x, n, false, c.text),
        _ => c.reject(v),
    }
}

pub(super) fn array(c: &Call, v: &[Value]) -> Value {
    match v {
        [x @ Value::List(_)] => x.clone(),
        [other] => Value::List(vec![node(other.clone())]),
        _ => c.reject(v),
    }
}

pub(super) fn flatten(c: &Call, v: &[Value]) -> Value {
    let [Value::List(items)] = v else {
        return c.reject(v);
    };
    let mut out = Vec::new();
    for n in items {
        match &n.value {
            Value::List(inner) => out.extend(inner.iter().cloned()),
            _ => return c.bad("flattens an array whose elements are not all arrays"),
        }
    }
    Value::List(out)
}

pub(super) fn object_keys(c: &Call, v: &[Value]) -> Value {
    match v {
        [Value::Object(m)] => Value::List(m.iter().map(|(k, _)| node(s(k.clone()))).collect()),
        _ => c.reject(v),
    }
}

pub(super) fn items(c: &Call, v: &[Value]) -> Value {
    match v {
        [Value::Object(m)] => Value::List(
            m.iter()
                .map(|(k, v)| node(obj(vec![("key", s(k.clone())), ("value", v.value.clone())])))
                .collect(),
        ),
        _ => c.reject(v),
    }
}

pub(super) fn shallow_merge(c: &Call, v: &[Value]) -> Value {
    let [Value::List(items)] = v else {
        return c.reject(v);
    };
    let mut out: Vec<(CompactString, Node)> = Vec::new();
    for n in items {
        let Value::Object(m) = &n.value else {
            return c.bad("merges an array whose elements are not all objects");
        };
        for (k, v) in m {
            set_member(&mut out, k, v.clone());
        }
    }
    Value::Object(out)
}

pub(super) fn null(_: &Call, _: &[Value]) -> Value {
    Value::Null
}

pub(super) fn range(c: &Call, v: &[Value]) -> Value {
    let [a, b] = v else {
        return c.reject(v);
    };
    match (as_int(a), as_int(b)) {
        (Some(start), Some(count)) if (0..=MAX_RANGE).contains(&count) => {
            Value::List((start..start + count).map(|i| node(int(i))).collect())
        }
        _ => c.bad(format!("needs integers and a count of at most {MAX_RANGE}")),
    }
}

pub(super) fn index_from_end(c: &Call, v: &[Value]) -> Value {
    from_end(false, c, v)
}

pub(super) fn try_index_from_end(c: &Call, v: &[Value]) -> Value {
    from_end(true, c, v)
}

/// `indexFromEnd` and `tryIndexFromEnd` (null instead of an error when out of range).
fn from_end(try_: bool, c: &Call, v: &[Value]) -> Value {
    let [Value::List(items), n] = v else {
        return c.reject(v);
    };
    match as_int(n) {
        Some(k) if k >= 1 && (k as usize) <= items.len() => {
            items[items.len() - k as usize].value.clone()
        }
        _ if try_ => Value::Null,
        _ => c.bad("index from end is out of range"),
    }
}

fn index_in(a: &Value, b: &Value, last: bool, text: &str) -> Value {
    match (a, b) {
        (Value::Symbolic(_), _) | (_, Value::Symbolic(_)) => {
            bad(text, "searches a value known only at deployment time")
        }
        (Value::String(x), Value::String(y)) => {
            let (x, y) = (x.as_str().to_lowercase(), y.as_str().to_lowercase());
            let found = if last { x.rfind(&y) } else { x.find(&y) };
            match found {
                Some(i) => int(x[..i].encode_utf16().count() as i64),
                None => int(-1),
            }
        }
        (Value::List(items), item) => {
            let mut result = int(-1);
            let order: Box<dyn Iterator<Item = (usize, &Node)>> = if last {
                Box::new(items.iter().enumerate().rev())
            } else {
                Box::new(items.iter().enumerate())
            };
            for (i, n) in order {
                match equal(&n.value, item) {
                    Some(true) => return int(i as i64),
                    None => result = bad(text, "searches an array with unknown elements"),
                    Some(false) => {}
                }
            }
            result
        }
        _ => bad(text, "needs a string or an array"),
    }
}

/// `contains`: substring test is case-sensitive; object keys case-insensitive.
fn contains_in(c: &Value, item: &Value, text: &str) -> Value {
    match c {
        Value::String(x) => {
            let Some(needle) = display(item) else {
                return bad(text, "has an unknown argument");
            };
            if matches!(item, Value::Symbolic(_)) {
                bad(text, "searches for a value known only at deployment time")
            } else {
                Value::Bool(x.contains(&needle))
            }
        }
        Value::List(items) => {
            let mut result = Value::Bool(false);
            for n in items {
                match equal(&n.value, item) {
                    Some(true) => return Value::Bool(true),
                    None => result = bad(text, "searches an array with unknown elements"),
                    Some(false) => {}
                }
            }
            result
        }
        Value::Object(members) => match item {
            Value::String(k) => Value::Bool(members.iter().any(|(m, _)| m.eq_ignore_ascii_case(k))),
            _ => bad(text, "looks for a key that is not a string"),
        },
        Value::Symbolic(_) => bad(text, "searches a value known only at deployment time"),
        _ => bad(text, format!("cannot search a {}", c.type_name())),
    }
}

fn first_last(v: &Value, first: bool, text: &str) -> Value {
    match v {
        // The same element of the same deployment-time text or split input, wherever read.
        Value::Symbolic(x) => derived(if first { "first" } else { "last" }, x, &[]),
        Value::String(x) => {
            let c = if first {
                x.chars().next()
            } else {
                x.chars().last()
            };
            s(c.map(String::from).unwrap_or_default())
        }
        Value::List(items) => {
            let n = if first { items.first() } else { items.last() };
            n.map(|n| n.value.clone()).unwrap_or(Value::Null)
        }
        _ => bad(
            text,
            format!("cannot take an element of a {}", v.type_name()),
        ),
    }
}

fn take_skip(v: &Value, n: &Value, take: bool, text: &str) -> Value {
    let Some(n) = as_int(n) else {
        return bad(text, "has a count that is not an integer");
    };
    let n = n.max(0) as usize;
    match v {
        Value::Symbolic(x) => derived(if take { "take" } else { "skip" }, x, &[n.to_string()]),
        Value::String(x) => {
            let chars = x.chars();
            s(if take {
                chars.take(n).collect::<String>()
            } else {
                chars.skip(n).collect::<String>()
            })
        }
        Value::List(items) => {
            let n = n.min(items.len());
            Value::List(if take {
                items[..n].to_vec()
            } else {
                items[n..].to_vec()
            })
        }
        _ => bad(
            text,
            format!("cannot take or skip elements of a {}", v.type_name()),
        ),
    }
}

/// Union of arrays (distinct elements, in order) or objects (merged recursively, later wins).
pub(super) fn union(c: &Call, values: &[Value]) -> Value {
    let values: Vec<&Value> = values
        .iter()
        .filter(|v| !matches!(v, Value::Null))
        .collect();
    if values.iter().all(|v| matches!(v, Value::List(_))) {
        let mut out: Vec<Node> = Vec::new();
        for v in values {
            if let Value::List(items) = v {
                for item in items {
                    match out
                        .iter()
                        .map(|o| equal(&o.value, &item.value))
                        .find(|r| *r != Some(false))
                    {
                        Some(Some(true)) => {}
                        Some(None) => return c.bad("merges arrays with unknown elements"),
                        _ => out.push(item.clone()),
                    }
                }
            }
        }
        return Value::List(out);
    }
    if values.iter().all(|v| matches!(v, Value::Object(_))) {
        let mut out: Vec<(CompactString, Node)> = Vec::new();
        for v in values {
            if let Value::Object(members) = v {
                for (k, n) in members {
                    merge_member(&mut out, k.clone(), n.clone());
                }
            }
        }
        return Value::Object(out);
    }
    c.bad("mixes arrays and objects")
}

fn merge_member(out: &mut Vec<(CompactString, Node)>, key: CompactString, value: Node) {
    match out.iter_mut().find(|(k, _)| k.eq_ignore_ascii_case(&key)) {
        Some((_, existing)) => match (&mut existing.value, value.value) {
            (Value::Object(a), Value::Object(b)) => {
                for (k, n) in b {
                    merge_member(a, k, n);
                }
            }
            (_, v) => *existing = node(v),
        },
        None => out.push((key, value)),
    }
}

pub(super) fn intersection(c: &Call, values: &[Value]) -> Value {
    let Some((first, rest)) = values.split_first() else {
        return c.bad("needs arguments");
    };
    match first {
        Value::List(items) => {
            let mut out = Vec::new();
            for item in items {
                let mut keep = true;
                for other in rest {
                    match contains_in(other, &item.value, c.text) {
                        Value::Bool(true) => {}
                        Value::Bool(false) => keep = false,
                        u => return u,
                    }
                }
                if keep
                    && !out
                        .iter()
                        .any(|o: &Node| equal(&o.value, &item.value) == Some(true))
                {
                    out.push(item.clone());
                }
            }
            Value::List(out)
        }
        Value::Object(members) => {
            let mut out = Vec::new();
            for (k, n) in members {
                let mut keep = true;
                for other in rest {
                    match other.get(k).map(|o| equal(&o.value, &n.value)) {
                        Some(Some(true)) => {}
                        Some(None) => return c.bad("compares objects with unknown values"),
                        _ => keep = false,
                    }
                }
                if keep {
                    out.push((k.clone(), n.clone()));
                }
            }
            Value::Object(out)
        }
        _ => c.bad("needs arrays or objects"),
    }
}

/// `tryGet(value, key, ...)`: null when a key or index is missing.
pub(super) fn try_get(c: &Call, v: &[Value]) -> Value {
    let [first, keys @ ..] = v else {
        return c.reject(v);
    };
    let mut current = first.clone();
    for k in keys {
        current = match (current, k) {
            (Value::Null, _) => return Value::Null,
            (Value::Object(m), Value::String(k)) => match Value::Object(m).get(k) {
                Some(n) => n.value.clone(),
                None => return Value::Null,
            },
            (Value::List(items), Value::Number(n)) => {
                match (n.fract() == 0.0 && *n >= 0.0)
                    .then(|| items.get(*n as usize))
                    .flatten()
                {
                    Some(n) => n.value.clone(),
                    None => return Value::Null,
                }
            }
            (Value::Unknown(u), _) => return Value::Unknown(u),
            _ => return Value::Null,
        };
    }
    current
}
