//! Source files and byte spans. Spans stay byte ranges until rendering; `SourceFile` turns them
//! into 1-based lines and character columns.

use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Index of a file in the [`SourceMap`] of one run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileId(pub u32);

/// A byte range in one file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(file: FileId, range: std::ops::Range<usize>) -> Span {
        Span {
            file,
            start: range.start as u32,
            end: range.end.max(range.start) as u32,
        }
    }
}

/// 1-based line and character column, start and end inclusive of the start and exclusive of the end
/// column (end column points one past the last character, as editors expect).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct LineCol {
    pub start_line: u32,
    pub start_column: u32,
    pub end_line: u32,
    pub end_column: u32,
}

#[derive(Debug)]
pub struct SourceFile {
    /// Path as given on disk.
    pub path: PathBuf,
    /// Path as shown to the user (relative to the current directory when under it), made on
    /// first use: most files never appear in a report.
    display: std::sync::OnceLock<String>,
    pub text: Arc<str>,
    /// Built on first use: most files are never rendered.
    lines: std::sync::OnceLock<LineIndex>,
}

/// Turns byte offsets into 1-based lines and character columns, in time independent of the
/// length of the line (a minified template is one line of megabytes): built once per file in one
/// pass, then each lookup is a binary search plus a count over at most one block.
#[derive(Debug)]
pub struct LineIndex {
    /// Byte offsets of line starts.
    line_starts: Vec<u32>,
    /// For text that is not all ASCII: the number of characters before each block of
    /// `CHAR_BLOCK` bytes. `None` for ASCII, where a column is a byte count.
    chars_before_block: Option<Vec<u32>>,
}

const CHAR_BLOCK: usize = 4096;

/// Is this byte the first of a UTF-8 character (not a continuation byte)?
fn starts_char(b: u8) -> bool {
    b & 0xC0 != 0x80
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let bytes = text.as_bytes();
        let mut line_starts = vec![0u32];
        line_starts.extend(memchr::memchr_iter(b'\n', bytes).map(|i| i as u32 + 1));
        let chars_before_block = (!text.is_ascii()).then(|| {
            let mut total = 0u32;
            bytes
                .chunks(CHAR_BLOCK)
                .map(|block| {
                    let before = total;
                    total += block.iter().filter(|&&b| starts_char(b)).count() as u32;
                    before
                })
                .collect()
        });
        LineIndex {
            line_starts,
            chars_before_block,
        }
    }

    /// Characters in `text[..offset]` (`offset` on a character boundary).
    fn chars_before(&self, text: &str, offset: usize) -> usize {
        let Some(marks) = &self.chars_before_block else {
            return offset;
        };
        let block = offset / CHAR_BLOCK;
        let counted = text.as_bytes()[block * CHAR_BLOCK..offset]
            .iter()
            .filter(|&&b| starts_char(b))
            .count();
        marks[block] as usize + counted
    }

    /// 1-based line and character column of a byte offset into `text` (the text this index was
    /// built from), clamped to the text; an offset inside a character is that character.
    pub fn position(&self, text: &str, offset: usize) -> (u32, u32) {
        let offset = char_floor(text, offset);
        let line = self.line_starts.partition_point(|&s| s as usize <= offset) - 1;
        let start = self.line_starts[line] as usize;
        let column = self.chars_before(text, offset) - self.chars_before(text, start) + 1;
        (line as u32 + 1, column as u32)
    }

    /// Byte offset of the start of a 1-based line.
    pub fn line_start(&self, line: u32) -> Option<u32> {
        self.line_starts.get(line.checked_sub(1)? as usize).copied()
    }
}

/// `offset` clamped to `text` and moved back to the start of the character it falls in, so that
/// an offset from a parser or a stale span can always slice `text`.
pub fn char_floor(text: &str, offset: usize) -> usize {
    let mut at = offset.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// 1-based line and character column of one byte offset, for a text that needs only one (an
/// error in a configuration or baseline file).
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let (line, column) = LineIndex::new(text).position(text, offset);
    (line as usize, column as usize)
}

