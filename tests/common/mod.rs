//! Shared by the fixture-style integration tests: run `acrlint check . --format json` inside a
//! folder as a user does, and compare the findings with the folder's `expected.txt`: one
//! `RULE file:line resource` line per finding and one
//! `undetermined RULE file:line resource <- depends-on` line per undetermined result, so that a
//! fixture tells "could not be decided" from "decided safe". An empty file means neither;
//! lines starting with `#` say why.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

pub fn testdata() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata")
}

/// The sub-folders of `dir`, sorted.
/// Write `text` to `path`, creating its folders.
#[allow(dead_code)] // Not every test that shares these helpers writes files.
pub fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().expect("a file path")).expect("create folders");
    std::fs::write(path, text).expect("write file");
}

pub fn subdirs(dir: &Path) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

/// A path from the JSON output, relative to the folder the scan ran in.
fn normalize_path(path: &str) -> String {
    let path = path.replace('\\', "/");
    path.strip_prefix("./").unwrap_or(&path).to_string()
}

pub struct Scan {
    /// `RULE file:line resource`, sorted.
    pub findings: Vec<String>,
    /// `undetermined RULE file:line resource <- depends-on`, sorted.
    pub undetermined: Vec<String>,
    /// Severity of each finding.
    pub severities: Vec<String>,
    /// `path: message` of each error.
    pub errors: Vec<String>,
    pub code: Option<i32>,
    /// The whole JSON report.
    // Each test crate compiles this module on its own; not every one reads the raw report.
    #[allow(dead_code)]
    pub json: Value,
}

impl Scan {
    /// Findings and undetermined results together, sorted: what `expected.txt` lists.
    #[allow(dead_code)]
    pub fn entries(&self) -> Vec<String> {
        let mut entries: Vec<String> = self
            .findings
            .iter()
            .chain(&self.undetermined)
            .cloned()
            .collect();
        entries.sort();
        entries
    }
}

fn str_at(v: &Value, ptr: &str) -> Result<String, String> {
    v.pointer(ptr)
        .and_then(Value::as_str)
        .map(str::to_string)
        .ok_or(format!("`{ptr}` is missing or not a string in {v}"))
}

/// Runs `acrlint check . --format json --select ALL` plus `extra` arguments in `dir`: fixtures
/// test every rule, also those off by default.
pub fn scan_with(dir: &Path, extra: &[&str]) -> Result<Scan, String> {
    scan_with_env(dir, extra, &[])
}

/// [`scan_with`] with these environment variables. Terraform's own (`TF_VAR_name`,
/// `TF_WORKSPACE`, ...) are those given only, whatever the environment of the test run.
pub fn scan_with_env(dir: &Path, extra: &[&str], env: &[(&str, &str)]) -> Result<Scan, String> {
    let mut cmd = Command::cargo_bin("acrlint")
        .map_err(|e| format!("cannot find the acrlint binary: {e}"))?;
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("TF_") {
            cmd.env_remove(key);
        }
    }
    let output = cmd
        .current_dir(dir)
        .args(["check", ".", "--format", "json", "--select", "ALL"])
        .args(extra)
        .envs(env.iter().copied())
        .output()
        .map_err(|e| format!("cannot run acrlint: {e}"))?;
    let json: Value = serde_json::from_slice(&output.stdout).map_err(|e| {
        format!(
            "stdout is not JSON ({e}); exit {:?}\nstdout: {}\nstderr: {}",
            output.status.code(),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    })?;
    let mut findings = Vec::new();
    let mut severities = Vec::new();
    for f in json["findings"]
        .as_array()
        .ok_or("`findings` is not an array")?
    {
        let line = f
            .pointer("/location/start_line")
            .and_then(Value::as_u64)
            .ok_or(format!("`location.start_line` is missing in {f}"))?;
        findings.push(format!(
            "{} {}:{} {}",
            str_at(f, "/rule")?,
            normalize_path(&str_at(f, "/location/path")?),
            line,
            str_at(f, "/resource")?
        ));
        severities.push(str_at(f, "/severity")?);
    }
    findings.sort();
    let mut undetermined = Vec::new();
    for u in json["undetermined"]
        .as_array()
        .ok_or("`undetermined` is not an array")?
    {
        let line = u
            .pointer("/location/start_line")
            .and_then(Value::as_u64)
            .ok_or(format!("`location.start_line` is missing in {u}"))?;
        undetermined.push(format!(
            "undetermined {} {}:{} {} <- {}",
            str_at(u, "/rule")?,
            normalize_path(&str_at(u, "/location/path")?),
            line,
            str_at(u, "/resource")?,
            str_at(u, "/depends_on")?
        ));
    }
    undetermined.sort();
    let errors = json["errors"]
        .as_array()
        .ok_or("`errors` is not an array")?
        .iter()
        .map(|e| {
            Ok(format!(
                "{}: {}",
                normalize_path(&str_at(e, "/path")?),
                str_at(e, "/message")?
            ))
        })
        .collect::<Result<Vec<_>, String>>()?;
    Ok(Scan {
        findings,
        undetermined,
        severities,
        errors,
        code: output.status.code(),
        json,
    })
}

