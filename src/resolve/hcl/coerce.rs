//! Values as the expression language reads them: coercion to strings, numbers and bools,
//! equality, unknowns, and the work limits. Shared by the evaluator ([`super::eval`]), the
//! functions ([`super::funcs`]) and type conversion ([`super::types`]), so none of them needs
//! another's internals.

use crate::source::Span;
use crate::value::{Node, ResourceRef, Unknown, Value};
use compact_str::CompactString;

/// Work limits shared by all evaluations of one scope.
#[derive(Debug)]
pub struct Limits {
    pub depth: u32,
    /// Elements the scope may still produce (for-expression iterations, `range`, list-building
    /// functions, templates).
    pub steps: u64,
    /// Set once the step budget is spent, so the loader reports it once.
    pub exhausted: bool,
    /// The innermost expression that was evaluating when the budget ran out.
    pub exhausted_at: Option<Span>,
    /// Bytes of values the scope may still produce (`value_size` in [`crate::limits`]).
    pub bytes: u64,
    /// Set once the byte budget refused something (`exhausted` is set too).
    pub size_exceeded: bool,
}

impl Limits {
    pub fn new(steps: u64) -> Limits {
        Limits {
            depth: 0,
            steps,
            exhausted: false,
            exhausted_at: None,
            bytes: crate::limits::current().value_size,
            size_exceeded: false,
        }
    }

    /// Would `n` more bytes of values fit in the budget? Asked before building something large;
    /// charges nothing.
    pub fn fits(&mut self, n: u64) -> bool {
        if n <= self.bytes {
            true
        } else {
            self.exhausted = true;
            self.size_exceeded = true;
            false
        }
    }

    /// The error the loader reports once a budget ran out (at [`Limits::exhausted_at`]).
    pub fn exhausted_message(&self) -> String {
        let lim = crate::limits::current();
        match self.size_exceeded {
            true => format!(
                "evaluation stopped: the configuration produces more than {} bytes of values \
                 (`value-size` under [limits]); values past this point are unknown",
                lim.value_size
            ),
            false => format!(
                "evaluation stopped: the configuration takes more than {} steps (`steps` under \
                 [limits]); values past this point are unknown",
                lim.steps
            ),
        }
    }

    /// Charge `n` bytes of values produced; false (and nothing charged) when that would pass the
    /// budget.
    pub fn charge_bytes(&mut self, n: u64) -> bool {
        if self.fits(n) {
            self.bytes -= n;
            true
        } else {
            false
        }
    }

    /// Charge the size of a value produced (a copy, a function's result).
    pub(super) fn charge_value(&mut self, v: &Value) -> Fx<()> {
        match self.charge_bytes(value_bytes(v)) {
            true => Ok(()),
            false => Err(Halt::Err(size_message())),
        }
    }

    /// Charge `n` units of work; false when that would pass the budget. A refused charge costs
    /// nothing (what it would have paid for is not produced), so one runaway expansion leaves the
    /// rest of the configuration evaluated.
    pub fn charge(&mut self, n: u64) -> bool {
        if self.steps >= n {
            self.steps -= n;
            true
        } else {
            self.exhausted = true;
            false
        }
    }
}

/// Why a function or conversion stopped: an unknown input, or an error.
#[derive(Debug)]
pub(super) enum Halt {
    Unknown(Unknown),
    Err(String),
}

pub(super) type Fx<T> = Result<T, Halt>;

pub(super) fn budget_message() -> String {
    "the evaluation exceeds the step limit of this configuration (`steps` under [limits])".into()
}

pub(super) fn size_message() -> String {
    format!(
        "the evaluation produces more than {} bytes of values (`value-size` under [limits])",
        crate::limits::current().value_size
    )
}

pub use crate::resolve::value_bytes;

/// Insert or replace an object member, keeping the first position.
pub(super) fn insert(members: &mut Vec<(CompactString, Node)>, key: CompactString, val: Node) {
    match members.iter_mut().find(|(k, _)| *k == key) {
        Some(slot) => slot.1 = val,
        None => members.push((key, val)),
    }
}

