//! Evaluation of a root module and the modules it calls.
//!
//! Everything is lazy and memoized: a variable, local, output, resource expansion or resource
//! body is evaluated when first needed. A value that is needed while it is being evaluated is a
//! reference cycle and becomes unknown; the evaluator's depth limit bounds the recursion.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::Arc;

use super::config::{BodyDef, Item, ModuleDef};
use super::files::{normalize, read_source};
use super::{module_def, ModuleCache, TfOptions};
use crate::load::{LoadError, Loaded, Mode, Note, Origin, Resource};
use crate::model::Cloud;
use crate::resolve::hcl::{
    convert_to_type, deep_unknown, EvOp, Eval, Expr, Limits, Name, Resolver,
};
use crate::source::display_path;
use crate::source::{FileId, SourceFile, SourceMap, Span};
use crate::value::{Node, ResourceRef, Unknown, Value};
use compact_str::CompactString;

/// Meta-arguments that are not part of a resource body.
const META_ATTRS: &[&str] = &["count", "for_each", "depends_on", "provider"];
const META_BLOCKS: &[&str] = &["lifecycle", "provisioner", "connection"];

/// `count.index`, `each.key`, `each.value` of one instance.
#[derive(Clone, Debug, Default)]
struct InstCtx {
    count_index: Option<Node>,
    each: Option<(Node, Node)>,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Shape {
    /// No `count` or `for_each`.
    Single,
    List,
    Map,
    /// `count`/`for_each` not known: one instance without a key.
    Unknown,
}

#[derive(Debug)]
struct Inst {
    /// `""`, `[0]` or `["key"]`, as Terraform prints addresses.
    suffix: String,
    key: Value,
    ctx: InstCtx,
}

#[derive(Debug)]
struct Expanded {
    shape: Shape,
    insts: Vec<Inst>,
    /// Why the number of instances is not known (`Shape::Unknown`): the one representative
    /// instance may not exist.
    existence: Option<Unknown>,
    /// For a resource, the address of each instance (as `insts`); empty for a module call.
    addrs: Vec<String>,
}

#[derive(Debug)]
struct ModInst {
    def: usize,
    /// `""` for the root, else `module.a.` or `module.a["k"].module.b.`.
    prefix: String,
    /// The key in `.terraform/modules/modules.json`: call names joined by dots.
    key_path: String,
    /// The caller module instance and the index of the call in its definition.
    parent: Option<(usize, usize)>,
    ctx: InstCtx,
    /// Canonical folders from the root to this module, to detect cycles.
    chain: Vec<PathBuf>,
    /// `path.module`: the folder relative to the root module.
    rel: PathBuf,
    dir: PathBuf,
    /// Why this module instance may not exist (a `count`/`for_each` of it or of a caller is not
    /// known); its resources inherit it.
    existence: Option<Unknown>,
}

/// A resource instance: the module instance, the resource's index in its definition, and its
/// evaluated body once needed.
#[derive(Debug)]
struct InstRec {
    mi: usize,
    ri: usize,
    ctx: InstCtx,
    body: BodyState,
}

#[derive(Debug)]
enum BodyState {
    Todo,
    /// Being evaluated: a reference to it now is a cycle.
    Busy,
    Done(Node),
    /// Moved into the output.
    Taken,
}

#[derive(Debug)]
enum CallState {
    Failed(Unknown),
    Ready(Shape, Vec<(Value, usize)>),
}

/// A variable, local or output: the module instance and the index in its definition.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum MemoKey {
    Var(usize, usize),
    Local(usize, usize),
    Output(usize, usize),
}

struct Tree<'a> {
    sources: &'a SourceMap,
    root_dir: PathBuf,
    defs: Vec<Arc<ModuleDef>>,
    /// The folder of each of `defs`.
    def_dirs: Vec<PathBuf>,
    /// Module calls (caller's index in `defs`, call index) whose `module.NAME.OUTPUT` references
    /// have been checked against the called module.
    outputs_checked: HashSet<(usize, usize)>,
    cache: &'a ModuleCache,
    def_ids: HashMap<PathBuf, usize>,
    mods: Vec<ModInst>,
    root_values: HashMap<String, Node>,
    /// `.terraform/modules/modules.json`, read when a remote module is first called.
    downloaded: Option<HashMap<String, PathBuf>>,
    /// Whether the root folder's canonical path is in the root's chain and `def_ids` (done when
    /// the first module is called: `canonicalize` costs a system call per path component).
    root_canonical: bool,
    memo: HashMap<MemoKey, (Node, u64)>,
    busy: HashSet<MemoKey>,
    res_exp: HashMap<(usize, usize), Rc<Expanded>>,
    res_busy: HashSet<(usize, usize)>,
    calls: HashMap<(usize, usize), Rc<CallState>>,
    calls_busy: HashSet<(usize, usize)>,
    /// Resource instances by address (an index in `insts`).
    inst_ids: HashMap<String, usize>,
    insts: Vec<InstRec>,
    limits: Limits,
    /// See `Loaded::shared_defaults`.
    shared_defaults: Vec<Span>,
    instances_left: usize,
    instances_reported: bool,
    errors: Vec<LoadError>,
    notes: Vec<Note>,
    /// Calls of remote modules that are not downloaded, with their note: what their arguments
    /// hand them is read once every call is settled.
    unread_calls: Vec<(usize, usize, usize)>,
    /// What Terraform reads from its environment.
    environment: &'a super::Environment,
    /// `terraform.workspace`, read on first use.
    workspace: std::cell::OnceCell<Node>,
    /// The files `file()` read, after the file of each call, and the variable files, after each
    /// file of the root ([`Loaded::imports`]).
    data_reads: Vec<(FileId, FileId)>,
}

/// The workspace Terraform would run in, in the root module `dir`: `TF_WORKSPACE`, else the one
/// `terraform workspace select` recorded in `.terraform/environment` (under `TF_DATA_DIR` when
/// set), else `default`.
fn workspace(dir: &Path, sources: &SourceMap, env: &super::Environment) -> Node {
    let name = |n: &str| Node::new(Value::String(n.into()), None);
    if let Some(w) = &env.workspace {
        return name(w);
    }
    let data_dir = env.data_dir.as_deref().unwrap_or(Path::new(".terraform"));
    let recorded = dir.join(data_dir).join("environment");
    match sources.read_text_if_present(&recorded) {
        Ok(Some(text)) if !text.trim().is_empty() => name(text.trim()),
        Ok(_) => name("default"),
        Err(e) => Node::unknown(
            Unknown::new(
                "terraform.workspace",
                format!(
                    "is recorded in {}, but that file cannot be read ({e})",
                    recorded.display()
                ),
            ),
            None,
        ),
    }
}

