//! Terraform loader: the `.tf` and `.tf.json` files of a module folder, evaluated together with
//! the variable files, `--var`/`--var-file`, and the modules the folder calls.
//!
//! Each resource instance becomes one [`Resource`](crate::load::Resource):
//! - `addr`: the address Terraform prints (`azurerm_container_registry.acr`,
//!   `data.azurerm_subnet.pe`, `module.env["prod"].azurerm_private_endpoint.acr[0]`);
//! - `header`: the block type and labels (`resource "azurerm_container_registry" "acr"`);
//! - `body`: an object of attributes (spanned at their value expression) and nested blocks (by
//!   block type, a list of objects, one per block, spanned at the block). Meta-arguments
//!   (`count`, `for_each`, `depends_on`, `provider`, `lifecycle`) are left out.
//!
//! A reference to another resource's attribute is a [`Value::Ref`](crate::value::Value::Ref) to
//! the instance address, unless the attribute is written in that resource's configuration with a
//! known value, which is then used instead.

mod config;
mod files;
mod json;
pub mod recover;
mod refs;
mod tree;
mod vars;

use std::path::{Path, PathBuf};

use super::{with_large_stack, LoadError, Loaded};
use crate::source::{FileId, SourceMap};
use config::ModuleDef;

#[derive(Clone, Debug, Default)]
pub struct TfOptions {
    /// `--var` and `--var-file` in command-line order: Terraform applies them in that order, after
    /// `terraform.tfvars` and `*.auto.tfvars`, so a later one wins.
    pub inputs: Vec<VarInput>,
    /// What Terraform would read from its process environment.
    pub environment: Environment,
}

/// What Terraform reads from its process environment: `TF_VAR_name` values (below every
/// variable file), the workspace `TF_WORKSPACE` selects, `TF_DATA_DIR` (where `terraform
/// workspace select` records the workspace otherwise), and the azurerm provider's
/// `ARM_ENVIRONMENT`. Front ends fill it from their process
/// ([`Environment::from_process`]); the library never reads the environment, so that a run is
/// what its options say.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Environment {
    /// `TF_VAR_name=value`, as `(name, value)`, sorted by name.
    pub vars: Vec<(String, String)>,
    pub workspace: Option<String>,
    pub data_dir: Option<PathBuf>,
    /// `ARM_ENVIRONMENT`: the azurerm provider's cloud when its block does not set one.
    pub arm_environment: Option<String>,
}

impl Environment {
    pub fn from_process() -> Environment {
        Environment::from_vars(
            std::env::vars_os()
                .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?))),
        )
    }

    pub fn from_vars(vars: impl IntoIterator<Item = (String, String)>) -> Environment {
        let mut env = Environment::default();
        for (key, value) in vars {
            match key.as_str() {
                "TF_WORKSPACE" if !value.is_empty() => env.workspace = Some(value),
                "TF_DATA_DIR" if !value.is_empty() => env.data_dir = Some(value.into()),
                "ARM_ENVIRONMENT" if !value.is_empty() => env.arm_environment = Some(value),
                _ => match key.strip_prefix("TF_VAR_") {
                    Some(name) if !name.is_empty() => env.vars.push((name.to_string(), value)),
                    _ => {}
                },
            }
        }
        env.vars.sort();
        env
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VarInput {
    /// `--var NAME=VALUE`
    Var(String, String),
    /// `--var-file FILE`
    File(PathBuf),
}

/// Load the Terraform module in `dir`: `files` are its `.tf`/`.tf.json` files (already in
/// `sources`); variable files in the folder and the files of called modules are found and added
/// to `sources` by the loader.
pub fn load_module(dir: &Path, files: &[FileId], sources: &SourceMap, opts: &TfOptions) -> Loaded {
    load_module_with(dir, files, sources, opts, &ModuleCache::default())
}

/// Parsed module folders shared by the loads of one run, so that a folder is parsed once however
/// many scopes read it (as a root, or as a module of several callers).
#[derive(Debug, Default)]
pub struct ModuleCache {
    defs: std::sync::Mutex<rustc_hash::FxHashMap<PathBuf, std::sync::Arc<ModuleDef>>>,
    /// Variable files of folders that discovery listed, so that loads need not list them again.
    var_files: rustc_hash::FxHashMap<PathBuf, Vec<PathBuf>>,
}

impl ModuleCache {
    /// Record the variable files discovery found in the folder with this [`folder_key`] (all of
    /// them: an empty list means none).
    pub fn set_var_files(&mut self, key: PathBuf, files: Vec<PathBuf>) {
        self.var_files.insert(key, files);
    }

    /// The variable files recorded for the folder with this [`folder_key`].
    fn var_files(&self, key: &Path) -> Option<Vec<PathBuf>> {
        self.var_files.get(key).cloned()
    }

    fn get(&self, dir: &Path) -> Option<std::sync::Arc<ModuleDef>> {
        let defs = self.defs.lock().unwrap_or_else(|e| e.into_inner());
        defs.get(dir).cloned()
    }

    fn put(&self, dir: PathBuf, def: ModuleDef) -> std::sync::Arc<ModuleDef> {
        let mut defs = self.defs.lock().unwrap_or_else(|e| e.into_inner());
        defs.entry(dir)
            .or_insert_with(|| std::sync::Arc::new(def))
            .clone()
    }

    /// The parsed folder `dir` (canonical), parsing it with `parse` on first use.
    fn get_or_parse(
        &self,
        dir: &Path,
        parse: impl FnOnce() -> ModuleDef,
    ) -> std::sync::Arc<ModuleDef> {
        match self.get(dir) {
            Some(def) => def,
            None => self.put(dir.to_path_buf(), parse()),
        }
    }
}

impl ModuleCache {
    /// The folders (by [`folder_key`]) that the module in folder `key` reaches through local
    /// module calls, `key` first: what a change to one of them re-analyses.
    pub fn reach(&self, key: &Path) -> Vec<PathBuf> {
        let mut out = vec![key.to_path_buf()];
        let mut next = 0;
        while let Some(dir) = out.get(next).cloned() {
            if let Some(def) = self.get(&dir) {
                for called in local_calls(&dir, &def) {
                    if !out.contains(&called) {
                        out.push(called);
                    }
                }
            }
            next += 1;
        }
        out
    }
}

/// The key of a folder in [`ModuleCache`], also used to match module calls to scanned folders:
/// the absolute path, normalized lexically (no file system access, unlike `canonicalize`, which
/// costs a `readlink` per path component and showed in profiles).
pub fn folder_key(dir: &Path) -> PathBuf {
    files::normalize(&std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf()))
}

