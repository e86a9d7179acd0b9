//! The result of a run: everything renderers need, and nothing about how rules work.

use std::sync::Arc;

use crate::diagnostic::{Finding, Undetermined};
use crate::load::LoadError;
use crate::source::SourceMap;

/// A finding that a suppression silenced, with why.
#[derive(Clone, Debug)]
pub struct Suppressed {
    pub finding: Finding,
    /// "inline: reason text", "baseline", "config: ignore".
    pub reason: String,
}

#[derive(Debug, Default)]
pub struct Report {
    pub sources: Arc<SourceMap>,
    /// Sorted by path, line, column, rule.
    pub findings: Vec<Finding>,
    pub undetermined: Vec<Undetermined>,
    pub suppressed: Vec<Suppressed>,
    pub errors: Vec<LoadError>,
    /// Number of files scanned (loaded, including those with errors).
    pub files: usize,
    /// Number of resources seen.
    pub resources: usize,
    /// Baseline entries that no longer occur (the baseline file can shrink).
    pub baseline_stale: Vec<crate::suppress::baseline::Entry>,
}
