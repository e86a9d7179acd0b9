//! The template functions (reference, section 7.2).

use super::{eval, unknown, Env, Expr, Limits, Scope};
use crate::resolve::unique_string;
use crate::symbolic::{self, Symbolic};
use crate::value::{Node, Unknown, Value};
use compact_str::CompactString;

/// Longest `depends_on` text quoted from an expression.
const MAX_QUOTE: usize = 160;
/// Largest `range()` accepted.
const MAX_RANGE: i64 = 10_000;

fn node(v: Value) -> Node {
    Node::new(v, None)
}

/// A string result: symbolic when it holds a deployment-time term.
fn s(v: impl Into<CompactString>) -> Value {
    Value::text(v)
}

/// A deployment-time term (`resourceGroup().location`).
fn term(expr: &str) -> Value {
    Value::Symbolic(Symbolic::term(expr))
}

/// What a function of a symbolic text returns when it keeps identity without knowing the text:
/// the call as a term, with the text shown as written (`substring('acr{...}', 0, 5)`).
fn derived(f: &str, x: &Symbolic, rest: &[String]) -> Value {
    let mut expr = format!("{f}('{x}'");
    for r in rest {
        expr.push_str(", ");
        expr.push_str(r);
    }
    expr.push(')');
    term(&expr)
}

fn obj(members: Vec<(&str, Value)>) -> Value {
    Value::Object(
        members
            .into_iter()
            .map(|(k, v)| (k.into(), node(v)))
            .collect(),
    )
}

/// The call as written, shortened for messages.
fn quote(text: &str) -> String {
    if text.chars().count() <= MAX_QUOTE {
        return text.to_string();
    }
    let mut q: String = text.chars().take(MAX_QUOTE).collect();
    q.push_str("...");
    q
}

/// An error in a call: the call is unknown, with the reason.
fn bad(call: &str, reason: impl Into<String>) -> Value {
    unknown(quote(call), reason)
}

pub(super) fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e17 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// A value as text, the way `format`, `concat` and `string` render it.
fn display(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.to_string()),
        Value::Symbolic(s) => Some(s.encoded().to_string()),
        _ => {
            let mut out = String::new();
            display_into(&mut out, v)?;
            Some(out)
        }
    }
}

/// [`display`] appended to `out` (unchanged when `None`).
fn display_into(out: &mut String, v: &Value) -> Option<()> {
    match v {
        Value::String(s) => out.push_str(s),
        Value::Symbolic(s) => out.push_str(s.encoded()),
        Value::Number(n) => out.push_str(&number_text(*n)),
        Value::Bool(b) => out.push_str(if *b { "True" } else { "False" }),
        Value::Null => {}
        Value::List(_) | Value::Object(_) => out.push_str(&to_json(v)?),
        Value::Ref(_) | Value::Unknown(_) => return None,
    }
    Some(())
}

/// Compact JSON text of a value; `None` if any part is unknown.
fn to_json(v: &Value) -> Option<String> {
    Some(match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => number_text(*n),
        Value::String(s) => serde_json::to_string(s.as_str()).ok()?,
        Value::Symbolic(s) => serde_json::to_string(s.encoded()).ok()?,
        Value::List(items) => {
            let parts: Option<Vec<String>> = items.iter().map(|n| to_json(&n.value)).collect();
            format!("[{}]", parts?.join(","))
        }
        Value::Object(members) => {
            let parts: Option<Vec<String>> = members
                .iter()
                .map(|(k, n)| {
                    Some(format!(
                        "{}:{}",
                        serde_json::to_string(k.as_str()).ok()?,
                        to_json(&n.value)?
                    ))
                })
                .collect();
            format!("{{{}}}", parts?.join(","))
        }
        Value::Ref(_) | Value::Unknown(_) => return None,
    })
}

/// Deep equality; `None` when it depends on something unknown, or on deployment-time values
/// that may or may not turn out equal.
pub(super) fn equal(a: &Value, b: &Value) -> Option<bool> {
    match (a, b) {
        (Value::Unknown(_), _)
        | (_, Value::Unknown(_))
        | (Value::Ref(_), _)
        | (_, Value::Ref(_)) => None,
        (Value::String(x), Value::String(y)) => Some(x == y),
        (Value::Symbolic(_), Value::String(_) | Value::Symbolic(_))
        | (Value::String(_), Value::Symbolic(_)) => {
            let (x, y) = (a.as_str()?, b.as_str()?);
            if x == y {
                Some(true)
            } else if symbolic::may_equal(x, y) {
                None
            } else {
                Some(false)
            }
        }
        (Value::Number(x), Value::Number(y)) => Some(x == y),
        (Value::Bool(x), Value::Bool(y)) => Some(x == y),
        (Value::Null, Value::Null) => Some(true),
        (Value::List(x), Value::List(y)) => {
            if x.len() != y.len() {
                return Some(false);
            }
            let mut result = Some(true);
            for (p, q) in x.iter().zip(y) {
                match equal(&p.value, &q.value) {
                    Some(false) => return Some(false),
                    None => result = None,
                    Some(true) => {}
                }
            }
            result
        }
        (Value::Object(x), Value::Object(y)) => {
            if x.len() != y.len() {
                return Some(false);
            }
            let mut result = Some(true);
            for (k, p) in x {
                let Some(q) = b.get(k) else {
                    return Some(false);
                };
                match equal(&p.value, &q.value) {
                    Some(false) => return Some(false),
                    None => result = None,
                    Some(true) => {}
                }
            }
            result
        }
        _ => Some(false),
    }
}

fn as_int(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) if n.fract() == 0.0 && n.abs() < 9.0e15 => Some(*n as i64),
        _ => None,
    }
}

fn int(n: i64) -> Value {
    Value::Number(n as f64)
}

/// Evaluate every argument; the first unknown one makes the call unknown.
fn eval_args(args: &[Expr], src: &str, env: &dyn Env) -> Result<Vec<Value>, Value> {
    let mut out = Vec::with_capacity(args.len());
    for a in args {
        match eval(a, src, env) {
            Value::Unknown(u) => return Err(Value::Unknown(u)),
            v => out.push(v),
        }
    }
    Ok(out)
}

