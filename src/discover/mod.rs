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

mod ignores;

/// How many folders up from a data file passed its configuration is looked for.
const MAX_DATA_LEVELS: usize = 8;

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
    /// The names in the folder's listing that end in `.parameters.json` (any case, any kind,
    /// excluded and ignored ones too); `None` when the folder was not listed (a file passed
    /// alone). A template's conventional parameter file is then known absent with no system
    /// call.
    pub parameter_files: Option<Vec<std::ffi::OsString>>,
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
    /// Files named on the command line that acrlint does not analyse, but a configuration
    /// beside or above them may read as data: path, and why they are not analysed. One that an
    /// analysis reads is passed as the files of `explicit` are; one that none reads is a warning.
    pub data: Vec<(PathBuf, String)>,
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

/// How a walk treats links and ignore files.
#[derive(Clone, Copy, Debug, Default)]
pub struct WalkOptions {
    /// Follow links to folders outside the scanned paths (`--follow-links`).
    pub follow_links: bool,
    /// Do not read `.gitignore`, `.ignore` and `.git/info/exclude` (`--no-ignore`).
    pub no_ignore: bool,
}

/// Walk the given paths and call `visit` on each folder that holds Terraform or JSON files, as
/// soon as it is listed: folders are listed and visited in parallel, so that reading and parsing
/// start while the walk goes on. A path given as a file visits that file's scope only (for a
/// Terraform file, its whole folder). Each real folder is visited once (by device and inode),
/// however many paths or links reach it.
///
/// Links to folders: one inside the scanned paths is not followed (the folder is visited under
/// its own name, so findings name it the same way every run), and one back to a folder above it
/// is reported as a loop; one leading outside them is skipped quietly unless `follow_links`
/// (a link to `/` must not scan the machine). The paths given are walked whatever they are.
///
/// Ignore files decide which folders and templates are analysed, never what Terraform loads for
/// a module that is analysed: a folder is a module to analyse when one of its `.tf` files is
/// not ignored, and then all of its `.tf` files and variable files are loaded, ignored or not
/// (Terraform reads every `.tf` of the folder, and a git-ignored `terraform.tfvars` is the
/// usual place for a folder's values). An ignored folder is not walked.
pub fn walk<T: Send>(
    paths: &[PathBuf],
    exclude: &GlobSet,
    options: WalkOptions,
    visit: &(dyn Fn(Folder) -> T + Sync),
) -> Walked<T> {
    let roots = paths
        .iter()
        .filter(|p| p.is_dir())
        .filter_map(|p| p.canonicalize().ok())
        .collect();
    let walker = Walker {
        exclude,
        visit,
        options,
        roots,
        // Only overlapping paths can reach the same file twice.
        seen: (paths.len() > 1).then(|| Mutex::new(FxHashSet::default())),
        dirs: Mutex::new(FxHashSet::default()),
    };
    let mut walked = Walked {
        visited: Vec::new(),
        explicit: BTreeSet::new(),
        errors: Vec::new(),
        warnings: Vec::new(),
        data: Vec::new(),
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
            match crate::classify::not_analysed(root) {
                Some(why) if crate::classify::may_be_data(root) => walker.data(root, why, &mut out),
                Some(why) => out.warnings.push((root.clone(), why)),
                None => {
                    walked.explicit.insert(root.clone());
                    walker.file(root, &mut out);
                }
            }
        } else {
            let ignores = if options.no_ignore {
                None
            } else {
                ignores::ancestors(root, &mut out.errors)
            };
            walker.dir(root, root, &ignores, &mut out);
        }
        walked.visited.append(&mut out.visited);
        walked.errors.append(&mut out.errors);
        walked.data.append(&mut out.data);
        walked.warnings.append(&mut out.warnings);
    }
    walked
}

/// `*.parameters.json`, in any case.
pub fn is_parameter_file_name(name: &std::ffi::OsStr) -> bool {
    crate::classify::ends_any_case(name.as_encoded_bytes(), ".parameters.json")
}

/// A folder's identity: the same however it is reached.
#[cfg(unix)]
type DirId = (u64, u64);
#[cfg(not(unix))]
type DirId = PathBuf;

#[cfg(unix)]
fn dir_id(dir: &Path) -> Option<DirId> {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::metadata(dir).ok()?;
    Some((meta.dev(), meta.ino()))
}

#[cfg(not(unix))]
fn dir_id(dir: &Path) -> Option<DirId> {
    dir.canonicalize().ok()
}

