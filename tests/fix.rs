//! `check --fix`, `--unsafe-fixes` and `--diff`, as a user runs them: every fix of every rule
//! fixture, applied to a copy of it, must leave files that parse, remove the finding it fixes,
//! change nothing when run again, and differ from the original only where the snapshot of its
//! diff says.

// Only part of the shared helpers is used here.
#[allow(dead_code)]
mod common;

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use common::{report, subdirs, testdata};
use serde_json::Value;

/// A copy of `from` (files and folders) in a new temporary folder.
fn copy(from: &Path) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = tmp.path().join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).unwrap();
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
    tmp
}

/// `acrlint check . <args> --format json` in `dir`: exit code, report, standard error.
fn run(dir: &Path, args: &[&str]) -> (i32, Value, String) {
    let out = Command::cargo_bin("acrlint")
        .unwrap()
        .current_dir(dir)
        .env("HOME", dir)
        .args(["check", "."])
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let json = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    (out.status.code().unwrap_or(-1), json, stderr)
}

/// `RULE resource` of each finding that has a fix.
fn fixable(json: &Value) -> Vec<String> {
    json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f.get("fix").is_some())
        .map(|f| {
            format!(
                "{} {}",
                f["rule"].as_str().unwrap(),
                f["resource"].as_str().unwrap()
            )
        })
        .collect()
}

fn texts(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut files: Vec<(PathBuf, String)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().to_path_buf();
            (rel, fs::read_to_string(e.path()).unwrap_or_default())
        })
        .collect();
    files.sort();
    files
}

/// The unified diff of every file that changed, for the snapshot.
fn diff(before: &[(PathBuf, String)], after: &[(PathBuf, String)]) -> String {
    let mut out = String::new();
    for ((path, old), (_, new)) in before.iter().zip(after) {
        if old != new {
            let name = path.to_string_lossy().replace('\\', "/");
            out.push_str(
                &similar::TextDiff::from_lines(old, new)
                    .unified_diff()
                    .header(&format!("a/{name}"), &format!("b/{name}"))
                    .to_string(),
            );
        }
    }
    out
}

#[test]
fn every_fix_of_the_rule_fixtures() {
    let mut failures = Vec::new();
    let mut fixed = 0;
    for rule in subdirs(&testdata().join("rules")) {
        for format in subdirs(&rule) {
            for case in subdirs(&format) {
                let name = case
                    .strip_prefix(testdata().join("rules"))
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                let tmp = copy(&case);
                let dir = tmp.path();
                // The fixture's rule alone (opt-in ones too), so that each snapshot is its fixes.
                let id = rule.file_name().unwrap().to_string_lossy().into_owned();
                let only = ["--select", id.as_str()];
                let (_, before, _) = run(dir, &only);
                let wanted = fixable(&before);
                if wanted.is_empty() {
                    continue;
                }
                fixed += 1;
                let original = texts(dir);
                let mut problems = Vec::new();
                let (code, after, stderr) = run(dir, &["--fix", "--unsafe-fixes", "--select", &id]);
                if code == 2 || !after["errors"].as_array().is_some_and(|e| e.is_empty()) {
                    problems.push(format!(
                        "  the fixed files do not check cleanly: {stderr} {}",
                        after["errors"]
                    ));
                }
                // A template compiled from Bicep is not fixed (it is built again from the fixed
                // `.bicep` file), so what it says until then does not count.
                let compiled = |f: &&Value| {
                    let path = f["location"]["path"].as_str().unwrap_or_default();
                    path.ends_with(".json")
                        && fs::read_to_string(dir.join(path))
                            .is_ok_and(|t| acrlint::classify::bicep_generated(&t))
                };
                let left: Vec<String> = after["findings"]
                    .as_array()
                    .unwrap_or(&Vec::new())
                    .iter()
                    .filter(|f| !compiled(f))
                    .map(|f| {
                        format!(
                            "{} {}",
                            f["rule"].as_str().unwrap(),
                            f["resource"].as_str().unwrap()
                        )
                    })
                    .filter(|f| wanted.contains(f))
                    .collect();
                if !left.is_empty() {
                    problems.push(format!("  fixed findings still reported: {left:?}"));
                }
                let once = texts(dir);
                let (_, _, stderr) = run(dir, &["--fix", "--unsafe-fixes", "--select", &id]);
                if texts(dir) != once || !stderr.contains("applied 0 fix(es)") {
                    problems.push(format!(
                        "  a second --fix changed the files again: {stderr}"
                    ));
                }
                let diff = diff(&original, &once);
                if diff.is_empty() {
                    problems.push("  --fix changed no file".into());
                }
                let snapshot = format!("fix__{}", name.replace('/', "__"));
                insta::with_settings!({ snapshot_path => "snapshots", prepend_module_to_snapshot => false }, {
                    insta::assert_snapshot!(snapshot, diff);
                });
                if !problems.is_empty() {
                    failures.push((name, problems.join("\n")));
                }
            }
        }
    }
    assert!(fixed >= 25, "only {fixed} fixtures have fixes");
    report(failures);
}