/// The sorted lines of `expected.txt`, without `#` comments.
pub fn expected(dir: &Path) -> Result<Vec<String>, String> {
    let text = fs::read_to_string(dir.join("expected.txt"))
        .map_err(|e| format!("cannot read expected.txt: {e}"))?;
    let mut lines: Vec<String> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect();
    lines.sort();
    Ok(lines)
}

/// The differences between the findings wanted and those found, one line each.
pub fn finding_diff(want: &[String], got: &[String]) -> Vec<String> {
    let mut problems = Vec::new();
    if got != want {
        let (want_set, got_set): (BTreeSet<_>, BTreeSet<_>) =
            (want.iter().collect(), got.iter().collect());
        for missing in want_set.difference(&got_set) {
            problems.push(format!("  missing:    {missing}"));
        }
        for extra in got_set.difference(&want_set) {
            problems.push(format!("  unexpected: {extra}"));
        }
        if problems.is_empty() {
            problems.push(format!("  duplicated findings: {got:?}"));
        }
    }
    problems
}

/// Compares one fixture; `None` when it matches. With `errors_expected`, the scan must report at
/// least one error entry and exit 2 (the entries themselves are checked by the caller); otherwise
/// any error entry is a problem and the exit code follows the findings.
pub fn check_fixture(dir: &Path, errors_expected: bool) -> Option<String> {
    let want = match expected(dir) {
        Ok(want) => want,
        Err(e) => return Some(e),
    };
    let got = match scan_with(dir, &[]) {
        Ok(got) => got,
        Err(e) => return Some(e),
    };
    let mut problems = finding_diff(&want, &got.entries());
    if errors_expected {
        if got.errors.is_empty() {
            problems.push("  no error entry, expected at least one".to_string());
        }
    } else {
        for error in &got.errors {
            problems.push(format!("  error: {error}"));
        }
    }
    // Exit codes are fixed: 2 with errors, else 1 when a finding is at or above the default
    // --fail-on (low), else 0.
    let blocking = got.severities.iter().any(|s| s != "info");
    let want_code = if !got.errors.is_empty() || errors_expected {
        2
    } else {
        i32::from(blocking)
    };
    if got.code != Some(want_code) {
        problems.push(format!("  exit code {:?}, expected {want_code}", got.code));
    }
    (!problems.is_empty()).then(|| problems.join("\n"))
}

/// Panics with every failure at once.
pub fn report(failures: Vec<(String, String)>) {
    if !failures.is_empty() {
        let text: Vec<String> = failures
            .iter()
            .map(|(name, problem)| format!("{name}:\n{problem}"))
            .collect();
        panic!(
            "{} fixture(s) failed:\n\n{}",
            failures.len(),
            text.join("\n\n")
        );
    }
}
