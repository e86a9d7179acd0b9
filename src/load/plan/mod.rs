//! Terraform plan loader: the JSON that `terraform show -json PLANFILE` (or OpenTofu's `tofu show
//! -json`) prints, turned into the same [`Resource`]s the Terraform loader produces, so that the
//! model, linking and rules are unchanged.
//!
//! - Resources come from `planned_values` (root and child modules, with their instance
//!   addresses), their values from `resource_changes[].change.after`; a value that
//!   `after_unknown` marks is unknown, and one that `after_sensitive` marks is unknown too (never
//!   shown). A resource the plan deletes (or forgets) is left out. Data sources read during the
//!   plan, also those only in `prior_state`, are read as data sources.
//! - Ids are mostly unknown before apply, so a value known only after apply whose expression in
//!   the plan's `configuration` refers to one resource (through module calls, outputs and
//!   variables, and instance keys) becomes a [`Value::Ref`] to that resource's instance, as a
//!   reference written in `.tf` is.
//! - With the configuration's `.tf` files (loaded by the Terraform loader), each resource and
//!   value is spanned where it is written in them (the attribute, else the resource header);
//!   without, at the resource's entry in the plan file.

mod addr;

use rustc_hash::{FxHashMap, FxHashSet};

use super::json::{self, Json, JsonValue};
use super::{syntax, LoadError, Loaded, Mode, Origin, Resource};
use crate::source::{FileId, SourceMap, Span};
use crate::value::{Node, ResourceRef, Unknown, Value};
use addr::{InstanceAddr, Key, Step};

pub use addr::without_keys;

/// The plan format majors acrlint reads: 0.x (Terraform 0.12 to 0.15) and 1.x (1.0 on, and
/// OpenTofu). Any minor of them is read; members acrlint does not know are ignored.
const KNOWN_MAJORS: [u64; 2] = [0, 1];

/// Whether this JSON text is a Terraform plan (`terraform show -json`): it has `format_version`
/// and a member only plans have (`planned_values`, `resource_changes`, `prior_state`,
/// `configuration`), and either `format_version` comes first (as Terraform and OpenTofu write
/// it) or it is no ARM template. A textual test, so that classifying costs no parse; a plan
/// truncated or broken after those members is still a plan, whose error is then reported. A
/// state file (`terraform show -json` without a plan: `values`) is not a plan.
pub fn is_plan(text: &str) -> bool {
    if !text.contains("\"format_version\"")
        || ![
            "\"planned_values\"",
            "\"resource_changes\"",
            "\"prior_state\"",
            "\"configuration\"",
        ]
        .iter()
        .any(|k| text.contains(k))
    {
        return false;
    }
    first_key(text) == Some("format_version")
        || !(crate::load::arm::is_template(text) || crate::load::arm::is_parameter_file(text))
}

/// The first member name of the top-level object, when it is a plain string.
fn first_key(text: &str) -> Option<&str> {
    let rest = text.trim_start_matches('\u{feff}').trim_start();
    let rest = rest.strip_prefix('{')?.trim_start();
    let rest = rest.strip_prefix('"')?;
    let end = rest.find(['"', '\\'])?;
    Some(&rest[..end])
}

/// What loading one plan gives.
#[derive(Debug, Default)]
pub struct PlanLoad {
    pub loaded: Loaded,
    /// Said about the plan as a whole (an unknown format version, an errored plan).
    pub warnings: Vec<String>,
    /// Each resource's entry in the plan (its `address`), by address.
    pub entries: FxHashMap<String, Span>,
    /// Whether resources are spanned on the configuration's `.tf` files.
    pub on_source: bool,
}

/// Attributes that the provider computes when the configuration leaves them out, and whose
/// absence the model reads as the API default: unknown in a plan that creates the resource.
/// (azurerm: Optional and Computed in the provider's schema.)
const COMPUTED_WHEN_UNSET: &[(&str, &str)] = &[
    ("azurerm_container_registry", "network_rule_set"),
    ("azurerm_virtual_network", "dns_servers"),
    ("azurerm_virtual_network", "subnet"),
];

