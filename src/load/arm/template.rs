//! Evaluation of one template: parameters, variables and user functions (lazy, with cycle
//! detection), resource planning (copy loops, conditions, nested children), resource bodies,
//! nested deployments and outputs.

use rustc_hash::FxHashMap;
use std::cell::{Cell, RefCell};
use std::rc::Rc;

use crate::load::json::{Json, JsonValue};
use crate::load::{LoadError, Loaded, Mode, Note, Origin, Resource};
use crate::resolve::arm::{self, Adds, DeploymentScope, Env, Layer, Limits};
use crate::source::{FileId, Span};
use crate::symbolic;
use crate::value::{Node, Unknown, Value};
use compact_str::CompactString;

/// Most iterations of one copy loop (ARM itself allows 800), and most resource instances in one
/// template, nested deployments included: `instances` of the limits.
fn max_instances() -> usize {
    crate::limits::current().instances
}

/// Deepest chain of nested deployments followed.
fn max_deployment_depth() -> usize {
    crate::limits::current().deployment_depth
}

const DEPLOYMENTS: &str = "Microsoft.Resources/deployments";
const VNETS: &str = "Microsoft.Network/virtualNetworks";

/// Where the spans of one load's JSON point: an ARM template is one file, whose spans are its
/// byte offsets; a lowered Bicep configuration spans several files (the root, its modules, the
/// `.bicepparam`), each placed at its own base in one offset space so that `Json` stays one
/// `Range` per node.
#[derive(Clone, Debug)]
pub struct Space {
    /// `(base, file)`, sorted by base; the first base is 0.
    files: Vec<(usize, FileId)>,
    /// The format the resources are reported as written in.
    pub origin: Origin,
}

impl Space {
    /// One JSON file.
    pub fn file(file: FileId) -> Space {
        Space {
            files: vec![(0, file)],
            origin: Origin::Arm,
        }
    }

    /// Several files, each at its base (sorted, first 0), written in `origin`.
    pub fn files(files: Vec<(usize, FileId)>, origin: Origin) -> Space {
        debug_assert!(files.first().is_some_and(|(b, _)| *b == 0));
        Space { files, origin }
    }

    /// The file and in-file range of a range in this space.
    pub fn locate(&self, range: std::ops::Range<usize>) -> Span {
        let i = self
            .files
            .partition_point(|(base, _)| *base <= range.start)
            .saturating_sub(1);
        let (base, file) = self.files[i];
        Span::new(file, range.start - base..range.end.max(range.start) - base)
    }
}

/// State shared by every template of one load.
struct Ctx {
    space: Space,
    limits: Limits,
    errors: RefCell<Vec<LoadError>>,
    notes: RefCell<Vec<Note>>,
    resources: RefCell<Vec<Resource>>,
    instances: Cell<usize>,
    /// See `Loaded::shared_defaults`.
    shared_defaults: RefCell<Vec<Span>>,
    /// The files of the deployments being deployed, outermost first (`Resource::callers`).
    callers: RefCell<Vec<FileId>>,
}

impl Ctx {
    fn span(&self, j: &Json) -> Span {
        self.space.locate(j.span.clone())
    }

    fn error(&self, span: Span, message: impl Into<String>) {
        self.errors.borrow_mut().push(LoadError {
            file: span.file,
            span: Some(span),
            message: message.into(),
        });
    }
}

/// Evaluate a template and everything it deploys.
pub(crate) fn load(
    space: Space,
    doc: &Json,
    scope: DeploymentScope,
    given: FxHashMap<String, Value>,
    origins: FxHashMap<String, Span>,
) -> Loaded {
    let ctx = Ctx {
        space,
        limits: Limits::default(),
        errors: RefCell::new(Vec::new()),
        notes: RefCell::new(Vec::new()),
        resources: RefCell::new(Vec::new()),
        instances: Cell::new(0),
        shared_defaults: RefCell::new(Vec::new()),
        callers: RefCell::new(Vec::new()),
    };
    if !matches!(doc.value, JsonValue::Object(_)) {
        ctx.error(ctx.span(doc), "a deployment template must be a JSON object");
    } else {
        let mut t = Template::new(&ctx, doc, scope.clone(), given, true);
        t.origins.extend(origins);
        t.deploy(doc, &scope, "", 0, None);
    }
    Loaded {
        resources: merge_redeployed(ctx.resources.into_inner()),
        errors: ctx.errors.into_inner(),
        notes: ctx.notes.into_inner(),
        shared_defaults: ctx.shared_defaults.into_inner(),
        ..Loaded::default()
    }
}

/// A resource that a later deployment deploys again under the same id (a module in a loop whose
/// names do not change per iteration, as in AVM's `[for iteration in ['init', 'idem']: ...]` test
/// deployments) is one resource in Azure, in the state the last deployment left: it is kept once,
/// as last deployed, so that its copies are not taken for resources each missing what the other
/// has (an endpoint without the zone group that the other copy's deployment gave it). A later
/// deployment that may not happen (an unknown condition) does not replace a certain one: which
/// state is left is not known, so both stay.
fn merge_redeployed(resources: Vec<Resource>) -> Vec<Resource> {
    let mut kept: Vec<Resource> = Vec::with_capacity(resources.len());
    let mut last: FxHashMap<(Mode, String), usize> = FxHashMap::default();
    for r in resources.into_iter().rev() {
        let Some(id) = &r.id else {
            kept.push(r);
            continue;
        };
        let key = (r.mode, id.to_ascii_lowercase());
        match last.get(&key) {
            Some(&i) if kept[i].existence.is_none() || r.existence.is_some() => {}
            _ => {
                last.insert(key, kept.len());
                kept.push(r);
            }
        }
    }
    kept.reverse();
    kept
}

/// A lazily evaluated parameter or variable.
enum Slot<'a> {
    /// A JSON value to evaluate (a default value, a variable definition).
    Json(&'a Json),
    /// A variable `copy` definition (`{name, count, input}`).
    CopyVar(&'a Json),
    /// Being evaluated: its definition, where a cycle through it is reported.
    InProgress(&'a Json),
    Done(Value),
}

/// One iteration of a copy loop.
#[derive(Clone, Debug)]
struct CopyFrame {
    name: Option<String>,
    index: Value,
    /// A resource loop (what `copyIndex()` without a name refers to).
    resource: bool,
}

/// The expression scope of a template: its parameters, variables and functions.
struct Template<'a> {
    ctx: &'a Ctx,
    scope: DeploymentScope,
    params: FxHashMap<String, RefCell<Slot<'a>>>,
    vars: FxHashMap<String, RefCell<Slot<'a>>>,
    functions: FxHashMap<String, &'a Json>,
    /// Resource plans of the deployments being evaluated with this scope, innermost last, for
    /// `reference()` to nested deployments.
    plans: RefCell<Vec<Rc<Vec<Plan<'a>>>>>,
    /// Where parameter values given in parameter files are written, by lower-case name.
    origins: FxHashMap<String, Span>,
    /// A VNet's declared state is being read (see `declared_vnet_state`).
    reading_vnet_state: Cell<bool>,
}

/// Where resources are planned: their parent resource, enclosing copy loops, the deployment's
/// scope and address prefix, and why their creation may be uncertain.
#[derive(Clone, Copy)]
struct Placement<'p> {
    /// Type, name and address of the resource whose `resources` array this is.
    parent: Option<(&'p str, &'p Value, &'p str)>,
    copies: &'p [CopyFrame],
    target: &'p DeploymentScope,
    prefix: &'p str,
    existence: Option<&'p Unknown>,
}

/// A resource instance after its loop, condition, type and name are known.
struct Plan<'a> {
    json: &'a Json,
    keys: Keys<'a>,
    copies: Vec<CopyFrame>,
    rtype: String,
    name: Value,
    /// The name as written, for addresses when the name is unknown.
    name_text: &'a str,
    symbol: Option<&'a str>,
    /// Where the resource is deployed (its id's scope).
    target: DeploymentScope,
    /// The address of the resource it is nested in (see `Resource::parent`).
    parent: Option<String>,
    prefix: String,
    /// How many nested deployments deep its template is.
    depth: usize,
    /// Why it is not known whether it is created (an unknown condition or copy count, of it, a
    /// parent or an enclosing deployment).
    existence: Option<Unknown>,
    state: RefCell<PlanState>,
}

