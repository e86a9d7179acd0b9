//! The dynamic value that both evaluators (HCL and ARM expressions) produce.
//!
//! A value is either known data, a reference to another resource (Terraform `x.y.id`, followed by
//! linking), symbolic (known only at deployment, but the same expression everywhere: see
//! [`crate::symbolic`]), or unknown with the input it depends on. Unknowns propagate: an operation
//! on an unknown gives an unknown with the same provenance, never a guess.

use compact_str::CompactString;

use crate::source::Span;
use crate::symbolic::Symbolic;

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Number(f64),
    String(CompactString),
    /// A string that depends only on the deployment (`acr{uniqueString(resourceGroup().id)}`).
    Symbolic(Symbolic),
    List(Vec<Node>),
    /// Object or map; keys keep their written order.
    Object(Vec<(CompactString, Node)>),
    /// A reference to an attribute of a resource in the same evaluation scope, for example
    /// `azurerm_container_registry.acr.id` (addr `azurerm_container_registry.acr`, attr `id`).
    Ref(ResourceRef),
    Unknown(Unknown),
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ResourceRef {
    /// Full address of the referenced resource, e.g. `azurerm_container_registry.acr`,
    /// `data.azurerm_container_registry.shared`, `module.net.azurerm_subnet.pe`.
    pub addr: String,
    /// The attribute path read from it, e.g. `["id"]` or `["name"]`.
    pub attr: Vec<String>,
}

impl ResourceRef {
    /// The same reference, one attribute (or index) further.
    pub fn with(mut self, attr: &str) -> ResourceRef {
        self.attr.push(attr.to_string());
        self
    }
}

/// A number as text, the way Terraform and ARM print it: whole numbers without a fraction
/// (`3`, not `3.0`), others as Rust prints them.
pub fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e17 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// Why a value is not known, and which input would make it known.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Unknown {
    /// The input the value depends on, as the user writes it: `var.allow_public`,
    /// `parameters('sku')`, `reference(...)`, `module.remote`.
    pub depends_on: String,
    /// A short explanation: "has no default", "is only known after apply", ...
    pub reason: String,
    /// For a string that input nobody gave makes unknown, the string with that input as a
    /// symbolic term (`privatelink.{parameters('zone')}`, encoded by [`crate::symbolic`]): the
    /// same input is the same value everywhere in a deployment, so a zone named
    /// `[parameters('zone')]` is the one `resourceId(..., parameters('zone'))` names, although
    /// neither is known.
    pub identity: Option<Box<str>>,
}

impl Unknown {
    pub fn new(depends_on: impl Into<String>, reason: impl Into<String>) -> Unknown {
        Unknown {
            depends_on: depends_on.into(),
            reason: reason.into(),
            identity: None,
        }
    }

    /// For a `parent/child` name made of an input nobody gave, the parent's name, as the same
    /// identity (`{parameters('pe')}` of `{parameters('pe')}/default`).
    pub fn parent_identity(&self) -> Option<&str> {
        self.identity.as_deref()?.rsplit_once('/').map(|(p, _)| p)
    }

    /// For a `parent/child` name where only the child's part is unknown
    /// (`privatelink.azurecr.io/to_{parameters('vnet')}`), the parent's name, known.
    /// So is a parent that only the deployment names (`privatelink{environment()...}`).
    pub fn known_parent(&self) -> Option<&str> {
        self.parent_identity().filter(|p| {
            crate::symbolic::Symbolic::from_encoded(*p).map_or(true, |s| !s.reads_input())
        })
    }

    /// An unknown input that is the same value wherever it is read (a template parameter).
    pub fn input(depends_on: impl Into<String>, reason: impl Into<String>) -> Unknown {
        let depends_on = depends_on.into();
        let identity = Some(crate::symbolic::encode_term(&depends_on).into());
        Unknown {
            depends_on,
            reason: reason.into(),
            identity,
        }
    }
}

/// A value with the span of the source text it came from (the expression that produced it).
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub value: Value,
    pub span: Option<Span>,
    /// Where the value was written, when that is elsewhere than `span`: the `.tfvars` line or
    /// module argument behind `var.x`, the parameter file line behind `parameters('x')`. Findings
    /// show it as a related location.
    pub origin: Option<Span>,
}

impl Node {
    pub fn new(value: Value, span: Option<Span>) -> Node {
        Node {
            value,
            span,
            origin: None,
        }
    }

    pub fn unknown(u: Unknown, span: Option<Span>) -> Node {
        Node::new(Value::Unknown(u), span)
    }

    /// Member of an object by key (exact match first, then ASCII case-insensitive, as ARM property
    /// names are case-insensitive and Terraform's are lower case by convention).
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.value.get(key)
    }

    /// Follow a path of object keys.
    pub fn path(&self, keys: &[&str]) -> Option<&Node> {
        let mut node = self;
        for k in keys {
            node = node.get(k)?;
        }
        Some(node)
    }
}

