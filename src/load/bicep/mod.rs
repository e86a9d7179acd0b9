//! Bicep front end: `.bicep` and `.bicepparam` source parsed with exact spans and lowered to the
//! template the Bicep compiler would emit, which the ARM loader then evaluates: a Bicep file and
//! its compiled JSON give the same findings, located on the Bicep lines.
//!
//! One load covers a root `.bicep` file with its local modules and imports (and, when given, one
//! `.bicepparam` file). Their spans share one offset space (see [`Space`]): each file is placed
//! at a base of its own.

pub mod ast;
mod lexer;
pub(crate) mod lower;
pub mod parser;
mod registry;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use self::ast::StrLit;
use super::arm::template::{self, Space};
use super::json::{self, Json, JsonValue};
use super::{join_lexically, LoadError, Loaded, Note, Origin};
use crate::resolve::arm::DeploymentScope;
use crate::source::{FileId, SourceFile, SourceMap, Span};
use crate::value::Unknown;

/// One analysis of Bicep: a root file, and the `.bicepparam` file that gives its values.
#[derive(Clone, Debug)]
pub struct Unit {
    pub root: FileId,
    pub params: Option<FileId>,
    /// The root has several parameter files (results name the one they are for).
    pub several: bool,
    /// The template compiled from the root, beside it: without a `.bicepparam` file or an
    /// `X.parameters.json` of its own, the root takes that template's (a quickstart deploys
    /// `azuredeploy.json`, built from `main.bicep`, with `azuredeploy.parameters.json`).
    pub compiled: Option<FileId>,
}

/// Bicep files used as modules by several analyses, parsed once for them all. A module is
/// lowered once per use (each with its caller's offsets and stack), but its text is the same: an
/// AVM module is used by each of its e2e tests, which parsed it again each time (four times the
/// parse work of the repository). Each is freed after the last analysis that uses it has read
/// it, so that the run does not hold every file's tree at once.
#[derive(Default)]
pub struct Parses {
    files: Mutex<FxHashMap<FileId, Shared>>,
}

/// A parse shared by the analyses that have yet to read it (`users`).
struct Shared {
    parsed: Arc<OnceLock<Arc<ast::Parsed>>>,
    users: usize,
}

impl Parses {
    /// `users` analyses will read `file` (once each).
    fn expect(&self, file: FileId, users: usize) {
        let mut files = self.files.lock().unwrap_or_else(|e| e.into_inner());
        files.insert(
            file,
            Shared {
                parsed: Arc::default(),
                users,
            },
        );
    }

    /// The parse of `file`, for one analysis: made by the first that needs it (others wait for
    /// it rather than parse it too), and forgotten after the last. A file no analysis was
    /// expected to share is parsed for this one alone.
    pub fn get(&self, file: FileId, sources: &SourceMap) -> Arc<ast::Parsed> {
        let cell = {
            let mut files = self.files.lock().unwrap_or_else(|e| e.into_inner());
            let Some(shared) = files.get_mut(&file) else {
                drop(files);
                return Arc::new(parser::parse(&sources.get(file).text));
            };
            shared.users = shared.users.saturating_sub(1);
            let cell = Arc::clone(&shared.parsed);
            if shared.users == 0 {
                files.remove(&file);
            }
            cell
        };
        let parsed = cell.get_or_init(|| Arc::new(parser::parse(&sources.get(file).text)));
        Arc::clone(parsed)
    }
}

/// Is this a `.bicepparam` file (else `.bicep`)?
pub(crate) fn is_param_file(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("bicepparam"))
}

/// The units of analysis among the Bicep files read, and what else they tell.
#[derive(Default)]
pub struct Units {
    pub units: Vec<Unit>,
    pub errors: Vec<LoadError>,
    /// The files that a root uses as modules (`.bicep`, or an ARM template `.json`): analysed
    /// through their callers, not on their own.
    pub modules: rustc_hash::FxHashSet<PathBuf>,
    /// Parameter files given (`--parameters`) whose `using` names a file that is not a root
    /// checked, with that file: they give nothing.
    pub unused: Vec<(FileId, PathBuf)>,
}

