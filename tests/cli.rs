//! The command line as users run it: exit codes, formats, selection, files passed one by one,
//! and snapshots of the rendered output.

#[path = "common/cli.rs"]
mod cli;

use std::path::Path;

use cli::{acrlint, fixture, json, root, rules_of};

#[test]
fn exit_0_when_clean() {
    let (code, report) = json(&fixture("rules/ACR006/terraform/pass_linked"), &["."]);
    assert_eq!(code, 0, "{report:#}");
    assert!(rules_of(&report).is_empty());
}

#[test]
fn exit_1_on_findings_and_fail_on_threshold() {
    let dir = fixture("rules/ACR010/terraform/fail_admin_enabled");
    let (code, report) = json(&dir, &["."]);
    assert_eq!(code, 1);
    assert_eq!(rules_of(&report), vec!["ACR010"]);
    // ACR010 is medium: below a `high` threshold the run passes.
    let (code, _) = json(&dir, &[".", "--fail-on", "high"]);
    assert_eq!(code, 0);
    let (code, _) = json(&dir, &[".", "--fail-on", "medium"]);
    assert_eq!(code, 1);
}

#[test]
fn exit_2_on_unparsable_files_and_usage_errors() {
    let (code, report) = json(&fixture("bad"), &["."]);
    assert_eq!(code, 2);
    assert!(!report["errors"].as_array().unwrap().is_empty());
    // The valid file in the same folder is still scanned.
    assert!(rules_of(&report).contains(&"ACR001".to_string()));

    let (code, _, err) = acrlint(&root(), &["check", "--format", "nope"]);
    assert_eq!(code, 2, "{err}");
    let (code, _, _) = acrlint(&root(), &["check", "--fail-on", "urgent"]);
    assert_eq!(code, 2);
    let (code, _, _) = acrlint(&root(), &["frobnicate"]);
    assert_eq!(code, 2);
    let (code, _, err) = acrlint(&root(), &["check", "--exclude", "a[", "testdata/demo"]);
    assert_eq!(code, 2, "{err}");
    let (code, _, _) = acrlint(&root(), &["check", "does/not/exist"]);
    assert_eq!(code, 2);
}

#[test]
fn select_and_ignore_by_id_or_prefix() {
    let dir = fixture("demo");
    let (_, all) = json(&dir, &["."]);
    let all = rules_of(&all);
    assert!(all.contains(&"ACR001".to_string()) && all.contains(&"ACR010".to_string()));
    let (_, only) = json(&dir, &[".", "--select", "ACR010"]);
    assert_eq!(rules_of(&only), vec!["ACR010"]);
    let (code, none) = json(&dir, &[".", "--ignore", "ACR0"]);
    assert!(rules_of(&none).is_empty());
    assert_eq!(code, 0);
    let (_, some) = json(&dir, &[".", "--ignore", "ACR001,ACR010"]);
    let some = rules_of(&some);
    assert!(!some.contains(&"ACR001".to_string()) && !some.contains(&"ACR010".to_string()));
    assert!(!some.is_empty());
}

#[test]
fn files_passed_one_by_one_load_their_folder_and_report_what_depends_on_them() {
    let dir = fixture("rules/ACR006/terraform/fail_split_files");
    // The finding is on the zone in dns.tf; the endpoint and link live in other files.
    let (code, report) = json(&dir, &["dns.tf"]);
    assert_eq!(code, 1);
    assert_eq!(rules_of(&report), vec!["ACR006"]);
    // The endpoint and its VNet are part of the chain the finding reasons over: passed without
    // dns.tf, they still report it, at its location (tests/hook.rs has the other cases).
    let (code, report) = json(&dir, &["endpoint.tf", "network.tf"]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(rules_of(&report), vec!["ACR006"]);
    assert_eq!(report["findings"][0]["location"]["path"], "dns.tf");
    assert_eq!(
        report["findings"][0]["depends_on_files"],
        serde_json::json!(["dns.tf", "endpoint.tf", "network.tf", "registry.tf"])
    );
}

#[test]
fn compact_is_one_gcc_style_line_per_finding() {
    let (code, out, _) = acrlint(
        &fixture("rules/ACR010/terraform/fail_admin_enabled"),
        &["check", ".", "--format", "compact"],
    );
    assert_eq!(code, 1);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 1, "{out}");
    let (location, rest) = lines[0].split_once(": ").unwrap();
    let parts: Vec<&str> = location.split(':').collect();
    assert_eq!(parts.len(), 3, "{location}");
    assert!(parts[1].parse::<u32>().is_ok() && parts[2].parse::<u32>().is_ok());
    assert!(
        rest.starts_with("medium: ") && rest.ends_with("[ACR010]"),
        "{rest}"
    );
}

