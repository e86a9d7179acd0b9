//! ARM template expressions (reference, section 7): parsing and static evaluation.
//!
//! A JSON string is an expression when it starts with `[` and ends with `]`; `[[` escapes a
//! literal. Evaluation returns a [`Value`]; whatever cannot be known statically (runtime state,
//! parameters nobody gave, unsupported functions) is [`Value::Unknown`] with the input it depends
//! on, and unknowns propagate through every function except where a known argument decides
//! (`if` with a known condition, `and`, `or`, `coalesce`).
//!
//! # Deployment-scope values
//!
//! The subscription, resource group, tenant and location of a deployment are not known
//! statically, yet two ids built in the same scope must compare equal so that linking works. They
//! evaluate to symbolic values ([`crate::symbolic`]): `resourceGroup().name` is the term
//! `{resourceGroup().name}`, `resourceGroup().id` is
//! `/subscriptions/{subscription().subscriptionId}/resourceGroups/{resourceGroup().name}`, and
//! `resourceId()` builds ids with them. `uniqueString()` and `guid()` of a symbolic argument are
//! the term naming the call (`{uniqueString(resourceGroup().id)}`): equal inputs still give equal
//! values, and no fake hash is ever produced. Comparisons (`equals`, `contains`, ...) that
//! involve a symbolic value and could go either way at deployment are unknown.

mod functions;
pub mod parse;

use std::cell::Cell;

pub use functions::names as function_names;
pub(crate) use functions::push_type_name_pairs;
pub use parse::{Expr, ParseError};

use crate::symbolic::{self, Symbolic};
use crate::value::{Node, Unknown, Value};
use compact_str::CompactString;

// The deployment's own values, as symbolic terms (the encoding of `crate::symbolic`).
pub const SUBSCRIPTION_PLACEHOLDER: &str = "\u{E000}subscription().subscriptionId\u{E001}";
pub const RESOURCE_GROUP_PLACEHOLDER: &str = "\u{E000}resourceGroup().name\u{E001}";
pub const TENANT_PLACEHOLDER: &str = "\u{E000}subscription().tenantId\u{E001}";
pub const LOCATION_PLACEHOLDER: &str = "\u{E000}resourceGroup().location\u{E001}";
pub const MANAGEMENT_GROUP_PLACEHOLDER: &str = "\u{E000}managementGroup().name\u{E001}";
/// The name of the cloud deployed to (`AzureCloud`, `AzureUSGovernment`, `AzureChinaCloud`), which
/// templates test to choose a zone name: a term, so that such a choice is not made for the
/// public cloud alone.
pub const CLOUD_NAME_PLACEHOLDER: &str = "\u{E000}environment().name\u{E001}";
/// The registry login suffix of the cloud deployed to (`.azurecr.io`, `.azurecr.us`,
/// `.azurecr.cn`): the one value of `environment()` that rules judge, so it names no cloud.
pub const ACR_SUFFIX_PLACEHOLDER: &str = "\u{E000}environment().suffixes.acrLoginServer\u{E001}";

/// Longest text lower-cased on the stack by [`with_ascii_lower`].
const LOWER_BUF: usize = 64;

/// Call `f` with `s` in ASCII lower case, without allocating for short texts (names looked up
/// case-insensitively in hot paths).
pub fn with_ascii_lower<R>(s: &str, f: impl FnOnce(&str) -> R) -> R {
    let mut buf = [0u8; LOWER_BUF];
    match buf.get_mut(..s.len()) {
        Some(b) => {
            b.copy_from_slice(s.as_bytes());
            b.make_ascii_lowercase();
            // ASCII lower-casing keeps UTF-8 valid.
            f(std::str::from_utf8(b).unwrap_or_default())
        }
        None => f(&s.to_ascii_lowercase()),
    }
}

/// Where a template is deployed: decides what `resourceId()` and `resourceGroup()` return.
#[derive(Clone, Debug, PartialEq)]
pub enum DeploymentScope {
    Tenant,
    ManagementGroup(String),
    Subscription(String),
    ResourceGroup { subscription: String, group: String },
}

