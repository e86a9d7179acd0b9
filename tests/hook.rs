//! Files passed one by one, as a commit hook passes the staged ones: a finding is reported when a
//! file it depends on is passed (its location, a related location, where a value it judged was
//! written, a resource of the chain it reasoned over), and nothing else is.
//!
//! `testdata/hook/terraform` is a module whose zone link points at the wrong VNet (`links.tf`) and
//! whose production variable file (`env/prod.tfvars`, read through `.acrlint.toml` `var-files`)
//! sets a Standard SKU; `testdata/hook/arm` is a template whose parameter file sets one.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::{json, Value};

fn hook(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/hook")
        .join(rel)
}

/// `acrlint check <args> --format json` inside `dir`: exit code and report.
fn check(dir: &Path, args: &[&str]) -> (i32, Value) {
    let out = Command::cargo_bin("acrlint")
        .unwrap()
        .current_dir(dir)
        .arg("check")
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let report = serde_json::from_str(&text).unwrap_or_else(|e| {
        panic!(
            "bad JSON ({e}): {text}\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code().unwrap_or(-1), report)
}

/// `acrlint check --write-baseline baseline.json` inside `dir`, which must succeed.
fn write_baseline(dir: &Path) {
    let written = Command::cargo_bin("acrlint")
        .unwrap()
        .current_dir(dir)
        .args(["check", "--write-baseline", "baseline.json"])
        .output()
        .unwrap();
    assert_eq!(written.status.code(), Some(0));
}

/// `RULE path:line` of each finding.
fn findings(report: &Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{} {}:{}",
                f["rule"].as_str().unwrap(),
                f["location"]["path"].as_str().unwrap(),
                f["location"]["start_line"]
            )
        })
        .collect()
}

#[test]
fn the_link_file_alone_reports_the_zone_it_breaks() {
    let (code, report) = check(&hook("terraform"), &["links.tf"]);
    assert_eq!(code, 1, "{report:#}");
    // On the zone, in a file not passed; the SKU finding does not reason over the link.
    assert_eq!(findings(&report), ["ACR006 dns.tf:1"]);
    let f = &report["findings"][0];
    // The root's variable file too (`.acrlint.toml` names it for every module): what the root
    // deploys may depend on any value it gives.
    assert_eq!(
        f["depends_on_files"],
        json!([
            "dns.tf",
            "endpoint.tf",
            "env/prod.tfvars",
            "links.tf",
            "network.tf",
            "registry.tf"
        ])
    );
    // The link that is there is named, where it is.
    let link = f["related"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["location"]["path"] == "links.tf")
        .unwrap_or_else(|| panic!("no related location in links.tf: {f:#}"));
    assert_eq!(
        link["message"],
        "the zone's only link goes to `azurerm_virtual_network.mgmt`, here"
    );
    assert_eq!(link["location"]["start_line"], 7);
}

#[test]
fn the_variable_file_alone_reports_the_value_it_sets() {
    let (code, report) = check(&hook("terraform"), &["env/prod.tfvars"]);
    assert_eq!(code, 1, "{report:#}");
    // Every result of the root it gives values to: the SKU it sets, and the link the root gets
    // wrong (a variable file may switch a resource on as much as set an argument).
    assert_eq!(
        findings(&report),
        ["ACR006 dns.tf:1", "ACR003 registry.tf:10"]
    );
    let f = &report["findings"][1];
    assert_eq!(f["related"][0]["message"], "the value is set here");
    assert_eq!(f["related"][0]["location"]["path"], "env/prod.tfvars");
    assert!(f["depends_on_files"]
        .as_array()
        .unwrap()
        .contains(&json!("env/prod.tfvars")));
    // So does --var-file, given the same file, without a configuration.
    let tmp = tempfile::tempdir().unwrap();
    copy(&hook("terraform"), tmp.path());
    std::fs::remove_file(tmp.path().join(".acrlint.toml")).unwrap();
    let (code, report) = check(
        tmp.path(),
        &["env/prod.tfvars", "--var-file", "env/prod.tfvars"],
    );
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(
        findings(&report),
        ["ACR006 dns.tf:1", "ACR003 registry.tf:10"]
    );
}