/// The units of analysis among the Bicep files read: every `.bicep` file that no other one uses
/// as a module is a root (a module is analysed through its callers, with their `params`); a root
/// with `.bicepparam` files is analysed once per file, else once with its defaults. A
/// `.bicepparam` whose `using` names no file read is an error. The parameter files `given`
/// (`--parameters`, as `az deployment` takes them) replace those found beside their root.
pub fn units(files: &[FileId], given: &[FileId], sources: &SourceMap, parses: &Parses) -> Units {
    /// What one file tells: the modules it uses, or the root its `using` names.
    enum Scanned {
        Bicep(FileId, PathBuf, Vec<PathBuf>),
        Params(PathBuf, FileId),
        Missing(LoadError),
        Nothing,
    }
    // Each file alone, in parallel (this runs between the walk and the analyses, on one
    // thread otherwise); then in order.
    let scanned: Vec<Scanned> = files
        .par_iter()
        .map(|&id| {
            let source = sources.get(id);
            let dir = source.path.parent().unwrap_or(Path::new(""));
            if is_param_file(&source.path) {
                let Some((path, span)) = using(&parser::parse(&source.text)) else {
                    return Scanned::Nothing;
                };
                let target = join_lexically(dir, Path::new(&path));
                if target.is_file() {
                    Scanned::Params(target, id)
                } else {
                    Scanned::Missing(LoadError {
                        file: id,
                        span: Some(Span::new(id, span)),
                        message: format!("`using` names `{path}`, which does not exist"),
                    })
                }
            } else {
                let key = source.path.clone();
                let uses = module_paths(&source.text)
                    .map(|p| join_lexically(dir, Path::new(p)))
                    .filter(|p| *p != key)
                    .collect();
                Scanned::Bicep(id, key, uses)
            }
        })
        .collect();
    let mut errors = Vec::new();
    // Each Bicep file by its real path, with the files it uses as modules.
    let mut bicep: Vec<(FileId, PathBuf, Vec<PathBuf>)> = Vec::with_capacity(scanned.len());
    let mut params: FxHashMap<PathBuf, Vec<FileId>> = FxHashMap::default();
    for s in scanned {
        match s {
            Scanned::Bicep(id, key, uses) => bicep.push((id, key, uses)),
            Scanned::Params(target, id) => params.entry(target).or_default().push(id),
            Scanned::Missing(e) => errors.push(e),
            Scanned::Nothing => {}
        }
    }
    let used: rustc_hash::FxHashSet<&PathBuf> = bicep.iter().flat_map(|(_, _, u)| u).collect();
    // Roots: the files no other file uses. Files reached from no root (a cycle of modules with
    // no caller) are analysed too, from the first of each cycle, so that nothing is dropped;
    // the cycle itself is reported when it is followed.
    let by_path: FxHashMap<&PathBuf, usize> = bicep
        .iter()
        .enumerate()
        .map(|(i, (_, p, _))| (p, i))
        .collect();
    let mut reached = vec![false; bicep.len()];
    let reach = |start: usize, reached: &mut Vec<bool>| {
        let mut stack = vec![start];
        while let Some(i) = stack.pop() {
            if std::mem::replace(&mut reached[i], true) {
                continue;
            }
            stack.extend(bicep[i].2.iter().filter_map(|p| by_path.get(p).copied()));
        }
    };
    let mut roots: Vec<usize> = (0..bicep.len())
        .filter(|&i| !used.contains(&bicep[i].1))
        .collect();
    for &r in &roots {
        reach(r, &mut reached);
    }
    for i in 0..bicep.len() {
        if !reached[i] {
            roots.push(i);
            reach(i, &mut reached);
        }
    }
    roots.sort_unstable();
    let modules = used
        .iter()
        .filter(|p| {
            by_path
                .get(*p)
                .is_none_or(|i| roots.binary_search(i).is_err())
        })
        .map(|p| (*p).clone())
        .collect();
    for list in params.values_mut() {
        if list.iter().any(|f| given.contains(f)) {
            list.retain(|f| given.contains(f));
        }
    }
    // The files each analysis reads as modules, for the parses they share.
    let mut users: FxHashMap<FileId, usize> = FxHashMap::default();
    for &i in &roots {
        let analyses = params.get(&bicep[i].1).map_or(1, Vec::len);
        let mut seen = vec![false; bicep.len()];
        reach(i, &mut seen);
        for (j, _) in seen.iter().enumerate().filter(|(_, s)| **s) {
            *users.entry(bicep[j].0).or_default() += analyses;
        }
    }
    for (file, n) in users.into_iter().filter(|(_, n)| *n > 1) {
        parses.expect(file, n);
    }
    let mut units = Vec::new();
    for i in roots {
        let root = bicep[i].0;
        match params.remove(&bicep[i].1) {
            Some(list) => units.extend(list.iter().map(|&p| Unit {
                root,
                params: Some(p),
                several: list.len() > 1,
                compiled: None,
            })),
            None => units.push(Unit {
                root,
                params: None,
                several: false,
                compiled: None,
            }),
        }
    }
    let mut unused: Vec<(FileId, PathBuf)> = (params.into_iter())
        .flat_map(|(target, list)| list.into_iter().map(move |f| (f, target.clone())))
        .filter(|(f, _)| given.contains(f))
        .collect();
    unused.sort();
    Units {
        units,
        errors,
        modules,
        unused,
    }
}