struct Walker<'a, T> {
    exclude: &'a GlobSet,
    visit: &'a (dyn Fn(Folder) -> T + Sync),
    options: WalkOptions,
    /// The folders given to scan, canonical: links into them are not followed, and links out of
    /// them only with `follow_links`.
    roots: Vec<PathBuf>,
    /// Terraform folders and JSON files already visited, when several paths are walked.
    seen: Option<Mutex<FxHashSet<PathBuf>>>,
    /// Every folder walked: a folder reached again is not walked again.
    dirs: Mutex<FxHashSet<DirId>>,
}

/// What one part of a walk produced, merged up the tree.
struct Out<T> {
    visited: Vec<T>,
    errors: Vec<(PathBuf, String)>,
    /// Files passed that may be data of a configuration: path, and why they are not analysed.
    data: Vec<(PathBuf, String)>,
    /// Files passed that are not analysed: path and why.
    warnings: Vec<(PathBuf, String)>,
}

impl<T> Default for Out<T> {
    fn default() -> Self {
        Out {
            visited: Vec::new(),
            errors: Vec::new(),
            data: Vec::new(),
            warnings: Vec::new(),
        }
    }
}

impl<T> Out<T> {
    fn append(mut self, mut other: Out<T>) -> Out<T> {
        self.visited.append(&mut other.visited);
        self.errors.append(&mut other.errors);
        self.data.append(&mut other.data);
        self.warnings.append(&mut other.warnings);
        self
    }
}

/// What a folder entry is, as far as the walk cares.
enum Entry {
    Dir,
    /// A regular file, or a link to one.
    File,
    /// A FIFO, socket or device (or a link to one): never opened by the walk, but reported when
    /// its name is one acrlint analyses.
    Special,
    /// Nothing to walk or read (a link not followed).
    Skip,
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

    /// Whether the folder `dir` is walked for the first time, by device and inode.
    fn first_walk(&self, dir: &Path) -> bool {
        // A folder that cannot be identified cannot be a repeat: its listing says what is wrong.
        let Some(id) = dir_id(dir) else {
            return true;
        };
        let mut dirs = self.dirs.lock().unwrap_or_else(|e| e.into_inner());
        dirs.insert(id)
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
        let mut folder = match classify(path) {
            // A variable file Terraform reads by itself is an input of its folder's module.
            Some(kind @ (FileKind::Terraform | FileKind::DefaultVars)) => {
                // Load the whole module folder so that references across files resolve.
                let mut folder = self.listing(parent);
                folder.bicep.clear();
                if kind == FileKind::Terraform && !folder.terraform.iter().any(|p| p == path) {
                    folder.terraform.push(path.to_path_buf());
                    folder.terraform.sort();
                }
                folder
            }
            // A Bicep file is read with the Bicep files of its folder: its modules, the file that
            // uses it as a module, its parameter files.
            Some(FileKind::Bicep) => {
                let mut folder = self.listing(parent);
                folder.terraform.clear();
                folder.var_files.clear();
                folder
            }
            Some(FileKind::Json) => match json_data(path) {
                Some(why) => return self.data(path, why, out),
                None => {
                    let mut folder = Folder::default();
                    folder.json.push(path.to_path_buf());
                    folder.explicit = Some(path.to_path_buf());
                    // A parameter file `X.parameters.json` is an input of the template `X.json`,
                    // or of the Bicep file `X.bicep` (the Azure Developer CLI's convention), read
                    // with the Bicep files of its folder.
                    folder.json.extend(conventional_template(path));
                    if path.file_name().is_some_and(is_parameter_file_name) {
                        folder.bicep = self.listing(parent).bicep;
                    }
                    folder
                }
            },
            _ => return,
        };
        folder.dir = parent_dir(path);
        self.visit(folder, out);
    }

    /// The Terraform, variable and Bicep files of the folder `parent` (spelled as passed), from
    /// one listing of it. Not only regular files: the reader reports a FIFO or a device.
    fn listing(&self, parent: &Path) -> Folder {
        let mut folder = Folder::default();
        if let Ok(entries) = std::fs::read_dir(spelled_dir(parent)) {
            for entry in entries.filter_map(Result::ok) {
                let name = entry.file_name();
                let listed = parent.join(&name);
                if listed.is_dir() || self.exclude.is_match(&name) {
                    continue;
                }
                match classify(&listed) {
                    Some(FileKind::DefaultVars) => folder.var_files.push(listed),
                    Some(FileKind::Terraform) => folder.terraform.push(listed),
                    Some(FileKind::Bicep) => folder.bicep.push(listed),
                    _ => {}
                }
            }
        }
        folder.terraform.sort();
        folder.bicep.sort();
        folder
    }

