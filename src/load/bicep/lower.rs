//! Lowering: a parsed Bicep file to the template the Bicep compiler would emit (languageVersion
//! 2.0, resources keyed by symbolic name), so that the ARM loader evaluates it unchanged.
//!
//! Every JSON node is spanned at the Bicep text it came from (in the load's offset space: the
//! file's base plus the byte offset), so findings land on Bicep lines. Bicep expressions become
//! ARM expression text as the compiler writes it (reference §6.5): operators become functions
//! (`==` → `equals`, `??` → `coalesce`, `?:` → `if`), interpolation becomes `format`, symbolic
//! references become `resourceId(...)` / `reference(...)`, a property loop becomes a `copy`
//! member, and any other `for` becomes `map`/`filter` over lambdas.

use rustc_hash::FxHashMap;

use super::ast::*;
use crate::load::json::{Json, JsonKey, JsonValue};
use crate::load::TextEncoding;
use crate::resolve::arm::{literal, push_literal};
use crate::value::Value;

/// What lowering needs from the loader: module and import files, by path as written.
pub trait Files {
    /// The lowered template of the module at `path` (relative to the file being lowered), or
    /// `Err` with why there is none (the loader reports or notes it).
    fn module(&mut self, path: &StrLit) -> Result<Json, ()>;
    /// The file imported from at `path` (relative to the file being lowered), for `import ...
    /// from`.
    fn import(&mut self, path: &StrLit) -> Imported;
    /// The declarations of the file imported at `base` (by the `import` whose path is `at`) are
    /// lowered now: its own imports are relative to it. `Err` with why not (it is being lowered
    /// already: a cycle; or past a bound), reported at `at`; otherwise [`Files::leave`] follows.
    fn enter(&mut self, _base: usize, _at: &StrLit) -> Result<(), &'static str> {
        Ok(())
    }
    fn leave(&mut self) {}
    /// The text of a file read at compile time (`loadTextContent`), decoded, or `None`
    /// (reported).
    fn load_text(&mut self, path: &StrLit, encoding: TextEncoding) -> Option<String>;
}

/// What an `import ... from` reads.
pub enum Imported {
    /// A local Bicep file, parsed, with its base in the offset space.
    File(std::sync::Arc<Parsed>, usize),
    /// A registry artifact (mostly shared types): its names are unknown as values.
    Registry,
    /// A file that cannot be read (already reported).
    Missing,
}

/// A problem found while lowering (an undeclared name): span in the file lowered.
#[derive(Debug)]
pub struct Problem {
    pub span: Span,
    pub message: String,
}

pub const DEPLOYMENTS: &str = "Microsoft.Resources/deployments";
const RESOURCE_GROUPS: &str = "Microsoft.Resources/resourceGroups";
const DEPLOYMENTS_API: &str = "2022-09-01";

/// A resource declaration, with what references to it need.
struct Res<'f> {
    decl: &'f Resource,
    /// Key in the lowered `resources` object: the symbol, `parent::child` for nested children.
    key: String,
    full_type: String,
    api: String,
    /// The parent resource's key (nested child or `parent:`).
    parent: Option<String>,
    /// Its `scope` is part of a cycle (an error): its id is unknown rather than endless.
    scope_cut: bool,
    shape: Shape<'f>,
    header: Span,
}

/// A module declaration.
struct Module<'f> {
    name: &'f Ident,
    path: &'f StrLit,
    shape: Shape<'f>,
    header: Span,
}

/// A resource or module body: an optional loop, an optional condition, the object.
#[derive(Clone, Copy)]
struct Shape<'f> {
    each: Option<Loop<'f>>,
    cond: Option<&'f Expr>,
    props: &'f [ObjectItem],
    /// The object literal itself.
    object: Option<&'f Expr>,
}

#[derive(Clone, Copy)]
struct Loop<'f> {
    item: Option<&'f Ident>,
    index: Option<&'f Ident>,
    iterable: &'f Expr,
}

fn shape(body: &Expr) -> Shape<'_> {
    let mut s = Shape {
        each: None,
        cond: None,
        props: &[],
        object: None,
    };
    let mut e = body;
    if let ExprKind::For {
        item,
        index,
        iterable,
        body,
    } = &e.kind
    {
        s.each = Some(Loop {
            item: item.as_ref(),
            index: index.as_ref(),
            iterable,
        });
        e = body;
    }
    if let ExprKind::If { cond, body } = &e.kind {
        s.cond = Some(cond);
        e = body;
    }
    if let ExprKind::Object(items) = &e.kind {
        s.props = items;
        s.object = Some(e);
    }
    s
}

/// What a name stands for at file level.
enum Decl {
    Param,
    Var,
    Func,
    Resource(usize),
    Module(usize),
    /// An imported variable or function: its name in the lowered template.
    ImportedVar(String),
    ImportedFunc(String),
    /// `import * as ns`: the prefix of the names imported.
    Namespace(String),
    /// In a `.bicepparam`, an imported variable or function (its name in the file imported
    /// from, the index of that file in `Lower::inlined`) and `import * as ns`: inlined, as
    /// the file's own variables are.
    InlineVar(usize, String),
    InlineFunc(usize, String),
    InlineNamespace(usize),
    /// A name imported from what is not analysed (a registry artifact, a file that cannot be
    /// read, an import cycle): unknown as a value, for the reason given.
    Unresolved(&'static str),
    Type,
}

/// Local names: loop variables, lambda and function parameters, each with its ARM text.
#[derive(Clone, Default)]
pub struct Cx {
    locals: Vec<(String, String)>,
    /// The resource whose body is lowered (its index): the resources nested in it and in its
    /// ancestors are in scope by their own names.
    within: Option<usize>,
    /// Variables inlined so far (`.bicepparam` values).
    depth: usize,
}

/// Deepest nesting of expressions lowered at once, references followed included: deeper than
/// any real file, shallow enough for any stack the loaders run on.
const MAX_DEPTH: usize = 200;
/// How many user-defined type aliases a type is followed through (a cycle of them ends there).
const MAX_ALIASES: usize = 64;

/// Longest text put into one expression string, file content or a resource's id (the ARM
/// expression parser takes 100,000 characters); longer text is unknown.
const MAX_EXPRESSION_TEXT: usize = 60_000;

/// Most expressions lowered for one file, references followed included: far above any real
/// file, and a bound on names that repeat other names down a chain (each step doubling the
/// text) or that refer to themselves through a parent.
const MAX_LOWERED: usize = 1_000_000;

/// Deepest chain of `.bicepparam` variables inlined into one value.
const MAX_INLINE: usize = 32;
/// Most `.bicepparam` variables inlined in one file: a variable used twice by the one before
/// it, down a chain, doubles the work at each step.
const MAX_INLINES: usize = 10_000;

impl Cx {
    fn with(&self, name: Option<&Ident>, text: String) -> Cx {
        let mut cx = self.clone();
        if let Some(n) = name {
            cx.locals.push((n.name.clone(), text));
        }
        cx
    }
    fn within(&self, resource: usize) -> Cx {
        Cx {
            within: Some(resource),
            ..self.clone()
        }
    }

    fn local(&self, name: &str) -> Option<&str> {
        self.locals
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, t)| t.as_str())
    }
}

pub struct Lower<'f, 'x> {
    file: &'f File,
    base: usize,
    files: std::cell::RefCell<&'x mut dyn Files>,
    decls: FxHashMap<&'f str, Decl>,
    resources: Vec<Res<'f>>,
    modules: Vec<Module<'f>>,
    /// Prefix of this file's variable and function names in the template (imports lower a
    /// file's declarations into the importer's template under a prefix of their own).
    prefix: String,
    /// Values given by a `.bicepparam` file, by parameter name: the JSON of the value, spanned
    /// in the parameter file.
    pub given: FxHashMap<String, Json>,
    /// Variables and functions of imported files, lowered into this template.
    imported_vars: Vec<(JsonKey, Json)>,
    imported_funcs: Vec<(JsonKey, Json)>,
    imports: usize,
    /// Files imported from, when variables are inlined: their declarations are lowered where
    /// they are used.
    inlined: Vec<(std::sync::Arc<Parsed>, usize, &'f StrLit)>,
    lambdas: std::cell::Cell<usize>,
    /// Variables inlined so far (`.bicepparam` values, bounded by [`MAX_INLINES`]).
    inlines: std::cell::Cell<usize>,
    /// Expressions being lowered (see [`Lower::expr`]).
    depth: std::cell::Cell<usize>,
    /// Expressions lowered so far (bounded by [`MAX_LOWERED`]).
    lowered: std::cell::Cell<usize>,
    /// Resources whose id is being lowered: a name that refers to its own resource's id is
    /// cut there.
    building: std::cell::RefCell<Vec<usize>>,
    /// Ids lowered already (of a resource as a whole, not one instance of a loop).
    ids: std::cell::RefCell<FxHashMap<usize, String>>,
    pub problems: Vec<Problem>,
    /// `.bicepparam` values: variables are inlined (they are not in the template evaluated).
    pub inline_vars: bool,
}

impl<'f, 'x> Lower<'f, 'x> {
    pub fn new(file: &'f File, base: usize, files: &'x mut dyn Files) -> Self {
        let mut l = Lower {
            file,
            base,
            files: std::cell::RefCell::new(files),
            decls: FxHashMap::default(),
            resources: Vec::new(),
            modules: Vec::new(),
            prefix: String::new(),
            given: FxHashMap::default(),
            imported_vars: Vec::new(),
            imported_funcs: Vec::new(),
            imports: 0,
            inlined: Vec::new(),
            lambdas: std::cell::Cell::new(0),
            inlines: std::cell::Cell::new(0),
            depth: std::cell::Cell::new(0),
            lowered: std::cell::Cell::new(0),
            building: Default::default(),
            ids: Default::default(),
            problems: Vec::new(),
            inline_vars: false,
        };
        l.declare();
        l
    }

    fn span(&self, s: &Span) -> std::ops::Range<usize> {
        self.base + s.start..self.base + s.end
    }

    fn json(&self, value: JsonValue, s: &Span) -> Json {
        Json {
            value,
            span: self.span(s),
        }
    }

    fn key(&self, name: &str, s: &Span) -> JsonKey {
        JsonKey {
            name: name.to_string(),
            span: self.span(s),
        }
    }

    fn problem(&mut self, span: &Span, message: String) {
        self.problems.push(Problem {
            span: span.clone(),
            message,
        });
    }

