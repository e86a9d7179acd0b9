//! The pipeline: discover → read → load → model → link → rules → (suppress) → report.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::diagnostic::{Finding, Undetermined};
use crate::discover;
use crate::load::{arm, bicep, plan, terraform, LoadError, Loaded};
use crate::report::Report;
use crate::source::{FileId, SourceFile, SourceMap};

#[derive(Clone, Debug, Default)]
pub struct CheckOptions {
    pub paths: Vec<PathBuf>,
    /// Terraform plans in JSON (`--plan`), whatever their names.
    pub plans: Vec<PathBuf>,
    pub exclude: Vec<String>,
    /// Links and ignore files (`--follow-links`, `--no-ignore`).
    pub walk: discover::WalkOptions,
    pub terraform: terraform::TfOptions,
    pub arm: arm::ArmOptions,
    /// Rule ids or prefixes to run, or `ALL` (empty: the rules on by default).
    pub select: Vec<String>,
    /// Rule ids or prefixes not to run, or `ALL`.
    pub ignore: Vec<String>,
    /// Per-rule severity overrides from the configuration file.
    pub severity: std::collections::BTreeMap<String, crate::diagnostic::Severity>,
    /// Findings recorded earlier (`--baseline`): reported as suppressed.
    pub baseline: Option<crate::suppress::baseline::Baseline>,
    /// The day suppressions' `until=` dates are judged against.
    pub today: Option<crate::suppress::Date>,
    /// Build each registry's chain for the report (`--format markdown` and `dot` draw them).
    pub chains: bool,
    /// Work out each finding's fix (`--fix`, `--diff`, the JSON and SARIF output, the language
    /// server's quick fixes); other runs skip the work.
    pub fixes: bool,
    /// Texts that replace files on disk (the language server's unsaved documents).
    pub overlay: crate::source::Overlay,
    /// Language server mode: record each unit's [`crate::report::Scope`] in the report, and
    /// report every result of the units analysed (files passed choose the units, as on the
    /// command line, but do not filter what is reported).
    pub scopes: bool,
}

impl CheckOptions {
    /// What `.acrlint.toml` says, with `settings` (the file's merged with the command line's,
    /// [`crate::config::Config::merge`]): the options every front end starts from. Terraform reads
    /// the settings' variable files first, then `var_inputs` (the command line's `--var` and
    /// `--var-file`, in order), and what it would read from this process's environment
    /// (`TF_VAR_name`, `TF_WORKSPACE`). Paths, plans and what the output needs are the caller's.
    pub fn configured(
        config: &crate::config::Config,
        settings: crate::config::Settings,
        var_inputs: Vec<terraform::VarInput>,
    ) -> CheckOptions {
        let mut inputs: Vec<terraform::VarInput> = (settings.var_files.into_iter())
            .map(terraform::VarInput::File)
            .collect();
        inputs.extend(var_inputs);
        CheckOptions {
            exclude: settings.exclude,
            walk: discover::WalkOptions {
                follow_links: config.follow_links,
                no_ignore: config.no_ignore,
            },
            terraform: terraform::TfOptions {
                inputs,
                environment: terraform::Environment::from_process(),
            },
            arm: arm::ArmOptions {
                parameter_files: settings.parameter_files,
            },
            select: settings.select,
            ignore: settings.ignore,
            severity: config.severity.clone(),
            ..CheckOptions::default()
        }
    }

