//! Running the `acrlint` binary as a user does, shared by the command-line tests.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(rel: &str) -> PathBuf {
    root().join("testdata").join(rel)
}

/// `acrlint <args>` run inside `dir`: exit code, stdout, stderr.
pub fn acrlint(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::cargo_bin("acrlint")
        .unwrap()
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .env("COLUMNS", "100")
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

pub fn json(dir: &Path, args: &[&str]) -> (i32, serde_json::Value) {
    let mut all = vec!["check"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json"]);
    let (code, out, err) = acrlint(dir, &all);
    let value =
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("bad JSON ({e}): {out}\n{err}"));
    (code, value)
}

pub fn rules_of(report: &serde_json::Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap().to_string())
        .collect()
}