enum PlanState {
    /// Not run yet; the members evaluated while planning (by index), for the body.
    Pending(Vec<(usize, Node)>),
    Running,
    /// Done; a nested deployment's outputs when known.
    Done(Option<Value>),
}

/// The members of a resource that planning and evaluation read, found in one pass: the first
/// of each name, ASCII case-insensitively (as [`Json::get`] finds them).
#[derive(Clone, Copy, Default)]
struct Keys<'a> {
    rtype: Option<&'a Json>,
    name: Option<&'a Json>,
    copy: Option<&'a Json>,
    resources: Option<&'a Json>,
    existing: Option<&'a Json>,
    /// With their index among the members, as their values are kept for the body.
    condition: Option<(usize, &'a Json)>,
    subscription: Option<(usize, &'a Json)>,
    group: Option<(usize, &'a Json)>,
    scope: Option<usize>,
}

impl<'a> Keys<'a> {
    fn of(r: &'a Json) -> Keys<'a> {
        let mut keys = Keys::default();
        for (i, (k, v)) in r.members().iter().enumerate() {
            let slot = match member_kind(&k.name) {
                Member::Type => &mut keys.rtype,
                Member::Name => &mut keys.name,
                Member::Copy => &mut keys.copy,
                Member::Resources => &mut keys.resources,
                Member::Existing => &mut keys.existing,
                Member::Condition => {
                    keys.condition = keys.condition.or(Some((i, v)));
                    continue;
                }
                Member::SubscriptionId => {
                    keys.subscription = keys.subscription.or(Some((i, v)));
                    continue;
                }
                Member::ResourceGroup => {
                    keys.group = keys.group.or(Some((i, v)));
                    continue;
                }
                Member::DeploymentScope => {
                    keys.scope = keys.scope.or(Some(i));
                    continue;
                }
                Member::Properties | Member::Other => continue,
            };
            *slot = slot.or(Some(v));
        }
        keys
    }
}

/// The resource members with a meaning of their own.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Member {
    Type,
    Name,
    Copy,
    Resources,
    Existing,
    Properties,
    Condition,
    SubscriptionId,
    ResourceGroup,
    DeploymentScope,
    Other,
}

fn member_kind(key: &str) -> Member {
    let is = |word: &str| key.eq_ignore_ascii_case(word);
    match key.len() {
        4 if is("type") => Member::Type,
        4 if is("name") => Member::Name,
        4 if is("copy") => Member::Copy,
        5 if is("scope") => Member::DeploymentScope,
        8 if is("existing") => Member::Existing,
        9 if is("resources") => Member::Resources,
        9 if is("condition") => Member::Condition,
        10 if is("properties") => Member::Properties,
        13 if is("resourceGroup") => Member::ResourceGroup,
        14 if is("subscriptionId") => Member::SubscriptionId,
        _ => Member::Other,
    }
}

/// The instances of a resource: its copy loop's name and count.
struct Instances {
    name: Option<String>,
    count: Count,
}

enum Count {
    /// No copy loop: one instance, without a frame of its own.
    Single,
    Known(i64),
    /// Unknown: one representative instance whose index is unknown.
    Unknown(Unknown),
}

impl Instances {
    fn len(&self) -> i64 {
        match self.count {
            Count::Known(n) => n,
            Count::Single | Count::Unknown(_) => 1,
        }
    }

    /// The copy index of instance `i` (`None` without a loop).
    fn index(&self, i: i64) -> Option<Value> {
        match &self.count {
            Count::Single => None,
            Count::Known(_) => Some(Value::Number(i as f64)),
            Count::Unknown(u) => Some(Value::Unknown(u.clone())),
        }
    }
}

struct EvalEnv<'t, 'a> {
    t: &'t Template<'a>,
    copies: &'t [CopyFrame],
}

impl Env for EvalEnv<'_, '_> {
    fn scope(&self) -> &DeploymentScope {
        &self.t.scope
    }
    fn limits(&self) -> &Limits {
        &self.t.ctx.limits
    }
    fn parameter(&self, name: &str) -> Value {
        self.t.parameter(name)
    }
    fn variable(&self, name: &str) -> Value {
        self.t.variable(name)
    }
    fn read(&self, parameter: bool, name: &str, steps: &[arm::Step]) -> Value {
        self.t.read(parameter, name, steps)
    }
    fn copy_index(&self, loop_name: Option<&str>) -> Value {
        let frame = match loop_name {
            Some(n) => self
                .copies
                .iter()
                .rev()
                .find(|f| f.name.as_deref().is_some_and(|x| x.eq_ignore_ascii_case(n))),
            None => self
                .copies
                .iter()
                .rev()
                .find(|f| f.resource)
                .or(self.copies.last()),
        };
        frame.map(|f| f.index.clone()).unwrap_or(Value::Null)
    }
    fn reference(&self, target: &str) -> Option<Value> {
        self.t
            .deployment_outputs(target)
            .or_else(|| self.t.declared_vnet_state(target))
    }
    fn call_user_function(&self, name: &str, args: Vec<Value>) -> Option<Value> {
        self.t.user_function(name, args)
    }
}

/// The environment inside a user-defined function: its own parameters only.
struct FunctionEnv<'t, 'a> {
    t: &'t Template<'a>,
    name: String,
    params: Vec<(String, Value)>,
}

impl Env for FunctionEnv<'_, '_> {
    fn scope(&self) -> &DeploymentScope {
        &self.t.scope
    }
    fn limits(&self) -> &Limits {
        &self.t.ctx.limits
    }
    fn parameter(&self, name: &str) -> Value {
        self.params
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| {
                arm_unknown(
                    format!("parameters('{name}')"),
                    format!("is not a parameter of the function {}", self.name),
                )
            })
    }
    fn variable(&self, name: &str) -> Value {
        arm_unknown(
            format!("variables('{name}')"),
            "cannot be used inside a user-defined function",
        )
    }
    fn copy_index(&self, _loop_name: Option<&str>) -> Value {
        Value::Null
    }
    fn call_user_function(&self, name: &str, args: Vec<Value>) -> Option<Value> {
        self.t.user_function(name, args)
    }
}

fn arm_unknown(depends_on: impl Into<String>, reason: impl Into<String>) -> Value {
    Value::Unknown(Unknown::new(depends_on, reason))
}

/// Give every node of a value the span of the JSON value that produced it.
fn respan(value: Value, span: Span) -> Node {
    let value = match value {
        Value::List(items) => {
            Value::List(items.into_iter().map(|n| respan(n.value, span)).collect())
        }
        Value::Object(members) => Value::Object(
            members
                .into_iter()
                .map(|(k, n)| (k, respan(n.value, span)))
                .collect(),
        ),
        other => other,
    };
    Node::new(value, Some(span))
}

fn as_count(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) if n.fract() == 0.0 => Some(*n as i64),
        _ => None,
    }
}