/// The `using 'path'` of a parameter file: the path and the span of its string.
fn using(parsed: &ast::Parsed) -> Option<(String, std::ops::Range<usize>)> {
    parsed.file.items.iter().find_map(|i| match &i.kind {
        ast::ItemKind::Using { path: Some(p) } => Some((p.value.clone(), p.span.clone())),
        _ => None,
    })
}

/// Local module paths a file uses (`module m './x.bicep' = ...`), without parsing: a line that
/// starts with `module`, a name and a quoted path.
fn module_paths(text: &str) -> impl Iterator<Item = &str> {
    // Only the lines where `module` occurs, found by a vectorised search: this runs on every
    // file before any analysis, and going through every line took a fifth of the parse time.
    static MODULE: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new("module"));
    let mut next_line = 0;
    let lines = MODULE.find_iter(text.as_bytes()).filter_map(move |at| {
        if at < next_line {
            return None;
        }
        let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
        let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
        next_line = end;
        Some(&text[start..end])
    });
    lines.filter_map(|line| {
        let rest = line.trim_start().strip_prefix("module")?;
        let rest = rest.strip_prefix(|c: char| c.is_whitespace())?.trim_start();
        let rest = rest.trim_start_matches(|c: char| c.is_alphanumeric() || c == '_');
        let rest = rest.trim_start().strip_prefix('\'')?;
        let path = &rest[..rest.find('\'')?];
        (!is_registry(path)).then_some(path)
    })
}

/// `br:`, `br/alias:`, `ts:`: a module from a registry or a template spec.
fn is_registry(path: &str) -> bool {
    path.starts_with("br:")
        || path.starts_with("br/")
        || path.starts_with("ts:")
        || path.starts_with("ts/")
}

