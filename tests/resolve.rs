//! Resolution fixtures: every folder under `testdata/resolve/<terraform|arm>/<case>/` is scanned as
//! a user scans it, `acrlint check . --format json` from inside the folder, and its findings and
//! resource addresses must equal the folder's `expected.txt`. Cases named `error_*` must also give
//! error entries and exit 2; what those errors say is asserted by the explicit tests below, which
//! also cover `--show-unknown`, the `undetermined` JSON array, `--var`/`--var-file` precedence and
//! `--parameters`.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{
    check_fixture, expected, finding_diff, report, scan_with, scan_with_env, subdirs, testdata,
    Scan,
};
use serde_json::Value;

fn resolve_dir() -> PathBuf {
    testdata().join("resolve")
}

fn fixture(rel: &str) -> PathBuf {
    resolve_dir().join(rel)
}

/// `testdata/resolve/<format>/<case>` folders, in order.
fn resolve_fixtures() -> Vec<PathBuf> {
    subdirs(&resolve_dir())
        .iter()
        .flat_map(|format| subdirs(format))
        .collect()
}

fn case_name(dir: &Path) -> String {
    dir.strip_prefix(resolve_dir())
        .unwrap_or(dir)
        .to_string_lossy()
        .replace('\\', "/")
}

fn scan(rel: &str, extra: &[&str]) -> Scan {
    scan_with(&fixture(rel), extra).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Panics with the differences when the findings are not exactly `want`.
fn assert_findings(what: &str, got: &Scan, want: &[&str]) {
    let mut want: Vec<String> = want.iter().map(|s| s.to_string()).collect();
    want.sort();
    let diff = finding_diff(&want, &got.findings);
    assert!(
        diff.is_empty(),
        "{what}:\n{}\nerrors: {:#?}",
        diff.join("\n"),
        got.errors
    );
}

#[test]
fn resolve_fixtures_match_expected() {
    let dirs = resolve_fixtures();
    assert!(!dirs.is_empty(), "no fixtures under testdata/resolve");
    let failures = dirs
        .iter()
        .filter_map(|dir| {
            let name = case_name(dir);
            let errors_expected = name
                .rsplit('/')
                .next()
                .is_some_and(|c| c.starts_with("error_"));
            check_fixture(dir, errors_expected).map(|p| (name, p))
        })
        .collect();
    report(failures);
}

/// Every case is `<terraform|arm>/<case>` with an `expected.txt`.
#[test]
fn fixture_layout() {
    let mut failures = Vec::new();
    for format in subdirs(&resolve_dir()) {
        let name = case_name(&format);
        if name != "terraform" && name != "arm" {
            failures.push((name, "  unknown format folder".to_string()));
        }
    }
    for dir in resolve_fixtures() {
        if let Err(e) = expected(&dir) {
            failures.push((case_name(&dir), format!("  {e}")));
        }
    }
    report(failures);
}

fn run_text(rel: &str, args: &[&str]) -> (String, Option<i32>) {
    let output = assert_cmd::Command::cargo_bin("acrlint")
        .expect("acrlint binary")
        .current_dir(fixture(rel))
        .args(["check", "."])
        .args(args)
        .output()
        .expect("run acrlint");
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        output.status.code(),
    )
}

#[test]
fn show_unknown_prints_an_info_note_naming_the_input() {
    let rel = "terraform/unknown_variable";
    let (quiet, quiet_code) = run_text(rel, &["--format", "compact"]);
    assert!(
        !quiet.contains("var.allow_public"),
        "without --show-unknown no note is printed:\n{quiet}"
    );
    let (shown, shown_code) = run_text(rel, &["--format", "compact", "--show-unknown"]);
    let note = shown
        .lines()
        .find(|l| l.contains("ACR001"))
        .unwrap_or_else(|| panic!("no ACR001 note with --show-unknown:\n{shown}"));
    assert!(
        note.contains(": note: "),
        "the note is a note, not a finding: {note}"
    );
    assert!(
        note.contains("depends on var.allow_public"),
        "the note names the input: {note}"
    );
    assert!(
        note.starts_with("main.tf:17:"),
        "the note is located: {note}"
    );
    // Undetermined results never change the exit code, even with --fail-on info.
    let (_, strict_code) = run_text(
        rel,
        &["--format", "compact", "--show-unknown", "--fail-on", "info"],
    );
    assert_eq!(
        (quiet_code, shown_code, strict_code),
        (Some(0), Some(0), Some(0))
    );
}