fn slot_map<'a>(section: Option<&'a Json>) -> FxHashMap<String, RefCell<Slot<'a>>> {
    let members = section.map(Json::members).unwrap_or_default();
    let mut out = FxHashMap::with_capacity_and_hasher(members.len(), Default::default());
    for (k, v) in members {
        if k.name.eq_ignore_ascii_case("copy") {
            // Variable copy: each element defines an array variable.
            if let JsonValue::Array(defs) = &v.value {
                for def in defs {
                    if let Some(name) = def.get("name").and_then(Json::as_str) {
                        out.insert(name.to_ascii_lowercase(), RefCell::new(Slot::CopyVar(def)));
                    }
                }
                continue;
            }
        }
        out.insert(k.name.to_ascii_lowercase(), RefCell::new(Slot::Json(v)));
    }
    out
}

/// Whether the parameter definition `def` of `template` is nullable: itself, or the type it
/// refers to (`"$ref": "#/definitions/endpoints"`, Bicep's user-defined `type endpoints = ...?`).
fn is_nullable(template: &Json, def: &Json) -> bool {
    let nullable = |d: &Json| d.get("nullable").and_then(Json::as_bool) == Some(true);
    let referred = || {
        let name = def.get("$ref")?.as_str()?.strip_prefix("#/definitions/")?;
        template.get("definitions")?.get(name)
    };
    nullable(def) || referred().is_some_and(nullable)
}

impl<'a> Template<'a> {
    /// `root` for the template deployed, whose parameters nobody gave are inputs: the same value
    /// wherever they are read (the parameters of a nested template are read only in it, from
    /// what its caller passes).
    fn new(
        ctx: &'a Ctx,
        json: &'a Json,
        scope: DeploymentScope,
        mut given: FxHashMap<String, Value>,
        root: bool,
    ) -> Self {
        let declared = json
            .get("parameters")
            .map(Json::members)
            .unwrap_or_default();
        let mut params = FxHashMap::with_capacity_and_hasher(declared.len(), Default::default());
        // A default written as a literal is where a value read from the parameter is set.
        let mut origins = FxHashMap::default();
        for (k, def) in declared {
            let key = k.name.to_ascii_lowercase();
            let slot = match (given.remove(&key), def.get("defaultValue")) {
                (Some(v), _) => Slot::Done(typed(v, def)),
                (None, Some(d)) => {
                    if !matches!(&d.value, JsonValue::String(s) if s.starts_with('[')) {
                        origins.insert(key.clone(), ctx.span(d));
                    }
                    // A module's default that this call leaves unset.
                    if !root {
                        ctx.shared_defaults.borrow_mut().push(ctx.span(d));
                    }
                    Slot::Json(d)
                }
                // Bicep's `param x string?`: not given is null, a value like any other.
                (None, None) if is_nullable(json, def) => Slot::Done(Value::Null),
                (None, None) => {
                    let input = format!("parameters('{}')", k.name);
                    let reason =
                        "has no default value (give it in a parameter file or with --parameters)";
                    Slot::Done(Value::Unknown(match root {
                        true => Unknown::input(input, reason),
                        false => Unknown::new(input, reason),
                    }))
                }
            };
            params.insert(key, RefCell::new(slot));
        }
        let mut functions = FxHashMap::default();
        if let Some(JsonValue::Array(namespaces)) = json.get("functions").map(|f| &f.value) {
            for ns in namespaces {
                let Some(prefix) = ns.get("namespace").and_then(Json::as_str) else {
                    continue;
                };
                for (k, def) in ns.get("members").map(Json::members).unwrap_or_default() {
                    functions.insert(format!("{prefix}.{}", k.name).to_ascii_lowercase(), def);
                }
            }
        }
        Template {
            ctx,
            scope,
            params,
            vars: slot_map(json.get("variables")),
            functions,
            plans: RefCell::new(Vec::new()),
            origins,
            reading_vnet_state: Cell::new(false),
        }
    }

