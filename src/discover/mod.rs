//! Discovery: walk the given paths, classify files, and group them into scopes.
//!
//! A scope is the unit of analysis: a Terraform module folder (all its `.tf` and `.tf.json` files
//! together, as Terraform reads them) or one ARM template. When files are passed one by one, their
//! whole scope is loaded (for a variable file Terraform reads by itself, its folder's module; for
//! a parameter file `X.parameters.json`, the template `X.json`), but only findings that depend on
//! the files passed are reported.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rustc_hash::FxHashSet;

use globset::{Glob, GlobSet, GlobSetBuilder};

use crate::classify::{classify, FileKind};

/// Folders never scanned.
const SKIPPED_DIRS: [&str; 3] = [".git", ".terraform", "node_modules"];

/// The files of one folder that analysis reads, from one listing of it.
#[derive(Debug, Default)]
pub struct Folder {
    pub dir: PathBuf,
    /// `.tf` and `.tf.json` files, sorted: one Terraform module.
    pub terraform: Vec<PathBuf>,
    /// Variable files Terraform reads by itself (`terraform.tfvars`, `*.auto.tfvars`).
    pub var_files: Vec<PathBuf>,
    /// JSON files that may be templates (their `$schema` decides once read).
    pub json: Vec<PathBuf>,
    /// `.bicep` and `.bicepparam` files, sorted: which are roots is decided once all are read.
    pub bicep: Vec<PathBuf>,
    /// The JSON file of it named on the command line: if it is not a template, say so.
    pub explicit: Option<PathBuf>,
}

/// What [`walk`] did besides visiting folders.
#[derive(Debug)]
pub struct Walked<T> {
    /// What the visitor returned, one entry per folder visited, in no particular order.
    pub visited: Vec<T>,
    /// Files passed explicitly (pre-commit style): report only findings in these.
    pub explicit: BTreeSet<PathBuf>,
    /// Paths that could not be walked: path and message.
    pub errors: Vec<(PathBuf, String)>,
    /// Files named on the command line that acrlint does not analyse: path and why.
    pub warnings: Vec<(PathBuf, String)>,
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

/// Walk the given paths and call `visit` on each folder that holds Terraform or JSON files, as
/// soon as it is listed: folders are listed and visited in parallel, so that reading and parsing
/// start while the walk goes on. A path given as a file visits that file's scope only (for a
/// Terraform file, its whole folder). A folder or file reached twice (paths that overlap) is
/// visited once.
pub fn walk<T: Send>(
    paths: &[PathBuf],
    exclude: &GlobSet,
    visit: &(dyn Fn(Folder) -> T + Sync),
) -> Walked<T> {
    let walker = Walker {
        exclude,
        visit,
        // Only overlapping paths can reach the same folder twice.
        seen: (paths.len() > 1).then(|| Mutex::new(FxHashSet::default())),
    };
    let mut walked = Walked {
        visited: Vec::new(),
        explicit: BTreeSet::new(),
        errors: Vec::new(),
        warnings: Vec::new(),
    };
    for root in paths {
        let meta = match std::fs::metadata(root) {
            Ok(m) => m,
            Err(e) => {
                walked
                    .errors
                    .push((root.clone(), format!("cannot read: {e}")));
                continue;
            }
        };
        let mut out = Out::default();
        if meta.is_file() {
            // Nothing named is skipped silently; in folders, unrelated files stay quiet.
            if let Some(why) = crate::classify::not_analysed(root) {
                walked.warnings.push((root.clone(), why));
                continue;
            }
            walked.explicit.insert(root.clone());
            walker.file(root, &mut out);
        } else {
            walker.dir(root, root, &mut out);
        }
        walked.visited.append(&mut out.visited);
        walked.errors.append(&mut out.errors);
    }
    walked
}

struct Walker<'a, T> {
    exclude: &'a GlobSet,
    visit: &'a (dyn Fn(Folder) -> T + Sync),
    /// Terraform folders and JSON files already visited, when several paths are walked.
    seen: Option<Mutex<FxHashSet<PathBuf>>>,
}

/// What one part of a walk produced, merged up the tree.
struct Out<T> {
    visited: Vec<T>,
    errors: Vec<(PathBuf, String)>,
}

impl<T> Default for Out<T> {
    fn default() -> Self {
        Out {
            visited: Vec::new(),
            errors: Vec::new(),
        }
    }
}

impl<T> Out<T> {
    fn append(mut self, mut other: Out<T>) -> Out<T> {
        self.visited.append(&mut other.visited);
        self.errors.append(&mut other.errors);
        self
    }
}