/// A Terraform registry with the admin user on (unsafe fix) and a private endpoint with the wrong
/// subresource (safe fix).
const TWO_FIXES: &str = r#"resource "azurerm_container_registry" "acr" {
  name                          = "contosoacr01"
  resource_group_name           = "rg"
  location                      = "westeurope"
  sku                           = "Premium"
  public_network_access_enabled = false
  admin_enabled                 = true
}

resource "azurerm_private_endpoint" "acr" {
  name                = "pe-acr"
  resource_group_name = "rg"
  location            = "westeurope"
  subnet_id           = "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet/subnets/pe"

  private_service_connection {
    name                           = "acr"
    private_connection_resource_id = azurerm_container_registry.acr.id
    subresource_names              = ["registry_data"]
    is_manual_connection           = false
  }
}
"#;

fn rules_of(json: &Value) -> Vec<String> {
    json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn safe_fixes_by_default_unsafe_ones_when_asked_and_diff_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let main = tmp.path().join("main.tf");
    fs::write(&main, TWO_FIXES).unwrap();
    let (_, before, _) = run(tmp.path(), &["--select", "ACR007,ACR010"]);
    assert_eq!(rules_of(&before), ["ACR010", "ACR007"]);
    let fix = &before["findings"][1]["fix"];
    assert_eq!(fix["applicability"], "safe");
    assert_eq!(fix["edits"][0]["content"], "[\"registry\"]");

    // --diff: the safe fix as a unified diff, exit 1, the file untouched.
    let out = Command::cargo_bin("acrlint")
        .unwrap()
        .current_dir(tmp.path())
        .args(["check", ".", "--diff", "--select", "ACR007,ACR010"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let diff = String::from_utf8(out.stdout).unwrap();
    assert!(diff.starts_with("--- a/main.tf\n+++ b/main.tf\n"), "{diff}");
    assert!(diff.contains("-    subresource_names              = [\"registry_data\"]\n+    subresource_names              = [\"registry\"]\n"), "{diff}");
    assert!(!diff.contains("admin_enabled"), "{diff}");
    assert_eq!(fs::read_to_string(&main).unwrap(), TWO_FIXES);

    // --fix: the safe one only; the admin user stays (its fix changes who can log in).
    let select = ["--select", "ACR007,ACR010"];
    let (code, after, stderr) = run(tmp.path(), &[&select[..], &["--fix"]].concat());
    assert!(
        stderr.contains("applied 1 fix(es) in 1 file(s)"),
        "{stderr}"
    );
    assert_eq!(code, 1);
    assert_eq!(rules_of(&after), ["ACR010"]);
    // --unsafe-fixes: the rest.
    let unsafe_fixes = [&select[..], &["--fix", "--unsafe-fixes"]].concat();
    let (code, after, stderr) = run(tmp.path(), &unsafe_fixes);
    assert!(
        stderr.contains("applied 1 fix(es) in 1 file(s)"),
        "{stderr}"
    );
    assert_eq!(code, 0, "{after:#}");
    assert!(rules_of(&after).is_empty());
    let fixed = fs::read_to_string(&main).unwrap();
    assert_eq!(
        fixed,
        TWO_FIXES
            .replace(
                "admin_enabled                 = true",
                "admin_enabled                 = false"
            )
            .replace("[\"registry_data\"]", "[\"registry\"]")
    );
}

#[test]
fn line_endings_and_permissions_are_kept() {
    let tmp = tempfile::tempdir().unwrap();
    let main = tmp.path().join("main.tf");
    let crlf = TWO_FIXES.replace('\n', "\r\n");
    fs::write(&main, &crlf).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&main, fs::Permissions::from_mode(0o640)).unwrap();
    }
    let (_, _, stderr) = run(tmp.path(), &["--fix", "--unsafe-fixes"]);
    assert!(stderr.contains("applied 2 fix(es)"), "{stderr}");
    let fixed = fs::read_to_string(&main).unwrap();
    assert_eq!(fixed.matches("\r\n").count(), crlf.matches("\r\n").count());
    assert_eq!(fixed.matches('\n').count(), fixed.matches("\r\n").count());
    assert!(fixed.contains("admin_enabled                 = false\r\n"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(&main).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
    }
    // No temporary file is left beside it.
    let names: Vec<_> = fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["main.tf"]);
}