impl Default for DeploymentScope {
    /// A resource-group deployment in a subscription and group known only at deployment.
    fn default() -> DeploymentScope {
        DeploymentScope::ResourceGroup {
            subscription: SUBSCRIPTION_PLACEHOLDER.into(),
            group: RESOURCE_GROUP_PLACEHOLDER.into(),
        }
    }
}

impl DeploymentScope {
    /// The deployment scope a template's `$schema` names (resource group when unrecognised).
    pub fn from_schema(schema: &str) -> DeploymentScope {
        let lower = schema.to_ascii_lowercase();
        if lower.contains("subscriptiondeploymenttemplate") {
            DeploymentScope::Subscription(SUBSCRIPTION_PLACEHOLDER.into())
        } else if lower.contains("managementgroupdeploymenttemplate") {
            DeploymentScope::ManagementGroup(MANAGEMENT_GROUP_PLACEHOLDER.into())
        } else if lower.contains("tenantdeploymenttemplate") {
            DeploymentScope::Tenant
        } else {
            DeploymentScope::default()
        }
    }

    pub fn subscription(&self) -> Option<&str> {
        match self {
            DeploymentScope::Subscription(s)
            | DeploymentScope::ResourceGroup {
                subscription: s, ..
            } => Some(s),
            _ => None,
        }
    }

    /// The id of the scope itself: `""` for the tenant, `/subscriptions/{s}`, ...
    pub fn id(&self) -> String {
        let mut id = String::new();
        self.push_id(&mut id);
        id
    }

    /// [`DeploymentScope::id`] appended to `out`.
    pub fn push_id(&self, out: &mut String) {
        let parts: [&str; 4] = match self {
            DeploymentScope::Tenant => return,
            DeploymentScope::ManagementGroup(mg) => [
                "/providers/Microsoft.Management/managementGroups/",
                mg,
                "",
                "",
            ],
            DeploymentScope::Subscription(s) => ["/subscriptions/", s, "", ""],
            DeploymentScope::ResourceGroup {
                subscription,
                group,
            } => ["/subscriptions/", subscription, "/resourceGroups/", group],
        };
        out.reserve(parts.iter().map(|p| p.len()).sum());
        for p in parts {
            out.push_str(p);
        }
    }
}

/// Largest string or list an expression may produce.
pub const MAX_VALUE_LEN: usize = 1_000_000;

/// Budgets shared by one load, so that hostile templates cannot overflow the stack or hang.
#[derive(Debug, Default)]
pub struct Limits {
    depth: Cell<usize>,
    steps: Cell<u64>,
    /// Bytes of values produced (`value_size` in [`crate::limits`]).
    bytes: Cell<u64>,
    /// The first limit that stopped an evaluation, until the loader reports it.
    stopped: Cell<Option<Stop>>,
    /// Whether the loader reported a stop already: each load reports the first one only.
    reported: Cell<bool>,
}

/// Which limit stopped an evaluation (its value is unknown then).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    Steps,
    Depth,
    Size,
}

impl Stop {
    /// The error entry for the expression whose evaluation this limit stopped.
    pub fn message(self) -> String {
        let lim = crate::limits::current();
        match self {
            Stop::Steps => format!(
                "evaluation stopped: the template takes more than {} steps (`steps` under \
                 [limits]); this value and those that depend on it are unknown",
                lim.steps
            ),
            Stop::Depth => format!(
                "evaluation stopped: expressions nest more than {} levels deep; this value and \
                 those that depend on it are unknown",
                lim.eval_depth
            ),
            Stop::Size => format!(
                "evaluation stopped: this expression produces a value larger than acrlint \
                 evaluates ({} bytes per value, {} in all: `value-size` under [limits]); it \
                 and the values that depend on it are unknown",
                MAX_VALUE_LEN, lim.value_size
            ),
        }
    }
}

/// Decrements the depth when dropped.
pub struct DepthGuard<'a>(&'a Limits);

impl Drop for DepthGuard<'_> {
    fn drop(&mut self) {
        self.0.depth.set(self.0.depth.get().saturating_sub(1));
    }
}

