//! Ignore files (`.gitignore`, `.ignore`, `.git/info/exclude`) as the walk descends: one matcher
//! per folder that has such files, stacked from the scanned root down, the nearest folder's
//! match winning (as in git and ripgrep). The matchers are ripgrep's own
//! (`ignore::gitignore`); only the walk is ours, so that listing folders and parsing them still
//! overlap (the `ignore` crate's parallel walker measured slower for acrlint for that reason).
//!
//! `.gitignore` files are respected whether or not the folder is in a git repository, as ruff
//! does. Above a scanned folder, the ignore files of its ancestors apply up to the root of the
//! git repository holding it (none when it is in no repository), and so does that repository's
//! `.git/info/exclude`. Within one folder `.ignore` wins over `.gitignore`, which wins over
//! `.git/info/exclude`. Git's global excludes file is not read: a scan should not depend on the
//! settings of the machine it runs on.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use ignore::gitignore::{Gitignore, GitignoreBuilder};

/// The ignore files of one folder, in rising precedence (later rules win).
const FILES: [&str; 3] = [".git/info/exclude", ".gitignore", ".ignore"];

/// How far up the ancestors of a scanned folder are searched for a repository root.
const MAX_WALK_UP: usize = 256;

/// The matchers that apply in a folder, innermost first; `None` when none does.
pub(super) type Stack = Option<Arc<Frame>>;

/// The rules of one folder's ignore files, on top of those of the folders above it.
pub(super) struct Frame {
    matcher: Gitignore,
    /// The folder the walk reaches these rules at, spelled as the walk spells paths: the
    /// matcher's own folder, or for the ancestors of a scanned root, that root.
    base: PathBuf,
    /// For the ancestor of a scanned root: the root's path relative to the ancestor (the rules
    /// are written relative to the ancestor). Empty otherwise.
    prefix: PathBuf,
    parent: Stack,
}

/// Which ignore files a folder listing showed: those worth opening.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Present {
    pub git: bool,
    pub gitignore: bool,
    pub ignore: bool,
}

impl Present {
    /// Note an entry of the listing.
    pub fn note(&mut self, name: &std::ffi::OsStr) {
        match name.to_str() {
            Some(".git") => self.git = true,
            Some(".gitignore") => self.gitignore = true,
            Some(".ignore") => self.ignore = true,
            _ => {}
        }
    }

    fn any(self) -> bool {
        self.git || self.gitignore || self.ignore
    }

    fn has(self, file: &str) -> bool {
        match file {
            ".git/info/exclude" => self.git,
            ".gitignore" => self.gitignore,
            _ => self.ignore,
        }
    }
}

/// Whether `path` (found in a folder under the stack's folders) is ignored: the innermost folder
/// whose rules say anything about it decides, so a nested `!pattern` re-includes what a folder
/// above ignores, and a nested pattern ignores what a folder above re-includes.
pub(super) fn ignored(stack: &Stack, path: &Path, is_dir: bool) -> bool {
    let mut frame = stack.as_deref();
    while let Some(f) = frame {
        if let Ok(rel) = path.strip_prefix(&f.base) {
            let matched = if f.prefix.as_os_str().is_empty() {
                f.matcher.matched(rel, is_dir)
            } else {
                f.matcher.matched(f.prefix.join(rel), is_dir)
            };
            if matched.is_ignore() {
                return true;
            }
            if matched.is_whitelist() {
                return false;
            }
        }
        frame = f.parent.as_deref();
    }
    false
}

/// The stack for the entries of `dir`, whose listing showed `present`: `parent` with `dir`'s own
/// rules on top. An ignore file that cannot be read is an error (it is read as every input is:
/// a regular file of bounded size, so a FIFO there cannot hang the walk).
pub(super) fn push(
    parent: &Stack,
    dir: &Path,
    present: Present,
    errors: &mut Vec<(PathBuf, String)>,
) -> Stack {
    if !present.any() {
        return parent.clone();
    }
    let files = FILES.iter().filter(|f| present.has(f)).map(|f| dir.join(f));
    match matcher(dir, files, errors) {
        Some(matcher) => Some(Arc::new(Frame {
            matcher,
            base: dir.to_path_buf(),
            prefix: PathBuf::new(),
            parent: parent.clone(),
        })),
        None => parent.clone(),
    }
}

/// The stack that applies in a scanned folder `root` before its own listing: the rules of its
/// ancestors up to the root of the git repository holding it, outermost at the bottom.
pub(super) fn ancestors(root: &Path, errors: &mut Vec<(PathBuf, String)>) -> Stack {
    let canonical = root.canonicalize().ok()?;
    // The root of a repository: the rules of a repository around it do not apply in it.
    if canonical.join(".git").exists() {
        return None;
    }
    let above: Vec<&Path> = canonical.ancestors().skip(1).take(MAX_WALK_UP).collect();
    let repo = above.iter().position(|dir| dir.join(".git").exists())?;
    let mut stack = None;
    for (i, dir) in above[..=repo].iter().enumerate().rev() {
        let files = FILES
            .iter()
            // The repository's exclude file, not that of a folder above it.
            .filter(|f| i == repo || !f.starts_with(".git/"))
            .map(|f| dir.join(f))
            .filter(|f| f.exists());
        if let Some(matcher) = matcher(dir, files, errors) {
            stack = Some(Arc::new(Frame {
                matcher,
                base: root.to_path_buf(),
                prefix: canonical.strip_prefix(dir).unwrap_or(&canonical).into(),
                parent: stack,
            }));
        }
    }
    stack
}

/// One matcher for the ignore files `files` of `dir`, in rising precedence; `None` when they
/// hold no rule.
fn matcher(
    dir: &Path,
    files: impl Iterator<Item = PathBuf>,
    errors: &mut Vec<(PathBuf, String)>,
) -> Option<Gitignore> {
    // The matcher is given paths relative to `dir`; an absolute root keeps it from stripping a
    // relative path that merely starts with the same name.
    let root = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
    let mut builder = GitignoreBuilder::new(root);
    for file in files {
        let text = match crate::load::read_bounded(&file) {
            Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            // `.git` may be a file (a worktree or submodule): then it has no exclude file.
            Err(_) if file.ends_with(".git/info/exclude") => continue,
            Err(e) => {
                errors.push((file, e));
                continue;
            }
        };
        for line in text.lines() {
            // A line that is not a valid pattern is skipped, as git does.
            let _ = builder.add_line(Some(file.clone()), line);
        }
    }
    builder
        .build()
        .ok()
        .filter(|m| m.num_ignores() + m.num_whitelists() > 0)
}