#[test]
fn output_file_receives_the_report() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("report.json");
    let (code, stdout, _) = acrlint(
        &fixture("rules/ACR010/terraform/fail_admin_enabled"),
        &[
            "check",
            ".",
            "--format",
            "json",
            "--output",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 1);
    assert!(stdout.is_empty());
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out).unwrap()).unwrap();
    assert_eq!(rules_of(&report), vec!["ACR010"]);
}

/// `--also FORMAT=FILE`: one run writes several reports, each the same as a run with that
/// `--format` alone (the chain diagrams included when only an `--also` format draws them).
#[test]
fn also_writes_more_formats_from_the_same_run() {
    let tmp = tempfile::tempdir().unwrap();
    let demo = fixture("demo");
    let file = |name: &str| tmp.path().join(name).to_str().unwrap().to_string();
    let (code, stdout, err) = acrlint(
        &demo,
        &[
            "check",
            ".",
            "--format",
            "github",
            "--also",
            &format!("sarif={}", file("r.sarif")),
            "--also",
            &format!("markdown={}", file("r.md")),
            "--also",
            &format!("json={}", file("r.json")),
        ],
    );
    assert_eq!(code, 1, "{err}");
    for (format, out) in [
        ("github", stdout),
        ("sarif", std::fs::read_to_string(file("r.sarif")).unwrap()),
        ("markdown", std::fs::read_to_string(file("r.md")).unwrap()),
        ("json", std::fs::read_to_string(file("r.json")).unwrap()),
    ] {
        let (alone_code, alone, _) = acrlint(&demo, &["check", ".", "--format", format]);
        assert_eq!(alone_code, 1);
        assert_eq!(out, alone, "--also {format} differs from --format {format}");
    }
    assert!(std::fs::read_to_string(file("r.md"))
        .unwrap()
        .contains("```mermaid"));

    // A clean run writes its (empty) reports too, and exits 0.
    let (code, _, err) = acrlint(
        &fixture("correct"),
        &[
            "check",
            ".",
            "--format",
            "json",
            "--also",
            &format!("sarif={}", file("clean.sarif")),
        ],
    );
    assert_eq!(code, 0, "{err}");
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(file("clean.sarif")).unwrap()).unwrap();
    assert_eq!(sarif["runs"][0]["results"], serde_json::json!([]));
}

#[test]
fn also_usage_errors_and_unwritable_files() {
    let demo = fixture("demo");
    for args in [
        vec!["--also", "sarif"],
        vec!["--also", "sarif="],
        vec!["--also", "yaml=x.yaml"],
        vec!["--also", "sarif=x.sarif", "--output", "x.sarif"],
        vec!["--also", "sarif=x.sarif", "--also", "json=x.sarif"],
        vec!["--also", "sarif=x.sarif", "--write-baseline", "b.json"],
    ] {
        let mut all = vec!["check", "."];
        all.extend_from_slice(&args);
        let (code, out, err) = acrlint(&demo, &all);
        assert_eq!(code, 2, "{args:?}: {out}{err}");
        assert!(!err.is_empty(), "{args:?}");
    }
    assert!(!demo.join("x.sarif").exists() && !demo.join("b.json").exists());

    // A file that cannot be written is an error (exit 2), and the others are still written.
    let tmp = tempfile::tempdir().unwrap();
    let good = tmp.path().join("r.json");
    let (code, _, err) = acrlint(
        &demo,
        &[
            "check",
            ".",
            "--format",
            "compact",
            "--also",
            &format!("sarif={}", tmp.path().join("missing/r.sarif").display()),
            "--also",
            &format!("json={}", good.display()),
        ],
    );
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("cannot write") && err.contains("r.sarif"),
        "{err}"
    );
    assert!(good.exists());
}