/// Load the plan in `file`. `config`: the resources of its configuration, loaded from the `.tf`
/// files, to span the plan's resources where they are written.
pub fn load(file: FileId, sources: &SourceMap, config: Option<&[Resource]>) -> PlanLoad {
    let source = sources.get(file);
    let text: &str = &source.text;
    let mut out = PlanLoad::default();
    let doc = match json::parse(text) {
        Ok(doc) => doc,
        Err(e) => {
            out.loaded.errors.push(syntax::json_error(
                file,
                text,
                e.offset,
                e.prefix("invalid JSON in Terraform plan"),
                &e.message,
            ));
            return out;
        }
    };
    let span = |j: &Json| Span::new(file, j.span.clone());
    if !matches!(doc.value, JsonValue::Object(_)) {
        out.loaded.errors.push(LoadError {
            file,
            span: Some(span(&doc)),
            message: "not a Terraform plan: the document is not a JSON object".into(),
        });
        return out;
    }
    check_version(&doc, &mut out.warnings);
    if member(&doc, "errored").and_then(Json::as_bool) == Some(true) {
        out.warnings.push(
            "the plan errored (Terraform could not finish it): only what it holds is judged".into(),
        );
    }
    let has_plan = ["planned_values", "resource_changes"]
        .iter()
        .any(|k| member(&doc, k).is_some());
    if !has_plan {
        out.warnings.push(
            "this JSON has a `format_version` but neither `planned_values` nor \
             `resource_changes`: it is not a Terraform plan (a state file?), nothing was judged"
                .into(),
        );
        return out;
    }

    mask_sensitive(&doc, file, text, sources);
    let raws = collect(&doc, file, &mut out.warnings);
    let plan = Plan::new(&doc, &raws, file);
    out.loaded.cloud = provider_cloud(&doc);
    let mapping = config.map(SourceIndex::new);
    out.on_source = mapping.is_some();
    for raw in &raws {
        let ctx = Ctx {
            prefix: raw.inst.module_prefix(),
            path: raw.inst.modules.iter().map(|(n, _)| n.clone()).collect(),
            key: raw.inst.key.clone(),
            entry: raw.entry,
        };
        let exprs = plan.resource_exprs(&ctx.path, &raw.inst.resource);
        let what = raw.addr.clone();
        let mut body = plan.node(
            Vals {
                after: raw.after,
                unknown: raw.unknown,
                sensitive: raw.sensitive,
            },
            exprs.map_or(Expr::None, Expr::Block),
            &ctx,
            &what,
            raw.entry,
        );
        let mut header = raw.entry;
        let mut callers = Vec::new();
        // Unset attributes the provider computes at creation are its defaults (the model's).
        if let (Some(Value::Object(members)), true, None) =
            (body.as_mut().map(|b| &mut b.value), raw.create, &mapping)
        {
            let rtype = raw.rtype.as_str();
            members.retain(|(k, v)| {
                let unset = exprs.is_some_and(|e| member(e, k).is_none());
                !(unset
                    && matches!(v.value, Value::Unknown(_))
                    && COMPUTED_WHEN_UNSET.contains(&(rtype, k.as_str())))
            });
        }
        if let (Some(index), Some(b)) = (&mapping, body.as_mut()) {
            if let Some(tf) = index.find(&raw.addr) {
                header = tf.header;
                callers.clone_from(&tf.callers);
                let node = std::mem::replace(b, Node::new(Value::Null, None));
                *b = remap(node, Some(&tf.body), tf.header, raw.create, &plan.addrs);
            }
        }
        out.entries.insert(raw.addr.clone(), raw.entry);
        out.loaded.resources.push(Resource {
            origin: Origin::Terraform,
            mode: raw.mode,
            rtype: raw.rtype.clone(),
            addr: raw.addr.clone(),
            header,
            body: body.unwrap_or_else(|| Node::new(Value::Object(Vec::new()), Some(header))),
            id: None,
            group: None,
            existence: None,
            parent: None,
            callers,
        });
    }
    out
}

/// Mask the values the plan marks sensitive in the text that reports show (each byte but line
/// breaks becomes `*`): rules judge none of them, and no snippet or message shows them.
fn mask_sensitive(doc: &Json, file: FileId, text: &str, sources: &SourceMap) {
    let mut ranges = Vec::new();
    let pair =
        |c: &Json, value: &str, sensitive: &str, ranges: &mut Vec<std::ops::Range<usize>>| {
            mark(member(c, value), member(c, sensitive), ranges)
        };
    for rc in items(member(doc, "resource_changes")) {
        if let Some(c) = member(rc, "change") {
            pair(c, "after", "after_sensitive", &mut ranges);
            pair(c, "before", "before_sensitive", &mut ranges);
        }
    }
    for (_, c) in member(doc, "output_changes")
        .map(Json::members)
        .unwrap_or_default()
    {
        pair(c, "after", "after_sensitive", &mut ranges);
        pair(c, "before", "before_sensitive", &mut ranges);
    }
    let states = [
        member(doc, "planned_values"),
        member(doc, "prior_state").and_then(|p| member(p, "values")),
    ];
    for state in states.into_iter().flatten() {
        for (_, o) in member(state, "outputs")
            .map(Json::members)
            .unwrap_or_default()
        {
            if is_true(member(o, "sensitive")) {
                mark(member(o, "value"), member(o, "sensitive"), &mut ranges);
            }
        }
        let mut stack: Vec<&Json> = member(state, "root_module").into_iter().collect();
        while let Some(module) = stack.pop() {
            for r in items(member(module, "resources")) {
                pair(r, "values", "sensitive_values", &mut ranges);
            }
            stack.extend(items(member(module, "child_modules")));
        }
    }
    // Root variables declared sensitive.
    let declared = member(doc, "configuration")
        .and_then(|c| member(c, "root_module"))
        .and_then(|m| member(m, "variables"));
    for (name, v) in member(doc, "variables")
        .map(Json::members)
        .unwrap_or_default()
    {
        let sensitive = declared
            .and_then(|d| member(d, &name.name))
            .and_then(|d| member(d, "sensitive"));
        if is_true(sensitive) {
            mark(member(v, "value"), sensitive, &mut ranges);
        }
    }
    if ranges.is_empty() {
        return;
    }
    let mut bytes = text.as_bytes().to_vec();
    for range in ranges {
        for b in bytes.get_mut(range).into_iter().flatten() {
            if *b != b'\n' && *b != b'\r' {
                *b = b'*';
            }
        }
    }
    // Whole characters were replaced byte by byte with ASCII: still UTF-8.
    if let Ok(masked) = String::from_utf8(bytes) {
        sources.replace_text(file, masked.into());
    }
}