pub(super) fn call(name: &str, args: &[Expr], text: &str, src: &str, env: &dyn Env) -> Value {
    super::with_ascii_lower(name, |lower| call_lower(name, lower, args, text, src, env))
}

/// `call` with the function name also in lower case.
fn call_lower(
    name: &str,
    lower: &str,
    args: &[Expr],
    text: &str,
    src: &str,
    env: &dyn Env,
) -> Value {
    // Functions that decide on some arguments without evaluating (or needing) all of them.
    match lower {
        "if" => return if_(args, text, src, env),
        "coalesce" => return coalesce(args, src, env),
        "and" | "or" => return and_or(lower == "and", args, text, src, env),
        "createarray" => {
            return Value::List(args.iter().map(|a| node(eval(a, src, env))).collect());
        }
        "createobject" => return create_object(args, text, src, env),
        "map" | "filter" | "reduce" | "toobject" | "sort" => {
            return lambdas(lower, args, text, src, env)
        }
        _ => {}
    }
    // `parameters('x')` and `variables('x')`, the commonest calls: read the name in place
    // (with the step the literal's evaluation would take).
    if let ("parameters" | "variables", [Expr::Str(n)]) = (lower, args) {
        let Some(_guard) = env.limits().enter() else {
            return Value::Unknown(Limits::exhausted());
        };
        return if lower == "parameters" {
            env.parameter(n)
        } else {
            env.variable(n)
        };
    }
    let values = match eval_args(args, src, env) {
        Ok(v) => v,
        Err(u) => return u,
    };
    if lower.contains('.') {
        return env.call_user_function(name, values).unwrap_or_else(|| {
            bad(
                text,
                format!("calls '{name}', which the template does not define"),
            )
        });
    }
    let runtime = |what: &str| unknown(quote(text), what.to_string());
    match (lower, values.as_slice()) {
        ("parameters", [Value::String(n)]) => env.parameter(n),
        ("variables", [Value::String(n)]) => env.variable(n),
        ("lambdavariables", [Value::String(n)]) => env
            .lambda_variable(n)
            .unwrap_or_else(|| bad(text, "is used outside a lambda")),
        ("copyindex", _) => copy_index(&values, text, env),
        ("reference", [target @ (Value::String(_) | Value::Symbolic(_)), ..]) => target
            .as_str()
            .and_then(|t| env.reference(t))
            .unwrap_or_else(|| {
                runtime("reads the deployed state of a resource, known only at deployment time")
            }),
        ("references", _) => {
            runtime("reads the deployed state of resources, known only at deployment time")
        }
        (n, _) if n.starts_with("list") => {
            runtime("returns runtime values (keys, secrets, state), known only at deployment time")
        }
        ("newguid", _) => runtime("returns a new random GUID on every deployment"),
        ("utcnow", _) => runtime("returns the time of the deployment"),
        ("pickzones", _) => runtime("depends on the zones of the region at deployment time"),
        ("concat", _) => concat(values, text),
        ("format", [Value::String(f), rest @ ..]) => match dotnet_format(f, rest) {
            Ok(out) => s(out),
            Err(e) => bad(text, e),
        },
        ("resourceid", _)
        | ("subscriptionresourceid", _)
        | ("tenantresourceid", _)
        | ("extensionresourceid", _)
        | ("managementgroupresourceid", _) => match resource_id(lower, &values, env.scope()) {
            Ok(id) => s(id),
            Err(e) => bad(text, e),
        },
        ("resourcegroup", _) => resource_group(env.scope(), text),
        ("subscription", _) => subscription(env.scope(), text),
        ("tenant", _) => obj(vec![
            ("tenantId", s(super::TENANT_PLACEHOLDER)),
            (
                "countryCode",
                unknown("tenant().countryCode", "is known only at deployment time"),
            ),
            (
                "displayName",
                unknown("tenant().displayName", "is known only at deployment time"),
            ),
        ]),
        ("managementgroup", _) => match env.scope() {
            Scope::ManagementGroup(mg) => obj(vec![
                ("id", s(env.scope().id())),
                ("name", s(mg.clone())),
                ("type", s("Microsoft.Management/managementGroups")),
            ]),
            _ => bad(text, "is only available in management-group deployments"),
        },
        ("deployment", []) => obj(vec![
            ("name", term("deployment().name")),
            ("location", term("deployment().location")),
            (
                "properties",
                unknown(
                    "deployment().properties",
                    "is known only at deployment time",
                ),
            ),
        ]),
        ("environment", []) => environment(),
        ("tolower", [Value::String(x)]) => s(x.to_lowercase()),
        ("toupper", [Value::String(x)]) => s(x.to_uppercase()),
        // Hashes and GUIDs are lower case already; any other term becomes the call.
        ("tolower", [Value::Symbolic(x)]) if x.terms_lower_case() => {
            Value::Symbolic(x.literal_lower())
        }
        ("tolower" | "toupper" | "trim", [Value::Symbolic(x)]) => derived(name, x, &[]),
        ("trim", [Value::String(x)]) => s(x.trim()),
        ("replace", [Value::String(x), Value::String(old), Value::String(new)]) => {
            if old.is_empty() {
                s(x.clone())
            } else {
                s(x.replace(old.as_str(), new))
            }
        }
        ("split", [Value::String(x), sep]) => split(x, sep, text),
        ("join", [Value::List(items), Value::String(sep)]) => {
            let parts: Option<Vec<String>> = items.iter().map(|n| display(&n.value)).collect();
            match parts {
                Some(p) => s(p.join(sep)),
                None => bad(text, "joins an array with unknown elements"),
            }
        }
        ("substring", [Value::String(x), rest @ ..]) => substring(x, rest, text),
        ("substring", [Value::Symbolic(x), rest @ ..]) => {
            let rest: Option<Vec<String>> = rest
                .iter()
                .map(|v| as_int(v).map(|n| n.to_string()))
                .collect();
            match rest {
                Some(rest) => derived(name, x, &rest),
                None => bad(text, "has a start or length that is not an integer"),
            }
        }
        ("padleft", [v, width, rest @ ..]) => pad_left(v, width, rest, text),
        ("startswith", [Value::String(a), Value::String(b)]) => {
            text_test(a, b, |a, b| a.starts_with(b))
        }
        ("endswith", [Value::String(a), Value::String(b)]) => {
            text_test(a, b, |a, b| a.ends_with(b))
        }
        ("indexof", [a, b]) => index_of(a, b, false, text),
        ("lastindexof", [a, b]) => index_of(a, b, true, text),
        ("contains", [c, item]) => contains(c, item, text),
        ("empty", [v]) => match v {
            Value::Null => Value::Bool(true),
            Value::String(x) => Value::Bool(x.is_empty()),
            // Scope names, hashes and GUIDs are never empty.
            Value::Symbolic(_) => Value::Bool(false),
            Value::List(x) => Value::Bool(x.is_empty()),
            Value::Object(x) => Value::Bool(x.is_empty()),
            _ => bad(
                text,
                format!("cannot test a {} for emptiness", v.type_name()),
            ),
        },
        ("length", [v]) => match v {
            Value::String(x) => int(x.encode_utf16().count() as i64),
            Value::List(x) => int(x.len() as i64),
            Value::Object(x) => int(x.len() as i64),
            _ => bad(
                text,
                format!("cannot take the length of a {}", v.type_name()),
            ),
        },
        ("first", [v]) => first_last(v, true, text),
        ("last", [v]) => first_last(v, false, text),
        ("take", [v, n]) => take_skip(v, n, true, text),
        ("skip", [v, n]) => take_skip(v, n, false, text),
        ("union", _) => union(values, text),
        ("intersection", _) => intersection(values, text),
        ("array", [v]) => match v {
            Value::List(_) => v.clone(),
            other => Value::List(vec![node(other.clone())]),
        },
        ("flatten", [Value::List(items)]) => {
            let mut out = Vec::new();
            for n in items {
                match &n.value {
                    Value::List(inner) => out.extend(inner.iter().cloned()),
                    _ => return bad(text, "flattens an array whose elements are not all arrays"),
                }
            }
            Value::List(out)
        }
        ("objectkeys", [Value::Object(m)]) => {
            Value::List(m.iter().map(|(k, _)| node(s(k.clone()))).collect())
        }
        ("items", [Value::Object(m)]) => Value::List(
            m.iter()
                .map(|(k, v)| node(obj(vec![("key", s(k.clone())), ("value", v.value.clone())])))
                .collect(),
        ),
        ("shallowmerge", [Value::List(items)]) => {
            let mut out: Vec<(CompactString, Node)> = Vec::new();
            for n in items {
                let Value::Object(m) = &n.value else {
                    return bad(text, "merges an array whose elements are not all objects");
                };
                for (k, v) in m {
                    set_member(&mut out, k, v.clone());
                }
            }
            Value::Object(out)
        }
        ("string", [v]) => match display(v) {
            Some(x) => s(x),
            None => bad(text, "converts a value with unknown parts to a string"),
        },
        ("int", [v]) => match v {
            Value::Number(n) => Value::Number(n.trunc()),
            Value::String(x) => match x.trim().parse::<i64>() {
                Ok(n) => int(n),
                Err(_) => bad(text, format!("'{x}' is not an integer")),
            },
            _ => bad(
                text,
                format!("cannot convert a {} to an integer", v.type_name()),
            ),
        },
        ("float", [v]) => match v {
            Value::Number(_) => v.clone(),
            Value::String(x) => match x.trim().parse::<f64>() {
                Ok(n) => Value::Number(n),
                Err(_) => bad(text, format!("'{x}' is not a number")),
            },
            _ => bad(
                text,
                format!("cannot convert a {} to a number", v.type_name()),
            ),
        },
        ("bool", [v]) => match v {
            Value::Bool(_) => v.clone(),
            Value::Number(n) => Value::Bool(*n != 0.0),
            Value::String(x) if x.eq_ignore_ascii_case("true") => Value::Bool(true),
            Value::String(x) if x.eq_ignore_ascii_case("false") => Value::Bool(false),
            _ => bad(text, "is not a boolean ('true', 'false', 1 or 0)"),
        },
        ("json", [Value::String(x)]) => match crate::load::json::parse(x) {
            Ok(j) => json_value(&j),
            Err(e) => bad(text, format!("is not valid JSON: {}", e.message)),
        },
        ("null", []) => Value::Null,
        ("true", []) => Value::Bool(true),
        ("false", []) => Value::Bool(false),
        ("equals", [a, b]) => match equal(a, b) {
            Some(r) => Value::Bool(r),
            None => bad(text, "compares values known only at deployment time"),
        },
        ("not", [Value::Bool(b)]) => Value::Bool(!b),
        ("less" | "lessorequals" | "greater" | "greaterorequals", [a, b]) => {
            compare(lower, a, b, text)
        }
        ("add" | "sub" | "mul" | "div" | "mod", [a, b]) => arithmetic(lower, a, b, text),
        ("min" | "max", _) => min_max(lower == "min", &values, text),
        ("range", [a, b]) => match (as_int(a), as_int(b)) {
            (Some(start), Some(count)) if (0..=MAX_RANGE).contains(&count) => {
                Value::List((start..start + count).map(|i| node(int(i))).collect())
            }
            _ => bad(
                text,
                format!("needs integers and a count of at most {MAX_RANGE}"),
            ),
        },
        ("tryget", [first, keys @ ..]) => try_get(first, keys),
        ("tryindexfromend" | "indexfromend", [Value::List(items), n]) => match as_int(n) {
            Some(k) if k >= 1 && (k as usize) <= items.len() => {
                items[items.len() - k as usize].value.clone()
            }
            _ if lower == "tryindexfromend" => Value::Null,
            _ => bad(text, "index from end is out of range"),
        },
        ("uniquestring", _) | ("guid", _) => hash_function(lower, &values, text, env.scope()),
        ("base64", [Value::String(x)]) => s(base64(x.as_bytes())),
        _ if values.iter().any(|v| matches!(v, Value::Symbolic(_))) => {
            bad(text, "reads a value known only at deployment time")
        }
        _ => {
            if is_known_function(lower) {
                bad(text, format!("has arguments that '{name}' does not accept"))
            } else {
                bad(
                    text,
                    format!("uses '{name}', which acrlint does not evaluate"),
                )
            }
        }
    }
}