    /// Collect the file's declarations (names are case-sensitive in Bicep).
    fn declare(&mut self) {
        let file = self.file;
        for item in &file.items {
            let name = declared_name(item);
            // The compiler rejects a name declared twice (BCP028); the first declaration is the
            // one references reach, and a resource declared again is still analysed, under a key
            // of its own.
            if let Some(name) = name.filter(|n| self.decls.contains_key(n.name.as_str())) {
                self.problem(
                    &name.span,
                    format!(
                        "`{}` is declared more than once: references use the first declaration",
                        name.name
                    ),
                );
                if !matches!(item.kind, ItemKind::Resource(_)) {
                    continue;
                }
            }
            match &item.kind {
                // A `.bicepparam` value may read another value of the file (`param b =
                // '${a}-x'`): that parameter of the template, which the file gives.
                ItemKind::Param { name, .. } | ItemKind::ParamValue { name, .. } => {
                    self.decls.insert(&name.name, Decl::Param);
                }
                ItemKind::Var { name, .. } => {
                    self.decls.insert(&name.name, Decl::Var);
                }
                ItemKind::Func { name, .. } => {
                    self.decls.insert(&name.name, Decl::Func);
                }
                ItemKind::Type { name, .. } => {
                    self.decls.insert(&name.name, Decl::Type);
                }
                ItemKind::Resource(r) => self.declare_resource(item, r, None),
                ItemKind::Module { name, path, body } => {
                    self.decls
                        .insert(&name.name, Decl::Module(self.modules.len()));
                    self.modules.push(Module {
                        name,
                        path,
                        shape: shape(body),
                        header: item.span.start..path.span.end,
                    });
                }
                _ => {}
            }
        }
        // `parent:` properties, once every resource is known.
        for i in 0..self.resources.len() {
            if self.resources[i].parent.is_some() {
                continue;
            }
            let parent = self.resources[i]
                .shape
                .props
                .iter()
                .find_map(|p| match p {
                    ObjectItem::Property { key, value, .. } if key_is(key, "parent") => Some(value),
                    _ => None,
                })
                .and_then(|v| self.resource_ref(v, &Cx::default()))
                .map(|(r, _)| self.resources[r].key.clone());
            self.resources[i].parent = parent;
        }
        // A `parent` or `scope` cycle (which the compiler rejects) is an error, cut where it is
        // found, so that names and ids built along parents and scopes end.
        self.cut_cycles("parent", Self::parent_of, |l, i| {
            l.resources[i].parent = None;
            i
        });
        self.cut_cycles("scope", Self::scoped_to, |l, i| {
            let root = l.root_of(i);
            l.resources[root].scope_cut = true;
            root
        });
    }

    /// Report and cut each cycle of `next` (`property` of one resource naming another, as
    /// `scope: b` on `a` and `scope: a` on `b`, or `scope: a` on `a`): `cut` breaks it at the
    /// resource where it is found and returns the resource whose `property` is reported.
    fn cut_cycles(
        &mut self,
        property: &str,
        next: fn(&Self, usize) -> Option<usize>,
        cut: fn(&mut Self, usize) -> usize,
    ) {
        for i in 0..self.resources.len() {
            let mut chain = vec![i];
            while let Some(n) = next(self, *chain.last().unwrap()) {
                if n == i {
                    let names: Vec<&str> = chain
                        .iter()
                        .chain([&i])
                        .map(|&r| self.resources[r].key.as_str())
                        .collect();
                    let message = format!("`{property}` forms a cycle: {}", names.join(" → "));
                    let at = cut(self, i);
                    let at = find_prop(self.resources[at].shape.props, property)
                        .map_or(self.resources[at].header.clone(), |v| v.span.clone());
                    self.problem(&at, message);
                    break;
                }
                if chain.contains(&n) {
                    // A cycle further on, found (and cut) from one of its own members.
                    break;
                }
                chain.push(n);
            }
        }
    }

    /// The root of resource `i`'s chain of parents (parent cycles are already broken).
    fn root_of(&self, i: usize) -> usize {
        let mut root = i;
        while let Some(p) = self.parent_of(root) {
            root = p;
        }
        root
    }

    /// The resource whose id resource `i`'s id is built on: the one its root's `scope` names.
    fn scoped_to(&self, i: usize) -> Option<usize> {
        let root = &self.resources[self.root_of(i)];
        if root.scope_cut {
            return None;
        }
        let scope = find_prop(root.shape.props, "scope")?;
        let cx = Cx::default();
        if self.group_scope(scope, &cx).is_some() || self.scope_call(scope).is_some() {
            return None;
        }
        self.resource_ref(scope, &cx).map(|(r, _)| r)
    }

    /// The index of resource `i`'s parent.
    fn parent_of(&self, i: usize) -> Option<usize> {
        let key = self.resources[i].parent.as_ref()?;
        self.resources.iter().position(|x| &x.key == key)
    }

    fn declare_resource(&mut self, item: &'f Item, r: &'f Resource, parent: Option<usize>) {
        let (ty, api) = match r.type_string.value.split_once('@') {
            Some((t, a)) => (t.to_string(), a.to_string()),
            None => (r.type_string.value.clone(), String::new()),
        };
        let (key, full_type, api, parent_key) = match parent {
            Some(p) => {
                let parent = &self.resources[p];
                let full = if ty.contains('/') && ty.starts_with(&parent.full_type) {
                    ty
                } else {
                    format!("{}/{}", parent.full_type, ty)
                };
                let api = if api.is_empty() {
                    parent.api.clone()
                } else {
                    api
                };
                (
                    format!("{}::{}", parent.key, r.name.name),
                    full,
                    api,
                    Some(parent.key.clone()),
                )
            }
            // A name declared again (an error) gets a key no other resource has.
            None if self.decls.contains_key(r.name.name.as_str()) => (
                format!("{}#{}", r.name.name, self.resources.len()),
                ty,
                api,
                None,
            ),
            None => {
                self.decls
                    .insert(&r.name.name, Decl::Resource(self.resources.len()));
                (r.name.name.clone(), ty, api, None)
            }
        };
        let index = self.resources.len();
        let s = shape(&r.body);
        self.resources.push(Res {
            decl: r,
            key,
            full_type,
            api,
            parent: parent_key,
            scope_cut: false,
            shape: s,
            header: item.span.start..r.type_string.span.end,
        });
        for p in s.props {
            if let ObjectItem::Resource(child) = p {
                if let ItemKind::Resource(c) = &child.kind {
                    self.declare_resource(child, c, Some(index));
                }
            }
        }
    }

    /// Bind the names of `import ... from` statements, then report the names used but declared
    /// nowhere. Before anything is lowered.
    pub fn resolve_names(&mut self) {
        self.bind_imports();
        self.check_names();
    }

    /// Bind the names of the file's `import ... from` statements.
    fn bind_imports(&mut self) {
        let file = self.file;
        for item in &file.items {
            if let ItemKind::Import { symbols, from } = &item.kind {
                self.import(symbols, from.as_ref());
            }
        }
    }

    /// The template of the file.
    pub fn template(mut self) -> (Json, Vec<Problem>) {
        let file = self.file;
        let whole = 0..file.items.last().map(|i| i.span.end).unwrap_or_default();
        let mut scope = "resourceGroup".to_string();
        let mut params = Vec::new();
        let mut vars = Vec::new();
        let mut funcs = Vec::new();
        let mut outputs = Vec::new();
        for item in &file.items {
            match &item.kind {
                ItemKind::TargetScope(e) => {
                    if let Some(s) = literal_string(e) {
                        scope = s;
                    }
                }
                ItemKind::Param { name, ty, default } => {
                    let def = self.param(item, name, ty, default.as_ref());
                    params.push((self.key(&name.name, &name.span), def));
                }
                ItemKind::Var { name, value, .. } => {
                    let v = self.value(value, &Cx::default());
                    vars.push((self.key(&self.var_name(&name.name), &name.span), v));
                }
                ItemKind::Func {
                    name,
                    params: fparams,
                    ret,
                    body,
                } => {
                    let def = self.func(item, fparams, ret, body);
                    funcs.push((self.key(&self.var_name(&name.name), &name.span), def));
                }
                ItemKind::Output { name, ty, value } => {
                    let mut members = vec![(
                        self.key("type", &ty.span),
                        self.json(JsonValue::String(self.arm_type(ty).into()), &ty.span),
                    )];
                    members.push((
                        self.key("value", &value.span),
                        self.value(value, &Cx::default()),
                    ));
                    outputs.push((
                        self.key(&name.name, &name.span),
                        self.json(JsonValue::Object(members), &item.span),
                    ));
                }
                _ => {}
            }
        }
        let mut resources = Vec::new();
        for i in 0..self.resources.len() {
            let r = self.resource(i);
            resources.push((
                self.key(&self.resources[i].key, &self.resources[i].decl.name.span),
                r,
            ));
        }
        for i in 0..self.modules.len() {
            let m = self.module(i);
            let name = self.modules[i].name;
            resources.push((self.key(&name.name, &name.span), m));
        }
        vars.append(&mut self.imported_vars);
        funcs.append(&mut self.imported_funcs);

        let schema = match scope.as_str() {
            "subscription" => {
                "https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#"
            }
            "managementGroup" => {
                "https://schema.management.azure.com/schemas/2019-08-01/managementGroupDeploymentTemplate.json#"
            }
            "tenant" => {
                "https://schema.management.azure.com/schemas/2019-08-01/tenantDeploymentTemplate.json#"
            }
            _ => "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
        };
        let text = |s: &str| self.json(JsonValue::String(s.into()), &whole);
        let mut members = vec![
            (self.key("$schema", &whole), text(schema)),
            (self.key("languageVersion", &whole), text("2.0")),
            (self.key("contentVersion", &whole), text("1.0.0.0")),
        ];
        let section = |name: &str, m: Vec<(JsonKey, Json)>, l: &Self| {
            (l.key(name, &whole), l.json(JsonValue::Object(m), &whole))
        };
        members.push(section("parameters", params, &self));
        members.push(section("variables", vars, &self));
        if !funcs.is_empty() {
            let ns = vec![
                (self.key("namespace", &whole), text("__bicep")),
                (
                    self.key("members", &whole),
                    self.json(JsonValue::Object(funcs), &whole),
                ),
            ];
            members.push((
                self.key("functions", &whole),
                self.json(
                    JsonValue::Array(vec![self.json(JsonValue::Object(ns), &whole)]),
                    &whole,
                ),
            ));
        }
        members.push(section("resources", resources, &self));
        members.push(section("outputs", outputs, &self));
        let template = self.json(JsonValue::Object(members), &whole);
        (template, self.problems)
    }

    fn var_name(&self, name: &str) -> String {
        format!("{}{name}", self.prefix)
    }

    fn param(&mut self, item: &Item, name: &Ident, ty: &TypeExpr, default: Option<&Expr>) -> Json {
        let secure = item.decorators.iter().any(|d| d.name() == Some("secure"));
        let mut arm_type = self.arm_type(ty).to_string();
        if secure {
            arm_type = match arm_type.as_str() {
                "object" => "secureObject".into(),
                _ => "securestring".into(),
            };
        }
        let mut members = vec![(
            self.key("type", &ty.span),
            self.json(JsonValue::String(arm_type), &ty.span),
        )];
        if let Some(given) = self.given.remove(&name.name) {
            members.push((self.key("defaultValue", &name.span), given));
        } else if let Some(d) = default {
            members.push((
                self.key("defaultValue", &d.span),
                self.value(d, &Cx::default()),
            ));
        } else if ty.is_nullable_through(&|n| self.type_def(n), MAX_ALIASES) {
            members.push((
                self.key("nullable", &ty.span),
                self.json(JsonValue::Bool(true), &ty.span),
            ));
        }
        if let Some(allowed) = item.decorators.iter().find(|d| d.name() == Some("allowed")) {
            if let Some(list) = allowed.args().first() {
                members.push((
                    self.key("allowedValues", &allowed.span),
                    self.value(list, &Cx::default()),
                ));
            }
        }
        self.json(JsonValue::Object(members), &item.span)
    }