impl Limits {
    /// Enter one level of evaluation; `None` when the depth or step budget is spent.
    pub fn enter(&self) -> Option<DepthGuard<'_>> {
        let steps = self.steps.get() + 1;
        self.steps.set(steps);
        let limits = crate::limits::current();
        if self.depth.get() >= limits.eval_depth {
            self.stop(Stop::Depth);
            return None;
        }
        if steps > limits.steps {
            self.stop(Stop::Steps);
            return None;
        }
        self.depth.set(self.depth.get() + 1);
        Some(DepthGuard(self))
    }

    /// Charge `n` steps for elements produced; false (charging nothing) when that would pass the
    /// step budget.
    pub fn charge(&self, n: usize) -> bool {
        let steps = self.steps.get().saturating_add(n as u64);
        if steps > crate::limits::current().steps {
            self.stop(Stop::Steps);
            return false;
        }
        self.steps.set(steps);
        true
    }

    /// Record that `why` stopped an evaluation.
    pub fn stop(&self, why: Stop) {
        if self.stopped.get().is_none() {
            self.stopped.set(Some(why));
        }
    }

    /// The limit that stopped an evaluation, the first time it is asked after one did: the loader
    /// reports it once, at the expression being evaluated.
    pub fn take_stop(&self) -> Option<Stop> {
        let stop = self.stopped.get().filter(|_| !self.reported.get())?;
        self.reported.set(true);
        Some(stop)
    }

    /// Charge the size of a value produced (a function's result, a copy of a parameter or
    /// variable); false when that would pass the byte budget (nothing is charged then).
    pub fn charge_value(&self, v: &Value) -> bool {
        let bytes = self
            .bytes
            .get()
            .saturating_add(crate::resolve::value_bytes(v));
        if bytes > crate::limits::current().value_size {
            self.stop(Stop::Size);
            return false;
        }
        self.bytes.set(bytes);
        true
    }

    /// Would `n` more bytes fit in the byte budget? Asked before building something large.
    pub fn fits(&self, n: u64) -> bool {
        let fits = self.bytes.get().saturating_add(n) <= crate::limits::current().value_size;
        if !fits {
            self.stop(Stop::Size);
        }
        fits
    }

    /// The unknown a value becomes when producing it would pass the byte budget.
    pub fn too_large() -> Unknown {
        Unknown::new(
            "(value size limit)",
            format!(
                "is not evaluated: the template produces more than {} bytes of values \
                 (`value-size` under [limits])",
                crate::limits::current().value_size
            ),
        )
    }

    pub fn exhausted() -> Unknown {
        Unknown::new(
            "(evaluation limit)",
            "is nested too deeply or too costly to evaluate statically",
        )
    }
}

/// What an expression can see: the template scope it is evaluated in.
pub trait Env {
    fn scope(&self) -> &DeploymentScope;
    fn limits(&self) -> &Limits;
    /// `parameters('name')` (names are case-insensitive).
    fn parameter(&self, name: &str) -> Value;
    /// `variables('name')`.
    fn variable(&self, name: &str) -> Value;
    /// `parameters('name')` or `variables('name')` (`parameter` says which) followed by member
    /// and index `steps`: environments that hold the value read it in place.
    fn read(&self, parameter: bool, name: &str, steps: &[Step]) -> Value {
        let whole = match parameter {
            true => self.parameter(name),
            false => self.variable(name),
        };
        walk(&whole, steps)
    }
    /// `copyIndex()` / `copyIndex('loop')`, without offset.
    fn copy_index(&self, loop_name: Option<&str>) -> Value;
    /// `reference(target)` when its value is known statically (outputs of a nested deployment
    /// in the same template); `None` makes it unknown.
    fn reference(&self, _target: &str) -> Option<Value> {
        None
    }
    /// `lambdaVariables('name')` inside `map`, `filter`, ...
    fn lambda_variable(&self, _name: &str) -> Option<Value> {
        None
    }
    /// A user-defined function (`ns.fn(...)`); `None` when the template defines none by that name.
    fn call_user_function(&self, _name: &str, _args: Vec<Value>) -> Option<Value> {
        None
    }
}