fn is_known_function(lower: &str) -> bool {
    const KNOWN: &[&str] = &[
        "parameters",
        "variables",
        "lambdavariables",
        "reference",
        "format",
        "resourcegroup",
        "subscription",
        "deployment",
        "environment",
        "tolower",
        "toupper",
        "trim",
        "replace",
        "split",
        "join",
        "substring",
        "padleft",
        "startswith",
        "endswith",
        "empty",
        "length",
        "first",
        "last",
        "take",
        "skip",
        "array",
        "flatten",
        "objectkeys",
        "items",
        "shallowmerge",
        "string",
        "int",
        "float",
        "bool",
        "json",
        "null",
        "true",
        "false",
        "equals",
        "not",
        "less",
        "lessorequals",
        "greater",
        "greaterorequals",
        "add",
        "sub",
        "mul",
        "div",
        "mod",
        "range",
        "tryget",
        "tryindexfromend",
        "indexfromend",
        "base64",
    ];
    KNOWN.contains(&lower)
}

fn if_(args: &[Expr], text: &str, src: &str, env: &dyn Env) -> Value {
    let [cond, then, otherwise] = args else {
        return bad(text, "needs three arguments");
    };
    match eval(cond, src, env) {
        Value::Bool(true) => eval(then, src, env),
        Value::Bool(false) => eval(otherwise, src, env),
        Value::Unknown(u) => {
            // Both branches agree: the condition does not matter.
            let (a, b) = (eval(then, src, env), eval(otherwise, src, env));
            if equal(&a, &b) == Some(true) {
                a
            } else {
                Value::Unknown(u)
            }
        }
        other => bad(
            text,
            format!("has a {} condition, not a boolean", other.type_name()),
        ),
    }
}