    fn func(
        &mut self,
        item: &Item,
        params: &[(Ident, TypeExpr)],
        ret: &TypeExpr,
        body: &Expr,
    ) -> Json {
        let mut cx = Cx::default();
        let mut list = Vec::new();
        for (name, ty) in params {
            cx.locals.push((
                name.name.clone(),
                format!("parameters({})", literal(&name.name)),
            ));
            list.push(self.json(
                JsonValue::Object(vec![
                    (
                        self.key("name", &name.span),
                        self.json(JsonValue::String(name.name.clone()), &name.span),
                    ),
                    (
                        self.key("type", &ty.span),
                        self.json(JsonValue::String(self.arm_type(ty).into()), &ty.span),
                    ),
                ]),
                &name.span,
            ));
        }
        let output = vec![
            (
                self.key("type", &ret.span),
                self.json(JsonValue::String(self.arm_type(ret).into()), &ret.span),
            ),
            (self.key("value", &body.span), self.expr_json(body, &cx)),
        ];
        self.json(
            JsonValue::Object(vec![
                (
                    self.key("parameters", &item.span),
                    self.json(JsonValue::Array(list), &item.span),
                ),
                (
                    self.key("output", &body.span),
                    self.json(JsonValue::Object(output), &body.span),
                ),
            ]),
            &item.span,
        )
    }

    /// The ARM type of a Bicep type.
    fn arm_type(&self, ty: &TypeExpr) -> &'static str {
        self.arm_type_in(ty, 0)
    }