#[test]
fn remote_module_outputs_are_unknown_and_visible() {
    let rel = "terraform/remote_module_unknown";
    let (shown, code) = run_text(rel, &["--format", "compact", "--show-unknown"]);
    assert!(
        shown.contains("depends on module.settings"),
        "the note names the remote module:\n{shown}"
    );
    assert_eq!(code, Some(0), "{shown}");
}

#[test]
fn json_lists_undetermined_results_and_counts_them() {
    let got = scan("terraform/unknown_variable", &[]);
    let undetermined = got.json["undetermined"]
        .as_array()
        .unwrap_or_else(|| panic!("`undetermined` is not an array: {}", got.json));
    assert_eq!(
        got.json.pointer("/summary/unknown").and_then(Value::as_u64),
        Some(undetermined.len() as u64),
        "summary.unknown counts the undetermined results: {}",
        got.json
    );
    let acr001 = undetermined
        .iter()
        .find(|u| u["rule"] == "ACR001")
        .unwrap_or_else(|| panic!("no undetermined ACR001: {undetermined:?}"));
    assert_eq!(acr001["resource"], "azurerm_container_registry.acr");
    assert_eq!(acr001["depends_on"], "var.allow_public");
    assert_eq!(
        acr001.pointer("/location/path"),
        Some(&Value::from("main.tf"))
    );
    assert_eq!(
        acr001.pointer("/location/start_line"),
        Some(&Value::from(17))
    );
    assert!(got.findings.is_empty() && got.errors.is_empty());
    assert_eq!(got.code, Some(0));
}

/// A variable file outside the fixture folder, so that the scan does not pick it up itself.
fn var_file(text: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("override.tfvars");
    fs::write(&path, text).expect("write var file");
    let path = path.to_string_lossy().into_owned();
    (dir, path)
}

const TFVARS: &str = "terraform/tfvars_precedence";
const PUBLIC: &str = "ACR001 main.tf:26 azurerm_container_registry.acr";
const ANONYMOUS: &str = "ACR011 main.tf:28 azurerm_container_registry.acr";
const ADMIN: &str = "ACR010 main.tf:27 azurerm_container_registry.acr";
const UNREACHABLE: &str = "ACR008 main.tf:21 azurerm_container_registry.acr";
const EXPORT: &str = "ACR012 main.tf:21 azurerm_container_registry.acr";

#[test]
fn var_overrides_tfvars() {
    // terraform.tfvars and *.auto.tfvars make the registry public; --var closes it and turns the
    // admin user back on (b.auto.tfvars had turned it off).
    let got = scan(
        TFVARS,
        &[
            "--var",
            "public_access=false",
            "--var",
            "admin_enabled=true",
        ],
    );
    assert_findings("--var", &got, &[ANONYMOUS, ADMIN, UNREACHABLE, EXPORT]);
}

#[test]
fn var_file_overrides_tfvars() {
    let (_tmp, path) = var_file("public_access  = false\nanonymous_pull = false\n");
    let got = scan(TFVARS, &["--var-file", &path]);
    assert_findings("--var-file", &got, &[UNREACHABLE, EXPORT]);
}

#[test]
fn later_var_and_var_file_options_win() {
    // Terraform applies -var and -var-file in command-line order: the last one wins.
    let (_tmp, path) = var_file("public_access = false\n");
    let var_last = scan(
        TFVARS,
        &["--var-file", &path, "--var", "public_access=true"],
    );
    assert_findings("--var-file then --var", &var_last, &[PUBLIC, ANONYMOUS]);
    let file_last = scan(
        TFVARS,
        &["--var", "public_access=true", "--var-file", &path],
    );
    assert_findings(
        "--var then --var-file",
        &file_last,
        &[ANONYMOUS, UNREACHABLE, EXPORT],
    );
}

#[test]
fn tf_var_environment_variables_are_below_every_variable_file() {
    // As in Terraform: TF_VAR_name sets a variable that nothing else sets (admin_enabled, not
    // in any variable file), and terraform.tfvars wins over it (public_access).
    let env = [
        ("TF_VAR_public_access", "false"),
        ("TF_VAR_admin_enabled", "false"),
        ("TF_VAR_undeclared", "ignored"),
    ];
    let got = scan_with_env(&fixture(TFVARS), &[], &env).unwrap();
    assert_findings("TF_VAR_", &got, &[PUBLIC, ANONYMOUS]);
    assert!(got.errors.is_empty(), "{:?}", got.errors);
    // --var wins over it too.
    let env = [("TF_VAR_admin_enabled", "false")];
    let got = scan_with_env(&fixture(TFVARS), &["--var", "admin_enabled=true"], &env).unwrap();
    assert_findings("--var over TF_VAR_", &got, &[PUBLIC, ANONYMOUS, ADMIN]);
}