/// The ranges of `value` that `sensitive` (`true`, or an object or array of the same shape)
/// marks sensitive.
fn mark(value: Option<&Json>, sensitive: Option<&Json>, out: &mut Vec<std::ops::Range<usize>>) {
    let (Some(value), Some(sensitive)) = (value, sensitive) else {
        return;
    };
    match &sensitive.value {
        JsonValue::Bool(true) => out.push(value.span.clone()),
        JsonValue::Object(members) => {
            for (k, s) in members {
                mark(member(value, &k.name), Some(s), out);
            }
        }
        JsonValue::Array(list) => {
            for (i, s) in list.iter().enumerate() {
                mark(item(Some(value), i), Some(s), out);
            }
        }
        _ => {}
    }
}

/// Warn about a format version acrlint does not know (the plan is still read).
fn check_version(doc: &Json, warnings: &mut Vec<String>) {
    let Some(version) = member(doc, "format_version").and_then(Json::as_str) else {
        warnings.push(
            "the plan has no `format_version`: read as format 1.2, what can be read is judged"
                .into(),
        );
        return;
    };
    let major = version
        .split('.')
        .next()
        .and_then(|m| m.parse::<u64>().ok());
    if !major.is_some_and(|m| KNOWN_MAJORS.contains(&m)) {
        warnings.push(format!(
            "plan format version {version} is not one acrlint knows (0.x and 1.x, Terraform \
             0.12 to 1.x and OpenTofu): read as format 1.2, what can be read is judged"
        ));
    }
}

/// A member by its exact name (plan members are case-sensitive, unlike ARM's).
/// The cloud the plan's default azurerm provider deploys to: the `environment` its
/// configuration sets, as a constant or as a root variable whose value the plan holds. Without
/// one, `ARM_ENVIRONMENT` of the run that planned decided, which the plan does not record.
fn provider_cloud(doc: &Json) -> crate::model::Cloud {
    let environment = member(doc, "configuration")
        .and_then(|c| member(c, "provider_config"))
        .and_then(|p| member(p, "azurerm"))
        .and_then(|p| member(p, "expressions"))
        .and_then(|e| member(e, "environment"));
    let Some(environment) = environment else {
        return crate::model::Cloud::Provider;
    };
    let variable = || {
        let name = (items(member(environment, "references")).iter())
            .find_map(|r| r.as_str()?.strip_prefix("var."))?;
        member(member(doc, "variables")?, name).and_then(|v| member(v, "value"))
    };
    (member(environment, "constant_value").or_else(variable))
        .and_then(Json::as_str)
        .map_or(crate::model::Cloud::Provider, crate::model::Cloud::azurerm)
}

fn member<'j>(j: &'j Json, key: &str) -> Option<&'j Json> {
    j.members()
        .iter()
        .find(|(k, _)| k.name == key)
        .map(|(_, v)| v)
}

fn items(j: Option<&Json>) -> &[Json] {
    match j.map(|j| &j.value) {
        Some(JsonValue::Array(items)) => items,
        _ => &[],
    }
}

fn item(j: Option<&Json>, i: usize) -> Option<&Json> {
    items(j).get(i)
}

fn is_true(j: Option<&Json>) -> bool {
    j.and_then(Json::as_bool) == Some(true)
}

/// One resource instance of the plan, before its values are read.
struct Raw<'j> {
    addr: String,
    inst: InstanceAddr,
    mode: Mode,
    rtype: String,
    after: Option<&'j Json>,
    unknown: Option<&'j Json>,
    sensitive: Option<&'j Json>,
    /// Its `address` in the plan.
    entry: Span,
    /// The plan creates it (also as a replacement).
    create: bool,
}