/// Key/value pairs to iterate: list elements with their index, object members by sorted key
/// (Terraform iterates maps in lexical key order).
pub(super) fn pairs(v: &Value) -> Fx<Vec<(Node, Node)>> {
    match v {
        Value::List(items) => Ok(items
            .iter()
            .enumerate()
            .map(|(i, n)| (Node::new(Value::Number(i as f64), n.span), n.clone()))
            .collect()),
        Value::Object(members) => {
            let mut sorted: Vec<&(CompactString, Node)> = members.iter().collect();
            sorted.sort_by(|a, b| a.0.cmp(&b.0));
            Ok(sorted
                .into_iter()
                .map(|(k, n)| (Node::new(Value::String(k.clone()), n.span), n.clone()))
                .collect())
        }
        other => Err(shallow_unknown(other).map_or_else(
            || Halt::Err(format!("cannot iterate over a {}", other.type_name())),
            Halt::Unknown,
        )),
    }
}

/// The unknown a reference stands for when its value is needed (in a string, a comparison).
pub fn after_apply(r: &ResourceRef) -> Unknown {
    let mut s = r.addr.clone();
    for a in &r.attr {
        if a.parse::<u64>().is_ok() {
            s.push_str(&format!("[{a}]"));
        } else {
            s.push('.');
            s.push_str(a);
        }
    }
    // A data source is read from Azure (when Terraform plans), not made by the apply.
    let data = r.addr.starts_with("data.") || r.addr.contains(".data.");
    let reason = match data {
        true => "is read from Azure",
        false => "is only known after apply",
    };
    Unknown::new(s, reason)
}

/// The text a value known only at deployment stands for inside a string, encoded: an attribute
/// known after apply is the same value wherever it is read, so it is a term (names built from
/// it compare), and a symbolic text is itself.
pub fn deployment_text(v: &Value) -> Option<std::borrow::Cow<'_, str>> {
    match v {
        Value::Ref(r) => Some(crate::symbolic::encode_term(&after_apply(r).depends_on).into()),
        Value::Symbolic(s) => Some(s.encoded().into()),
        _ => None,
    }
}

/// The value as an unknown when it is one (or a reference), at the top level only.
pub fn shallow_unknown(v: &Value) -> Option<Unknown> {
    match v {
        Value::Unknown(u) => Some(u.clone()),
        Value::Ref(r) => Some(after_apply(r)),
        _ => None,
    }
}

/// The first unknown or reference anywhere in the value.
pub fn deep_unknown(v: &Value) -> Option<Unknown> {
    match v {
        Value::List(items) => items.iter().find_map(|n| deep_unknown(&n.value)),
        Value::Object(m) => m.iter().find_map(|(_, n)| deep_unknown(&n.value)),
        _ => shallow_unknown(v),
    }
}

pub(super) use crate::value::number_text as fmt_num;

pub(super) fn to_str(v: &Value) -> Fx<CompactString> {
    match v {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => Ok(fmt_num(*n).into()),
        Value::Bool(b) => Ok(if *b { "true" } else { "false" }.into()),
        Value::Null => Err(Halt::Err("a null value cannot be used as a string".into())),
        Value::Unknown(u) => Err(Halt::Unknown(u.clone())),
        Value::Ref(r) => Err(Halt::Unknown(after_apply(r))),
        // Text made with an attribute known after apply (`"acr${random_string.x.result}"`):
        // what a function makes of it is known after apply too.
        Value::Symbolic(s) => Err(Halt::Unknown(Unknown::new(
            s.to_string(),
            "is only known after apply",
        ))),
        other => Err(Halt::Err(format!(
            "a {} cannot be used as a string",
            other.type_name()
        ))),
    }
}

pub(super) fn to_num(v: &Value) -> Fx<f64> {
    match v {
        Value::Number(n) => Ok(*n),
        Value::String(s) => s
            .trim()
            .parse::<f64>()
            .map_err(|_| Halt::Err(format!("\"{s}\" is not a number"))),
        other => Err(shallow_unknown(other).map_or_else(
            || Halt::Err(format!("a {} is not a number", other.type_name())),
            Halt::Unknown,
        )),
    }
}

pub(super) fn to_int(v: &Value) -> Fx<i64> {
    let n = to_num(v)?;
    if n.fract() != 0.0 || !n.is_finite() || n.abs() > 9e15 {
        return Err(Halt::Err(format!("{} is not a whole number", fmt_num(n))));
    }
    Ok(n as i64)
}