    /// `arm_type` through `aliases` user-defined types already: a cycle of aliases (which the
    /// compiler rejects) ends as `object`.
    fn arm_type_in(&self, ty: &TypeExpr, aliases: usize) -> &'static str {
        match &ty.kind {
            TypeKind::Name { name, .. } => match name.as_str() {
                "string" => "string",
                "int" => "int",
                "bool" => "bool",
                "array" => "array",
                // A user-defined type: its definition decides.
                _ => match self.type_def(name) {
                    Some(t) if aliases < MAX_ALIASES => self.arm_type_in(t, aliases + 1),
                    _ => "object",
                },
            },
            TypeKind::Literal(e) => match &e.kind {
                ExprKind::String(_) => "string",
                ExprKind::Int(_) | ExprKind::Unary { .. } => "int",
                ExprKind::Bool(_) => "bool",
                _ => "object",
            },
            TypeKind::Union(members) => members
                .iter()
                .find(|m| !matches!(&m.kind, TypeKind::Literal(e) if matches!(e.kind, ExprKind::Null)))
                .map(|m| self.arm_type_in(m, aliases))
                .unwrap_or("object"),
            TypeKind::Array(_) | TypeKind::Tuple(_) => "array",
            TypeKind::Nullable(t) | TypeKind::Paren(t) => self.arm_type_in(t, aliases),
            TypeKind::Resource(_) => "string",
            _ => "object",
        }
    }

    /// The definition of the user-defined type `name` declared in this file.
    fn type_def(&self, name: &str) -> Option<&'f TypeExpr> {
        self.file.items.iter().find_map(|i| match &i.kind {
            ItemKind::Type { name: n, ty } if n.name == name => Some(ty),
            _ => None,
        })
    }

    /// The names an `import` binds, when what it imports is not known (`why`).
    fn unresolved(&mut self, symbols: &'f ImportSymbols, why: &'static str) {
        match symbols {
            ImportSymbols::Named(list) => {
                for (original, alias) in list {
                    let local = alias.as_ref().unwrap_or(original);
                    self.decls.insert(&local.name, Decl::Unresolved(why));
                }
            }
            ImportSymbols::Wildcard(ns) => {
                self.decls.insert(&ns.name, Decl::Unresolved(why));
            }
            ImportSymbols::None => {}
        }
    }

    /// `import {a, b as c} from 'x'` / `import * as ns from 'x'`: the file's variables and
    /// functions are lowered into this template under a prefix of their own.
    fn import(&mut self, symbols: &'f ImportSymbols, from: Option<&'f StrLit>) {
        let Some(from) = from else { return };
        let imported = self.files.get_mut().import(from);
        let (file, base) = match imported {
            Imported::File(file, base) => (file, base),
            Imported::Registry => {
                self.unresolved(symbols, "from a registry");
                return;
            }
            Imported::Missing => {
                self.unresolved(symbols, "from a file that cannot be read");
                return;
            }
        };
        let declared = |name: &str| -> Option<bool> {
            file.file.items.iter().find_map(|i| match &i.kind {
                ItemKind::Var { name: n, .. } if n.name == name => Some(false),
                ItemKind::Func { name: n, .. } if n.name == name => Some(true),
                ItemKind::Type { name: n, .. } if n.name == name => None,
                _ => None,
            })
        };
        if self.inline_vars {
            // No template holds them: each use inlines the declaration.
            let k = self.inlined.len();
            match symbols {
                ImportSymbols::Named(list) => {
                    for (original, alias) in list {
                        let local = alias.as_ref().unwrap_or(original);
                        let decl = match declared(&original.name) {
                            Some(false) => Decl::InlineVar(k, original.name.clone()),
                            Some(true) => Decl::InlineFunc(k, original.name.clone()),
                            None => Decl::Type,
                        };
                        self.decls.insert(&local.name, decl);
                    }
                }
                ImportSymbols::Wildcard(ns) => {
                    self.decls.insert(&ns.name, Decl::InlineNamespace(k));
                }
                ImportSymbols::None => {}
            }
            self.inlined.push((file, base, from));
            return;
        }
        if let Err(why) = self.files.get_mut().enter(base, from) {
            self.unresolved(symbols, why);
            return;
        }
        self.imports += 1;
        let prefix = format!("{}_import{}_", self.prefix, self.imports);
        // Lowered as its own file; its declarations keep their names under the prefix.
        let file: &File = &file.file;
        let (vars, funcs) = {
            let mut sub = Lower::new(file, base, &mut **self.files.get_mut());
            sub.prefix = prefix.clone();
            // What it imports itself, for its own declarations.
            sub.bind_imports();
            let mut vars = Vec::new();
            let mut funcs = Vec::new();
            for item in &file.items {
                match &item.kind {
                    ItemKind::Var { name, value, .. } => {
                        let v = sub.value(value, &Cx::default());
                        vars.push((sub.key(&sub.var_name(&name.name), &name.span), v));
                    }
                    ItemKind::Func {
                        name,
                        params,
                        ret,
                        body,
                    } => {
                        let f = sub.func(item, params, ret, body);
                        funcs.push((sub.key(&sub.var_name(&name.name), &name.span), f));
                    }
                    _ => {}
                }
            }
            vars.append(&mut sub.imported_vars);
            funcs.append(&mut sub.imported_funcs);
            // Problems in the imported file are that file's, reported when it is analysed.
            (vars, funcs)
        };
        self.files.get_mut().leave();
        match symbols {
            ImportSymbols::Named(list) => {
                for (original, alias) in list {
                    let local = alias.as_ref().unwrap_or(original);
                    let target = format!("{prefix}{}", original.name);
                    match declared(&original.name) {
                        Some(false) => {
                            self.decls.insert(&local.name, Decl::ImportedVar(target));
                        }
                        Some(true) => {
                            self.decls.insert(&local.name, Decl::ImportedFunc(target));
                        }
                        None => {
                            self.decls.insert(&local.name, Decl::Type);
                        }
                    }
                }
            }
            ImportSymbols::Wildcard(ns) => {
                self.decls.insert(&ns.name, Decl::Namespace(prefix.clone()));
            }
            ImportSymbols::None => {}
        }
        self.imported_vars.extend(vars);
        self.imported_funcs.extend(funcs);
    }

    /// A resource declaration as a template resource.
    fn resource(&mut self, i: usize) -> Json {
        let (decl, shape, header) = {
            let r = &self.resources[i];
            (r.decl, r.shape, r.header.clone())
        };
        let cx = self.loop_cx(shape.each.as_ref(), None).within(i);
        let mut members = Vec::new();
        let outer = self.nesting_condition(i);
        self.loop_members(&shape, &cx, &decl.name, outer, &mut members);
        if decl.existing {
            members.push((
                self.key("existing", &header),
                self.json(JsonValue::Bool(true), &header),
            ));
        }
        let r = &self.resources[i];
        members.push((
            self.key("type", &header),
            self.json(JsonValue::String(r.full_type.clone()), &header),
        ));
        members.push((
            self.key("apiVersion", &r.decl.type_string.span),
            self.json(JsonValue::String(r.api.clone()), &r.decl.type_string.span),
        ));
        let name_prop = find_prop(shape.props, "name");
        let name_span = name_prop.map(|v| v.span.clone()).unwrap_or(header.clone());
        let name = match name_prop {
            Some(v) if self.resources[i].parent.is_none() => self.value(v, &cx),
            _ => match self.full_name(i, &cx) {
                Some(text) => self.expr_text_json(text, &name_span),
                None => self.json(JsonValue::Null, &name_span),
            },
        };
        members.push((self.key("name", &name_span), name));
        // A child is where its parent is: the scope of the root of its chain.
        let root = self.root_of(i);
        let scope = find_prop(self.resources[root].shape.props, "scope");
        if let Some(scope) = scope {
            let scope_cx = match root == i {
                true => cx.clone(),
                false => {
                    let each = self.resources[root].shape.each;
                    self.loop_cx(each.as_ref(), None).within(root)
                }
            };
            members.extend(self.scope_members(scope, &scope_cx));
        }
        for p in shape.props {
            if let ObjectItem::Property { key, value, .. } = p {
                if ["name", "parent", "scope", "dependsOn"]
                    .iter()
                    .any(|k| key_is(key, k))
                {
                    continue;
                }
                members.push(self.property(key, value, &cx));
            }
        }
        let span = decl_span(&self.resources[i]);
        self.json(JsonValue::Object(members), &span)
    }

    /// The conditions of the resources that resource `i` is nested in, outermost first, as one
    /// expression (`and(and(a, b), c)`, as the compiler writes them), with the innermost's span:
    /// a nested resource is deployed only with its parents. A `parent:` property is not nesting.
    fn nesting_condition(&self, i: usize) -> Option<(String, Span)> {
        // Each nesting parent's key is a prefix of its child's: the walk ends.
        let mut parents = Vec::new();
        let mut at = i;
        while let Some(p) = self.parent_of(at) {
            let nested = self.resources[at].key.strip_prefix(&self.resources[p].key);
            if !nested.is_some_and(|rest| rest.starts_with("::")) {
                break;
            }
            parents.push(p);
            at = p;
        }
        let mut condition: Option<(String, Span)> = None;
        for &p in parents.iter().rev() {
            let shape = self.resources[p].shape;
            let Some(cond) = shape.cond else { continue };
            let cx = self.loop_cx(shape.each.as_ref(), None).within(p);
            let text = self.expr(cond, &cx);
            condition = Some(match condition {
                Some((outer, _)) => (format!("and({outer}, {text})"), cond.span.clone()),
                None => (text, cond.span.clone()),
            });
        }
        condition
    }

    /// `condition` and `copy` of a resource or module; `outer`, the conditions of the resources
    /// it is nested in.
    fn loop_members(
        &mut self,
        shape: &Shape<'f>,
        cx: &Cx,
        name: &Ident,
        outer: Option<(String, Span)>,
        members: &mut Vec<(JsonKey, Json)>,
    ) {
        let condition = match (outer, shape.cond) {
            (Some((outer, _)), Some(cond)) => Some((
                format!("and({outer}, {})", self.expr(cond, cx)),
                cond.span.clone(),
            )),
            (Some(outer), None) => Some(outer),
            (None, Some(cond)) => Some((self.expr(cond, cx), cond.span.clone())),
            (None, None) => None,
        };
        if let Some((text, span)) = condition {
            members.push((
                self.key("condition", &span),
                self.expr_text_json(text, &span),
            ));
        }
        if let Some(each) = &shape.each {
            let count = format!("length({})", self.expr(each.iterable, &Cx::default()));
            let copy = vec![
                (
                    self.key("name", &name.span),
                    self.json(JsonValue::String(name.name.clone()), &name.span),
                ),
                (
                    self.key("count", &each.iterable.span),
                    self.expr_text_json(count, &each.iterable.span),
                ),
            ];
            members.push((
                self.key("copy", &each.iterable.span),
                self.json(JsonValue::Object(copy), &each.iterable.span),
            ));
        }
    }

    /// The locals of a resource or module loop: the item as `iterable[i]`, the index as `i`,
    /// where `i` is `index` when given (a reference `sym[i]`), else `copyIndex()`.
    fn loop_cx(&self, each: Option<&Loop<'f>>, index: Option<&str>) -> Cx {
        let Some(each) = each else {
            return Cx::default();
        };
        let i = index.unwrap_or("copyIndex()").to_string();
        let iterable = self.expr(each.iterable, &Cx::default());
        Cx::default()
            .with(each.item, format!("{iterable}[{i}]"))
            .with(each.index, i)
    }

    /// The full name of resource `i` as ARM text (`format('{0}/{1}', parent, own)` for
    /// children), in `cx` (its loop locals).
    fn full_name(&self, i: usize, cx: &Cx) -> Option<String> {
        let r = &self.resources[i];
        let own = find_prop(r.shape.props, "name").map(|v| self.expr(v, cx))?;
        match &r.parent {
            None => Some(own),
            Some(p) => {
                let p = self.resources.iter().position(|x| &x.key == p)?;
                let pcx = self.loop_cx(self.resources[p].shape.each.as_ref(), None);
                let parent = self.full_name(p, &pcx)?;
                Some(format!("format('{{0}}/{{1}}', {parent}, {own})"))
            }
        }
    }

    /// The name segments of resource `i` for `resourceId`, parent first.
    fn name_segments(&self, i: usize, cx: &Cx, out: &mut Vec<String>) {
        let r = &self.resources[i];
        if let Some(p) = r
            .parent
            .as_ref()
            .and_then(|p| self.resources.iter().position(|x| &x.key == p))
        {
            let pcx = self.loop_cx(self.resources[p].shape.each.as_ref(), None);
            self.name_segments(p, &pcx, out);
        }
        out.push(
            find_prop(r.shape.props, "name")
                .map(|v| self.expr(v, cx))
                .unwrap_or_else(|| "null()".into()),
        );
    }

    /// `resourceId(...)` of resource `i`, instance `index` of a loop.
    fn resource_id(&self, i: usize, index: Option<&str>) -> String {
        if index.is_none() {
            if let Some(id) = self.ids.borrow().get(&i) {
                return id.clone();
            }
        }
        if self.building.borrow().contains(&i) {
            return unknown("a name that refers to its own resource's id");
        }
        self.building.borrow_mut().push(i);
        let mut id = self.build_id(i, index);
        self.building.borrow_mut().pop();
        // Names that repeat other resources' ids down a chain double the text at each step.
        if id.len() > MAX_EXPRESSION_TEXT {
            id = unknown("an id too long to evaluate (its name repeats other resources' ids)");
        }
        if index.is_none() {
            self.ids.borrow_mut().insert(i, id.clone());
        }
        id
    }

    fn build_id(&self, i: usize, index: Option<&str>) -> String {
        let r = &self.resources[i];
        let cx = self.loop_cx(r.shape.each.as_ref(), index);
        let mut segments = Vec::new();
        self.name_segments(i, &cx, &mut segments);
        // The scope of the root of the chain decides where the resource is.
        let root = self.root_of(i);
        let scope = find_prop(self.resources[root].shape.props, "scope");
        let mut args = Vec::new();
        let mut function = "resourceId";
        let group = scope.and_then(|s| self.group_scope(s, &cx));
        if self.resources[root].scope_cut {
            function = "extensionResourceId";
            args.push(unknown("a `scope` that forms a cycle"));
        } else if let Some((sub, group)) = group {
            // In a resource group symbol: the id the compiler builds (not `resourceId`, whose
            // meaning depends on the scope it is called from).
            function = "extensionResourceId";
            let sub = sub.unwrap_or_else(|| "subscription().subscriptionId".into());
            args.push(format!(
                "format('/subscriptions/{{0}}/resourceGroups/{{1}}', {sub}, {group})"
            ));
        } else if let Some(scope) = scope {
            match self.scope_call(scope) {
                Some(("resourceGroup", a)) => args.extend(a.iter().map(|e| self.expr(e, &cx))),
                Some(("subscription", a)) => {
                    function = "subscriptionResourceId";
                    args.extend(a.iter().map(|e| self.expr(e, &cx)));
                }
                Some(("tenant", _)) => function = "tenantResourceId",
                _ => {
                    // An extension resource: scoped to another resource.
                    function = "extensionResourceId";
                    args.push(self.scope_id(scope, &cx));
                }
            }
        } else if self.target_scope() == "subscription" {
            function = "subscriptionResourceId";
        }
        args.push(literal(&self.resources[i].full_type));
        args.extend(segments);
        format!("{function}({})", args.join(", "))
    }

    fn target_scope(&self) -> String {
        self.file
            .items
            .iter()
            .find_map(|i| match &i.kind {
                ItemKind::TargetScope(e) => literal_string(e),
                _ => None,
            })
            .unwrap_or_else(|| "resourceGroup".into())
    }

    /// `resourceGroup(...)`, `subscription(...)`, `tenant()`, `managementGroup(...)` as a scope.
    fn scope_call<'e>(&self, scope: &'e Expr) -> Option<(&'static str, &'e [Expr])> {
        let ExprKind::Call { callee, args } = &unparen(scope).kind else {
            return None;
        };
        let name = match &callee.kind {
            ExprKind::Ident(n) => n.as_str(),
            ExprKind::Member { target, name, .. } if matches!(&target.kind, ExprKind::Ident(ns) if ns == "az") => {
                name.name.as_str()
            }
            _ => return None,
        };
        let name = match name {
            "resourceGroup" => "resourceGroup",
            "subscription" => "subscription",
            "tenant" => "tenant",
            "managementGroup" => "managementGroup",
            _ => return None,
        };
        Some((name, args))
    }

    /// The id of a resource used as a scope (`scope: acr`).
    fn scope_id(&self, scope: &Expr, cx: &Cx) -> String {
        match self.resource_ref(scope, cx) {
            Some((r, index)) => self.resource_id(r, index.as_deref()),
            None => self.expr(scope, cx),
        }
    }

    /// A resource group symbol as a scope (`scope: rg`, `scope: rgs[i]`): the subscription id
    /// when the group's own scope names one, and the group's name, both in the group's loop
    /// locals for that instance. The compiler puts these where `resourceGroup(sub, name)` would.
    fn group_scope(&self, scope: &Expr, cx: &Cx) -> Option<(Option<String>, String)> {
        let (r, index) = self.resource_ref(scope, cx)?;
        let group = &self.resources[r];
        if !group.full_type.eq_ignore_ascii_case(RESOURCE_GROUPS) {
            return None;
        }
        let gcx = self.loop_cx(group.shape.each.as_ref(), index.as_deref());
        let name = self.expr(find_prop(group.shape.props, "name")?, &gcx);
        let sub = match find_prop(group.shape.props, "scope").and_then(|s| self.scope_call(s)) {
            Some(("subscription", [sub])) => Some(self.expr(sub, &gcx)),
            _ => None,
        };
        Some((sub, name))
    }

    /// The members that place a resource or module deployment: `resourceGroup`,
    /// `subscriptionId`, or `scope` for an extension resource.
    fn scope_members(&self, scope: &Expr, cx: &Cx) -> Vec<(JsonKey, Json)> {
        let at = |text: String| self.expr_text_json(text, &scope.span);
        if let Some((sub, group)) = self.group_scope(scope, cx) {
            let sub = sub.map(|s| (self.key("subscriptionId", &scope.span), at(s)));
            let group = (self.key("resourceGroup", &scope.span), at(group));
            return sub.into_iter().chain([group]).collect();
        }
        match self.scope_call(scope) {
            Some(("resourceGroup", [rg])) => {
                vec![(
                    self.key("resourceGroup", &scope.span),
                    at(self.expr(rg, cx)),
                )]
            }
            Some(("resourceGroup", [sub, rg])) => vec![
                (
                    self.key("subscriptionId", &scope.span),
                    at(self.expr(sub, cx)),
                ),
                (
                    self.key("resourceGroup", &scope.span),
                    at(self.expr(rg, cx)),
                ),
            ],
            Some(("subscription", [sub])) => {
                vec![(
                    self.key("subscriptionId", &scope.span),
                    at(self.expr(sub, cx)),
                )]
            }
            Some(_) => Vec::new(),
            None => vec![(self.key("scope", &scope.span), at(self.scope_id(scope, cx)))],
        }
    }

    /// A module as a nested deployment with inner scope.
    fn module(&mut self, i: usize) -> Json {
        let (name, path, shape, header) = {
            let m = &self.modules[i];
            (m.name, m.path, m.shape, m.header.clone())
        };
        let cx = self.loop_cx(shape.each.as_ref(), None);
        let mut members = Vec::new();
        self.loop_members(&shape, &cx, name, None, &mut members);
        members.push((
            self.key("type", &header),
            self.json(JsonValue::String(DEPLOYMENTS.into()), &header),
        ));
        members.push((
            self.key("apiVersion", &header),
            self.json(JsonValue::String(DEPLOYMENTS_API.into()), &header),
        ));
        let name_prop = find_prop(shape.props, "name");
        let name_span = name_prop.map(|v| v.span.clone()).unwrap_or(header.clone());
        let deployment_name = match name_prop {
            Some(v) => self.value(v, &cx),
            // What the compiler generates for a module without a name (reference §6.4).
            None => self.expr_text_json(
                format!(
                    "format({}, uniqueString({}, deployment().name))",
                    literal(&format!("{}-{{0}}", generated_name_head(&name.name))),
                    literal(&name.name)
                ),
                &header,
            ),
        };
        members.push((self.key("name", &name_span), deployment_name));
        if let Some(scope) = find_prop(shape.props, "scope") {
            members.extend(self.scope_members(scope, &cx));
        }
        let mut props = vec![
            (
                self.key("expressionEvaluationOptions", &header),
                self.json(
                    JsonValue::Object(vec![(
                        self.key("scope", &header),
                        self.json(JsonValue::String("inner".into()), &header),
                    )]),
                    &header,
                ),
            ),
            (
                self.key("mode", &header),
                self.json(JsonValue::String("Incremental".into()), &header),
            ),
        ];
        if let Some(params) = find_prop(shape.props, "params") {
            let mut given = Vec::new();
            if let ExprKind::Object(items) = &params.kind {
                for p in items {
                    if let ObjectItem::Property {
                        key, value, span, ..
                    } = p
                    {
                        let v = vec![(self.key("value", &value.span), self.value(value, &cx))];
                        given.push((
                            self.key(&key_name(key), &key.span()),
                            self.json(JsonValue::Object(v), span),
                        ));
                    }
                }
            }
            props.push((
                self.key("parameters", &params.span),
                self.json(JsonValue::Object(given), &params.span),
            ));
        }
        let template = self.files.get_mut().module(path);
        if let Ok(template) = template {
            props.push((self.key("template", &path.span), template));
        }
        members.push((
            self.key("properties", &header),
            self.json(JsonValue::Object(props), &header),
        ));
        let span = shape
            .object
            .map(|o| header.start..o.span.end)
            .unwrap_or(header);
        self.json(JsonValue::Object(members), &span)
    }

    /// A property of an object in JSON position.
    fn property(&mut self, key: &Key, value: &Expr, cx: &Cx) -> (JsonKey, Json) {
        let name = match key {
            Key::Ident(i) => i.name.clone(),
            Key::String(e) => match literal_string(e) {
                Some(s) => escape_literal(&s),
                None => format!("[{}]", self.expr(e, cx)),
            },
        };
        (self.key(&name, &key.span()), self.value(value, cx))
    }

    /// A value in JSON position: literals and object/array structure stay JSON (with their own
    /// spans); anything else is an expression string.
    pub fn value(&mut self, e: &Expr, cx: &Cx) -> Json {
        match &e.kind {
            ExprKind::Null => self.json(JsonValue::Null, &e.span),
            ExprKind::Bool(b) => self.json(JsonValue::Bool(*b), &e.span),
            ExprKind::Int(n) => self.json(JsonValue::Number(*n as f64), &e.span),
            ExprKind::Unary {
                op: UnaryOp::Neg,
                expr,
            } if matches!(expr.kind, ExprKind::Int(_)) => {
                let ExprKind::Int(n) = expr.kind else {
                    unreachable!()
                };
                self.json(JsonValue::Number(-(n as f64)), &e.span)
            }
            ExprKind::String(_) if literal_string(e).is_some() => {
                let s = literal_string(e).unwrap_or_default();
                self.json(JsonValue::String(escape_literal(&s)), &e.span)
            }
            ExprKind::Array(items) if items.iter().all(|i| matches!(i, ArrayItem::Item(_))) => {
                let items = items
                    .iter()
                    .filter_map(|i| match i {
                        ArrayItem::Item(x) => Some(self.value(x, cx)),
                        ArrayItem::Spread(_) => None,
                    })
                    .collect();
                self.json(JsonValue::Array(items), &e.span)
            }
            ExprKind::Object(items)
                if !items.iter().any(|i| matches!(i, ObjectItem::Spread(_))) =>
            {
                let mut members = Vec::new();
                let mut copies = Vec::new();
                for item in items {
                    let ObjectItem::Property { key, value, .. } = item else {
                        continue;
                    };
                    match &value.kind {
                        // A property loop (without a filter) is a `copy` member, as the
                        // compiler writes it: each element keeps its own spans.
                        ExprKind::For {
                            item: v,
                            index,
                            iterable,
                            body,
                        } if !matches!(body.kind, ExprKind::If { .. }) => {
                            let name = key_name(key);
                            let i = format!("copyIndex({})", literal(&name));
                            let it = self.expr(iterable, cx);
                            let inner = cx
                                .with(v.as_ref(), format!("{it}[{i}]"))
                                .with(index.as_ref(), i);
                            let def = vec![
                                (
                                    self.key("name", &key.span()),
                                    self.json(JsonValue::String(name), &key.span()),
                                ),
                                (
                                    self.key("count", &iterable.span),
                                    self.expr_text_json(format!("length({it})"), &iterable.span),
                                ),
                                (self.key("input", &body.span), self.value(body, &inner)),
                            ];
                            copies.push(self.json(JsonValue::Object(def), &value.span));
                        }
                        _ => members.push(self.property(key, value, cx)),
                    }
                }
                if !copies.is_empty() {
                    members.push((
                        self.key("copy", &e.span),
                        self.json(JsonValue::Array(copies), &e.span),
                    ));
                }
                self.json(JsonValue::Object(members), &e.span)
            }
            ExprKind::Paren(inner) => self.value(inner, cx),
            _ => self.expr_json(e, cx),
        }
    }

    /// An expression string `[...]` spanned at `e`.
    fn expr_json(&self, e: &Expr, cx: &Cx) -> Json {
        self.expr_text_json(self.expr(e, cx), &e.span)
    }

    fn expr_text_json(&self, text: String, span: &Span) -> Json {
        let mut bracketed = String::with_capacity(text.len() + 2);
        bracketed.push('[');
        bracketed.push_str(&text);
        bracketed.push(']');
        self.json(JsonValue::String(bracketed), span)
    }

    /// A Bicep expression as ARM expression text (without the brackets). References are
    /// followed (a resource's id lowers its name), so the depth is bounded: a chain of names
    /// that refer to each other ends as an unknown value, never a stack overflow.
    pub fn expr(&self, e: &Expr, cx: &Cx) -> String {
        if self.depth.get() >= MAX_DEPTH {
            return unknown("an expression nested too deeply");
        }
        if self.lowered.get() >= MAX_LOWERED {
            return unknown("a file whose names expand too much to lower (names repeating other resources' names, down a chain)");
        }
        self.lowered.set(self.lowered.get() + 1);
        self.depth.set(self.depth.get() + 1);
        let text = self.expr_inner(e, cx);
        self.depth.set(self.depth.get() - 1);
        text
    }

    fn expr_inner(&self, e: &Expr, cx: &Cx) -> String {
        match &e.kind {
            ExprKind::Null => "null()".into(),
            ExprKind::Bool(true) => "true()".into(),
            ExprKind::Bool(false) => "false()".into(),
            ExprKind::Int(n) => n.to_string(),
            ExprKind::String(parts) => self.string(parts, cx),
            ExprKind::Array(items) => {
                if items.iter().any(|i| matches!(i, ArrayItem::Spread(_))) {
                    let parts: Vec<String> = items
                        .iter()
                        .map(|i| match i {
                            ArrayItem::Item(x) => format!("createArray({})", self.expr(x, cx)),
                            ArrayItem::Spread(x) => self.expr(x, cx),
                        })
                        .collect();
                    format!("flatten(createArray({}))", parts.join(", "))
                } else {
                    let parts: Vec<String> = items
                        .iter()
                        .filter_map(|i| match i {
                            ArrayItem::Item(x) => Some(self.expr(x, cx)),
                            ArrayItem::Spread(_) => None,
                        })
                        .collect();
                    format!("createArray({})", parts.join(", "))
                }
            }
            ExprKind::Object(items) => {
                let mut groups: Vec<String> = Vec::new();
                let mut props: Vec<String> = Vec::new();
                for item in items {
                    match item {
                        ObjectItem::Property { key, value, .. } => {
                            let k = match key {
                                Key::Ident(i) => literal(&i.name),
                                Key::String(e) => self.expr(e, cx),
                            };
                            props.push(format!("{k}, {}", self.expr(value, cx)));
                        }
                        ObjectItem::Spread(x) => {
                            if !props.is_empty() {
                                groups.push(format!("createObject({})", props.join(", ")));
                                props.clear();
                            }
                            groups.push(self.expr(x, cx));
                        }
                        ObjectItem::Resource(_) => {}
                    }
                }
                let object = format!("createObject({})", props.join(", "));
                if groups.is_empty() {
                    object
                } else {
                    if !props.is_empty() {
                        groups.push(object);
                    }
                    format!("shallowMerge(createArray({}))", groups.join(", "))
                }
            }
            ExprKind::Ident(name) => self.ident(name, cx),
            ExprKind::Member { .. } | ExprKind::Index { .. } if continues_safe_access(e) => {
                self.safe_chain(e, cx)
            }
            ExprKind::Member { target, name, safe } => self.member(target, name, *safe, cx),
            ExprKind::Child { .. } => match self.resource_ref(e, cx) {
                Some((r, index)) => self.resource_id(r, index.as_deref()),
                None => unknown("child resource"),
            },
            ExprKind::Index {
                target,
                index,
                safe,
                from_end,
            } => {
                if let Some((r, Some(i))) = self.resource_ref(e, cx) {
                    return self.resource_id(r, Some(&i));
                }
                let t = self.expr(target, cx);
                let i = self.expr(index, cx);
                match (safe, from_end) {
                    (false, false) => format!("{t}[{i}]"),
                    (true, false) => format!("tryGet({t}, {i})"),
                    (false, true) => format!("indexFromEnd({t}, {i})"),
                    (true, true) => format!("tryIndexFromEnd({t}, {i})"),
                }
            }
            ExprKind::Call { callee, args } => self.call(callee, args, cx),
            ExprKind::Unary { op, expr } => match (op, &expr.kind) {
                (UnaryOp::Neg, ExprKind::Int(n)) => format!("-{n}"),
                (UnaryOp::Neg, _) => format!("sub(0, {})", self.expr(expr, cx)),
                (UnaryOp::Not, _) => format!("not({})", self.expr(expr, cx)),
            },
            ExprKind::Binary { op, left, right } => {
                let (l, r) = (self.expr(left, cx), self.expr(right, cx));
                match op {
                    BinaryOp::Or => format!("or({l}, {r})"),
                    BinaryOp::And => format!("and({l}, {r})"),
                    BinaryOp::Coalesce => format!("coalesce({l}, {r})"),
                    BinaryOp::Eq => format!("equals({l}, {r})"),
                    BinaryOp::NotEq => format!("not(equals({l}, {r}))"),
                    BinaryOp::EqI => format!("equals(toLower({l}), toLower({r}))"),
                    BinaryOp::NotEqI => format!("not(equals(toLower({l}), toLower({r})))"),
                    BinaryOp::Lt => format!("less({l}, {r})"),
                    BinaryOp::LtEq => format!("lessOrEquals({l}, {r})"),
                    BinaryOp::Gt => format!("greater({l}, {r})"),
                    BinaryOp::GtEq => format!("greaterOrEquals({l}, {r})"),
                    BinaryOp::Add => format!("add({l}, {r})"),
                    BinaryOp::Sub => format!("sub({l}, {r})"),
                    BinaryOp::Mul => format!("mul({l}, {r})"),
                    BinaryOp::Div => format!("div({l}, {r})"),
                    BinaryOp::Mod => format!("mod({l}, {r})"),
                }
            }
            ExprKind::Ternary {
                cond,
                then,
                otherwise,
            } => format!(
                "if({}, {}, {})",
                self.expr(cond, cx),
                self.expr(then, cx),
                self.expr(otherwise, cx)
            ),
            ExprKind::Lambda { params, body } => {
                let mut inner = cx.clone();
                let mut names = Vec::new();
                for p in params {
                    let n = self.fresh(&p.name);
                    inner
                        .locals
                        .push((p.name.clone(), format!("lambdaVariables({})", literal(&n))));
                    names.push(literal(&n));
                }
                names.push(self.expr(body, &inner));
                format!("lambda({})", names.join(", "))
            }
            ExprKind::Paren(inner) | ExprKind::NonNull(inner) => self.expr(inner, cx),
            ExprKind::For {
                item,
                index,
                iterable,
                body,
            } => self.for_expr(item.as_ref(), index.as_ref(), iterable, body, cx),
            ExprKind::If { body, .. } => self.expr(body, cx),
            ExprKind::Error => unknown("a syntax error"),
        }
    }

    /// A unique lambda variable name: nested lambdas must not shadow each other's.
    fn fresh(&self, name: &str) -> String {
        let n = self.lambdas.get() + 1;
        self.lambdas.set(n);
        format!("{name}_{n}")
    }

    /// `[for x in xs: body]` anywhere a `copy` member cannot be: `map` (and `filter`) over
    /// lambdas.
    fn for_expr(
        &self,
        item: Option<&Ident>,
        index: Option<&Ident>,
        iterable: &Expr,
        body: &Expr,
        cx: &Cx,
    ) -> String {
        let it = self.expr(iterable, cx);
        let i = self.fresh("i");
        let var = format!("lambdaVariables({})", literal(&i));
        let inner = cx
            .with(item, format!("{it}[{var}]"))
            .with(index, var.clone());
        let indexes = format!("range(0, length({it}))");
        let (source, body) = match &body.kind {
            ExprKind::If { cond, body } => (
                format!(
                    "filter({indexes}, lambda({}, {}))",
                    literal(&i),
                    self.expr(cond, &inner)
                ),
                body.as_ref(),
            ),
            _ => (indexes, body),
        };
        format!(
            "map({source}, lambda({}, {}))",
            literal(&i),
            self.expr(body, &inner)
        )
    }

    fn string(&self, parts: &[StrPart], cx: &Cx) -> String {
        // Built in place: strings are most of what is lowered.
        let literal_len: usize = parts
            .iter()
            .map(|p| match p {
                StrPart::Lit(s) => s.len(),
                StrPart::Interp(_) => 0,
            })
            .sum();
        if parts.iter().all(|p| matches!(p, StrPart::Lit(_))) {
            let mut out = String::with_capacity(literal_len + 2);
            out.push('\'');
            for p in parts {
                if let StrPart::Lit(s) = p {
                    push_literal(&mut out, s);
                }
            }
            out.push('\'');
            return out;
        }
        // `format('lit{0}lit', arg)`: braces of the literal parts doubled, quotes too.
        let mut out = String::with_capacity(literal_len + 32);
        out.push_str("format('");
        let mut args = Vec::new();
        for p in parts {
            match p {
                StrPart::Lit(s) => {
                    for c in s.chars() {
                        match c {
                            '{' => out.push_str("{{"),
                            '}' => out.push_str("}}"),
                            '\'' => out.push_str("''"),
                            c => out.push(c),
                        }
                    }
                }
                StrPart::Interp(e) => {
                    use std::fmt::Write;
                    let _ = write!(out, "{{{}}}", args.len());
                    args.push(self.expr(e, cx));
                }
            }
        }
        out.push('\'');
        for a in &args {
            out.push_str(", ");
            out.push_str(a);
        }
        out.push(')');
        out
    }

    fn ident(&self, name: &str, cx: &Cx) -> String {
        if let Some(text) = cx.local(name) {
            return text.to_string();
        }
        if let Some(r) = self.nested(name, cx) {
            return self.resource_id(r, None);
        }
        match self.decls.get(name) {
            Some(Decl::Param) => format!("parameters({})", literal(name)),
            Some(Decl::Var) if self.inline_vars => self.inline_var(name, cx),
            Some(Decl::Var) => format!("variables({})", literal(&self.var_name(name))),
            Some(Decl::ImportedVar(v)) => format!("variables({})", literal(v)),
            Some(Decl::InlineVar(k, v)) => self.inline_imported(*k, v, None, cx),
            Some(Decl::Resource(r)) => self.resource_id(*r, None),
            Some(Decl::Module(m)) => {
                let m = &self.modules[*m];
                format!(
                    "resourceId({}, {})",
                    literal(DEPLOYMENTS),
                    find_prop(m.shape.props, "name")
                        .map(|v| self.expr(v, cx))
                        .unwrap_or_else(|| literal(&m.name.name))
                )
            }
            Some(Decl::Unresolved(why)) => unknown(&format!("`{name}`, imported {why}")),
            _ => unknown_named(name),
        }
    }

    /// A `.bicepparam` variable, inlined (parameter values are evaluated in the template, where
    /// the parameter file's variables do not exist). A cycle ends at the nesting bound.
    fn inline_var(&self, name: &str, cx: &Cx) -> String {
        let value = self.file.items.iter().find_map(|i| match &i.kind {
            ItemKind::Var { name: n, value, .. } if n.name == name => Some(value),
            _ => None,
        });
        if let Some(over) = self.spend_inline() {
            return over;
        }
        match value {
            Some(v) if cx.depth < MAX_INLINE => self.expr(
                v,
                &Cx {
                    depth: cx.depth + 1,
                    ..Cx::default()
                },
            ),
            _ => unknown_named(name),
        }
    }

    /// Count one more declaration inlined, or the unknown value past [`MAX_INLINES`].
    fn spend_inline(&self) -> Option<String> {
        if self.inlines.get() >= MAX_INLINES {
            return Some(unknown(
                "too many variables inlined into the values of a parameter file",
            ));
        }
        self.inlines.set(self.inlines.get() + 1);
        None
    }

    /// A call of a function declared in this file, inlined in a `.bicepparam` value: its body
    /// with the arguments for its parameters. Recursion ends at the nesting bound.
    fn inline_func(&self, name: &str, args: &[String], cx: &Cx) -> String {
        let func = self.file.items.iter().find_map(|i| match &i.kind {
            ItemKind::Func {
                name: n,
                params,
                body,
                ..
            } if n.name == name => Some((params, body)),
            _ => None,
        });
        if let Some(over) = self.spend_inline() {
            return over;
        }
        match func {
            Some((params, body)) if cx.depth < MAX_INLINE => {
                let locals = params
                    .iter()
                    .zip(args)
                    .map(|((p, _), a)| (p.name.clone(), a.clone()))
                    .collect();
                let inner = Cx {
                    locals,
                    depth: cx.depth + 1,
                    ..Cx::default()
                };
                self.expr(body, &inner)
            }
            _ => unknown_named(name),
        }
    }

    /// A variable (`args` `None`) or a function call of the imported file `k`, inlined in a
    /// `.bicepparam` value: lowered in that file, where its own names are declared.
    fn inline_imported(&self, k: usize, name: &str, args: Option<&[String]>, cx: &Cx) -> String {
        let (file, base, from) = self.inlined[k].clone();
        let mut files = self.files.borrow_mut();
        if let Err(why) = files.enter(base, from) {
            return unknown(&format!("`{name}`, imported {why}"));
        }
        let mut sub = Lower::new(&file.file, base, &mut **files);
        sub.inline_vars = true;
        // One bound on nesting and inlining, and one supply of lambda names, across files.
        sub.depth.set(self.depth.get());
        sub.lambdas.set(self.lambdas.get());
        sub.inlines.set(self.inlines.get());
        sub.bind_imports();
        let text = match args {
            None => sub.inline_var(name, cx),
            Some(args) => sub.inline_func(name, args, cx),
        };
        self.lambdas.set(sub.lambdas.get());
        self.inlines.set(sub.inlines.get());
        drop(sub);
        files.leave();
        text
    }

    /// `a.?b.c[0]`: what follows a safe access is skipped with it when it finds null, so the
    /// chain from it is one `tryGet(a, 'b', 'c', 0)`, as the compiler makes it.
    fn safe_chain(&self, e: &Expr, cx: &Cx) -> String {
        let mut keys = Vec::new();
        let mut at = e;
        while let Some((target, safe)) = access_step(at) {
            keys.push(match &at.kind {
                ExprKind::Member { name, .. } => literal(&name.name),
                ExprKind::Index { index, .. } => self.expr(index, cx),
                _ => break,
            });
            at = target;
            if safe {
                break;
            }
        }
        keys.push(self.expr(at, cx));
        keys.reverse();
        format!("tryGet({})", keys.join(", "))
    }

    fn member(&self, target: &Expr, name: &Ident, safe: bool, cx: &Cx) -> String {
        // Namespaces: `az.resourceGroup` as a value is unusual; imported namespaces are common.
        if let ExprKind::Ident(ns) = &target.kind {
            if cx.local(ns).is_none() {
                match self.decls.get(ns.as_str()) {
                    Some(Decl::Namespace(prefix)) => {
                        return format!(
                            "variables({})",
                            literal(&format!("{prefix}{}", name.name))
                        );
                    }
                    Some(Decl::InlineNamespace(k)) => {
                        return self.inline_imported(*k, &name.name, None, cx);
                    }
                    _ => {}
                }
            }
        }
        // Module outputs: `mod.outputs.x` is `reference('mod').outputs.x.value`, and an instance
        // of a module loop `mods[i].outputs.x` is `reference(format('mods[{0}]', i))...`.
        if let ExprKind::Member {
            target: inner,
            name: outputs,
            ..
        } = &target.kind
        {
            if outputs.name == "outputs" {
                let (inner, index) = match &unparen(inner).kind {
                    ExprKind::Index { target, index, .. } => (&**target, Some(&**index)),
                    _ => (inner.as_ref(), None),
                };
                if let Some(m) = self.module_ref(inner, cx) {
                    let symbol = &self.modules[m].name.name;
                    let instance = match index {
                        Some(i) => format!(
                            "format({}, {})",
                            literal(&format!("{symbol}[{{0}}]")),
                            self.expr(i, cx)
                        ),
                        None => literal(symbol),
                    };
                    return format!(
                        "reference({instance}).outputs.{}.value",
                        arm_member(&name.name)
                    );
                }
            }
        }
        if let Some(m) = self.module_ref(target, cx) {
            let module = &self.modules[m];
            if name.name == "name" {
                return find_prop(module.shape.props, "name")
                    .map(|v| self.expr(v, cx))
                    .unwrap_or_else(|| literal(&module.name.name));
            }
        }
        if let Some((r, index)) = self.resource_ref(target, cx) {
            let res = &self.resources[r];
            return match name.name.as_str() {
                "id" => self.resource_id(r, index.as_deref()),
                "name" => {
                    let rcx = self.loop_cx(res.shape.each.as_ref(), index.as_deref());
                    find_prop(res.shape.props, "name")
                        .map(|v| self.expr(v, &rcx))
                        .unwrap_or_else(|| "null()".into())
                }
                "type" => literal(&res.full_type),
                "apiVersion" => literal(&res.api),
                // `reference()` without 'full' is the properties object (reference §6.2).
                "properties" => format!(
                    "reference({}, {})",
                    self.resource_id(r, index.as_deref()),
                    literal(&res.api)
                ),
                other => format!(
                    "reference({}, {}, 'full').{}",
                    self.resource_id(r, index.as_deref()),
                    literal(&res.api),
                    arm_member(other)
                ),
            };
        }
        let t = self.expr(target, cx);
        if safe {
            format!("tryGet({t}, {})", literal(&name.name))
        } else {
            format!("{t}.{}", arm_member(&name.name))
        }
    }

    fn call(&self, callee: &Expr, args: &[Expr], cx: &Cx) -> String {
        let lowered = |l: &Self| -> Vec<String> { args.iter().map(|a| l.expr(a, cx)).collect() };
        let name = match &callee.kind {
            ExprKind::Ident(n) if cx.local(n).is_none() => match self.decls.get(n.as_str()) {
                Some(Decl::Func) if self.inline_vars => {
                    return self.inline_func(n, &lowered(self), cx)
                }
                Some(Decl::Func) => {
                    let f = format!("__bicep.{}", self.var_name(n));
                    return self.call_text(&f, &[], args, cx);
                }
                Some(Decl::ImportedFunc(f)) => {
                    return self.call_text(&format!("__bicep.{f}"), &[], args, cx)
                }
                Some(Decl::InlineFunc(k, f)) => {
                    return self.inline_imported(*k, f, Some(&lowered(self)), cx)
                }
                _ => n.as_str(),
            },
            ExprKind::Member { target, name, .. } => match &target.kind {
                ExprKind::Ident(ns) if ns == "az" || ns == "sys" => name.name.as_str(),
                ExprKind::Ident(ns) => match self.decls.get(ns.as_str()) {
                    Some(Decl::Namespace(prefix)) => {
                        let f = format!("__bicep.{prefix}{}", name.name);
                        return self.call_text(&f, &[], args, cx);
                    }
                    Some(Decl::InlineNamespace(k)) => {
                        return self.inline_imported(*k, &name.name, Some(&lowered(self)), cx)
                    }
                    _ => match self.resource_ref(target, cx) {
                        // `acr.listCredentials()`: a resource function, read at deployment.
                        Some((r, index)) => {
                            let first = [
                                self.resource_id(r, index.as_deref()),
                                literal(&self.resources[r].api),
                            ];
                            return self.call_text(&name.name, &first, args, cx);
                        }
                        None => return unknown("a method call"),
                    },
                },
                _ => return unknown("a method call"),
            },
            _ => return unknown("a call"),
        };
        match name {
            // Compile-time functions of Bicep itself.
            "any" => args
                .first()
                .map(|a| self.expr(a, cx))
                .unwrap_or_else(|| "null()".into()),
            // Files read at compile time: their content is in the template.
            "loadTextContent" | "loadJsonContent" | "loadYamlContent" if !args.is_empty() => {
                self.loaded_content(name, args)
            }
            "nameof" => match args.first().map(|a| &unparen(a).kind) {
                Some(ExprKind::Ident(n)) => literal(n),
                Some(ExprKind::Member { name, .. }) => literal(&name.name),
                _ => unknown("nameof"),
            },
            _ => self.call_text(name, &[], args, cx),
        }
    }

    /// `name(first..., args...)`, the arguments lowered, built in place.
    fn call_text(&self, name: &str, first: &[String], args: &[Expr], cx: &Cx) -> String {
        let mut out = String::with_capacity(name.len() + 2 + 24 * (first.len() + args.len()));
        out.push_str(name);
        out.push('(');
        let lowered = args.iter().map(|a| self.expr(a, cx));
        for (i, a) in first.iter().cloned().chain(lowered).enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            out.push_str(&a);
        }
        out.push(')');
        out
    }

    /// A file read at compile time, as the compiler puts it in the template: text, or the
    /// JSON or YAML document (or the part of it that the path filter, the second argument,
    /// selects) as `json(...)`, decoded in the encoding the last argument names.
    fn loaded_content(&self, name: &str, args: &[Expr]) -> String {
        let Some(path) = literal_string(&args[0]) else {
            return unknown_because(name, "names its file by an expression");
        };
        let call = format!("{name}({})", literal(&path));
        // The file is decoded as the compiler decodes it: UTF-8 unless an encoding is named.
        let encoding = match args.get(if name == "loadTextContent" { 1 } else { 2 }) {
            None => Some(TextEncoding::Utf8),
            Some(e) => literal_string(e).and_then(|e| TextEncoding::parse(&e)),
        };
        let Some(encoding) = encoding else {
            return unknown_because(&call, "names an encoding the compiler does not take");
        };
        let Some(text) = self.loaded_text(&args[0], encoding) else {
            return unknown_because(&call, "reads a file that cannot be read (reported)");
        };
        let filter = match (name, args.get(1)) {
            ("loadTextContent", _) | (_, None) => None,
            (_, Some(f)) => match literal_string(f) {
                Some(f) => Some(f),
                None => return unknown("a path filter that is not a literal string"),
            },
        };
        let out = match (name, filter) {
            ("loadTextContent", _) => literal(&text),
            ("loadJsonContent", None) => format!("json({})", literal(&text)),
            (_, filter) => {
                let document = match name {
                    "loadJsonContent" => crate::load::json::parse(&text)
                        .map(|j| Value::from_json(&j, None))
                        .map_err(|e| e.to_string()),
                    _ => crate::resolve::hcl::decode_yaml(&text),
                };
                let document = match document {
                    Ok(v) => v,
                    Err(e) => {
                        return unknown_because(
                            &call,
                            &format!("reads a file that does not parse: {e}"),
                        )
                    }
                };
                let selected = match &filter {
                    Some(f) => select(document, f),
                    None => Some(document),
                };
                match selected.as_ref().and_then(Value::to_json) {
                    Some(json) => format!("json({})", literal(&json)),
                    None => {
                        let filter = filter.unwrap_or_default();
                        return unknown_because(
                            &format!("the path filter '{filter}' of {call}"),
                            "selects nothing in the file, or is JSONPath that acrlint does not evaluate (wildcards, filters)",
                        );
                    }
                }
            }
        };
        if out.len() > MAX_EXPRESSION_TEXT {
            return unknown("a file loaded at compile time, too long for an expression");
        }
        out
    }

    /// The text of the file a `load*Content` call names (a literal path, relative to this file).
    fn loaded_text(&self, path: &Expr, encoding: TextEncoding) -> Option<String> {
        let value = literal_string(path)?;
        let lit = StrLit {
            value,
            span: path.span.clone(),
        };
        self.files.borrow_mut().load_text(&lit, encoding)
    }

    /// The resource an expression refers to (`acr`, `acrs[i]`, `vnet::subnet`), with the
    /// instance index of a loop as ARM text.
    fn resource_ref(&self, e: &Expr, cx: &Cx) -> Option<(usize, Option<String>)> {
        match &unparen(e).kind {
            // A loop variable or lambda parameter hides a resource of the same name.
            ExprKind::Ident(n) if cx.local(n).is_some() => None,
            ExprKind::Ident(n) => match self.nested(n, cx) {
                Some(r) => Some((r, None)),
                None => match self.decls.get(n.as_str()) {
                    Some(Decl::Resource(r)) => Some((*r, None)),
                    _ => None,
                },
            },
            ExprKind::Index { target, index, .. } => match &unparen(target).kind {
                ExprKind::Ident(n) if cx.local(n).is_some() => None,
                ExprKind::Ident(n) => {
                    let r = self.nested(n, cx).or(match self.decls.get(n.as_str()) {
                        Some(Decl::Resource(r)) => Some(*r),
                        _ => None,
                    })?;
                    self.resources[r]
                        .shape
                        .each
                        .is_some()
                        .then(|| (r, Some(self.expr(index, cx))))
                }
                _ => None,
            },
            ExprKind::Child { target, name } => {
                let (parent, _) = self.resource_ref(target, cx)?;
                let key = format!("{}::{}", self.resources[parent].key, name.name);
                self.resources
                    .iter()
                    .position(|r| r.key == key)
                    .map(|r| (r, None))
            }
            _ => None,
        }
    }

    /// The resource nested (at any depth above) in the resource whose body `cx` is in, by its
    /// own name: Bicep puts a resource's nested resources in scope in its body and theirs.
    fn nested(&self, name: &str, cx: &Cx) -> Option<usize> {
        let mut scope = self.resources[cx.within?].key.as_str();
        loop {
            let child = |key: &str| {
                key.strip_prefix(scope)
                    .and_then(|k| k.strip_prefix("::"))
                    .is_some_and(|k| k == name)
            };
            if let Some(r) = self.resources.iter().position(|r| child(&r.key)) {
                return Some(r);
            }
            scope = scope.rsplit_once("::")?.0;
        }
    }

    fn module_ref(&self, e: &Expr, cx: &Cx) -> Option<usize> {
        match &unparen(e).kind {
            ExprKind::Ident(n) if cx.local(n).is_some() => None,
            ExprKind::Ident(n) => match self.decls.get(n.as_str()) {
                Some(Decl::Module(m)) => Some(*m),
                _ => None,
            },
            _ => None,
        }
    }

    /// Undeclared names in the file, and declarations that use their own name (which the
    /// compiler rejects, BCP079): each is a problem at its use.
    fn check_names(&mut self) {
        let file = self.file;
        let mut found = Vec::new();
        for item in &file.items {
            // A resource nested in this one may use the parent's name (`parent.id`).
            let mut nested = Vec::new();
            if let ItemKind::Resource(r) = &item.kind {
                for p in shape(&r.body).props {
                    if let ObjectItem::Resource(child) = p {
                        nested.push(child.span.clone());
                    }
                }
            }
            // Types may be recursive; functions are checked by the evaluator's nesting bound.
            let own = match &item.kind {
                ItemKind::Type { .. } | ItemKind::Func { .. } => None,
                _ => declared_name(item).map(|n| n.name.as_str()),
            };
            visit_item(item, &mut Vec::new(), &mut |name, span, scope| {
                if scope.iter().any(|s| s == name) || is_namespace(name) {
                    return;
                }
                if !self.decls.contains_key(name) {
                    found.push((span.clone(), format!("`{name}` is not declared")));
                } else if own == Some(name)
                    && !nested
                        .iter()
                        .any(|n| n.start <= span.start && span.end <= n.end)
                {
                    found.push((
                        span.clone(),
                        format!("`{name}` refers to its own declaration"),
                    ));
                }
            });
        }
        for (span, message) in found {
            self.problem(&span, message);
        }
    }
}