    /// Whether `rule` runs: without `select`, the rules on by default (opinionated hardening
    /// advice is left to `select`); with it, the rules it names. `ignore` wins.
    pub fn selects(&self, rule: &crate::rules::meta::RuleMeta) -> bool {
        let id = rule.id.as_str();
        let matches = |p: &String| {
            p.eq_ignore_ascii_case(crate::config::ALL)
                || id.to_ascii_uppercase().starts_with(&p.to_ascii_uppercase())
        };
        let selected = if self.select.is_empty() {
            rule.default
        } else {
            self.select.iter().any(matches)
        };
        selected && !self.ignore.iter().any(matches)
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
}

/// What visiting one folder produced.
struct Visited {
    terraform: Option<FolderRead>,
    /// The ARM templates among its JSON files.
    templates: Vec<FileId>,
    /// Its `.bicep` and `.bicepparam` files.
    bicep: Vec<FileId>,
    /// The Terraform plans (`terraform show -json`) among its JSON files.
    plans: Vec<FileId>,
    /// Files that could not be read.
    errors: Vec<LoadError>,
    /// Files named on the command line that are not analysed.
    warnings: Vec<crate::report::Warning>,
}

/// Read the files of one folder as the walk lists it: a Terraform folder is parsed into the module
/// cache; templates are read (and analysed later, with the Terraform roots).
fn read_folder(
    mut folder: discover::Folder,
    sources: &SourceMap,
    modules: &terraform::ModuleCache,
) -> Visited {
    if let Some(names) = folder.parameter_files.take() {
        sources.note_parameter_files(folder.dir.clone(), names);
    }
    let mut errors = Vec::new();
    let terraform = (!folder.terraform.is_empty()).then(|| {
        let files: Vec<FileId> = folder
            .terraform
            .iter()
            .filter_map(|p| add_source(sources, p, sources.read_text(p), &mut errors))
            .collect();
        let (key, calls) = if files.is_empty() {
            (terraform::folder_key(&folder.dir), Vec::new())
        } else {
            terraform::parse_folder(&folder.dir, &files, sources, modules)
        };
        FolderRead {
            dir: folder.dir,
            key,
            files,
            calls,
            var_files: folder.var_files,
        }
    });
    // Read in parallel: a folder may hold hundreds of templates.
    let explicit = folder.explicit.as_deref();
    let mut warnings = Vec::new();
    // Per file: what was read, its errors, a warning, whether it is a plan.
    type Read = (Option<FileId>, Vec<LoadError>, Option<String>, bool);
    let read: Vec<Read> = folder
        .json
        .par_iter()
        .map(|path| {
            // Other JSON (package.json, parameter files, tsconfig) is skipped quietly, unless
            // it was named on the command line. A plan is told from a template by its content
            // (a plan may embed a template), before templates.
            let mut errors = Vec::new();
            let mut warning = None;
            let mut is_plan = false;
            let file = match sources.read_text(path) {
                Ok(text) if plan::is_plan(&text) => {
                    is_plan = true;
                    add_source(sources, path, Ok(text), &mut errors)
                }
                Ok(text) if !arm::is_template(&text) => {
                    if explicit == Some(path.as_path()) {
                        warning = crate::classify::json_not_analysed(&text);
                    }
                    None
                }
                read => add_source(sources, path, read, &mut errors),
            };
            (file, errors, warning, is_plan)
        })
        .collect();
    let mut templates = Vec::new();
    let mut plans = Vec::new();
    for ((file, mut errs, warning, is_plan), path) in read.into_iter().zip(&folder.json) {
        match is_plan {
            true => plans.extend(file),
            false => templates.extend(file),
        }
        errors.append(&mut errs);
        warnings.extend(warning.map(|message| crate::report::Warning {
            path: crate::source::display_path(path),
            message,
        }));
    }
    let bicep: Vec<(Option<FileId>, Vec<LoadError>)> = folder
        .bicep
        .par_iter()
        .map(|path| {
            let mut errors = Vec::new();
            (
                add_source(sources, path, sources.read_text(path), &mut errors),
                errors,
            )
        })
        .collect();
    let bicep = bicep
        .into_iter()
        .filter_map(|(file, mut errs)| {
            errors.append(&mut errs);
            file
        })
        .collect();
    Visited {
        terraform,
        templates,
        bicep,
        plans,
        errors,
        warnings,
    }
}

/// Add a file read (or not) to the source map; a file that could not be read is an error.
fn add_source(
    sources: &SourceMap,
    path: &Path,
    read: Result<String, String>,
    errors: &mut Vec<LoadError>,
) -> Option<FileId> {
    let (text, error) = match read {
        Ok(text) => (text, None),
        Err(message) => (String::new(), Some(message)),
    };
    let file = sources.add(SourceFile::read(path.to_path_buf(), text.into()));
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
}

/// One unit of analysis.
enum Unit {
    Terraform {
        dir: PathBuf,
        files: Vec<FileId>,
        /// Whether it calls local modules.
        calls: bool,
    },
    Arm(FileId),
    /// A template compiled from a Bicep module: analysed through the callers of its source,
    /// only its syntax is checked on its own.
    CompiledModule(FileId),
    Bicep(bicep::Unit),
    /// A Terraform plan, with its configuration folder when it is found (see [`plan_config`]).
    Plan {
        file: FileId,
        config: Option<PlanConfig>,
    },
}

/// The configuration folder of a plan: its `.tf` files, and whether discovery walked it (then
/// it is also analysed on its own, and the plan's results replace its).
struct PlanConfig {
    dir: PathBuf,
    files: Vec<FileId>,
    walked: bool,
}

/// What one scope produced.
#[derive(Default)]
struct Outcome {
    findings: Vec<Finding>,
    undetermined: Vec<Undetermined>,
    errors: Vec<LoadError>,
    resources: usize,
    chains: Vec<crate::chain::Chain>,
    warnings: Vec<crate::report::Warning>,
    /// A Terraform root: its [`terraform::folder_key`].
    tf_key: Option<PathBuf>,
    /// A plan of a walked configuration folder: the folder's key and the plan's resources
    /// (addresses without instance keys), whose results replace that folder's.
    covers: Option<(PathBuf, rustc_hash::FxHashSet<String>)>,
    /// The files of its resources and results (recorded with [`CheckOptions::scopes`]).
    files: Vec<FileId>,
    /// The files it imported from or read as data ([`Loaded::imports`]).
    read: Vec<FileId>,
}

/// What each unit covers, for the language server: how to analyse it again and which files
/// belong to it.
fn scope_info(
    units: &[Unit],
    outcomes: &[Outcome],
    sources: &SourceMap,
    modules: &terraform::ModuleCache,
    compiled: &rustc_hash::FxHashMap<FileId, PathBuf>,
) -> Vec<crate::report::Scope> {
    let path = |file: FileId| terraform::folder_key(&sources.get(file).path);
    units
        .iter()
        .zip(outcomes)
        // A compiled module is judged through its callers' scopes, which read its source.
        .filter(|(unit, _)| !matches!(unit, Unit::CompiledModule(_)))
        .map(|(unit, outcome)| {
            let (entries, folders) = match unit {
                Unit::Terraform { dir, files, .. } => (
                    vec![sources.get(files[0]).path.clone()],
                    modules.reach(&terraform::folder_key(dir)),
                ),
                // A template compiled from a Bicep root is chosen with its source (and the root
                // with it, below), so that a run on those paths pairs them again.
                Unit::Arm(file) => {
                    let source = compiled.get(file).cloned();
                    let entries = std::iter::once(sources.get(*file).path.clone()).chain(source);
                    (entries.collect(), Vec::new())
                }
                Unit::CompiledModule(file) => (vec![sources.get(*file).path.clone()], Vec::new()),
                // A plan is analysed again when it or its configuration's files change.
                Unit::Plan { file, config } => (
                    vec![sources.get(*file).path.clone()],
                    config
                        .iter()
                        .map(|c| terraform::folder_key(&c.dir))
                        .collect(),
                ),
                Unit::Bicep(unit) => {
                    let files = std::iter::once(unit.root)
                        .chain(unit.params)
                        .chain(unit.compiled);
                    (
                        files.map(|f| sources.get(f).path.clone()).collect(),
                        Vec::new(),
                    )
                }
            };
            let mut files: Vec<PathBuf> = outcome.files.iter().map(|&f| path(f)).collect();
            files.extend(entries.iter().map(|e| terraform::folder_key(e)));
            files.sort();
            files.dedup();
            crate::report::Scope {
                entries,
                folders,
                files,
            }
        })
        .collect()
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
    let mut paths = if opts.paths.is_empty() {
        // `--plan` alone checks the plans only.
        match opts.plans.is_empty() {
            true => vec![PathBuf::from(".")],
            false => Vec::new(),
        }
    } else {
        opts.paths.clone()
    };
    // A variable or parameter file that applies to every module or template (`--var-file`,
    // `var-files`, `--parameters`, `parameter-files`), passed without them: what a run without
    // paths checks is loaded, and what depends on the file is reported.
    if paths.iter().any(|p| applies_everywhere(p, opts)) {
        paths.push(PathBuf::from("."));
    }
    // A path that is neither a file nor a folder (a FIFO, a device) is an error entry, not
    // walked: reading it would block or never end.
    let mut special = Vec::new();
    paths.retain(|p| match std::fs::metadata(p) {
        Ok(meta) if !meta.is_file() && !meta.is_dir() => {
            special.push(p.clone());
            false
        }
        _ => true,
    });
    let sources = Arc::new(SourceMap::with_overlay(opts.overlay.clone()));
    let modules = terraform::ModuleCache::default();
    let parses = bicep::Parses::default();

    // One parallel pass walks the folders and, as each is listed, reads its files: a Terraform
    // folder is parsed into the shared module cache (every later load reuses it); templates are
    // read. (Analysing templates in this pass too measured slower: more CPU time for the same
    // instructions.) Source ids depend on the order threads finish; nothing visible does (output
    // is sorted by path and position).
    let visit = |folder| read_folder(folder, &sources, &modules);
    let walked = discover::walk(&paths, &exclude, opts.walk, &visit);

    let mut errors = Vec::new();
    for path in &special {
        let file = sources.add(SourceFile::read(path.clone(), "".into()));
        errors.push(LoadError {
            file,
            span: None,
            message: crate::load::read_text(path)
                .err()
                .unwrap_or_else(|| "not a regular file: not scanned".into()),
        });
    }
    for (path, message) in &walked.errors {
        let file = sources.add(SourceFile::read(path.clone(), "".into()));
        errors.push(LoadError {
            file,
            span: None,
            message: message.clone(),
        });
    }
    let mut warnings: Vec<crate::report::Warning> = walked
        .warnings
        .iter()
        .map(|(path, message)| crate::report::Warning {
            path: crate::source::display_path(path),
            message: message.clone(),
        })
        .collect();
    let mut scanned = walked.errors.len() + special.len();
    let mut scopes = Vec::new();
    let mut folders = Vec::new();
    let mut bicep_files = Vec::new();
    let mut plan_files = read_plans(&opts.plans, &sources, &mut errors);
    scanned += opts.plans.len();
    for mut v in walked.visited {
        scanned += v.errors.len() + v.templates.len() + v.bicep.len() + v.plans.len();
        errors.append(&mut v.errors);
        warnings.append(&mut v.warnings);
        scopes.extend(v.templates.into_iter().map(Unit::Arm));
        bicep_files.append(&mut v.bicep);
        plan_files.append(&mut v.plans);
        folders.extend(v.terraform);
    }
    // A plan named by `--plan` and found by the walk too is analysed once.
    let mut seen_plans = rustc_hash::FxHashSet::default();
    plan_files.retain(|f| seen_plans.insert(canonical(&sources.get(*f).path)));
    plan_files.sort_by(|a, b| sources.get(*a).path.cmp(&sources.get(*b).path));
    for file in plan_files {
        let config = plan_config(file, &folders, &opts.paths, &sources, &mut errors);
        scopes.push(Unit::Plan { file, config });
    }
    let given = given_bicep_params(opts, &sources, &mut bicep_files, &mut errors);
    scanned += given.new;
    // Sorted, so that which parameter file is named first does not depend on thread timing.
    bicep_files.sort_by_cached_key(|f| sources.get(*f).path.clone());
    let mut bicep_units = bicep::units(&bicep_files, &given.files, &sources, &parses);
    errors.append(&mut bicep_units.errors);
    for (file, target) in &bicep_units.unused {
        warnings.push(crate::report::Warning {
            path: crate::source::display_path(&sources.get(*file).path),
            message: format!(
                "its `using` names {}, which is not a Bicep file checked here: its values are not used",
                crate::source::display_path(target)
            ),
        });
    }
    let compiled = compiled_templates(&scopes, &bicep_files, &bicep_units.modules, &sources);
    through_callers(&mut scopes, &compiled, &bicep_units.modules, &sources);
    let compiled_from: rustc_hash::FxHashMap<&PathBuf, FileId> = compiled
        .iter()
        .map(|(&json, source)| (source, json))
        .collect();
    for unit in bicep_units.units.iter_mut().filter(|u| u.params.is_none()) {
        unit.compiled = compiled_from.get(&sources.get(unit.root).path).copied();
    }
    scopes.extend(bicep_units.units.into_iter().map(Unit::Bicep));

    // `--var` sets variables of root modules, as in Terraform: a folder that declares one is
    // deployed as a root, whoever else calls it (a test harness, an example).
    let var_names: Vec<&str> = (opts.terraform.inputs.iter())
        .filter_map(|input| match input {
            terraform::VarInput::Var(name, _) => Some(name.as_str()),
            terraform::VarInput::File(_) => None,
        })
        .collect();
    let declared: Vec<Vec<&str>> = folders
        .iter()
        .map(|folder| {
            (var_names.iter().copied())
                .filter(|name| {
                    (folder.files.iter()).any(|f| declares_variable(&sources.get(*f).text, name))
                })
                .collect()
        })
        .collect();
    let explicit: Vec<bool> = folders
        .iter()
        .zip(&declared)
        .map(|(folder, declared)| {
            !declared.is_empty()
                || !walked.explicit.is_empty()
                    && folder
                        .files
                        .iter()
                        .any(|f| walked.explicit.contains(&sources.get(*f).path))
        })
        .collect();
    let is_root = roots(&folders, &explicit);
    for name in &var_names {
        let used = (declared.iter().zip(&is_root)).any(|(d, &root)| root && d.contains(name));
        if !used {
            warnings.push(crate::report::Warning {
                path: format!("--var {name}"),
                message: format!(
                    "no root module analysed declares the variable `{name}`: the value is not used"
                ),
            });
        }
    }
    for (folder, root) in folders.iter().zip(is_root) {
        scanned += folder.files.len();
        if root {
            scopes.push(Unit::Terraform {
                dir: folder.dir.clone(),
                files: folder.files.clone(),
                calls: !folder.calls.is_empty(),
            });
        }
    }
    let mut modules = modules;
    for folder in folders {
        modules.set_var_files(folder.key, folder.var_files);
    }
    let modules = modules;
    // Module chains first: the longest analyses start early and do not finish last alone.
    scopes.sort_by_key(|scope| !matches!(scope, Unit::Terraform { calls: true, .. }));
    let outcomes: Vec<Outcome> = scopes
        .par_iter()
        .map(|scope| analyse(scope, &sources, opts, &modules, &parses))
        .collect();
    let units = match opts.scopes {
        true => scope_info(&scopes, &outcomes, &sources, &modules, &compiled),
        false => Vec::new(),
    };

    let mut report = Report {
        files: scanned,
        warnings,
        scopes: units,
        ..Report::default()
    };
    let mut outcomes = outcomes;
    drop_planned_duplicates(&mut outcomes);
    // Resources are counted once per configuration: a Bicep root analysed once per parameter
    // file, and the template compiled from a Bicep file analysed beside it, hold the same ones.
    let mut counted_roots = rustc_hash::FxHashSet::default();
    let mut read = Vec::new();
    for (scope, mut o) in scopes.iter().zip(outcomes) {
        let counted = match scope {
            Unit::Bicep(unit) => counted_roots.insert(unit.root),
            Unit::Arm(file) => !compiled.contains_key(file),
            Unit::CompiledModule(_) => false,
            _ => true,
        };
        report.warnings.append(&mut o.warnings);
        report.findings.append(&mut o.findings);
        report.undetermined.append(&mut o.undetermined);
        errors.append(&mut o.errors);
        report.resources += if counted { o.resources } else { 0 };
        report.chains.append(&mut o.chains);
        read.append(&mut o.read);
    }
    let (read, unread) = data_read(&walked.data, &read, &sources);
    report.warnings.extend(unread);
    // Files passed: only what depends on them is reported. A data file that nothing read is
    // not analysed, as if not passed, but the configuration loaded to look for its reader is
    // not reported either, unless a folder passed holds it.
    let files_passed = !walked.explicit.is_empty()
        || !read.is_empty()
        || !walked.data.is_empty() && opts.paths.iter().all(|p| !p.is_dir());
    let mut passed = walked.explicit;
    passed.extend(read);
    let passed = files_passed.then_some(passed);
    report.errors = errors;
    drop_compiled_duplicates(&mut report, &compiled, &sources);
    // The parsed modules are no longer needed: a worker frees them while the report is finished.
    let (report, ()) = rayon::join(
        || finish(report, &sources, opts, passed.as_ref()),
        move || drop((modules, parses)),
    );
    Ok(report)
}

/// The `.bicepparam` files given with `--parameters`.
struct GivenParams {
    files: Vec<FileId>,
    /// How many of them the walk had not read.
    new: usize,
}

/// `--parameters X.bicepparam`, as `az deployment` takes it: the values of the Bicep root that
/// its `using` names, in place of the `.bicepparam` files beside that root. Read here when the
/// walk did not read it, and added to the Bicep files.
fn given_bicep_params(
    opts: &CheckOptions,
    sources: &SourceMap,
    bicep_files: &mut Vec<FileId>,
    errors: &mut Vec<LoadError>,
) -> GivenParams {
    let mut given = GivenParams {
        files: Vec::new(),
        new: 0,
    };
    let paths = opts.arm.parameter_files.iter();
    for path in paths.filter(|p| bicep::is_param_file(p)) {
        let key = canonical(path);
        let walked = (bicep_files.iter()).find(|&&f| canonical(&sources.get(f).path) == key);
        let id = match walked.copied() {
            Some(id) => Some(id),
            None => {
                given.new += 1;
                let id = add_source(sources, path, crate::load::read_text(path), errors);
                bicep_files.extend(id);
                id
            }
        };
        given.files.extend(id);
    }
    given
}

/// Files passed as data of a configuration (see [`discover::Walked::data`]): those an analysis
/// read, which are then passed as any file is, and a warning for each of the others (what was
/// passed is not analysed, and it says why).
fn data_read(
    data: &[(PathBuf, String)],
    read: &[FileId],
    sources: &SourceMap,
) -> (Vec<PathBuf>, Vec<crate::report::Warning>) {
    if data.is_empty() {
        return (Vec::new(), Vec::new());
    }
    let read: BTreeSet<PathBuf> = read
        .iter()
        .map(|&f| canonical(&sources.get(f).path))
        .collect();
    let (found, unread): (Vec<_>, Vec<_>) = data
        .iter()
        .partition(|(path, _)| read.contains(&canonical(path)));
    let warnings = unread
        .into_iter()
        .map(|(path, why)| crate::report::Warning {
            path: crate::source::display_path(path),
            message: format!(
                "{why}; no configuration beside or above it reads it (Terraform `file()`, Bicep \
                 `loadTextContent()`)"
            ),
        })
        .collect();
    (
        found.into_iter().map(|(path, _)| path.clone()).collect(),
        warnings,
    )
}

/// Whether a Terraform file declares the variable `name` (`variable "name" {`, or in JSON a
/// `"variable"` object with that key).
fn declares_variable(text: &str, name: &str) -> bool {
    let hcl = text.match_indices("variable").any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let rest = text[at + "variable".len()..].trim_start_matches([' ', '\t']);
        before.is_none_or(|c| c == '\n' || c == ' ' || c == '\t')
            && rest
                .strip_prefix('"')
                .and_then(|r| r.strip_prefix(name))
                .is_some_and(|r| r.starts_with('"'))
    });
    hcl || text.contains("\"variable\"") && text.contains(&format!("\"{name}\""))
}