pub(super) fn to_bool(v: &Value) -> Fx<bool> {
    match v {
        Value::Bool(b) => Ok(*b),
        Value::String(s) if s == "true" => Ok(true),
        Value::String(s) if s == "false" => Ok(false),
        other => Err(shallow_unknown(other).map_or_else(
            || Halt::Err(format!("a {} is not a bool", other.type_name())),
            Halt::Unknown,
        )),
    }
}

/// Structural equality; unknown when either side is (or contains) an unknown.
/// The member `k` of an object's members (null when absent).
fn field<'v>(members: &'v [(CompactString, Node)], k: &str) -> &'v Value {
    members
        .iter()
        .find(|(k2, _)| k2 == k)
        .map_or(&Value::Null, |(_, v)| &v.value)
}

/// `==` as Terraform decides it: collections of different lengths or keys differ even when some
/// elements are unknown (`[module.x.id] != []` is known); otherwise an unknown element makes the
/// result unknown, as soon as it is met in order (cty's `Equals`).
pub(super) fn equal(a: &Value, b: &Value) -> Fx<bool> {
    match (a, b) {
        (Value::List(x), Value::List(y)) => {
            if x.len() != y.len() {
                return Ok(false);
            }
            let mut same = true;
            for (p, q) in x.iter().zip(y) {
                same &= equal(&p.value, &q.value)?;
            }
            Ok(same)
        }
        (Value::Object(x), Value::Object(y)) => {
            if x.len() != y.len() || x.iter().any(|(k, _)| !y.iter().any(|(k2, _)| k2 == k)) {
                return Ok(false);
            }
            let mut keys: Vec<&CompactString> = x.iter().map(|(k, _)| k).collect();
            keys.sort();
            let mut same = true;
            for k in keys {
                same &= equal(field(x, k), field(y, k))?;
            }
            Ok(same)
        }
        // A resource's `id` is never null, whenever it becomes known (the optional-block idiom
        // `var.zone_id != null ? [1] : []`, given `data.x.id`); nor is deployment text. Nor is an
        // id empty (`var.zone_id == null || var.zone_id == "" ? [] : [...]`).
        (Value::Null, v) | (v, Value::Null) if never_null(v) => Ok(false),
        (Value::String(s), v) | (v, Value::String(s)) if s.is_empty() && is_resource_id(v) => {
            Ok(false)
        }
        _ => {
            if let Some(u) = shallow_unknown(a).or_else(|| shallow_unknown(b)) {
                return Err(Halt::Unknown(u));
            }
            Ok(known_equal(a, b))
        }
    }
}

fn never_null(v: &Value) -> bool {
    is_resource_id(v) || matches!(v, Value::Symbolic(_))
}

fn is_resource_id(v: &Value) -> bool {
    matches!(v, Value::Ref(r) if r.attr.len() == 1 && r.attr[0] == "id")
}

/// Equality of values without unknowns (spans do not count).
pub(super) fn known_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::List(x), Value::List(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|(p, q)| known_equal(&p.value, &q.value))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter().all(|(k, v)| {
                    y.iter()
                        .find(|(k2, _)| k2 == k)
                        .is_some_and(|(_, v2)| known_equal(&v.value, &v2.value))
                })
        }
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A resource's attribute is known after apply; a data source's is read from Azure (when
    /// Terraform plans), which the message says.
    #[test]
    fn what_an_attribute_is_unknown_for() {
        let r = |addr: &str| ResourceRef {
            addr: addr.into(),
            attr: vec!["id".into()],
        };
        let reason = |addr: &str| after_apply(&r(addr)).reason;
        assert_eq!(reason("azurerm_subnet.pe"), "is only known after apply");
        assert_eq!(reason("data.azurerm_subnet.pe"), "is read from Azure");
        assert_eq!(
            reason("module.net.data.azurerm_subnet.pe"),
            "is read from Azure"
        );
        assert_eq!(
            after_apply(&r("data.azurerm_subnet.pe")).depends_on,
            "data.azurerm_subnet.pe.id"
        );
    }
}