#[test]
fn rules_and_explain() {
    let (code, out, _) = acrlint(&root(), &["rules"]);
    assert_eq!(code, 0);
    for m in acrlint::rules::all_meta() {
        assert!(
            out.contains(&m.id) && out.contains(&m.name),
            "{} missing from `rules`",
            m.id
        );
    }
    let (code, out, _) = acrlint(&root(), &["explain", "acr004"]);
    assert_eq!(code, 0);
    assert!(out.contains("private-endpoint-without-dns-zone-group"));
    assert!(out.contains("## How to fix (Terraform)"));
    let (code, _, err) = acrlint(&root(), &["explain", "ACR999"]);
    assert_eq!(code, 2);
    assert!(err.contains("unknown rule"));
}

#[test]
fn snapshot_demo_json() {
    let (code, out, err) = acrlint(&fixture("demo"), &["check", ".", "--format", "json"]);
    assert_eq!(code, 1, "{err}");
    insta::assert_snapshot!("demo_json", out);
}

#[test]
fn snapshot_demo_pretty() {
    let (code, out, err) = acrlint(
        &fixture("demo"),
        &["check", ".", "--format", "pretty", "--color", "never"],
    );
    assert_eq!(code, 1, "{err}");
    insta::assert_snapshot!("demo_pretty", out);
}

#[test]
fn snapshot_multi_file_chain_pretty() {
    let (code, out, err) = acrlint(
        &fixture("rules/ACR006/terraform/fail_split_files"),
        &["check", ".", "--format", "pretty", "--color", "never"],
    );
    assert_eq!(code, 1, "{err}");
    insta::assert_snapshot!("chain_pretty", out);
}

/// Every format on the same multi-finding configuration (the demo: two formats of input, several
/// rules and severities, a chain across files).
#[test]
fn snapshot_every_format_on_the_demo() {
    for format in [
        "compact",
        "sarif",
        "github",
        "azure-devops",
        "gitlab",
        "junit",
    ] {
        let (code, out, err) = acrlint(&fixture("demo"), &["check", ".", "--format", format]);
        assert_eq!(code, 1, "{format}: {err}");
        let out = if format == "sarif" {
            without_rule_help(&out)
        } else {
            out
        };
        insta::assert_snapshot!(format!("demo_{format}"), out);
    }
}

/// The SARIF log with each rule's help and full description (the text of `rules/*.md`, tested by
/// `rules_and_explain` and the SARIF unit tests) replaced by a marker, so that a documentation
/// edit does not rewrite the snapshot.
fn without_rule_help(sarif: &str) -> String {
    let mut log: serde_json::Value = serde_json::from_str(sarif).expect("SARIF is JSON");
    for rule in log["runs"][0]["tool"]["driver"]["rules"]
        .as_array_mut()
        .expect("SARIF lists the rules")
    {
        let id = rule["id"].as_str().unwrap().to_string();
        for key in ["fullDescription", "help"] {
            assert!(rule.get(key).is_some(), "{id} has no {key}");
            rule[key] = format!("<rules/{id}.md>").into();
        }
    }
    serde_json::to_string_pretty(&log).unwrap()
}