pub fn load(
    dir: &Path,
    files: &[FileId],
    sources: &SourceMap,
    opts: &TfOptions,
    cache: &ModuleCache,
) -> Loaded {
    let key = super::folder_key(dir);
    let root = cache.get_or_parse(&key, || module_def(files, sources));
    let listing = cache.var_files(&key);
    let super::vars::RootValues {
        values: root_values,
        errors: var_errors,
        mut warnings,
        files: var_files,
    } = super::vars::root_values(dir, listing, &root, sources, opts);
    let mut errors = var_errors;
    // What the root deploys may depend on any value its variable files give (a `count`, not
    // only an argument): its files' results depend on them.
    let data_reads = (files.iter())
        .flat_map(|&f| var_files.iter().map(move |&v| (f, v)))
        .collect();
    errors.extend(root.errors.iter().cloned());
    let mut tree = Tree {
        sources,
        root_dir: dir.to_path_buf(),
        defs: vec![root],
        def_dirs: vec![dir.to_path_buf()],
        outputs_checked: HashSet::default(),
        cache,
        def_ids: HashMap::default(),
        mods: vec![ModInst {
            def: 0,
            prefix: String::new(),
            key_path: String::new(),
            parent: None,
            ctx: InstCtx::default(),
            chain: Vec::new(),
            rel: PathBuf::from("."),
            dir: dir.to_path_buf(),
            existence: None,
        }],
        root_values,
        environment: &opts.environment,
        workspace: std::cell::OnceCell::new(),
        data_reads,
        downloaded: None,
        root_canonical: false,
        memo: HashMap::default(),
        busy: HashSet::default(),
        res_exp: HashMap::default(),
        res_busy: HashSet::default(),
        calls: HashMap::default(),
        calls_busy: HashSet::default(),
        inst_ids: HashMap::default(),
        insts: Vec::new(),
        limits: Limits::new(crate::limits::current().steps),
        shared_defaults: Vec::new(),
        instances_left: crate::limits::current().instances,
        instances_reported: false,
        errors,
        notes: Vec::new(),
        unread_calls: Vec::new(),
    };
    let resources = tree.collect();
    tree.load_uncalled();
    tree.unread_arguments();
    let cloud = tree.cloud();
    if let (true, Some(at)) = (tree.limits.exhausted, tree.limits.exhausted_at) {
        tree.errors.push(LoadError {
            file: at.file,
            span: Some(at),
            message: tree.limits.exhausted_message(),
        });
    }
    let mut errors = Vec::new();
    for e in tree.errors {
        if !errors.contains(&e) {
            errors.push(e);
        }
    }
    // Each folder read is in `defs` once.
    warnings.extend(tree.defs.iter().flat_map(|d| d.warnings.iter().cloned()));
    Loaded {
        resources,
        errors,
        warnings,
        notes: tree.notes,
        shared_defaults: tree.shared_defaults,
        cloud,
        imports: tree.data_reads,
        ..Loaded::default()
    }
}

/// Module keys to folders from `.terraform/modules/modules.json`, written by `terraform init`.
fn downloaded_modules(dir: &Path) -> HashMap<String, PathBuf> {
    #[derive(serde::Deserialize)]
    struct Manifest {
        #[serde(rename = "Modules", default)]
        modules: Vec<Entry>,
    }
    #[derive(serde::Deserialize)]
    struct Entry {
        #[serde(rename = "Key")]
        key: String,
        #[serde(rename = "Dir")]
        dir: String,
    }
    let path = dir.join(".terraform").join("modules").join("modules.json");
    let Ok(text) = crate::load::read_text(&path) else {
        return HashMap::default();
    };
    serde_json::from_str::<Manifest>(&text)
        .map(|m| {
            m.modules
                .into_iter()
                .filter(|e| !e.key.is_empty())
                .map(|e| (e.key, PathBuf::from(e.dir)))
                .collect()
        })
        .unwrap_or_default()
}

fn is_local_source(s: &str) -> bool {
    s == "." || s == ".." || s.starts_with("./") || s.starts_with("../")
}

/// Terraform's instance key syntax: `[0]`, `["prod"]`.
fn key_suffix(key: &Value) -> String {
    match key {
        Value::Number(n) => format!("[{}]", *n as i64),
        Value::String(s) => format!("[{}]", serde_json::Value::String(s.to_string())),
        _ => String::new(),
    }
}

fn unknown(depends_on: impl Into<String>, reason: impl Into<String>, span: Span) -> Node {
    Node::unknown(Unknown::new(depends_on, reason), Some(span))
}

fn member(n: &Node, name: &str) -> Option<Node> {
    match &n.value {
        Value::Object(m) => m.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()),
        _ => None,
    }
}

/// Nodes in a value, to charge copies of memoized values against the step budget.
fn size(v: &Value) -> u64 {
    match v {
        Value::List(items) => 1 + items.iter().map(|n| size(&n.value)).sum::<u64>(),
        Value::Object(m) => 1 + m.iter().map(|(_, n)| size(&n.value)).sum::<u64>(),
        _ => 1,
    }
}

