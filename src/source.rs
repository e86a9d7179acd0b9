//! Source files and byte spans. Spans stay byte ranges until rendering; `SourceFile` turns them
//! into 1-based lines and character columns.

use std::path::PathBuf;
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
    /// Offsets of line starts, built on first use: most files are never rendered.
    line_starts: std::sync::OnceLock<Vec<u32>>,
}

impl SourceFile {
    pub fn new(path: PathBuf, display: String, text: Arc<str>) -> SourceFile {
        SourceFile {
            path,
            display: std::sync::OnceLock::from(display),
            text,
            line_starts: std::sync::OnceLock::new(),
        }
    }

    /// A file whose displayed path is made from `path` when first needed.
    pub fn read(path: PathBuf, text: Arc<str>) -> SourceFile {
        SourceFile {
            path,
            display: std::sync::OnceLock::new(),
            text,
            line_starts: std::sync::OnceLock::new(),
        }
    }

    /// The path as shown to users.
    pub fn display(&self) -> &str {
        self.display
            .get_or_init(|| crate::discover::display_path(&self.path))
    }

    fn line_starts(&self) -> &[u32] {
        self.line_starts.get_or_init(|| {
            let mut starts = vec![0u32];
            starts.extend(memchr::memchr_iter(b'\n', self.text.as_bytes()).map(|i| i as u32 + 1));
            starts
        })
    }

    /// 1-based line and character column of a byte offset (clamped to the text).
    pub fn position(&self, offset: u32) -> (u32, u32) {
        let offset = (offset as usize).min(self.text.len());
        let starts = self.line_starts();
        let line = starts.partition_point(|&s| s as usize <= offset) - 1;
        let start = starts[line] as usize;
        let mut col_end = offset;
        while !self.text.is_char_boundary(col_end) {
            col_end -= 1;
        }
        let column = self.text[start..col_end].chars().count() + 1;
        (line as u32 + 1, column as u32)
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
        self.line_starts()
            .get(line.checked_sub(1)? as usize)
            .copied()
    }
}

/// All files of a run, indexed by [`FileId`]. Append-only and shared between threads: loaders add
/// the files they discover on the way (modules, variable files, parameter files).
#[derive(Debug, Default)]
pub struct SourceMap {
    files: std::sync::RwLock<Files>,
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
    pub fn add(&self, file: SourceFile) -> FileId {
        let mut files = self.files.write().unwrap_or_else(|e| e.into_inner());
        let id = FileId(files.list.len() as u32);
        files.list.push(Arc::new(file));
        files.index(id);
        id
    }

    pub fn get(&self, id: FileId) -> Arc<SourceFile> {
        let files = self.files.read().unwrap_or_else(|e| e.into_inner());
        files.list[id.0 as usize].clone()
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
}