#[test]
fn a_read_only_file_is_an_error_and_the_other_fixes_are_still_made() {
    let tmp = tempfile::tempdir().unwrap();
    fs::create_dir(tmp.path().join("a")).unwrap();
    fs::create_dir(tmp.path().join("b")).unwrap();
    let locked = tmp.path().join("a/main.tf");
    fs::write(&locked, TWO_FIXES).unwrap();
    fs::write(tmp.path().join("b/main.tf"), TWO_FIXES).unwrap();
    let mut permissions = fs::metadata(&locked).unwrap().permissions();
    permissions.set_readonly(true);
    fs::set_permissions(&locked, permissions).unwrap();
    let (code, after, _) = run(tmp.path(), &["--fix"]);
    assert_eq!(code, 2, "{after:#}");
    let errors = after["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{after:#}");
    assert_eq!(errors[0]["path"], "a/main.tf");
    assert_eq!(errors[0]["message"], "not fixed: the file is read-only");
    assert_eq!(fs::read_to_string(&locked).unwrap(), TWO_FIXES);
    assert!(fs::read_to_string(tmp.path().join("b/main.tf"))
        .unwrap()
        .contains("[\"registry\"]"));
}

#[test]
fn a_file_changed_since_it_was_read_is_not_overwritten() {
    let tmp = tempfile::tempdir().unwrap();
    let main = tmp.path().join("main.tf");
    fs::write(&main, TWO_FIXES).unwrap();
    let opts = acrlint::check::CheckOptions {
        paths: vec![tmp.path().to_path_buf()],
        fixes: true,
        ..Default::default()
    };
    let report = acrlint::check::check(&opts).unwrap();
    assert_eq!(acrlint::fix::apply::changes(&report, false).len(), 1);
    // Someone saves the file between the analysis and the write.
    let edited = TWO_FIXES.replace("pe-acr", "pe-acr-2");
    fs::write(&main, &edited).unwrap();
    let (report, done) = acrlint::fix::apply::fix(&opts, report, false).unwrap();
    assert_eq!(done.applied, 0);
    assert_eq!(fs::read_to_string(&main).unwrap(), edited);
    let messages: Vec<&str> = report.errors.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(
        messages,
        ["not fixed: the file changed on disk since it was read"]
    );
}