/// Which Terraform folders are analysed as root modules. A folder that another folder calls as a
/// module is analysed through its callers (with their arguments), not again on its own with
/// defaults, unless a file of it was passed explicitly (`explicit`, by index). But a folder that
/// is called only from within a cycle of calls (one that calls itself, or two that call each
/// other) has no caller outside it: without a root of its own it would never be analysed, and no
/// error would say so. So each folder that no root reaches through calls becomes a root too, the
/// first by path of its cycle (so the choice does not depend on the order of the walk); its load
/// reports the cycle at the call that closes it and analyses every resource it can.
fn roots(folders: &[FolderRead], explicit: &[bool]) -> Vec<bool> {
    let index: rustc_hash::FxHashMap<&PathBuf, usize> = folders
        .iter()
        .enumerate()
        .map(|(i, folder)| (&folder.key, i))
        .collect();
    let called: rustc_hash::FxHashSet<&PathBuf> =
        folders.iter().flat_map(|folder| &folder.calls).collect();
    let mut root: Vec<bool> = folders
        .iter()
        .zip(explicit)
        .map(|(folder, &explicit)| {
            !folder.files.is_empty() && (explicit || !called.contains(&folder.key))
        })
        .collect();
    // Every folder that the roots reach through calls.
    let mut reached = vec![false; folders.len()];
    let reach = |start: usize, reached: &mut Vec<bool>| {
        let mut todo = vec![start];
        while let Some(i) = todo.pop() {
            if std::mem::replace(&mut reached[i], true) {
                continue;
            }
            todo.extend(
                folders[i]
                    .calls
                    .iter()
                    .filter_map(|key| index.get(key).copied()),
            );
        }
    };
    for i in (0..folders.len()).filter(|&i| root[i]) {
        reach(i, &mut reached);
    }
    let mut unreached: Vec<usize> = (0..folders.len())
        .filter(|&i| !reached[i] && !folders[i].files.is_empty())
        .collect();
    unreached.sort_by(|&a, &b| folders[a].key.cmp(&folders[b].key));
    for i in unreached {
        if !reached[i] {
            root[i] = true;
            reach(i, &mut reached);
        }
    }
    root
}