fn coalesce(args: &[Expr], src: &str, env: &dyn Env) -> Value {
    for a in args {
        match eval(a, src, env) {
            Value::Null => continue,
            v => return v,
        }
    }
    Value::Null
}

fn and_or(is_and: bool, args: &[Expr], text: &str, src: &str, env: &dyn Env) -> Value {
    let mut pending: Option<Unknown> = None;
    for a in args {
        match eval(a, src, env) {
            Value::Bool(b) if b != is_and => return Value::Bool(b),
            Value::Bool(_) => {}
            Value::Unknown(u) => {
                pending.get_or_insert(u);
            }
            other => {
                return bad(
                    text,
                    format!("has a {} argument, not a boolean", other.type_name()),
                )
            }
        }
    }
    match pending {
        Some(u) => Value::Unknown(u),
        None => Value::Bool(is_and),
    }
}

fn create_object(args: &[Expr], text: &str, src: &str, env: &dyn Env) -> Value {
    if !args.len().is_multiple_of(2) {
        return bad(text, "needs key and value pairs");
    }
    let mut members: Vec<(CompactString, Node)> = Vec::new();
    for pair in args.chunks_exact(2) {
        match eval(&pair[0], src, env) {
            Value::String(k) => {
                let v = eval(&pair[1], src, env);
                set_member(&mut members, &k, node(v));
            }
            Value::Unknown(u) => return Value::Unknown(u),
            other => {
                return bad(
                    text,
                    format!("has a {} key, not a string", other.type_name()),
                )
            }
        }
    }
    Value::Object(members)
}

