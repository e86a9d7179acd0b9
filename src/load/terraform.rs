//! Terraform loader: `.tf` (hcl-edit, with spans) and `.tf.json`, evaluated per module folder.
//! OWNER: Terraform helper. Stub signature; see the task description.

use std::path::{Path, PathBuf};

use super::Loaded;
use crate::source::{FileId, SourceMap};

#[derive(Clone, Debug, Default)]
pub struct TfOptions {
    /// `--var NAME=VALUE`, in command-line order.
    pub vars: Vec<(String, String)>,
    /// `--var-file FILE`, in command-line order.
    pub var_files: Vec<PathBuf>,
}

/// Load the Terraform module in `dir`: `files` are its `.tf`/`.tf.json` files (already in
/// `sources`); variable files in the folder are found and added to `sources` by the loader.
pub fn load_module(
    _dir: &Path,
    _files: &[FileId],
    _sources: &SourceMap,
    _opts: &TfOptions,
) -> Loaded {
    Loaded::default()
}