/// The resource instances of the plan: what `planned_values` holds, with the values of its
/// change; changes not in `planned_values`; then data sources only in `prior_state`. Deleted
/// and forgotten resources are left out.
fn collect<'j>(doc: &'j Json, file: FileId, warnings: &mut Vec<String>) -> Vec<Raw<'j>> {
    let mut changes: FxHashMap<&str, &Json> = FxHashMap::default();
    let mut gone: FxHashSet<&str> = FxHashSet::default();
    for rc in items(member(doc, "resource_changes")) {
        let Some(addr) = member(rc, "address").and_then(Json::as_str) else {
            continue;
        };
        let actions: Vec<&str> = items(member(rc, "change").and_then(|c| member(c, "actions")))
            .iter()
            .filter_map(Json::as_str)
            .collect();
        if !actions.contains(&"create") && actions.iter().any(|a| *a == "delete" || *a == "forget")
        {
            gone.insert(addr);
        } else {
            changes.insert(addr, rc);
        }
    }
    let mut out: Vec<Raw> = Vec::new();
    let mut seen: FxHashSet<String> = FxHashSet::default();
    let mut bad = Vec::new();
    let mut add = |entry: &'j Json,
                   change: Option<&'j Json>,
                   values: Option<&'j Json>,
                   sensitive: Option<&'j Json>,
                   out: &mut Vec<Raw<'j>>| {
        let Some(address) = member(entry, "address") else {
            return;
        };
        let Some(addr) = address.as_str() else {
            return;
        };
        if gone.contains(addr) || !seen.insert(addr.to_string()) {
            return;
        }
        let Some(inst) = InstanceAddr::parse(addr) else {
            bad.push(addr.to_string());
            return;
        };
        let mode = match member(entry, "mode").and_then(Json::as_str) {
            Some("data") => Mode::Data,
            _ if inst.resource.starts_with("data.") => Mode::Data,
            _ => Mode::Managed,
        };
        let rtype = member(entry, "type")
            .and_then(Json::as_str)
            .map(str::to_string)
            .unwrap_or_else(|| {
                let r = inst.resource.trim_start_matches("data.");
                r.split('.').next().unwrap_or_default().to_string()
            });
        let change_body = change.and_then(|c| member(c, "change"));
        let actions = items(change_body.and_then(|c| member(c, "actions")));
        let create = actions.iter().any(|a| a.as_str() == Some("create"));
        let (after, unknown, sensitive) = match change_body {
            Some(c) if member(c, "after").is_some() || member(c, "after_unknown").is_some() => (
                member(c, "after").or(values),
                member(c, "after_unknown"),
                member(c, "after_sensitive").or(sensitive),
            ),
            _ => (values, None, sensitive),
        };
        out.push(Raw {
            addr: addr.to_string(),
            inst,
            mode,
            rtype,
            after,
            unknown,
            sensitive,
            entry: Span::new(file, address.span.clone()),
            create,
        });
    };
    // planned_values, module by module (depth first, as the plan nests them).
    let mut stack: Vec<&Json> = member(doc, "planned_values")
        .and_then(|p| member(p, "root_module"))
        .into_iter()
        .collect();
    while let Some(module) = stack.pop() {
        for r in items(member(module, "resources")) {
            let addr = member(r, "address").and_then(Json::as_str).unwrap_or("");
            let change = changes.get(addr).copied();
            add(
                r,
                change,
                member(r, "values"),
                member(r, "sensitive_values"),
                &mut out,
            );
        }
        stack.extend(items(member(module, "child_modules")).iter().rev());
    }
    for rc in items(member(doc, "resource_changes")) {
        add(rc, Some(rc), None, None, &mut out);
    }
    let mut stack: Vec<&Json> = member(doc, "prior_state")
        .and_then(|p| member(p, "values"))
        .and_then(|p| member(p, "root_module"))
        .into_iter()
        .collect();
    while let Some(module) = stack.pop() {
        for r in items(member(module, "resources")) {
            if member(r, "mode").and_then(Json::as_str) == Some("data") {
                add(
                    r,
                    None,
                    member(r, "values"),
                    member(r, "sensitive_values"),
                    &mut out,
                );
            }
        }
        stack.extend(items(member(module, "child_modules")).iter().rev());
    }
    if !bad.is_empty() {
        warnings.push(format!(
            "resource address{} not understood, left out: {}",
            if bad.len() == 1 { "" } else { "es" },
            bad.join(", ")
        ));
    }
    out
}

/// The values of one node: planned, which are unknown, which are sensitive.
#[derive(Clone, Copy)]
struct Vals<'j> {
    after: Option<&'j Json>,
    unknown: Option<&'j Json>,
    sensitive: Option<&'j Json>,
}