/// Insert or replace an object member (keys are case-insensitive).
fn set_member(members: &mut Vec<(CompactString, Node)>, key: &str, value: Node) {
    match members
        .iter_mut()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
    {
        Some((_, v)) => *v = value,
        None => members.push((key.into(), value)),
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

fn apply(lambda: &(Vec<String>, &Expr), values: Vec<Value>, src: &str, env: &dyn Env) -> Value {
    let vars = lambda.0.iter().cloned().zip(values).collect();
    let inner = super::Layer {
        parent: env,
        adds: super::Adds::LambdaVariables(vars),
    };
    eval(lambda.1, src, &inner)
}

fn lambdas(f: &str, args: &[Expr], text: &str, src: &str, env: &dyn Env) -> Value {
    let Some(first) = args.first() else {
        return bad(text, "needs arguments");
    };
    let input = match eval(first, src, env) {
        Value::Unknown(u) => return Value::Unknown(u),
        v => v,
    };
    let Value::List(items) = input else {
        return bad(text, format!("needs an array, not a {}", input.type_name()));
    };
    let items: Vec<Value> = items.into_iter().map(|n| n.value).collect();
    let lambda_at = |i: usize| args.get(i).and_then(lambda_parts);
    match f {
        "map" | "filter" => {
            let Some(l) = lambda_at(1) else {
                return bad(text, "needs a lambda");
            };
            let mut out = Vec::new();
            for (i, item) in items.into_iter().enumerate() {
                let r = apply(&l, vec![item.clone(), int(i as i64)], src, env);
                if f == "map" {
                    out.push(node(r));
                } else {
                    match r {
                        Value::Bool(true) => out.push(node(item)),
                        Value::Bool(false) => {}
                        Value::Unknown(u) => return Value::Unknown(u),
                        _ => return bad(text, "has a filter lambda that is not boolean"),
                    }
                }
            }
            Value::List(out)
        }
        "reduce" => {
            let (Some(init), Some(l)) = (args.get(1), lambda_at(2)) else {
                return bad(text, "needs an initial value and a lambda");
            };
            let mut acc = eval(init, src, env);
            for (i, item) in items.into_iter().enumerate() {
                if let Value::Unknown(u) = acc {
                    return Value::Unknown(u);
                }
                acc = apply(&l, vec![acc, item, int(i as i64)], src, env);
            }
            acc
        }
        "toobject" => {
            let Some(key) = lambda_at(1) else {
                return bad(text, "needs a key lambda");
            };
            let value = lambda_at(2);
            let mut out = Vec::new();
            for item in items {
                let k = match apply(&key, vec![item.clone()], src, env) {
                    Value::String(k) => k,
                    Value::Unknown(u) => return Value::Unknown(u),
                    _ => return bad(text, "has a key lambda that does not return a string"),
                };
                let v = match &value {
                    Some(l) => apply(l, vec![item], src, env),
                    None => item,
                };
                set_member(&mut out, &k, node(v));
            }
            Value::Object(out)
        }
        _ => bad(text, format!("uses '{f}', which acrlint does not evaluate")),
    }
}

fn copy_index(values: &[Value], text: &str, env: &dyn Env) -> Value {
    let (name, offset) = match values {
        [] => (None, 0),
        [Value::String(n)] => (Some(n.as_str()), 0),
        [Value::String(n), off] => match as_int(off) {
            Some(o) => (Some(n.as_str()), o),
            None => return bad(text, "has an offset that is not an integer"),
        },
        [off] => match as_int(off) {
            Some(o) => (None, o),
            None => return bad(text, "has an offset that is not an integer"),
        },
        _ => return bad(text, "has too many arguments"),
    };
    match env.copy_index(name) {
        Value::Number(i) => Value::Number(i + offset as f64),
        Value::Unknown(u) => Value::Unknown(u),
        _ => bad(text, "is used outside a copy loop"),
    }
}

fn concat(values: Vec<Value>, text: &str) -> Value {
    if values
        .iter()
        .all(|v| matches!(v, Value::List(_) | Value::Null))
        && !values.is_empty()
    {
        let mut out = Vec::new();
        for v in values {
            if let Value::List(items) = v {
                out.extend(items);
            }
        }
        return Value::List(out);
    }
    let mut out = String::new();
    for v in &values {
        match v {
            Value::List(_) | Value::Object(_) => {
                return bad(text, "mixes arrays and strings, which ARM rejects")
            }
            other => {
                if display_into(&mut out, other).is_none() {
                    return bad(text, "has an argument that is not known");
                }
            }
        }
        if out.len() > super::MAX_VALUE_LEN {
            break;
        }
    }
    s(out)
}

/// .NET composite formatting: `{index[,alignment][:format]}`, with `{{` and `}}` escapes.
fn dotnet_format(fmt: &str, args: &[Value]) -> Result<String, String> {
    let mut out = String::with_capacity(fmt.len() + 32);
    let mut rest = fmt;
    // Braces are ASCII, so every cut below is at a character boundary.
    while let Some(i) = rest.find(['{', '}']) {
        out.push_str(&rest[..i]);
        if out.len() > super::MAX_VALUE_LEN {
            return Err("produces a string that is too large".into());
        }
        let brace = &rest[i..i + 1];
        let after = &rest[i + 1..];
        if after.starts_with(brace) {
            out.push_str(brace);
            rest = &after[1..];
        } else if brace == "}" {
            return Err("has a '}' without a matching '{' in the format string".into());
        } else {
            let Some(end) = after.find('}') else {
                return Err("has an unclosed '{' in the format string".into());
            };
            let item = &after[..end];
            rest = &after[end + 1..];
            format_item(&mut out, item, args)?;
        }
        if out.len() > super::MAX_VALUE_LEN {
            return Err("produces a string that is too large".into());
        }
    }
    out.push_str(rest);
    if out.len() > super::MAX_VALUE_LEN {
        return Err("produces a string that is too large".into());
    }
    Ok(out)
}

/// One `{index[,alignment][:format]}` item (without its braces), appended to `out`.
fn format_item(out: &mut String, item: &str, args: &[Value]) -> Result<(), String> {
    let (head, spec) = match item.split_once(':') {
        Some((h, f)) => (h, Some(f)),
        None => (item, None),
    };
    let (index, align) = match head.split_once(',') {
        Some((i, a)) => (i, Some(a)),
        None => (head, None),
    };
    let index: usize = index
        .trim()
        .parse()
        .map_err(|_| format!("has an invalid format item '{{{item}}}'"))?;
    let arg = args
        .get(index)
        .ok_or_else(|| format!("refers to argument {index}, which is missing"))?;
    match (spec, align) {
        (None, None) => display_into(out, arg).ok_or("has an unknown argument")?,
        _ => {
            let mut text = match spec {
                Some(spec) => format_spec(arg, spec)?,
                None => display(arg).ok_or("has an unknown argument")?,
            };
            if let Some(a) = align {
                let width: i64 = a.trim().parse().map_err(|_| "has an invalid alignment")?;
                let len = text.chars().count() as i64;
                if width.unsigned_abs() as i64 > len {
                    let pad = " ".repeat((width.unsigned_abs() as i64 - len) as usize);
                    text = if width > 0 { pad + &text } else { text + &pad };
                }
            }
            out.push_str(&text);
        }
    }
    Ok(())
}

/// The numeric format strings templates use: `D`, `N`, `F`, `X`, and `0`-padding patterns.
fn format_spec(arg: &Value, spec: &str) -> Result<String, String> {
    let Value::Number(n) = arg else {
        return display(arg).ok_or_else(|| "has an unknown argument".to_string());
    };
    let n = *n;
    let mut chars = spec.chars();
    let kind = chars.next().unwrap_or('G');
    let precision: Option<usize> = chars.as_str().parse().ok().filter(|p| *p <= 100);
    let unsupported = || format!("uses the format '{spec}', which acrlint does not evaluate");
    if spec.chars().all(|c| c == '0') && !spec.is_empty() {
        return Ok(format!("{:0width$}", n.round() as i64, width = spec.len()));
    }
    match kind.to_ascii_uppercase() {
        'D' if n.fract() == 0.0 => Ok(format!(
            "{:0width$}",
            n as i64,
            width = precision.unwrap_or(0)
        )),
        'X' if n.fract() == 0.0 && n >= 0.0 => {
            let hex = format!("{:0width$x}", n as i64, width = precision.unwrap_or(0));
            Ok(if kind == 'X' { hex.to_uppercase() } else { hex })
        }
        'F' => Ok(format!("{:.p$}", n, p = precision.unwrap_or(2))),
        'N' => {
            let fixed = format!("{:.p$}", n.abs(), p = precision.unwrap_or(2));
            let (int_part, frac) = match fixed.split_once('.') {
                Some((i, f)) => (i.to_string(), Some(f.to_string())),
                None => (fixed, None),
            };
            let mut grouped = String::new();
            for (i, ch) in int_part.chars().enumerate() {
                if i > 0 && (int_part.len() - i) % 3 == 0 {
                    grouped.push(',');
                }
                grouped.push(ch);
            }
            let sign = if n < 0.0 { "-" } else { "" };
            Ok(match frac {
                Some(f) => format!("{sign}{grouped}.{f}"),
                None => format!("{sign}{grouped}"),
            })
        }
        'G' if spec.len() == 1 => Ok(number_text(n)),
        _ => Err(unsupported()),
    }
}

/// Append `/t1/n1/t2/n2...` to `out`: each type segment followed by its name segment. False
/// when the counts differ or there is no pair (`out` is then not meaningful).
pub(crate) fn push_type_name_pairs<'a>(
    out: &mut String,
    mut types: impl Iterator<Item = &'a str>,
    mut names: impl Iterator<Item = &'a str>,
) -> bool {
    let mut pairs = 0;
    loop {
        match (types.next(), names.next()) {
            (Some(t), Some(n)) => {
                out.push('/');
                out.push_str(t);
                out.push('/');
                out.push_str(n);
                pairs += 1;
            }
            (None, None) => return pairs > 0,
            _ => return false,
        }
    }
}

/// `Ns/t1/t2` and names `[n1, n2]` → `Ns/t1/n1/t2/n2`.
fn provider_path(rtype: &str, names: &[Value]) -> Result<String, String> {
    let mut types = rtype.split('/').filter(|x| !x.is_empty());
    let namespace = types.next().ok_or("has an empty resource type")?;
    // The names joined by '/': a name with '/' in it gives several segments.
    let mut joined = String::new();
    for n in names {
        display_into(&mut joined, n).ok_or("has an unknown resource name")?;
        joined.push('/');
    }
    let parts = joined.split('/').filter(|x| !x.is_empty());
    let mut out = String::with_capacity(rtype.len() + joined.len() + 1);
    out.push_str(namespace);
    if push_type_name_pairs(&mut out, types, parts) {
        return Ok(out);
    }
    let count = |text: &str| text.split('/').filter(|x| !x.is_empty()).count();
    Err(format!(
        "has {} name segment(s) for the type '{rtype}', which needs {}",
        count(&joined),
        count(rtype) - 1
    ))
}

/// `resourceId`, `subscriptionResourceId`, `tenantResourceId`, `extensionResourceId`,
/// `managementGroupResourceId`. The type is the first argument containing `/`; the arguments
/// before it name the scope.
fn resource_id(f: &str, values: &[Value], scope: &Scope) -> Result<String, String> {
    let type_at = values
        .iter()
        .position(|x| x.as_str().is_some_and(|t| t.contains('/')))
        .filter(|&i| f != "extensionresourceid" || i >= 1);
    let type_at = match (f, type_at) {
        // The base id of an extension resource contains '/' too: the type comes after it.
        ("extensionresourceid", _) => 1,
        (_, Some(i)) => i,
        (_, None) => return Err("has no resource type argument".into()),
    };
    let rtype = values
        .get(type_at)
        .and_then(Value::as_str)
        .ok_or("has a resource type that is not a string")?;
    let path = provider_path(rtype, values.get(type_at + 1..).unwrap_or_default())?;
    let scope_args: Vec<&str> = values[..type_at]
        .iter()
        .map(|x| {
            x.as_str()
                .ok_or("has a scope argument that is not a string")
        })
        .collect::<Result<_, _>>()?;
    let sub_default = || {
        scope
            .subscription()
            .unwrap_or(super::SUBSCRIPTION_PLACEHOLDER)
    };
    let mut id = String::with_capacity(128 + path.len());
    match (f, scope_args.as_slice()) {
        ("resourceid", []) => scope.push_id(&mut id),
        ("resourceid", [rg]) => push_all(
            &mut id,
            &["/subscriptions/", sub_default(), "/resourceGroups/", rg],
        ),
        ("resourceid", [sub, rg]) => {
            push_all(&mut id, &["/subscriptions/", sub, "/resourceGroups/", rg])
        }
        ("subscriptionresourceid", []) => push_all(&mut id, &["/subscriptions/", sub_default()]),
        ("subscriptionresourceid", [sub]) => push_all(&mut id, &["/subscriptions/", sub]),
        ("tenantresourceid", []) => {}
        ("managementgroupresourceid", []) => match scope {
            Scope::ManagementGroup(_) => scope.push_id(&mut id),
            _ => return Err("is used outside a management-group deployment".into()),
        },
        ("managementgroupresourceid", [mg]) => push_all(
            &mut id,
            &["/providers/Microsoft.Management/managementGroups/", mg],
        ),
        ("extensionresourceid", [base]) => id.push_str(base.trim_end_matches('/')),
        _ => return Err("has too many scope arguments".into()),
    }
    push_all(&mut id, &["/providers/", &path]);
    Ok(id)
}

fn push_all(out: &mut String, parts: &[&str]) {
    for p in parts {
        out.push_str(p);
    }
}

fn resource_group(scope: &Scope, text: &str) -> Value {
    match scope {
        Scope::ResourceGroup { group, .. } => obj(vec![
            ("id", s(scope.id())),
            ("name", s(group.clone())),
            ("type", s("Microsoft.Resources/resourceGroups")),
            ("location", s(super::LOCATION_PLACEHOLDER)),
            (
                "properties",
                obj(vec![("provisioningState", s("Succeeded"))]),
            ),
        ]),
        _ => bad(text, "is only available in resource-group deployments"),
    }
}

fn subscription(scope: &Scope, text: &str) -> Value {
    match scope.subscription() {
        Some(sub) => obj(vec![
            ("id", s(format!("/subscriptions/{sub}"))),
            ("subscriptionId", s(sub)),
            ("tenantId", s(super::TENANT_PLACEHOLDER)),
            ("displayName", term("subscription().displayName")),
        ]),
        None => bad(
            text,
            "is only available in subscription and resource-group deployments",
        ),
    }
}

/// A constant value, read in place: member access on `environment()` takes only the member.
pub(super) enum Constant {
    Str(&'static str),
    List(&'static [&'static str]),
    Object(&'static [(&'static str, Constant)]),
}