/// An environment that adds one thing to another and answers everything else from it.
pub struct Layer<'a> {
    pub parent: &'a dyn Env,
    pub adds: Adds,
}

/// What a [`Layer`] adds.
pub enum Adds {
    /// One iteration of a property or variable copy loop: `copyIndex()` / `copyIndex('name')`.
    CopyIndex { name: Option<String>, index: Value },
    /// `lambdaVariables('name')` inside `map`, `filter`, ...
    LambdaVariables(Vec<(String, Value)>),
}

impl Env for Layer<'_> {
    fn scope(&self) -> &DeploymentScope {
        self.parent.scope()
    }
    fn limits(&self) -> &Limits {
        self.parent.limits()
    }
    fn parameter(&self, name: &str) -> Value {
        self.parent.parameter(name)
    }
    fn variable(&self, name: &str) -> Value {
        self.parent.variable(name)
    }
    fn read(&self, parameter: bool, name: &str, steps: &[Step]) -> Value {
        self.parent.read(parameter, name, steps)
    }
    fn copy_index(&self, loop_name: Option<&str>) -> Value {
        let Adds::CopyIndex { name, index } = &self.adds else {
            return self.parent.copy_index(loop_name);
        };
        let own = match loop_name {
            Some(n) => name.as_deref().is_some_and(|x| x.eq_ignore_ascii_case(n)),
            None => false,
        };
        if own {
            return index.clone();
        }
        match self.parent.copy_index(loop_name) {
            Value::Null if loop_name.is_none() => index.clone(),
            v => v,
        }
    }
    fn reference(&self, target: &str) -> Option<Value> {
        self.parent.reference(target)
    }
    fn lambda_variable(&self, name: &str) -> Option<Value> {
        let own = match &self.adds {
            Adds::LambdaVariables(vars) => vars
                .iter()
                .rev()
                .find(|(n, _)| n.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.clone()),
            Adds::CopyIndex { .. } => None,
        };
        own.or_else(|| self.parent.lambda_variable(name))
    }
    fn call_user_function(&self, name: &str, args: Vec<Value>) -> Option<Value> {
        self.parent.call_user_function(name, args)
    }
}

/// What a JSON string means in a template.
#[derive(Debug, PartialEq)]
pub enum StringKind<'a> {
    Literal(&'a str),
    /// The text between the outer brackets.
    Expression(&'a str),
}

pub fn classify(s: &str) -> StringKind<'_> {
    if s.len() >= 2 && s.starts_with('[') && s.ends_with(']') {
        if s.starts_with("[[") {
            return StringKind::Literal(&s[1..]);
        }
        let inner = &s[1..s.len() - 1];
        if !inner.trim().is_empty() {
            return StringKind::Expression(inner);
        }
    }
    StringKind::Literal(s)
}

/// Evaluate a template string: a literal, an escaped literal, or an expression. A syntax error
/// carries the byte offset in `s`.
pub fn eval_string(s: &str, env: &dyn Env) -> Result<Value, ParseError> {
    match classify(s) {
        StringKind::Literal(l) => Ok(Value::String(l.into())),
        StringKind::Expression(inner) => match simple_read(inner) {
            Some((parameter, name)) => Ok(eval_read(parameter, name, env)),
            None => match parse::parse(inner) {
                Ok(expr) => Ok(eval(&expr, inner, env)),
                Err(mut e) => {
                    e.offset += 1;
                    Err(e)
                }
            },
        },
    }
}

/// `parameters('name')` or `variables('name')` written exactly so as the whole expression (the
/// commonest expressions): `(true for parameters, name)`.
fn simple_read(inner: &str) -> Option<(bool, &str)> {
    if inner.len() > parse::MAX_EXPR_LEN {
        return None;
    }
    let (function, rest) = inner.split_at(inner.find("('")?);
    let parameter = if function.eq_ignore_ascii_case("parameters") {
        true
    } else if function.eq_ignore_ascii_case("variables") {
        false
    } else {
        return None;
    };
    let name = rest.strip_prefix("('")?.strip_suffix("')")?;
    (!name.contains('\'')).then_some((parameter, name))
}

