//! Hostile files (issue 11, items 3 and 6): everything acrlint opens is a regular file of bounded
//! size, checked before reading; nothing is dropped silently. Each test checks the exit code, the
//! error entry, and that the good neighbour's finding (ACR001 on a public registry) is kept.

#[path = "common/cli.rs"]
#[allow(dead_code)]
mod cli;

use std::path::Path;
use std::time::Duration;

use assert_cmd::Command;
use cli::{fixture, rules_of};

/// `acrlint check <args> --format json` in `dir`, killed after 60 s so that a hang fails the
/// test instead of hanging CI: exit code, report (`Null` when stdout is not JSON), stderr.
fn run(dir: &Path, args: &[&str]) -> (i32, serde_json::Value, String) {
    let out = Command::cargo_bin("acrlint")
        .unwrap()
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .env_remove("TF_WORKSPACE")
        .env_remove("TF_DATA_DIR")
        .arg("check")
        .args(args)
        .args(["--format", "json"])
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let report = serde_json::from_str(&stdout).unwrap_or(serde_json::Value::Null);
    (
        out.status.code().unwrap_or(-1),
        report,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn messages(report: &serde_json::Value) -> Vec<String> {
    report["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("no errors array: {report:#}"))
        .iter()
        .map(|e| {
            format!(
                "{}: {}",
                e["path"].as_str().unwrap_or(""),
                e["message"].as_str().unwrap_or("")
            )
        })
        .collect()
}

/// A scratch folder holding a copy of the public registry (`acr/acr.tf`).
fn scratch() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir(tmp.path().join("acr")).unwrap();
    std::fs::copy(
        fixture("hostile/files/acr/acr.tf"),
        tmp.path().join("acr/acr.tf"),
    )
    .unwrap();
    tmp
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(status.success());
}

#[cfg(unix)]
#[test]
fn fifo_and_device_inputs_are_refused_not_read() {
    let tmp = scratch();
    let dir = tmp.path();
    mkfifo(&dir.join("pipe"));
    std::os::unix::fs::symlink("/dev/zero", dir.join("zero")).unwrap();
    for (name, what) in [("pipe", "a FIFO"), ("zero", "a device")] {
        let expected = format!("not a regular file ({what})");
        // As a variable file (an error entry; the rest is analysed).
        let (code, report, err) = run(dir, &["acr", "--var-file", name]);
        assert_eq!(code, 2, "{report:#}\n{err}");
        let msgs = messages(&report);
        assert!(msgs.iter().any(|m| m.contains(&expected)), "{msgs:?}");
        assert_eq!(rules_of(&report), vec!["ACR001"]);
        // As a path to check: says what it is, not "Not a directory".
        let (code, report, err) = run(dir, &["acr", name]);
        assert_eq!(code, 2, "{report:#}\n{err}");
        let msgs = messages(&report);
        assert!(
            msgs.iter()
                .any(|m| m.contains(name) && m.contains(&expected)),
            "{msgs:?}"
        );
        assert_eq!(rules_of(&report), vec!["ACR001"]);
        // As the baseline or the configuration: a usage error that says what it is.
        for flag in ["--baseline", "--config"] {
            let (code, _, err) = run(dir, &["acr", flag, name]);
            assert_eq!(code, 2, "{flag} {name}: {err}");
            assert!(err.contains(&expected), "{flag} {name}: {err}");
        }
    }
}

/// Terraform's `file()` reads through the same checks as the inputs: a FIFO or device named by
/// the configuration is refused, not opened, and what depends on it is undetermined, said.
#[cfg(unix)]
#[test]
fn file_function_refuses_fifos_and_devices() {
    let tmp = scratch();
    let dir = tmp.path();
    mkfifo(&dir.join("acr/pipe"));
    std::os::unix::fs::symlink("/dev/zero", dir.join("acr/zero")).unwrap();
    for (name, what) in [("pipe", "a FIFO"), ("zero", "a device")] {
        let config = format!(
            "locals {{\n  config = yamldecode(file(\"${{path.module}}/{name}\"))\n}}\n\n\
             resource \"azurerm_container_registry\" \"configured\" {{\n  \
             name                = \"contosoconfigured\"\n  resource_group_name = \"rg\"\n  \
             location            = \"westeurope\"\n  sku                 = \"Premium\"\n  \
             public_network_access_enabled = local.config.public\n}}\n"
        );
        std::fs::write(dir.join("acr/config.tf"), config).unwrap();
        let (code, report, err) = run(dir, &["acr", "--show-unknown"]);
        assert_eq!(code, 1, "{report:#}\n{err}");
        assert_eq!(rules_of(&report), vec!["ACR001"]);
        let expected = format!("not a regular file ({what})");
        let said = report["undetermined"].as_array().unwrap().iter().any(|u| {
            u["resource"] == "azurerm_container_registry.configured"
                && u["message"].as_str().unwrap().contains(&expected)
        });
        assert!(said, "{name}: {report:#}");
    }
}

#[cfg(unix)]
#[test]
fn a_fifo_where_terraform_records_the_workspace_is_refused_not_read() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::create_dir(dir.join(".terraform")).unwrap();
    mkfifo(&dir.join(".terraform/environment"));
    std::fs::write(
        dir.join("main.tf"),
        "resource \"azurerm_container_registry\" \"acr\" {\n  name                          = \"contoso${terraform.workspace}\"\n  \
         resource_group_name           = \"rg\"\n  location                      = \"westeurope\"\n  \
         sku                           = \"Premium\"\n  \
         public_network_access_enabled = terraform.workspace != \"prod\"\n}\n",
    )
    .unwrap();
    let (code, report, err) = run(dir, &[".", "--show-unknown"]);
    assert_eq!(code, 0, "{report:#}\n{err}");
    let said = (report["undetermined"].as_array().into_iter().flatten()).any(|u| {
        u["rule"] == "ACR001"
            && (u["message"].as_str().unwrap_or_default())
                .contains("environment, but that file cannot be read (not a regular file (a FIFO)")
    });
    assert!(said, "{report:#}");
}

#[cfg(unix)]
#[test]
fn fifo_parameter_file_is_refused_not_read() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::copy(fixture("hostile/files/arm/acr.json"), dir.join("acr.json")).unwrap();
    mkfifo(&dir.join("pipe.parameters.json"));
    let (code, report, err) = run(dir, &["acr.json", "--parameters", "pipe.parameters.json"]);
    assert_eq!(code, 2, "{report:#}\n{err}");
    let msgs = messages(&report);
    assert!(
        msgs.iter()
            .any(|m| m.contains("not a regular file (a FIFO)")),
        "{msgs:?}"
    );
    assert_eq!(rules_of(&report), vec!["ACR001"]);
}

#[test]
fn oversized_file_is_refused_by_size() {
    let tmp = scratch();
    let dir = tmp.path();
    std::fs::write(dir.join(".acrlint.toml"), "[limits]\nfile-size = 1000\n").unwrap();
    std::fs::write(dir.join("acr/big.tf"), format!("# {}\n", "x".repeat(2000))).unwrap();
    let (code, report, err) = run(dir, &["acr"]);
    assert_eq!(code, 2, "{report:#}\n{err}");
    let msgs = messages(&report);
    assert!(
        msgs.iter()
            .any(|m| m.contains("big.tf") && m.contains("too large")),
        "{msgs:?}"
    );
    assert_eq!(rules_of(&report), vec!["ACR001"]);
}

#[test]
fn missing_var_file_is_an_error_for_a_file_as_for_its_folder() {
    let dir = fixture("hostile/files");
    for path in ["acr/acr.tf", "acr"] {
        let (code, report, err) = run(&dir, &[path, "--var-file", "missing.tfvars"]);
        assert_eq!(code, 2, "{path}: {report:#}\n{err}");
        let msgs = messages(&report);
        assert!(
            msgs.iter()
                .any(|m| m.starts_with("missing.tfvars: cannot read")),
            "{path}: {msgs:?}"
        );
        assert_eq!(rules_of(&report), vec!["ACR001"], "{path}");
    }
}

#[test]
fn arm_variable_cycle_is_an_error_as_in_terraform() {
    let (code, report, err) = run(&fixture("hostile/files"), &["arm_cycle"]);
    assert_eq!(code, 2, "{report:#}\n{err}");
    let errors = report["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(
        errors[0]["message"],
        "variables('a') refers to itself (a cycle of parameters or variables)"
    );
    assert_eq!(errors[0]["location"]["start_line"], 5);
    assert_eq!(rules_of(&report), vec!["ACR001"]);
}

#[test]
fn valid_json_nested_too_deeply_says_so_not_invalid_json() {
    let tmp = scratch();
    let dir = tmp.path();
    let deep = format!("{}{}", "[".repeat(300), "]".repeat(300));
    // A template, beside the good one, and a Terraform JSON file beside acr.tf.
    std::fs::create_dir(dir.join("arm")).unwrap();
    std::fs::write(
        dir.join("arm/deep.json"),
        format!(
            "{{\"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\", \
             \"contentVersion\": \"1.0.0.0\", \"variables\": {{\"x\": {deep}}}, \"resources\": []}}"
        ),
    )
    .unwrap();
    std::fs::write(
        dir.join("acr/deep.tf.json"),
        format!("{{\"locals\": {{\"x\": {deep}}}}}"),
    )
    .unwrap();
    let (code, report, err) = run(dir, &["acr", "arm"]);
    assert_eq!(code, 2, "{report:#}\n{err}");
    let msgs = messages(&report);
    for file in ["arm/deep.json", "acr/deep.tf.json"] {
        assert!(
            msgs.iter().any(|m| m
                == &format!(
                    "{file}: cannot parse: nested too deeply (more than 256 levels of arrays and objects)"
                )),
            "{msgs:?}"
        );
    }
    assert!(!msgs.iter().any(|m| m.contains("invalid JSON")), "{msgs:?}");
    assert_eq!(rules_of(&report), vec!["ACR001"]);
}

#[test]
fn duplicate_definitions_in_one_module_are_errors_at_each_definition() {
    let (code, report, err) = run(&fixture("hostile/files"), &["dup", "acr"]);
    assert_eq!(code, 2, "{report:#}\n{err}");
    let errors: Vec<(String, i64, String)> = report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["path"].as_str().unwrap().to_string(),
                e["location"]["start_line"].as_i64().unwrap(),
                e["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let expect = |file: &str, line: i64, what: &str| {
        let message = format!(
            "duplicate {what}: it is defined more than once in this module, which Terraform \
             rejects (the first definition is used)"
        );
        assert!(
            errors.contains(&(format!("dup/{file}"), line, message)),
            "{file}:{line} {what}: {errors:#?}"
        );
    };
    for file in ["a_neighbour.tf", "acr.tf"] {
        expect(file, 2, "local value `public`");
        expect(file, 5, "variable `sku`");
        expect(file, 9, "resource `azurerm_container_registry.dup`");
        expect(file, 17, "output `id`");
    }
    expect("z.tf.json", 1, "local value `public`");
    assert_eq!(errors.len(), 9, "{errors:#?}");
    let acr = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["rule"] == "ACR001" && f["location"]["path"] == "acr/acr.tf");
    assert!(acr, "{report:#}");
}

