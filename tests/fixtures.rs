//! Fixture tests: every folder under `testdata/rules/<ID>/<format>/<case>/` (and `testdata/demo`) is
//! scanned as a user scans it, `acrlint check . --format json` from inside the folder, and the
//! findings must equal the folder's `expected.txt`: one `RULE file:line resource` line per finding.
//! All mismatches are collected and reported together, each with its fixture.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{check_fixture, expected, report, scan_with, subdirs, testdata};

/// `testdata/rules/<ID>/<format>/<case>` folders, in order.
fn rule_fixtures() -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    for rule in subdirs(&testdata().join("rules")) {
        for format in subdirs(&rule) {
            dirs.extend(subdirs(&format));
        }
    }
    dirs
}

/// `ACR001/terraform/fail_explicit_enabled`, for messages.
fn fixture_name(dir: &Path) -> String {
    let rel = dir.strip_prefix(testdata()).unwrap_or(dir);
    let rel = rel.strip_prefix("rules").unwrap_or(rel);
    rel.to_string_lossy().replace('\\', "/")
}

#[test]
fn rule_fixtures_match_expected() {
    let dirs = rule_fixtures();
    assert!(!dirs.is_empty(), "no fixtures under testdata/rules");
    let failures = dirs
        .iter()
        .filter_map(|dir| check_fixture(dir, false).map(|p| (fixture_name(dir), p)))
        .collect();
    report(failures);
}

#[test]
fn demo_matches_expected() {
    let dir = testdata().join("demo");
    report(
        check_fixture(&dir, false)
            .map(|p| ("demo".to_string(), p))
            .into_iter()
            .collect(),
    );
}

/// The layout that the other tests rely on: checked without running the binary.
#[test]
fn fixture_layout() {
    let mut failures = Vec::new();
    for dir in rule_fixtures() {
        let name = fixture_name(&dir);
        let mut parts = name.split('/');
        let (rule, format, case) = match (parts.next(), parts.next(), parts.next()) {
            (Some(r), Some(f), Some(c)) => (r.to_string(), f.to_string(), c.to_string()),
            _ => {
                failures.push((name, "  not <ID>/<format>/<case>".to_string()));
                continue;
            }
        };
        let mut problems = Vec::new();
        if !rule.starts_with("ACR") {
            problems.push(format!("  unknown rule folder `{rule}`"));
        }
        let extensions: &[&str] = match format.as_str() {
            // With the data files a configuration reads (`file()`, `loadYamlContent()`).
            "terraform" => &[".tf", ".tfvars", ".yaml"],
            "arm" => &[".json"],
            "bicep" => &[".bicep", ".bicepparam", ".json", ".yaml"],
            _ => {
                problems.push(format!("  unknown format folder `{format}`"));
                &[]
            }
        };
        match expected(&dir) {
            Err(e) => problems.push(format!("  {e}")),
            Ok(lines) => {
                let findings = || lines.iter().filter(|l| !l.starts_with("undetermined "));
                if case.starts_with("pass_") && findings().next().is_some() {
                    problems.push("  a pass_ fixture must expect no finding".to_string());
                }
                if case.starts_with("pass_unknown")
                    && !lines
                        .iter()
                        .any(|l| l.starts_with(&format!("undetermined {rule} ")))
                {
                    problems.push(format!(
                        "  a pass_unknown_ fixture must expect an undetermined {rule} entry"
                    ));
                }
                if case.starts_with("fail_")
                    && !findings().any(|l| l.starts_with(&format!("{rule} ")))
                {
                    problems.push(format!("  a fail_ fixture must expect {rule}"));
                }
                if !case.starts_with("pass_") && !case.starts_with("fail_") {
                    problems.push("  case folder must start with pass_ or fail_".to_string());
                }
            }
        }
        let files: Vec<PathBuf> = fs::read_dir(&dir)
            .map(|rd| rd.filter_map(|e| e.ok()).map(|e| e.path()).collect())
            .unwrap_or_default();
        for file in &files {
            let fname = file.file_name().unwrap_or_default().to_string_lossy();
            if fname == "expected.txt" {
                // An empty file says nothing (and is the same as any other empty file).
                if fs::metadata(file).is_ok_and(|m| m.len() == 0) {
                    problems.push(
                        "  expected.txt is empty: write a `#` line saying no finding is expected"
                            .to_string(),
                    );
                }
                continue;
            }
            if !extensions.iter().any(|ext| fname.ends_with(ext)) {
                problems.push(format!("  `{fname}` does not belong in a {format} fixture"));
            }
            // The compiled template beside a Bicep fixture says the compiler wrote it.
            if format == "bicep" && fname.ends_with(".json") && !fname.ends_with(".parameters.json")
            {
                let text = fs::read_to_string(file).unwrap_or_default();
                if !text.contains("\"_generator\"") || !text.contains("\"bicep\"") {
                    problems.push(format!(
                        "  `{fname}` lacks `metadata._generator.name: bicep`"
                    ));
                }
            }
            if format == "arm" && !fname.ends_with(".parameters.json") {
                let text = fs::read_to_string(file).unwrap_or_default();
                if !text.contains(
                    "\"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\"",
                ) {
                    problems.push(format!("  `{fname}` lacks the deployment template $schema"));
                }
            }
        }
        if !problems.is_empty() {
            failures.push((name, problems.join("\n")));
        }
    }
    report(failures);
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in fs::read_dir(from).expect("read testdata/bad") {
        let path = entry.expect("directory entry").path();
        if path.is_file() {
            let name = path.file_name().expect("file name");
            fs::copy(&path, to.join(name)).expect("copy fixture file");
        }
    }
}

