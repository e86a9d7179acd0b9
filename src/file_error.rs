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
}
