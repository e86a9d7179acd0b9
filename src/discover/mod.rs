//! Discovery: walk the given paths, classify files, and group them into scopes.
//!
//! A scope is the unit of analysis: a Terraform module folder (all its `.tf` and `.tf.json` files
//! together, as Terraform reads them) or one ARM template. When files are passed one by one, their
//! whole scope is loaded, but only findings located in the files passed are reported.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use walkdir::WalkDir;

/// Folders never scanned.
const SKIPPED_DIRS: [&str; 3] = [".git", ".terraform", "node_modules"];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `.tf`, `.tf.json`
    Terraform,
    /// A `.json` that may be an ARM template (its `$schema` decides once read).
    Json,
    /// `.bicep`, `.bicepparam` (not analysed yet).
    Bicep,
}

pub fn classify(path: &Path) -> Option<Kind> {
    let name = path.file_name()?.to_str()?.to_ascii_lowercase();
    if name.ends_with(".tf") || name.ends_with(".tf.json") {
        Some(Kind::Terraform)
    } else if name.ends_with(".tfvars.json") {
        // Variable files are read by the Terraform loader of their folder.
        None
    } else if name.ends_with(".json") {
        Some(Kind::Json)
    } else if name.ends_with(".bicep") || name.ends_with(".bicepparam") {
        Some(Kind::Bicep)
    } else {
        None
    }
}

#[derive(Debug, Default)]
pub struct Discovered {
    /// Terraform module folders and their files, sorted.
    pub terraform: BTreeMap<PathBuf, BTreeSet<PathBuf>>,
    /// Variable files Terraform reads by itself (`terraform.tfvars`, `*.auto.tfvars`), by folder.
    pub var_files: BTreeMap<PathBuf, Vec<PathBuf>>,
    /// JSON files that may be templates.
    pub json: BTreeSet<PathBuf>,
    /// Files passed explicitly (pre-commit style): report only findings in these.
    pub explicit: BTreeSet<PathBuf>,
    /// Paths that could not be walked: path and message.
    pub errors: Vec<(PathBuf, String)>,
}

/// Build the exclusion set from `--exclude` globs. A glob matches a path relative to the scanned
/// root, or any file or folder name.
pub fn excludes(globs: &[String]) -> Result<GlobSet, String> {
    let mut builder = GlobSetBuilder::new();
    for g in globs {
        builder.add(Glob::new(g).map_err(|e| format!("invalid --exclude glob `{g}`: {e}"))?);
        if !g.contains('/') {
            // `*.json` should also match `dir/x.json`, as users of .gitignore expect.
            let nested = format!("**/{g}");
            builder
                .add(Glob::new(&nested).map_err(|e| format!("invalid --exclude glob `{g}`: {e}"))?);
        }
    }
    builder.build().map_err(|e| e.to_string())
}

pub fn discover(paths: &[PathBuf], exclude: &GlobSet) -> Discovered {
    let mut found = Discovered::default();
    for root in paths {
        let meta = match std::fs::metadata(root) {
            Ok(m) => m,
            Err(e) => {
                found
                    .errors
                    .push((root.clone(), format!("cannot read: {e}")));
                continue;
            }
        };
        if meta.is_file() {
            found.explicit.insert(root.clone());
            match classify(root) {
                Some(Kind::Terraform) => {
                    // Load the whole module folder so that references across files resolve.
                    let dir = parent_dir(root);
                    found.add_terraform_folder(&dir, exclude);
                    found.terraform.entry(dir).or_default().insert(root.clone());
                }
                Some(Kind::Json) => {
                    found.json.insert(root.clone());
                }
                _ => {}
            }
            continue;
        }
        let walker = WalkDir::new(root)
            .follow_links(true)
            .into_iter()
            .filter_entry(|e| {
                let skipped = e.depth() > 0
                    && e.file_type().is_dir()
                    && e.file_name()
                        .to_str()
                        .is_some_and(|n| SKIPPED_DIRS.contains(&n));
                let rel = e.path().strip_prefix(root).unwrap_or(e.path());
                !skipped && (e.depth() == 0 || !exclude.is_match(rel))
            });
        for entry in walker {
            match entry {
                Ok(e) if e.file_type().is_file() => match classify(e.path()) {
                    None if is_var_file(e.path()) => found
                        .var_files
                        .entry(parent_dir(e.path()))
                        .or_default()
                        .push(e.path().to_path_buf()),
                    Some(Kind::Terraform) => {
                        found
                            .terraform
                            .entry(parent_dir(e.path()))
                            .or_default()
                            .insert(e.path().to_path_buf());
                    }
                    Some(Kind::Json) => {
                        found.json.insert(e.path().to_path_buf());
                    }
                    _ => {}
                },
                Ok(_) => {}
                Err(e) => {
                    let path = e.path().map_or_else(|| root.clone(), Path::to_path_buf);
                    let message = if e.loop_ancestor().is_some() {
                        "symbolic link loop: not followed".to_string()
                    } else {
                        format!(
                            "cannot read: {}",
                            e.io_error()
                                .map_or_else(|| e.to_string(), |io| io.to_string())
                        )
                    };
                    found.errors.push((path, message));
                }
            }
        }
    }
    found
}

