//! `yamldecode`, of the encoding family: the subset of YAML 1.2 that Terraform decodes (its
//! documentation lists it). Configuration-driven roots keep their registries and networks in a
//! YAML file (`yamldecode(file("${path.module}/config.yaml"))`).
//!
//! Events are pulled one at a time and the value is built on an explicit stack, nesting no
//! deeper than JSON may (values are walked recursively downstream); every alias expansion is
//! charged to the scope's budget, so an alias bomb stops at the budget instead of exhausting
//! memory, and keys are looked up in sets, so a huge mapping takes linear time.

use super::charge;
use crate::resolve::hcl::coerce::{to_str, Fx, Halt, Limits};
use crate::source::Span;
use crate::value::{Node, Value};
use compact_str::CompactString;
use rustc_hash::{FxHashMap, FxHashSet};
use yaml_rust2::parser::{Event, Parser, Tag};
use yaml_rust2::scanner::TScalarStyle;

/// A collection being read, with the anchor that names it (0: none).
enum Open {
    Seq(Vec<Node>, usize),
    Map(MapState, usize),
}

/// A mapping being read: its entries in order, and the keys of each list as a set.
#[derive(Default)]
struct MapState {
    entries: Vec<(CompactString, Node)>,
    keys: FxHashSet<CompactString>,
    /// The key read, whose value comes next.
    key: Option<CompactString>,
    /// What `<<` merge keys bring: the entries the mapping does not set itself.
    merged: Vec<(CompactString, Node)>,
    merged_keys: FxHashSet<CompactString>,
}

impl MapState {
    /// An entry of the mapping's own; a key written twice is an error, as in Terraform.
    fn insert(&mut self, k: CompactString, n: Node, line: usize) -> Fx<()> {
        if !self.keys.insert(k.clone()) {
            return Err(Halt::Err(format!(
                "invalid YAML: the key \"{k}\" is already defined (line {line})"
            )));
        }
        self.entries.push((k, n));
        Ok(())
    }

    /// The merge key `<<: *base` (or a list of them); an earlier source wins over a later one.
    fn merge(&mut self, v: Value) -> Fx<()> {
        let sources = match v {
            Value::Object(m) => vec![m],
            Value::List(items) => items
                .into_iter()
                .map(|n| match n.value {
                    Value::Object(m) => Ok(m),
                    _ => Err(Halt::Err("invalid YAML: << merges mappings only".into())),
                })
                .collect::<Fx<_>>()?,
            _ => return Err(Halt::Err("invalid YAML: << merges mappings only".into())),
        };
        for (k, n) in sources.into_iter().flatten() {
            if self.merged_keys.insert(k.clone()) {
                self.merged.push((k, n));
            }
        }
        Ok(())
    }

    fn finish(mut self) -> Value {
        for (k, n) in self.merged {
            if !self.keys.contains(&k) {
                self.entries.push((k, n));
            }
        }
        Value::Object(self.entries)
    }
}

pub(super) fn yamldecode(a: &[Node], sp: Option<Span>, lim: &mut Limits) -> Fx<Value> {
    let text = to_str(&a[0].value)?;
    let mut parser = Parser::new_from_str(&text);
    let mut stack: Vec<Open> = Vec::new();
    let mut anchors: FxHashMap<usize, Value> = FxHashMap::default();
    let mut documents = 0;
    let mut result = Value::Null;
    loop {
        let (event, mark) = parser
            .next_token()
            .map_err(|e| Halt::Err(format!("invalid YAML: {e}")))?;
        charge(lim, 1)?;
        let (done, anchor) = match event {
            Event::StreamEnd => break,
            Event::DocumentStart => {
                documents += 1;
                if documents > 1 {
                    return Err(Halt::Err(format!(
                        "invalid YAML: a second document on line {} (one is allowed)",
                        mark.line()
                    )));
                }
                continue;
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                // As deep as JSON may nest: values are walked recursively downstream.
                if stack.len() >= crate::limits::current().json_depth {
                    return Err(Halt::Err(format!(
                        "YAML nested deeper than {} levels (line {})",
                        stack.len(),
                        mark.line()
                    )));
                }
                stack.push(match event {
                    Event::SequenceStart(..) => Open::Seq(Vec::new(), anchor),
                    _ => Open::Map(MapState::default(), anchor),
                });
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => match stack.pop() {
                Some(Open::Seq(items, anchor)) => (Value::List(items), anchor),
                Some(Open::Map(map, anchor)) => (map.finish(), anchor),
                None => continue,
            },
            Event::Scalar(text, style, anchor, tag) => (scalar(text, style, tag.as_ref()), anchor),
            Event::Alias(id) => {
                let v = anchors.get(&id).cloned().ok_or_else(|| {
                    Halt::Err(format!(
                        "invalid YAML: unknown alias on line {}",
                        mark.line()
                    ))
                })?;
                lim.charge_value(&v)?;
                (v, 0)
            }
            Event::Nothing | Event::StreamStart | Event::DocumentEnd => continue,
        };
        if anchor != 0 {
            anchors.insert(anchor, done.clone());
        }
        let node = Node::new(done, sp);
        match stack.last_mut() {
            None => result = node.value,
            Some(Open::Seq(items, _)) => items.push(node),
            Some(Open::Map(map, _)) => match map.key.take() {
                None => map.key = Some(map_key(node.value)?),
                Some(k) if k == "<<" => map.merge(node.value)?,
                Some(k) => map.insert(k, node, mark.line())?,
            },
        }
    }
    Ok(result)
}

/// A plain scalar is resolved by YAML 1.2's core schema; a quoted or block one is text, as is
/// one tagged `!!str`.
fn scalar(text: String, style: TScalarStyle, tag: Option<&Tag>) -> Value {
    let core = tag.filter(|t| t.handle == "tag:yaml.org,2002:" || t.handle == "!!");
    if let Some(t) = core {
        if t.suffix == "str" {
            return Value::String(text.into());
        }
    } else if tag.is_some() || style != TScalarStyle::Plain {
        return Value::String(text.into());
    }
    match text.as_str() {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        _ => {}
    }
    number(&text).map_or_else(|| Value::String(text.into()), Value::Number)
}

/// A core-schema number: decimal, `0x` hexadecimal or `0o` octal integers, and decimal
/// fractions with an exponent.
fn number(s: &str) -> Option<f64> {
    if let Some(hex) = s.strip_prefix("0x") {
        return i64::from_str_radix(hex, 16).ok().map(|i| i as f64);
    }
    if let Some(oct) = s.strip_prefix("0o") {
        return i64::from_str_radix(oct, 8).ok().map(|i| i as f64);
    }
    // Rust reads `inf` and `nan`, which YAML spells `.inf` and Terraform cannot hold.
    let numeric = s
        .bytes()
        .all(|b| b.is_ascii_digit() || b"+-.eE".contains(&b));
    (numeric && s.bytes().any(|b| b.is_ascii_digit()))
        .then(|| s.parse::<f64>().ok())
        .flatten()
}

/// Keys are text in Terraform's objects; a collection as a key is not supported.
fn map_key(v: Value) -> Fx<CompactString> {
    Ok(match v {
        Value::String(s) => s,
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string().into(),
        Value::Number(n) => crate::value::number_text(n).into(),
        _ => return Err(Halt::Err("invalid YAML: a key must be a scalar".into())),
    })
}
