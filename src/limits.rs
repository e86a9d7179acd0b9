//! The bounds of a run, in one place for every front end, so that a hostile configuration cannot
//! make acrlint read without end, overflow its stack or expand without bound. Each has one
//! meaning whatever the input format; what goes past one is an error entry (or, for evaluation,
//! an unknown value with an error), never a crash, and the rest of the run goes on.
//!
//! The defaults are far above what real configurations need. `.acrlint.toml` can change the sizes
//! and counts under `[limits]` (for example `instances = 50000`); the depths guard the stack of
//! the recursive parsers and evaluators and are fixed. The run reads them through [`current`].

use std::sync::OnceLock;

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Limits {
    /// Bytes of one file read (templates, modules, variable and parameter files).
    pub file_size: u64,
    /// Nesting of arrays and objects in one JSON file or JSON string (fixed).
    #[serde(skip)]
    pub json_depth: usize,
    /// Nesting of evaluation: an expression inside another, or a reference followed through a
    /// variable, local, parameter or output, each counts one level (fixed).
    #[serde(skip)]
    pub eval_depth: usize,
    /// Evaluation work in one scope (a Terraform root with its modules, an ARM template with its
    /// nested deployments): every expression evaluated counts one, and so does every element a
    /// `for`, splat, copy or list function produces. A refused expansion costs nothing, so the
    /// rest of the scope is still evaluated.
    pub steps: u64,
    /// Instances one scope expands to: resources, module calls and dynamic blocks by `count` and
    /// `for_each`, ARM resources by copy loops and nested deployments.
    pub instances: usize,
    /// Bytes of values one scope may produce while evaluating: strings, list and object elements
    /// (each counted at the size of a value node) and every copy of a value a reference makes. It
    /// is checked before anything large is built (format width and precision, padding, string
    /// repetition and concatenation, lists); what would pass it is unknown, with an error.
    pub value_size: u64,
    /// Depth of Terraform module calls (fixed).
    #[serde(skip)]
    pub module_depth: usize,
    /// Depth of ARM nested deployments (fixed; the JSON depth bounds them too).
    #[serde(skip)]
    pub deployment_depth: usize,
}

impl Limits {
    pub const DEFAULT: Limits = Limits {
        file_size: 32 * 1024 * 1024,
        json_depth: 256,
        eval_depth: 160,
        steps: 5_000_000,
        instances: 10_000,
        value_size: 256 * 1024 * 1024,
        module_depth: 100,
        deployment_depth: 32,
    };
}

impl Default for Limits {
    fn default() -> Limits {
        Limits::DEFAULT
    }
}

static CURRENT: OnceLock<Limits> = OnceLock::new();

/// The limits of this run: those [`set`] chose, else the defaults.
pub fn current() -> &'static Limits {
    CURRENT.get().unwrap_or(&Limits::DEFAULT)
}

/// Choose the limits of this run, once, before anything is read. A process runs one
/// configuration, so the limits are process-wide rather than threaded through every parser and
/// evaluator; `false` when they were already chosen (differently).
pub fn set(limits: Limits) -> bool {
    *CURRENT.get_or_init(|| limits) == limits
}