impl Constant {
    pub(super) fn to_value(&self) -> Value {
        match self {
            Constant::Str(x) => s(*x),
            Constant::List(items) => Value::List(items.iter().map(|x| node(s(*x))).collect()),
            Constant::Object(members) => Value::Object(
                members
                    .iter()
                    .map(|(k, v)| ((*k).into(), node(v.to_value())))
                    .collect(),
            ),
        }
    }

    /// A member as [`super::member`] finds it (exact name first, then case-insensitive).
    fn member(&self, name: &str) -> Option<&Constant> {
        let Constant::Object(members) = self else {
            return None;
        };
        members
            .iter()
            .find(|(k, _)| *k == name)
            .or_else(|| members.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)))
            .map(|(_, v)| v)
    }
}

/// `environment()` in AzureCloud (reference section 7.4).
static ENVIRONMENT: Constant = Constant::Object(&[
    ("name", Constant::Str("AzureCloud")),
    ("gallery", Constant::Str("https://gallery.azure.com/")),
    ("graph", Constant::Str("https://graph.windows.net/")),
    ("portal", Constant::Str("https://portal.azure.com")),
    ("graphAudience", Constant::Str("https://graph.windows.net/")),
    (
        "activeDirectoryDataLake",
        Constant::Str("https://datalake.azure.net/"),
    ),
    ("batch", Constant::Str("https://batch.core.windows.net/")),
    ("media", Constant::Str("https://rest.media.azure.net")),
    (
        "sqlManagement",
        Constant::Str("https://management.core.windows.net:8443/"),
    ),
    (
        "resourceManager",
        Constant::Str("https://management.azure.com/"),
    ),
    (
        "authentication",
        Constant::Object(&[
            (
                "loginEndpoint",
                Constant::Str("https://login.microsoftonline.com/"),
            ),
            (
                "audiences",
                Constant::List(&[
                    "https://management.core.windows.net/",
                    "https://management.azure.com/",
                ]),
            ),
            ("tenant", Constant::Str("common")),
            ("identityProvider", Constant::Str("AAD")),
        ]),
    ),
    (
        "suffixes",
        Constant::Object(&[
            ("acrLoginServer", Constant::Str(".azurecr.io")),
            (
                "azureDatalakeAnalyticsCatalogAndJob",
                Constant::Str("azuredatalakeanalytics.net"),
            ),
            (
                "azureDatalakeStoreFileSystem",
                Constant::Str("azuredatalakestore.net"),
            ),
            ("azureFrontDoorEndpointSuffix", Constant::Str("azurefd.net")),
            ("keyvaultDns", Constant::Str(".vault.azure.net")),
            ("sqlServerHostname", Constant::Str(".database.windows.net")),
            ("storage", Constant::Str("core.windows.net")),
        ]),
    ),
]);