impl<'j> Vals<'j> {
    fn member(self, key: &str) -> Vals<'j> {
        Vals {
            after: self.after.and_then(|a| member(a, key)),
            unknown: self.unknown.and_then(|a| member(a, key)),
            sensitive: self.sensitive.and_then(|a| member(a, key)),
        }
    }

    fn item(self, i: usize) -> Vals<'j> {
        Vals {
            after: item(self.after, i),
            unknown: item(self.unknown, i),
            sensitive: item(self.sensitive, i),
        }
    }
}

/// The configuration expression behind a value.
#[derive(Clone, Copy)]
enum Expr<'j> {
    None,
    /// An attribute's expression (`constant_value` or `references`).
    One(&'j Json),
    /// Element `i` of `n` of a list the expression `One` makes.
    Elem(&'j Json, usize, usize),
    /// A block's expressions, by attribute.
    Block(&'j Json),
    /// The blocks of a nested block type.
    Blocks(&'j Json),
}

impl<'j> Expr<'j> {
    fn of(j: Option<&'j Json>) -> Expr<'j> {
        match j {
            Some(
                j @ Json {
                    value: JsonValue::Array(_),
                    ..
                },
            ) => Expr::Blocks(j),
            Some(j)
                if member(j, "references").is_some() || member(j, "constant_value").is_some() =>
            {
                Expr::One(j)
            }
            Some(
                j @ Json {
                    value: JsonValue::Object(_),
                    ..
                },
            ) => Expr::Block(j),
            _ => Expr::None,
        }
    }

    fn member(self, key: &str) -> Expr<'j> {
        match self {
            Expr::Block(b) => Expr::of(member(b, key)),
            Expr::One(_) => self,
            _ => Expr::None,
        }
    }

    fn item(self, i: usize, n: usize) -> Expr<'j> {
        match self {
            Expr::Blocks(list) if items(Some(list)).len() == n => Expr::of(item(Some(list), i)),
            Expr::One(e) => Expr::Elem(e, i, n),
            _ => Expr::None,
        }
    }

    fn references(self) -> Vec<&'j str> {
        match self {
            Expr::One(e) | Expr::Elem(e, ..) => items(member(e, "references"))
                .iter()
                .filter_map(Json::as_str)
                .collect(),
            _ => Vec::new(),
        }
    }
}

/// Where an expression is evaluated: a module instance, and the instance key of the resource
/// (or module call) whose expression it is.
#[derive(Clone, Debug)]
struct Ctx {
    /// `module.env["prod"].`; empty in the root module.
    prefix: String,
    /// The module call names, outermost first.
    path: Vec<String>,
    key: Option<Key>,
    /// The resource's entry in the plan: where a sensitive value is spanned, so that no
    /// snippet shows it.
    entry: Span,
}

/// What a reference names.
enum Resolved {
    /// A resource instance (and the attribute read).
    Target(ResourceRef),
    /// Not an object (`each.key`, `count.index`, `path.module`).
    Opaque,
    /// Something acrlint cannot follow to one resource (a local value, a root variable, an
    /// ambiguous instance).
    Unresolved,
}

/// The plan, indexed for following references.
struct Plan<'j> {
    file: FileId,
    config: Option<&'j Json>,
    variables: Option<&'j Json>,
    /// Resource instances by module instance prefix and configuration address.
    resources: Instances,
    /// Module instances by parent prefix and call name: key and prefix.
    modules: Instances,
    /// Every resource instance address.
    addrs: FxHashSet<String>,
}

/// Instances (key, address or prefix) by module instance prefix and a name in that module.
type Instances = FxHashMap<(String, String), Vec<(Option<Key>, String)>>;

/// How deep references are followed through module calls and outputs.
const MAX_HOPS: usize = 64;