    fn env<'t>(&'t self, copies: &'t [CopyFrame]) -> EvalEnv<'t, 'a> {
        EvalEnv { t: self, copies }
    }

    fn parameter(&self, name: &str) -> Value {
        self.read(true, name, &[])
    }

    fn variable(&self, name: &str) -> Value {
        self.read(false, name, &[])
    }

    /// A parameter or variable, or the part of it that `steps` lead to, read in place: only
    /// that part is copied (a copy loop over a large list reads one element per iteration).
    fn read(&self, parameter: bool, name: &str, steps: &[arm::Step]) -> Value {
        let (slots, function) = match parameter {
            true => (&self.params, "parameters"),
            false => (&self.vars, "variables"),
        };
        match arm::with_ascii_lower(name, |key| slots.get(key)) {
            Some(slot) => self.resolve_slot(slot, function, name, |v| arm::walk(v, steps)),
            None => arm_unknown(
                format!("{function}('{name}')"),
                "is not declared in the template",
            ),
        }
    }

    /// Evaluate a parameter or variable once; a value that needs itself is unknown. `function`
    /// and `name` say how it was read (`parameters`, `x`).
    fn resolve_slot(
        &self,
        slot: &RefCell<Slot<'a>>,
        function: &str,
        name: &str,
        read: impl FnOnce(&Value) -> Value,
    ) -> Value {
        let pending = match &*slot.borrow() {
            Slot::Done(v) => return read(v),
            Slot::InProgress(def) => {
                // Azure rejects such a template, as Terraform rejects a cycle: an error at the
                // definition (once), and the value is unknown.
                let what = format!("{function}('{name}')");
                let reason = "refers to itself (a cycle of parameters or variables)";
                let span = self.ctx.span(def);
                let message = format!("{what} {reason}");
                let reported = (self.ctx.errors.borrow().iter())
                    .any(|e| e.span.as_ref() == Some(&span) && e.message == message);
                if !reported {
                    self.ctx.error(span, message);
                }
                return arm_unknown(what, reason);
            }
            Slot::Json(j) => Slot::Json(j),
            Slot::CopyVar(j) => Slot::CopyVar(j),
        };
        let def = match pending {
            Slot::Json(j) | Slot::CopyVar(j) => j,
            _ => return Value::Null,
        };
        *slot.borrow_mut() = Slot::InProgress(def);
        let value = match pending {
            Slot::Json(j) => self.eval_json(j, &[]).value,
            Slot::CopyVar(def) => self.copy_array(def, &[]).value,
            _ => Value::Null,
        };
        let out = read(&value);
        *slot.borrow_mut() = Slot::Done(value);
        out
    }

    fn user_function(&self, name: &str, args: Vec<Value>) -> Option<Value> {
        let def = *self.functions.get(&name.to_ascii_lowercase())?;
        let names: Vec<String> = match def.get("parameters").map(|p| &p.value) {
            Some(JsonValue::Array(ps)) => ps
                .iter()
                .filter_map(|p| p.get("name").and_then(Json::as_str).map(str::to_string))
                .collect(),
            _ => Vec::new(),
        };
        let output = def.get("output").and_then(|o| o.get("value"))?;
        let env = FunctionEnv {
            t: self,
            name: name.to_string(),
            params: names.into_iter().zip(args).collect(),
        };
        Some(self.eval_json_in(output, &env).value)
    }

    /// Outputs of a nested deployment in scope, as `reference()` returns them.
    fn deployment_outputs(&self, target: &str) -> Option<Value> {
        let sets: Vec<Rc<Vec<Plan<'a>>>> = self.plans.borrow().clone();
        for set in sets.iter().rev() {
            for plan in set.iter() {
                if !plan.rtype.eq_ignore_ascii_case(DEPLOYMENTS) || !plan.is_named(target) {
                    continue;
                }
                let _guard = self.ctx.limits.enter()?;
                self.run(plan);
                return match &*plan.state.borrow() {
                    PlanState::Done(Some(outputs)) => Some(Value::Object(vec![(
                        "outputs".into(),
                        Node::new(outputs.clone(), None),
                    )])),
                    _ => None,
                };
            }
        }
        None
    }

    /// `reference()` of a VNet this template creates with its subnets written inline: its
    /// properties as declared, each inline subnet with the `id` Azure gives it (the VNet's id
    /// and `/subnets/{name}`), so that `vnet.properties.subnets[0].id`, the quickstarts' way to
    /// place an endpoint, names that subnet. Anything else deployed is unknown.
    fn declared_vnet_state(&self, target: &str) -> Option<Value> {
        let sets: Vec<Rc<Vec<Plan<'a>>>> = self.plans.borrow().clone();
        let plan = sets.iter().rev().find_map(|set| {
            set.iter().find(|p| {
                p.rtype.eq_ignore_ascii_case(VNETS)
                    && !matches!(
                        p.keys.existing.map(|e| &e.value),
                        Some(JsonValue::Bool(true))
                    )
                    && (p.symbol.is_some_and(|s| s.eq_ignore_ascii_case(target))
                        || declared_id(p)
                            .is_some_and(|(id, _)| crate::model::ids::same_id(&id, target)))
            })
        })?;
        let (vnet_id, input) = declared_id(plan)?;
        let props = plan.json.get("properties")?;
        // A VNet whose properties read its own deployed state (`subnets:
        // reference(vnetId).subnets`, to keep the subnets on a redeployment) has none here.
        if self.reading_vnet_state.replace(true) {
            return None;
        }
        let evaluated = self
            .ctx
            .limits
            .enter()
            .map(|_guard| self.eval_json(props, &plan.copies));
        self.reading_vnet_state.set(false);
        let Value::Object(mut members) = evaluated?.value else {
            return None;
        };
        let Some((_, subnets)) = members
            .iter_mut()
            .find(|(k, _)| k.eq_ignore_ascii_case("subnets"))
        else {
            members.push((
                "subnets".into(),
                Node::new(
                    Value::Unknown(Unknown::new(
                        format!("reference({}).subnets", quote(target)),
                        "are the VNet's subnets, declared as resources of their own: known only at deployment time",
                    )),
                    None,
                ),
            ));
            return Some(Value::Object(members));
        };
        let Value::List(subnets) = &mut subnets.value else {
            return Some(Value::Object(members));
        };
        // A VNet named by an input nobody gave: its subnets' ids are that input's too.
        let subnet_id = |id: String| match &input {
            None => Value::text(id),
            Some(u) => Value::Unknown(Unknown {
                identity: Some(id.into()),
                ..u.clone()
            }),
        };
        crate::model::ids::give_subnet_ids(subnets, |name| match name {
            Some(Value::String(name)) if !name.contains('/') => {
                subnet_id(format!("{vnet_id}/subnets/{name}"))
            }
            Some(Value::Symbolic(name)) if !name.encoded().contains('/') => {
                subnet_id(format!("{vnet_id}/subnets/{}", name.encoded()))
            }
            // A parameter nobody gave: the subnet of that name in this VNet.
            Some(Value::Unknown(u)) if u.identity.as_deref().is_some_and(|i| !i.contains('/')) => {
                Value::Unknown(Unknown {
                    identity: u
                        .identity
                        .as_deref()
                        .map(|name| format!("{vnet_id}/subnets/{name}").into()),
                    ..u.clone()
                })
            }
            _ => Value::Unknown(Unknown::new(
                format!("reference({}).subnets[].id", quote(target)),
                "is the id of a subnet whose name is not known",
            )),
        });
        Some(Value::Object(members))
    }

    /// Evaluate a JSON value of the template: strings as expressions, object keys too, property
    /// `copy` loops expanded. Every node is spanned at the JSON value it came from.
    fn eval_json(&self, j: &Json, copies: &[CopyFrame]) -> Node {
        self.eval_json_in(j, &self.env(copies))
    }

    fn eval_json_in(&self, j: &Json, env: &dyn Env) -> Node {
        let span = self.ctx.span(j);
        let Some(_guard) = self.ctx.limits.enter() else {
            return Node::unknown(Limits::exhausted(), Some(span));
        };
        match &j.value {
            JsonValue::Null => Node::new(Value::Null, Some(span)),
            JsonValue::Bool(b) => Node::new(Value::Bool(*b), Some(span)),
            JsonValue::Number(n) => Node::new(Value::Number(*n), Some(span)),
            // Not an expression (nor an escaped literal): the string as written.
            JsonValue::String(s) if !s.starts_with('[') => {
                Node::new(Value::String(s.as_str().into()), Some(span))
            }
            JsonValue::String(s) => {
                let mut node = respan(self.eval_text(s, j, env), span);
                node.origin = self.parameter_origin(s);
                node
            }
            JsonValue::Array(items) => Node::new(
                Value::List(items.iter().map(|i| self.eval_json_in(i, env)).collect()),
                Some(span),
            ),
            JsonValue::Object(members) => {
                let mut out: Vec<(CompactString, Node)> = Vec::with_capacity(members.len());
                for (k, v) in members {
                    if k.name.eq_ignore_ascii_case("copy") {
                        if let JsonValue::Array(defs) = &v.value {
                            if defs.iter().all(|d| d.get("input").is_some()) && !defs.is_empty() {
                                for def in defs {
                                    let name = def
                                        .get("name")
                                        .and_then(Json::as_str)
                                        .unwrap_or("copy")
                                        .into();
                                    out.push((name, self.copy_array_in(def, env)));
                                }
                                continue;
                            }
                        }
                    }
                    let key = self.eval_key(&k.name, j, env);
                    out.push((key, self.eval_json_in(v, env)));
                }
                Node::new(Value::Object(out), Some(span))
            }
        }
    }

    /// Where the value of `[parameters('name')]` was written, when a parameter file gave it.
    fn parameter_origin(&self, text: &str) -> Option<Span> {
        if self.origins.is_empty() {
            return None;
        }
        let name = text
            .strip_prefix("[parameters('")?
            .strip_suffix("')]")
            .filter(|n| !n.contains('\''))?;
        arm::with_ascii_lower(name, |key| self.origins.get(key).copied())
    }

    /// An object key: keys may be expressions too; one that does not give a string stays as
    /// written.
    fn eval_key(&self, key: &str, at: &Json, env: &dyn Env) -> CompactString {
        if !key.starts_with('[') {
            return key.into();
        }
        match self.eval_text(key, at, env) {
            Value::String(s) => s,
            _ => key.into(),
        }
    }

    /// A template string: literal or expression. Syntax errors are load errors.
    fn eval_text(&self, s: &str, at: &Json, env: &dyn Env) -> Value {
        match arm::eval_string(s, env) {
            Ok(v) => {
                // The innermost expression a limit stopped (a variable evaluated for another
                // one is reported at its own definition), once per load.
                if let Some(stop) = self.ctx.limits.take_stop() {
                    self.ctx
                        .error(self.ctx.space.locate(at.span.clone()), stop.message());
                }
                v
            }
            Err(e) => {
                // Offsets are in the unescaped string; `+ 1` skips the opening quote.
                let start = (at.span.start + 1 + e.offset).min(at.span.end);
                self.ctx.error(
                    self.ctx.space.locate(start..start),
                    format!("invalid template expression: {}", e.message),
                );
                arm_unknown(
                    quote(s),
                    format!("is not a valid expression ({})", e.message),
                )
            }
        }
    }

    /// A `{name, count, input}` copy definition as an array.
    fn copy_array(&self, def: &Json, copies: &[CopyFrame]) -> Node {
        self.copy_array_in(def, &self.env(copies))
    }

    fn copy_array_in(&self, def: &Json, env: &dyn Env) -> Node {
        let span = self.ctx.span(def);
        let name = def.get("name").and_then(Json::as_str).map(str::to_string);
        let count = match def.get("count") {
            Some(c) => self.eval_json_in(c, env).value,
            None => Value::Number(0.0),
        };
        let count = match count {
            Value::Unknown(u) => return Node::unknown(u, Some(span)),
            v => match as_count(&v) {
                Some(n) if (0..=max_instances() as i64).contains(&n) => n,
                Some(n) if n > 0 => {
                    self.ctx.error(
                        span,
                        format!(
                            "copy count {n} exceeds the limit of {} instances (`instances` under [limits])",
                            max_instances()
                        ),
                    );
                    return Node::unknown(
                        Unknown::new(quote_json(def), "has a copy count above the limit"),
                        Some(span),
                    );
                }
                _ => {
                    return Node::unknown(
                        Unknown::new(
                            quote_json(def),
                            "has a copy count that is not a whole number",
                        ),
                        Some(span),
                    )
                }
            },
        };
        let Some(input) = def.get("input") else {
            return Node::new(Value::List(Vec::new()), Some(span));
        };
        let mut items = Vec::new();
        for i in 0..count {
            let env = Layer {
                parent: env,
                adds: Adds::CopyIndex {
                    name: name.clone(),
                    index: Value::Number(i as f64),
                },
            };
            items.push(self.eval_json_in(input, &env));
        }
        Node::new(Value::List(items), Some(span))
    }

    /// Plan, run and collect the outputs of one template's resources. `target` is where its
    /// resources are deployed; `prefix` goes in front of their addresses.
    fn deploy(
        &self,
        json: &'a Json,
        target: &DeploymentScope,
        prefix: &str,
        depth: usize,
        existence: Option<&Unknown>,
    ) -> Option<Value> {
        let resources = json.get("resources");
        let planned = match resources.map(|r| &r.value) {
            Some(JsonValue::Array(items)) => items.len(),
            Some(JsonValue::Object(members)) => members.len(),
            _ => 0,
        };
        let mut plans = Vec::with_capacity(planned);
        if let Some(resources) = resources {
            let at = Placement {
                parent: None,
                copies: &[],
                target,
                prefix,
                existence,
            };
            self.plan_resources(resources, &at, &mut plans, 0);
        }
        for plan in &mut plans {
            plan.depth = depth;
        }
        let plans = Rc::new(plans);
        self.plans.borrow_mut().push(plans.clone());
        for plan in plans.iter() {
            self.run(plan);
        }
        let outputs = json.get("outputs").map(|o| self.outputs(o));
        self.plans.borrow_mut().pop();
        outputs
    }

    fn outputs(&self, section: &Json) -> Value {
        let mut out = Vec::new();
        for (k, def) in section.members() {
            let value = if let Some(copy) = def.get("copy") {
                self.copy_array(copy, &[])
            } else if let Some(v) = def.get("value") {
                self.eval_json(v, &[])
            } else {
                continue;
            };
            let mut members = Vec::new();
            if let Some(t) = def.get("type") {
                members.push(("type".into(), self.eval_json(t, &[])));
            }
            members.push(("value".into(), value));
            out.push((
                k.name.as_str().into(),
                Node::new(Value::Object(members), Some(self.ctx.span(def))),
            ));
        }
        Value::Object(out)
    }

    /// Expand a `resources` array or symbolic object into plans: copy loops, conditions, full
    /// types and names, nested children.
    fn plan_resources(
        &self,
        resources: &'a Json,
        at: &Placement,
        out: &mut Vec<Plan<'a>>,
        level: usize,
    ) {
        if self.ctx.instances.get() > max_instances() {
            return;
        }
        if level > max_deployment_depth() {
            self.ctx.error(
                self.ctx.span(resources),
                "child resources nested too deeply",
            );
            return;
        }
        match &resources.value {
            JsonValue::Array(items) => {
                for r in items {
                    if !self.plan_resource(r, None, at, out, level) {
                        return;
                    }
                }
            }
            JsonValue::Object(members) => {
                for (k, r) in members {
                    if !self.plan_resource(r, Some(&k.name), at, out, level) {
                        return;
                    }
                }
            }
            _ => {}
        }
    }

    /// Plan every instance of one resource (and its children); `false` once the instance limit
    /// is reached.
    fn plan_resource(
        &self,
        r: &'a Json,
        symbol: Option<&'a str>,
        at: &Placement,
        out: &mut Vec<Plan<'a>>,
        level: usize,
    ) -> bool {
        if !matches!(r.value, JsonValue::Object(_)) {
            self.ctx
                .error(self.ctx.span(r), "a resource must be a JSON object");
            return true;
        }
        let keys = Keys::of(r);
        let Some(instances) = self.loop_instances(keys.copy, at.copies) else {
            return true;
        };
        for i in 0..instances.len() {
            let max = max_instances();
            if self.ctx.instances.get() >= max {
                if self.ctx.instances.get() == max {
                    self.ctx.error(
                        self.ctx.span(r),
                        format!(
                            "more than {max} resource instances (`instances` under [limits]); the rest is not analysed"
                        ),
                    );
                    self.ctx.instances.set(max + 1);
                }
                return false;
            }
            self.ctx.instances.set(self.ctx.instances.get() + 1);
            let mut frames = at.copies.to_vec();
            if let Some(index) = instances.index(i) {
                frames.push(CopyFrame {
                    name: instances.name.clone(),
                    index,
                    resource: true,
                });
            }
            // Whether this instance is created: an unknown copy count or condition (or one
            // inherited) leaves it open.
            let mut unsure = at.existence.cloned().or_else(|| {
                frames.iter().find_map(|f| match &f.index {
                    Value::Unknown(u) if f.resource => Some(u.clone()),
                    _ => None,
                })
            });
            // Members evaluated while planning, kept for the body.
            let mut evaluated = Vec::new();
            if let Some((i, c)) = keys.condition {
                let node = self.eval_json(c, &frames);
                match &node.value {
                    Value::Bool(false) => continue,
                    Value::Bool(true) => {}
                    Value::Unknown(u) => unsure = unsure.or_else(|| Some(u.clone())),
                    _ => unsure = unsure.or(Some(Unknown::new("condition", "is not a boolean"))),
                }
                evaluated.push((i, node));
            }
            let Some(mut plan) = self.plan_one(r, &keys, symbol, at, frames, evaluated) else {
                continue;
            };
            plan.existence = unsure;
            let Some(children) = keys.resources else {
                out.push(plan);
                continue;
            };
            let (rtype, name, frames, addr) = (
                plan.rtype.clone(),
                plan.name.clone(),
                plan.copies.clone(),
                plan.addr(),
            );
            let existence = plan.existence.clone();
            out.push(plan);
            let inner = Placement {
                parent: Some((&rtype, &name, &addr)),
                copies: &frames,
                target: at.target,
                prefix: at.prefix,
                existence: existence.as_ref(),
            };
            self.plan_resources(children, &inner, out, level + 1);
        }
        true
    }

    /// The instances of a resource's `copy` loop (one instance without `copy`); `None` when
    /// the count is invalid (reported).
    fn loop_instances(&self, copy: Option<&Json>, copies: &[CopyFrame]) -> Option<Instances> {
        let Some(copy) = copy else {
            return Some(Instances {
                name: None,
                count: Count::Single,
            });
        };
        let name = copy.get("name").and_then(Json::as_str).map(str::to_string);
        let count = match copy.get("count") {
            Some(c) => self.eval_json(c, copies).value,
            None => Value::Number(0.0),
        };
        let count = match count {
            // The number of instances is not known: evaluate one representative instance.
            Value::Unknown(u) => Count::Unknown(Unknown::new(
                u.depends_on,
                format!("sets the copy count of this resource loop ({})", u.reason),
            )),
            v => match as_count(&v) {
                Some(n) if (0..=max_instances() as i64).contains(&n) => Count::Known(n),
                Some(n) if n > 0 => {
                    self.ctx.error(
                        self.ctx.span(copy),
                        format!(
                            "copy count {n} exceeds the limit of {} instances (`instances` under [limits])",
                            max_instances()
                        ),
                    );
                    return None;
                }
                _ => {
                    self.ctx
                        .error(self.ctx.span(copy), "copy count is not a whole number");
                    return None;
                }
            },
        };
        Some(Instances { name, count })
    }

    fn plan_one(
        &self,
        r: &'a Json,
        keys: &Keys<'a>,
        symbol: Option<&'a str>,
        at: &Placement,
        frames: Vec<CopyFrame>,
        mut evaluated: Vec<(usize, Node)>,
    ) -> Option<Plan<'a>> {
        let Some(type_json) = keys.rtype else {
            self.ctx
                .error(self.ctx.span(r), "a resource has no \"type\"");
            return None;
        };
        let written_type = match self.eval_json(type_json, &frames).value {
            Value::String(t) => t,
            _ => type_json.as_str().unwrap_or("").into(),
        };
        let rtype = match at.parent {
            Some((ptype, _, _)) if !written_type.contains('/') => format!("{ptype}/{written_type}"),
            _ => written_type.into(),
        };
        let name_text = keys.name.and_then(Json::as_str).unwrap_or("");
        let mut name = match keys.name {
            Some(n) => self.eval_json(n, &frames).value,
            None => Value::String(CompactString::default()),
        };
        // A nested child's name is relative to its parent's.
        if let (Some((_, pname, _)), Some(n)) = (at.parent, name.as_str()) {
            let type_levels = rtype
                .split('/')
                .filter(|s| !s.is_empty())
                .count()
                .saturating_sub(1);
            if n.split('/').filter(|s| !s.is_empty()).count() < type_levels {
                name = match pname.as_str() {
                    Some(p) => Value::text(format!("{p}/{n}")),
                    None => pname.clone(),
                };
            }
        }
        let target = self.resource_target(keys, &frames, at.target, &mut evaluated);
        Some(Plan {
            json: r,
            keys: *keys,
            copies: frames,
            rtype,
            name,
            name_text,
            symbol,
            target,
            parent: at.parent.map(|(_, _, addr)| addr.to_string()),
            prefix: at.prefix.to_string(),
            depth: 0,
            existence: None,
            state: RefCell::new(PlanState::Pending(evaluated)),
        })
    }

    /// The scope a resource (or a nested deployment's template) is deployed to, from its
    /// `subscriptionId` and `resourceGroup` members. An unknown value becomes a placeholder
    /// naming what it depends on, so that ids built the same way still compare equal. The
    /// members' values go to `evaluated`.
    fn resource_target(
        &self,
        keys: &Keys,
        frames: &[CopyFrame],
        outer: &DeploymentScope,
        evaluated: &mut Vec<(usize, Node)>,
    ) -> DeploymentScope {
        let mut text = |member: Option<(usize, &Json)>| {
            let (i, j) = member?;
            let node = self.eval_json(j, frames);
            let text = match &node.value {
                Value::String(_) | Value::Symbolic(_) => {
                    node.value.as_str().unwrap_or("").to_string()
                }
                Value::Unknown(u) => symbolic::encode_term(&u.depends_on),
                other => symbolic::encode_term(other.type_name()),
            };
            evaluated.push((i, node));
            Some(text)
        };
        let sub = text(keys.subscription);
        let rg = text(keys.group);
        match (sub, rg, outer) {
            (None, None, _) => outer.clone(),
            (sub, Some(group), _) => DeploymentScope::ResourceGroup {
                subscription: sub.unwrap_or_else(|| {
                    outer
                        .subscription()
                        .unwrap_or(arm::SUBSCRIPTION_PLACEHOLDER)
                        .to_string()
                }),
                group,
            },
            (Some(sub), None, DeploymentScope::ResourceGroup { group, .. }) => {
                DeploymentScope::ResourceGroup {
                    subscription: sub,
                    group: group.clone(),
                }
            }
            (Some(sub), None, _) => DeploymentScope::Subscription(sub),
        }
    }

    /// Evaluate a planned resource and emit it (once).
    fn run(&self, plan: &Plan<'a>) {
        let mut evaluated = {
            let mut state = plan.state.borrow_mut();
            match std::mem::replace(&mut *state, PlanState::Running) {
                PlanState::Pending(evaluated) => evaluated,
                other => {
                    *state = other;
                    return;
                }
            }
        };
        let r = plan.json;
        let keys = &plan.keys;
        let is_deployment = plan.rtype.eq_ignore_ascii_case(DEPLOYMENTS);
        let mut members = Vec::with_capacity(r.members().len());
        let mut scope_at = None;
        let env = self.env(&plan.copies);
        for (i, (k, v)) in r.members().iter().enumerate() {
            let key = k.name.as_str();
            let node = match member_kind(key) {
                Member::Copy | Member::Resources => continue,
                Member::Name => respan(plan.name.clone(), self.ctx.span(v)),
                Member::Type => Node::new(
                    Value::String(plan.rtype.as_str().into()),
                    Some(self.ctx.span(v)),
                ),
                Member::Properties if is_deployment => self.deployment_properties(v, &plan.copies),
                kind => {
                    if kind == Member::DeploymentScope && keys.scope == Some(i) {
                        scope_at = Some(members.len());
                    }
                    match evaluated.iter().position(|(at, _)| *at == i) {
                        Some(p) => evaluated.swap_remove(p).1,
                        None => self.eval_json_in(v, &env),
                    }
                }
            };
            members.push((self.eval_key(key, v, &env), node));
        }
        let header = self.ctx.span(keys.rtype.unwrap_or(r));
        let mode = if keys.existing.map(|e| &e.value) == Some(&JsonValue::Bool(true)) {
            Mode::Existing
        } else {
            Mode::Managed
        };
        let scope_member = scope_at
            .and_then(|p| members.get(p))
            .map(|(_, n): &(CompactString, Node)| &n.value);
        let id = resource_id(&plan.target, &plan.rtype, &plan.name, scope_member);
        self.ctx.resources.borrow_mut().push(Resource {
            origin: self.ctx.space.origin,
            mode,
            rtype: plan.rtype.clone(),
            addr: plan.addr(),
            header,
            body: Node::new(Value::Object(members), Some(self.ctx.span(r))),
            id,
            group: match &plan.target {
                DeploymentScope::ResourceGroup { group, .. } => Some(group.clone()),
                _ => None,
            },
            existence: plan.existence.clone(),
            parent: plan.parent.clone(),
            callers: self.ctx.callers.borrow().clone(),
        });
        let outputs = if is_deployment && mode == Mode::Managed {
            self.nested_deployment(plan)
        } else {
            None
        };
        *plan.state.borrow_mut() = PlanState::Done(outputs);
    }

    /// The body's `properties` of a deployment: everything but the inner template, which is
    /// evaluated in its own scope.
    fn deployment_properties(&self, props: &Json, copies: &[CopyFrame]) -> Node {
        let span = self.ctx.span(props);
        let JsonValue::Object(members) = &props.value else {
            return self.eval_json(props, copies);
        };
        let out = members
            .iter()
            .filter(|(k, _)| !k.name.eq_ignore_ascii_case("template"))
            .map(|(k, v)| (k.name.as_str().into(), self.eval_json(v, copies)))
            .collect();
        Node::new(Value::Object(out), Some(span))
    }

    /// Follow a nested deployment with an inline template. Linked templates (`templateLink`)
    /// cannot be read offline: they contribute no resources and unknown outputs.
    fn nested_deployment(&self, plan: &Plan<'a>) -> Option<Value> {
        let depth = plan.depth;
        let props = plan.json.get("properties")?;
        if props.get("template").is_none() {
            let name = match plan.name.as_str() {
                Some(n) => symbolic::display(n).into_owned(),
                None => plan.name_text.to_string(),
            };
            // What its parameters hand it: a zone it receives may be linked there.
            let mut receives = Vec::new();
            for value in self.deployment_parameters(props, &plan.copies).0.values() {
                crate::load::received(value, &mut receives);
            }
            let (span, reason, outputs) = match props.get("templateLink") {
                Some(_) => (
                    plan.json.get("type").unwrap_or(plan.json),
                    "uses a linked template (templateLink) that acrlint cannot read offline: the resources it deploys are not analysed",
                    "come from a linked template that acrlint cannot read offline",
                ),
                // A Bicep registry module that is not in the cache (its loader says why, at
                // the module's path, within this span), or a template Azure rejects.
                None => (
                    plan.json,
                    "has no template: the resources it deploys are not analysed",
                    "come from a module or template that acrlint could not read (see the note at it)",
                ),
            };
            self.ctx.notes.borrow_mut().push(Note {
                resource: format!("{}{DEPLOYMENTS}/{name}", plan.prefix),
                span: self.ctx.span(span),
                unknown: Unknown::new(format!("deployment {name}"), reason),
                receives,
            });
            // Its outputs are unknown for that reason, not because they are deployed state.
            return Some(Value::Unknown(Unknown::new(
                format!("the outputs of deployment {name}"),
                outputs,
            )));
        }
        let inner = props.get("template")?;
        if !matches!(inner.value, JsonValue::Object(_)) {
            return None;
        }
        if depth >= max_deployment_depth() {
            self.ctx.error(
                self.ctx.span(plan.json.get("type").unwrap_or(plan.json)),
                format!(
                    "nested deployments deeper than {} levels are not analysed",
                    max_deployment_depth()
                ),
            );
            return None;
        }
        let inner_schema = inner.get("$schema").and_then(Json::as_str).unwrap_or("");
        let target = match (&plan.target, DeploymentScope::from_schema(inner_schema)) {
            (
                DeploymentScope::ResourceGroup { subscription, .. },
                DeploymentScope::Subscription(_),
            ) if plan.json.get("resourceGroup").is_none() => {
                DeploymentScope::Subscription(subscription.clone())
            }
            _ => plan.target.clone(),
        };
        // A name known only at deployment is shown as such, as a compiled template without
        // symbolic names shows it; but the name the compiler generates for a Bicep module
        // without one (`<symbol>-` and a hash of `deployment().name`) is shown as the symbol.
        let generated = |n: &str, symbol: &str| {
            let head = crate::load::bicep::lower::generated_name_head(symbol);
            (n.strip_prefix(head)).is_some_and(|r| r.starts_with('-') && r.contains("deployment()"))
        };
        let name = match (&plan.name, &plan.symbol) {
            (Value::String(n), _) => n.to_string(),
            (Value::Symbolic(n), Some(symbol)) if generated(n.encoded(), symbol) => {
                symbol.to_string()
            }
            (Value::Symbolic(n), _) => n.to_string(),
            (_, Some(symbol)) => symbol.to_string(),
            _ => plan.name_text.to_string(),
        };
        let prefix = format!("{}{name}/", plan.prefix);
        let inner_scope = props
            .get("expressionEvaluationOptions")
            .and_then(|o| o.get("scope"))
            .and_then(Json::as_str)
            .is_some_and(|s| s.eq_ignore_ascii_case("inner"));
        let caller = self
            .ctx
            .span(plan.json.get("type").unwrap_or(plan.json))
            .file;
        self.ctx.callers.borrow_mut().push(caller);
        let outputs = if inner_scope {
            let (given, origins) = self.deployment_parameters(props, &plan.copies);
            let mut t = Template::new(self.ctx, inner, target.clone(), given, false);
            t.origins.extend(origins);
            t.deploy(inner, &target, &prefix, depth + 1, plan.existence.as_ref())
        } else {
            // Outer scope (the default): the inner template sees this template's parameters,
            // variables and scope functions; only where its resources go changes.
            self.deploy(inner, &target, &prefix, depth + 1, plan.existence.as_ref())
        };
        self.ctx.callers.borrow_mut().pop();
        outputs
    }

    /// Parameter values passed to an inner-scope deployment, evaluated here (in the parent), with
    /// where each was written (a module's `params` in Bicep, or further out: a parameter file),
    /// so that a finding on a value the module only passes on names the caller's line too.
    fn deployment_parameters(
        &self,
        props: &Json,
        copies: &[CopyFrame],
    ) -> (FxHashMap<String, Value>, FxHashMap<String, Span>) {
        let mut given = FxHashMap::default();
        let mut origins = FxHashMap::default();
        let Some(params) = props.get("parameters") else {
            return (given, origins);
        };
        let evaluated = self.eval_json(params, copies).value;
        let Value::Object(members) = evaluated else {
            return (given, origins);
        };
        for (name, node) in members {
            let value = if let Some(v) = node.get("value") {
                if let Some(at) = v.origin.or(v.span) {
                    origins.insert(name.as_str().to_ascii_lowercase(), at);
                }
                v.value.clone()
            } else if node.get("reference").is_some() {
                arm_unknown(
                    format!("parameters('{name}')"),
                    "is a Key Vault secret reference, read at deployment time",
                )
            } else if let Value::Unknown(u) = node.value {
                Value::Unknown(u)
            } else {
                continue;
            };
            given.insert(name.as_str().to_ascii_lowercase(), value);
        }
        (given, origins)
    }
}

