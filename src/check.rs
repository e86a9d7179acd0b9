//! The pipeline: discover → read → load → model → link → rules → (suppress) → report.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::diagnostic::{Finding, Undetermined};
use crate::discover;
use crate::load::{arm, terraform, LoadError, Loaded};
use crate::report::Report;
use crate::source::{FileId, SourceFile, SourceMap};

use crate::load::read_text;
pub use crate::load::MAX_FILE_SIZE;

#[derive(Clone, Debug, Default)]
pub struct CheckOptions {
    pub paths: Vec<PathBuf>,
    pub exclude: Vec<String>,
    pub terraform: terraform::TfOptions,
    pub arm: arm::ArmOptions,
    /// Rule ids or prefixes to run (empty: all).
    pub select: Vec<String>,
    /// Rule ids or prefixes not to run.
    pub ignore: Vec<String>,
    /// Per-rule severity overrides from the configuration file.
    pub severity: std::collections::BTreeMap<String, crate::diagnostic::Severity>,
    /// Findings recorded earlier (`--baseline`): reported as suppressed.
    pub baseline: Option<crate::suppress::baseline::Baseline>,
    /// The day suppressions' `until=` dates are judged against.
    pub today: Option<crate::suppress::Date>,
}

impl CheckOptions {
    pub fn selects(&self, id: &str) -> bool {
        let matches = |p: &String| id.to_ascii_uppercase().starts_with(&p.to_ascii_uppercase());
        (self.select.is_empty() || self.select.iter().any(matches))
            && !self.ignore.iter().any(matches)
    }
}

/// A Terraform folder once read and parsed.
struct FolderRead {
    dir: PathBuf,
    /// Its [`terraform::folder_key`].
    key: PathBuf,
    files: Vec<FileId>,
    /// The keys of the local folders it calls.
    calls: Vec<PathBuf>,
    var_files: Vec<PathBuf>,
    errors: Vec<LoadError>,
}

/// One unit of analysis.
enum Scope {
    Terraform { dir: PathBuf, files: Vec<FileId> },
    Arm(FileId),
}

/// What one scope produced.
#[derive(Default)]
struct Outcome {
    findings: Vec<Finding>,
    undetermined: Vec<Undetermined>,
    errors: Vec<LoadError>,
    resources: usize,
}

/// Run a whole check. `Err` is a usage error (a bad glob).
pub fn check(opts: &CheckOptions) -> Result<Report, String> {
    if GLOBAL_POOL_READY.get().copied().unwrap_or(false) {
        return run(opts);
    }
    // Workers with stacks large enough for the loaders, so that no load needs a thread of its own.
    let pool = large_stack_pool(rayon::ThreadPoolBuilder::new())
        .build()
        .map_err(|e| format!("cannot start worker threads: {e}"))?;
    pool.install(|| run(opts))
}

static GLOBAL_POOL_READY: std::sync::OnceLock<bool> = std::sync::OnceLock::new();

/// Make rayon's global pool the loaders' pool (large stacks), so that `check` runs on it instead of
/// starting threads of its own each time. Programs call it once at start (the binary and the
/// benchmark do); without it, `check` still works, with a pool per call.
pub fn init_thread_pool() {
    GLOBAL_POOL_READY.get_or_init(|| {
        large_stack_pool(rayon::ThreadPoolBuilder::new())
            .build_global()
            .is_ok()
    });
}

fn large_stack_pool(builder: rayon::ThreadPoolBuilder) -> rayon::ThreadPoolBuilder {
    builder
        .stack_size(crate::load::STACK_BYTES)
        .start_handler(|_| crate::load::mark_large_stack())
}