/// Symbolic link loops, dangling links and huge files are error entries; every other file is
/// still scanned, and nothing hangs.
#[cfg(unix)]
#[test]
fn hostile_filesystem_entries_are_errors_not_hangs() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    std::fs::create_dir(root.join("stack")).unwrap();
    std::fs::copy(
        fixture("rules/ACR010/terraform/fail_admin_enabled/main.tf"),
        root.join("stack/main.tf"),
    )
    .unwrap();
    // A folder that links to its own parent, and a link to nowhere.
    std::os::unix::fs::symlink(root, root.join("stack/loop")).unwrap();
    std::os::unix::fs::symlink(root.join("missing.tf"), root.join("stack/dangling.tf")).unwrap();
    // A file larger than acrlint reads (sparse: it takes no disk space).
    let huge = std::fs::File::create(root.join("huge.json")).unwrap();
    huge.set_len(acrlint::limits::Limits::DEFAULT.file_size + 1)
        .unwrap();

    let (code, report) = json(root, &["."]);
    assert_eq!(code, 2, "{report:#}");
    let errors: Vec<String> = report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            format!(
                "{}: {}",
                e["path"].as_str().unwrap(),
                e["message"].as_str().unwrap()
            )
        })
        .collect();
    for (path, what) in [
        ("stack/loop", "loop"),
        ("stack/dangling.tf", "cannot read"),
        ("huge.json", "too large"),
    ] {
        assert!(
            errors
                .iter()
                .any(|e| e.starts_with(path) && e.contains(what)),
            "no `{what}` error for {path}: {errors:#?}"
        );
    }
    assert_eq!(
        rules_of(&report),
        vec!["ACR010"],
        "the good file is still scanned"
    );
}

/// Copy a fixture folder into a fresh temporary folder (so that configuration files written
/// beside it stay out of the repository).
fn copy_fixture(rel: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(fixture(rel)).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            std::fs::copy(&path, tmp.path().join(path.file_name().unwrap())).unwrap();
        }
    }
    // A repository root, so that configuration discovery stops here.
    std::fs::create_dir(tmp.path().join(".git")).unwrap();
    tmp
}

#[test]
fn configuration_file_is_discovered_and_the_command_line_wins() {
    let tmp = copy_fixture("demo/terraform");
    let dir = tmp.path();
    std::fs::write(
        dir.join(".acrlint.toml"),
        "ignore = [\"ACR010\"]\ndns = \"external\"\n\n[severity]\nACR001 = \"critical\"\n",
    )
    .unwrap();
    let (_, report) = json(dir, &["."]);
    let rules = rules_of(&report);
    assert!(
        !rules.contains(&"ACR010".to_string()),
        "ignored by the file: {rules:?}"
    );
    assert!(
        !rules.contains(&"ACR006".to_string()),
        "dns = external turns ACR006 off: {rules:?}"
    );
    let acr001 = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "ACR001")
        .unwrap();
    assert_eq!(acr001["severity"], "critical", "severity override");
    // A list on the command line replaces the file's.
    let (_, report) = json(dir, &[".", "--ignore", "ACR001"]);
    assert!(rules_of(&report).contains(&"ACR010".to_string()));
}

#[test]
fn a_bad_configuration_file_is_an_error_with_its_line() {
    let tmp = copy_fixture("rules/ACR010/terraform/fail_admin_enabled");
    std::fs::write(
        tmp.path().join(".acrlint.toml"),
        "select = [\"ACR001\"]\nfail_on = \"high\"\n",
    )
    .unwrap();
    let (code, out, err) = acrlint(tmp.path(), &["check", "."]);
    assert_eq!(code, 2, "{out}");
    assert!(
        err.contains(".acrlint.toml:2:"),
        "names the file and line: {err}"
    );
}

