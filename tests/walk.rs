//! Walking (issue 11, item 4) and module cycles (item 6): each real folder once, links out of the
//! scanned paths only when asked, ignore files respected, special files and module cycles
//! reported rather than dropped. Each test checks the exit code, the error entries and the
//! findings (ACR001 on a public registry).

#[path = "common/cli.rs"]
#[allow(dead_code)]
mod cli;
// Only part of the shared helpers is used here.
#[allow(dead_code)]
mod common;

use std::path::Path;
use std::time::Duration;

use assert_cmd::Command;
use cli::fixture;
use common::write;

/// `acrlint check <args> --format json` in `dir`, killed after 60 s so that a hang (or a walk of
/// the whole machine) fails the test: exit code and report.
fn run(dir: &Path, args: &[&str]) -> (i32, serde_json::Value) {
    let out = Command::cargo_bin("acrlint")
        .unwrap()
        .current_dir(dir)
        .arg("check")
        .args(args)
        .args(["--format", "json"])
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let report = serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {stdout}\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code().unwrap_or(-1), report)
}

/// `path:line: message` of each error entry.
fn errors(report: &serde_json::Value) -> Vec<String> {
    report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            format!(
                "{}:{}: {}",
                e["path"].as_str().unwrap_or(""),
                e["location"]["start_line"].as_u64().unwrap_or(0),
                e["message"].as_str().unwrap_or("")
            )
        })
        .collect()
}

/// `rule path` of each finding, sorted.
fn findings(report: &serde_json::Value) -> Vec<String> {
    let mut found: Vec<String> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{} {}",
                f["rule"].as_str().unwrap(),
                f["location"]["path"].as_str().unwrap()
            )
        })
        .collect();
    found.sort();
    found
}

/// Write `acr.tf`, a public registry (ACR001), into `dir`.
fn public_registry(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::copy(fixture("hostile/files/acr/acr.tf"), dir.join("acr.tf")).unwrap();
}

#[cfg(unix)]
fn link(target: impl AsRef<Path>, link: impl AsRef<Path>) {
    std::os::unix::fs::symlink(target, link).unwrap();
}