impl<T: Send> Walker<'_, T> {
    /// Whether `path` is seen for the first time, however it is spelled (`infra` and
    /// `./infra` are one folder).
    fn first_time(&self, path: &Path) -> bool {
        let Some(seen) = &self.seen else {
            return true;
        };
        let path = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
        let mut seen = seen.lock().unwrap_or_else(|e| e.into_inner());
        seen.insert(path)
    }

    /// Visit `folder` unless it holds nothing to analyse or was visited already.
    fn visit(&self, mut folder: Folder, out: &mut Out<T>) {
        if !folder.terraform.is_empty() && !self.first_time(&folder.dir) {
            folder.terraform.clear();
            folder.var_files.clear();
        }
        folder.json.retain(|p| self.first_time(p));
        folder.bicep.retain(|p| self.first_time(p));
        if !folder.terraform.is_empty() || !folder.json.is_empty() || !folder.bicep.is_empty() {
            out.visited.push((self.visit)(folder));
        }
    }

    /// A file passed explicitly.
    fn file(&self, path: &Path, out: &mut Out<T>) {
        // The folder as given (`""` for a bare file name), so that listed paths are spelled as
        // the path passed (`main.tf`, not `./main.tf`) and the file is not loaded twice.
        let parent = path.parent().unwrap_or(Path::new(""));
        let dir = parent_dir(path);
        let mut folder = Folder {
            dir: dir.clone(),
            ..Folder::default()
        };
        match classify(path) {
            // A variable file Terraform reads by itself is an input of its folder's module.
            Some(kind @ (FileKind::Terraform | FileKind::DefaultVars)) => {
                // Load the whole module folder so that references across files resolve.
                let mut terraform = BTreeSet::new();
                if kind == FileKind::Terraform {
                    terraform.insert(path.to_path_buf());
                }
                if let Ok(entries) = std::fs::read_dir(&dir) {
                    for entry in entries.filter_map(Result::ok) {
                        let name = entry.file_name();
                        let listed = parent.join(&name);
                        if !listed.is_file() || self.exclude.is_match(&name) {
                            continue;
                        }
                        match classify(&listed) {
                            Some(FileKind::DefaultVars) => folder.var_files.push(listed),
                            Some(FileKind::Terraform) => {
                                terraform.insert(listed);
                            }
                            _ => {}
                        }
                    }
                }
                folder.terraform = terraform.into_iter().collect();
            }
            // A Bicep file is read with the Bicep files of its folder: its modules, the file that
            // uses it as a module, its parameter files.
            Some(FileKind::Bicep) => {
                if let Ok(entries) = std::fs::read_dir(&dir) {
                    for entry in entries.filter_map(Result::ok) {
                        let listed = parent.join(entry.file_name());
                        if listed.is_file()
                            && !self.exclude.is_match(entry.file_name())
                            && classify(&listed) == Some(FileKind::Bicep)
                        {
                            folder.bicep.push(listed);
                        }
                    }
                }
                folder.bicep.sort();
            }
            Some(FileKind::Json) => {
                folder.json.push(path.to_path_buf());
                folder.explicit = Some(path.to_path_buf());
                // A parameter file `X.parameters.json` is an input of the template `X.json`.
                if let Some(template) = conventional_template(path) {
                    folder.json.push(template);
                }
            }
            _ => return,
        }
        self.visit(folder, out);
    }

    /// Walk `dir` (under `root`), its subfolders in parallel. Symbolic links are followed; one
    /// that leads back to a folder above it is reported as a loop, not followed. The type of an
    /// entry comes from the folder listing: only links cost a `stat`.
    fn dir(&self, root: &Path, dir: &Path, out: &mut Out<T>) {
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
        let mut folder = Folder {
            dir: dir.to_path_buf(),
            ..Folder::default()
        };
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
            if !self.exclude.is_empty() {
                let rel = path.strip_prefix(root).unwrap_or(&path);
                if self.exclude.is_match(rel) {
                    continue;
                }
            }
            let is_dir = match entry.file_type() {
                Ok(t) if t.is_symlink() => match std::fs::metadata(&path) {
                    Ok(m) if m.is_dir() => {
                        if leads_back(&path, root) {
                            out.errors
                                .push((path, "symbolic link loop: not followed".to_string()));
                            continue;
                        }
                        true
                    }
                    Ok(m) if m.is_file() => false,
                    Ok(_) => continue,
                    Err(e) => {
                        out.errors.push((path, format!("cannot read: {e}")));
                        continue;
                    }
                },
                Ok(t) if t.is_dir() => true,
                Ok(t) if t.is_file() => false,
                Ok(_) => continue,
                Err(e) => {
                    out.errors.push((path, format!("cannot read: {e}")));
                    continue;
                }
            };
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
                Some(FileKind::DefaultVars) => folder.var_files.push(path),
                Some(FileKind::Terraform) => folder.terraform.push(path),
                Some(FileKind::Json) => folder.json.push(path),
                Some(FileKind::Bicep) => folder.bicep.push(path),
                _ => {}
            }
        }
        folder.terraform.sort();
        folder.bicep.sort();
        // This folder's own work and its subfolders run in parallel.
        let (mine, below) = rayon::join(
            || {
                let mut mine = Out::default();
                self.visit(folder, &mut mine);
                mine
            },
            || {
                subdirs
                    .par_iter()
                    .map(|sub| {
                        let mut below = Out::default();
                        self.dir(root, sub, &mut below);
                        below
                    })
                    .reduce(Out::default, Out::append)
            },
        );
        let before = std::mem::take(out);
        *out = before.append(mine).append(below);
    }
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