impl Plan<'_> {
    fn is_named(&self, target: &str) -> bool {
        if self.symbol.is_some_and(|s| s.eq_ignore_ascii_case(target)) {
            return true;
        }
        // `sym[i]`: instance i of a symbolic resource's copy loop (languageVersion 2.0).
        if let (Some(symbol), Some((base, index))) = (self.symbol, target.split_once('[')) {
            if base.eq_ignore_ascii_case(symbol) {
                let index = index
                    .strip_suffix(']')
                    .and_then(|i| i.trim().parse::<i64>().ok());
                let own = self.copies.iter().rev().find(|f| f.resource);
                return index.is_some() && own.and_then(|f| as_count(&f.index)) == index;
            }
        }
        let Some(name) = self.name.as_str() else {
            return false;
        };
        if name.eq_ignore_ascii_case(target) {
            return true;
        }
        let suffix = format!("/providers/{DEPLOYMENTS}/{name}").to_ascii_lowercase();
        let by_id = target.to_ascii_lowercase().ends_with(&suffix);
        (by_id && !self.in_other_group(target))
            || target.eq_ignore_ascii_case(&format!("{DEPLOYMENTS}/{name}"))
    }

    /// Whether the id `target` is in a resource group this resource is known not to be in: two
    /// module deployments of one name in two groups (a module in a loop over groups) are two.
    fn in_other_group(&self, target: &str) -> bool {
        let DeploymentScope::ResourceGroup { group, .. } = &self.target else {
            return false;
        };
        let other = crate::model::ids::ResourceId::parse(target).and_then(|id| id.resource_group);
        other.is_some_and(|other| {
            !other.eq_ignore_ascii_case(group) && !symbolic::may_equal(other, group)
        })
    }

    fn addr(&self) -> String {
        let mut addr =
            String::with_capacity(self.prefix.len() + self.rtype.len() + self.name_text.len() + 16);
        addr.push_str(&self.prefix);
        addr.push_str(&self.rtype);
        addr.push('/');
        match self.name.as_str() {
            Some(n) => addr.push_str(&symbolic::display(n)),
            None => {
                addr.push_str(self.name_text);
                let index = self
                    .copies
                    .iter()
                    .rev()
                    .find(|f| f.resource)
                    .and_then(|f| as_count(&f.index));
                if let Some(i) = index {
                    addr.push('[');
                    addr.push_str(&i.to_string());
                    addr.push(']');
                }
            }
        }
        addr
    }
}