fn run(opts: &CheckOptions) -> Result<Report, String> {
    let exclude = discover::excludes(&opts.exclude)?;
    let paths = if opts.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        opts.paths.clone()
    };
    let found = discover::discover(&paths, &exclude);
    let sources = Arc::new(SourceMap::default());
    let mut errors = Vec::new();
    for (path, message) in &found.errors {
        let file = sources.add(SourceFile::new(
            path.clone(),
            sources.display(path),
            "".into(),
        ));
        errors.push(LoadError {
            file,
            span: None,
            message: message.clone(),
        });
    }

    // One parallel pass reads every file and parses every Terraform folder (the parsed folders
    // are shared by every load). It also tells which folders other folders call as modules: a
    // called folder is analysed through its callers (with their arguments), not again on its own
    // with defaults, unless a file of it was passed explicitly. Source ids depend on the order
    // threads finish; nothing visible does (output is sorted by path and position).
    let mut modules = terraform::ModuleCache::default();
    // Add a file read (or not) to the source map; a file that could not be read is an error.
    let add = |path: &PathBuf, read: Result<String, String>, errors: &mut Vec<LoadError>| {
        let (text, error) = match read {
            Ok(text) => (text, None),
            Err(message) => (String::new(), Some(message)),
        };
        let file = sources.add(SourceFile::new(
            path.clone(),
            sources.display(path),
            text.into(),
        ));
        match error {
            None => Some(file),
            Some(message) => {
                errors.push(LoadError {
                    file,
                    span: None,
                    message,
                });
                None
            }
        }
    };
    let tf_units: Vec<(&PathBuf, &BTreeSet<PathBuf>)> = found.terraform.iter().collect();
    let tf_read: Vec<FolderRead> = tf_units
        .par_iter()
        .map(|(dir, paths)| {
            let mut errors = Vec::new();
            let files: Vec<FileId> = paths
                .iter()
                .filter_map(|p| add(p, read_text(p), &mut errors))
                .collect();
            let (key, calls) = if files.is_empty() {
                (terraform::folder_key(dir), Vec::new())
            } else {
                terraform::parse_folder(dir, &files, &sources, &modules)
            };
            FolderRead {
                dir: (*dir).clone(),
                key,
                files,
                calls,
                var_files: found.var_files.get(*dir).cloned().unwrap_or_default(),
                errors,
            }
        })
        .collect();
    let arm_read: Vec<(Option<FileId>, Vec<LoadError>)> = found
        .json
        .par_iter()
        .map(|path| {
            // Other JSON (package.json, parameter files, tsconfig) is skipped quietly.
            let mut errors = Vec::new();
            let file = match read_text(path) {
                Ok(text) if !arm::is_template(&text) => None,
                read => add(path, read, &mut errors),
            };
            (file, errors)
        })
        .collect();
    let mut scopes = Vec::new();
    let mut scanned = 0;
    for (file, mut errs) in arm_read {
        scanned += usize::from(file.is_some()) + errs.len();
        scopes.extend(file.map(Scope::Arm));
        errors.append(&mut errs);
    }
    let called: rustc_hash::FxHashSet<&PathBuf> =
        tf_read.iter().flat_map(|folder| &folder.calls).collect();
    let mut tf_scopes = Vec::new();
    for folder in &tf_read {
        scanned += folder.files.len() + folder.errors.len();
        errors.extend(folder.errors.iter().cloned());
        if folder.files.is_empty() {
            continue;
        }
        let explicit = !found.explicit.is_empty()
            && folder
                .files
                .iter()
                .any(|f| found.explicit.contains(&sources.get(*f).path));
        if explicit || !called.contains(&folder.key) {
            tf_scopes.push(Scope::Terraform {
                dir: folder.dir.clone(),
                files: folder.files.clone(),
            });
        }
    }
    for folder in tf_read {
        modules.set_var_files(folder.key, folder.var_files);
    }
    scopes.extend(tf_scopes);
    let modules = modules;
    let scanned = scanned + found.errors.len();

    let outcomes: Vec<Outcome> = scopes
        .par_iter()
        .map(|scope| analyse(scope, &sources, opts, &modules))
        .collect();
    let mut report = Report {
        files: scanned,
        ..Report::default()
    };
    for mut o in outcomes {
        report.findings.append(&mut o.findings);
        report.undetermined.append(&mut o.undetermined);
        errors.append(&mut o.errors);
        report.resources += o.resources;
    }
    report.errors = errors;

    // Severity overrides, then suppressions, in one place after the rules and before the
    // explicit-file filter (so problems in suppression comments are judged with the findings).
    crate::config::apply_severity(&mut report.findings, &opts.severity);
    report.sources = Arc::clone(&sources);
    let today = opts.today.unwrap_or_else(crate::suppress::Date::today);
    crate::suppress::apply(
        &mut report,
        today,
        &crate::suppress::SuppressOptions::default(),
    );
    if let Some(baseline) = &opts.baseline {
        report.baseline_stale = crate::suppress::baseline::apply(&mut report, baseline);
    }

    if !found.explicit.is_empty() {
        let explicit: BTreeSet<PathBuf> = found.explicit.iter().map(|p| canonical(p)).collect();
        let keep = |file: FileId| explicit.contains(&canonical(&sources.get(file).path));
        report.findings.retain(|f| keep(f.primary.span.file));
        report
            .suppressed
            .retain(|s| keep(s.finding.primary.span.file));
        report.undetermined.retain(|u| keep(u.span.file));
        report.errors.retain(|e| keep(e.file));
    }
    report.sort();
    Ok(report)
}

/// Analyse one scope. A bug that panics costs this scope only: it becomes an error entry, and
/// every other scope is still reported.
fn analyse(
    scope: &Scope,
    sources: &SourceMap,
    opts: &CheckOptions,
    modules: &terraform::ModuleCache,
) -> Outcome {
    let run = || analyse_scope(scope, sources, opts, modules);
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(run)).unwrap_or_else(|_| {
        let file = match scope {
            Scope::Terraform { files, .. } => files[0],
            Scope::Arm(file) => *file,
        };
        Outcome {
            errors: vec![LoadError {
                file,
                span: None,
                message: "internal error while analysing this file's scope (a bug in acrlint: please report it)".into(),
            }],
            ..Outcome::default()
        }
    })
}

fn analyse_scope(
    scope: &Scope,
    sources: &SourceMap,
    opts: &CheckOptions,
    modules: &terraform::ModuleCache,
) -> Outcome {
    let Loaded {
        resources,
        errors,
        notes,
    } = match scope {
        Scope::Terraform { dir, files } => {
            terraform::load_module_with(dir, files, sources, &opts.terraform, modules)
        }
        Scope::Arm(file) => arm::load_template(*file, sources, &opts.arm),
    };
    let model = crate::model::build(&resources);
    let graph = crate::link::link(&model);
    let (findings, mut undetermined) = crate::rules::run(&model, &graph, &|id| opts.selects(id));
    // What a loader could not analyse at all affects every rule (`*`).
    undetermined.extend(notes.into_iter().map(|n| Undetermined {
        rule: "*",
        resource: n.resource,
        message: format!("{} {}", n.unknown.depends_on, n.unknown.reason),
        depends_on: n.unknown.depends_on,
        span: n.span,
    }));
    Outcome {
        findings,
        undetermined,
        errors,
        resources: resources.len(),
    }
}

fn canonical(path: &Path) -> PathBuf {
    path.canonicalize().unwrap_or_else(|_| path.to_path_buf())
}