/// Severity overrides, then suppressions, in one place after the rules and before the
/// explicit-file filter (so problems in suppression comments are judged with the findings, and
/// a suppressed finding of another file stays suppressed, not reported); then the sort that
/// makes output deterministic.
fn finish(
    mut report: Report,
    sources: &Arc<SourceMap>,
    opts: &CheckOptions,
    explicit: Option<&BTreeSet<PathBuf>>,
) -> Report {
    crate::config::apply_severity(&mut report.findings, &opts.severity);
    report.sources = Arc::clone(sources);
    // Before suppressions and the baseline, which count findings.
    report.merge_repeats();
    let today = opts.today.unwrap_or_else(crate::suppress::Date::today);
    crate::suppress::apply(
        &mut report,
        today,
        &crate::suppress::SuppressOptions::default(),
    );
    if let Some(baseline) = &opts.baseline {
        report.baseline_stale = crate::suppress::baseline::apply(&mut report, baseline);
    }
    if let (Some(explicit), false) = (explicit, opts.scopes) {
        let explicit: BTreeSet<PathBuf> = explicit.iter().map(|p| canonical(p)).collect();
        // Each file is judged once (`canonicalize` costs system calls), not once per entry.
        let mut kept = rustc_hash::FxHashMap::default();
        let mut keep = |file: FileId| {
            *kept
                .entry(file)
                .or_insert_with(|| explicit.contains(&canonical(&sources.get(file).path)))
        };
        // A finding is reported when a file it depends on is passed: its location, a related
        // one, where a value it judged was written, or a resource of the chain it reasoned over.
        let mut depends = |files: &[FileId]| files.iter().any(|&file| keep(file));
        report.findings.retain(|f| depends(&f.depends_on_files));
        report
            .suppressed
            .retain(|s| depends(&s.finding.depends_on_files));
        report.undetermined.retain(|u| depends(&u.depends_on_files));
        // A variable or parameter file the options name applies to what was passed: that it
        // cannot be read is reported whichever files were passed, as for a folder.
        let given: BTreeSet<PathBuf> = option_files(opts).map(canonical).collect();
        report.errors.retain(|e| {
            depends(&[e.file]) || given.contains(&canonical(&sources.get(e.file).path))
        });
    }
    report.sort();
    report
}