fn environment() -> Value {
    ENVIRONMENT.to_value()
}

/// `environment().a.b`: the constant that a chain of member accesses on `environment()` reads,
/// and how many expressions the chain has (the call and each access); `None` when it is not
/// such a chain or a member is missing (then the full evaluation says why).
pub(super) fn constant_member(e: &Expr) -> Option<(&'static Constant, usize)> {
    match e {
        Expr::Call { name, args, .. }
            if args.is_empty() && name.eq_ignore_ascii_case("environment") =>
        {
            Some((&ENVIRONMENT, 1))
        }
        Expr::Member { target, name } => {
            let (c, n) = constant_member(target)?;
            Some((c.member(name)?, n + 1))
        }
        _ => None,
    }
}

fn split(x: &str, sep: &Value, text: &str) -> Value {
    let seps: Vec<String> = match sep {
        Value::String(d) => vec![d.to_string()],
        Value::List(items) => match items
            .iter()
            .map(|n| n.value.as_str().map(str::to_string))
            .collect()
        {
            Some(v) => v,
            None => return bad(text, "has delimiters that are not all strings"),
        },
        _ => return bad(text, "has a delimiter that is not a string"),
    };
    let seps: Vec<&String> = seps.iter().filter(|d| !d.is_empty()).collect();
    let mut parts = Vec::new();
    let mut rest = x;
    loop {
        let next = seps
            .iter()
            .filter_map(|d| rest.find(d.as_str()).map(|i| (i, d.len())))
            .min();
        match next {
            Some((i, len)) => {
                parts.push(node(s(&rest[..i])));
                rest = &rest[i + len..];
            }
            None => {
                parts.push(node(s(rest)));
                break;
            }
        }
    }
    Value::List(parts)
}

/// Character-based `substring(s, start, [length])`.
fn substring(x: &str, rest: &[Value], text: &str) -> Value {
    let chars: Vec<char> = x.chars().collect();
    let start = match rest.first().map(as_int) {
        None => 0,
        Some(Some(n)) => n,
        Some(None) => return bad(text, "has a start that is not an integer"),
    };
    let len = match rest.get(1).map(as_int) {
        None => chars.len() as i64 - start,
        Some(Some(n)) => n,
        Some(None) => return bad(text, "has a length that is not an integer"),
    };
    if start < 0 || len < 0 || start + len > chars.len() as i64 {
        return bad(text, "is out of range of the string");
    }
    s(chars[start as usize..(start + len) as usize]
        .iter()
        .collect::<String>())
}