/// A [`simple_read`] evaluated without a syntax tree, with the steps and depth that evaluating
/// the call and its literal argument take.
fn eval_read(parameter: bool, name: &str, env: &dyn Env) -> Value {
    let Some(_call) = env.limits().enter() else {
        return Value::Unknown(Limits::exhausted());
    };
    let value = match env.limits().enter() {
        None => Value::Unknown(Limits::exhausted()),
        Some(_argument) if parameter => env.parameter(name),
        Some(_argument) => env.variable(name),
    };
    charged(value, env)
}

/// A value produced or copied, charged against the byte budget: unknown when it would pass it.
fn charged(v: Value, env: &dyn Env) -> Value {
    match env.limits().charge_value(&v) {
        true => check_size(v, env.limits()),
        false => Value::Unknown(Limits::too_large()),
    }
}

/// Evaluate a parsed expression; `src` is the text it was parsed from.
pub fn eval(expr: &Expr, src: &str, env: &dyn Env) -> Value {
    let Some(_guard) = env.limits().enter() else {
        return Value::Unknown(Limits::exhausted());
    };
    match expr {
        Expr::Str(s) => Value::String((&**s).into()),
        Expr::Num(n) => Value::Number(*n),
        Expr::Bool(b) => Value::Bool(*b),
        Expr::Null => Value::Null,
        Expr::Call { name, args, text } => {
            let call_text = src.get(text.clone()).unwrap_or(name.as_ref());
            let v = functions::call(name, args, call_text, src, env);
            charged(v, env)
        }
        Expr::Member { .. } | Expr::Index { .. } if read_in_place(expr) => {
            eval_path(expr, src, env)
        }
        Expr::Member { target, name } => {
            // `environment().x.y` reads the member without building the whole object, with the
            // steps and depth the full evaluation would take.
            if let Some((c, levels)) = functions::constant_member(expr) {
                // This level is entered already.
                return match enter_levels(env.limits(), levels - 1) {
                    true => c.to_value(),
                    false => Value::Unknown(Limits::exhausted()),
                };
            }
            let t = eval(target, src, env);
            member(t, name)
        }
        Expr::Index { target, index } => {
            let t = eval(target, src, env);
            match eval(index, src, env) {
                Value::Symbolic(key) => select_by_symbolic(t, &key, || written(target, src)),
                i => index_value(t, i),
            }
        }
    }
}

/// One member or index step of a path read in place ([`Env::read`]).
pub enum Step<'s> {
    Member(&'s str),
    Index(Value),
}

/// Whether `expr` is a path of members and indexes from `parameters('x')` or `variables('x')`.
fn read_in_place(expr: &Expr) -> bool {
    match expr {
        Expr::Member { target, .. } | Expr::Index { target, .. } => read_in_place(target),
        Expr::Call { name, args, .. } => {
            matches!(args.as_slice(), [Expr::Str(_)])
                && (name.eq_ignore_ascii_case("parameters")
                    || name.eq_ignore_ascii_case("variables"))
        }
        _ => false,
    }
}

/// `variables('policies')[copyIndex()].properties.name`: the indexes evaluated, then the path
/// read in place, so that a large value is not copied whole for each read, nor charged so
/// against the byte budget. A key known only at deployment takes the general way (it may
/// become a term named by the expression).
fn eval_path(expr: &Expr, src: &str, env: &dyn Env) -> Value {
    let mut steps = Vec::new();
    let mut root = expr;
    loop {
        match root {
            Expr::Member { target, name } => {
                steps.push(Step::Member(name));
                root = target;
            }
            Expr::Index { target, index } => {
                match eval(index, src, env) {
                    Value::Symbolic(key) => {
                        let t = eval(target, src, env);
                        let picked = select_by_symbolic(t, &key, || written(target, src));
                        steps.reverse();
                        return charged(walk(&picked, &steps), env);
                    }
                    i => steps.push(Step::Index(i)),
                }
                root = target;
            }
            _ => break,
        }
    }
    steps.reverse();
    let Expr::Call { name, args, .. } = root else {
        return Value::Null;
    };
    let [Expr::Str(var)] = args.as_slice() else {
        return Value::Null;
    };
    // The levels the call, its argument and each step take in the general way.
    if !enter_levels(env.limits(), steps.len() + 1) {
        return Value::Unknown(Limits::exhausted());
    }
    let value = env.read(name.eq_ignore_ascii_case("parameters"), var, &steps);
    charged(value, env)
}