/// The name a top-level statement declares, in the namespace of parameters, variables,
/// functions, types, resources and modules.
fn declared_name(item: &Item) -> Option<&Ident> {
    match &item.kind {
        ItemKind::Param { name, .. }
        | ItemKind::ParamValue { name, .. }
        | ItemKind::Var { name, .. }
        | ItemKind::Func { name, .. }
        | ItemKind::Type { name, .. }
        | ItemKind::Module { name, .. } => Some(name),
        ItemKind::Resource(r) => Some(&r.name),
        _ => None,
    }
}

/// Bicep's built-in namespaces.
fn is_namespace(name: &str) -> bool {
    name == "az" || name == "sys"
}

/// Visit every name used as a value (not a callee, not a member name, not an object key) with
/// the local names in scope.
fn visit_item(item: &Item, scope: &mut Vec<String>, f: &mut dyn FnMut(&str, &Span, &[String])) {
    match &item.kind {
        ItemKind::Param {
            default: Some(e), ..
        }
        | ItemKind::Var { value: e, .. }
        | ItemKind::Output { value: e, .. }
        | ItemKind::ParamValue { value: e, .. } => visit(e, scope, f),
        ItemKind::Resource(r) => visit(&r.body, scope, f),
        ItemKind::Module { body, .. } => visit(body, scope, f),
        ItemKind::Func { params, body, .. } => {
            let n = scope.len();
            scope.extend(params.iter().map(|(p, _)| p.name.clone()));
            visit(body, scope, f);
            scope.truncate(n);
        }
        _ => {}
    }
}