/// Load one unit into resources. Besides its `.bicepparam` file, ARM parameter files give the
/// root values as they give a template theirs (`az deployment ... --parameters` takes both):
/// `--parameters` files always, and `X.parameters.json` beside `X.bicep` (the Azure Developer
/// CLI's convention), else beside its compiled template, when the root has no `.bicepparam` file.
pub fn load(
    unit: &Unit,
    sources: &SourceMap,
    parses: &Parses,
    opts: &super::arm::ArmOptions,
) -> Loaded {
    let mut loader = Loader {
        sources,
        parses,
        parsed: FxHashMap::default(),
        space: Vec::new(),
        next_base: 0,
        stack: Vec::new(),
        errors: Vec::new(),
        notes: Vec::new(),
        imported: FxHashMap::default(),
        called_at: Vec::new(),
        imports: Vec::new(),
        imports_lowered: 0,
    };
    let mut given = FxHashMap::default();
    let mut origins = FxHashMap::default();
    if let Some(params) = unit.params {
        loader.parameter_values(params, &mut given, &mut origins);
    }
    let Some(template) = loader.lower_file(unit.root, given) else {
        return Loaded {
            errors: loader.errors,
            ..Loaded::default()
        };
    };
    let schema = template.get("$schema").and_then(Json::as_str).unwrap_or("");
    let scope = DeploymentScope::from_schema(schema);
    let conventional: Vec<FileId> = match unit.params {
        Some(_) => Vec::new(),
        None => std::iter::once(unit.root).chain(unit.compiled).collect(),
    };
    let inputs = super::arm::parameter_inputs(
        unit.root,
        &template,
        sources,
        opts,
        &conventional,
        &mut loader.errors,
    );
    origins.extend(inputs.origins);
    // What the root deploys may depend on any value its parameter files give (a module's
    // condition, not only a property): its results depend on them.
    loader.imports.extend(unit.params.map(|p| (unit.root, p)));
    loader.imports.extend(inputs.imports);
    let space = Space::files(std::mem::take(&mut loader.space), Origin::Bicep);
    let mut loaded = template::load(space, &template, scope, inputs.given, origins);
    loaded.warnings.extend(inputs.warnings);
    loader.errors.append(&mut loaded.errors);
    loaded.errors = loader.errors;
    // A registry module that is not in the cache is a deployment without a template to the
    // evaluator, which says what it receives: one note, with the loader's reason.
    // A module in a loop is one such deployment per instance: all of them are that note.
    let mut notes = loader.notes;
    loaded.notes.retain_mut(|deployed| {
        let by_loader = notes.iter_mut().find(|n| {
            n.span.file == deployed.span.file
                && deployed.span.start <= n.span.start
                && n.span.end <= deployed.span.end
        });
        match by_loader {
            Some(n) => n.receives.append(&mut deployed.receives),
            None => return true,
        }
        false
    });
    loaded.notes.append(&mut notes);
    loaded.called_at = loader.called_at;
    loaded.imports = loader.imports;
    loaded
}

/// The most imported files lowered for one unit (each `import` lowers its file again).
const MAX_IMPORTS_LOWERED: usize = 1_000;

/// Deepest chain of `.bicepparam` files that extend one another.
const MAX_EXTENDS: usize = 16;

struct Loader<'s> {
    sources: &'s SourceMap,
    parses: &'s Parses,
    /// The files this load has parsed (or read from `parses`, once), by id.
    parsed: FxHashMap<FileId, Arc<ast::Parsed>>,
    /// The files placed in the offset space, with their bases.
    space: Vec<(usize, FileId)>,
    next_base: usize,
    /// The files being lowered, innermost last: a module that uses one of them is a cycle.
    stack: Vec<(PathBuf, FileId)>,
    errors: Vec<LoadError>,
    notes: Vec<Note>,
    /// Files imported from, placed once per load.
    imported: FxHashMap<PathBuf, (Arc<ast::Parsed>, usize)>,
    /// Registry modules read from the cache, with the module reference that uses each.
    called_at: Vec<(FileId, Span)>,
    /// Each file imported from or loaded as text, after the file reading it ([`Loaded::imports`]).
    imports: Vec<(FileId, FileId)>,
    /// Imported files lowered so far (bounded by [`MAX_IMPORTS_LOWERED`]).
    imports_lowered: usize,
}