impl<'j> Plan<'j> {
    fn new(doc: &'j Json, raws: &[Raw<'j>], file: FileId) -> Plan<'j> {
        let mut plan = Plan {
            file,
            config: member(doc, "configuration").and_then(|c| member(c, "root_module")),
            variables: member(doc, "variables"),
            resources: FxHashMap::default(),
            modules: FxHashMap::default(),
            addrs: FxHashSet::default(),
        };
        for raw in raws {
            let mods = &raw.inst.modules;
            for depth in 0..mods.len() {
                let parent = addr::module_prefix(&mods[..depth]);
                let prefix = addr::module_prefix(&mods[..=depth]);
                let list = plan
                    .modules
                    .entry((parent, mods[depth].0.clone()))
                    .or_default();
                if !list.iter().any(|(_, p)| *p == prefix) {
                    list.push((mods[depth].1.clone(), prefix));
                }
            }
            plan.resources
                .entry((raw.inst.module_prefix(), raw.inst.resource.clone()))
                .or_default()
                .push((raw.inst.key.clone(), raw.addr.clone()));
            plan.addrs.insert(raw.addr.clone());
        }
        plan
    }

    /// The configuration of the module at `path` (call names from the root).
    fn config_module(&self, path: &[String]) -> Option<&'j Json> {
        let mut module = self.config?;
        for name in path {
            module = member(module, "module_calls")
                .and_then(|calls| member(calls, name))
                .and_then(|call| member(call, "module"))?;
        }
        Some(module)
    }

    /// The `expressions` of a resource block of the module at `path`.
    fn resource_exprs(&self, path: &[String], resource: &str) -> Option<&'j Json> {
        let module = self.config_module(path)?;
        items(member(module, "resources"))
            .iter()
            .find(|r| member(r, "address").and_then(Json::as_str) == Some(resource))
            .and_then(|r| member(r, "expressions"))
    }

    /// The value of one node of a resource's values. `None` when it is absent.
    fn node(&self, v: Vals<'j>, e: Expr<'j>, ctx: &Ctx, what: &str, at: Span) -> Option<Node> {
        let span = v
            .after
            .or(v.unknown)
            .map_or(at, |j| Span::new(self.file, j.span.clone()));
        if is_true(v.sensitive) {
            let u = Unknown::new(
                what,
                "is sensitive in the plan (acrlint neither shows nor judges sensitive values)",
            );
            return Some(Node::unknown(u, Some(ctx.entry)));
        }
        if is_true(v.unknown) {
            return Some(Node::new(self.unknown_value(e, ctx, what), Some(span)));
        }
        let after = v.after?;
        let value = match &after.value {
            JsonValue::Object(members) => {
                let mut out: Vec<(compact_str::CompactString, Node)> = Vec::new();
                let mut keys: Vec<&str> = members.iter().map(|(k, _)| k.name.as_str()).collect();
                // Members known only after apply are absent from `after`.
                for (k, u) in v.unknown.map(Json::members).unwrap_or_default() {
                    if u.as_bool() == Some(true) && !keys.contains(&k.name.as_str()) {
                        keys.push(&k.name);
                    }
                }
                for k in keys {
                    let child = format!("{what}.{k}");
                    if let Some(n) = self.node(v.member(k), e.member(k), ctx, &child, span) {
                        out.push((k.into(), n));
                    }
                }
                Value::Object(out)
            }
            JsonValue::Array(list) => {
                let n = list.len();
                Value::List(
                    (0..n)
                        .filter_map(|i| {
                            let child = format!("{what}[{i}]");
                            self.node(v.item(i), e.item(i, n), ctx, &child, span)
                        })
                        .collect(),
                )
            }
            _ => Value::from_json(after, Some(span)),
        };
        let mut node = Node::new(value, Some(span));
        node.origin = self.variable_origin(e, ctx);
        Some(node)
    }

    /// Where a root variable an attribute is set from was given (`-var`, a `.tfvars` file):
    /// the plan's `variables` entry.
    fn variable_origin(&self, e: Expr<'j>, ctx: &Ctx) -> Option<Span> {
        if !matches!(e, Expr::One(_)) || !ctx.path.is_empty() {
            return None;
        }
        let refs = e.references();
        let name = match refs.as_slice() {
            [r] => r.strip_prefix("var.")?,
            _ => return None,
        };
        let value = member(self.variables?, name).and_then(|v| member(v, "value"))?;
        Some(Span::new(self.file, value.span.clone()))
    }

    /// A value known only after apply: a reference to the one resource its expression names,
    /// else unknown, depending on what it refers to.
    fn unknown_value(&self, e: Expr<'j>, ctx: &Ctx, what: &str) -> Value {
        let refs = e.references();
        let found = match (self.resolve_all(&refs, ctx, 0), e) {
            (Some(mut targets), _) if targets.len() == 1 => targets.pop(),
            (Some(mut targets), Expr::Elem(_, i, n)) if targets.len() == n && i < n => {
                Some(targets.swap_remove(i))
            }
            _ => None,
        };
        if let Some(mut target) = found {
            // After a computed index (`x[each.key].id`) Terraform lists no attribute: in a
            // field of ids it is the id (shown in messages only; links go by address).
            let field = what.trim_end_matches(|c: char| c == ']' || c.is_ascii_digit());
            let field = field.trim_end_matches('[');
            if target.attr.is_empty() && (field.ends_with("_id") || field.ends_with("_ids")) {
                target.attr.push("id".into());
            }
            return Value::Ref(target);
        }
        let depends_on = refs
            .iter()
            .find(|r| !opaque_root(r))
            .map_or_else(|| what.to_string(), |r| r.to_string());
        Value::Unknown(Unknown::new(depends_on, "is only known after apply"))
    }

    /// The resources an expression's references name, in order, each once; `None` when one of
    /// them cannot be followed.
    fn resolve_all(&self, refs: &[&str], ctx: &Ctx, hops: usize) -> Option<Vec<ResourceRef>> {
        if hops > MAX_HOPS {
            return None;
        }
        let iterated = refs
            .iter()
            .any(|r| r.starts_with("each.") || r.starts_with("count."));
        let mut seen: Vec<Vec<String>> = Vec::new();
        let mut out: Vec<ResourceRef> = Vec::new();
        for text in refs {
            let steps = addr::parse(text)?;
            let names: Vec<String> = steps
                .iter()
                .filter_map(|s| match s {
                    Step::Name(n) => Some(n.clone()),
                    Step::Index(_) => None,
                })
                .collect();
            // Terraform lists each reference, then its shorter forms: skip those.
            if seen.iter().any(|s| s.starts_with(&names)) {
                continue;
            }
            seen.push(names);
            match self.resolve_one(&steps, iterated, ctx, hops) {
                Resolved::Opaque => {}
                Resolved::Unresolved => return None,
                Resolved::Target(r) => {
                    if !out.iter().any(|o| o.addr == r.addr) {
                        out.push(r);
                    }
                }
            }
        }
        Some(out)
    }

    fn resolve_one(&self, steps: &[Step], iterated: bool, ctx: &Ctx, hops: usize) -> Resolved {
        let name = |i: usize| match steps.get(i) {
            Some(Step::Name(n)) => Some(n.as_str()),
            _ => None,
        };
        let Some(root) = name(0) else {
            return Resolved::Unresolved;
        };
        match root {
            "each" | "count" | "path" | "terraform" | "self" => Resolved::Opaque,
            "var" => self.through_variable(steps, ctx, hops),
            "module" => self.through_module(steps, iterated, ctx, hops),
            "local" => Resolved::Unresolved,
            _ => {
                let (resource, rest) = match (root, name(1), name(2)) {
                    ("data", Some(t), Some(n)) => (format!("data.{t}.{n}"), 3),
                    (t, Some(n), _) if t != "data" => (format!("{t}.{n}"), 2),
                    _ => return Resolved::Unresolved,
                };
                let (index, rest) = match steps.get(rest) {
                    Some(Step::Index(k)) => (Some(k), rest + 1),
                    _ => (None, rest),
                };
                let Some(found) = self
                    .resources
                    .get(&(ctx.prefix.clone(), resource))
                    .and_then(|list| pick(list, index, iterated, ctx.key.as_ref()))
                else {
                    return Resolved::Unresolved;
                };
                Resolved::Target(ResourceRef {
                    addr: found.to_string(),
                    attr: attr_path(&steps[rest..]),
                })
            }
        }
    }

    /// `var.x` in a child module: what its call passes for `x`, in the calling module.
    fn through_variable(&self, steps: &[Step], ctx: &Ctx, hops: usize) -> Resolved {
        let (Some(Step::Name(var)), None, Some((call, parent_path))) =
            (steps.get(1), steps.get(2), ctx.path.split_last())
        else {
            return Resolved::Unresolved;
        };
        let Some(expr) = self
            .config_module(parent_path)
            .and_then(|m| member(m, "module_calls"))
            .and_then(|calls| member(calls, call))
            .and_then(|c| member(c, "expressions"))
            .and_then(|e| member(e, var))
        else {
            return Resolved::Unresolved;
        };
        let Some(parsed) = addr::InstanceAddr::parse(&format!("{}x.y", ctx.prefix)) else {
            return Resolved::Unresolved;
        };
        let mut mods = parsed.modules;
        let key = mods.pop().and_then(|(_, k)| k);
        let parent = Ctx {
            prefix: addr::module_prefix(&mods),
            path: parent_path.to_vec(),
            key,
            entry: ctx.entry,
        };
        single(self.resolve_all(&Expr::One(expr).references(), &parent, hops + 1))
    }

    /// `module.m.out` (or `module.m["k"].out`): what the output's expression names, in the
    /// module instance.
    fn through_module(&self, steps: &[Step], iterated: bool, ctx: &Ctx, hops: usize) -> Resolved {
        let Some(Step::Name(call)) = steps.get(1) else {
            return Resolved::Unresolved;
        };
        let (index, at) = match steps.get(2) {
            Some(Step::Index(k)) => (Some(k), 3),
            _ => (None, 2),
        };
        let Some(Step::Name(output)) = steps.get(at) else {
            return Resolved::Unresolved;
        };
        let Some(list) = self.modules.get(&(ctx.prefix.clone(), call.clone())) else {
            return Resolved::Unresolved;
        };
        let Some(prefix) = pick(list, index, iterated, ctx.key.as_ref()) else {
            return Resolved::Unresolved;
        };
        let key = list
            .iter()
            .find(|(_, p)| p == prefix)
            .and_then(|(k, _)| k.clone());
        let mut path = ctx.path.clone();
        path.push(call.clone());
        let Some(expr) = self
            .config_module(&path)
            .and_then(|m| member(m, "outputs"))
            .and_then(|o| member(o, output))
            .and_then(|o| member(o, "expression"))
        else {
            return Resolved::Unresolved;
        };
        let child = Ctx {
            prefix: prefix.to_string(),
            path,
            key,
            entry: ctx.entry,
        };
        match single(self.resolve_all(&Expr::One(expr).references(), &child, hops + 1)) {
            Resolved::Target(mut r) => {
                r.attr.extend(attr_path(&steps[at + 1..]));
                Resolved::Target(r)
            }
            other => other,
        }
    }
}

