//! Terraform plan JSON (issue 16): `terraform show -json` output read as Terraform would deploy
//! it, reported on the `.tf` lines when the configuration is there, once.
//!
//! Each folder under `testdata/plan/` holds a hand-written `tfplan.json` in Terraform's
//! documented format (format 1.2), the `.tf` files where the case needs them, and
//! `expected.txt` in the fixture format (`tests/common`).

mod common;

#[path = "common/cli.rs"]
#[allow(dead_code)]
mod cli;

use std::fs;
use std::path::PathBuf;

use common::{check_fixture, expected, finding_diff, report, scan_with, subdirs, testdata};

fn plan_dir(case: &str) -> PathBuf {
    testdata().join("plan").join(case)
}

/// A copy of `testdata/plan/<case>` in a temporary folder, with only the files `keep` accepts.
fn copy_case(case: &str, keep: impl Fn(&str) -> bool) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    for entry in fs::read_dir(plan_dir(case)).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if keep(&name) {
            fs::copy(&path, tmp.path().join(&name)).unwrap();
        }
    }
    tmp
}

#[test]
fn plan_fixtures_match_expected() {
    let dirs = subdirs(&testdata().join("plan"));
    assert!(dirs.len() >= 7, "plan fixtures are missing");
    let failures = dirs
        .iter()
        .filter_map(|dir| {
            let name = dir.file_name().unwrap().to_string_lossy().into_owned();
            check_fixture(dir, false).map(|p| (format!("plan/{name}"), p))
        })
        .collect();
    report(failures);
}