/// Follow `steps` from `v`, copying only what they lead to (or, where a step does not apply in
/// place, the value there, which [`member`] and [`index_value`] then explain).
pub fn walk(v: &Value, steps: &[Step]) -> Value {
    let mut at = v;
    for (i, step) in steps.iter().enumerate() {
        let next = match (at, step) {
            (Value::Object(members), Step::Member(key)) => member_ref(members, key),
            (Value::Object(members), Step::Index(Value::String(key))) => member_ref(members, key),
            (Value::List(items), Step::Index(Value::Number(n)))
                if *n >= 0.0 && n.fract() == 0.0 =>
            {
                items.get(*n as usize).map(|n| &n.value)
            }
            _ => None,
        };
        match next {
            Some(n) => at = n,
            None => {
                return steps[i..].iter().fold(at.clone(), |v, step| match step {
                    Step::Member(name) => member(v, name),
                    Step::Index(i) => index_value(v, i.clone()),
                })
            }
        }
    }
    at.clone()
}

/// A property by name, exact first, then ASCII case-insensitively (as [`member`]).
fn member_ref<'v>(members: &'v [(CompactString, Node)], key: &str) -> Option<&'v Value> {
    let found = members.iter().find(|(k, _)| k == key);
    found
        .or_else(|| members.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)))
        .map(|(_, n)| &n.value)
}

/// Enter `n` nested levels of evaluation (and leave them): does the budget allow it?
fn enter_levels(limits: &Limits, n: usize) -> bool {
    match n {
        0 => true,
        _ => match limits.enter() {
            Some(_guard) => enter_levels(limits, n - 1),
            None => false,
        },
    }
}

fn check_size(v: Value, limits: &Limits) -> Value {
    let len = match &v {
        Value::String(s) => s.len(),
        Value::List(l) => l.len(),
        Value::Object(o) => o.len(),
        _ => 0,
    };
    if len > MAX_VALUE_LEN {
        limits.stop(Stop::Size);
        Value::Unknown(Unknown::new(
            "(value size limit)",
            format!("is larger than {MAX_VALUE_LEN} elements or bytes"),
        ))
    } else {
        v
    }
}

/// `x.name`: property names are case-insensitive.
pub fn member(target: Value, name: &str) -> Value {
    match target {
        // The region of a resource that exists already (`reference(vnetId, api, 'Full').location`)
        // is some region of the cloud deployed to, as `resourceGroup().location` is: symbolic.
        Value::Unknown(u)
            if name.eq_ignore_ascii_case("location") && u.depends_on.starts_with("reference(") =>
        {
            Value::Symbolic(Symbolic::term(&format!("{}.location", u.depends_on)))
        }
        Value::Unknown(u) => part_of(u, &format!(".{name}")),
        Value::Object(mut members) => {
            let pos = members.iter().position(|(k, _)| k == name).or_else(|| {
                members
                    .iter()
                    .position(|(k, _)| k.eq_ignore_ascii_case(name))
            });
            match pos {
                Some(i) => members.swap_remove(i).1.value,
                None => unknown(
                    format!(".{name}"),
                    format!(
                        "is not a property of the object (it has {})",
                        keys(&members)
                    ),
                ),
            }
        }
        other => unknown(
            format!(".{name}"),
            format!("cannot read a property of a {}", other.type_name()),
        ),
    }
}

fn keys(members: &[(CompactString, Node)]) -> String {
    if members.is_empty() {
        return "no properties".into();
    }
    let mut names: Vec<&str> = members.iter().take(8).map(|(k, _)| k.as_str()).collect();
    if members.len() > 8 {
        names.push("...");
    }
    names.join(", ")
}

