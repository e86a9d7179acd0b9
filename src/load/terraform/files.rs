//! Reading module and variable files from disk into the source map.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::classify::{classify, FileKind};
use crate::load::LoadError;
use crate::source::{FileId, SourceFile, SourceMap};

/// Remove `.` and resolve `..` lexically, as Terraform does for module paths
/// (`./a/../b` is `b`). Leading `..` of a relative path are kept.
pub fn normalize(path: &Path) -> PathBuf {
    let out = crate::load::join_lexically(Path::new(""), path);
    match out.as_os_str().is_empty() {
        true => PathBuf::from("."),
        false => out,
    }
}

/// The file's id and text, adding it to the source map when it is not there yet. A file that
/// cannot be read (or is binary, or not UTF-8) is added with empty text and reported.
pub fn read_source(path: &Path, sources: &SourceMap) -> Result<(FileId, Arc<str>), LoadError> {
    if let Some(id) = sources.find(path) {
        return Ok((id, sources.get(id).text.clone()));
    }
    let add = |text: Arc<str>| sources.add(SourceFile::read(path.to_path_buf(), text));
    let fail = |message: String| {
        let file = add(Arc::from(""));
        Err(LoadError {
            file,
            span: None,
            message,
        })
    };
    match sources.read_text(path) {
        Ok(s) => {
            let text: Arc<str> = Arc::from(s);
            Ok((add(text.clone()), text))
        }
        Err(message) => fail(message),
    }
}

/// Whether a file is a Terraform configuration file that loads as part of its folder.
pub fn is_config_file(path: &Path) -> bool {
    classify(path) == Some(FileKind::Terraform)
}

/// The configuration files of a module folder, in lexical order.
pub fn module_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)?
        .flatten()
        .map(|e| e.path())
        .filter(|p| is_config_file(p))
        .filter(|p| p.is_file())
        .collect();
    out.sort();
    Ok(out)
}