impl Loader<'_> {
    /// The parse of `file`, read from the run's shared parses once per load.
    fn parse(&mut self, file: FileId) -> Arc<ast::Parsed> {
        if let Some(parsed) = self.parsed.get(&file) {
            return Arc::clone(parsed);
        }
        let parsed = self.parses.get(file, self.sources);
        self.parsed.insert(file, Arc::clone(&parsed));
        parsed
    }

    /// Give a file its base in the offset space.
    fn place(&mut self, file: FileId, len: usize) -> usize {
        let base = self.next_base;
        self.space.push((base, file));
        // One byte between files, so that an empty span at a file's end stays in it.
        self.next_base = base + len + 1;
        base
    }

    fn error(&mut self, file: FileId, span: std::ops::Range<usize>, message: String) {
        self.errors.push(LoadError {
            file,
            span: Some(Span::new(file, span)),
            message,
        });
    }

    /// Parse and lower one file (a root or a module) to its template.
    fn lower_file(&mut self, file: FileId, given: FxHashMap<String, Json>) -> Option<Json> {
        let source = self.sources.get(file);
        let parsed = self.parse(file);
        for e in &parsed.errors {
            self.error(file, e.span.clone(), e.message.clone());
        }
        let base = self.place(file, source.text.len());
        let declared: Vec<&str> = parsed
            .file
            .items
            .iter()
            .filter_map(|i| match &i.kind {
                ast::ItemKind::Param { name, .. } => Some(name.name.as_str()),
                _ => None,
            })
            .collect();
        for name in given.keys() {
            if !declared.contains(&name.as_str()) {
                self.errors.push(LoadError {
                    file,
                    span: None,
                    message: format!(
                        "the parameter file gives `{name}`, which this file does not declare"
                    ),
                });
            }
        }
        self.stack.push((source.path.clone(), file));
        let (template, problems) = {
            let mut lower = lower::Lower::new(&parsed.file, base, self);
            lower.given = given;
            lower.resolve_names();
            lower.template()
        };
        self.stack.pop();
        for p in problems {
            self.error(file, p.span, p.message);
        }
        Some(template)
    }

    /// The values a `.bicepparam` file gives, as JSON spanned in it, and where each is written.
    fn parameter_values(
        &mut self,
        params: FileId,
        given: &mut FxHashMap<String, Json>,
        origins: &mut FxHashMap<String, Span>,
    ) {
        let source = self.sources.get(params);
        let parsed = self.parse(params);
        for e in &parsed.errors {
            self.error(params, e.span.clone(), e.message.clone());
        }
        // `extends './base.bicepparam'`: the base file's values first, this file's win.
        let extends = parsed.file.items.iter().find_map(|i| match &i.kind {
            ast::ItemKind::Extends { path } => Some(path),
            _ => None,
        });
        if let Some(path) = extends {
            let dir = source.path.parent().unwrap_or(Path::new(""));
            let target = join_lexically(dir, Path::new(&path.value));
            self.stack.push((source.path.clone(), params));
            let cycle = self.stack.iter().any(|(p, _)| *p == target);
            if cycle || self.stack.len() > MAX_EXTENDS {
                self.error(
                    params,
                    path.span.clone(),
                    format!(
                        "`extends` names `{}` again: a cycle of parameter files",
                        path.value
                    ),
                );
            } else if let Some(base) = self.read(&target, path) {
                self.parameter_values(base, given, origins);
            }
            self.stack.pop();
        }
        let base = self.place(params, source.text.len());
        // Imports and loaded files are relative to the parameter file.
        self.stack.push((source.path.clone(), params));
        let mut lower = lower::Lower::new(&parsed.file, base, self);
        lower.inline_vars = true;
        lower.resolve_names();
        let mut values = Vec::new();
        for item in &parsed.file.items {
            if let ast::ItemKind::ParamValue { name, value } = &item.kind {
                values.push((
                    name.name.clone(),
                    lower.value(value, &lower::Cx::default()),
                    value.span.clone(),
                ));
            }
        }
        let problems = std::mem::take(&mut lower.problems);
        drop(lower);
        self.stack.pop();
        for p in problems {
            self.error(params, p.span, p.message);
        }
        for (name, json, span) in values {
            // Template parameter names are matched without case, as ARM does.
            origins.insert(name.to_ascii_lowercase(), Span::new(params, span));
            given.insert(name, json);
        }
    }

    /// The directory of the file being lowered.
    fn dir(&self) -> PathBuf {
        self.stack
            .last()
            .and_then(|(p, _)| p.parent().map(Path::to_path_buf))
            .unwrap_or_default()
    }

    fn current(&self) -> FileId {
        self.stack.last().map(|(_, f)| *f).unwrap_or(FileId(0))
    }

    /// Read a file (once per run: the source map keeps it) or report why not, at `at`.
    fn read(&mut self, path: &Path, at: &StrLit) -> Option<FileId> {
        self.read_in(path, at, None)
    }

    /// [`Loader::read`], a data file in `encoding` when one is given.
    fn read_in(
        &mut self,
        path: &Path,
        at: &StrLit,
        encoding: Option<crate::load::TextEncoding>,
    ) -> Option<FileId> {
        if let Some(id) = self.sources.find(path) {
            return Some(id);
        }
        let text = match encoding {
            Some(e) => self.sources.read_decoded(path, e),
            None => self.sources.read_text(path),
        };
        match text {
            Ok(text) => Some(
                self.sources
                    .add(SourceFile::read(path.to_path_buf(), Arc::from(text))),
            ),
            Err(e) => {
                let file = self.current();
                self.error(
                    file,
                    at.span.clone(),
                    format!(
                        "cannot read `{}`: {}{}",
                        at.value,
                        e.strip_prefix("cannot read: ").unwrap_or(&e),
                        crate::load::case_hint(path)
                    ),
                );
                None
            }
        }
    }
}

