//! The result of a run: everything renderers need, and nothing about how rules work.

use std::path::PathBuf;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::chain::{Chain, FindingKey};
use crate::diagnostic::{Finding, Undetermined};
use crate::load::LoadError;
use crate::source::{FileId, SourceMap};

/// A finding that a suppression silenced, with why.
#[derive(Clone, Debug)]
pub struct Suppressed {
    pub finding: Finding,
    /// "inline: reason text" (a comment), "metadata: reason text" (ARM metadata), "baseline".
    pub reason: String,
}

/// One finding recorded in a baseline file. Only the fingerprint matches; the rest is for the people reading the
/// file and for listing entries that no longer occur.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaselineEntry {
    pub path: String,
    pub rule: String,
    pub resource: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub attribute: String,
    pub fingerprint: String,
}

/// A file named on the command line that acrlint does not analyse (a Bicep file, a JSON file that
/// is not a template), or something a file says that is read as Terraform reads it (a key written
/// twice in an object). It is reported, but does not change the exit code.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Warning {
    /// As shown to users ([`crate::source::display_path`]).
    pub path: String,
    pub message: String,
}

#[derive(Debug, Default)]
pub struct Report {
    pub sources: Arc<SourceMap>,
    /// Sorted by path, line, column, rule.
    pub findings: Vec<Finding>,
    pub undetermined: Vec<Undetermined>,
    pub suppressed: Vec<Suppressed>,
    pub errors: Vec<LoadError>,
    /// Files named on the command line that were not analysed, sorted by path.
    pub warnings: Vec<Warning>,
    /// Number of files analysed (loaded, including those with errors; not those warned about).
    pub files: usize,
    /// Number of resources seen.
    pub resources: usize,
    /// Baseline entries that no longer occur (the baseline file can shrink).
    pub baseline_stale: Vec<BaselineEntry>,
    /// The chain of each registry that has findings, sorted by where the registry is declared;
    /// built only when asked for ([`crate::check::CheckOptions::chains`]).
    pub chains: Vec<Chain>,
    /// Each unit of analysis and what it covers; recorded only when asked for
    /// ([`crate::check::CheckOptions::scopes`]), for the language server.
    pub scopes: Vec<Scope>,
}

/// One unit of analysis (a Terraform root module with the modules it calls, an ARM template with
/// its parameter files, a Bicep root with its modules and parameter file): how to analyse it
/// again alone, and which files belong to it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Scope {
    /// The paths to check to analyse this unit again (with `scopes` set): a file of the Terraform
    /// root folder; the template; the Bicep root and its parameter file.
    pub entries: Vec<PathBuf>,
    /// Folders whose files all belong to it (Terraform: the root folder and the local module
    /// folders it reaches), absolute and lexically normalized.
    pub folders: Vec<PathBuf>,
    /// Other files that belong to it: the files its resources and results are in.
    pub files: Vec<PathBuf>,
}

impl Scope {
    /// Whether `path` (absolute, lexically normalized) belongs to this unit.
    pub fn contains(&self, path: &std::path::Path) -> bool {
        self.files.iter().any(|f| f == path)
            || path
                .parent()
                .is_some_and(|dir| self.folders.iter().any(|f| f == dir))
    }
}

impl Report {
    /// One finding (or undetermined result) where several analyses found the same one: a module
    /// called by several roots with the same values (each example of a module repository) shows
    /// the same mistake at the same place once, depending on every root's files.
    pub fn merge_repeats(&mut self) {
        merge_repeats(
            &mut self.findings,
            |f| &mut f.depends_on_files,
            |f| (f.primary.span, f.rule),
        );
        merge_repeats(
            &mut self.undetermined,
            |u| &mut u.depends_on_files,
            |u| (u.span, u.rule),
        );
    }

    /// Put everything in its fixed order: findings by path, line, column, rule (then resource and
    /// message); undetermined results and errors by path and position. Exact repeats are
    /// dropped.
    pub fn sort(&mut self) {
        let sources = Arc::clone(&self.sources);
        let place = |span: &crate::source::Span| {
            (
                sources.get(span.file).display().to_string(),
                span.start,
                span.end,
            )
        };
        // Suppressed findings are listed in the order findings are: the same key, then the reason.
        self.findings.sort_by_cached_key(|f| {
            let key = (f.rule, f.resource.clone(), f.message.clone());
            (place(&f.primary.span), key)
        });
        self.findings.dedup();
        self.suppressed.sort_by_cached_key(|s| {
            let f = &s.finding;
            (
                place(&f.primary.span),
                f.rule,
                f.resource.clone(),
                s.reason.clone(),
            )
        });
        self.undetermined.sort_by_cached_key(|u| {
            let key = (u.rule, u.resource.clone(), u.message.clone());
            (place(&u.span), key)
        });
        self.undetermined.dedup();
        self.errors.sort_by_cached_key(|e| {
            (
                sources.get(e.file).display().to_string(),
                e.span.map(|s| s.start),
                e.message.clone(),
            )
        });
        self.errors.dedup();
        self.warnings.sort();
        self.warnings.dedup();
        self.sort_chains();
    }

    /// Keep the chains, and the marks on them, of the findings still reported (after suppression
    /// and the choice of files), sorted by where the registry is declared, then by its title.
    fn sort_chains(&mut self) {
        let mut kept: Vec<FindingKey> = self.findings.iter().map(FindingKey::of).collect();
        kept.sort();
        let chains = std::mem::take(&mut self.chains);
        self.chains = chains
            .into_iter()
            .filter_map(|c| c.retain(|k| kept.binary_search(k).is_ok()))
            .collect();
        let sources = Arc::clone(&self.sources);
        self.chains.sort_by_cached_key(|c| {
            let r = c.registry();
            (
                r.span
                    .map(|s| (sources.get(s.file).display().to_string(), s.start)),
                r.title.clone(),
            )
        });
        self.chains.dedup();
    }
}

/// Merge the items of `items` that differ only in the files they depend on (the first keeps its
/// place); `key` narrows down which items may be repeats of one another.
fn merge_repeats<T: PartialEq>(
    items: &mut Vec<T>,
    files: fn(&mut T) -> &mut Vec<FileId>,
    key: fn(&T) -> (crate::source::Span, &'static str),
) {
    let mut kept: rustc_hash::FxHashMap<_, Vec<usize>> = Default::default();
    let mut out: Vec<T> = Vec::with_capacity(items.len());
    for mut item in items.drain(..) {
        let theirs = std::mem::take(files(&mut item));
        let same_key = kept.entry(key(&item)).or_default();
        let repeat = same_key.iter().copied().find(|&k| {
            let ours = std::mem::take(files(&mut out[k]));
            let same = out[k] == item;
            *files(&mut out[k]) = ours;
            same
        });
        match repeat {
            Some(k) => {
                let merged = files(&mut out[k]);
                merged.extend(theirs);
                merged.sort_unstable();
                merged.dedup();
            }
            None => {
                *files(&mut item) = theirs;
                same_key.push(out.len());
                out.push(item);
            }
        }
    }
    *items = out;
}