#[test]
fn tf_var_gives_a_variable_without_default_its_value() {
    let dir = fixture("terraform/unknown_variable");
    let got = scan_with_env(
        &dir,
        &["--show-unknown"],
        &[("TF_VAR_allow_public", "true")],
    )
    .unwrap();
    assert!(
        got.findings
            .iter()
            .any(|f| f.starts_with("ACR001 main.tf:17 ")),
        "{:?}",
        got.findings
    );
    assert_eq!(got.json["undetermined"], serde_json::json!([]));
}

#[test]
fn terraform_workspace_is_the_one_terraform_would_run_in() {
    const PROD: &str = "ACR008 main.tf:17 azurerm_container_registry.acr";
    const DEFAULT: &str = "ACR001 main.tf:22 azurerm_container_registry.acr";
    let dir = fixture("terraform/workspace_selected");
    // `.terraform/environment` (`terraform workspace select prod`) is the fixture's own case;
    // TF_WORKSPACE wins over it.
    let got = scan_with_env(&dir, &[], &[("TF_WORKSPACE", "default")]).unwrap();
    assert_findings("TF_WORKSPACE", &got, &[DEFAULT]);
    let got = scan_with_env(&dir, &[], &[("TF_WORKSPACE", "prod")]).unwrap();
    assert_findings("TF_WORKSPACE", &got, &[PROD]);
    // A data folder elsewhere records nothing: the default workspace.
    let got = scan_with_env(&dir, &[], &[("TF_DATA_DIR", "elsewhere")]).unwrap();
    assert_findings("TF_DATA_DIR", &got, &[DEFAULT]);
    // A workspace with no settings: undetermined, saying why, not a guess.
    let got = scan_with_env(&dir, &[], &[("TF_WORKSPACE", "test")]).unwrap();
    assert_findings("TF_WORKSPACE=test", &got, &[]);
    let acr001 = (got.json["undetermined"].as_array().into_iter().flatten())
        .find(|u| u["rule"] == "ACR001")
        .unwrap_or_else(|| panic!("no undetermined ACR001: {}", got.json));
    let message = acr001["message"].as_str().unwrap_or_default();
    assert!(message.contains("no key \"test\""), "{message}");
}

#[test]
fn arm_environment_is_the_azurerm_providers_cloud_unless_its_block_sets_one() {
    let rules = testdata().join("rules/ACR005/terraform");
    // The Azure Government zone, the region an input nobody gave: undetermined by default.
    let other_cloud = rules.join("pass_unknown_region_other_cloud_zone");
    let got = scan_with_env(&other_cloud, &[], &[("ARM_ENVIRONMENT", "usgovernment")]).unwrap();
    assert_findings("ARM_ENVIRONMENT=usgovernment", &got, &[]);
    assert_eq!(
        got.json["undetermined"],
        serde_json::json!([]),
        "{}",
        got.json
    );
    let got = scan_with_env(&other_cloud, &[], &[("ARM_ENVIRONMENT", "public")]).unwrap();
    assert_findings(
        "ARM_ENVIRONMENT=public",
        &got,
        &["ACR005 main.tf:49 azurerm_private_endpoint.acr"],
    );
    // The provider block's `environment` wins.
    let set = rules.join("fail_provider_usgovernment_public_zone");
    let got = scan_with_env(&set, &[], &[("ARM_ENVIRONMENT", "public")]).unwrap();
    assert_findings(
        "environment = usgovernment",
        &got,
        &["ACR005 main.tf:54 azurerm_private_endpoint.acr"],
    );
}