    /// A file passed that acrlint does not analyse itself, but that a configuration may read
    /// as data (Terraform `file()`, Bicep `loadTextContent()`): the configuration of its
    /// folder is loaded, else that of the nearest folder above it that has one, up to the
    /// repository's root, and the results that depend on the file are reported. With no
    /// configuration there, `why` it is not analysed is a warning.
    fn data(&self, path: &Path, why: String, out: &mut Out<T>) {
        let mut parent = path.parent().unwrap_or(Path::new("")).to_path_buf();
        for _ in 0..MAX_DATA_LEVELS {
            let folder = self.listing(&parent);
            if !folder.terraform.is_empty() || !folder.bicep.is_empty() {
                out.data.push((path.to_path_buf(), why));
                let dir = spelled_dir(&parent);
                return self.visit(Folder { dir, ..folder }, out);
            }
            // Above the folder as given, by its real path: `config/..` is spelled as what it is.
            let real = match parent.as_os_str().is_empty() {
                true => std::fs::canonicalize("."),
                false => std::fs::canonicalize(&parent),
            };
            let Ok(real) = real else { break };
            if real.join(".git").exists() {
                break;
            }
            match real.parent() {
                Some(up) => parent = up.to_path_buf(),
                None => break,
            }
        }
        out.warnings.push((path.to_path_buf(), why));
    }

    /// What the entry at `path` is; for a link, what it points to, and whether to follow it.
    /// The type of an entry comes from the folder listing: only links cost a `stat`.
    fn entry(&self, root: &Path, path: &Path, ty: std::fs::FileType, out: &mut Out<T>) -> Entry {
        if ty.is_dir() {
            return Entry::Dir;
        }
        if ty.is_file() {
            return Entry::File;
        }
        if !ty.is_symlink() {
            return Entry::Special;
        }
        match std::fs::metadata(path) {
            Ok(m) if m.is_dir() => {
                if leads_back(path, root) {
                    out.errors.push((
                        path.to_path_buf(),
                        "symbolic link loop: not followed".to_string(),
                    ));
                    return Entry::Skip;
                }
                match self.link_target(path) {
                    LinkTarget::Inside => Entry::Skip,
                    LinkTarget::Outside if !self.options.follow_links => Entry::Skip,
                    LinkTarget::Outside => Entry::Dir,
                }
            }
            // A link to a file is read as the file: Terraform loads it as part of the module,
            // wherever it points, and the reader refuses what is not a bounded regular file.
            Ok(m) if m.is_file() => Entry::File,
            Ok(_) => Entry::Special,
            Err(e) => {
                out.errors
                    .push((path.to_path_buf(), format!("cannot read: {e}")));
                Entry::Skip
            }
        }
    }

    /// Where a link to a folder leads, compared with the scanned folders.
    fn link_target(&self, link: &Path) -> LinkTarget {
        match link.canonicalize() {
            Ok(target) if self.roots.iter().any(|root| target.starts_with(root)) => {
                LinkTarget::Inside
            }
            _ => LinkTarget::Outside,
        }
    }