/// `map[key]` where the key is known only at deployment (`regionCodes[deployment().location]`,
/// a common naming idiom): when every member is the same, that member; when every member is a
/// string, the selection is itself a deployment-time term (the same expression is the same name
/// everywhere); when every member is an object, an object of such selections, one per property
/// (`regions[location].short`); otherwise unknown, saying why.
fn select_by_symbolic(
    target: Value,
    key: &Symbolic,
    target_text: impl FnOnce() -> String,
) -> Value {
    let Value::Object(members) = target else {
        return index_value(target, Value::Symbolic(key.clone()));
    };
    let key_text = match symbolic::whole_term(key.encoded()) {
        Some(term) => term.into_owned(),
        None => format!("'{key}'"),
    };
    let text = format!("{}[{key_text}]", target_text());
    if is_cloud_name(key) {
        return select_by_cloud(&members, text, &key_text);
    }
    select_member(&members, text, &key_text)
}

/// The clouds `environment()` may describe, with their registry suffix (reference §7.4, §8.1).
const CLOUDS: [(&str, &str); 3] = [
    ("AzureCloud", ".azurecr.io"),
    ("AzureUSGovernment", ".azurecr.us"),
    ("AzureChinaCloud", ".azurecr.cn"),
];

/// Whether a key is the cloud's name (`environment().name`, in any case): members are found
/// without regard to case, so `toLower` and `toUpper` of it select the same ones.
fn is_cloud_name(key: &Symbolic) -> bool {
    let encoded = key.encoded();
    encoded == CLOUD_NAME_PLACEHOLDER
        || symbolic::whole_term(encoded).is_some_and(|term| {
            ["toLower", "toUpper"].iter().any(|f| {
                term.len() == f.len() + "(environment().name)".len()
                    && term
                        .get(..f.len())
                        .is_some_and(|t| t.eq_ignore_ascii_case(f))
                    && term.ends_with("(environment().name)")
            })
        })
}

/// `zones[toLower(environment().name)]` (Azure ML's secure-workspace templates): the member of
/// each cloud, where the map has one (in another cloud the lookup fails, and nothing deploys).
/// The same in every cloud, it is that value; each cloud's registry suffix between the same
/// text, it is that text around `environment().suffixes.acrLoginServer` (the registry zone of
/// whichever cloud, for `privatelink.azurecr.io`/`.us`/`.cn`); otherwise a term, as any
/// selection by a deployment-time key.
fn select_by_cloud(members: &[(CompactString, Node)], text: String, key_text: &str) -> Value {
    let each: Vec<(&str, &Value)> = (CLOUDS.iter())
        .filter_map(|(cloud, suffix)| member_ref(members, cloud).map(|v| (*suffix, v)))
        .collect();
    let Some(&(_, first)) = each.first() else {
        return unknown(
            text,
            "has no member for any cloud: it fails wherever it is deployed",
        );
    };
    if each.iter().all(|(_, v)| *v == first) {
        return first.clone();
    }
    let around = |(suffix, v): &(&str, &Value)| {
        let v = v.as_str()?;
        let at = v.to_ascii_lowercase().find(suffix)?;
        Some((v[..at].to_string(), v[at + suffix.len()..].to_string()))
    };
    let parts: Option<Vec<(String, String)>> = each.iter().map(around).collect();
    match parts {
        Some(parts) if parts.iter().all(|p| *p == parts[0]) => {
            let (before, after) = &parts[0];
            Value::text(format!("{before}{ACR_SUFFIX_PLACEHOLDER}{after}"))
        }
        _ => select_member(members, text, key_text),
    }
}