impl Value {
    pub fn get(&self, key: &str) -> Option<&Node> {
        match self {
            Value::Object(members) => {
                // One pass: an exact match wins wherever it is, else the first folded one.
                let mut folded = None;
                for (k, v) in members {
                    if k == key {
                        return Some(v);
                    }
                    if folded.is_none() && k.eq_ignore_ascii_case(key) {
                        folded = Some(v);
                    }
                }
                folded
            }
            _ => None,
        }
    }

    /// A string, or a symbolic one as encoded text (equal texts are equal values; ids built
    /// from it still split on `/`).
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            Value::Symbolic(s) => Some(s.encoded()),
            _ => None,
        }
    }

    /// A string value from text that may hold symbolic terms (the result of joining texts).
    pub fn text(text: impl Into<CompactString>) -> Value {
        Symbolic::from_encoded(text).map_or_else(Value::String, Value::Symbolic)
    }

    /// The first unknown found in this value, depth first (for provenance of a composite).
    pub fn first_unknown(&self) -> Option<&Unknown> {
        match self {
            Value::Unknown(u) => Some(u),
            Value::List(items) => items.iter().find_map(|n| n.value.first_unknown()),
            Value::Object(members) => members.iter().find_map(|(_, n)| n.value.first_unknown()),
            _ => None,
        }
    }

    /// The value as an argument written in an expression (`'azurecr.io'`, `environment().name`),
    /// for the identity of a result made of it: a string quoted by `quote`, a symbolic text or an
    /// unknown input as its term. `None` for a value with no such text (a collection, an unknown
    /// without identity).
    pub fn argument_text(&self, quote: fn(&str) -> String, null: &str) -> Option<String> {
        let encoded = match self {
            Value::String(s) => return Some(quote(s)),
            Value::Number(n) => return Some(number_text(*n)),
            Value::Bool(b) => return Some(b.to_string()),
            Value::Null => return Some(null.into()),
            Value::Symbolic(s) => s.encoded(),
            Value::Unknown(u) => u.identity.as_deref()?,
            Value::List(_) | Value::Object(_) | Value::Ref(_) => return None,
        };
        Some(match crate::symbolic::whole_term(encoded) {
            Some(term) => term.into_owned(),
            None => quote(&crate::symbolic::display(encoded)),
        })
    }

    /// Compact JSON text of a value, as ARM's `string()` writes it (symbolic text kept
    /// encoded); `None` if any part is unknown.
    pub fn to_json(&self) -> Option<String> {
        let quote = |s: &str| serde_json::to_string(s).ok();
        Some(match self {
            Value::Null => "null".into(),
            Value::Bool(b) => b.to_string(),
            Value::Number(n) => number_text(*n),
            Value::String(s) => quote(s)?,
            Value::Symbolic(s) => quote(s.encoded())?,
            Value::List(items) => {
                let parts: Option<Vec<String>> = items.iter().map(|n| n.value.to_json()).collect();
                format!("[{}]", parts?.join(","))
            }
            Value::Object(members) => {
                let parts: Option<Vec<String>> = members
                    .iter()
                    .map(|(k, n)| Some(format!("{}:{}", quote(k)?, n.value.to_json()?)))
                    .collect();
                format!("{{{}}}", parts?.join(","))
            }
            Value::Ref(_) | Value::Unknown(_) => return None,
        })
    }

    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "bool",
            Value::Number(_) => "number",
            Value::String(_) | Value::Symbolic(_) => "string",
            Value::List(_) => "list",
            Value::Object(_) => "object",
            Value::Ref(_) => "reference",
            Value::Unknown(_) => "unknown",
        }
    }

    /// A JSON document as a value, every node spanned at `span` (the expression that decoded
    /// it). Parsed by the span-keeping parser ([`crate::load::json`]) like every user file, with
    /// its nesting limit; strings that hold symbolic terms stay symbolic.
    pub fn from_json(json: &crate::load::json::Json, span: Option<Span>) -> Value {
        use crate::load::json::JsonValue;
        match &json.value {
            JsonValue::Null => Value::Null,
            JsonValue::Bool(b) => Value::Bool(*b),
            JsonValue::Number(n) => Value::Number(*n),
            JsonValue::String(x) => Value::text(x.as_str()),
            JsonValue::Array(items) => Value::List(
                items
                    .iter()
                    .map(|v| Node::new(Value::from_json(v, span), span))
                    .collect(),
            ),
            JsonValue::Object(members) => Value::Object(
                members
                    .iter()
                    .map(|(k, v)| {
                        (
                            k.name.as_str().into(),
                            Node::new(Value::from_json(v, span), span),
                        )
                    })
                    .collect(),
            ),
        }
    }
}