#[test]
fn baseline_round_trip_through_the_command_line() {
    let tmp = copy_fixture("rules/ACR010/terraform/fail_admin_enabled");
    let dir = tmp.path();
    let (code, _, err) = acrlint(dir, &["check", ".", "--write-baseline", "baseline.json"]);
    assert_eq!(code, 0, "{err}");
    // Lines shift above the finding: the baseline still matches.
    let main = dir.join("main.tf");
    let text = std::fs::read_to_string(&main).unwrap();
    std::fs::write(&main, format!("# moved\n\n{text}")).unwrap();
    let (code, report) = json(dir, &[".", "--baseline", "baseline.json"]);
    assert_eq!(code, 0, "{report:#}");
    assert!(rules_of(&report).is_empty());
    assert_eq!(report["summary"]["suppressed"], 1);
    let (_, out, _) = acrlint(
        dir,
        &[
            "check",
            ".",
            "--baseline",
            "baseline.json",
            "--show-suppressed",
            "--format",
            "pretty",
            "--color",
            "never",
        ],
    );
    assert!(out.contains("ACR010"), "--show-suppressed lists it: {out}");
    // Once fixed, the entry is reported as stale so the baseline can shrink.
    std::fs::write(
        &main,
        text.replace(
            "admin_enabled                 = true",
            "admin_enabled                 = false",
        ),
    )
    .unwrap();
    let (code, _, err) = acrlint(dir, &["check", ".", "--baseline", "baseline.json"]);
    assert_eq!(code, 0);
    assert!(err.contains("no longer occurs"), "{err}");
}

/// A value set in a `.tfvars` file or passed down as a module argument is shown where it is set.
#[test]
fn findings_show_where_a_variable_value_is_set() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::write(
        dir.join("main.tf"),
        r#"variable "admin" {
  type    = bool
  default = false
}

resource "azurerm_container_registry" "acr" {
  name                          = "contosoacr"
  resource_group_name           = "rg"
  location                      = "westeurope"
  sku                           = "Premium"
  public_network_access_enabled = false
  export_policy_enabled         = false
  admin_enabled                 = var.admin
}
"#,
    )
    .unwrap();
    std::fs::write(dir.join("terraform.tfvars"), "admin = true\n").unwrap();
    let (_, report) = json(dir, &[".", "--select", "ACR010"]);
    let finding = &report["findings"][0];
    assert_eq!(finding["rule"], "ACR010");
    assert_eq!(finding["location"]["path"], "main.tf");
    assert_eq!(finding["location"]["start_line"], 13);
    let origin = &finding["related"][0];
    assert_eq!(origin["message"], "the value is set here");
    assert_eq!(origin["location"]["path"], "terraform.tfvars");
    assert_eq!(origin["location"]["start_line"], 1);

    // Through two module levels, to the root module's argument.
    let (_, report) = json(
        &fixture("resolve/terraform/module_chain_standard_sku"),
        &["."],
    );
    let finding = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "ACR003")
        .unwrap();
    let origin = &finding["related"][0];
    assert_eq!(origin["message"], "the value is set here");
    assert_eq!(origin["location"]["path"], "main.tf");

    // An ARM parameter given in the conventional parameter file.
    let (_, report) = json(&fixture("resolve/arm/parameter_file_flips_public"), &["."]);
    let origin = &report["findings"][0]["related"][0];
    assert_eq!(origin["message"], "the value is set here");
    assert_eq!(origin["location"]["path"], "main.parameters.json");
    assert_eq!(origin["location"]["start_line"], 6);
}