impl SourceFile {
    pub fn new(path: PathBuf, display: String, text: Arc<str>) -> SourceFile {
        SourceFile {
            path,
            display: std::sync::OnceLock::from(display),
            text,
            lines: std::sync::OnceLock::new(),
        }
    }

    /// A file whose displayed path is made from `path` when first needed.
    pub fn read(path: PathBuf, text: Arc<str>) -> SourceFile {
        SourceFile {
            path,
            display: std::sync::OnceLock::new(),
            text,
            lines: std::sync::OnceLock::new(),
        }
    }

    /// The path as shown to users.
    pub fn display(&self) -> &str {
        self.display.get_or_init(|| display_path(&self.path))
    }

    fn lines(&self) -> &LineIndex {
        self.lines.get_or_init(|| LineIndex::new(&self.text))
    }

    /// 1-based line and character column of a byte offset (clamped to the text).
    pub fn position(&self, offset: u32) -> (u32, u32) {
        self.lines().position(&self.text, offset as usize)
    }

    pub fn line_col(&self, span: Span) -> LineCol {
        let (start_line, start_column) = self.position(span.start);
        let (end_line, end_column) = self.position(span.end);
        LineCol {
            start_line,
            start_column,
            end_line,
            end_column,
        }
    }

    /// Byte offset of the start of a 1-based line.
    pub fn line_start(&self, line: u32) -> Option<u32> {
        self.lines().line_start(line)
    }
}

/// All files of a run, indexed by [`FileId`]. Append-only and shared between threads: loaders add
/// the files they discover on the way (modules, variable files, parameter files).
#[derive(Debug, Default)]
pub struct SourceMap {
    files: std::sync::RwLock<Files>,
    /// Texts that replace what is on disk for some paths (an editor's unsaved documents).
    overlay: Overlay,
    /// The `*.parameters.json` names of each folder the walk listed, by the folder's path as
    /// the walk wrote it (see [`SourceMap::known_absent`]). Keyed by its bytes: hashing a
    /// `Path` goes through its components, and showed in profiles.
    listed: std::sync::Mutex<rustc_hash::FxHashMap<std::ffi::OsString, Vec<std::ffi::OsString>>>,
}

/// Texts laid over the files on disk, by path: a read of one of these paths gets the text given
/// here instead (the language server's open documents). Paths are matched after lexical
/// normalization (`a/./b/../c` is `a/c`), so a module read as `root/../modules/x/main.tf` finds
/// the document opened as `modules/x/main.tf`; relative paths are taken from the current folder.
/// Empty (the command line) costs one check per file read.
#[derive(Clone, Debug, Default)]
pub struct Overlay {
    texts: Option<Arc<rustc_hash::FxHashMap<PathBuf, Arc<str>>>>,
}

impl Overlay {
    pub fn new(texts: impl IntoIterator<Item = (PathBuf, Arc<str>)>) -> Overlay {
        let map: rustc_hash::FxHashMap<PathBuf, Arc<str>> = texts
            .into_iter()
            .map(|(path, text)| (Overlay::key(&path), text))
            .collect();
        Overlay {
            texts: (!map.is_empty()).then(|| Arc::new(map)),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.texts.is_none()
    }

    /// The text laid over `path`, if any.
    pub fn get(&self, path: &Path) -> Option<Arc<str>> {
        let texts = self.texts.as_ref()?;
        texts.get(&Overlay::key(path)).cloned()
    }

    fn key(path: &Path) -> PathBuf {
        crate::load::terraform::folder_key(path)
    }
}

#[derive(Debug, Default)]
struct Files {
    list: Vec<Arc<SourceFile>>,
    /// The first file added under each path, for `find`. Built on the first `find`: many runs
    /// never look a path up, and hashing every path showed in profiles.
    by_path: Option<rustc_hash::FxHashMap<PathBuf, FileId>>,
}

impl Files {
    fn index(&mut self, id: FileId) {
        if let Some(by_path) = &mut self.by_path {
            let path = &self.list[id.0 as usize].path;
            by_path.entry(path.clone()).or_insert(id);
        }
    }
}

impl SourceMap {
    /// A source map whose reads see `overlay` instead of the disk for its paths.
    pub fn with_overlay(overlay: Overlay) -> SourceMap {
        SourceMap {
            overlay,
            ..SourceMap::default()
        }
    }