impl lower::Files for Loader<'_> {
    fn module(&mut self, path: &StrLit) -> Result<Json, ()> {
        let file = self.current();
        let target = if is_registry(&path.value) {
            match registry::cached_template(&path.value, &self.dir()) {
                Ok(cached) => cached,
                Err(why) => {
                    // Like a remote Terraform module that was not downloaded: what it deploys
                    // is not analysed, and the results say so.
                    self.notes.push(Note {
                        resource: format!("module {}", path.value),
                        span: Span::new(file, path.span.clone()),
                        unknown: Unknown::new(format!("module '{}'", path.value), why),
                        receives: Vec::new(),
                    });
                    return Err(());
                }
            }
        } else {
            join_lexically(&self.dir(), Path::new(&path.value))
        };
        if let Some(i) = self.stack.iter().position(|(p, _)| *p == target) {
            let chain = cycle_names(&self.stack[i..]);
            self.error(
                file,
                path.span.clone(),
                format!("module cycle: {chain} (not analysed again)"),
            );
            return Err(());
        }
        if self.stack.len() > crate::limits::current().deployment_depth {
            self.error(
                file,
                path.span.clone(),
                "modules nested too deeply: not analysed".to_string(),
            );
            return Err(());
        }
        let mut id = self.read(&target, path).ok_or(())?;
        if is_registry(&path.value) {
            // Each use of a registry module is a file of its own, so that results in it are
            // reported at the module statement of that use, not of the first one.
            if self.called_at.iter().any(|(used, _)| *used == id) {
                let source = self.sources.get(id);
                id = self
                    .sources
                    .add(SourceFile::read(source.path.clone(), source.text.clone()));
            }
            self.called_at
                .push((id, Span::new(file, path.span.clone())));
        }
        let is_json = target
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"));
        if is_json {
            // An ARM template used as a module: its JSON, placed in the offset space.
            let source = self.sources.get(id);
            return match json::parse(&source.text) {
                Ok(mut doc) => {
                    let base = self.place(id, source.text.len());
                    shift(&mut doc, base);
                    Ok(doc)
                }
                Err(e) => {
                    self.error(
                        id,
                        e.offset..e.offset,
                        format!("invalid JSON: {}", e.message),
                    );
                    Err(())
                }
            };
        }
        self.lower_file(id, FxHashMap::default()).ok_or(())
    }

    fn load_text(&mut self, path: &StrLit, encoding: crate::load::TextEncoding) -> Option<String> {
        self.load_text_file(path, encoding)
    }

    fn import(&mut self, path: &StrLit) -> lower::Imported {
        if is_registry(&path.value) {
            return lower::Imported::Registry;
        }
        let target = join_lexically(&self.dir(), Path::new(&path.value));
        let Some(id) = self.read(&target, path) else {
            return lower::Imported::Missing;
        };
        self.depends_on(id);
        if let Some((file, base)) = self.imported.get(&target) {
            return lower::Imported::File(file.clone(), *base);
        }
        // Syntax errors of the imported file are reported when it is analysed itself.
        let parsed = self.parse(id);
        let base = self.place(id, self.sources.get(id).text.len());
        self.imported.insert(target, (parsed.clone(), base));
        lower::Imported::File(parsed, base)
    }

    fn enter(&mut self, base: usize, at: &StrLit) -> Result<(), &'static str> {
        let Some(&(_, id)) = self.space.iter().find(|(b, _)| *b == base) else {
            return Err("from a file not read");
        };
        // Each import lowers the file imported from, and its imports in turn: files that import
        // the next one twice would double the work at each step.
        self.imports_lowered += 1;
        let too_many = self.imports_lowered > MAX_IMPORTS_LOWERED;
        if too_many || self.stack.len() > crate::limits::current().deployment_depth {
            let file = self.current();
            let why = match too_many {
                true => format!("more than {MAX_IMPORTS_LOWERED} imports in one analysis"),
                false => "imports nested too deeply".to_string(),
            };
            self.error(file, at.span.clone(), format!("{why}: not imported"));
            return Err("past the bounds of imports");
        }
        let path = self.sources.get(id).path.clone();
        if let Some(i) = self.stack.iter().position(|(p, _)| *p == path) {
            let chain = cycle_names(&self.stack[i..]);
            let file = self.current();
            self.error(
                file,
                at.span.clone(),
                format!("import cycle: {chain} (not imported again)"),
            );
            return Err("in a cycle of imports");
        }
        self.stack.push((path, id));
        Ok(())
    }

    fn leave(&mut self) {
        self.stack.pop();
    }
}