/// The template `X.json` whose conventional parameter file `path` (`X.parameters.json`) is, when
/// it exists.
fn conventional_template(path: &Path) -> Option<PathBuf> {
    let name = path.file_name()?.to_str()?;
    let cut = name.len().checked_sub(".parameters.json".len())?;
    if cut == 0 || !name.is_char_boundary(cut) {
        return None;
    }
    let (stem, suffix) = name.split_at(cut);
    let template = path.with_file_name(format!("{stem}.json"));
    (suffix == ".parameters.json" && template.is_file()).then_some(template)
}

fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The folders visited, sorted, with their Terraform and JSON files.
    fn folders(paths: &[PathBuf], exclude: &[&str]) -> (Vec<Folder>, Walked<()>) {
        let globs: Vec<String> = exclude.iter().map(|g| g.to_string()).collect();
        let seen = Mutex::new(Vec::new());
        let walked = walk(paths, &excludes(&globs).unwrap(), &|f| {
            seen.lock().unwrap().push(f);
        });
        let mut folders = seen.into_inner().unwrap();
        folders.sort_by(|a, b| a.dir.cmp(&b.dir));
        (folders, walked)
    }

    fn touch(root: &Path, files: &[&str]) {
        for f in files {
            let p = root.join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, "").unwrap();
        }
    }

    #[test]
    fn walks_skips_and_excludes() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        touch(
            root,
            &[
                "a/main.tf",
                "a/net.tf",
                "a/terraform.tfvars",
                "b/t.json",
                ".terraform/m/x.tf",
                "node_modules/p/package.json",
                "c/skip.tf",
            ],
        );
        let (found, walked) = folders(&[root.to_path_buf()], &["c"]);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].dir, root.join("a"));
        assert_eq!(
            found[0].terraform,
            [root.join("a/main.tf"), root.join("a/net.tf")]
        );
        assert_eq!(found[0].var_files, [root.join("a/terraform.tfvars")]);
        assert_eq!(found[1].json, [root.join("b/t.json")]);
        assert!(walked.explicit.is_empty());
        assert_eq!(walked.visited.len(), 2);

        // A file acrlint does not read is a warning when named, and quiet in a folder.
        touch(root, &["a/notes.txt", "a/main.bicep", "a/dns.bicep"]);
        let (found, walked) = folders(&[root.join("a/notes.txt")], &[]);
        assert!(found.is_empty());
        assert_eq!(walked.warnings.len(), 1);
        assert!(walked.explicit.is_empty());
        // A Bicep file passed alone loads the Bicep files of its folder (its modules, callers and
        // parameter files).
        let (found, walked) = folders(&[root.join("a/main.bicep")], &[]);
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].bicep,
            [root.join("a/dns.bicep"), root.join("a/main.bicep")]
        );
        assert!(found[0].terraform.is_empty());
        assert_eq!(walked.explicit.len(), 1);
        let (_, walked) = folders(&[root.join("a")], &[]);
        assert!(walked.warnings.is_empty());

        // A file passed alone loads its whole folder and is the only one reported.
        let (found, walked) = folders(&[root.join("a/main.tf")], &[]);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].terraform.len(), 2);
        assert_eq!(walked.explicit.len(), 1);

        // Overlapping paths visit each folder once.
        let (found, _) = folders(
            &[root.to_path_buf(), root.join("a"), root.join("b/t.json")],
            &[],
        );
        assert_eq!(found.len(), 3, "{found:?}");
    }

    #[cfg(unix)]
    #[test]
    fn follows_links_but_not_loops() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        touch(root, &["a/b/main.tf", "shared/net.tf"]);
        // A link to a folder beside it is walked; one to a folder above it is a loop.
        std::os::unix::fs::symlink(root.join("shared"), root.join("a/b/shared")).unwrap();
        std::os::unix::fs::symlink(root.join("a"), root.join("a/b/up")).unwrap();
        let (found, walked) = folders(&[root.to_path_buf()], &[]);
        let dirs: Vec<_> = found.iter().map(|f| f.dir.clone()).collect();
        assert_eq!(
            dirs,
            [
                root.join("a/b"),
                root.join("a/b/shared"),
                root.join("shared")
            ]
        );
        assert_eq!(walked.errors.len(), 1, "{:?}", walked.errors);
        assert_eq!(walked.errors[0].0, root.join("a/b/up"));
        assert!(walked.errors[0].1.contains("loop"));
    }
}
