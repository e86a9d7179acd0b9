//! Discovery: walk the given paths, classify files, and group them into scopes.
//!
//! A scope is the unit of analysis: a Terraform module folder (all its `.tf` and `.tf.json` files
//! together, as Terraform reads them) or one ARM template. When files are passed one by one, their
//! whole scope is loaded, but only findings located in the files passed are reported.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};

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
        let mut walked = Walk::default();
        walk_dir(root, root, exclude, &mut walked);
        found.merge(walked);
    }
    found
}

/// What a walk of one folder tree found, merged into [`Discovered`] at the end.
#[derive(Default)]
struct Walk {
    /// Terraform files and variable files, by folder.
    terraform: Vec<(PathBuf, BTreeSet<PathBuf>)>,
    var_files: Vec<(PathBuf, Vec<PathBuf>)>,
    json: Vec<PathBuf>,
    errors: Vec<(PathBuf, String)>,
}

impl Walk {
    fn append(mut self, mut other: Walk) -> Walk {
        self.terraform.append(&mut other.terraform);
        self.var_files.append(&mut other.var_files);
        self.json.append(&mut other.json);
        self.errors.append(&mut other.errors);
        self
    }
}

/// Walk `dir` (under `root`), its subfolders in parallel. Symbolic links are followed; one that
/// leads back to a folder above it is reported as a loop, not followed. The type of an entry comes
/// from the folder listing: only links cost a `stat`.
fn walk_dir(root: &Path, dir: &Path, exclude: &GlobSet, out: &mut Walk) {
    use rayon::prelude::*;
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            out.errors
                .push((dir.to_path_buf(), format!("cannot read: {e}")));
            return;
        }
    };
    let mut subdirs = Vec::new();
    let (mut terraform, mut var_files) = (BTreeSet::new(), Vec::new());
    for entry in entries {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                out.errors
                    .push((dir.to_path_buf(), format!("cannot read: {e}")));
                continue;
            }
        };
        let path = entry.path();
        let rel = path.strip_prefix(root).unwrap_or(&path);
        if exclude.is_match(rel) {
            continue;
        }
        let mut is_dir = false;
        match entry.file_type() {
            Ok(t) if t.is_symlink() => match std::fs::metadata(&path) {
                Ok(m) if m.is_dir() => {
                    if leads_back(&path, root) {
                        out.errors
                            .push((path, "symbolic link loop: not followed".to_string()));
                        continue;
                    }
                    is_dir = true;
                }
                Ok(m) if m.is_file() => {}
                Ok(_) => continue,
                Err(e) => {
                    out.errors.push((path, format!("cannot read: {e}")));
                    continue;
                }
            },
            Ok(t) if t.is_dir() => is_dir = true,
            Ok(t) if t.is_file() => {}
            Ok(_) => continue,
            Err(e) => {
                out.errors.push((path, format!("cannot read: {e}")));
                continue;
            }
        }
        if is_dir {
            let skipped = entry
                .file_name()
                .to_str()
                .is_some_and(|n| SKIPPED_DIRS.contains(&n));
            if !skipped {
                subdirs.push(path);
            }
            continue;
        }
        match classify(&path) {
            None if is_var_file(&path) => var_files.push(path),
            Some(Kind::Terraform) => {
                terraform.insert(path);
            }
            Some(Kind::Json) => out.json.push(path),
            _ => {}
        }
    }
    if !terraform.is_empty() {
        out.terraform.push((dir.to_path_buf(), terraform));
    }
    if !var_files.is_empty() {
        out.var_files.push((dir.to_path_buf(), var_files));
    }
    let below = subdirs
        .par_iter()
        .map(|sub| {
            let mut walk = Walk::default();
            walk_dir(root, sub, exclude, &mut walk);
            walk
        })
        .reduce(Walk::default, Walk::append);
    let mine = std::mem::take(out);
    *out = mine.append(below);
}

/// Whether the folder a link at `path` points to is one of the folders above the link, up to
/// `root`: following it would walk the same tree forever.
fn leads_back(path: &Path, root: &Path) -> bool {
    let mut above = path.parent();
    while let Some(dir) = above {
        if same_file::is_same_file(path, dir).unwrap_or(false) {
            return true;
        }
        if dir == root {
            break;
        }
        above = dir.parent();
    }
    false
}

impl Discovered {
    fn merge(&mut self, walk: Walk) {
        // One root (the usual case) fills empty maps in one sorted build.
        if self.terraform.is_empty() && self.var_files.is_empty() {
            self.terraform = walk.terraform.into_iter().collect();
            self.var_files = walk.var_files.into_iter().collect();
        } else {
            for (dir, files) in walk.terraform {
                self.terraform.entry(dir).or_default().extend(files);
            }
            for (dir, files) in walk.var_files {
                let known = self.var_files.entry(dir).or_default();
                known.extend(files);
                known.sort();
                known.dedup();
            }
        }
        self.json.extend(walk.json);
        self.errors.extend(walk.errors);
    }

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
    display_path_in(path, std::env::current_dir().ok().as_deref())
}

/// [`display_path`] with the current directory already known (it is read once per run).
pub fn display_path_in(path: &Path, cwd: Option<&Path>) -> String {
    let relative = match cwd {
        Some(cwd) if path.is_absolute() => path.strip_prefix(cwd).ok(),
        _ => None,
    };
    let text = relative
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/");
    clean(text.strip_prefix("./").unwrap_or(&text))
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

    #[cfg(unix)]
    #[test]
    fn follows_links_but_not_loops() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for f in ["a/b/main.tf", "shared/net.tf"] {
            let p = root.join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, "").unwrap();
        }
        // A link to a folder beside it is walked; one to a folder above it is a loop.
        std::os::unix::fs::symlink(root.join("shared"), root.join("a/b/shared")).unwrap();
        std::os::unix::fs::symlink(root.join("a"), root.join("a/b/up")).unwrap();
        let found = discover(&[root.to_path_buf()], &excludes(&[]).unwrap());
        let folders: Vec<_> = found.terraform.keys().cloned().collect();
        assert_eq!(
            folders,
            [
                root.join("a/b"),
                root.join("a/b/shared"),
                root.join("shared")
            ]
        );
        assert_eq!(found.errors.len(), 1, "{:?}", found.errors);
        assert_eq!(found.errors[0].0, root.join("a/b/up"));
        assert!(found.errors[0].1.contains("loop"));
    }
}