/// One of `members`, not known which, named `text` (see [`select_by_symbolic`]).
fn select_member(members: &[(CompactString, Node)], text: String, key_text: &str) -> Value {
    let first = members.first().map(|(_, n)| &n.value);
    if let Some(first) = first.filter(|&f| members.iter().all(|(_, n)| n.value == *f)) {
        return first.clone();
    }
    let all =
        |is: fn(&Value) -> bool| !members.is_empty() && members.iter().all(|(_, n)| is(&n.value));
    if all(|v| matches!(v, Value::String(_) | Value::Symbolic(_))) {
        return Value::Symbolic(Symbolic::term(&text));
    }
    if let (true, Some(Value::Object(properties))) = (all(|v| matches!(v, Value::Object(_))), first)
    {
        let selected = properties.iter().map(|(name, _)| {
            let text = format!("{text}.{name}");
            let each: Option<Vec<(CompactString, Node)>> = (members.iter())
                .map(|(k, n)| match &n.value {
                    Value::Object(p) => {
                        member_ref(p, name).map(|v| (k.clone(), Node::new(v.clone(), n.span)))
                    }
                    _ => None,
                })
                .collect();
            let value = match each {
                Some(each) => select_member(&each, text, key_text),
                None => unknown(
                    text,
                    "is not a property of every member the selection may be",
                ),
            };
            (name.clone(), Node::new(value, None))
        });
        return Value::Object(selected.collect());
    }
    unknown(
        text,
        format!("selects a member by `{key_text}`, which is only known at deployment"),
    )
}

/// An expression as written, for the term or message that names it.
fn written(expr: &Expr, src: &str) -> String {
    match expr {
        Expr::Str(s) => format!("'{s}'"),
        Expr::Num(n) => functions::number_text(*n),
        Expr::Bool(b) => b.to_string(),
        Expr::Null => "null()".into(),
        Expr::Call { name, text, .. } => src.get(text.clone()).unwrap_or(name).to_string(),
        Expr::Member { target, name } => format!("{}.{name}", written(target, src)),
        Expr::Index { target, index } => {
            format!("{}[{}]", written(target, src), written(index, src))
        }
    }
}

/// `x[i]` on arrays, `x['key']` on objects.
pub fn index_value(target: Value, index: Value) -> Value {
    match (target, index) {
        (Value::Unknown(u), Value::Number(n)) => {
            part_of(u, &format!("[{}]", functions::number_text(n)))
        }
        (Value::Unknown(u), Value::String(k)) => part_of(u, &format!("[{}]", literal(&k))),
        // Selected by an unknown key, or by one from a value unknown itself: which part is not
        // known, so neither is what it is the same as.
        (Value::Unknown(u), _) | (_, Value::Unknown(u)) => Value::Unknown(Unknown {
            identity: None,
            ..u
        }),
        (Value::List(mut items), Value::Number(n)) => {
            if n >= 0.0 && n.fract() == 0.0 && (n as usize) < items.len() {
                items.swap_remove(n as usize).value
            } else {
                unknown(
                    format!("[{}]", functions::number_text(n)),
                    format!("is out of range for an array of {} elements", items.len()),
                )
            }
        }
        (obj @ Value::Object(_), Value::String(k)) => member(obj, &k),
        (t, i) => unknown(
            "[...]",
            format!("cannot index a {} with a {}", t.type_name(), i.type_name()),
        ),
    }
}

/// A member or element (`step`: `.vnet`, `[4]`) of an unknown value: unknown for the same
/// reason. The identity of an input nobody gave becomes that of the part
/// (`{parameters('network').vnet}`), so that two parts of one input are not taken for the same
/// value, while the same part read twice still is.
fn part_of(u: Unknown, step: &str) -> Value {
    let identity = u.identity.as_deref().map(|id| {
        let whole = match symbolic::whole_term(id) {
            Some(term) => format!("{term}{step}"),
            None => format!("'{}'{step}", symbolic::display(id)),
        };
        symbolic::encode_term(&whole).into()
    });
    Value::Unknown(Unknown { identity, ..u })
}

/// `s` as an ARM string literal: `'...'` with its quotes doubled.
pub fn literal(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    push_literal(&mut out, s);
    out.push('\'');
    out
}

/// `s` inside an ARM string literal: quotes doubled.
pub fn push_literal(out: &mut String, s: &str) {
    for (i, part) in s.split('\'').enumerate() {
        if i > 0 {
            out.push_str("''");
        }
        out.push_str(part);
    }
}

pub(crate) fn unknown(depends_on: impl Into<String>, reason: impl Into<String>) -> Value {
    Value::Unknown(Unknown::new(depends_on, reason))
}

#[cfg(test)]
mod tests;