    /// Read an input file as UTF-8 text: the overlay's text for its path, else the file on disk
    /// through [`crate::load::read_text`] (which says why a file cannot be scanned). Loaders read
    /// every input through here.
    pub fn read_text(&self, path: &Path) -> Result<String, String> {
        match self.overlay.get(path) {
            Some(text) => {
                let max = crate::limits::current().file_size;
                if text.len() as u64 > max {
                    return Err(crate::load::too_large(text.len() as u64, max));
                }
                Ok(text.to_string())
            }
            None => crate::load::read_text(path),
        }
    }

    /// A data file in `encoding` (Bicep's `loadTextContent(path, 'utf-16')`): the overlay's
    /// text, which the editor has decoded already, else the file's bytes decoded as the compiler
    /// decodes them.
    pub fn read_decoded(
        &self,
        path: &Path,
        encoding: crate::load::TextEncoding,
    ) -> Result<String, String> {
        match self.overlay.get(path) {
            Some(_) => self.read_text(path),
            None => crate::load::read_bounded(path).map(|bytes| encoding.decode(&bytes)),
        }
    }

    /// [`SourceMap::read_text`] of a file that may not be there (Terraform's `file()`): `None`
    /// when neither the overlay nor the disk has it.
    pub fn read_text_if_present(&self, path: &Path) -> Result<Option<String>, String> {
        let absent = self.overlay.get(path).is_none()
            && std::fs::metadata(path).is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound);
        if absent {
            return Ok(None);
        }
        self.read_text(path).map(Some)
    }

    pub fn add(&self, file: SourceFile) -> FileId {
        let mut files = self.files.write().unwrap_or_else(|e| e.into_inner());
        let id = FileId(files.list.len() as u32);
        files.list.push(Arc::new(file));
        files.index(id);
        id
    }

    /// Replace the text of a file by one of the same length and lines (a plan with its
    /// sensitive values masked), so that no snippet shows what was hidden.
    pub fn replace_text(&self, id: FileId, text: Arc<str>) {
        let mut files = self.files.write().unwrap_or_else(|e| e.into_inner());
        let slot = &mut files.list[id.0 as usize];
        let display = slot.display().to_string();
        *slot = Arc::new(SourceFile::new(slot.path.clone(), display, text));
    }

    pub fn get(&self, id: FileId) -> Arc<SourceFile> {
        let files = self.files.read().unwrap_or_else(|e| e.into_inner());
        files.list[id.0 as usize].clone()
    }

    /// Note the `*.parameters.json` names that the walk saw in folder `dir` (all of them).
    pub fn note_parameter_files(&self, dir: PathBuf, names: Vec<std::ffi::OsString>) {
        let mut listed = self.listed.lock().unwrap_or_else(|e| e.into_inner());
        listed.insert(dir.into_os_string(), names);
    }

    /// Is the parameter file `path` known not to exist: its folder was listed, and no name
    /// there is its name, compared without ASCII case (as a case-insensitive file system
    /// would)? A stat per template showed in profiles. `false` when not known (the folder was
    /// not listed, or a name is not ASCII): the disk decides.
    pub fn known_absent(&self, path: &Path) -> bool {
        let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else {
            return false;
        };
        let name = name.as_encoded_bytes();
        let listed = self.listed.lock().unwrap_or_else(|e| e.into_inner());
        let Some(names) = listed.get(dir.as_os_str()) else {
            return false;
        };
        name.is_ascii()
            && names.iter().all(|n| {
                let n = n.as_encoded_bytes();
                n.is_ascii() && !n.eq_ignore_ascii_case(name)
            })
    }

    /// Id of a file already added under this path.
    pub fn find(&self, path: &std::path::Path) -> Option<FileId> {
        {
            let files = self.files.read().unwrap_or_else(|e| e.into_inner());
            if let Some(by_path) = &files.by_path {
                return by_path.get(path).copied();
            }
        }
        let mut files = self.files.write().unwrap_or_else(|e| e.into_inner());
        if files.by_path.is_none() {
            files.by_path = Some(rustc_hash::FxHashMap::default());
            for i in 0..files.list.len() {
                files.index(FileId(i as u32));
            }
        }
        files.by_path.as_ref().and_then(|b| b.get(path).copied())
    }