/// One resource, or unresolved.
fn single(targets: Option<Vec<ResourceRef>>) -> Resolved {
    match targets {
        Some(mut t) if t.len() == 1 => Resolved::Target(t.remove(0)),
        _ => Resolved::Unresolved,
    }
}

fn opaque_root(r: &str) -> bool {
    ["each.", "count.", "path.", "terraform.", "self."]
        .iter()
        .any(|p| r.starts_with(p))
}

fn attr_path(steps: &[Step]) -> Vec<String> {
    steps
        .iter()
        .map(|s| match s {
            Step::Name(n) => n.clone(),
            Step::Index(Key::Int(i)) => i.to_string(),
            Step::Index(Key::Str(k)) => k.clone(),
        })
        .collect()
}

/// The instance a reference names among `list`: by its index; without one, the instance with
/// the referring resource's own key when the expression is per instance (`each.key`,
/// `count.index`), or the only instance.
fn pick<'l>(
    list: &'l [(Option<Key>, String)],
    index: Option<&Key>,
    iterated: bool,
    own: Option<&Key>,
) -> Option<&'l str> {
    let found = match index {
        Some(k) => list.iter().find(|(key, _)| key.as_ref() == Some(k)),
        None => {
            let same = own
                .filter(|_| iterated)
                .and_then(|own| list.iter().find(|(key, _)| key.as_ref() == Some(own)));
            match (same, list) {
                (Some(s), _) => Some(s),
                (None, [only]) if only.0.is_none() || iterated => Some(only),
                _ => None,
            }
        }
    };
    found.map(|(_, a)| a.as_str())
}