fn visit(e: &Expr, scope: &mut Vec<String>, f: &mut dyn FnMut(&str, &Span, &[String])) {
    match &e.kind {
        ExprKind::Ident(n) => f(n, &e.span, scope),
        ExprKind::String(parts) => {
            for p in parts {
                if let StrPart::Interp(x) = p {
                    visit(x, scope, f);
                }
            }
        }
        ExprKind::Array(items) => {
            for i in items {
                match i {
                    ArrayItem::Item(x) | ArrayItem::Spread(x) => visit(x, scope, f),
                }
            }
        }
        ExprKind::Object(items) => {
            // The resources nested in a body are in scope in all of it.
            let n = scope.len();
            scope.extend(items.iter().filter_map(|i| match i {
                ObjectItem::Resource(item) => match &item.kind {
                    ItemKind::Resource(r) => Some(r.name.name.clone()),
                    _ => None,
                },
                _ => None,
            }));
            for i in items {
                match i {
                    ObjectItem::Property { key, value, .. } => {
                        if let Key::String(k) = key {
                            visit(k, scope, f);
                        }
                        visit(value, scope, f);
                    }
                    ObjectItem::Spread(x) => visit(x, scope, f),
                    ObjectItem::Resource(item) => visit_item(item, scope, f),
                }
            }
            scope.truncate(n);
        }
        ExprKind::Member { target, .. } | ExprKind::Child { target, .. } => visit(target, scope, f),
        ExprKind::Index { target, index, .. } => {
            visit(target, scope, f);
            visit(index, scope, f);
        }
        ExprKind::Call { callee, args } => {
            // A callee name is a function (built-in or declared), not a value.
            if !matches!(callee.kind, ExprKind::Ident(_)) {
                visit(callee, scope, f);
            }
            for a in args {
                visit(a, scope, f);
            }
        }
        ExprKind::Unary { expr, .. } | ExprKind::Paren(expr) | ExprKind::NonNull(expr) => {
            visit(expr, scope, f)
        }
        ExprKind::Binary { left, right, .. } => {
            visit(left, scope, f);
            visit(right, scope, f);
        }
        ExprKind::Ternary {
            cond,
            then,
            otherwise,
        } => {
            visit(cond, scope, f);
            visit(then, scope, f);
            visit(otherwise, scope, f);
        }
        ExprKind::Lambda { params, body } => {
            let n = scope.len();
            scope.extend(params.iter().map(|p| p.name.clone()));
            visit(body, scope, f);
            scope.truncate(n);
        }
        ExprKind::For {
            item,
            index,
            iterable,
            body,
        } => {
            visit(iterable, scope, f);
            let n = scope.len();
            scope.extend(item.iter().chain(index).map(|p| p.name.clone()));
            visit(body, scope, f);
            scope.truncate(n);
        }
        ExprKind::If { cond, body } => {
            visit(cond, scope, f);
            visit(body, scope, f);
        }
        ExprKind::Null | ExprKind::Bool(_) | ExprKind::Int(_) | ExprKind::Error => {}
    }
}