#[test]
fn the_parameter_file_alone_reports_the_value_it_sets() {
    // The conventional parameter file of main.json.
    let (code, report) = check(&hook("arm"), &["main.parameters.json"]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(findings(&report), ["ACR003 main.json:41"]);
    assert_eq!(
        report["findings"][0]["depends_on_files"],
        json!(["main.json", "main.parameters.json"])
    );
    assert!(report["warnings"].as_array().unwrap().is_empty());
    // A parameter file given with --parameters, passed alone.
    let tmp = tempfile::tempdir().unwrap();
    copy(&hook("arm"), tmp.path());
    std::fs::remove_file(tmp.path().join("main.parameters.json")).unwrap();
    std::fs::create_dir(tmp.path().join("env")).unwrap();
    std::fs::copy(
        hook("arm/main.parameters.json"),
        tmp.path().join("env/prod.json"),
    )
    .unwrap();
    let (code, report) = check(
        tmp.path(),
        &["env/prod.json", "--parameters", "env/prod.json"],
    );
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(findings(&report), ["ACR003 main.json:41"]);
    // Without --parameters, nothing reads it.
    let (code, report) = check(tmp.path(), &["env/prod.json"]);
    assert_eq!(code, 0, "{report:#}");
}

/// `testdata/hook/azd`: `main.parameters.json` beside `main.bicep` decides whether a module
/// deploys a public registry (its condition, not a property of the registry). Everything the
/// root deploys depends on its parameter file.
#[test]
fn the_parameter_file_of_a_bicep_root_alone_reports_what_it_switches_on() {
    let (code, report) = check(&hook("azd"), &["main.parameters.json"]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(findings(&report), ["ACR001 modules/registry.bicep:8"]);
    assert_eq!(
        report["findings"][0]["depends_on_files"],
        json!([
            "main.bicep",
            "main.parameters.json",
            "modules/registry.bicep"
        ])
    );
}

#[test]
fn a_file_nothing_depends_on_reports_nothing() {
    let dir = hook("terraform");
    for alone in ["monitoring.tf", "variables.tf"] {
        let (code, report) = check(&dir, &[alone]);
        assert_eq!(code, 0, "{alone}: {report:#}");
        assert!(findings(&report).is_empty(), "{alone}: {report:#}");
    }
    // A variable file that no option names is read by nothing.
    let tmp = tempfile::tempdir().unwrap();
    copy(&dir, tmp.path());
    std::fs::write(tmp.path().join("env/dev.tfvars"), "sku = \"Basic\"\n").unwrap();
    let (code, report) = check(tmp.path(), &["env/dev.tfvars"]);
    assert_eq!(code, 0, "{report:#}");
    assert!(report["warnings"].as_array().unwrap().is_empty());
}

#[test]
fn a_variable_file_terraform_reads_by_itself_loads_its_module() {
    let tmp = tempfile::tempdir().unwrap();
    copy(&hook("terraform"), tmp.path());
    std::fs::remove_file(tmp.path().join(".acrlint.toml")).unwrap();
    std::fs::write(tmp.path().join("prod.auto.tfvars"), "sku = \"Basic\"\n").unwrap();
    let (code, report) = check(tmp.path(), &["prod.auto.tfvars"]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(
        findings(&report),
        ["ACR006 dns.tf:1", "ACR003 registry.tf:10"]
    );
}

/// A variable file that switches a resource on (`count = var.enabled ? 1 : 0`) reports what that
/// resource gets wrong: no argument of it is set there.
#[test]
fn a_variable_file_that_switches_a_resource_on_reports_it() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::write(
        dir.join("main.tf"),
        "variable \"enabled\" {\n  type    = bool\n  default = false\n}\n\n\
         resource \"azurerm_container_registry\" \"acr\" {\n  count                         = var.enabled ? 1 : 0\n  \
         name                          = \"contosoacr01\"\n  resource_group_name           = \"rg-acr\"\n  \
         location                      = \"westeurope\"\n  sku                           = \"Premium\"\n  \
         public_network_access_enabled = true\n}\n",
    )
    .unwrap();
    std::fs::write(dir.join("terraform.tfvars"), "enabled = true\n").unwrap();
    let (code, report) = check(dir, &["terraform.tfvars"]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(findings(&report), ["ACR001 main.tf:12"]);
}

#[test]
fn suppressions_and_the_baseline_hold_for_findings_of_other_files() {
    let tmp = tempfile::tempdir().unwrap();
    copy(&hook("terraform"), tmp.path());
    let dir = tmp.path();
    // Recorded in a baseline: not reported when the link file is passed.
    write_baseline(dir);
    let (code, report) = check(dir, &["links.tf", "--baseline", "baseline.json"]);
    assert_eq!(code, 0, "{report:#}");
    assert!(findings(&report).is_empty());
    assert_eq!(report["summary"]["suppressed"], 1);
    // Suppressed above the zone: suppressed, not reported, when only the link file is passed.
    let dns = std::fs::read_to_string(dir.join("dns.tf")).unwrap();
    std::fs::write(
        dir.join("dns.tf"),
        format!("# acrlint:ignore ACR006 the hub resolver serves the app VNet\n{dns}"),
    )
    .unwrap();
    let (code, report) = check(dir, &["links.tf"]);
    assert_eq!(code, 0, "{report:#}");
    assert!(findings(&report).is_empty());
    assert_eq!(report["suppressed"][0]["rule"], "ACR006");
    assert_eq!(report["suppressed"][0]["location"]["path"], "dns.tf");
}

#[test]
fn undetermined_results_follow_the_same_rule() {
    let tmp = tempfile::tempdir().unwrap();
    copy(&hook("terraform"), tmp.path());
    let dir = tmp.path();
    // The link's VNet is an input nobody gives: whether the zone is linked is undetermined.
    let links = std::fs::read_to_string(dir.join("links.tf"))
        .unwrap()
        .replace("azurerm_virtual_network.mgmt.id", "var.link_vnet_id");
    std::fs::write(
        dir.join("links.tf"),
        format!("variable \"link_vnet_id\" {{}}\n{links}"),
    )
    .unwrap();
    let entries = |report: &Value| -> Vec<String> {
        report["undetermined"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| format!("{} {}", u["rule"].as_str().unwrap(), u["depends_on"]))
            .collect()
    };
    let (_, report) = check(dir, &["links.tf"]);
    assert_eq!(entries(&report), ["ACR006 \"var.link_vnet_id\""]);
    let (_, report) = check(dir, &["monitoring.tf"]);
    assert!(entries(&report).is_empty(), "{report:#}");
}

/// `testdata/hook/data`: a Terraform module that reads its registry's settings from a YAML and a
/// JSON file with `file()`, and a Bicep file that loads one from a text file. A commit that
/// changes only a data file changes what is deployed: its results are reported.
#[test]
fn a_data_file_that_a_configuration_reads_reports_what_it_sets() {
    let dir = hook("data/terraform");
    // The whole reading file's results: a data file counts as a part of the file that reads it.
    let expected = ["ACR001 main.tf:18", "ACR010 main.tf:19"];
    for data in ["config/registry.yaml", "config/access.json"] {
        let (code, report) = check(&dir, &[data]);
        assert_eq!(code, 1, "{data}: {report:#}");
        assert_eq!(findings(&report), expected, "{data}");
        assert!(
            report["warnings"].as_array().unwrap().is_empty(),
            "{report:#}"
        );
        assert_eq!(
            report["findings"][0]["depends_on_files"],
            json!(["config/access.json", "config/registry.yaml", "main.tf"])
        );
    }
    // From the data file's own folder, the configuration is the one above it.
    let (code, report) = check(&dir.join("config"), &["registry.yaml"]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(
        report["findings"].as_array().unwrap().len(),
        2,
        "{report:#}"
    );
    // Bicep's loadTextContent().
    let (code, report) = check(&hook("data/bicep"), &["public-access.txt"]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(findings(&report), ["ACR001 main.bicep:9"]);
}

#[test]
fn a_data_file_that_nothing_reads_is_a_warning() {
    let (code, report) = check(&hook("data/terraform"), &["config/owners.yaml"]);
    assert_eq!(code, 0, "{report:#}");
    assert!(findings(&report).is_empty(), "{report:#}");
    assert_eq!(report["warnings"][0]["path"], "config/owners.yaml");
    let message = report["warnings"][0]["message"].as_str().unwrap();
    assert!(
        message.starts_with("not analysed: not a file type acrlint reads"),
        "{message}"
    );
    assert!(
        message.contains("no configuration beside or above it reads it"),
        "{message}"
    );
    // With no configuration up to the repository's root, the same.
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(tmp.path().join(".git")).unwrap();
    std::fs::create_dir_all(tmp.path().join("docs")).unwrap();
    std::fs::write(tmp.path().join("docs/notes.yaml"), "a: 1\n").unwrap();
    let (code, report) = check(tmp.path(), &["docs/notes.yaml"]);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["warnings"][0]["path"], "docs/notes.yaml");
}

/// Copy the files of `from` (one level of folders) into `to`.
fn copy(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

/// A module whose examples each call it with a name of their own and its default access (a
/// module repository's layout): the mistake in the module is one finding, which depends on
/// every example that gives the registry its name.
#[test]
fn a_module_called_by_several_roots_reports_its_mistake_once() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let write = |rel: &str, text: &str| {
        std::fs::create_dir_all(dir.join(rel).parent().unwrap()).unwrap();
        std::fs::write(dir.join(rel), text).unwrap();
    };
    write(
        "module/main.tf",
        "variable \"name\" {}\n\nvariable \"public\" {\n  type    = bool\n  default = true\n}\n\nresource \"azurerm_container_registry\" \"this\" {\n  name                          = var.name\n  resource_group_name           = \"rg\"\n  location                      = \"westeurope\"\n  sku                           = \"Premium\"\n  public_network_access_enabled = var.public\n}\n",
    );
    let call = |extra: &str| {
        format!("module \"acr\" {{\n  source = \"../../module\"\n  name   = \"contosoacr\"\n{extra}}}\n")
    };
    write("examples/a/main.tf", &call(""));
    write("examples/b/main.tf", &call(""));
    // One that sets the value itself: its finding shows where, so it is one of its own.
    write("examples/c/main.tf", &call("  public = true\n"));
    let (code, report) = check(dir, &["."]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(
        findings(&report),
        ["ACR001 module/main.tf:13", "ACR001 module/main.tf:13"]
    );
    let files: Vec<&Value> = (report["findings"].as_array().unwrap().iter())
        .map(|f| &f["depends_on_files"])
        .collect();
    assert!(
        files.contains(&&json!([
            "examples/a/main.tf",
            "examples/b/main.tf",
            "module/main.tf"
        ])),
        "{files:?}"
    );
    assert!(
        files.contains(&&json!(["examples/c/main.tf", "module/main.tf"])),
        "{files:?}"
    );
    // A commit of either example shows the shared finding.
    for example in ["examples/a/main.tf", "examples/b/main.tf"] {
        let (code, report) = check(dir, &[example]);
        assert_eq!(code, 1, "{report:#}");
        assert_eq!(findings(&report), ["ACR001 module/main.tf:13"]);
    }
    // A baseline records it once, and holds it.
    write_baseline(dir);
    let baseline: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("baseline.json")).unwrap()).unwrap();
    assert_eq!(
        baseline["findings"].as_array().map(Vec::len),
        Some(2),
        "{baseline:#}"
    );
    let (code, report) = check(dir, &[".", "--baseline", "baseline.json"]);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["summary"]["suppressed"], 2);
}