/// Ten levels of folders, each linking to the one beside it: 2^10 paths to the registry at the
/// bottom, which was reported once per path.
#[cfg(unix)]
#[test]
fn a_web_of_sibling_links_reports_a_finding_once() {
    let tmp = tempfile::tempdir().unwrap();
    let mut level = tmp.path().to_path_buf();
    for _ in 0..10 {
        std::fs::create_dir_all(level.join("x")).unwrap();
        std::fs::create_dir_all(level.join("y")).unwrap();
        link(level.join("y"), level.join("x/to_y"));
        link(level.join("x"), level.join("y/to_x"));
        level = level.join("x");
    }
    public_registry(&level);
    let (code, report) = run(tmp.path(), &["."]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(errors(&report), Vec::<String>::new());
    assert_eq!(
        findings(&report),
        [format!("ACR001 {}/acr.tf", ["x"; 10].join("/"))]
    );
}

/// `ln -s / rootfs` is not walked (the test would time out, or report the machine's files).
#[cfg(unix)]
#[test]
fn a_link_to_the_root_folder_is_not_walked() {
    let tmp = tempfile::tempdir().unwrap();
    public_registry(&tmp.path().join("acr"));
    link("/", tmp.path().join("rootfs"));
    let (code, report) = run(tmp.path(), &["."]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(errors(&report), Vec::<String>::new());
    assert_eq!(findings(&report), ["ACR001 acr/acr.tf"]);
    assert_eq!(report["summary"]["files"], 1, "{report:#}");
}

#[cfg(unix)]
#[test]
fn follow_links_follows_a_link_out_of_the_scanned_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let (root, outside) = (tmp.path().join("root"), tmp.path().join("outside"));
    public_registry(&root.join("acr"));
    public_registry(&outside.join("shared"));
    link(&outside, root.join("out"));
    let (code, report) = run(&root, &["."]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(findings(&report), ["ACR001 acr/acr.tf"]);
    let (code, report) = run(&root, &[".", "--follow-links"]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(errors(&report), Vec::<String>::new());
    assert_eq!(
        findings(&report),
        ["ACR001 acr/acr.tf", "ACR001 out/shared/acr.tf"]
    );
    // The same from the configuration file.
    write(&root.join(".acrlint.toml"), "follow-links = true\n");
    let (_, report) = run(&root, &["."]);
    assert_eq!(findings(&report).len(), 2, "{report:#}");
}

#[test]
fn a_gitignored_folder_is_not_checked_unless_no_ignore() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    public_registry(&dir.join("acr"));
    public_registry(&dir.join("vendor/acr"));
    public_registry(&dir.join("vendor/kept"));
    write(&dir.join(".gitignore"), "vendor/\n");
    // A nested .ignore cannot re-include what an ignored folder holds: it is not walked.
    write(&dir.join("vendor/.ignore"), "!kept/\n");
    let (code, report) = run(dir, &["."]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(findings(&report), ["ACR001 acr/acr.tf"]);
    let all = [
        "ACR001 acr/acr.tf",
        "ACR001 vendor/acr/acr.tf",
        "ACR001 vendor/kept/acr.tf",
    ];
    let (code, report) = run(dir, &[".", "--no-ignore"]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(findings(&report), all);
    write(&dir.join(".acrlint.toml"), "respect-gitignore = false\n");
    let (_, report) = run(dir, &["."]);
    assert_eq!(findings(&report), all);
    // A folder named on the command line is checked, ignored or not.
    std::fs::remove_file(dir.join(".acrlint.toml")).unwrap();
    let (_, report) = run(dir, &["vendor/acr"]);
    assert_eq!(findings(&report), ["ACR001 vendor/acr/acr.tf"]);
}

/// Ignore files choose what is checked, not what Terraform loads: a git-ignored
/// `terraform.tfvars` (the usual place for secrets and per-environment values) still applies.
#[test]
fn a_gitignored_tfvars_still_applies_to_its_module() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write(
        &dir.join("env/main.tf"),
        r#"variable "public" {
  type    = bool
  default = false
}

resource "azurerm_container_registry" "acr" {
  name                          = "contosoacr01"
  resource_group_name           = "rg"
  location                      = "westeurope"
  sku                           = "Premium"
  public_network_access_enabled = var.public
}
"#,
    );
    let (code, report) = run(dir, &["."]);
    assert_eq!(code, 0, "private by default: {report:#}");
    write(&dir.join("env/terraform.tfvars"), "public = true\n");
    write(&dir.join(".gitignore"), "*.tfvars\n");
    let (code, report) = run(dir, &["."]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(errors(&report), Vec::<String>::new());
    assert_eq!(findings(&report), ["ACR001 env/main.tf"]);
}

/// A FIFO under a name acrlint reads is an error entry, as when it is named on the command line;
/// it is never opened (which would block), and the rest of its module is still checked.
#[cfg(unix)]
#[test]
fn a_fifo_in_a_folder_is_an_error_entry_not_a_hang() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    public_registry(&dir.join("acr"));
    let made = std::process::Command::new("mkfifo")
        .arg(dir.join("acr/x.tf"))
        .status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("mkfifo is not available: skipped");
        return;
    }
    let (code, report) = run(dir, &["."]);
    assert_eq!(code, 2, "{report:#}");
    assert_eq!(
        errors(&report),
        ["acr/x.tf:0: not a regular file (a FIFO): not scanned"]
    );
    assert_eq!(findings(&report), ["ACR001 acr/acr.tf"]);
}

/// A module calling itself, and two folders calling each other with no other caller, were
/// never analysed (exit 0, no error): the cycle is an error at the call, and the resources of
/// the folders in it are checked.
#[test]
fn module_cycles_are_errors_and_their_resources_are_checked() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    public_registry(&dir.join("self"));
    write(
        &dir.join("self/call.tf"),
        "module \"me\" {\n  source = \"./\"\n}\n",
    );
    public_registry(&dir.join("a"));
    write(
        &dir.join("a/call.tf"),
        "module \"b\" {\n  source = \"../b\"\n}\n",
    );
    public_registry(&dir.join("b"));
    write(
        &dir.join("b/call.tf"),
        "module \"a\" {\n  source = \"../a\"\n}\n",
    );
    let (code, report) = run(dir, &["."]);
    assert_eq!(code, 2, "{report:#}");
    assert_eq!(
        errors(&report),
        [
            "b/call.tf:2: module cycle: a → b → a",
            "self/call.tf:2: module cycle: self → self",
        ]
    );
    assert_eq!(
        findings(&report),
        ["ACR001 a/acr.tf", "ACR001 b/acr.tf", "ACR001 self/acr.tf"]
    );
}