/// A fixed Terraform file that `terraform fmt` accepted before still passes `terraform fmt
/// -check`: a fix changes values in place, and an added attribute is a paragraph of its own, so
/// the alignment of the others stays. Every Terraform fail fixture, and a file with two fixes.
/// Needs `terraform` on PATH.
#[test]
fn fixed_terraform_passes_terraform_fmt() {
    let found = std::process::Command::new("terraform")
        .arg("version")
        .output();
    if !found.is_ok_and(|o| o.status.success()) {
        eprintln!("skipped: terraform is not installed, so `terraform fmt -check` is not run");
        return;
    }
    let fmt = |dir: &Path| {
        std::process::Command::new("terraform")
            .args(["fmt", "-check", "-diff", "-recursive"])
            .current_dir(dir)
            .output()
            .unwrap()
    };
    let mut dirs: Vec<tempfile::TempDir> = Vec::new();
    let two = tempfile::tempdir().unwrap();
    fs::write(two.path().join("main.tf"), TWO_FIXES).unwrap();
    dirs.push(two);
    for rule in subdirs(&testdata().join("rules")) {
        let terraform = rule.join("terraform");
        if !terraform.is_dir() {
            continue;
        }
        for case in subdirs(&terraform).into_iter().filter(|c| {
            c.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("fail_")
        }) {
            dirs.push(copy(&case));
        }
    }
    let mut checked = 0;
    for dir in &dirs {
        // A fixture written in another style says nothing about the fixes.
        if !fmt(dir.path()).status.success() {
            continue;
        }
        let before = texts(dir.path());
        run(dir.path(), &["--fix", "--unsafe-fixes"]);
        if texts(dir.path()) == before {
            continue;
        }
        let out = fmt(dir.path());
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stdout)
        );
        checked += 1;
    }
    assert!(
        checked >= 10,
        "only {checked} fixed fixtures were formatted"
    );
}

#[test]
fn a_module_input_default_that_other_calls_rely_on_is_not_rewritten() {
    // The private call leaves the export setting at the module's default; the public one relies
    // on it too, and Azure rejects export disabled with public access enabled.
    let tmp = tempfile::tempdir().unwrap();
    let write = |path: &str, text: &str| common::write(&tmp.path().join(path), text);
    write(
        "modules/acr/main.tf",
        "variable \"name\" {\n  type = string\n}\n\nvariable \"public_network_access_enabled\" {\n  type    = bool\n  default = true\n}\n\nvariable \"export_policy_enabled\" {\n  type    = bool\n  default = true\n}\n\nresource \"azurerm_container_registry\" \"this\" {\n  name                          = var.name\n  resource_group_name           = \"rg\"\n  location                      = \"westeurope\"\n  sku                           = \"Premium\"\n  public_network_access_enabled = var.public_network_access_enabled\n  export_policy_enabled         = var.export_policy_enabled\n}\n",
    );
    for (name, public) in [("private", "false"), ("public", "true")] {
        write(
            &format!("{name}/main.tf"),
            &format!("module \"acr\" {{\n  source                        = \"../modules/acr\"\n  name                          = \"acr{name}01\"\n  public_network_access_enabled = {public}\n}}\n"),
        );
    }
    // The same with a Bicep module's parameter default.
    write(
        "bicep/modules/acr.bicep",
        "param name string\nparam publicAccess string = 'Enabled'\nparam exportStatus string = 'enabled'\n\nresource acr 'Microsoft.ContainerRegistry/registries@2025-11-01' = {\n  name: name\n  location: 'westeurope'\n  sku: {\n    name: 'Premium'\n  }\n  properties: {\n    publicNetworkAccess: publicAccess\n    policies: {\n      exportPolicy: {\n        status: exportStatus\n      }\n    }\n  }\n}\n",
    );
    for (name, access) in [
        ("private", "\n    publicAccess: 'Disabled'"),
        ("public", ""),
    ] {
        write(
            &format!("bicep/{name}.bicep"),
            &format!("module acr 'modules/acr.bicep' = {{\n  name: 'acr'\n  params: {{\n    name: 'acr{name}02'{access}\n  }}\n}}\n"),
        );
    }
    let (_, json, _) = run(tmp.path(), &["--select", "ACR012", "--unsafe-fixes"]);
    let findings = json["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 2, "{json:#}");
    assert_eq!(fixable(&json), Vec::<String>::new(), "{json:#}");
}