    /// Walk `dir` (under `root`, with the ignore rules `ignores` of the folders above it), its
    /// subfolders in parallel.
    fn dir(&self, root: &Path, dir: &Path, ignores: &ignores::Stack, out: &mut Out<T>) {
        use rayon::prelude::*;
        if !self.first_walk(dir) {
            return;
        }
        let entries = match std::fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(e) => {
                out.errors
                    .push((dir.to_path_buf(), format!("cannot read: {e}")));
                return;
            }
        };
        // The listing first: whether this folder has ignore files is known only at its end.
        // Subfolders (`None`), and the files acrlint reads with what they are.
        let mut listed: Vec<(PathBuf, Option<FileKind>)> = Vec::new();
        let mut present = ignores::Present::default();
        let mut parameter_files = Vec::new();
        for entry in entries {
            let entry = match entry {
                Ok(entry) => entry,
                Err(e) => {
                    out.errors
                        .push((dir.to_path_buf(), format!("cannot read: {e}")));
                    continue;
                }
            };
            let name = entry.file_name();
            present.note(&name);
            if is_parameter_file_name(&name) {
                parameter_files.push(name.clone());
            }
            let path = entry.path();
            if !self.exclude.is_empty() {
                let rel = path.strip_prefix(root).unwrap_or(&path);
                if self.exclude.is_match(rel) {
                    continue;
                }
            }
            let kind = match entry.file_type() {
                Ok(ty) => self.entry(root, &path, ty, out),
                Err(e) => {
                    out.errors.push((path, format!("cannot read: {e}")));
                    continue;
                }
            };
            match kind {
                Entry::Dir if name.to_str().is_some_and(|n| SKIPPED_DIRS.contains(&n)) => {}
                Entry::Dir => listed.push((path, None)),
                // A FIFO or a device is listed like a file: the reader says what it is, without
                // opening it, as for a path given on the command line.
                // Only names acrlint reads are kept: other files cost nothing more.
                Entry::File | Entry::Special => {
                    let kind = classify(&path);
                    if let Some(
                        FileKind::Terraform
                        | FileKind::DefaultVars
                        | FileKind::Json
                        | FileKind::Bicep,
                    ) = kind
                    {
                        listed.push((path, kind));
                    }
                }
                Entry::Skip => {}
            }
        }
        let ignores = if self.options.no_ignore {
            None
        } else {
            ignores::push(ignores, dir, present, &mut out.errors)
        };
        let mut subdirs = Vec::new();
        let mut folder = Folder {
            dir: dir.to_path_buf(),
            parameter_files: Some(parameter_files),
            ..Folder::default()
        };
        // Whether a `.tf` file of the folder is not ignored: then the folder is a module to
        // analyse, with all its files.
        let mut linted = false;
        for (path, kind) in listed {
            let ignored = ignores.is_some() && ignores::ignored(&ignores, &path, kind.is_none());
            match kind {
                None if !ignored => subdirs.push(path),
                Some(FileKind::DefaultVars) => folder.var_files.push(path),
                Some(FileKind::Terraform) => {
                    linted |= !ignored;
                    folder.terraform.push(path);
                }
                Some(FileKind::Json) if !ignored => folder.json.push(path),
                Some(FileKind::Bicep) if !ignored => folder.bicep.push(path),
                _ => {}
            }
        }
        if linted {
            folder.terraform.sort();
        } else {
            folder.terraform.clear();
            folder.var_files.clear();
        }
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
                        self.dir(root, sub, &ignores, &mut below);
                        below
                    })
                    .reduce(Out::default, Out::append)
            },
        );
        let before = std::mem::take(out);
        *out = before.append(mine).append(below);
    }
}

/// Where a link to a folder leads.
enum LinkTarget {
    /// Into a scanned folder: the walk reaches it by its own name.
    Inside,
    /// Out of every scanned folder.
    Outside,
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
    spelled_dir(path.parent().unwrap_or(Path::new("")))
}

/// A folder as given, `.` for the empty path of a bare file name's parent.
fn spelled_dir(dir: &Path) -> PathBuf {
    match dir.as_os_str().is_empty() {
        true => PathBuf::from("."),
        false => dir.to_path_buf(),
    }
}