impl Tree<'_> {
    /// The cloud the root's azurerm provider deploys to: its block's `environment`, else
    /// `ARM_ENVIRONMENT`. Without either, the provider's default (the public cloud) is not
    /// taken as said: a Government region tells that the run sets its environment where it
    /// deploys, so the region decides.
    fn cloud(&mut self) -> Cloud {
        let Some(e) = self.defs[0].provider_environment.clone() else {
            let arm = self.environment.arm_environment.as_deref();
            return arm.map_or(Cloud::Provider, Cloud::azurerm);
        };
        match self.eval(0, &InstCtx::default(), &e).value {
            Value::String(name) => Cloud::azurerm(&name),
            Value::Unknown(u) => Cloud::Unknown(u, e.span),
            _ => Cloud::Provider,
        }
    }

    fn def(&self, mi: usize) -> Arc<ModuleDef> {
        self.defs[self.mods[mi].def].clone()
    }

    fn eval(&mut self, mi: usize, ctx: &InstCtx, e: &Expr) -> Node {
        let mut scope = ModuleScope {
            tree: self,
            mi,
            ctx,
        };
        Eval::new(&mut scope).value(e)
    }

    /// Evaluate with names bound by enclosing `dynamic` blocks (lent to the evaluator, not copied).
    fn eval_binds(
        &mut self,
        mi: usize,
        ctx: &InstCtx,
        binds: &mut Vec<(Name, Node)>,
        e: &Expr,
    ) -> Node {
        let mut scope = ModuleScope {
            tree: self,
            mi,
            ctx,
        };
        let mut ev = Eval::with_binds(&mut scope, std::mem::take(binds));
        let n = ev.value(e);
        *binds = ev.into_binds();
        n
    }

    fn memo_get(&mut self, key: &MemoKey, span: Span) -> Option<Node> {
        let (node, cost) = self.memo.get(key)?;
        let node = node.clone();
        let cost = *cost;
        if cost > 1 && !self.limits.charge(cost) {
            self.limits.exhausted_at.get_or_insert(span);
            return Some(unknown(
                "expression",
                "is not evaluated: the configuration produces too many elements",
                span,
            ));
        }
        Some(node)
    }

    fn memo_put(&mut self, key: MemoKey, node: &Node) {
        let cost = size(&node.value);
        self.memo.insert(key, (node.clone(), cost));
    }

    // ---- variables, locals, outputs ----

    fn var(&mut self, mi: usize, name: &str, span: Span) -> Node {
        let def = self.def(mi);
        let Some(vi) = def.variables.iter().position(|v| v.name == name) else {
            return unknown(format!("var.{name}"), "is not declared", span);
        };
        let key = MemoKey::Var(mi, vi);
        if let Some(n) = self.memo_get(&key, span) {
            return n;
        }
        let label = format!("var.{name}");
        if self.busy.contains(&key) {
            return self.cycle(label, span);
        }
        let v = &def.variables[vi];
        self.busy.insert(key);
        let given = match self.mods[mi].parent {
            None => self.root_values.get(name).cloned(),
            Some((pmi, ci)) => {
                let pdef = self.def(pmi);
                match pdef.calls[ci].arg(name) {
                    Some(e) => {
                        let ctx = self.mods[mi].ctx.clone();
                        Some(self.eval(pmi, &ctx, e))
                    }
                    None => None,
                }
            }
        };
        let value = match (given, &v.default) {
            (Some(n), _) => n,
            (None, Some(d)) => {
                if self.mods[mi].parent.is_some() {
                    self.shared_defaults.push(d.span);
                }
                self.eval(mi, &InstCtx::default(), d)
            }
            // The same value wherever the configuration reads it: an input with an identity.
            (None, None) if self.mods[mi].parent.is_none() => Node::unknown(
                Unknown::input(
                    label,
                    format!(
                        "has no default (set it in a .tfvars file, with --var or with TF_VAR_{name})"
                    ),
                ),
                Some(span),
            ),
            (None, None) => unknown(
                label,
                "has no default and the module call does not set it",
                span,
            ),
        };
        let value = match &v.ty {
            Some(t) => convert_to_type(value, t),
            None => value,
        };
        self.busy.remove(&key);
        self.memo_put(key, &value);
        value
    }

    fn local(&mut self, mi: usize, name: &str, span: Span) -> Node {
        self.named(mi, name, true, span)
    }

    fn output(&mut self, mi: usize, name: &str, span: Span) -> Node {
        self.named(mi, name, false, span)
    }

    /// A local (`is_local`) or an output of module instance `mi`, memoized.
    fn named(&mut self, mi: usize, name: &str, is_local: bool, span: Span) -> Node {
        let label = |tree: &Self| match is_local {
            true => format!("local.{name}"),
            false => format!("{}output.{name}", tree.mods[mi].prefix),
        };
        let def = self.def(mi);
        let exprs = if is_local { &def.locals } else { &def.outputs };
        let Some(i) = exprs.iter().position(|(n, _)| n == name) else {
            return unknown(label(self), "is not declared", span);
        };
        let key = match is_local {
            true => MemoKey::Local(mi, i),
            false => MemoKey::Output(mi, i),
        };
        if let Some(n) = self.memo_get(&key, span) {
            return n;
        }
        if self.busy.contains(&key) {
            return self.cycle(label(self), span);
        }
        self.busy.insert(key);
        let value = self.eval(mi, &InstCtx::default(), &exprs[i].1);
        self.busy.remove(&key);
        self.memo_put(key, &value);
        value
    }

    fn all_outputs(&mut self, mi: usize, span: Span) -> Node {
        let def = self.def(mi);
        let members = def
            .outputs
            .iter()
            .map(|(n, _)| (n.as_str().into(), self.output(mi, n, span)))
            .collect();
        Node::new(Value::Object(members), Some(span))
    }

    // ---- expansion ----

    fn take_instances(&mut self, n: usize, span: Span) -> bool {
        if n <= self.instances_left {
            self.instances_left -= n;
            return true;
        }
        if !self.instances_reported {
            self.instances_reported = true;
            self.errors.push(LoadError {
                file: span.file,
                span: Some(span),
                message: format!(
                    "the configuration expands to more than {} instances (`instances` under \
                     [limits]); this expansion is left unknown",
                    crate::limits::current().instances
                ),
            });
        }
        false
    }

    /// Instances of a block with optional `count` / `for_each`, evaluated in module `mi`.
    fn expand(&mut self, mi: usize, count: Option<&Expr>, for_each: Option<&Expr>) -> Expanded {
        let unknown_one = |u: Unknown| {
            let n = Node::unknown(u.clone(), None);
            Expanded {
                addrs: Vec::new(),
                existence: Some(u),
                shape: Shape::Unknown,
                insts: vec![Inst {
                    suffix: String::new(),
                    key: Value::Null,
                    ctx: InstCtx {
                        count_index: Some(n.clone()),
                        each: Some((n.clone(), n)),
                    },
                }],
            }
        };
        if let Some(c) = count {
            let v = self.eval(mi, &InstCtx::default(), c);
            let n = match &v.value {
                Value::Number(n) if *n >= 0.0 && n.fract() == 0.0 => *n as usize,
                other => {
                    return unknown_one(
                        deep_unknown(other)
                            .unwrap_or_else(|| Unknown::new("count", "is not a whole number")),
                    )
                }
            };
            if !self.take_instances(n, c.span) {
                return unknown_one(Unknown::new("count", "exceeds the instance limit"));
            }
            let insts = (0..n)
                .map(|i| {
                    let key = Value::Number(i as f64);
                    Inst {
                        suffix: key_suffix(&key),
                        ctx: InstCtx {
                            count_index: Some(Node::new(key.clone(), Some(c.span))),
                            each: None,
                        },
                        key,
                    }
                })
                .collect();
            return Expanded {
                addrs: Vec::new(),
                shape: Shape::List,
                insts,
                existence: None,
            };
        }
        let Some(f) = for_each else {
            return Expanded {
                addrs: Vec::new(),
                existence: None,
                shape: Shape::Single,
                insts: vec![Inst {
                    suffix: String::new(),
                    key: Value::Null,
                    ctx: InstCtx::default(),
                }],
            };
        };
        let v = self.eval(mi, &InstCtx::default(), f);
        let mut pairs: Vec<(CompactString, Node)> = match &v.value {
            Value::Object(m) => m.clone(),
            Value::List(items) => {
                let mut out = Vec::new();
                for it in items {
                    match &it.value {
                        Value::String(s) => out.push((s.clone(), it.clone())),
                        other => {
                            return unknown_one(deep_unknown(other).unwrap_or_else(|| {
                                Unknown::new("for_each", "must be a map or a set of strings")
                            }))
                        }
                    }
                }
                out
            }
            other => {
                let mut one = unknown_one(deep_unknown(other).unwrap_or_else(|| {
                    Unknown::new("for_each", "must be a map or a set of strings")
                }));
                // `for_each = data.azurerm_subnet.pe`: whichever instance, `each.value` is
                // `data.azurerm_subnet.pe[each.key]` (a subnet of the VNet they all name).
                let value = self.each_of_unknown_keys(mi, &one.insts[0].ctx, f);
                if let (Some(value), Some((_, v))) = (value, one.insts[0].ctx.each.as_mut()) {
                    *v = value;
                }
                return one;
            }
        };
        pairs.sort_by(|a, b| a.0.cmp(&b.0));
        pairs.dedup_by(|a, b| a.0 == b.0);
        if !self.take_instances(pairs.len(), f.span) {
            return unknown_one(Unknown::new("for_each", "exceeds the instance limit"));
        }
        let insts = pairs
            .into_iter()
            .map(|(k, val)| {
                let key = Value::String(k);
                Inst {
                    suffix: key_suffix(&key),
                    ctx: InstCtx {
                        count_index: None,
                        each: Some((Node::new(key.clone(), Some(f.span)), val)),
                    },
                    key,
                }
            })
            .collect();
        Expanded {
            addrs: Vec::new(),
            shape: Shape::Map,
            insts,
            existence: None,
        }
    }

    /// For a `for_each` over a reference whose keys are unknown, `each.value`: the reference
    /// indexed by `each.key`, as Terraform defines it; `None` unless that says more than the
    /// unknown collection.
    fn each_of_unknown_keys(&mut self, mi: usize, ctx: &InstCtx, f: &Expr) -> Option<Node> {
        use crate::resolve::hcl::{ExprKind, Op};
        let empty = |e: &Expr| match &e.kind {
            ExprKind::Object(members) => members.is_empty(),
            ExprKind::Tuple(items) => items.is_empty(),
            _ => false,
        };
        let (base, ops) = match &f.kind {
            ExprKind::Traverse(base, ops) if matches!(base.kind, ExprKind::Var(_)) => (base, ops),
            // `var.enabled ? data.azurerm_subnet.pe : {}`: with no instances there is no
            // `each.value`, so it is the reference's.
            ExprKind::Cond(_, t, o) if empty(o) => return self.each_of_unknown_keys(mi, ctx, t),
            ExprKind::Cond(_, t, o) if empty(t) => return self.each_of_unknown_keys(mi, ctx, o),
            _ => return None,
        };
        let at = |kind| Expr { kind, span: f.span };
        let each_key = at(ExprKind::Traverse(
            Box::new(at(ExprKind::Var("each".into()))),
            vec![Op::Attr("key".into())],
        ));
        let mut indexed = ops.clone();
        indexed.push(Op::Index(each_key));
        let value = self.eval(mi, ctx, &at(ExprKind::Traverse(base.clone(), indexed)));
        (!matches!(value.value, Value::Unknown(_))).then_some(value)
    }

    fn resource_base(&self, mi: usize, mode: Mode, rtype: &str, name: &str) -> String {
        let data = if mode == Mode::Data { "data." } else { "" };
        format!("{}{data}{rtype}.{name}", self.mods[mi].prefix)
    }

    fn expand_resource(&mut self, mi: usize, ri: usize) -> Rc<Expanded> {
        if let Some(e) = self.res_exp.get(&(mi, ri)) {
            return e.clone();
        }
        let def = self.def(mi);
        let r = &def.resources[ri];
        let base = self.resource_base(mi, r.mode, &r.rtype, &r.name);
        if !self.res_busy.insert((mi, ri)) {
            let u = Unknown::new(
                base.clone(),
                "has a count or for_each that depends on itself",
            );
            return Rc::new(Expanded {
                addrs: vec![base],
                existence: Some(u.clone()),
                shape: Shape::Unknown,
                insts: vec![Inst {
                    suffix: String::new(),
                    key: Value::Null,
                    ctx: InstCtx {
                        count_index: Some(Node::unknown(u.clone(), None)),
                        each: Some((Node::unknown(u.clone(), None), Node::unknown(u, None))),
                    },
                }],
            });
        }
        let mut ex = self.expand(mi, r.body.attr("count"), r.body.attr("for_each"));
        ex.addrs = match ex.insts.as_slice() {
            // One instance without a key (the usual case): the address is the base.
            [inst] if inst.suffix.is_empty() => vec![base],
            insts => insts
                .iter()
                .map(|inst| format!("{base}{}", inst.suffix))
                .collect(),
        };
        for (inst, addr) in ex.insts.iter().zip(&ex.addrs) {
            let ctx = inst.ctx.clone();
            match self.inst_ids.get(addr) {
                // The same address declared twice: the later declaration wins (its body, if
                // already evaluated, stays).
                Some(&id) => {
                    if let Some(rec) = self.insts.get_mut(id) {
                        (rec.mi, rec.ri, rec.ctx) = (mi, ri, ctx);
                    }
                }
                None => {
                    self.inst_ids.insert(addr.clone(), self.insts.len());
                    self.insts.push(InstRec {
                        mi,
                        ri,
                        ctx,
                        body: BodyState::Todo,
                    });
                }
            }
        }
        let ex = Rc::new(ex);
        self.res_busy.remove(&(mi, ri));
        self.res_exp.insert((mi, ri), ex.clone());
        ex
    }

    /// `type.name` (or `data.type.name`) in module `mi`: a reference, or a list or map of
    /// references for counted resources. Returns the value and how many of `rest` it used.
    fn resource_ref(
        &mut self,
        mi: usize,
        mode: Mode,
        rtype: &str,
        name: &str,
        rest: &[EvOp],
        span: Span,
    ) -> (Node, usize) {
        let to_ref = |addr: String| {
            Node::new(
                Value::Ref(ResourceRef {
                    addr,
                    attr: Vec::new(),
                }),
                Some(span),
            )
        };
        let def = self.def(mi);
        let Some(ri) = def
            .resources
            .iter()
            .position(|r| r.mode == mode && r.rtype == rtype && r.name == name)
        else {
            return (to_ref(self.resource_base(mi, mode, rtype, name)), 0);
        };
        let ex = self.expand_resource(mi, ri);
        let refs = || ex.addrs.iter().map(|a| to_ref(a.clone()));
        match ex.shape {
            Shape::Single => (refs().next().unwrap_or_else(|| to_ref(String::new())), 0),
            Shape::Unknown => (
                refs().next().unwrap_or_else(|| to_ref(String::new())),
                usize::from(matches!(rest.first(), Some(EvOp::Index(_)))),
            ),
            Shape::List => (Node::new(Value::List(refs().collect()), Some(span)), 0),
            Shape::Map => (
                Node::new(
                    Value::Object(
                        ex.insts
                            .iter()
                            .map(|i| CompactString::from(i.key.as_str().unwrap_or_default()))
                            .zip(refs())
                            .collect(),
                    ),
                    Some(span),
                ),
                0,
            ),
        }
    }

    // ---- resource bodies ----

    /// The index of the resource instance at `addr` with its body evaluated, if the address is
    /// one and its body is not being evaluated already (a reference cycle between resources).
    fn ensure_body(&mut self, addr: &str) -> Option<usize> {
        let id = *self.inst_ids.get(addr)?;
        let rec = self.insts.get_mut(id)?;
        match rec.body {
            BodyState::Todo => {}
            BodyState::Busy => return None,
            BodyState::Done(_) | BodyState::Taken => return Some(id),
        }
        rec.body = BodyState::Busy;
        // Only this evaluation reads the context; it is put back below.
        let (mi, ri, ctx) = (rec.mi, rec.ri, std::mem::take(&mut rec.ctx));
        let def = self.def(mi);
        let r = &def.resources[ri];
        let mut body = self.eval_body(mi, &ctx, &r.body, &mut Vec::new(), true, r.span);
        if r.rtype.starts_with("azapi_") {
            self.encoded_body(mi, &ctx, &r.body, &mut body);
        }
        if let Some(rec) = self.insts.get_mut(id) {
            (rec.ctx, rec.body) = (ctx, BodyState::Done(body));
        }
        Some(id)
    }

    /// An azapi body written `jsonencode({...})` (azapi 1.x) whose text is unknown because one
    /// value in it is (a subnet id known after apply): the object it encodes instead, as azapi 2.x
    /// takes it, so that only what depends on that value is unknown (reference §2.5).
    fn encoded_body(&mut self, mi: usize, ctx: &InstCtx, def: &BodyDef, body: &mut Node) {
        let Some(e) = def.attr("body") else {
            return;
        };
        let crate::resolve::hcl::ExprKind::Call(f, args, false) = &e.kind else {
            return;
        };
        let Value::Object(members) = &mut body.value else {
            return;
        };
        let encoded = members
            .iter_mut()
            .find(|(k, _)| k == "body")
            .map(|(_, n)| n);
        let Some(encoded) = encoded.filter(|n| matches!(n.value, Value::Unknown(_))) else {
            return;
        };
        if f != "jsonencode" || args.len() != 1 {
            return;
        }
        *encoded = self.eval_binds(mi, ctx, &mut Vec::new(), &args[0]);
        encoded.span = Some(e.span);
    }

    /// `azurerm_virtual_network.x.subnet`: its inline subnet blocks as written, each with the
    /// `id` Azure gives it (the VNet's id and `/subnets/{name}`), so that
    /// `tolist(azurerm_virtual_network.x.subnet)[0].id` names that subnet of that VNet. The
    /// attribute is a set, ordered by Terraform's hash rather than as written, so with several
    /// blocks an index may pick another one: still a subnet of that VNet, which is what the rules
    /// judge.
    fn inline_subnets(&mut self, addr: &str) -> Option<Node> {
        let id = self.ensure_body(addr)?;
        let rec = self.insts.get(id)?;
        let r = &self.def(rec.mi).resources[rec.ri];
        if r.mode != Mode::Managed || r.rtype != "azurerm_virtual_network" {
            return None;
        }
        let BodyState::Done(body) = &rec.body else {
            return None;
        };
        let mut blocks = member(body, "subnet")?;
        let Value::List(items) = &mut blocks.value else {
            return None;
        };
        let vnet_id = crate::symbolic::encode_term(&format!("{addr}.id"));
        crate::model::ids::give_subnet_ids(items, |name| match name {
            Some(Value::String(name)) if !name.contains('/') => {
                Value::text(format!("{vnet_id}/subnets/{name}"))
            }
            _ => Value::Unknown(Unknown::new(
                format!("{addr}.subnet[].id"),
                "is the id of a subnet whose name is not known",
            )),
        });
        Some(blocks)
    }

    fn config_attr(&mut self, addr: &str, name: &str) -> Option<Node> {
        let id = self.ensure_body(addr)?;
        match &self.insts.get(id)?.body {
            BodyState::Done(b) => member(b, name),
            _ => None,
        }
    }

    /// Attributes by name (spanned at their value expression) and nested blocks by type (a list
    /// of objects, one per block, spanned at the block). `dynamic` blocks are expanded.
    fn eval_body(
        &mut self,
        mi: usize,
        ctx: &InstCtx,
        body: &BodyDef,
        binds: &mut Vec<(Name, Node)>,
        top: bool,
        span: Span,
    ) -> Node {
        let mut members: Vec<(CompactString, Node)> = Vec::with_capacity(body.items.len());
        for item in &body.items {
            match item {
                Item::Attr(name, e) => {
                    if top && META_ATTRS.contains(&name.as_str()) {
                        continue;
                    }
                    let mut n = self.eval_binds(mi, ctx, binds, e);
                    // A value written elsewhere (a variable's value, a module argument) keeps
                    // where it was written as its origin.
                    let inside = |s: Span| {
                        s.file == e.span.file && s.start >= e.span.start && s.end <= e.span.end
                    };
                    if let Some(s) = n.span.filter(|s| !inside(*s)) {
                        n.origin = n.origin.or(Some(s));
                    }
                    n.span = Some(e.span);
                    // So do the elements of a list (`[module.dns.zone_id]`): a finding about one
                    // points at this attribute, with the module output as where it came from.
                    if let Value::List(items) = &mut n.value {
                        for item in items.iter_mut() {
                            if let Some(s) = item.span.filter(|s| !inside(*s)) {
                                item.origin = item.origin.or(Some(s));
                                item.span = Some(e.span);
                            }
                        }
                    }
                    set_member(&mut members, name, n);
                }
                Item::Block(b) if b.kind == "dynamic" => {
                    self.expand_dynamic(mi, ctx, b, binds, &mut members);
                }
                Item::Block(b) => {
                    if top && b.kind == "lifecycle" {
                        if let Some(n) = ignored_changes(&b.body) {
                            set_member(&mut members, "lifecycle", n);
                        }
                        continue;
                    }
                    if top && META_BLOCKS.contains(&b.kind.as_str()) {
                        continue;
                    }
                    let n = self.eval_body(mi, ctx, &b.body, binds, false, b.span);
                    push_block(&mut members, &b.kind, n);
                }
            }
        }
        Node::new(Value::Object(members), Some(span))
    }

    fn expand_dynamic(
        &mut self,
        mi: usize,
        ctx: &InstCtx,
        b: &super::config::BlockDef,
        binds: &mut Vec<(Name, Node)>,
        members: &mut Vec<(CompactString, Node)>,
    ) {
        let Some(label) = b.labels.first() else {
            return;
        };
        let iterator = b
            .body
            .attr("iterator")
            .and_then(|e| {
                e.as_name()
                    .cloned()
                    .or_else(|| e.as_literal_str().map(Name::from))
            })
            .unwrap_or_else(|| label.clone());
        let (Some(fe), Some(content)) = (b.body.attr("for_each"), b.body.block("content")) else {
            return;
        };
        let coll = self.eval_binds(mi, ctx, binds, fe);
        let pairs = match &coll.value {
            Value::List(items) => items
                .iter()
                .enumerate()
                .map(|(i, n)| (Node::new(Value::Number(i as f64), n.span), n.clone()))
                .collect::<Vec<_>>(),
            Value::Object(m) => {
                let mut m: Vec<_> = m.iter().collect();
                m.sort_by(|a, b| a.0.cmp(&b.0));
                m.into_iter()
                    .map(|(k, n)| (Node::new(Value::String(k.clone()), n.span), n.clone()))
                    .collect()
            }
            // The blocks of this type are unknown, not absent: spanned at the `for_each` that
            // decides them.
            other => {
                let u = deep_unknown(other).unwrap_or_else(|| {
                    Unknown::new(
                        format!("dynamic \"{label}\""),
                        "has a for_each that is not a collection",
                    )
                });
                set_member(members, label, Node::unknown(u, Some(fe.span)));
                return;
            }
        };
        if !self.take_instances(pairs.len(), fe.span) {
            let u = Unknown::new(format!("dynamic \"{label}\""), "exceeds the instance limit");
            set_member(members, label, Node::unknown(u, Some(fe.span)));
            return;
        }
        for (k, v) in pairs {
            let it = Node::new(
                Value::Object(vec![("key".into(), k), ("value".into(), v)]),
                Some(b.span),
            );
            binds.push((iterator.clone(), it));
            let n = self.eval_body(mi, ctx, &content.body, binds, false, b.span);
            binds.pop();
            push_block(members, label, n);
        }
    }

    // ---- modules ----

    fn call_state(&mut self, mi: usize, ci: usize) -> Rc<CallState> {
        if let Some(s) = self.calls.get(&(mi, ci)) {
            return s.clone();
        }
        if !self.calls_busy.insert((mi, ci)) {
            let name = self.def(mi).calls[ci].name.clone();
            return Rc::new(CallState::Failed(Unknown::new(
                format!("module.{name}"),
                "depends on itself (a reference cycle)",
            )));
        }
        let state = Rc::new(self.instantiate_call(mi, ci));
        self.calls_busy.remove(&(mi, ci));
        self.calls.insert((mi, ci), state.clone());
        state
    }

    fn instantiate_call(&mut self, mi: usize, ci: usize) -> CallState {
        let def = self.def(mi);
        let call = &def.calls[ci];
        let label = format!("module.{}", call.name);
        let (count, for_each) = (call.body.attr("count"), call.body.attr("for_each"));
        let Some((source, sspan)) = &call.source else {
            self.error(call.header, format!("{label} has no literal source"));
            return CallState::Failed(Unknown::new(label, "has no source"));
        };
        self.ensure_root_canonical();
        let parent = &self.mods[mi];
        let (parent_chain, prefix) = (parent.chain.clone(), parent.prefix.clone());
        let key_path = if parent.key_path.is_empty() {
            call.name.as_str().to_owned()
        } else {
            format!("{}.{}", parent.key_path, call.name)
        };
        let (dir, rel) = if is_local_source(source) {
            (
                normalize(&parent.dir.join(source)),
                normalize(&parent.rel.join(source)),
            )
        } else if let Some(d) = self
            .downloaded
            .get_or_insert_with(|| downloaded_modules(&self.root_dir))
            .get(&key_path)
        {
            (normalize(&self.root_dir.join(d)), normalize(d))
        } else {
            // No instance (`count = 0`, `for_each = {}`): nothing of it is deployed, read or not.
            if count.is_some() || for_each.is_some() {
                let ex = self.expand(mi, count, for_each);
                if ex.insts.is_empty() {
                    return CallState::Ready(ex.shape, Vec::new());
                }
            }
            let reason = "is a remote module that is not downloaded (run terraform init)";
            self.unread_calls.push((mi, ci, self.notes.len()));
            self.notes.push(Note {
                resource: format!("{prefix}{label}"),
                span: *sspan,
                unknown: Unknown::new(
                    format!("{prefix}{label}"),
                    format!("{reason}: the resources it creates are not analysed"),
                ),
                receives: Vec::new(),
            });
            return CallState::Failed(Unknown::new(format!("{prefix}{label}"), reason));
        };
        let canonical = match dir.canonicalize() {
            Ok(c) if c.is_dir() => c,
            _ => {
                self.error(
                    *sspan,
                    format!(
                        "module source \"{source}\" not found: {}{}",
                        display_path(&dir),
                        crate::load::case_hint(&dir)
                    ),
                );
                return CallState::Failed(Unknown::new(
                    label,
                    "has a source folder that does not exist",
                ));
            }
        };
        if parent_chain.contains(&canonical) {
            let mut path: Vec<String> = parent_chain.iter().map(|p| display_path(p)).collect();
            path.push(display_path(&canonical));
            self.error(*sspan, format!("module cycle: {}", path.join(" → ")));
            return CallState::Failed(Unknown::new(label, "is part of a module cycle"));
        }
        let max_depth = crate::limits::current().module_depth;
        if parent_chain.len() >= max_depth {
            self.error(
                *sspan,
                format!("modules are nested deeper than {max_depth} levels"),
            );
            return CallState::Failed(Unknown::new(label, "is nested too deeply"));
        }
        let mut chain = parent_chain;
        chain.push(canonical.clone());
        let def_id = self.load_def(&dir, canonical, *sspan);
        self.check_outputs(self.mods[mi].def, ci, def_id);
        // A plain call is one instance, in the same budget as `count` and `for_each` ones (which
        // `expand` takes): calls two per level would otherwise multiply without limit.
        if count.is_none() && for_each.is_none() && !self.take_instances(1, call.header) {
            return CallState::Failed(Unknown::new(label, "exceeds the instance limit"));
        }
        let ex = self.expand(mi, count, for_each);
        let existence = self.mods[mi].existence.clone().or(ex.existence);
        let mut children = Vec::new();
        for inst in ex.insts {
            self.mods.push(ModInst {
                existence: existence.clone(),
                def: def_id,
                prefix: format!("{prefix}module.{}{}.", call.name, inst.suffix),
                key_path: key_path.clone(),
                parent: Some((mi, ci)),
                ctx: inst.ctx,
                chain: chain.clone(),
                rel: rel.clone(),
                dir: dir.clone(),
            });
            children.push((inst.key, self.mods.len() - 1));
        }
        CallState::Ready(ex.shape, children)
    }

    fn ensure_root_canonical(&mut self) {
        if std::mem::replace(&mut self.root_canonical, true) {
            return;
        }
        if let Ok(c) = self.root_dir.canonicalize() {
            if let Some(root) = self.mods.first_mut() {
                root.chain.push(c.clone());
            }
            self.def_ids.insert(c, 0);
        }
    }

    fn load_def(&mut self, dir: &Path, canonical: PathBuf, at: Span) -> usize {
        if let Some(id) = self.def_ids.get(&canonical) {
            return *id;
        }
        let mut read_errors = Vec::new();
        let def = self.cache.get_or_parse(&super::folder_key(dir), || {
            let mut def = ModuleDef::default();
            match super::files::module_files(dir) {
                Ok(paths) => {
                    for p in paths {
                        match read_source(&p, self.sources) {
                            Ok((file, text)) => super::add_file(&mut def, file, &p, &text),
                            Err(e) => read_errors.push(e),
                        }
                    }
                }
                Err(e) => read_errors.push(LoadError {
                    file: at.file,
                    span: Some(at),
                    message: format!("cannot read module folder {}: {e}", display_path(dir)),
                }),
            }
            def.incomplete |= !read_errors.is_empty();
            super::refs::check(&mut def);
            def
        });
        self.errors.append(&mut read_errors);
        self.errors.extend(def.errors.iter().cloned());
        self.defs.push(def);
        self.def_dirs.push(dir.to_path_buf());
        self.def_ids.insert(canonical, self.defs.len() - 1);
        self.defs.len() - 1
    }

    /// Report the references of the caller (`defs[caller]`) to outputs that its call `ci` to the
    /// module `defs[called]` does not declare, once per call.
    fn check_outputs(&mut self, caller: usize, ci: usize, called: usize) {
        if !self.outputs_checked.insert((caller, ci)) {
            return;
        }
        let (def, child) = (self.defs[caller].clone(), self.defs[called].clone());
        let call = &def.calls[ci];
        let source = call.source.as_ref().map_or("", |(s, _)| s.as_str());
        let for_each = call.body.attr("for_each").is_some();
        for r in def.output_refs.iter().filter(|r| r.call == call.name) {
            self.errors
                .extend(super::refs::output_error(r, &child, source, for_each));
        }
    }

    /// Load the local modules that no module instance called (the calls of a module with
    /// `count = 0`, or of a module only such a module calls), so that their undeclared references
    /// are reported as `terraform validate` reports them, and check the output references of
    /// those calls. Each folder is loaded once.
    fn load_uncalled(&mut self) {
        let mut d = 0;
        while d < self.defs.len() {
            let def = self.defs[d].clone();
            for (ci, call) in def.calls.iter().enumerate() {
                if self.outputs_checked.contains(&(d, ci)) {
                    continue;
                }
                let Some((source, sspan)) = &call.source else {
                    continue;
                };
                if !is_local_source(source) {
                    continue;
                }
                let dir = normalize(&self.def_dirs[d].join(source));
                let Some(canonical) = dir.canonicalize().ok().filter(|c| c.is_dir()) else {
                    continue;
                };
                self.ensure_root_canonical();
                let called = self.load_def(&dir, canonical, *sspan);
                self.check_outputs(d, ci, called);
            }
            d += 1;
        }
    }

    /// A variable, local or output that refers to itself: an error entry, and an unknown value.
    /// What each remote module that is not downloaded receives: its arguments, evaluated where
    /// it is called (each instance alike: `each` and `count` are unknown here).
    fn unread_arguments(&mut self) {
        for (mi, ci, note) in std::mem::take(&mut self.unread_calls) {
            let def = self.def(mi);
            let mut receives = Vec::new();
            for item in &def.calls[ci].body.items {
                if let Item::Attr(name, e) = item {
                    if def.calls[ci].arg(name).is_some() {
                        let n = self.eval(mi, &InstCtx::default(), e);
                        crate::load::received(&n.value, &mut receives);
                    }
                }
            }
            self.notes[note].receives = receives;
        }
    }

    fn cycle(&mut self, label: String, span: Span) -> Node {
        const REASON: &str = "refers to itself (a reference cycle)";
        self.error(span, format!("{label} {REASON}"));
        unknown(label, REASON, span)
    }

    fn error(&mut self, span: Span, message: String) {
        self.errors.push(LoadError {
            file: span.file,
            span: Some(span),
            message,
        });
    }

    /// `module.NAME...`: an output of an instance, or all outputs as an object (or a list or map
    /// of them for counted calls).
    fn module_ref(&mut self, mi: usize, name: &str, rest: &[EvOp], span: Span) -> (Node, usize) {
        let def = self.def(mi);
        let Some(ci) = def.calls.iter().position(|c| c.name == name) else {
            return (
                unknown(format!("module.{name}"), "is not declared", span),
                0,
            );
        };
        let state = self.call_state(mi, ci);
        let (shape, children) = match &*state {
            CallState::Failed(u) => return (Node::unknown(u.clone(), Some(span)), 0),
            CallState::Ready(shape, children) => (*shape, children),
        };
        let (child, used) = match shape {
            Shape::Single => (children.first().map(|c| c.1), 0),
            Shape::Unknown => (
                children.first().map(|c| c.1),
                usize::from(matches!(rest.first(), Some(EvOp::Index(_)))),
            ),
            Shape::List | Shape::Map => match rest.first() {
                Some(EvOp::Index(k)) => (
                    children
                        .iter()
                        .find(|(key, _)| key_matches(key, &k.value))
                        .map(|c| c.1),
                    1,
                ),
                _ => {
                    let all: Vec<(Value, usize)> = children.clone();
                    let nodes: Vec<(Value, Node)> = all
                        .into_iter()
                        .map(|(k, c)| (k, self.all_outputs(c, span)))
                        .collect();
                    let value = if shape == Shape::List {
                        Value::List(nodes.into_iter().map(|(_, n)| n).collect())
                    } else {
                        Value::Object(
                            nodes
                                .into_iter()
                                .map(|(k, n)| (k.as_str().unwrap_or_default().into(), n))
                                .collect(),
                        )
                    };
                    return (Node::new(value, Some(span)), 0);
                }
            },
        };
        let Some(child) = child else {
            return (
                unknown(
                    format!("module.{name}"),
                    "has no instance with this key",
                    span,
                ),
                used,
            );
        };
        match rest.get(used) {
            Some(EvOp::Attr(out)) => (self.output(child, out, span), used + 1),
            _ => (self.all_outputs(child, span), used),
        }
    }

    // ---- output ----

    /// The files of the `module` blocks that call module instance `mi`, outermost first.
    fn callers(&self, mut mi: usize) -> Vec<FileId> {
        let mut files = Vec::new();
        while let Some((parent, ci)) = self.mods[mi].parent {
            files.push(self.def(parent).calls[ci].header.file);
            mi = parent;
        }
        files.reverse();
        files
    }

    /// Every resource instance of every module instance: each module's resources in file order,
    /// then the modules it calls, depth first.
    fn collect(&mut self) -> Vec<Resource> {
        let mut out = Vec::new();
        let mut stack = vec![0usize];
        while let Some(mi) = stack.pop() {
            let def = self.def(mi);
            for (ri, r) in def.resources.iter().enumerate() {
                let ex = self.expand_resource(mi, ri);
                let existence = self.mods[mi].existence.clone().or(ex.existence.clone());
                let callers = self.callers(mi);
                for addr in &ex.addrs {
                    let addr = addr.clone();
                    self.ensure_body(&addr);
                    // The body is moved into the output at the end: later resources may still
                    // read it.
                    let body = Node::new(Value::Object(Vec::new()), Some(r.span));
                    out.push(Resource {
                        origin: Origin::Terraform,
                        mode: r.mode,
                        rtype: r.rtype.as_str().to_owned(),
                        addr,
                        header: r.header,
                        body,
                        id: None,
                        group: None,
                        existence: existence.clone(),
                        parent: None,
                        callers: callers.clone(),
                    });
                }
            }
            let mut children = Vec::new();
            for ci in 0..def.calls.len() {
                if let CallState::Ready(_, list) = &*self.call_state(mi, ci) {
                    children.extend(list.iter().map(|c| c.1));
                }
            }
            stack.extend(children.into_iter().rev());
        }
        for r in &mut out {
            let id = self.inst_ids.get(&r.addr);
            let Some(rec) = id.and_then(|&id| self.insts.get_mut(id)) else {
                continue;
            };
            if let BodyState::Done(body) = std::mem::replace(&mut rec.body, BodyState::Taken) {
                r.body = body;
            }
        }
        out
    }
}