/// Bad input gives error entries (never a crash), exit code 2, and every other file is still
/// scanned. The deeply nested inputs are generated here instead of being committed.
#[test]
fn bad_input_is_reported_and_other_files_still_scanned() {
    const DEPTH: usize = 300_000;
    let tmp = tempfile::tempdir().expect("tempdir");
    copy_dir(&testdata().join("bad"), tmp.path());
    let deep_json = format!(
        "{{\"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\", \"x\": {}{}}}\n",
        "[".repeat(DEPTH),
        "]".repeat(DEPTH)
    );
    fs::write(tmp.path().join("deep.json"), deep_json).expect("write deep.json");
    let deep_tf = format!(
        "locals {{\n  x = {}{}\n}}\n",
        "[".repeat(DEPTH),
        "]".repeat(DEPTH)
    );
    fs::write(tmp.path().join("deep.tf"), deep_tf).expect("write deep.tf");

    let got = scan_with(tmp.path(), &[]).unwrap_or_else(|e| panic!("{e}"));
    let mut problems = Vec::new();
    for bad in [
        "broken.tf",
        "invalid_utf8.tf",
        "binary.tf",
        "deep.tf",
        "broken.json",
        "deep.json",
    ] {
        if !got
            .errors
            .iter()
            .any(|e| e.starts_with(&format!("{bad}: ")))
        {
            problems.push(format!("no error entry for {bad}"));
        }
    }
    let want = "ACR001 valid.json:22 Microsoft.ContainerRegistry/registries/contosoacr01";
    if !got.findings.iter().any(|f| f == want) {
        problems.push(format!("missing finding `{want}`"));
    }
    if got.code != Some(2) {
        problems.push(format!("exit code {:?}, expected 2", got.code));
    }
    assert!(
        problems.is_empty(),
        "{}\nfindings: {:#?}\nerrors: {:#?}",
        problems.join("\n"),
        got.findings,
        got.errors
    );
}

/// An azapi resource's body is an ARM resource's: its finding shows the fix in ARM's terms, not
/// the azurerm attribute.
#[test]
fn azapi_findings_show_the_arm_fix() {
    let dir = testdata().join("rules/ACR004/terraform/fail_azapi_endpoint_no_zone_group");
    let got = scan_with(&dir, &[]).unwrap();
    let help = got.json["findings"][0]["help"].as_str().unwrap_or_default();
    assert!(help.contains("`privateDnsZoneGroups` child"), "{help}");
}