/// Why a JSON file passed is not analysed, when it is data rather than a template, a parameter
/// file or a plan (judged from its text); `None` for those, and for a file that cannot be read
/// (the reader reports it).
fn json_data(path: &Path) -> Option<String> {
    let text = crate::load::read_text(path).ok()?;
    if crate::load::plan::is_plan(&text) {
        return None;
    }
    crate::classify::json_not_analysed(&text)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The folders visited, sorted, with their Terraform and JSON files.
    fn folders(paths: &[PathBuf], exclude: &[&str]) -> (Vec<Folder>, Walked<()>) {
        walk_with(paths, exclude, WalkOptions::default())
    }

    fn walk_with(
        paths: &[PathBuf],
        exclude: &[&str],
        options: WalkOptions,
    ) -> (Vec<Folder>, Walked<()>) {
        let globs: Vec<String> = exclude.iter().map(|g| g.to_string()).collect();
        let seen = Mutex::new(Vec::new());
        let walked = walk(paths, &excludes(&globs).unwrap(), options, &|f| {
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

        // A file acrlint does not read, named, may be data of the configuration beside it
        // (`file()`): that configuration is loaded, and the file is passed. Quiet in a folder.
        touch(root, &["a/notes.txt", "a/main.bicep", "a/dns.bicep"]);
        let (found, walked) = folders(&[root.join("a/notes.txt")], &[]);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].terraform.len(), 2);
        assert_eq!(found[0].bicep.len(), 2);
        assert_eq!(walked.data.len(), 1);
        assert!(walked.warnings.is_empty());
        assert!(walked.explicit.is_empty());
        // With no configuration in its folder, the one above it.
        touch(root, &["a/docs/notes.txt"]);
        let (found, walked) = folders(&[root.join("a/docs/notes.txt")], &[]);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].terraform.len(), 2);
        assert_eq!(walked.data.len(), 1);
        std::fs::remove_dir_all(root.join("a/docs")).unwrap();
        // A name Terraform would read in another case is a warning.
        touch(root, &["a/MAIN.TF"]);
        let (found, walked) = folders(&[root.join("a/MAIN.TF")], &[]);
        assert!(found.is_empty());
        assert_eq!(walked.warnings.len(), 1);
        assert!(walked.explicit.is_empty());
        std::fs::remove_file(root.join("a/MAIN.TF")).unwrap();
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

    fn dirs(found: &[Folder]) -> Vec<PathBuf> {
        found.iter().map(|f| f.dir.clone()).collect()
    }

    #[cfg(unix)]
    fn link(target: impl AsRef<Path>, link: impl AsRef<Path>) {
        std::os::unix::fs::symlink(target, link).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn links_inside_are_not_followed_and_loops_are_reported() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        touch(root, &["a/b/main.tf", "shared/net.tf"]);
        // A link to a folder beside it: the folder is visited once, under its own name.
        link(root.join("shared"), root.join("a/b/shared"));
        // A link to a folder above it is a loop.
        link(root.join("a"), root.join("a/b/up"));
        let (found, walked) = folders(&[root.to_path_buf()], &[]);
        assert_eq!(dirs(&found), [root.join("a/b"), root.join("shared")]);
        assert_eq!(walked.errors.len(), 1, "{:?}", walked.errors);
        assert_eq!(walked.errors[0].0, root.join("a/b/up"));
        assert!(walked.errors[0].1.contains("loop"));
    }

    /// Ten levels of folders, each linking to the folder beside it: 2^10 paths to the bottom.
    #[cfg(unix)]
    fn web(top: &Path) {
        let mut level = top.to_path_buf();
        for _ in 0..10 {
            touch(&level, &["x/main.tf", "y/main.tf"]);
            link(level.join("y"), level.join("x/to_y"));
            link(level.join("x"), level.join("y/to_x"));
            level = level.join("x");
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_web_of_links_visits_each_folder_once() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("root");
        web(&root);
        let (found, walked) = folders(std::slice::from_ref(&root), &[]);
        assert_eq!(found.len(), 20, "{:?}", dirs(&found));
        assert!(walked.errors.is_empty(), "{:?}", walked.errors);

        // The same web outside the root, reached through a link and followed: each real folder
        // is still walked once (by device and inode), through whichever link reached it first.
        let outside = dir.path().join("outside");
        web(&outside);
        std::fs::create_dir(dir.path().join("other")).unwrap();
        link(&outside, dir.path().join("other/web"));
        let options = WalkOptions {
            follow_links: true,
            ..WalkOptions::default()
        };
        let (found, walked) = walk_with(&[dir.path().join("other")], &[], options);
        assert_eq!(found.len(), 20, "{:?}", dirs(&found));
        // Reached through `x/to_y`, `to_x` leads back above itself: a loop, as inside a root.
        assert!(
            walked.errors.iter().all(|(_, e)| e.contains("loop")),
            "{:?}",
            walked.errors
        );
    }

    #[cfg(unix)]
    #[test]
    fn links_leaving_the_roots_are_followed_only_when_asked() {
        let dir = tempfile::tempdir().unwrap();
        let (root, outside) = (dir.path().join("root"), dir.path().join("outside"));
        touch(&root, &["a/main.tf"]);
        touch(&outside, &["o/main.tf"]);
        link(&outside, root.join("a/out"));
        link(&outside, root.join("a/again"));
        link("/", root.join("rootfs"));
        let (found, walked) = folders(std::slice::from_ref(&root), &[]);
        assert_eq!(dirs(&found), [root.join("a")]);
        assert!(walked.errors.is_empty(), "{:?}", walked.errors);

        // Followed when asked; the folder two links reach is walked once, through one of them.
        let (found, walked) = walk_with(
            &[root.join("a")],
            &[],
            WalkOptions {
                follow_links: true,
                ..WalkOptions::default()
            },
        );
        let found = dirs(&found);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(
            found[1] == root.join("a/again/o") || found[1] == root.join("a/out/o"),
            "{found:?}"
        );
        assert!(walked.errors.is_empty(), "{:?}", walked.errors);

        // A link named on the command line is walked, whatever it leads to.
        let (found, _) = folders(&[root.join("a/out")], &[]);
        assert_eq!(dirs(&found), [root.join("a/out/o")]);
    }

    #[test]
    fn ignore_files_decide_what_is_analysed() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        touch(
            root,
            &[
                "gen/main.tf",
                "keep/gen/main.tf",
                "env/main.tf",
                "env/terraform.tfvars",
                "env/local.tf",
                "only/local.tf",
                "t/ignored.json",
                "t/kept.json",
                "deep/a/main.tf",
                "deep/b/main.tf",
            ],
        );
        let write = |rel: &str, text: &str| std::fs::write(root.join(rel), text).unwrap();
        write(
            ".gitignore",
            "gen/\n*.tfvars\nlocal.tf\nt/*.json\n!t/kept.json\n",
        );
        // A nested file re-includes what the root ignores; `.ignore` wins over `.gitignore`.
        write("keep/.gitignore", "!gen/\n");
        write("deep/.gitignore", "a/\n");
        write("deep/.ignore", "!a/\nb/\n");

        let (found, walked) = folders(&[root.to_path_buf()], &[]);
        assert!(walked.errors.is_empty(), "{:?}", walked.errors);
        assert_eq!(
            dirs(&found),
            [
                root.join("deep/a"),
                root.join("env"),
                root.join("keep/gen"),
                root.join("t"),
            ]
        );
        // A module analysed loads all its files, ignored or not.
        let env = &found[1];
        assert_eq!(
            env.terraform,
            [root.join("env/local.tf"), root.join("env/main.tf")]
        );
        assert_eq!(env.var_files, [root.join("env/terraform.tfvars")]);
        assert_eq!(found[3].json, [root.join("t/kept.json")]);

        // `--no-ignore`: everything.
        let (found, _) = walk_with(
            &[root.to_path_buf()],
            &[],
            WalkOptions {
                no_ignore: true,
                ..WalkOptions::default()
            },
        );
        assert_eq!(found.len(), 7, "{:?}", dirs(&found));
    }

    #[test]
    fn ignore_files_above_a_scanned_folder_apply_up_to_the_repository() {
        let dir = tempfile::tempdir().unwrap();
        let repo = dir.path().join("repo");
        touch(
            &repo,
            &[
                "infra/gen/main.tf",
                "infra/net/main.tf",
                "infra/tmp/main.tf",
            ],
        );
        std::fs::create_dir_all(repo.join(".git/info")).unwrap();
        std::fs::write(repo.join(".git/info/exclude"), "tmp/\n").unwrap();
        std::fs::write(repo.join(".gitignore"), "infra/gen/\n").unwrap();
        // Above the repository: not read.
        std::fs::write(dir.path().join(".gitignore"), "net/\n").unwrap();
        let (found, walked) = folders(&[repo.join("infra")], &[]);
        assert!(walked.errors.is_empty(), "{:?}", walked.errors);
        assert_eq!(dirs(&found), [repo.join("infra/net")]);
    }

    /// A FIFO, socket or device under a name acrlint reads is listed like a file, so that the
    /// reader reports it; one under another name stays quiet.
    #[cfg(unix)]
    #[test]
    fn special_files_under_analysed_names_are_listed() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        touch(root, &["m/main.tf"]);
        let fifo = |name: &str| {
            let made = std::process::Command::new("mkfifo")
                .arg(root.join(name))
                .status();
            made.is_ok_and(|s| s.success())
        };
        if !(fifo("m/x.tf") && fifo("m/notes.txt")) {
            eprintln!("mkfifo is not available: skipped");
            return;
        }
        link("/dev/null", root.join("m/t.json"));
        let (found, _) = folders(&[root.to_path_buf()], &[]);
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].terraform,
            [root.join("m/main.tf"), root.join("m/x.tf")]
        );
        assert_eq!(found[0].json, [root.join("m/t.json")]);
    }
}