/// `lifecycle { ignore_changes = [a, b.c] }` as `{ ignore_changes = ["a", "b"] }` (the
/// attributes whose changes Terraform leaves alone: something else manages them), or `["all"]`.
fn ignored_changes(body: &BodyDef) -> Option<Node> {
    use crate::resolve::hcl::ExprKind;
    let e = body.attr("ignore_changes")?;
    let root = |e: &Expr| match &e.kind {
        ExprKind::Var(n) => Some(n.to_string()),
        ExprKind::Traverse(t, _) => match &t.kind {
            ExprKind::Var(n) => Some(n.to_string()),
            _ => None,
        },
        _ => None,
    };
    let names: Vec<String> = match &e.kind {
        ExprKind::Tuple(items) => items.iter().filter_map(root).collect(),
        _ => root(e).into_iter().collect(),
    };
    let list = names
        .into_iter()
        .map(|n| Node::new(Value::String(n.into()), Some(e.span)))
        .collect();
    let ignore = Node::new(Value::List(list), Some(e.span));
    Some(Node::new(
        Value::Object(vec![("ignore_changes".into(), ignore)]),
        Some(e.span),
    ))
}

fn key_matches(key: &Value, index: &Value) -> bool {
    match (key, index) {
        (Value::Number(a), Value::Number(b)) => a == b,
        (Value::Number(a), Value::String(s)) => s.parse::<f64>().is_ok_and(|b| *a == b),
        (Value::String(a), Value::String(b)) => a == b,
        _ => false,
    }
}

