//! `check --fix` and `--diff`: the fixes of a report applied to the files they edit, as ruff
//! does: safe fixes unless unsafe ones are asked for; edits that overlap one already taken wait
//! for the next pass, after the files are re-read and re-analysed; a file is written only when
//! its text changed, atomically, keeping its permissions (and its line endings: only the edited
//! bytes change), never when it changed on disk since it was read or when the result no longer
//! parses.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{syntax, Applicability, Edit, Fix, Syntax};
use crate::check::{check, CheckOptions};
use crate::load::LoadError;
use crate::report::Report;
use crate::source::{FileId, SourceFile};

/// Most passes of fix, re-read and re-analyse: each pass applies at least one fix, so a
/// configuration whose fixes keep producing new ones stops here.
const MAX_PASSES: usize = 10;

/// The new text of one file.
pub struct Change {
    pub path: PathBuf,
    /// The path as reports show it.
    pub display: String,
    pub before: Arc<str>,
    pub after: String,
    /// How many fixes it applies.
    pub fixes: usize,
}

/// What `--fix` did.
#[derive(Default)]
pub struct Summary {
    /// Fixes applied, over all passes.
    pub applied: usize,
    /// Files written (each counted once).
    pub files: Vec<PathBuf>,
}

/// The changes the fixes of `report` make in one pass: safe ones, and unsafe ones when
/// `unsafe_fixes`; identical fixes (two findings of one value) once; a fix whose edits overlap
/// an edit already taken is left for the next pass.
pub fn changes(report: &Report, unsafe_fixes: bool) -> Vec<Change> {
    let mut fixes: Vec<&Fix> = report
        .findings
        .iter()
        .filter_map(|f| f.fix.as_ref())
        .filter(|f| unsafe_fixes || f.applicability == Applicability::Safe)
        .filter(|f| !f.edits.is_empty())
        .collect();
    fixes.sort_by_key(|f| (f.edits[0].file, f.edits[0].start));
    fixes.dedup_by(|a, b| a.edits == b.edits);
    let mut taken: Vec<&Edit> = Vec::new();
    let mut counts: rustc_hash::FxHashMap<FileId, usize> = Default::default();
    for fix in fixes {
        let free = fix
            .edits
            .iter()
            .all(|e| !taken.iter().any(|t| overlap(t, e)));
        if free {
            taken.extend(&fix.edits);
            for file in fix.edits.iter().map(|e| e.file) {
                *counts.entry(file).or_default() += 1;
            }
        }
    }
    let mut by_file: Vec<(FileId, Vec<&Edit>)> = Vec::new();
    for edit in taken {
        match by_file.iter_mut().find(|(f, _)| *f == edit.file) {
            Some((_, edits)) => edits.push(edit),
            None => by_file.push((edit.file, vec![edit])),
        }
    }
    by_file
        .into_iter()
        .map(|(file, mut edits)| {
            let source = report.sources.get(file);
            let mut after = source.text.to_string();
            // From the end, so that the offsets of the edits still to apply stay valid.
            edits.sort_by_key(|e| std::cmp::Reverse(e.start));
            for e in edits {
                after.replace_range(e.start..e.end, &e.text);
            }
            Change {
                path: source.path.clone(),
                display: source.display().to_string(),
                before: source.text.clone(),
                after,
                fixes: counts.get(&file).copied().unwrap_or(0),
            }
        })
        .filter(|c| *c.before != *c.after)
        .collect()
}

/// Whether two edits touch the same bytes of a file (two insertions at one offset do too).
fn overlap(a: &Edit, b: &Edit) -> bool {
    let end = |e: &Edit| e.end.max(e.start + 1);
    a.file == b.file && a.start < end(b) && b.start < end(a)
}

/// Apply the fixes, pass after pass, then analyse once more: the report of what is left, what
/// was done, and the files that could not be fixed as errors in the report.
pub fn fix(
    opts: &CheckOptions,
    mut report: Report,
    unsafe_fixes: bool,
) -> Result<(Report, Summary), String> {
    let mut summary = Summary::default();
    let mut failed: Vec<(PathBuf, String)> = Vec::new();
    for _ in 0..MAX_PASSES {
        let mut wrote = false;
        for change in changes(&report, unsafe_fixes) {
            if failed.iter().any(|(p, _)| *p == change.path) {
                continue;
            }
            match write(&change) {
                Ok(()) => {
                    wrote = true;
                    summary.applied += change.fixes;
                    if !summary.files.contains(&change.path) {
                        summary.files.push(change.path);
                    }
                }
                Err(e) => failed.push((change.path, e)),
            }
        }
        if !wrote {
            break;
        }
        report = check(opts)?;
    }
    for (path, message) in failed {
        let file = match report.sources.find(&path) {
            Some(id) => id,
            None => report
                .sources
                .add(SourceFile::read(path.clone(), Arc::from(""))),
        };
        report.errors.push(LoadError {
            file,
            span: None,
            message: format!("not fixed: {message}"),
        });
    }
    Ok((report, summary))
}

/// Write a change, unless the file changed since it was read or the new text does not parse.
fn write(change: &Change) -> Result<(), String> {
    let now = crate::load::read_text(&change.path)?;
    if *now != *change.before {
        return Err("the file changed on disk since it was read".into());
    }
    if let Some(why) = parse_error(&change.path, &change.after) {
        return Err(format!(
            "the fixed text would not parse ({why}); this is a bug in acrlint, please report it"
        ));
    }
    let dir = change.path.parent().unwrap_or(Path::new("."));
    let name = change
        .path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = dir.join(format!(".{name}.acrlint-fix-{}", std::process::id()));
    let permissions = std::fs::metadata(&change.path)
        .map_err(|e| e.to_string())?
        .permissions();
    if permissions.readonly() {
        return Err("the file is read-only".into());
    }
    let written = (|| {
        use std::io::Write;
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)?;
        file.write_all(change.after.as_bytes())?;
        file.sync_all()?;
        std::fs::set_permissions(&temp, permissions)?;
        std::fs::rename(&temp, &change.path)
    })();
    written.map_err(|e| {
        let _ = std::fs::remove_file(&temp);
        format!("cannot write it: {e}")
    })
}

/// Why `text` does not parse as the file `path` is, if it does not.
fn parse_error(path: &Path, text: &str) -> Option<String> {
    match syntax(path)? {
        // As the loader reads it: what it recovered from before the fix, it recovers from after.
        Syntax::Hcl => crate::load::terraform::recover::parse_body(text)
            .err()
            .map(|e| {
                let (line, column) = crate::source::line_column(text, e.offset);
                format!("line {line}, column {column}: {}", e.message)
            }),
        Syntax::Json => crate::load::json::parse(text).err().map(|e| e.message),
        Syntax::Bicep => crate::load::bicep::parser::parse(text)
            .errors
            .first()
            .map(|e| e.message.clone()),
    }
}

/// The unified diff of a change, with `a/` and `b/` paths as git prints them.
pub fn diff(change: &Change) -> String {
    similar::TextDiff::from_lines(&*change.before, &change.after)
        .unified_diff()
        .context_radius(3)
        .header(
            &format!("a/{}", change.display),
            &format!("b/{}", change.display),
        )
        .to_string()
}