/// `(rule, location, resource, message)` of each finding, sorted.
fn findings(json: &serde_json::Value) -> Vec<(String, String, String, String)> {
    let mut out: Vec<_> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                format!(
                    "{}:{}:{}",
                    f["location"]["path"].as_str().unwrap(),
                    f["location"]["start_line"],
                    f["location"]["start_column"]
                ),
                f["resource"].as_str().unwrap().to_string(),
                f["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    out.sort();
    out
}

/// Where both can decide, the plan and the same configuration as plain `.tf` give the same
/// findings: same rule, place, resource and message. (The `-var` of the pipeline is given to
/// the `.tf` scan with `--var`.)
#[test]
fn the_same_configuration_as_plain_tf_gives_the_same_findings() {
    for (case, args) in [
        ("beside_tf", &[][..]),
        ("var_in_pipeline", &["--var", "public_access=true"][..]),
    ] {
        let with_plan = scan_with(&plan_dir(case), &[]).unwrap();
        let tf = copy_case(case, |name| name.ends_with(".tf"));
        let plain = scan_with(tf.path(), args).unwrap();
        let want = expected(&plan_dir(case)).unwrap();
        assert_eq!(
            finding_diff(&want, &plain.entries()),
            Vec::<String>::new(),
            "{case}"
        );
        assert_eq!(findings(&with_plan.json), findings(&plain.json), "{case}");
        // The plan is named in the finding, as a related location, and the finding depends on it.
        let f = &with_plan.json["findings"][0];
        let related: Vec<&str> = f["related"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|r| r["location"]["path"].as_str())
            .collect();
        assert!(related.contains(&"tfplan.json"), "{case}: {f:#}");
        assert!(
            f["depends_on_files"]
                .as_array()
                .unwrap()
                .iter()
                .any(|p| p == "tfplan.json"),
            "{case}: {f:#}"
        );
    }
}

/// What only the plan decides: the `.tf` alone leaves it undetermined (a module not
/// downloaded, a `for_each` over a data source, a variable nobody gave).
#[test]
fn the_plan_decides_what_plain_tf_cannot() {
    for case in [
        "registry_module_public",
        "for_each_data_source",
        "var_in_pipeline",
    ] {
        let tf = copy_case(case, |name| name.ends_with(".tf"));
        let plain = scan_with(tf.path(), &[]).unwrap();
        assert!(plain.findings.is_empty(), "{case}: {:?}", plain.findings);
        assert!(!plain.undetermined.is_empty(), "{case}");
        let with_plan = scan_with(&plan_dir(case), &[]).unwrap();
        assert!(!with_plan.findings.is_empty(), "{case}");
        assert!(
            with_plan.undetermined.is_empty(),
            "{case}: {:?}",
            with_plan.undetermined
        );
    }
}

#[test]
fn inline_suppressions_in_the_tf_files_apply_to_plan_findings() {
    let tmp = copy_case("beside_tf", |_| true);
    let main = tmp.path().join("main.tf");
    let text = fs::read_to_string(&main).unwrap().replace(
        "  public_network_access_enabled = true\n",
        "  # acrlint:ignore ACR001 partners pull over the internet (SEC-412)\n  public_network_access_enabled = true\n",
    );
    fs::write(&main, text).unwrap();
    let scan = scan_with(tmp.path(), &[]).unwrap();
    assert!(scan.findings.is_empty(), "{:?}", scan.findings);
    assert_eq!(scan.json["summary"]["suppressed"], 1);
    assert_eq!(scan.code, Some(0));
}

/// A plan named alone, or with `--plan` (any file name), is judged with its folder's `.tf`.
#[test]
fn a_plan_named_on_the_command_line_or_with_plan() {
    let dir = plan_dir("beside_tf");
    let want = vec![(
        "ACR001".to_string(),
        "main.tf:25:35".to_string(),
        "azurerm_container_registry.acr".to_string(),
    )];
    let strip = |json: &serde_json::Value| {
        findings(json)
            .into_iter()
            .map(|(r, l, a, _)| (r, l, a))
            .collect::<Vec<_>>()
    };
    let (code, json) = cli::json(&dir, &["tfplan.json"]);
    assert_eq!((code, strip(&json)), (1, want.clone()), "{json:#}");
    let (code, json) = cli::json(&dir, &["--plan", "tfplan.json"]);
    assert_eq!((code, strip(&json)), (1, want.clone()), "{json:#}");

    // Any file name; a file that is not a plan is an error.
    let tmp = copy_case("beside_tf", |_| true);
    fs::rename(tmp.path().join("tfplan.json"), tmp.path().join("plan.out")).unwrap();
    let (code, json) = cli::json(tmp.path(), &["--plan", "plan.out"]);
    assert_eq!((code, strip(&json)), (1, want), "{json:#}");
    let (code, json) = cli::json(tmp.path(), &["--plan", "main.tf"]);
    assert_eq!(code, 2, "{json:#}");
    let message = json["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("not a Terraform plan"), "{message}");
}

/// A plan in another folder than its configuration, with the configuration folder given.
#[test]
fn a_plan_beside_the_configuration_folder_given() {
    let tmp = tempfile::tempdir().unwrap();
    fs::create_dir_all(tmp.path().join("infra")).unwrap();
    fs::create_dir_all(tmp.path().join("build")).unwrap();
    fs::copy(
        plan_dir("beside_tf").join("main.tf"),
        tmp.path().join("infra/main.tf"),
    )
    .unwrap();
    fs::copy(
        plan_dir("beside_tf").join("tfplan.json"),
        tmp.path().join("build/tfplan.json"),
    )
    .unwrap();
    let scan = scan_with(tmp.path(), &["--plan", "build/tfplan.json", "infra"]).unwrap();
    // `check .` is in the arguments too: the whole tree, the plan found twice, reported once.
    assert_eq!(
        scan.findings,
        ["ACR001 infra/main.tf:25 azurerm_container_registry.acr"],
        "{:#}",
        scan.json
    );
    // And its resources counted once, with the plan's.
    let plan = scan_with(tmp.path().join("build").as_path(), &[]).unwrap();
    assert!(plan.json["summary"]["resources"].as_u64().unwrap() >= 3);
    assert_eq!(
        scan.json["summary"]["resources"],
        plan.json["summary"]["resources"]
    );
}

#[test]
fn a_plan_beside_an_arm_template_each_read_as_what_it_is() {
    let tmp = copy_case("pe_registry_id_unknown", |_| true);
    fs::copy(
        testdata().join("rules/ACR001/arm/fail_explicit_enabled/main.json"),
        tmp.path().join("main.json"),
    )
    .unwrap();
    let scan = scan_with(tmp.path(), &[]).unwrap();
    let mut want = expected(&plan_dir("pe_registry_id_unknown")).unwrap();
    want.push("ACR001 main.json:41 Microsoft.ContainerRegistry/registries/contosoacr01".into());
    want.sort();
    assert_eq!(finding_diff(&want, &scan.entries()), Vec::<String>::new());
    assert!(scan.errors.is_empty(), "{:?}", scan.errors);
}

#[test]
fn a_broken_plan_is_an_error_and_an_unknown_format_a_warning() {
    let tmp = copy_case("pe_registry_id_unknown", |_| true);
    let path = tmp.path().join("tfplan.json");
    let text = fs::read_to_string(&path).unwrap();

    fs::write(&path, &text[..text.len() / 3]).unwrap();
    let scan = scan_with(tmp.path(), &[]).unwrap();
    assert_eq!(scan.code, Some(2));
    assert_eq!(scan.errors.len(), 1, "{:?}", scan.errors);
    assert!(scan.errors[0].starts_with("tfplan.json: invalid JSON in Terraform plan"));

    fs::write(&path, text.replacen("\"1.2\"", "\"2.0\"", 1)).unwrap();
    let scan = scan_with(tmp.path(), &[]).unwrap();
    let want = expected(&plan_dir("pe_registry_id_unknown")).unwrap();
    assert_eq!(finding_diff(&want, &scan.entries()), Vec::<String>::new());
    let warnings = scan.json["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0]["message"].as_str().unwrap().contains("2.0"));
}

#[test]
fn sensitive_values_are_never_shown() {
    let dir = plan_dir("sensitive_sku");
    for format in ["pretty", "json", "sarif", "markdown", "compact"] {
        let (_, out, err) = cli::acrlint(
            &dir,
            &[
                "check",
                ".",
                "--select",
                "ALL",
                "--show-unknown",
                "--format",
                format,
            ],
        );
        // Rule documentation (in SARIF) names SKUs: what must not appear is the plan's text.
        for shown in [&out, &err] {
            assert!(!shown.contains(r#""sku": "Basic""#), "{format}: {shown}");
            assert!(
                !shown.contains(r#"\"sku\": \"Basic\""#),
                "{format}: {shown}"
            );
        }
    }
    let (_, json) = cli::json(&dir, &[".", "--select", "ALL"]);
    let entries = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .chain(json["undetermined"].as_array().unwrap());
    for entry in entries {
        let message = entry["message"].as_str().unwrap();
        assert!(!message.contains("Basic"), "{message}");
    }
}

#[test]
fn every_output_format_and_the_baseline_work_on_plans() {
    let dir = plan_dir("beside_tf");
    for format in [
        "pretty",
        "compact",
        "json",
        "sarif",
        "github",
        "azure-devops",
        "junit",
        "gitlab",
        "markdown",
        "dot",
    ] {
        let (code, out, err) = cli::acrlint(&dir, &["check", ".", "--format", format]);
        assert_eq!(code, 1, "{format}: {out}{err}");
        assert!(
            out.contains("main.tf") || format == "dot",
            "{format}: {out}"
        );
    }
    let tmp = copy_case("beside_tf", |_| true);
    let (code, _, err) = cli::acrlint(tmp.path(), &["check", ".", "--write-baseline", "b.json"]);
    assert_eq!(code, 0, "{err}");
    let (code, json) = cli::json(tmp.path(), &[".", "--baseline", "b.json"]);
    assert_eq!(code, 0, "{json:#}");
    assert_eq!(json["summary"]["suppressed"], 1);
}

/// A real plan, when `terraform` is installed: a configuration that needs no provider download
/// (`terraform_data` and a local module), planned and shown as JSON, then read.
#[test]
fn a_real_plan_from_terraform_is_read() {
    let found = std::process::Command::new("terraform")
        .arg("version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        println!("skipped: `terraform` is not on PATH, no real plan to read");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    fs::create_dir_all(dir.join("modules/acr")).unwrap();
    fs::write(
        dir.join("main.tf"),
        r#"variable "public_access" {
  type    = bool
  default = false
}

module "acr" {
  source = "./modules/acr"
  public = var.public_access
}

resource "terraform_data" "endpoint" {
  for_each = toset(["a", "b"])
  input = {
    target = module.acr.id
    key    = each.key
  }
}
"#,
    )
    .unwrap();
    fs::write(
        dir.join("modules/acr/main.tf"),
        r#"variable "public" {
  type = bool
}

resource "terraform_data" "registry" {
  input = {
    name   = "contosoacr"
    public = var.public
  }
}

output "id" {
  value = terraform_data.registry.id
}
"#,
    )
    .unwrap();
    let run = |args: &[&str]| {
        let out = std::process::Command::new("terraform")
            .args(args)
            .current_dir(dir)
            .env("TF_IN_AUTOMATION", "1")
            .env("CHECKPOINT_DISABLE", "1")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "terraform {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    };
    run(&["init", "-input=false", "-no-color"]);
    run(&[
        "plan",
        "-input=false",
        "-no-color",
        "-out",
        "tfplan",
        "-var",
        "public_access=true",
    ]);
    let json = run(&["show", "-json", "tfplan"]);
    let text = String::from_utf8(json).unwrap();
    assert!(acrlint::load::plan::is_plan(&text));

    let sources = acrlint::source::SourceMap::default();
    let file = sources.add(acrlint::source::SourceFile::read(
        dir.join("tfplan.json"),
        text.into(),
    ));
    let load = acrlint::load::plan::load(file, &sources, None);
    assert!(load.loaded.errors.is_empty(), "{:?}", load.loaded.errors);
    assert!(load.warnings.is_empty(), "{:?}", load.warnings);
    let mut addrs: Vec<&str> = load
        .loaded
        .resources
        .iter()
        .map(|r| r.addr.as_str())
        .collect();
    addrs.sort();
    assert_eq!(
        addrs,
        [
            "module.acr.terraform_data.registry",
            "terraform_data.endpoint[\"a\"]",
            "terraform_data.endpoint[\"b\"]"
        ]
    );
    let body = |addr: &str| {
        &load
            .loaded
            .resources
            .iter()
            .find(|r| r.addr == addr)
            .unwrap()
            .body
    };
    use acrlint::value::Value;
    assert_eq!(
        body("module.acr.terraform_data.registry")
            .path(&["input", "public"])
            .unwrap()
            .value,
        Value::Bool(true),
        "the -var value"
    );
    // Known only after apply: followed through the module's output to the resource.
    match &body("terraform_data.endpoint[\"b\"]")
        .path(&["input", "target"])
        .unwrap()
        .value
    {
        Value::Ref(r) => {
            assert_eq!(r.addr, "module.acr.terraform_data.registry");
            assert_eq!(r.attr, ["id"]);
        }
        other => panic!("not a reference: {other:?}"),
    }

    // The command line reads it too, beside its `.tf` files, without errors or warnings.
    fs::write(dir.join("tfplan.json"), sources.get(file).text.as_bytes()).unwrap();
    let (code, json) = cli::json(dir, &["."]);
    assert_eq!(code, 0, "{json:#}");
    assert_eq!(json["errors"], serde_json::json!([]));
    assert_eq!(json["warnings"], serde_json::json!([]));
}