fn set_member(members: &mut Vec<(CompactString, Node)>, name: &str, n: Node) {
    match members.iter_mut().find(|(k, _)| k == name) {
        Some(slot) => slot.1 = n,
        None => members.push((name.into(), n)),
    }
}

/// Append a nested block to the list of blocks of its type. An unknown (a `dynamic` block with
/// an unknown `for_each`) keeps the whole list unknown.
fn push_block(members: &mut Vec<(CompactString, Node)>, kind: &str, block: Node) {
    match members.iter_mut().find(|(k, _)| k == kind) {
        Some((
            _,
            Node {
                value: Value::List(items),
                ..
            },
        )) => items.push(block),
        Some(_) => {}
        None => {
            let span = block.span;
            members.push((kind.into(), Node::new(Value::List(vec![block]), span)));
        }
    }
}

/// What the expressions of one module instance see: its variables, locals, resources, data
/// sources and module calls.
struct ModuleScope<'t, 'a> {
    tree: &'t mut Tree<'a>,
    mi: usize,
    ctx: &'t InstCtx,
}

impl Resolver for ModuleScope<'_, '_> {
    fn resolve(&mut self, root: &str, ops: &[EvOp], span: Span) -> (Node, usize) {
        let attr = |i: usize| match ops.get(i) {
            Some(EvOp::Attr(a)) => Some(*a),
            _ => None,
        };
        let rest = |i: usize| ops.get(i..).unwrap_or(&[]);
        let mi = self.mi;
        match root {
            "var" | "local" => match attr(0) {
                Some(n) if root == "var" => (self.tree.var(mi, n, span), 1),
                Some(n) => (self.tree.local(mi, n, span), 1),
                None => (unknown(root, "must be followed by a name", span), 0),
            },
            "module" => match attr(0) {
                Some(n) => {
                    let (v, used) = self.tree.module_ref(mi, n, rest(1), span);
                    (v, used + 1)
                }
                None => (unknown(root, "must be followed by a module name", span), 0),
            },
            "data" => match (attr(0), attr(1)) {
                (Some(t), Some(n)) => {
                    let (v, used) = self.tree.resource_ref(mi, Mode::Data, t, n, rest(2), span);
                    (v, used + 2)
                }
                _ => (
                    unknown(root, "must be followed by a type and a name", span),
                    0,
                ),
            },
            "count" => match (attr(0), &self.ctx.count_index) {
                (Some("index"), Some(n)) => (Node::new(n.value.clone(), Some(span)), 1),
                _ => (
                    unknown("count.index", "is only set in blocks that use count", span),
                    usize::from(attr(0).is_some()),
                ),
            },
            "each" => match (attr(0), &self.ctx.each) {
                (Some("key"), Some((k, _))) => (Node::new(k.value.clone(), Some(span)), 1),
                (Some("value"), Some((_, v))) => (v.clone(), 1),
                _ => (
                    unknown("each", "is only set in blocks that use for_each", span),
                    usize::from(attr(0).is_some()),
                ),
            },
            "path" => {
                let v = match attr(0) {
                    Some("module") => self.tree.mods[mi].rel.display().to_string(),
                    Some("root") => ".".to_string(),
                    Some("cwd") => std::env::current_dir()
                        .map(|p| p.display().to_string())
                        .unwrap_or_else(|_| ".".into()),
                    _ => return (unknown("path", "has no such attribute", span), 0),
                };
                (Node::new(Value::String(v.into()), Some(span)), 1)
            }
            "terraform" if attr(0) == Some("workspace") => {
                let tree = &*self.tree;
                let read = || workspace(&tree.root_dir, tree.sources, tree.environment);
                let mut v = tree.workspace.get_or_init(read).clone();
                v.span = v.span.or(Some(span));
                (v, 1)
            }
            "self" => (unknown("self", "is only known after apply", span), 0),
            _ => match attr(0) {
                Some(n) => {
                    let (v, used) =
                        self.tree
                            .resource_ref(mi, Mode::Managed, root, n, rest(1), span);
                    (v, used + 1)
                }
                None => (unknown(root, "is not a known name", span), 0),
            },
        }
    }