/// pre-commit passes the files at the top of a repository as bare names (`main.tf`): the file must
/// be loaded once, not again as `./main.tf` (which duplicated its resources and gave false
/// findings).
#[test]
fn a_bare_file_name_is_loaded_once() {
    let rel = "rules/ACR010/terraform/fail_admin_enabled";
    let (code, report) = json(&fixture(rel), &["main.tf"]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(rules_of(&report), vec!["ACR010"]);
    assert_eq!(report["summary"]["files"], 1, "{report:#}");
    assert_eq!(report["summary"]["resources"], 7, "{report:#}");
}

/// A commit hook runs on the changed files alone. A module caller decides what the module
/// creates and with which values, so a run on the caller reports what its module gets wrong
/// because of it: a zone handed in inside a list of endpoints (the Azure Verified Modules idiom),
/// or a default that switches the endpoint's DNS zone group off.
#[test]
fn a_caller_file_alone_reports_what_its_module_gets_wrong_because_of_it() {
    for (rel, caller, want) in [
        (
            "rules/ACR005/bicep/fail_zone_passed_in_endpoint_list",
            "main.bicep",
            "ACR005",
        ),
        (
            "rules/ACR004/bicep/fail_zone_group_switched_off_by_caller",
            "main.bicep",
            "ACR004",
        ),
        (
            "resolve/terraform/module_zone_group_switched_off_by_caller",
            "main.tf",
            "ACR004",
        ),
    ] {
        let (code, report) = json(&fixture(rel), &[caller, "--exclude", "*.json"]);
        assert_eq!(code, 1, "{rel}: {report:#}");
        assert_eq!(rules_of(&report), vec![want], "{rel}");
        let files = &report["findings"][0]["depends_on_files"];
        assert!(
            files.as_array().unwrap().contains(&caller.into()),
            "{rel}: {files}"
        );
    }
}

/// A finding keeps its fingerprint (SARIF `partialFingerprints`, GitLab `fingerprint`, baselines)
/// when lines are added above it, and only then: a change of the finding itself changes it.
#[test]
fn fingerprints_survive_a_real_line_shift() {
    fn fingerprints(dir: &Path) -> Vec<(String, u64)> {
        let (code, out, err) = acrlint(dir, &["check", ".", "--format", "gitlab"]);
        assert_eq!(code, 1, "{err}");
        let issues: serde_json::Value = serde_json::from_str(&out).unwrap();
        issues
            .as_array()
            .unwrap()
            .iter()
            .map(|i| {
                let line = &i["location"]["lines"]["begin"];
                (
                    i["fingerprint"].as_str().unwrap().to_string(),
                    line.as_u64().unwrap(),
                )
            })
            .collect()
    }
    let tmp = copy_fixture("rules/ACR001/terraform/fail_explicit_enabled");
    let before = fingerprints(tmp.path());
    assert!(!before.is_empty());

    let main = tmp.path().join("main.tf");
    let text = std::fs::read_to_string(&main).unwrap();
    std::fs::write(&main, format!("# one\n# two\n# three\n\n{text}")).unwrap();
    let after = fingerprints(tmp.path());
    assert_eq!(before.len(), after.len());
    for ((fp_before, line_before), (fp_after, line_after)) in before.iter().zip(&after) {
        assert_eq!(line_after - line_before, 4, "the finding moved down");
        assert_eq!(fp_before, fp_after, "and kept its fingerprint");
    }

    // The same file under another name is another finding.
    std::fs::rename(&main, tmp.path().join("registry.tf")).unwrap();
    let renamed = fingerprints(tmp.path());
    assert_ne!(renamed[0].0, after[0].0);
}

#[test]
fn acr006_names_the_links_the_zone_has() {
    let dir = fixture("rules/ACR006/terraform/fail_linked_to_two_other_vnets");
    let (code, report) = json(&dir, &["."]);
    assert_eq!(code, 1);
    let f = &report["findings"][0];
    assert_eq!(
        f["message"],
        "private DNS zone `privatelink.azurecr.io` is not linked to VNet azurerm_virtual_network.app, \
         only to `azurerm_virtual_network.hub` and `vnet-mgmt` (not in this configuration): clients \
         there resolve the registry to its public address instead of the private endpoint"
    );
    // Each link's VNet reference is a related location: the value to change.
    let links: Vec<(u64, &str)> = f["related"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["message"].as_str().unwrap().contains("link of the zone"))
        .map(|r| {
            let line = r["location"]["start_line"].as_u64().unwrap();
            (line, r["message"].as_str().unwrap())
        })
        .collect();
    assert_eq!(
        links,
        [
            (
                40,
                "a link of the zone goes to `azurerm_virtual_network.hub`, here"
            ),
            (
                49,
                "a link of the zone goes to `vnet-mgmt` (not in this configuration), here"
            ),
        ]
    );
    let dir = fixture("rules/ACR006/terraform/fail_linked_to_other_vnet");
    let (_, report) = json(&dir, &["."]);
    let related = report["findings"][0]["related"].as_array().unwrap().clone();
    assert!(
        related.iter().any(|r| r["message"]
            == "the zone's only link goes to `azurerm_virtual_network.hub`, here"
            && r["location"]["start_line"] == 40),
        "{related:#?}"
    );
}

#[test]
fn findings_sharing_a_place_name_their_resources_in_line_formats() {
    // One module called twice: both findings are on the module's line, and a line that shows no
    // resource must still tell them apart.
    let cases = [
        ("terraform", ["module.a.azurerm", "module.b.azurerm"]),
        ("bicep", ["(a/Microsoft", "(b/Microsoft"]),
    ];
    for (format, lines_per_finding) in [("compact", 1), ("github", 1), ("gitlab", 0)] {
        for (dir, instances) in cases {
            let dir = fixture(&format!("report/module_called_twice/{dir}"));
            let (code, out, err) = acrlint(&dir, &["check", ".", "--format", format]);
            assert_eq!(code, 1, "{format}: {err}");
            if lines_per_finding == 1 {
                assert_eq!(out.lines().count(), 2, "{format}: {out}");
            }
            for instance in instances {
                assert_eq!(
                    out.matches(instance).count(),
                    1,
                    "{format}: {instance}: {out}"
                );
            }
        }
    }
    // A place held by one finding keeps its message as the rule wrote it.
    let (_, out, _) = acrlint(
        &fixture("rules/ACR010/terraform/fail_admin_enabled"),
        &["check", ".", "--format", "compact"],
    );
    assert!(!out.contains("(azurerm_"), "{out}");
}

/// `--var` sets a root module's variables, as `terraform apply -var` does: a folder that declares
/// one is analysed as a root with it, even when a test harness calls it; a name that no analysed
/// root declares is a warning, not silently dropped.
#[test]
fn a_var_reaches_a_root_that_a_test_harness_calls() {
    let dir = fixture("resolve/terraform/root_called_by_a_test");
    let (code, out, _) = acrlint(&dir, &["check", ".", "--format", "compact"]);
    assert_eq!((code, out.as_str()), (0, ""));
    let (code, out, _) = acrlint(
        &dir,
        &[
            "check",
            ".",
            "--var",
            "private_registry=true",
            "--format",
            "compact",
        ],
    );
    assert_eq!(code, 1, "{out}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert!(lines[0].starts_with("main.tf:9:1: info: ") && lines[0].ends_with("[ACR008]"));
    assert!(lines[1].starts_with("main.tf:15:35: medium: ") && lines[1].ends_with("[ACR010]"));
    let (code, out, _) = acrlint(
        &dir,
        &[
            "check",
            ".",
            "--var",
            "privat_registry=true",
            "--format",
            "compact",
        ],
    );
    assert_eq!(code, 0, "{out}");
    assert_eq!(
        out.trim_end(),
        "--var privat_registry: warning: no root module analysed declares the variable \
         `privat_registry`: the value is not used"
    );
}

/// ACR002 says who reaches the public endpoint: the allowed IP ranges only when there are any.
#[test]
fn acr002_names_the_allowed_ip_ranges_only_when_there_are_some() {
    for (case, expected) in [
        (
            "fail_firewall_only",
            "exposed to the allowed IP ranges and to trusted Azure services",
        ),
        (
            "fail_default_public_deny",
            "open to trusted Azure services and to any IP rule added later",
        ),
    ] {
        let (code, out, _) = acrlint(
            &fixture(&format!("rules/ACR002/terraform/{case}")),
            &["check", ".", "--select", "ACR002", "--format", "compact"],
        );
        assert_eq!(code, 1, "{case}: {out}");
        assert!(out.contains(expected), "{case}: {out}");
    }
}
