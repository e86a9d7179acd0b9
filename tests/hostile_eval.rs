//! Hostile evaluation (issue 11, item 1): expressions whose results grow without bound are cut
//! by the byte budget (`value-size`), formatting never panics, and the good neighbour's finding
//! in the same folder is kept. Each case runs the binary under a memory cap.

#![cfg(target_os = "linux")]

use std::path::{Path, PathBuf};
use std::process::Command;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/hostile/eval")
        .join(name)
}

/// Copy `from` into `to`, folders included.
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_tree(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

/// Run `acrlint check` with at most 2 GB of address space on the fixture, copied beside the
/// good neighbour of its format (`neighbour/acr.tf` or `acr.json`, a public registry: ACR001).
fn check(name: &str) -> (String, Option<i32>) {
    let bin = env!("CARGO_BIN_EXE_acrlint");
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join(name);
    copy_tree(&fixture(name), &dir);
    let neighbour = if name.starts_with("arm_") {
        "acr.json"
    } else {
        "acr.tf"
    };
    std::fs::copy(fixture("neighbour").join(neighbour), dir.join(neighbour)).unwrap();
    let out = Command::new("sh")
        .args(["-c", "ulimit -v 2000000; exec \"$0\" \"$@\""])
        .arg(bin)
        .arg("check")
        .arg(&dir)
        .args(["--format", "compact"])
        // A smaller budget where the fixture gives one, to keep a debug build fast.
        .args(
            Some(dir.join("acrlint.toml"))
                .filter(|c| c.is_file())
                .map(|c| vec!["--config".into(), c.into_os_string()])
                .unwrap_or_default(),
        )
        .output()
        .expect("run acrlint");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("panicked") && !stderr.contains("memory allocation"),
        "{name}: {stderr}"
    );
    (stdout, out.status.code())
}

fn assert_neighbour_kept(name: &str, out: &str, file: &str) {
    assert!(
        out.lines()
            .any(|l| l.contains(file) && l.contains("[ACR001]")),
        "{name}: the neighbour's ACR001 is lost:\n{out}"
    );
}

/// The value is cut with an error at the hostile expression; exit 2, the neighbour kept.
fn assert_cut(name: &str, line: &str) {
    let (out, code) = check(name);
    assert_eq!(code, Some(2), "{name}:\n{out}");
    assert_neighbour_kept(name, &out, "acr.tf");
    assert!(
        out.lines()
            .any(|l| l.contains(&format!("hostile.tf:{line}"))
                && l.contains("error:")
                && l.contains("`value-size` under [limits]")),
        "{name}: no value-size error at hostile.tf:{line}:\n{out}"
    );
}

#[test]
fn terraform_formatlist_of_wide_padding_is_cut() {
    assert_cut("tf_formatlist", "2:");
}

#[test]
fn terraform_chained_replace_is_cut() {
    assert_cut("tf_replace_chain", "5:");
}

#[test]
fn terraform_for_over_a_large_string_is_cut() {
    assert_cut("tf_for_big_string", "3:");
}

#[test]
fn terraform_doubling_chain_is_cut() {
    assert_cut("tf_doubling", "");
}

/// `format("%.70000f", 1)` is a long but ordinary string (Rust refuses such a precision, so
/// the digits past any an f64 has are zeros appended), not a panic that drops the module.
#[test]
fn terraform_format_with_a_huge_precision_does_not_panic() {
    let (out, code) = check("tf_format_precision");
    assert_eq!(code, Some(1), "{out}");
    assert_neighbour_kept("tf_format_precision", &out, "acr.tf");
    assert!(!out.contains("error:"), "{out}");
}

/// ARM: the value is unknown, with an error at the expression the limit stopped (`limit` names
/// it); the process neither aborts nor runs out of memory, and the neighbour's finding is kept.
fn assert_arm_cut(name: &str, line: &str, limit: &str) {
    let (out, code) = check(name);
    assert_eq!(code, Some(2), "{name}:\n{out}");
    assert_neighbour_kept(name, &out, "acr.json");
    assert!(
        out.lines()
            .any(|l| l.contains(&format!("hostile.json:{line}"))
                && l.contains("error: evaluation stopped")
                && l.contains(limit)),
        "{name}: no error at hostile.json:{line}:\n{out}"
    );
}

#[test]
fn arm_format_with_a_64_bit_alignment_does_not_abort() {
    assert_arm_cut("arm_format_width_i64", "12:", "`value-size` under [limits]");
}

#[test]
fn arm_format_with_a_32_bit_alignment_is_refused_before_allocating() {
    assert_arm_cut("arm_format_width_i32", "12:", "`value-size` under [limits]");
}

#[test]
fn arm_create_array_doubling_chain_is_cut() {
    assert_arm_cut("arm_create_array_doubling", "", "evaluation stopped");
}

/// Issue 11, item 2: plain module calls, two per level for 18 levels, count against the
/// `instances` budget like `count` and `for_each` instances: an error, not 2^18 instances.
#[test]
fn plain_module_calls_count_as_instances() {
    let (out, code) = check("tf_module_fanout");
    assert_eq!(code, Some(2), "{out}");
    assert_neighbour_kept("tf_module_fanout", &out, "acr.tf");
    assert!(
        out.lines()
            .any(|l| l.contains("main.tf:1:1: error:") && l.contains("`instances` under [limits]")),
        "no instance-limit error at a module call:\n{out}"
    );
}

/// A copy loop over a large list, reading parts of its element (as policy-set templates do),
/// copies only those parts: no value-size error on a legitimate template (it was one, at 600 KB
/// of JSON, when each read copied the whole list).
#[test]
fn a_copy_loop_reading_parts_of_a_large_variable_is_not_cut() {
    let tmp = tempfile::tempdir().unwrap();
    let description = "x".repeat(2_000);
    let items: Vec<String> = (0..300)
        .map(|i| format!(r#"{{"name": "p{i}", "properties": {{"description": "{description}"}}}}"#))
        .collect();
    let template = format!(
        r#"{{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "variables": {{ "policies": [{}] }},
  "resources": [
    {{
      "type": "Microsoft.Authorization/policyDefinitions",
      "apiVersion": "2021-06-01",
      "name": "[variables('policies')[copyIndex()].name]",
      "copy": {{ "name": "policies", "count": "[length(variables('policies'))]" }},
      "properties": {{ "description": "[variables('policies')[copyIndex()].properties.description]" }}
    }}
  ]
}}"#,
        items.join(", ")
    );
    std::fs::write(tmp.path().join("policies.json"), template).unwrap();
    std::fs::copy(
        fixture("neighbour").join("acr.json"),
        tmp.path().join("acr.json"),
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_acrlint"))
        .args(["check", "--format", "compact"])
        .arg(tmp.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(!stdout.contains("error:"), "{stdout}");
    assert_neighbour_kept("policies", &stdout, "acr.json");
}