/// Parse the module folder `dir` into `cache`. Returns its [`folder_key`] and the keys of the
/// local module folders it calls, so that discovery can analyse a called folder through its
/// callers.
pub fn parse_folder(
    dir: &Path,
    files: &[FileId],
    sources: &SourceMap,
    cache: &ModuleCache,
) -> (PathBuf, Vec<PathBuf>) {
    let key = folder_key(dir);
    let calls = with_large_stack(|| {
        let def = cache.get_or_parse(&key, || module_def(files, sources));
        local_calls(&key, &def)
    })
    .unwrap_or_default();
    (key, calls)
}

/// [`load_module`] with folders already parsed in `cache` (and new ones added to it).
pub fn load_module_with(
    dir: &Path,
    files: &[FileId],
    sources: &SourceMap,
    opts: &TfOptions,
    cache: &ModuleCache,
) -> Loaded {
    with_large_stack(|| tree::load(dir, files, sources, opts, cache)).unwrap_or_else(|| Loaded {
        errors: files
            .first()
            .map(|f| LoadError {
                file: *f,
                span: None,
                message: "internal error while loading this module".into(),
            })
            .into_iter()
            .collect(),
        ..Loaded::default()
    })
}

/// The local module folders that a module in `dir` calls directly (`source = "./x"` or
/// `"../x"`), lexically normalized (`dir/./x/../y` is `dir/y`), that exist.
fn local_calls(dir: &Path, def: &ModuleDef) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = def
        .calls
        .iter()
        .filter_map(|c| c.source.as_ref())
        .filter(|(s, _)| s.starts_with("./") || s.starts_with("../") || s == "." || s == "..")
        .map(|(s, _)| files::normalize(&dir.join(s)))
        .filter(|p| p.is_dir())
        .collect();
    out.sort();
    out.dedup();
    out
}

/// The configuration of a folder from files already in the source map.
fn module_def(files: &[FileId], sources: &SourceMap) -> ModuleDef {
    let mut def = ModuleDef::default();
    let mut files: Vec<_> = files.iter().map(|f| (*f, sources.get(*f))).collect();
    files.sort_by(|a, b| a.1.path.cmp(&b.1.path));
    for (id, f) in files {
        if files::is_config_file(&f.path) {
            add_file(&mut def, id, &f.path, &f.text);
        }
    }
    refs::check(&mut def);
    def
}

fn add_file(def: &mut ModuleDef, file: FileId, path: &Path, text: &str) {
    if path.to_string_lossy().ends_with(".json") {
        json::add_json(def, file, text);
    } else {
        def.add_hcl(file, text);
    }
}

#[cfg(test)]
mod tests;