impl Loader<'_> {
    /// The file being lowered reads `file` (imports from it, or loads its text).
    fn depends_on(&mut self, file: FileId) {
        let edge = (self.current(), file);
        if !self.imports.contains(&edge) {
            self.imports.push(edge);
        }
    }

    fn load_text_file(
        &mut self,
        path: &StrLit,
        encoding: crate::load::TextEncoding,
    ) -> Option<String> {
        let target = join_lexically(&self.dir(), Path::new(&path.value));
        let id = self.read_in(&target, path, Some(encoding))?;
        self.depends_on(id);
        Some(self.sources.get(id).text.to_string())
    }
}

/// The files of a cycle, from the first back to it: `a.bicep → b.bicep → a.bicep`.
fn cycle_names(cycle: &[(PathBuf, FileId)]) -> String {
    let name = |p: &Path| {
        p.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    let names: Vec<String> = cycle.iter().map(|(p, _)| name(p)).collect();
    format!("{} → {}", names.join(" → "), name(&cycle[0].0))
}

/// Move every span of a JSON tree by `base`.
fn shift(j: &mut Json, base: usize) {
    j.span = j.span.start + base..j.span.end + base;
    match &mut j.value {
        JsonValue::Array(items) => items.iter_mut().for_each(|i| shift(i, base)),
        JsonValue::Object(members) => {
            for (k, v) in members {
                k.span = k.span.start + base..k.span.end + base;
                shift(v, base);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::module_paths;

    /// A module that two analyses use is parsed once for both, and freed after the second; a
    /// file only one reads is not kept.
    #[test]
    fn shared_parses_are_freed_after_their_last_reader() {
        use super::{Parses, SourceFile, SourceMap};
        use std::sync::Arc;
        let sources = SourceMap::default();
        let text = "param name string\n";
        let module = sources.add(SourceFile::read("m.bicep".into(), text.into()));
        let root = sources.add(SourceFile::read("main.bicep".into(), text.into()));
        let parses = Parses::default();
        parses.expect(module, 2);
        let first = parses.get(module, &sources);
        assert!(Arc::ptr_eq(&first, &parses.get(module, &sources)));
        assert!(parses.files.lock().unwrap().is_empty());
        // Past its expected readers (or never shared): parsed again, not kept.
        assert!(!Arc::ptr_eq(&first, &parses.get(module, &sources)));
        assert!(!Arc::ptr_eq(
            &parses.get(root, &sources),
            &parses.get(root, &sources)
        ));
        assert!(parses.files.lock().unwrap().is_empty());
    }

    #[test]
    fn module_paths_are_read_from_module_lines_only() {
        let text = "// a module 'x.bicep' in a comment\nparam modules int\r\n  module dns './dns.bicep' = {\r\n  name: 'module'\n}\nmodule reg 'br/public:avm/x:1.0' = {}\nmodule b './b.bicep' = { module: 1 }\nmodule";
        let paths: Vec<&str> = module_paths(text).collect();
        assert_eq!(paths, ["./dns.bicep", "./b.bicep"]);
    }
}