    fn configured_attr(&mut self, r: &ResourceRef, name: &str) -> Option<Node> {
        if !r.attr.is_empty() {
            return None;
        }
        // Unknown parts (a subnet's `security_group`) do not hide the subnets' names.
        if name == "subnet" {
            if let Some(v) = self.tree.inline_subnets(&r.addr) {
                return Some(v);
            }
        }
        let v = self.tree.config_attr(&r.addr, name)?;
        // An input nobody gave is the same value wherever it is read, through the resource too
        // (`rg.location` set from `var.location`): what it depends on is the input to set, not
        // an apply.
        let input = matches!(&v.value, Value::Unknown(u) if u.identity.is_some());
        (v.value != Value::Null && (input || deep_unknown(&v.value).is_none())).then_some(v)
    }

    fn limits(&mut self) -> &mut Limits {
        &mut self.tree.limits
    }

    fn read_file(&mut self, path: &str, at: Span) -> Result<Option<String>, String> {
        // Through the source map, as every input: an editor's unsaved text, and the checks of
        // every input file (regular, bounded, UTF-8 text). It is kept there, once per run, so
        // that results of the file reading it depend on it too (a commit that changes only it).
        let sources = self.tree.sources;
        let full = crate::load::join_lexically(&self.tree.root_dir, Path::new(path));
        let id = match sources.find(&full) {
            Some(id) => id,
            None => match sources.read_text_if_present(&full) {
                Ok(Some(text)) => sources.add(SourceFile::read(full, text.into())),
                Ok(None) => return Ok(None),
                Err(e) => return Err(format!("{path}: {e}")),
            },
        };
        if !self.tree.data_reads.contains(&(at.file, id)) {
            self.tree.data_reads.push((at.file, id));
        }
        Ok(Some(sources.get(id).text.to_string()))
    }
}