/// Analyse one scope. A bug that panics costs this scope only: it becomes an error entry, and
/// every other scope is still reported.
fn analyse(
    scope: &Unit,
    sources: &SourceMap,
    opts: &CheckOptions,
    modules: &terraform::ModuleCache,
    parses: &bicep::Parses,
) -> Outcome {
    let run = || analyse_scope(scope, sources, opts, modules, parses);
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(run)).unwrap_or_else(|_| {
        let file = match scope {
            Unit::Terraform { files, .. } => files[0],
            Unit::Arm(file) | Unit::CompiledModule(file) | Unit::Plan { file, .. } => *file,
            Unit::Bicep(unit) => unit.root,
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

/// Results located in a registry module (a cached file nobody edits here) are reported at the
/// module reference that uses it, which is what the user can change (its parameters, its
/// version); where in the module stays a related location.
fn report_at_calls(
    findings: &mut [Finding],
    undetermined: &mut [Undetermined],
    called_at: &[(FileId, crate::source::Span)],
) {
    let call = |file: FileId| called_at.iter().find(|(f, _)| *f == file).map(|(_, s)| *s);
    for f in findings.iter_mut() {
        if let Some(at) = call(f.primary.span.file) {
            let inside = crate::diagnostic::Label::new(f.primary.span, "in the registry module");
            f.related.insert(0, inside);
            f.primary.span = at;
            f.depends_on_files.push(at.file);
            f.depends_on_files.sort_unstable();
            f.depends_on_files.dedup();
        }
    }
    for u in undetermined.iter_mut() {
        if let Some(at) = call(u.span.file) {
            u.span = at;
            u.depends_on_files.push(at.file);
            u.depends_on_files.sort_unstable();
            u.depends_on_files.dedup();
        }
    }
}

/// A result that depends on a Bicep file depends on the files it imports, transitively
/// ([`Loaded::imports`]): a commit that changes only a shared file of exported values shows the
/// findings of the templates that import it.
fn add_imported_files(depends: &mut Vec<FileId>, imports: &[(FileId, FileId)]) {
    if imports.is_empty() {
        return;
    }
    let mut i = 0;
    while i < depends.len() {
        let file = depends[i];
        for &(_, imported) in imports.iter().filter(|(by, _)| *by == file) {
            if !depends.contains(&imported) {
                depends.push(imported);
            }
        }
        i += 1;
    }
    depends.sort_unstable();
}

fn analyse_scope(
    scope: &Unit,
    sources: &SourceMap,
    opts: &CheckOptions,
    modules: &terraform::ModuleCache,
    parses: &bicep::Parses,
) -> Outcome {
    let mut planned = None;
    let Loaded {
        resources,
        errors,
        warnings: load_warnings,
        notes,
        called_at,
        imports,
        shared_defaults,
        cloud,
    } = match scope {
        Unit::Terraform { dir, files, .. } => {
            terraform::load_module_with(dir, files, sources, &opts.terraform, modules)
        }
        Unit::Arm(file) => arm::load_template(*file, sources, &opts.arm),
        Unit::CompiledModule(file) => arm::check_syntax(*file, sources),
        Unit::Bicep(unit) => bicep::load(unit, sources, parses, &opts.arm),
        Unit::Plan { file, config } => {
            let tf = config.as_ref().map(|c| {
                terraform::load_module_with(&c.dir, &c.files, sources, &opts.terraform, modules)
            });
            let load = plan::load(*file, sources, tf.as_ref().map(|t| t.resources.as_slice()));
            let mut loaded = load.loaded;
            // What the plan does not record, its configuration tells.
            if let (crate::model::Cloud::Provider, Some(tf)) = (&loaded.cloud, &tf) {
                loaded.cloud = tf.cloud.clone();
            }
            // Problems of a folder that is not analysed on its own are reported here.
            if let (Some(tf), Some(PlanConfig { walked: false, .. })) = (tf, config) {
                loaded.errors.extend(tf.errors);
                loaded.warnings.extend(tf.warnings);
            }
            planned = Some((*file, load.entries, load.on_source, load.warnings));
            loaded
        }
    };
    let mut model = crate::model::build(&resources);
    model.unread = &notes;
    model.cloud = cloud;
    let graph = crate::link::link(&model);
    let (findings, mut undetermined) =
        crate::rules::run(&model, &graph, &|meta| opts.selects(meta), opts.fixes);
    // What a loader could not analyse at all affects every rule (`*`).
    undetermined.extend(notes.iter().map(|n| Undetermined {
        rule: "*",
        resource: n.resource.clone(),
        message: format!("{} {}", n.unknown.depends_on, n.unknown.reason),
        depends_on: n.unknown.depends_on.clone(),
        span: n.span,
        depends_on_files: vec![n.span.file],
    }));
    let (mut findings, mut undetermined) = (findings, undetermined);
    if opts.fixes {
        crate::fix::attach(&mut findings, sources, &model.origins, &shared_defaults);
    }
    report_at_calls(&mut findings, &mut undetermined, &called_at);
    for f in &mut findings {
        add_imported_files(&mut f.depends_on_files, &imports);
    }
    for u in &mut undetermined {
        add_imported_files(&mut u.depends_on_files, &imports);
    }
    if let Unit::Bicep(bicep::Unit {
        params: Some(params),
        several: true,
        ..
    }) = scope
    {
        // The same root is analysed once per parameter file: say which one each result is for.
        let with = format!(" (with {})", sources.get(*params).display());
        findings.iter_mut().for_each(|f| f.message.push_str(&with));
        undetermined
            .iter_mut()
            .for_each(|u| u.message.push_str(&with));
    }
    let mut warnings: Vec<crate::report::Warning> = load_warnings
        .into_iter()
        .map(|w| crate::report::Warning {
            path: crate::source::display_path(&sources.get(w.file).path),
            message: w.message,
        })
        .collect();
    let mut covers = None;
    if let Some((file, entries, on_source, messages)) = planned {
        name_the_plan(
            file,
            &entries,
            on_source,
            &mut findings,
            &mut undetermined,
            sources,
        );
        let path = crate::source::display_path(&sources.get(file).path);
        warnings.extend(messages.into_iter().map(|message| crate::report::Warning {
            path: path.clone(),
            message,
        }));
        if let Unit::Plan {
            config: Some(PlanConfig {
                dir, walked: true, ..
            }),
            ..
        } = scope
        {
            let addrs = resources
                .iter()
                .map(|r| plan::without_keys(&r.addr))
                .collect();
            covers = Some((terraform::folder_key(dir), addrs));
        }
    }
    let chains = if opts.chains {
        crate::link::chain::build(&model, &graph, &findings)
    } else {
        Vec::new()
    };
    let files = match opts.scopes {
        true => outcome_files(&resources, &findings, &undetermined, &errors, &imports),
        false => Vec::new(),
    };
    Outcome {
        findings,
        undetermined,
        errors,
        resources: resources.len(),
        chains,
        warnings,
        tf_key: match scope {
            Unit::Terraform { dir, .. } => Some(terraform::folder_key(dir)),
            _ => None,
        },
        covers,
        files,
        read: imports.iter().map(|&(_, file)| file).collect(),
    }
}

/// Results of a plan depend on the plan; located on the `.tf` files, they name it as a related
/// location (at the resource's entry).
fn name_the_plan(
    file: FileId,
    entries: &rustc_hash::FxHashMap<String, crate::source::Span>,
    on_source: bool,
    findings: &mut [Finding],
    undetermined: &mut [Undetermined],
    sources: &SourceMap,
) {
    let name = sources.get(file).display().to_string();
    let add = |files: &mut Vec<FileId>| {
        files.push(file);
        files.sort_unstable();
        files.dedup();
    };
    for f in findings.iter_mut() {
        if on_source && f.primary.span.file != file {
            if let Some(entry) = entries.get(&f.resource) {
                let label = format!("the values judged are the plan's, in {name}");
                f.related.push(crate::diagnostic::Label::new(*entry, label));
            }
        }
        add(&mut f.depends_on_files);
    }
    for u in undetermined.iter_mut() {
        add(&mut u.depends_on_files);
    }
}

/// The plans named by `--plan`, read; a file that is not a plan is an error entry.
fn read_plans(paths: &[PathBuf], sources: &SourceMap, errors: &mut Vec<LoadError>) -> Vec<FileId> {
    let mut out = Vec::new();
    for path in paths {
        let read = sources.read_text(path);
        let not_plan = matches!(&read, Ok(text) if !plan::is_plan(text));
        let Some(file) = add_source(sources, path, read, errors) else {
            continue;
        };
        if not_plan {
            errors.push(LoadError {
                file,
                span: None,
                message: "not a Terraform plan: `--plan` takes the JSON that `terraform show \
                          -json PLANFILE` prints (it begins with `format_version`)"
                    .into(),
            });
        } else {
            out.push(file);
        }
    }
    out
}

/// The configuration folder of the plan in `file`: the plan's own folder when it holds `.tf`
/// files (walked, or read here), else the one Terraform folder named on the command line.
fn plan_config(
    file: FileId,
    folders: &[FolderRead],
    paths: &[PathBuf],
    sources: &SourceMap,
    errors: &mut Vec<LoadError>,
) -> Option<PlanConfig> {
    let path = sources.get(file).path.clone();
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let walked = |key: &Path| {
        folders
            .iter()
            .find(|f| f.key == key && !f.files.is_empty())
            .map(|f| PlanConfig {
                dir: f.dir.clone(),
                files: f.files.clone(),
                walked: true,
            })
    };
    if let Some(config) = walked(&terraform::folder_key(&dir)) {
        return Some(config);
    }
    let mut listed: Vec<PathBuf> = std::fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .map(|e| dir.join(e.file_name()))
        .filter(|p| {
            p.is_file()
                && crate::classify::classify(p) == Some(crate::classify::FileKind::Terraform)
        })
        .collect();
    listed.sort();
    if !listed.is_empty() {
        let files = listed
            .iter()
            .filter_map(|p| add_source(sources, p, sources.read_text(p), errors))
            .collect();
        return Some(PlanConfig {
            dir,
            files,
            walked: false,
        });
    }
    let mut given = paths
        .iter()
        .filter(|p| p.is_dir())
        .filter_map(|p| walked(&terraform::folder_key(p)));
    match (given.next(), given.next()) {
        (Some(config), None) => Some(config),
        _ => None,
    }
}

/// A mistake that a plan and its configuration folder both show is reported once, from the
/// plan (its values are what will be deployed): the folder's results about resources the plan
/// holds are dropped, and so are its notes about modules whose resources the plan holds (a
/// registry module not downloaded). What only the folder shows stays; its resources are counted
/// with the plan's.
fn drop_planned_duplicates(outcomes: &mut [Outcome]) {
    let mut covered: rustc_hash::FxHashMap<PathBuf, rustc_hash::FxHashSet<String>> =
        Default::default();
    for o in outcomes.iter() {
        if let Some((key, addrs)) = &o.covers {
            covered
                .entry(key.clone())
                .or_default()
                .extend(addrs.iter().cloned());
        }
    }
    if covered.is_empty() {
        return;
    }
    for o in outcomes.iter_mut() {
        let Some(addrs) = o.tf_key.as_ref().and_then(|k| covered.get(k)) else {
            continue;
        };
        let planned = |resource: &str| {
            let block = plan::without_keys(resource);
            let inside = format!("{block}.");
            addrs.contains(&block) || addrs.iter().any(|a| a.starts_with(&inside))
        };
        o.findings.retain(|f| !planned(&f.resource));
        o.undetermined.retain(|u| !planned(&u.resource));
        // The plan holds the folder's resources (those it creates): counted with the plan.
        o.resources = 0;
    }
}

/// Templates that Bicep files use as modules are analysed through those callers, with their
/// parameters, not again on their own with defaults (as Terraform modules are): a template used
/// directly (`module m './x.json'`, whose errors its callers' analysis reports) is dropped, and
/// one compiled from a Bicep module (`main.json` beside an AVM module's `main.bicep`) has only
/// its syntax checked.
fn through_callers(
    scopes: &mut Vec<Unit>,
    compiled: &rustc_hash::FxHashMap<FileId, PathBuf>,
    modules: &rustc_hash::FxHashSet<PathBuf>,
    sources: &SourceMap,
) {
    if modules.is_empty() {
        return;
    }
    scopes.retain_mut(|scope| {
        let Unit::Arm(file) = *scope else {
            return true;
        };
        let path = &sources.get(file).path;
        if modules.contains(path) {
            return false;
        }
        if compiled
            .get(&file)
            .is_some_and(|source| modules.contains(source))
        {
            *scope = Unit::CompiledModule(file);
        }
        true
    });
}

/// The templates compiled from a Bicep file beside them (`metadata._generator.name` is
/// `bicep`), each with its source: `X.json` next to an analysed `X.bicep`; else, in a folder left
/// with one such template and one Bicep root, those two (the quickstart layout: `azuredeploy.json`
/// built from `main.bicep`).
fn compiled_templates(
    scopes: &[Unit],
    bicep_files: &[FileId],
    modules: &rustc_hash::FxHashSet<PathBuf>,
    sources: &SourceMap,
) -> rustc_hash::FxHashMap<FileId, PathBuf> {
    let mut compiled = rustc_hash::FxHashMap::default();
    // Only templates can be compiled ones: without any, the Bicep paths are not collected.
    if bicep_files.is_empty() || !scopes.iter().any(|s| matches!(s, Unit::Arm(_))) {
        return compiled;
    }
    // `X.json` and `X.bicep` come from one folder listing, so their paths share their folder as
    // discovery named it: compared as written, with no system call per file.
    let mut unpaired: rustc_hash::FxHashSet<PathBuf> = bicep_files
        .iter()
        .map(|f| sources.get(*f).path.clone())
        .filter(|p| p.extension().is_some_and(|e| e == "bicep"))
        .collect();
    let mut templates = Vec::new();
    for scope in scopes {
        let Unit::Arm(file) = *scope else { continue };
        let source = sources.get(file);
        if !crate::classify::bicep_generated(&source.text) {
            continue;
        }
        let by_name = source.path.with_extension("bicep");
        match unpaired.contains(&by_name) {
            true => drop(compiled.insert(file, by_name)),
            false => templates.push(file),
        }
    }
    for by_name in compiled.values() {
        unpaired.remove(by_name);
    }
    // Per folder, the templates and the roots left.
    let folder = |path: &Path| path.parent().map(Path::to_path_buf).unwrap_or_default();
    let mut left: rustc_hash::FxHashMap<PathBuf, (Vec<FileId>, Vec<PathBuf>)> = Default::default();
    for file in templates {
        left.entry(folder(&sources.get(file).path))
            .or_default()
            .0
            .push(file);
    }
    for root in unpaired.into_iter().filter(|p| !modules.contains(p)) {
        if let Some((_, roots)) = left.get_mut(&folder(&root)) {
            roots.push(root);
        }
    }
    for (templates, mut roots) in left.into_values() {
        if let ([template], [_]) = (templates.as_slice(), roots.as_slice()) {
            compiled.insert(*template, roots.remove(0));
        }
    }
    compiled
}

/// A mistake that a Bicep file and its compiled template both show is reported once, on the
/// Bicep lines; what only the compiled template shows (the inside of a registry module the
/// compiler inlined) stays, on the JSON.
fn drop_compiled_duplicates(
    report: &mut Report,
    compiled: &rustc_hash::FxHashMap<FileId, PathBuf>,
    sources: &SourceMap,
) {
    if compiled.is_empty() {
        return;
    }
    let is_bicep = |file: FileId| {
        crate::classify::classify(&sources.get(file).path) == Some(crate::classify::FileKind::Bicep)
    };
    // A Bicep result may name its parameter file after the message: the same mistake.
    let mut in_bicep: rustc_hash::FxHashMap<(&str, &str), Vec<&str>> = Default::default();
    for f in report
        .findings
        .iter()
        .filter(|f| is_bicep(f.primary.span.file))
    {
        in_bicep
            .entry((f.rule, &f.resource))
            .or_default()
            .push(&f.message);
    }
    for u in report.undetermined.iter().filter(|u| is_bicep(u.span.file)) {
        in_bicep
            .entry((u.rule, &u.resource))
            .or_default()
            .push(&u.message);
    }
    let shown = |rule: &str, resource: &str, message: &str| {
        in_bicep
            .get(&(rule, resource))
            .is_some_and(|ms| ms.iter().any(|m| m.starts_with(message)))
    };
    let drop_finding: Vec<bool> = report
        .findings
        .iter()
        .map(|f| {
            compiled.contains_key(&f.primary.span.file) && shown(f.rule, &f.resource, &f.message)
        })
        .collect();
    let drop_undetermined: Vec<bool> = report
        .undetermined
        .iter()
        .map(|u| compiled.contains_key(&u.span.file) && shown(u.rule, &u.resource, &u.message))
        .collect();
    let mut drop = drop_finding.into_iter();
    report.findings.retain(|_| !drop.next().unwrap_or(false));
    let mut drop = drop_undetermined.into_iter();
    report
        .undetermined
        .retain(|_| !drop.next().unwrap_or(false));
}

/// The variable and parameter files the options name (`--var-file`, `var-files`,
/// `--parameters`, `parameter-files`).
fn option_files(opts: &CheckOptions) -> impl Iterator<Item = &Path> {
    let vars = opts
        .terraform
        .inputs
        .iter()
        .filter_map(|input| match input {
            terraform::VarInput::File(file) => Some(file.as_path()),
            terraform::VarInput::Var(..) => None,
        });
    vars.chain(opts.arm.parameter_files.iter().map(|p| p.as_path()))
}

/// Whether `path` names a variable file given by `--var-file` or `var-files`, or a parameter file
/// given by `--parameters` or `parameter-files`.
fn applies_everywhere(path: &Path, opts: &CheckOptions) -> bool {
    use crate::classify::FileKind;
    let inputs: Vec<&Path> = match crate::classify::classify(path) {
        Some(FileKind::Vars | FileKind::DefaultVars) => (opts.terraform.inputs.iter())
            .filter_map(|input| match input {
                terraform::VarInput::File(file) => Some(file.as_path()),
                terraform::VarInput::Var(..) => None,
            })
            .collect(),
        Some(FileKind::Json) => opts
            .arm
            .parameter_files
            .iter()
            .map(|p| p.as_path())
            .collect(),
        _ => return false,
    };
    if inputs.is_empty() || !path.is_file() {
        return false;
    }
    let path = canonical(path);
    inputs.into_iter().any(|input| canonical(input) == path)
}

fn canonical(path: &Path) -> PathBuf {
    path.canonicalize().unwrap_or_else(|_| path.to_path_buf())
}

/// The files a unit's resources and results are in, and the files it imports from.
fn outcome_files(
    resources: &[crate::load::Resource],
    findings: &[Finding],
    undetermined: &[Undetermined],
    errors: &[LoadError],
    imports: &[(FileId, FileId)],
) -> Vec<FileId> {
    let mut files: Vec<FileId> = resources.iter().map(|r| r.header.file).collect();
    // An edit to a file imported from changes what the files importing it mean.
    files.extend(imports.iter().map(|&(_, imported)| imported));
    for f in findings {
        files.push(f.primary.span.file);
        files.extend(f.related.iter().map(|l| l.span.file));
        files.extend(&f.depends_on_files);
    }
    for u in undetermined {
        files.push(u.span.file);
        files.extend(&u.depends_on_files);
    }
    files.extend(errors.iter().map(|e| e.file));
    files.sort_unstable();
    files.dedup();
    files
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Overlay;

    const REGISTRY: &str = "resource \"azurerm_container_registry\" \"acr\" {\n  name = \"acr\"\n  resource_group_name = \"rg\"\n  location = \"westeurope\"\n  sku = \"Premium\"\n  admin_enabled = ADMIN\n}\n";

    fn folder() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("root")).unwrap();
        std::fs::create_dir_all(dir.path().join("modules/acr")).unwrap();
        std::fs::write(
            dir.path().join("root/main.tf"),
            "module \"acr\" {\n  source = \"../modules/acr\"\n}\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("modules/acr/main.tf"),
            REGISTRY.replace("ADMIN", "false"),
        )
        .unwrap();
        dir
    }

    fn rules(report: &Report) -> Vec<&str> {
        report.findings.iter().map(|f| f.rule).collect()
    }

    /// An overlaid text replaces the file on disk, also for a module read through its caller's
    /// `../` path; the command line's empty overlay reads the disk.
    #[test]
    fn variable_declarations_are_found_in_hcl_and_json() {
        let hcl =
            "variable \"a\" {}\n  variable  \"b\" {\n}\nlocals { x = \"variable \\\"c\\\"\" }\n";
        assert!(declares_variable(hcl, "a") && declares_variable(hcl, "b"));
        assert!(!declares_variable(hcl, "c") && !declares_variable(hcl, "ab"));
        let json = r#"{"variable": {"sku": {"type": "string"}}}"#;
        assert!(declares_variable(json, "sku") && !declares_variable(json, "name"));
    }

    #[test]
    fn overlay_replaces_files_on_disk_wherever_they_are_read() {
        let dir = folder();
        let opts = CheckOptions {
            paths: vec![dir.path().join("root")],
            ..CheckOptions::default()
        };
        let on_disk = check(&opts).unwrap();
        assert!(!rules(&on_disk).contains(&"ACR010"));
        // Opened as `.../modules/./acr/main.tf`: matched after normalization.
        let module = dir.path().join("modules/./acr/main.tf");
        let overlay = Overlay::new([(module, REGISTRY.replace("ADMIN", "true").into())]);
        let edited = check(&CheckOptions {
            overlay,
            ..opts.clone()
        })
        .unwrap();
        assert!(rules(&edited).contains(&"ACR010"), "{:?}", rules(&edited));
        let path = &edited
            .sources
            .get(edited.findings[0].primary.span.file)
            .path;
        assert!(path.ends_with("modules/acr/main.tf"), "{path:?}");
        // The disk is unchanged.
        assert!(!rules(&check(&opts).unwrap()).contains(&"ACR010"));
    }

    /// An unsaved document that does not parse is a syntax error at its line, as on disk.
    #[test]
    fn overlay_syntax_errors_are_reported() {
        let dir = folder();
        let main = dir.path().join("root/main.tf");
        let report = check(&CheckOptions {
            paths: vec![dir.path().join("root")],
            overlay: Overlay::new([(main, "module \"acr\" {\n  source = \n".into())]),
            ..CheckOptions::default()
        })
        .unwrap();
        assert_eq!(report.errors.len(), 1, "{:?}", report.errors);
        assert!(report.errors[0].span.is_some());
    }

    /// With `scopes`, the report says what each unit covers (the root folder and the module
    /// folders it calls), and a file passed chooses its unit without filtering its results.
    #[test]
    fn scopes_record_units_and_keep_every_result() {
        let dir = folder();
        let module = dir.path().join("modules/acr/main.tf");
        std::fs::write(&module, REGISTRY.replace("ADMIN", "true")).unwrap();
        let main = dir.path().join("root/main.tf");
        let opts = CheckOptions {
            paths: vec![main.clone()],
            scopes: true,
            ..CheckOptions::default()
        };
        let report = check(&opts).unwrap();
        // ACR010 is in the module and depends on no file of the root: still reported.
        assert!(rules(&report).contains(&"ACR010"), "{:?}", rules(&report));
        assert_eq!(report.scopes.len(), 1);
        let scope = &report.scopes[0];
        assert_eq!(scope.entries, vec![main.clone()]);
        let key = |p: &Path| terraform::folder_key(p);
        assert!(scope.contains(&key(&module)));
        assert!(scope.contains(&key(&main)));
        assert!(scope.contains(&key(&dir.path().join("root/terraform.tfvars"))));
        assert!(!scope.contains(&key(&dir.path().join("other/main.tf"))));
        // Without `scopes`, a result is kept when it depends on a file passed: the module's
        // finding depends on its caller, which decides what the module creates.
        let filtered = check(&CheckOptions {
            scopes: false,
            ..opts.clone()
        })
        .unwrap();
        assert!(filtered.scopes.is_empty());
        assert!(rules(&filtered).contains(&"ACR010"));
        // Results that depend on no file passed are left out.
        let other = dir.path().join("root/outputs.tf");
        std::fs::write(&other, "output \"region\" {\n  value = \"westeurope\"\n}\n").unwrap();
        let filtered = check(&CheckOptions {
            paths: vec![other],
            scopes: false,
            ..opts
        })
        .unwrap();
        assert!(!rules(&filtered).contains(&"ACR010"));
    }
}