#[test]
fn a_parameter_the_template_does_not_declare_is_a_warning() {
    // A misspelt name in the template's own parameter file: the value goes nowhere, so the
    // registry keeps its private default, and the warning says why.
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = fixture("arm/parameter_file_flips_public");
    for name in ["main.json", "main.parameters.json"] {
        let text = fs::read_to_string(dir.join(name)).expect("read");
        let text = text.replace(
            "\"publicNetworkAccess\": {\n      \"value\"",
            "\"publicNetworkAcess\": {\n      \"value\"",
        );
        fs::write(tmp.path().join(name), text).expect("write");
    }
    let got = scan_with(tmp.path(), &[]).expect("scan");
    assert!(
        !got.findings.iter().any(|f| f.starts_with("ACR001")),
        "{:?}",
        got.findings
    );
    let warnings = got.json["warnings"].as_array().expect("warnings");
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(warnings[0]["path"], "main.parameters.json");
    assert_eq!(
        warnings[0]["message"],
        "line 5: the parameter `publicNetworkAcess` is not declared by the template: its value is \
         not used, and a deployment given it is rejected"
    );
    // A `--parameters` file applies to every template: one it does not fit gives no warning.
    let other = tmp.path().join("other.json");
    fs::write(&other, r#"{"parameters": {"elsewhere": {"value": 1}}}"#).expect("write");
    let got = scan_with(
        &fixture("arm/parameter_file_flips_public"),
        &["--parameters", other.to_str().unwrap()],
    )
    .expect("scan");
    assert_eq!(got.json["warnings"], serde_json::json!([]), "{}", got.json);
}

#[test]
fn parameters_option_overrides_the_conventional_parameter_file() {
    let rel = "arm/parameter_file_flips_public";
    let tmp = tempfile::tempdir().expect("tempdir");
    let path = tmp.path().join("private.parameters.json");
    fs::write(
        &path,
        r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",
  "contentVersion": "1.0.0.0",
  "parameters": { "publicNetworkAccess": { "value": "Disabled" } }
}
"#,
    )
    .expect("write parameter file");
    let got = scan(rel, &["--parameters", &path.to_string_lossy()]);
    assert_findings(
        "--parameters",
        &got,
        &["ACR008 main.json:17 Microsoft.ContainerRegistry/registries/contosoparams"],
    );
    assert!(got.errors.is_empty(), "{:?}", got.errors);
    // ACR008 is info, below the default --fail-on.
    assert_eq!(got.code, Some(0));
}

/// The error entries of a scan that must fail with exit 2 and still report its other findings.
fn errors_of(rel: &str) -> Vec<String> {
    let got = scan(rel, &[]);
    let want = expected(&fixture(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    let diff = finding_diff(&want, &got.entries());
    assert!(
        diff.is_empty(),
        "{rel}: the rest is still analysed:\n{}",
        diff.join("\n")
    );
    assert_eq!(got.code, Some(2), "{rel}: errors give exit 2");
    assert!(!got.errors.is_empty(), "{rel}: no error entry");
    got.errors
}

#[test]
fn module_cycle_is_an_error() {
    let errors = errors_of("terraform/error_module_cycle");
    assert!(
        errors
            .iter()
            .any(|e| e.contains("cycle") && e.contains("a") && e.contains("b")),
        "an error names the module cycle: {errors:#?}"
    );
}

#[test]
fn self_referencing_locals_are_an_error_and_unknown() {
    let rel = "terraform/error_self_referencing_locals";
    let got = scan(rel, &[]);
    let depends: Vec<&str> = got.json["undetermined"]
        .as_array()
        .map(|u| u.iter().filter_map(|u| u["depends_on"].as_str()).collect())
        .unwrap_or_default();
    assert!(
        depends.contains(&"local.public") && depends.contains(&"local.admin"),
        "the values in the cycle are unknown: {depends:?}"
    );
    let errors = errors_of(rel);
    assert!(
        errors
            .iter()
            .any(|e| e.contains("local.") && (e.contains("cycle") || e.contains("itself"))),
        "an error names the self-referencing local: {errors:#?}"
    );
}

#[test]
fn huge_expansions_are_capped_with_an_error() {
    let rel = "terraform/error_huge_for_each";
    errors_of(rel);
    let got = scan(rel, &[]);
    // Past the cap, how many instances exist is unknown: their findings are undetermined, not
    // reported on a guessed instance.
    let unsure: Vec<&str> = got.json["undetermined"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|u| {
            u["message"]
                .as_str()
                .unwrap_or("")
                .contains("whether the resource is created")
        })
        .filter_map(|u| u["resource"].as_str())
        .collect();
    assert!(
        unsure.contains(&"azurerm_container_registry.many")
            && unsure.contains(&"azurerm_container_registry.counted"),
        "{unsure:?}"
    );
    // The error lines: the `for_each` (line 3) and the `count` (line 13).
    let mut lines: Vec<u64> = got.json["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .filter(|e| {
                    e["message"]
                        .as_str()
                        .is_some_and(|m| m.contains("more than"))
                })
                .filter_map(|e| e.pointer("/location/start_line").and_then(Value::as_u64))
                .collect()
        })
        .unwrap_or_default();
    lines.sort();
    lines.dedup();
    assert_eq!(
        lines,
        [3, 13],
        "the for_each and the count are each capped with a clear error: {:#?}",
        got.json["errors"]
    );
}