/// Linux allows any bytes in a name (macOS and Windows do not).
#[cfg(target_os = "linux")]
#[test]
fn file_named_in_invalid_utf8_is_analysed_with_a_lossy_name() {
    use std::os::unix::ffi::OsStrExt;
    let tmp = scratch();
    let dir = tmp.path();
    std::fs::create_dir(dir.join("other")).unwrap();
    let name = std::ffi::OsStr::from_bytes(b"bad\xff.tf");
    let text = std::fs::read_to_string(dir.join("acr/acr.tf")).unwrap();
    std::fs::write(dir.join("other").join(name), text).unwrap();
    let paths = |report: &serde_json::Value| -> Vec<String> {
        let findings = report["findings"].as_array().unwrap().iter();
        findings
            .map(|f| format!("{} {}", f["rule"], f["location"]["path"]))
            .collect()
    };
    let (code, report, err) = run(dir, &["acr", "other"]);
    assert_eq!(code, 1, "{report:#}\n{err}");
    assert_eq!(
        paths(&report),
        [
            "\"ACR001\" \"acr/acr.tf\"",
            "\"ACR001\" \"other/bad\u{fffd}.tf\""
        ]
    );
    // Passed explicitly (as bytes), it is analysed too, not skipped with a warning.
    let out = Command::cargo_bin("acrlint")
        .unwrap()
        .current_dir(dir)
        .arg("check")
        .arg(std::path::Path::new("other").join(name))
        .args(["--format", "json"])
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1), "{report:#}");
    assert_eq!(paths(&report), ["\"ACR001\" \"other/bad\u{fffd}.tf\""]);
    assert!(
        report["warnings"].as_array().unwrap().is_empty(),
        "{report:#}"
    );
}