fn decl_span(r: &Res) -> Span {
    let end = r.decl.body.span.end.max(r.header.end);
    r.header.start..end
}

/// One step of an access chain: `target.name` or `target[index]` (not `[^i]`), and whether
/// it is safe (`.?`, `[?]`).
fn access_step(e: &Expr) -> Option<(&Expr, bool)> {
    match &e.kind {
        ExprKind::Member { target, safe, .. } => Some((target, *safe)),
        ExprKind::Index {
            target,
            safe,
            from_end: false,
            ..
        } => Some((target, *safe)),
        _ => None,
    }
}

/// Whether `e` is a plain member or index access in a chain that a safe access starts below
/// it, with no parentheses or `!` between.
fn continues_safe_access(e: &Expr) -> bool {
    let Some((mut at, false)) = access_step(e) else {
        return false;
    };
    while let Some((target, safe)) = access_step(at) {
        if safe {
            return true;
        }
        at = target;
    }
    false
}

fn unparen(e: &Expr) -> &Expr {
    match &e.kind {
        ExprKind::Paren(inner) | ExprKind::NonNull(inner) => unparen(inner),
        _ => e,
    }
}

fn key_is(key: &Key, name: &str) -> bool {
    matches!(key, Key::Ident(i) if i.name == name)
        || matches!(key, Key::String(e) if literal_string(e).as_deref() == Some(name))
}