#[test]
fn linked_templates_give_a_note() {
    let rel = "arm/template_link";
    let (shown, code) = run_text(rel, &["--format", "compact", "--show-unknown"]);
    assert!(
        shown.contains("linkedRegistry"),
        "--show-unknown notes that the linked template of deployment linkedRegistry is not analysed:\n{shown}"
    );
    assert_eq!(code, Some(1), "{shown}");
}

#[test]
fn missing_module_sources_are_errors_and_unknown() {
    let rel = "terraform/error_module_source_missing";
    let errors = errors_of(rel);
    for source in ["./modules/does-not-exist", "no/such/module"] {
        assert!(
            errors
                .iter()
                .any(|e| e.contains(source) && e.contains("not found")),
            "an error names the missing source {source}: {errors:#?}"
        );
    }
    let got = scan(rel, &[]);
    // Public access is unknown: whether the registry is exposed (ACR001), unreachable (ACR008)
    // or exportable (ACR012) cannot be decided.
    assert_eq!(
        undetermined(&got),
        [
            "ACR001 module.missing",
            "ACR008 module.missing",
            "ACR012 module.missing"
        ]
    );
}

#[test]
fn module_output_cycle_is_an_error_and_unknown() {
    let rel = "terraform/error_module_output_cycle";
    let got = scan(rel, &[]);
    assert_eq!(
        undetermined(&got),
        [
            "ACR001 var.public",
            "ACR008 var.public",
            "ACR012 var.public"
        ]
    );
    let errors = errors_of(rel);
    assert!(
        errors
            .iter()
            .any(|e| e.contains("public") && (e.contains("cycle") || e.contains("itself"))),
        "an error names the cycle through module.loop's `public`: {errors:#?}"
    );
}

#[test]
fn key_vault_references_and_deployment_outputs_are_unknown() {
    let got = scan("arm/variable_copy_and_outputs", &[]);
    assert_eq!(
        undetermined(&got),
        [
            "* deployment settings",
            "ACR001 parameters('adminPassword')",
            "ACR008 parameters('adminPassword')",
            "ACR010 the outputs of deployment settings"
        ]
    );
}

/// `RULE depends_on` of each undetermined result, sorted.
fn undetermined(got: &Scan) -> Vec<String> {
    let mut out: Vec<String> = got.json["undetermined"]
        .as_array()
        .map(|u| {
            u.iter()
                .map(|u| {
                    format!(
                        "{} {}",
                        u["rule"].as_str().unwrap_or("?"),
                        u["depends_on"].as_str().unwrap_or("?")
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

/// A folder called as a module is analysed through its callers (see the fixture), but on its own
/// when it is the only thing scanned: then its resources have root addresses.
#[test]
fn called_module_folder_scanned_alone_is_analysed() {
    let output = assert_cmd::Command::cargo_bin("acrlint")
        .expect("acrlint binary")
        .current_dir(fixture("terraform/module_output_endpoint"))
        .args(["check", "registry", "--format", "json"])
        .output()
        .expect("run acrlint");
    let json: Value = serde_json::from_slice(&output.stdout).expect("JSON output");
    let findings: Vec<String> = json["findings"]
        .as_array()
        .map(|f| {
            f.iter()
                .map(|f| {
                    format!(
                        "{} {}:{} {}",
                        f["rule"].as_str().unwrap_or("?"),
                        f.pointer("/location/path")
                            .and_then(Value::as_str)
                            .unwrap_or("?"),
                        f.pointer("/location/start_line")
                            .and_then(Value::as_u64)
                            .unwrap_or(0),
                        f["resource"].as_str().unwrap_or("?")
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(
        findings,
        ["ACR001 registry/main.tf:18 azurerm_container_registry.this"],
        "{json}"
    );
}

#[test]
fn resources_that_may_not_be_created_are_undetermined() {
    for (rel, depends_on) in [
        ("terraform/unknown_count", "var.create_registry"),
        ("arm/unknown_condition", "parameters('deployRegistry')"),
    ] {
        let got = scan(rel, &[]);
        let notes: Vec<String> = got.json["undetermined"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| {
                format!(
                    "{} {}",
                    u["depends_on"].as_str().unwrap(),
                    u["message"].as_str().unwrap()
                )
            })
            .collect();
        assert!(
            notes.iter().any(|n| n.starts_with(depends_on)
                && n.contains("ACR001")
                && n.contains("whether the resource is created")),
            "{rel}: {notes:#?}"
        );
        assert_eq!(got.code, Some(0), "{rel}");
    }
}