impl Discovered {
    fn add_terraform_folder(&mut self, dir: &Path, exclude: &GlobSet) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        let (mut files, vars): (Vec<PathBuf>, Vec<PathBuf>) = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.is_file() && !p.file_name().is_some_and(|n| exclude.is_match(n)))
            .filter(|p| is_var_file(p) || classify(p) == Some(Kind::Terraform))
            .partition(|p| !is_var_file(p));
        files.sort();
        self.var_files.insert(dir.to_path_buf(), vars);
        self.terraform
            .entry(dir.to_path_buf())
            .or_default()
            .extend(files);
    }
}

fn is_var_file(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(crate::load::terraform::is_default_var_file)
}

fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// The path shown to users: relative to the current directory when under it, with `/` separators.
pub fn display_path(path: &Path) -> String {
    let shown = std::env::current_dir()
        .ok()
        .and_then(|cwd| {
            let abs = if path.is_absolute() {
                path.to_path_buf()
            } else {
                cwd.join(path)
            };
            abs.strip_prefix(&cwd).ok().map(Path::to_path_buf)
        })
        .unwrap_or_else(|| path.to_path_buf());
    let text = shown.to_string_lossy().replace('\\', "/");
    let text = text.strip_prefix("./").unwrap_or(&text).to_string();
    clean(&text)
}

/// Remove `.` segments (`a/./b` → `a/b`).
fn clean(path: &str) -> String {
    let parts: Vec<&str> = path
        .split('/')
        .filter(|s| *s != "." && !s.is_empty())
        .collect();
    let joined = parts.join("/");
    match (parts.is_empty(), path.starts_with('/')) {
        (true, false) => ".".to_string(),
        (_, true) => format!("/{joined}"),
        (false, false) => joined,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_by_extension() {
        assert_eq!(classify(Path::new("a/main.tf")), Some(Kind::Terraform));
        assert_eq!(classify(Path::new("main.tf.json")), Some(Kind::Terraform));
        assert_eq!(classify(Path::new("x.tfvars.json")), None);
        assert_eq!(classify(Path::new("azuredeploy.json")), Some(Kind::Json));
        assert_eq!(classify(Path::new("main.bicep")), Some(Kind::Bicep));
        assert_eq!(classify(Path::new("README.md")), None);
    }

    #[test]
    fn walks_skips_and_excludes() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for f in [
            "a/main.tf",
            "a/net.tf",
            "b/t.json",
            ".terraform/m/x.tf",
            "node_modules/p/package.json",
            "c/skip.tf",
        ] {
            let p = root.join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, "").unwrap();
        }
        let found = discover(&[root.to_path_buf()], &excludes(&["c".into()]).unwrap());
        assert_eq!(found.terraform.len(), 1);
        assert_eq!(found.terraform[&root.join("a")].len(), 2);
        assert_eq!(found.json.len(), 1);
        assert!(found.explicit.is_empty());

        // A file passed alone loads its whole folder and is the only one reported.
        let found = discover(&[root.join("a/main.tf")], &excludes(&[]).unwrap());
        assert_eq!(found.terraform[&root.join("a")].len(), 2);
        assert_eq!(found.explicit.len(), 1);
    }
}