fn key_name(key: &Key) -> String {
    match key {
        Key::Ident(i) => i.name.clone(),
        Key::String(e) => literal_string(e).unwrap_or_default(),
    }
}

fn find_prop<'e>(props: &'e [ObjectItem], name: &str) -> Option<&'e Expr> {
    props.iter().find_map(|p| match p {
        ObjectItem::Property { key, value, .. } if key_is(key, name) => Some(value),
        _ => None,
    })
}

/// The part of a document that a JSONPath selects, for the simple paths the load functions are
/// given (`$.tags`, `$.network['subnets'][0]`, `.name`); `None` for one that selects nothing,
/// or wildcards, filters and recursive descent, which this does not evaluate.
fn select(mut v: Value, path: &str) -> Option<Value> {
    let path = path.trim();
    let mut rest = path.strip_prefix('$').unwrap_or(path);
    // Json.NET, which the compiler selects with, takes a path without `$` as one with it: `a.b`.
    let mut first = rest == path && !rest.starts_with(['.', '[']);
    while !rest.is_empty() {
        let key;
        let member = match rest.strip_prefix('.') {
            Some(after) => Some(after),
            None => std::mem::take(&mut first).then_some(rest),
        };
        if let Some(after) = member {
            let end = after.find(['.', '[']).unwrap_or(after.len());
            (key, rest) = (after[..end].to_string(), &after[end..]);
            if key.is_empty() || key == "*" {
                return None;
            }
        } else if let Some(after) = rest.strip_prefix('[') {
            let end = after.find(']')?;
            let inner = after[..end].trim();
            rest = &after[end + 1..];
            let quoted = inner
                .strip_prefix('\'')
                .and_then(|k| k.strip_suffix('\''))
                .or_else(|| inner.strip_prefix('"').and_then(|k| k.strip_suffix('"')));
            key = match quoted {
                Some(k) => k.to_string(),
                None => {
                    let i: usize = inner.parse().ok()?;
                    match v {
                        Value::List(mut items) if i < items.len() => {
                            v = items.swap_remove(i).value;
                            continue;
                        }
                        _ => return None,
                    }
                }
            };
        } else {
            return None;
        }
        v = match v {
            Value::Object(members) => members.into_iter().find(|(k, _)| *k == key)?.1.value,
            _ => return None,
        };
    }
    Some(v)
}

/// The text of a string without interpolation.
pub fn literal_string(e: &Expr) -> Option<String> {
    match &unparen(e).kind {
        ExprKind::String(parts) => parts
            .iter()
            .map(|p| match p {
                StrPart::Lit(s) => Some(s.as_str()),
                StrPart::Interp(_) => None,
            })
            .collect(),
        _ => None,
    }
}

/// A literal string in JSON position: one starting with `[` is escaped as `[[`, as the compiler
/// does, so that it is not read as an expression.
fn escape_literal(s: &str) -> String {
    if s.starts_with('[') {
        format!("[{s}")
    } else {
        s.to_string()
    }
}

/// `.name` when `name` is an identifier, else `['name']`.
fn arm_member(name: &str) -> String {
    if !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
        && !name.starts_with(|c: char| c.is_ascii_digit())
    {
        name.to_string()
    } else {
        format!("[{}]", literal(name))
    }
}

/// An expression the evaluator does not know: its value is unknown, depending on `what`.
fn unknown(what: &str) -> String {
    unknown_because(what, "acrlint does not evaluate")
}

fn unknown_named(name: &str) -> String {
    unknown_because(name, "is not declared")
}

/// Unknown, depending on `what`, which `why` (the evaluator's `bicep.unknown`).
fn unknown_because(what: &str, why: &str) -> String {
    format!("bicep.unknown({}, {})", literal(what), literal(why))
}

/// The start of the name the compiler generates for a module without one: its symbolic name,
/// cut to 50 characters.
pub fn generated_name_head(symbol: &str) -> &str {
    symbol
        .char_indices()
        .nth(50)
        .map_or(symbol, |(at, _)| &symbol[..at])
}

#[cfg(test)]
mod tests;