    pub fn len(&self) -> usize {
        self.files
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .list
            .len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The path shown to users: relative to the current directory when under it, with `/` separators.
pub fn display_path(path: &Path) -> String {
    display_path_in(path, std::env::current_dir().ok().as_deref())
}

/// [`display_path`] with the current directory given.
fn display_path_in(path: &Path, cwd: Option<&Path>) -> String {
    let relative = match cwd {
        Some(cwd) if path.is_absolute() => path.strip_prefix(cwd).ok(),
        _ => None,
    };
    let text = relative.unwrap_or(path).to_string_lossy();
    let text = match text.contains('\\') {
        true => std::borrow::Cow::Owned(text.replace('\\', "/")),
        false => text,
    };
    let body = text.strip_prefix("./").unwrap_or(&text);
    // Most paths have no `.` or empty segment left: no need to split and join them.
    let tidy = body.len() > 1
        && body
            .split('/')
            .enumerate()
            .all(|(i, s)| (s != "." && !s.is_empty()) || (i == 0 && s.is_empty()));
    match tidy {
        true => body.to_string(),
        false => clean(body),
    }
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
    fn positions_count_characters_not_bytes() {
        let f = SourceFile::new("a".into(), "a".into(), "ab\nçé = 1\n".into());
        assert_eq!(f.position(0), (1, 1));
        assert_eq!(f.position(3), (2, 1));
        // "çé" is 4 bytes; offset 7 is after it and a space.
        assert_eq!(f.position(8), (2, 4));
        assert_eq!(f.position(1000), (3, 1));
    }

    #[test]
    fn line_column_counts_characters_and_clamps() {
        let text = "ab\né = 1\n";
        assert_eq!(line_column(text, 0), (1, 1));
        assert_eq!(line_column(text, 3), (2, 1));
        // Byte 6 is after `é ` (3 bytes): the third character of the line.
        assert_eq!(line_column(text, 6), (2, 3));
        // Inside `é`: the character it starts.
        assert_eq!(line_column(text, 4), (2, 1));
        assert_eq!(line_column(text, 99), (3, 1));
    }

    /// Columns across block boundaries of a long line with multi-byte characters agree with
    /// counting from the start of the line.
    #[test]
    fn long_lines_count_the_same_as_a_naive_count() {
        let text = format!("x\n{}\nend", "aé€😀,".repeat(3000));
        let index = LineIndex::new(&text);
        for offset in (0..text.len()).step_by(97).chain([text.len()]) {
            let mut at = offset;
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            let before = &text[..at];
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().unwrap().chars().count() + 1;
            assert_eq!(
                index.position(&text, offset),
                (line as u32, column as u32),
                "offset {offset}"
            );
        }
    }

    #[test]
    fn find_sees_files_added_before_and_after_the_first_lookup() {
        let sources = SourceMap::default();
        let file = |p: &str| SourceFile::new(p.into(), p.into(), "".into());
        let a = sources.add(file("a.tf"));
        let again = sources.add(file("a.tf"));
        assert_ne!(a, again);
        assert_eq!(
            sources.find("a.tf".as_ref()),
            Some(a),
            "the first file added wins"
        );
        let b = sources.add(file("b.tf"));
        assert_eq!(sources.find("b.tf".as_ref()), Some(b));
        assert_eq!(sources.find("c.tf".as_ref()), None);
    }

    #[test]
    fn display_paths_are_tidy() {
        let cwd = Path::new("/work/repo");
        for (path, shown) in [
            ("./a/b.tf", "a/b.tf"),
            ("a/./b.tf", "a/b.tf"),
            ("a//b.tf", "a/b.tf"),
            ("a\\b.tf", "a/b.tf"),
            ("/work/repo/x/main.tf", "x/main.tf"),
            ("/elsewhere/main.tf", "/elsewhere/main.tf"),
            ("/", "/"),
            (".", "."),
            ("main.tf", "main.tf"),
            ("../up.tf", "../up.tf"),
        ] {
            assert_eq!(display_path_in(Path::new(path), Some(cwd)), shown, "{path}");
        }
    }
}