/// The configuration's resources loaded from `.tf`, by address and by address without keys.
struct SourceIndex<'c> {
    exact: FxHashMap<&'c str, &'c Resource>,
    by_block: FxHashMap<String, &'c Resource>,
}

impl<'c> SourceIndex<'c> {
    fn new(resources: &'c [Resource]) -> SourceIndex<'c> {
        let mut index = SourceIndex {
            exact: FxHashMap::default(),
            by_block: FxHashMap::default(),
        };
        for r in resources {
            index.exact.insert(&r.addr, r);
            index.by_block.entry(without_keys(&r.addr)).or_insert(r);
        }
        index
    }

    fn find(&self, addr: &str) -> Option<&'c Resource> {
        self.exact
            .get(addr)
            .copied()
            .or_else(|| self.by_block.get(&without_keys(addr)).copied())
    }
}

/// The plan's value `n`, spanned where `tf` (the same value as loaded from `.tf`) is written;
/// where nothing is written, at the nearest enclosing span (`fallback`). When the plan creates
/// the resource, a value the configuration does not write is the provider's default, which the
/// model applies itself: it is left out, so that findings say "defaults to", as for `.tf`.
fn remap(
    mut n: Node,
    tf: Option<&Node>,
    fallback: Span,
    create: bool,
    addrs: &FxHashSet<String>,
) -> Node {
    let span = tf.and_then(|t| t.span).unwrap_or(fallback);
    n.span = Some(span);
    if let Some(origin) = tf.and_then(|t| t.origin) {
        n.origin = Some(origin);
    }
    let tf_value = tf.map(|t| &t.value);
    // A reference the plan cannot follow (through a local value) but `.tf` can.
    if let (Value::Unknown(_), Some(Value::Ref(r))) = (&n.value, tf_value) {
        if addrs.contains(&r.addr) {
            n.value = Value::Ref(r.clone());
            return n;
        }
    }
    match &mut n.value {
        Value::Object(members) => {
            let written = match tf_value {
                Some(Value::Object(_)) => tf,
                _ => None,
            };
            let old = std::mem::take(members);
            for (k, child) in old {
                let tf_child = written.and_then(|w| w.value.get(&k));
                if create && written.is_some() && tf_child.is_none() {
                    continue;
                }
                let child = remap(child, tf_child, span, create, addrs);
                members.push((k, child));
            }
        }
        Value::List(list) => {
            let tf_items = match tf_value {
                Some(Value::List(items)) => items.as_slice(),
                _ => &[],
            };
            let old = std::mem::take(list);
            for (i, child) in old.into_iter().enumerate() {
                list.push(remap(child, tf_items.get(i), span, create, addrs));
            }
        }
        _ => {}
    }
    n
}

#[cfg(test)]
mod tests;