fn pad_left(v: &Value, width: &Value, rest: &[Value], text: &str) -> Value {
    let Some(x) = display(v) else {
        return bad(text, "has an unknown argument");
    };
    let pad = match rest.first() {
        None => ' ',
        Some(Value::String(p)) if p.chars().count() == 1 => p.chars().next().unwrap_or(' '),
        _ => return bad(text, "has a padding that is not one character"),
    };
    match as_int(width) {
        Some(w) if (0..=16_384).contains(&w) => {
            let len = x.chars().count();
            let mut out: String =
                std::iter::repeat_n(pad, (w as usize).saturating_sub(len)).collect();
            out.push_str(&x);
            s(out)
        }
        _ => bad(text, "has an invalid total length"),
    }
}

/// Case-insensitive prefix/suffix tests.
fn text_test(a: &str, b: &str, f: impl Fn(&str, &str) -> bool) -> Value {
    Value::Bool(f(&a.to_lowercase(), &b.to_lowercase()))
}

fn index_of(a: &Value, b: &Value, last: bool, text: &str) -> Value {
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
fn contains(c: &Value, item: &Value, text: &str) -> Value {
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
        Value::Symbolic(_) => bad(text, "reads a value known only at deployment time"),
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
fn union(values: Vec<Value>, text: &str) -> Value {
    let values: Vec<Value> = values
        .into_iter()
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
                        Some(None) => return bad(text, "merges arrays with unknown elements"),
                        _ => out.push(item),
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
                    merge_member(&mut out, k, n);
                }
            }
        }
        return Value::Object(out);
    }
    bad(text, "mixes arrays and objects")
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

fn intersection(values: Vec<Value>, text: &str) -> Value {
    let Some((first, rest)) = values.split_first() else {
        return bad(text, "needs arguments");
    };
    match first {
        Value::List(items) => {
            let mut out = Vec::new();
            for item in items {
                let mut keep = true;
                for other in rest {
                    match contains(other, &item.value, text) {
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
                        Some(None) => return bad(text, "compares objects with unknown values"),
                        _ => keep = false,
                    }
                }
                if keep {
                    out.push((k.clone(), n.clone()));
                }
            }
            Value::Object(out)
        }
        _ => bad(text, "needs arrays or objects"),
    }
}

fn compare(f: &str, a: &Value, b: &Value, text: &str) -> Value {
    let ord = match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.partial_cmp(y),
        (Value::String(x), Value::String(y)) => Some(x.cmp(y)),
        _ => None,
    };
    let Some(ord) = ord else {
        return bad(
            text,
            "compares values that are not both numbers or both strings",
        );
    };
    use std::cmp::Ordering::*;
    Value::Bool(match f {
        "less" => ord == Less,
        "lessorequals" => ord != Greater,
        "greater" => ord == Greater,
        _ => ord != Less,
    })
}

fn arithmetic(f: &str, a: &Value, b: &Value, text: &str) -> Value {
    let (Some(x), Some(y)) = (as_int(a), as_int(b)) else {
        return bad(text, "needs integer arguments");
    };
    let r = match f {
        "add" => x.checked_add(y),
        "sub" => x.checked_sub(y),
        "mul" => x.checked_mul(y),
        "div" => x.checked_div(y),
        _ => x.checked_rem(y),
    };
    match r {
        Some(r) => int(r),
        None => bad(text, "overflows or divides by zero"),
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

/// `tryGet(value, key, ...)`: null when a key or index is missing.
fn try_get(first: &Value, keys: &[Value]) -> Value {
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

/// `uniqueString` and `guid`: real hashes of known inputs; of deployment-time inputs, a term
/// naming the call (`uniqueString(resourceGroup().id)`), never a made-up hash.
fn hash_function(f: &str, values: &[Value], text: &str, scope: &Scope) -> Value {
    let args: Option<Vec<&str>> = values.iter().map(Value::as_str).collect();
    let Some(args) = args.filter(|a| !a.is_empty()) else {
        return bad(text, "needs string arguments");
    };
    let name = if f == "guid" { "guid" } else { "uniqueString" };
    if args.iter().any(|a| symbolic::is_symbolic(a)) {
        let args: Vec<String> = args.iter().map(|a| scope_expression(a, scope)).collect();
        return term(&format!("{name}({})", args.join(", ")));
    }
    s(if f == "guid" {
        unique_string::guid(&args)
    } else {
        unique_string::unique_string(&args)
    })
}

/// An argument as the user writes it: the scope's id as `resourceGroup().id` (or
/// `subscription().id`), anything else quoted.
fn scope_expression(arg: &str, scope: &Scope) -> String {
    let id = scope.id();
    if arg == id {
        match scope {
            Scope::ResourceGroup { .. } => return "resourceGroup().id".into(),
            Scope::Subscription(_) => return "subscription().id".into(),
            _ => {}
        }
    }
    if let Some(sub) = scope.subscription() {
        if arg.strip_prefix("/subscriptions/") == Some(sub) {
            return "subscription().id".into();
        }
    }
    match symbolic::whole_term(arg) {
        Some(expr) => expr.into_owned(),
        None => format!("'{}'", symbolic::display(arg)),
    }
}

fn base64(data: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Plain JSON (from `json()`, parameter files) as a value; strings are not evaluated.
pub fn json_value(j: &crate::load::json::Json) -> Value {
    use crate::load::json::JsonValue;
    match &j.value {
        JsonValue::Null => Value::Null,
        JsonValue::Bool(b) => Value::Bool(*b),
        JsonValue::Number(n) => Value::Number(*n),
        JsonValue::String(x) => s(x.clone()),
        JsonValue::Array(items) => Value::List(items.iter().map(|i| node(json_value(i))).collect()),
        JsonValue::Object(members) => Value::Object(
            members
                .iter()
                .map(|(k, v)| (k.name.as_str().into(), node(json_value(v))))
                .collect(),
        ),
    }
}
