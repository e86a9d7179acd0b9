//! ARM template loader (classic and languageVersion 2.0, Bicep output).
//! OWNER: ARM helper. Stub signature; see the task description.

use std::path::PathBuf;

use super::Loaded;
use crate::source::{FileId, SourceMap};

#[derive(Clone, Debug, Default)]
pub struct ArmOptions {
    /// `--parameters FILE`: parameter files applied to every template scanned.
    pub parameter_files: Vec<PathBuf>,
}

/// Does this parsed JSON look like a deployment template (its `$schema` says so)?
pub fn is_template(text: &str) -> bool {
    text.contains("deploymentTemplate.json")
}

/// Load one template file (already in `sources`) into resources.
pub fn load_template(_file: FileId, _sources: &SourceMap, _opts: &ArmOptions) -> Loaded {
    Loaded::default()
}
