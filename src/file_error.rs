//! Errors in the files that steer a run rather than being scanned (`.acrlint.toml`, a baseline),
//! located to a line and column of that file.

use std::path::{Path, PathBuf};

/// A file that cannot be read or understood. Line and column are 1-based; 0 when the error is about
/// the whole file.
#[derive(Clone, Debug, PartialEq)]
pub struct FileError {
    pub path: PathBuf,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl FileError {
    pub fn new(path: &Path, line: usize, column: usize, message: String) -> FileError {
        FileError {
            path: path.to_path_buf(),
            line,
            column,
            message,
        }
    }

    /// An error about the whole file (it cannot be read).
    pub fn whole(path: &Path, message: String) -> FileError {
        FileError::new(path, 0, 0, message)
    }
}

impl std::fmt::Display for FileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.path.display(), self.message)
        } else {
            let (path, line, column) = (self.path.display(), self.line, self.column);
            write!(f, "{path}:{line}:{column}: {}", self.message)
        }
    }
}

impl std::error::Error for FileError {}

/// 1-based line and character column of a byte offset (one past the end: the end of the text).
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut end = offset.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let before = &text[..end];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_the_location_when_known() {
        let path = Path::new("b.json");
        let e = FileError::new(path, 3, 7, "bad".into());
        assert_eq!(e.to_string(), "b.json:3:7: bad");
        assert_eq!(
            FileError::whole(path, "gone".into()).to_string(),
            "b.json: gone"
        );
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
}