/// The id of a resource: `{scope}/providers/{ns}/{t1}/{n1}/{t2}/{n2}`; extension resources
/// (`scope` member) hang below the id they extend.
fn resource_id(
    target: &DeploymentScope,
    rtype: &str,
    name: &Value,
    scope: Option<&Value>,
) -> Option<String> {
    let name = name.as_str()?;
    let mut types = rtype.split('/').filter(|s| !s.is_empty());
    let namespace = types.next()?;
    let names = name.split('/').filter(|s| !s.is_empty());
    let mut id = String::with_capacity(160 + rtype.len() + name.len());
    match scope.map(Value::as_str) {
        None => target.push_id(&mut id),
        Some(Some(s)) if s.starts_with('/') => id.push_str(s.trim_end_matches('/')),
        // The older relative form `Microsoft.X/y/name`, relative to the deployment scope.
        Some(Some(s)) => {
            target.push_id(&mut id);
            id.push_str("/providers/");
            id.push_str(s.trim_matches('/'));
        }
        Some(None) => return None,
    }
    id.push_str("/providers/");
    id.push_str(namespace);
    crate::resolve::arm::push_type_name_pairs(&mut id, types, names).then_some(id)
}

/// A value given as text to a `bool` or `int` parameter, as the Azure Developer CLI converts
/// what it substitutes from its environment (`"${USE_PRIVATE=true}"`); anything else as given.
pub(super) fn typed(v: Value, def: &Json) -> Value {
    let Value::String(text) = &v else {
        return v;
    };
    let ty = def.get("type").and_then(Json::as_str).unwrap_or_default();
    if ty.eq_ignore_ascii_case("bool") {
        if text.eq_ignore_ascii_case("true") {
            return Value::Bool(true);
        }
        if text.eq_ignore_ascii_case("false") {
            return Value::Bool(false);
        }
    } else if ty.eq_ignore_ascii_case("int") {
        if let Ok(n) = text.trim().parse::<i64>() {
            return Value::Number(n as f64);
        }
    }
    v
}

/// The id of a resource this template declares, with the input it depends on when its name is
/// an input nobody gave (the id then holds that input as a symbolic term, as `resourceId()` of
/// it does).
fn declared_id(plan: &Plan<'_>) -> Option<(String, Option<Unknown>)> {
    match &plan.name {
        Value::Unknown(u) => {
            let name = Value::String(u.identity.as_deref()?.into());
            let id = resource_id(&plan.target, &plan.rtype, &name, None)?;
            Some((id, Some(u.clone())))
        }
        name => Some((resource_id(&plan.target, &plan.rtype, name, None)?, None)),
    }
}

fn quote(s: &str) -> String {
    if s.chars().count() > 160 {
        let mut q: String = s.chars().take(160).collect();
        q.push_str("...");
        q
    } else {
        s.to_string()
    }
}

fn quote_json(def: &Json) -> String {
    def.get("name")
        .and_then(Json::as_str)
        .map(|n| format!("copy '{n}'"))
        .unwrap_or_else(|| "copy".to_string())
}
