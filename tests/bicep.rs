//! Bicep: each fixture under `testdata/rules/<ID>/bicep/` holds the Bicep source and the template
//! the compiler emits for it; both must give the same results (rule, resource, message), which
//! is the test that the lowering of Bicep to a template is right. Also: bad input, modules, and a
//! pre-commit-style run on one file.

// Only part of the shared helpers is used here.
#[allow(dead_code)]
mod common;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use common::{report, scan_with, subdirs, testdata};
use serde_json::Value;

fn bicep_fixtures() -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    for rule in subdirs(&testdata().join("rules")) {
        let bicep = rule.join("bicep");
        if bicep.is_dir() {
            dirs.extend(subdirs(&bicep));
        }
    }
    dirs
}

fn text(v: &Value, key: &str) -> String {
    v[key].as_str().unwrap_or_default().to_string()
}

/// `rule resource` of every suppressed finding.
fn suppressed(json: &Value) -> BTreeSet<String> {
    json["suppressed"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|s| format!("{} {}", text(s, "rule"), text(s, "resource")))
        .collect()
}

/// `rule resource | message` of every finding (`| suppressed` for those in `suppressed`, as
/// suppression comments are in the Bicep source only) and `rule resource <- depends_on` of every
/// undetermined result.
fn results(json: &Value, suppressed: &BTreeSet<String>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for f in json["findings"].as_array().into_iter().flatten() {
        let key = format!("{} {}", text(f, "rule"), text(f, "resource"));
        if suppressed.contains(&key) {
            out.insert(format!("{key} | suppressed"));
        } else {
            out.insert(format!("{key} | {}", text(f, "message")));
        }
    }
    for key in suppressed {
        if json["suppressed"].as_array().is_some() {
            out.insert(format!("{key} | suppressed"));
        }
    }
    for u in json["undetermined"].as_array().into_iter().flatten() {
        out.insert(format!(
            "undetermined {} {} <- {}",
            text(u, "rule"),
            text(u, "resource"),
            text(u, "depends_on")
        ));
    }
    out
}

fn bicepparam_count(dir: &Path) -> usize {
    fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .filter(|e| e.path().extension().is_some_and(|x| x == "bicepparam"))
                .count()
        })
        .unwrap_or(0)
}

#[test]
fn bicep_and_its_compiled_template_agree() {
    let dirs = bicep_fixtures();
    assert!(
        !dirs.is_empty(),
        "no Bicep fixtures under testdata/rules/*/bicep"
    );
    let mut failures = Vec::new();
    let mut compared = 0;
    for dir in &dirs {
        let name = dir
            .strip_prefix(testdata().join("rules"))
            .unwrap_or(dir)
            .display()
            .to_string();
        // A root with several parameter files is analysed once per file; its compiled template
        // has one parameter file: compared through expected.txt only.
        if bicepparam_count(dir) > 1 {
            println!("{name}: several .bicepparam files, compared through expected.txt only");
            continue;
        }
        // The quickstart layout (`azuredeploy.json` built from `main.bicep`): the Bicep root
        // takes the compiled template's parameter file, which excluding the JSON hides; both
        // sides are given it.
        let params: &[&str] = match dir.join("azuredeploy.parameters.json").is_file() {
            true => &["--parameters", "azuredeploy.parameters.json"],
            false => &[],
        };
        let bicep = scan_with(
            dir,
            &[&["--exclude", "*.json", "--show-unknown"], params].concat(),
        );
        let json = scan_with(
            dir,
            &[
                &[
                    "--exclude",
                    "*.bicep",
                    "--exclude",
                    "*.bicepparam",
                    "--show-unknown",
                ],
                params,
            ]
            .concat(),
        );
        match (bicep, json) {
            (Ok(b), Ok(j)) => {
                compared += 1;
                let quiet = suppressed(&b.json);
                let (rb, rj) = (results(&b.json, &quiet), results(&j.json, &quiet));
                if rb != rj || !b.errors.is_empty() || !j.errors.is_empty() {
                    let only_b: Vec<_> = rb.difference(&rj).collect();
                    let only_j: Vec<_> = rj.difference(&rb).collect();
                    failures.push((
                        name,
                        format!(
                            "  only from Bicep: {only_b:#?}\n  only from the compiled JSON: {only_j:#?}\n  errors: {:?} {:?}",
                            b.errors, j.errors
                        ),
                    ));
                }
            }
            (b, j) => failures.push((name, format!("  {:?}\n  {:?}", b.err(), j.err()))),
        }
    }
    assert!(compared > 0);
    report(failures);
}

// ---- Bad input ----------------------------------------------------------------------------------

/// Each folder of `testdata/bicep/`: what the bad file must give (`file:line: message part`, or
/// an undetermined result), while ACR001 of the good `acr.bicep` beside it is still reported.
const BAD: &[(&str, &str)] = &[
    (
        "bicepparam_missing_using",
        "prod.bicepparam:1: `using` names `./missing.bicep`, which does not exist",
    ),
    (
        "bicepparam_doubling_vars",
        "main.bicepparam:45: expression longer than 100000 characters",
    ),
    ("deep_nesting", "arrays.bicep:2: nested too deeply"),
    (
        "import_cycle",
        "a.bicep:2: import cycle: b.bicep → a.bicep → b.bicep",
    ),
    (
        "duplicate_names",
        "main.bicep:9: `pe` is declared more than once",
    ),
    (
        "id_doubling",
        "undetermined main.bicep:175: an id too long to evaluate",
    ),
    (
        "name_self",
        "main.bicep:3: `pe` refers to its own declaration",
    ),
    (
        "import_doubling",
        "f00.bicep:3: more than 1000 imports in one analysis: not imported",
    ),
    (
        "huge_loop",
        "undetermined main.bicep:2: needs integers and a count of at most 10000",
    ),
    (
        "parent_cycle",
        "main.bicep:5: `parent` forms a cycle: a → b → a",
    ),
    (
        "scope_cycle",
        "main.bicep:4: `scope` forms a cycle: a → b → a",
    ),
    (
        "scope_self",
        "main.bicep:4: `scope` forms a cycle: self → self",
    ),
    (
        "value_too_large",
        "main.bicep:2: evaluation stopped: this expression produces a value larger",
    ),
    (
        "module_cycle",
        "b.bicep:3: module cycle: a.bicep → b.bicep → a.bicep",
    ),
    (
        "module_missing_file",
        "main.bicep:1: cannot read `./does-not-exist.bicep`",
    ),
    (
        "module_self",
        "main.bicep:3: module cycle: main.bicep → main.bicep",
    ),
    ("unbalanced_braces", "main.bicep:3: `{` is never closed"),
    ("unterminated_comment", "main.bicep:3: unterminated comment"),
    (
        "unterminated_interpolation",
        "main.bicep:4: unterminated string",
    ),
    (
        "unterminated_multiline_string",
        "main.bicep:1: unterminated string",
    ),
    ("unterminated_string", "main.bicep:4: unterminated string"),
];

#[test]
fn bad_bicep_is_reported_and_the_rest_still_checked() {
    let dirs = subdirs(&testdata().join("bicep"));
    assert_eq!(
        dirs.len(),
        BAD.len(),
        "one expectation per folder of testdata/bicep"
    );
    let mut failures = Vec::new();
    for (name, want) in BAD {
        let dir = testdata().join("bicep").join(name);
        let scan = match scan_with(&dir, &["--show-unknown"]) {
            Ok(scan) => scan,
            Err(e) => {
                failures.push((name.to_string(), format!("  {e}")));
                continue;
            }
        };
        let mut problems = Vec::new();
        if !scan
            .findings
            .iter()
            .any(|f| f.starts_with("ACR001 acr.bicep:9 "))
        {
            problems.push(format!(
                "  the good neighbour's ACR001 is missing: {:?}",
                scan.findings
            ));
        }
        let found = match want.strip_prefix("undetermined ") {
            Some(want) => {
                let (at, part) = want.split_once(": ").unwrap();
                let messages = scan.json["undetermined"].as_array().unwrap();
                scan.code == Some(1)
                    && messages.iter().any(|u| {
                        u["message"].as_str().unwrap_or_default().contains(part)
                            && format!(
                                "{}:{}",
                                u["location"]["path"].as_str().unwrap_or_default(),
                                u["location"]["start_line"]
                            ) == at
                    })
            }
            None => {
                let (at, part) = want.split_once(": ").unwrap();
                scan.code == Some(2)
                    && scan.json["errors"].as_array().unwrap().iter().any(|e| {
                        e["message"].as_str().unwrap_or_default().contains(part)
                            && format!(
                                "{}:{}",
                                e["path"].as_str().unwrap_or_default(),
                                e["location"]["start_line"]
                            ) == at
                    })
            }
        };
        if !found {
            problems.push(format!(
                "  expected `{want}`; exit {:?}, errors {:?}, undetermined {:?}",
                scan.code, scan.errors, scan.undetermined
            ));
        }
        if !problems.is_empty() {
            failures.push((name.to_string(), problems.join("\n")));
        }
    }
    report(failures);
}

// ---- Modules, files read at compile time, the workflow -------------------------------------------

/// `acrlint check <args> --format json` in `dir` with `HOME` set (the module cache is under it).
fn check_json(dir: &Path, home: &Path, args: &[&str]) -> (i32, Value) {
    let out = assert_cmd::Command::cargo_bin("acrlint")
        .unwrap()
        .current_dir(dir)
        .env("HOME", home)
        .arg("check")
        .args(args)
        .args(["--format", "json", "--show-unknown"])
        .output()
        .unwrap();
    let json = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)));
    (out.status.code().unwrap_or(-1), json)
}

fn located(json: &Value, key: &str) -> Vec<String> {
    json[key]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{} {}:{}",
                text(f, "rule"),
                f["location"]["path"].as_str().unwrap_or_default(),
                f["location"]["start_line"]
            )
        })
        .collect()
}

const PUBLIC_REGISTRY_TEMPLATE: &str = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": { "name": { "type": "string" } },
  "resources": [
    {
      "type": "Microsoft.ContainerRegistry/registries",
      "apiVersion": "2025-11-01",
      "name": "[parameters('name')]",
      "location": "westeurope",
      "sku": { "name": "Premium" },
      "properties": { "publicNetworkAccess": "Enabled" }
    }
  ]
}
"#;

/// The outputs of a module that is not in the cache are unknown because of that, and say so:
/// they are not the deployed state of a resource, which no restore would give.
#[test]
fn outputs_of_a_module_not_in_the_cache_say_why_they_are_unknown() {
    let tmp = tempfile::tempdir().unwrap();
    let (home, work) = (tmp.path().join("home"), tmp.path().join("work"));
    fs::create_dir_all(&work).unwrap();
    fs::write(
        work.join("main.bicep"),
        "module settings 'br/public:avm/ptn/settings:0.1.0' = {\n  name: 'settings'\n}\n\n\
         resource acr 'Microsoft.ContainerRegistry/registries@2025-11-01' = {\n  name: 'contosoacr01'\n  \
         location: 'westeurope'\n  sku: {\n    name: 'Premium'\n  }\n  properties: {\n    \
         publicNetworkAccess: settings.outputs.access\n  }\n}\n",
    )
    .unwrap();
    let (code, json) = check_json(&work, &home, &["."]);
    assert_eq!(code, 0, "{json:#}");
    let acr001 = json["undetermined"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["rule"] == "ACR001")
        .unwrap_or_else(|| panic!("{json:#}"));
    let message = text(acr001, "message");
    assert!(
        message.contains("the outputs of deployment settings")
            && message.contains("a module or template that acrlint could not read"),
        "{message}"
    );
    assert!(!message.contains("deployed state"), "{message}");
}

#[test]
fn registry_modules_are_read_from_the_local_cache() {
    let tmp = tempfile::tempdir().unwrap();
    let (home, work) = (tmp.path().join("home"), tmp.path().join("work"));
    fs::create_dir_all(&work).unwrap();
    fs::write(
        work.join("main.bicep"),
        "module acr 'br/public:avm/res/container-registry/registry:0.9.0' = {\n  name: 'registry'\n  params: {\n    name: 'contosoacr01'\n  }\n}\n",
    )
    .unwrap();
    // Not restored: what the module deploys is not analysed, and the run says so.
    let (code, json) = check_json(&work, &home, &["."]);
    assert_eq!(code, 0, "{json:#}");
    let notes = json["undetermined"].as_array().unwrap();
    assert_eq!(notes.len(), 1, "{json:#}");
    assert_eq!(notes[0]["rule"], "*");
    assert!(
        text(&notes[0], "message").contains("not in the local module cache"),
        "{json:#}"
    );
    // Restored where `bicep restore` puts it: the registry inside is judged.
    let cached =
        home.join(".bicep/br/mcr.microsoft.com/bicep$avm$res$container-registry$registry/0.9.0$");
    fs::create_dir_all(&cached).unwrap();
    fs::write(cached.join("main.json"), PUBLIC_REGISTRY_TEMPLATE).unwrap();
    let (code, json) = check_json(&work, &home, &["."]);
    assert_eq!(code, 1, "{json:#}");
    let findings = json["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{json:#}");
    assert_eq!(
        text(&findings[0], "resource"),
        "registry/Microsoft.ContainerRegistry/registries/contosoacr01"
    );
    assert!(text(&findings[0], "help").contains("publicNetworkAccess: 'Disabled'"));
    // Reported at the module reference, what the user can change; the place in the cached
    // module is a related location.
    assert_eq!(located(&json, "findings"), ["ACR001 main.bicep:1"]);
    let related = &findings[0]["related"][0];
    assert_eq!(related["message"], "in the registry module");
    assert!(related["location"]["path"]
        .as_str()
        .unwrap()
        .ends_with("0.9.0$/main.json"));
    // So a run on the one file that uses the module (as pre-commit runs) reports it.
    let (code, json) = check_json(&work, &home, &["main.bicep"]);
    assert_eq!(code, 1, "{json:#}");
    assert_eq!(located(&json, "findings"), ["ACR001 main.bicep:1"]);
}

/// One registry module used twice: a result in the second use is reported at the second module
/// statement, not at the first one that read the cached file.
#[test]
fn each_use_of_a_registry_module_reports_at_its_own_statement() {
    let tmp = tempfile::tempdir().unwrap();
    let (home, work) = (tmp.path().join("home"), tmp.path().join("work"));
    fs::create_dir_all(&work).unwrap();
    let cached =
        home.join(".bicep/br/mcr.microsoft.com/bicep$avm$res$container-registry$registry/0.9.0$");
    fs::create_dir_all(&cached).unwrap();
    // The cached module's registry is public unless `private` is given.
    let template = PUBLIC_REGISTRY_TEMPLATE
        .replace(
            r#""name": { "type": "string" }"#,
            r#""name": { "type": "string" }, "private": { "type": "bool", "defaultValue": false }"#,
        )
        .replace(
            r#""publicNetworkAccess": "Enabled""#,
            r#""publicNetworkAccess": "[if(parameters('private'), 'Disabled', 'Enabled')]""#,
        );
    assert!(template.contains("parameters('private')"), "{template}");
    fs::write(cached.join("main.json"), template).unwrap();
    fs::write(
        work.join("main.bicep"),
        "module inner 'br/public:avm/res/container-registry/registry:0.9.0' = {\n  name: 'inner'\n  params: {\n    name: 'inneracr01'\n    private: true\n  }\n}\n\n\
         module outer 'br/public:avm/res/container-registry/registry:0.9.0' = {\n  name: 'outer'\n  params: {\n    name: 'outeracr01'\n  }\n}\n",
    )
    .unwrap();
    let (code, json) = check_json(&work, &home, &["."]);
    assert_eq!(code, 1, "{json:#}");
    // The public one at its statement; the private one, with no endpoint, at its own.
    let at: Vec<String> = (json["findings"].as_array().unwrap().iter())
        .map(|f| {
            format!(
                "{} {} {}",
                text(f, "rule"),
                text(f, "resource"),
                f["location"]["start_line"]
            )
        })
        .collect();
    assert_eq!(
        at,
        [
            "ACR008 inner/Microsoft.ContainerRegistry/registries/inneracr01 1",
            "ACR001 outer/Microsoft.ContainerRegistry/registries/outeracr01 9",
        ],
        "{json:#}"
    );
}

#[test]
fn a_file_passed_alone_reports_what_depends_on_it_through_modules() {
    // ACR006 is on the zone in dns.bicep; the endpoint of main.bicep is part of the chain.
    let dir = testdata().join("rules/ACR006/bicep/fail_linked_to_other_vnet_module");
    let home = tempfile::tempdir().unwrap();
    for file in ["main.bicep", "dns.bicep"] {
        let (code, json) = check_json(&dir, home.path(), &[file, "--exclude", "*.json"]);
        assert_eq!(code, 1, "{file}: {json:#}");
        assert_eq!(located(&json, "findings"), ["ACR006 dns.bicep:7"], "{file}");
    }
}

#[test]
fn module_paths_resolve_however_the_folder_is_named() {
    // Module paths are resolved lexically against the caller's path as discovery named it, so
    // `./x`, `x` and `x/../x` all find `dns.bicep` as the module of `main.bicep`, not as a root
    // of its own analysed again with its defaults.
    let dir = testdata().join("rules/ACR006/bicep");
    let home = tempfile::tempdir().unwrap();
    let name = "fail_linked_to_other_vnet_module";
    for path in [
        name.to_string(),
        format!("./{name}"),
        format!("{name}/../{name}/"),
    ] {
        let (code, json) = check_json(&dir, home.path(), &[&path, "--exclude", "*.json"]);
        assert_eq!(code, 1, "{path}: {json:#}");
        let findings = located(&json, "findings");
        assert_eq!(findings.len(), 1, "{path}: {json:#}");
        assert!(findings[0].starts_with("ACR006 ") && findings[0].ends_with("dns.bicep:7"));
        assert_eq!(json["summary"]["resources"], 8, "{path}: {json:#}");
    }
}

#[test]
fn arm_parameter_files_give_bicep_roots_their_values() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    fs::write(
        dir.join("main.bicep"),
        "param access string\n\nresource acr 'Microsoft.ContainerRegistry/registries@2025-11-01' = {\n  name: 'contosoacr01'\n  location: 'westeurope'\n  sku: {\n    name: 'Premium'\n  }\n  properties: {\n    publicNetworkAccess: access\n  }\n}\n",
    )
    .unwrap();
    let params = |value: &str| {
        format!(
            r#"{{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#", "contentVersion": "1.0.0.0", "parameters": {{"access": {{"value": "{value}"}}}}}}"#
        )
    };
    let home = tempfile::tempdir().unwrap();
    let undetermined = |json: &Value| {
        json["undetermined"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|u| u["rule"] == "ACR001")
            .map(|u| text(u, "message"))
            .collect::<Vec<_>>()
    };
    // Nobody gives `access`: undecided, naming the parameter.
    let (code, json) = check_json(dir, home.path(), &["."]);
    assert_eq!(code, 0, "{json:#}");
    assert!(located(&json, "findings").is_empty(), "{json:#}");
    assert!(
        undetermined(&json)[0].contains("parameters('access')"),
        "{json:#}"
    );
    // `main.parameters.json` beside `main.bicep` (the Azure Developer CLI's layout) gives it.
    fs::write(dir.join("main.parameters.json"), params("Enabled")).unwrap();
    let (code, json) = check_json(dir, home.path(), &["."]);
    assert_eq!(code, 1, "{json:#}");
    assert_eq!(located(&json, "findings"), ["ACR001 main.bicep:10"]);
    let depends = &json["findings"][0]["depends_on_files"];
    assert_eq!(
        depends,
        &serde_json::json!(["main.bicep", "main.parameters.json"])
    );
    // Also when JSON files are excluded from the scan: it is an input of `main.bicep`.
    let (code, json) = check_json(dir, home.path(), &[".", "--exclude", "*.json"]);
    assert_eq!(code, 1, "{json:#}");
    assert_eq!(located(&json, "findings"), ["ACR001 main.bicep:10"]);
    // `--parameters` wins over it.
    fs::write(dir.join("prod.json"), params("Disabled")).unwrap();
    let (code, json) = check_json(
        dir,
        home.path(),
        &["main.bicep", "--parameters", "prod.json"],
    );
    assert_eq!(code, 0, "{json:#}");
    // Disabled, with no endpoint in sight: only the informational ACR008.
    assert_eq!(
        located(&json, "findings"),
        ["ACR008 main.bicep:3"],
        "{json:#}"
    );
    // A value the Azure Developer CLI fills from its environment is unknown, not the text.
    fs::write(dir.join("main.parameters.json"), params("${ACR_ACCESS}")).unwrap();
    let (code, json) = check_json(dir, home.path(), &["."]);
    assert_eq!(code, 0, "{json:#}");
    assert!(located(&json, "findings").is_empty(), "{json:#}");
    assert!(
        undetermined(&json)[0].contains("Azure Developer CLI"),
        "{json:#}"
    );
    // With a default (`${NAME=default}`), the default: what a fresh environment deploys.
    fs::write(
        dir.join("main.parameters.json"),
        params("${ACR_ACCESS=Enabled}"),
    )
    .unwrap();
    let (code, json) = check_json(dir, home.path(), &["."]);
    assert_eq!(code, 1, "{json:#}");
    assert_eq!(located(&json, "findings"), ["ACR001 main.bicep:10"]);
}

#[test]
fn a_value_a_module_only_passes_on_is_shown_where_the_caller_sets_it() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    fs::write(
        dir.join("main.bicep"),
        "module reg './reg.bicep' = {\n  name: 'registry'\n  params: {\n    access: 'Enabled'\n  }\n}\n",
    )
    .unwrap();
    fs::write(
        dir.join("reg.bicep"),
        "param access string\nresource acr 'Microsoft.ContainerRegistry/registries@2025-11-01' = {\n  name: 'acr1'\n  location: 'westeurope'\n  sku: {\n    name: 'Premium'\n  }\n  properties: {\n    publicNetworkAccess: access\n  }\n}\n",
    )
    .unwrap();
    let home = tempfile::tempdir().unwrap();
    let (code, json) = check_json(dir, home.path(), &["main.bicep"]);
    assert_eq!(code, 1, "{json:#}");
    assert_eq!(located(&json, "findings"), ["ACR001 reg.bicep:9"]);
    let f = &json["findings"][0];
    assert_eq!(f["related"][0]["message"], "the value is set here");
    assert_eq!(f["related"][0]["location"]["path"], "main.bicep");
    assert_eq!(f["related"][0]["location"]["start_line"], 4);
    assert_eq!(
        f["depends_on_files"],
        serde_json::json!(["main.bicep", "reg.bicep"])
    );
}

#[test]
fn a_parameter_file_extends_a_base_one() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    fs::write(
        dir.join("main.bicep"),
        "param access string\nparam sku string\n\nresource acr 'Microsoft.ContainerRegistry/registries@2025-11-01' = {\n  name: 'contosoacr01'\n  location: 'westeurope'\n  sku: {\n    name: sku\n  }\n  properties: {\n    publicNetworkAccess: access\n  }\n}\n",
    )
    .unwrap();
    fs::write(
        dir.join("base.bicepparam"),
        "using none\n\nparam access = 'Enabled'\nparam sku = 'Standard'\n",
    )
    .unwrap();
    fs::write(
        dir.join("prod.bicepparam"),
        "using './main.bicep'\nextends './base.bicepparam'\n\nparam sku = 'Premium'\n",
    )
    .unwrap();
    let home = tempfile::tempdir().unwrap();
    // `access` from the base file, `sku` from prod's own line: ACR001, and no ACR003.
    let (code, json) = check_json(dir, home.path(), &["."]);
    assert_eq!(code, 1, "{json:#}");
    assert_eq!(located(&json, "findings"), ["ACR001 main.bicep:11"]);
    let f = &json["findings"][0];
    assert_eq!(f["related"][0]["location"]["path"], "base.bicepparam");
    // A cycle of files extending each other is an error, not a hang.
    fs::write(
        dir.join("base.bicepparam"),
        "using none\nextends './prod.bicepparam'\n",
    )
    .unwrap();
    let (code, json) = check_json(dir, home.path(), &["."]);
    assert_eq!(code, 2, "{json:#}");
    assert!(text(&json["errors"][0], "message").contains("a cycle of parameter files"));
}

#[test]
fn outputs_of_one_instance_of_a_module_loop() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    fs::write(
        dir.join("main.bicep"),
        "var envs = ['dev', 'prod']\nmodule regs './reg.bicep' = [for env in envs: {\n  name: 'reg-${env}'\n  params: {\n    access: env == 'prod' ? 'Enabled' : 'Disabled'\n  }\n}]\n\nresource acr 'Microsoft.ContainerRegistry/registries@2025-11-01' = {\n  name: 'acr2'\n  location: 'westeurope'\n  sku: {\n    name: 'Premium'\n  }\n  properties: {\n    publicNetworkAccess: regs[INDEX].outputs.access\n  }\n}\n",
    )
    .unwrap();
    fs::write(
        dir.join("reg.bicep"),
        "param access string\noutput access string = access\n",
    )
    .unwrap();
    let home = tempfile::tempdir().unwrap();
    let main = fs::read_to_string(dir.join("main.bicep")).unwrap();
    // Instance 1 is prod: public. Instance 0 is dev: disabled, so only the informational ACR008.
    for (index, want) in [("1", "ACR001 main.bicep:16"), ("0", "ACR008 main.bicep:9")] {
        fs::write(dir.join("main.bicep"), main.replace("INDEX", index)).unwrap();
        let (_, json) = check_json(dir, home.path(), &["main.bicep"]);
        assert_eq!(
            located(&json, "findings"),
            [want],
            "regs[{index}]: {json:#}"
        );
        assert!(
            json["undetermined"].as_array().unwrap().is_empty(),
            "{json:#}"
        );
    }
}

#[test]
fn files_loaded_at_compile_time_and_undeclared_names() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(
        tmp.path().join("settings.json"),
        r#"{ "access": "Enabled" }"#,
    )
    .unwrap();
    fs::write(
        tmp.path().join("main.bicep"),
        "var settings = loadJsonContent('./settings.json')\n\nresource acr 'Microsoft.ContainerRegistry/registries@2025-11-01' = {\n  name: 'contosoacr01'\n  location: 'westeurope'\n  sku: { name: 'Premium' }\n  properties: {\n    publicNetworkAccess: settings.access\n    adminUserEnabled: adminEnabled\n  }\n}\n",
    )
    .unwrap();
    let (code, json) = check_json(tmp.path(), tmp.path(), &["."]);
    assert_eq!(code, 2, "{json:#}");
    assert_eq!(
        located(&json, "findings"),
        ["ACR001 main.bicep:8"],
        "{json:#}"
    );
    let errors = json["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{json:#}");
    assert_eq!(
        text(&errors[0], "message"),
        "`adminEnabled` is not declared"
    );
    assert_eq!(errors[0]["location"]["start_line"], 9);
}

#[test]
fn each_parameter_file_is_analysed_and_named() {
    let dir = testdata().join("rules/ACR001/bicep/fail_two_param_files");
    let home = tempfile::tempdir().unwrap();
    let (code, json) = check_json(&dir, home.path(), &[".", "--exclude", "*.json"]);
    assert_eq!(code, 1);
    let findings = json["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{json:#}");
    assert!(
        text(&findings[0], "message").ends_with("(with dev.bicepparam)"),
        "{json:#}"
    );
}

#[test]
fn resources_are_counted_once_per_configuration() {
    // The compiled template beside its Bicep source, and a root analysed once per parameter
    // file, hold the same resources as the Bicep file alone.
    let home = tempfile::tempdir().unwrap();
    for case in [
        "rules/ACR004/bicep/fail_no_zone_group",
        "rules/ACR001/bicep/fail_two_param_files",
    ] {
        let dir = testdata().join(case);
        let resources =
            |args: &[&str]| check_json(&dir, home.path(), args).1["summary"]["resources"].clone();
        let alone = resources(&[
            "main.bicep",
            "--exclude",
            "*.json",
            "--exclude",
            "*.bicepparam",
        ]);
        assert!(alone.as_u64().unwrap() >= 3, "{case}: {alone}");
        assert_eq!(resources(&["."]), alone, "{case}");
    }
}

/// A public registry in Bicep, and the same compiled (`metadata._generator.name` `bicep`).
const PUBLIC_REGISTRY_BICEP: &str = "resource acr 'Microsoft.ContainerRegistry/registries@2025-11-01' = {\n  name: 'contosoacr01'\n  location: 'westeurope'\n  sku: { name: 'Premium' }\n  properties: { publicNetworkAccess: 'Enabled' }\n}\n";
const PUBLIC_REGISTRY_COMPILED: &str = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "metadata": { "_generator": { "name": "bicep", "version": "0.46.1.21595", "templateHash": "1" } },
  "resources": [
    {
      "type": "Microsoft.ContainerRegistry/registries",
      "apiVersion": "2025-11-01",
      "name": "contosoacr01",
      "location": "westeurope",
      "sku": { "name": "Premium" },
      "properties": { "publicNetworkAccess": "Enabled" }
    },
    {
      "type": "Microsoft.Resources/deployments",
      "apiVersion": "2025-04-01",
      "name": "tags",
      "properties": {
        "expressionEvaluationOptions": { "scope": "inner" },
        "mode": "Incremental",
        "template": {
          "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
          "contentVersion": "1.0.0.0",
          "resources": []
        }
      }
    }
  ]
}
"#;

fn finding_paths(json: &serde_json::Value) -> Vec<String> {
    let mut paths: Vec<String> = (json["findings"].as_array().into_iter().flatten())
        .map(|f| {
            f["location"]["path"]
                .as_str()
                .unwrap_or_default()
                .to_string()
        })
        .collect();
    paths.sort();
    paths
}

#[test]
fn a_compiled_template_of_another_name_is_paired_with_the_one_root_beside_it() {
    // `azuredeploy.json` built from `main.bicep`, which uses `tags.bicep` as a module: one root,
    // so the mistake is reported once, on the Bicep source.
    let home = tempfile::tempdir().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let main =
        format!("{PUBLIC_REGISTRY_BICEP}\nmodule tags './tags.bicep' = {{\n  name: 'tags'\n}}\n");
    fs::write(dir.join("main.bicep"), main).unwrap();
    fs::write(dir.join("tags.bicep"), "// Nothing yet.\n").unwrap();
    fs::write(dir.join("azuredeploy.json"), PUBLIC_REGISTRY_COMPILED).unwrap();
    let (code, json) = check_json(dir, home.path(), &["."]);
    assert_eq!(code, 1, "{json:#}");
    assert_eq!(finding_paths(&json), ["main.bicep"], "{json:#}");

    // Two roots: which one it was built from is not known, so the template is analysed and
    // reported on its own, as any template.
    fs::write(dir.join("other.bicep"), "param unused string = ''\n").unwrap();
    let (code, json) = check_json(dir, home.path(), &["."]);
    assert_eq!(code, 1, "{json:#}");
    assert_eq!(
        finding_paths(&json),
        ["azuredeploy.json", "main.bicep"],
        "{json:#}"
    );
}

// ---- Imports ---------------------------------------------------------------------------------

/// A registry whose public access comes from `network.bicep` in `shared/`, which imports it from
/// `policy/access.bicep`: each import is relative to the file that writes it.
fn nested_imports(root: &Path, access_file: &str) {
    fs::create_dir_all(root.join("shared")).unwrap();
    fs::create_dir_all(root.join("policy")).unwrap();
    fs::write(root.join("policy/access.bicep"), access_file).unwrap();
    fs::write(
        root.join("shared/network.bicep"),
        "import { publicAccess } from '../policy/access.bicep'\n\n@export()\nvar registryNetwork = {\n  publicNetworkAccess: publicAccess\n}\n",
    )
    .unwrap();
    fs::write(
        root.join("main.bicep"),
        "import { registryNetwork } from 'shared/network.bicep'\n\nresource acr 'Microsoft.ContainerRegistry/registries@2025-11-01' = {\n  name: 'contosoacr01'\n  location: 'westeurope'\n  sku: { name: 'Premium' }\n  properties: {\n    publicNetworkAccess: registryNetwork.publicNetworkAccess\n  }\n}\n",
    )
    .unwrap();
}

#[test]
fn imports_inside_imported_files_are_followed_from_where_they_are_written() {
    let tmp = tempfile::tempdir().unwrap();
    nested_imports(tmp.path(), "@export()\nvar publicAccess = 'Enabled'\n");
    let (code, json) = check_json(tmp.path(), tmp.path(), &["."]);
    assert_eq!(code, 1, "{json:#}");
    assert_eq!(located(&json, "findings"), ["ACR001 main.bicep:8"]);
    assert_eq!(json["errors"], serde_json::json!([]), "{json:#}");
}

#[test]
fn a_file_imported_from_through_another_passed_alone_reports_the_importer() {
    // A commit that changes only a file imported from, directly or through another, shows the
    // finding of the template that imports it; one that changes another file does not. (A file
    // passed alone is read with the Bicep files of its folder, as for modules.)
    let dir = testdata().join("rules/ACR001/bicep/fail_nested_import");
    let home = tempfile::tempdir().unwrap();
    for file in ["network.bicep", "policy.bicep"] {
        let (code, json) = check_json(&dir, home.path(), &[file, "--exclude", "*.json"]);
        assert_eq!(code, 1, "{file}: {json:#}");
        assert_eq!(
            located(&json, "findings"),
            ["ACR001 main.bicep:15"],
            "{file}"
        );
    }
    let tmp = tempfile::tempdir().unwrap();
    for file in ["main.bicep", "network.bicep", "policy.bicep"] {
        fs::copy(dir.join(file), tmp.path().join(file)).unwrap();
    }
    fs::write(tmp.path().join("other.bicep"), "param x string = 'y'\n").unwrap();
    let (code, json) = check_json(tmp.path(), home.path(), &["other.bicep"]);
    assert_eq!((code, located(&json, "findings")), (0, vec![]), "{json:#}");
}

#[test]
fn a_shared_file_of_exported_values_passed_alone_reports_its_importers() {
    // `shared.bicep` holds only exported settings; the finding is on the template that reads
    // them (the case of a commit that changes a company default).
    let dir = testdata().join("rules/ACR011/bicep/fail_anonymous_pull_import");
    let home = tempfile::tempdir().unwrap();
    let (code, json) = check_json(&dir, home.path(), &["shared.bicep", "--exclude", "*.json"]);
    assert_eq!(code, 1, "{json:#}");
    assert_eq!(located(&json, "findings"), ["ACR011 main.bicep:37"]);
}

#[test]
fn an_import_cycle_is_an_error_and_the_value_unknown() {
    let tmp = tempfile::tempdir().unwrap();
    // `access.bicep` imports from the file that imports it.
    nested_imports(
        tmp.path(),
        "import { registryNetwork } from '../shared/network.bicep'\n\n@export()\nvar publicAccess = registryNetwork.publicNetworkAccess\n",
    );
    let (code, json) = check_json(tmp.path(), tmp.path(), &["."]);
    assert_eq!(code, 2, "{json:#}");
    assert_eq!(located(&json, "findings"), Vec::<String>::new(), "{json:#}");
    let cycle = (json["errors"].as_array().unwrap().iter())
        .find(|e| text(e, "message").starts_with("import cycle"))
        .unwrap_or_else(|| panic!("{json:#}"));
    assert_eq!(
        text(cycle, "message"),
        "import cycle: network.bicep → access.bicep → network.bicep (not imported again)"
    );
    let at = &cycle["location"];
    assert_eq!(
        (text(at, "path"), &at["start_line"]),
        ("policy/access.bicep".into(), &serde_json::json!(1))
    );
    let unknown = located(&json, "undetermined");
    assert!(
        unknown.contains(&"ACR001 main.bicep:8".to_string()),
        "{json:#}"
    );
}

#[test]
fn a_parameter_file_value_imported_through_another_file() {
    // `.bicepparam` values inline what they import, and what that file imports in turn.
    let tmp = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| fs::write(tmp.path().join(name), text).unwrap();
    write("policy.bicep", "@export()\nvar publicAccess = 'Enabled'\n");
    write(
        "defaults.bicep",
        "import { publicAccess } from 'policy.bicep'\n\n@export()\nvar access = toLower(publicAccess) == 'enabled' ? 'Enabled' : 'Disabled'\n",
    );
    write(
        "main.bicep",
        "param access string\n\nresource acr 'Microsoft.ContainerRegistry/registries@2025-11-01' = {\n  name: 'contosoacr01'\n  location: 'westeurope'\n  sku: { name: 'Premium' }\n  properties: {\n    publicNetworkAccess: access\n  }\n}\n",
    );
    write(
        "main.bicepparam",
        "using 'main.bicep'\n\nimport { access as defaultAccess } from 'defaults.bicep'\n\nparam access = defaultAccess\n",
    );
    let (code, json) = check_json(tmp.path(), tmp.path(), &["."]);
    assert_eq!(code, 1, "{json:#}");
    assert_eq!(located(&json, "findings"), ["ACR001 main.bicep:8"]);
    assert_eq!(json["undetermined"], serde_json::json!([]), "{json:#}");
    // The value's files: a commit of `policy.bicep` alone shows it.
    let (code, json) = check_json(tmp.path(), tmp.path(), &["policy.bicep"]);
    assert_eq!(code, 1, "{json:#}");
    assert_eq!(located(&json, "findings"), ["ACR001 main.bicep:8"]);
}

/// A registry module that is not restored but receives the zone may link it: ACR006 is
/// undetermined there, not a finding; the module is one note, however its deployment is read.
#[test]
fn a_registry_module_not_restored_that_receives_the_zone_may_link_it() {
    let tmp = tempfile::tempdir().unwrap();
    let (home, work) = (tmp.path().join("home"), tmp.path().join("work"));
    fs::create_dir_all(&work).unwrap();
    let chain =
        fs::read_to_string(testdata().join("rules/ACR006/bicep/fail_zone_not_linked/main.bicep"))
            .unwrap();
    let module = "\nmodule links 'br/public:avm/res/network/private-dns-zone-links:0.1.0' = {\n  name: 'links'\n  params: {\n    zoneName: zone.name\n    virtualNetworkIds: [\n      vnet.id\n    ]\n  }\n}\n";
    fs::write(work.join("main.bicep"), format!("{chain}{module}")).unwrap();
    let (code, json) = check_json(&work, &home, &["."]);
    assert_eq!(code, 0, "{json:#}");
    assert_eq!(located(&json, "findings"), Vec::<String>::new());
    let notes = json["undetermined"].as_array().unwrap();
    let rules: Vec<&str> = notes.iter().map(|n| n["rule"].as_str().unwrap()).collect();
    assert_eq!(rules, ["*", "ACR006"], "{json:#}");
    assert!(text(&notes[0], "message").contains("not in the local module cache"));
    assert_eq!(
        text(&notes[1], "depends_on"),
        "module 'br/public:avm/res/network/private-dns-zone-links:0.1.0'"
    );
}

#[test]
fn templates_that_bicep_uses_as_modules_are_analysed_through_their_callers() {
    // `modules/registry/main.json` is `main.bicep` beside it compiled (as in every AVM module);
    // `legacy.json` is a template used as a module directly. Both are judged with the values
    // the root gives them, not again on their own with their defaults.
    let tmp = tempfile::tempdir().unwrap();
    let work = tmp.path();
    let module = work.join("modules/registry");
    fs::create_dir_all(&module).unwrap();
    fs::write(
        work.join("main.bicep"),
        "module reg 'modules/registry/main.bicep' = {\n  name: 'reg'\n  params: {\n    access: 'Disabled'\n  }\n}\n\nmodule legacy 'legacy.json' = {\n  name: 'legacy'\n  params: {\n    name: 'acrlegacy01'\n  }\n}\n",
    )
    .unwrap();
    fs::write(work.join("legacy.json"), PUBLIC_REGISTRY_TEMPLATE).unwrap();
    fs::write(
        module.join("main.bicep"),
        "param access string = 'Enabled'\n\nresource acr 'Microsoft.ContainerRegistry/registries@2025-11-01' = {\n  name: 'contosoacr01'\n  location: 'westeurope'\n  sku: {\n    name: 'Premium'\n  }\n  properties: {\n    publicNetworkAccess: access\n  }\n}\n",
    )
    .unwrap();
    let compiled = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "metadata": { "_generator": { "name": "bicep", "version": "0.30.23.60470" } },
  "parameters": { "access": { "type": "string", "defaultValue": "Enabled" } },
  "resources": [
    {
      "type": "Microsoft.ContainerRegistry/registries",
      "apiVersion": "2025-11-01",
      "name": "contosoacr01",
      "location": "westeurope",
      "sku": { "name": "Premium" },
      "properties": { "publicNetworkAccess": "[parameters('access')]" }
    }
  ]
}
"#;
    fs::write(module.join("main.json"), compiled).unwrap();
    let (code, json) = check_json(work, work, &["."]);
    assert_eq!(code, 1, "{json:#}");
    // The root closed the Bicep module's registry (so it only lacks an endpoint), and named
    // the template's.
    assert_eq!(
        located(&json, "findings"),
        [
            "ACR001 legacy.json:12",
            "ACR008 modules/registry/main.bicep:3"
        ],
        "{json:#}"
    );
    assert_eq!(
        text(&json["findings"][0], "resource"),
        "legacy/Microsoft.ContainerRegistry/registries/acrlegacy01"
    );
    assert_eq!(json["errors"].as_array().unwrap().len(), 0, "{json:#}");
    // Its syntax is still checked: a broken compiled template is an error, with its place.
    fs::write(
        module.join("main.json"),
        compiled.replace("\"resources\"", "resources"),
    )
    .unwrap();
    let (_, json) = check_json(work, work, &["."]);
    let errors = json["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{json:#}");
    assert!(
        errors[0]["path"].as_str().unwrap().ends_with("main.json"),
        "{json:#}"
    );
}

#[test]
fn a_value_the_azure_developer_cli_fills_is_one_value_wherever_it_is_read() {
    // The registry and the endpoint are named after the environment: unknown here, but the
    // endpoint still targets that registry and its zone group still belongs to it.
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    fs::write(dir.join("main.bicep"), MAIN_NAMED_BY_ENV).unwrap();
    fs::write(
        dir.join("main.parameters.json"),
        r#"{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#", "contentVersion": "1.0.0.0", "parameters": {"env": {"value": "${AZURE_ENV_NAME}"}}}"#,
    )
    .unwrap();
    let (code, json) = check_json(dir, dir, &[".", "--select", "ALL"]);
    assert_eq!(code, 0, "{json:#}");
    assert!(located(&json, "findings").is_empty(), "{json:#}");
    assert!(located(&json, "undetermined").is_empty(), "{json:#}");
}

const MAIN_NAMED_BY_ENV: &str = r#"param env string

resource vnet 'Microsoft.Network/virtualNetworks@2023-11-01' = {
  name: 'vnet-app'
  location: resourceGroup().location
  properties: {
    addressSpace: { addressPrefixes: ['10.0.0.0/24'] }
    subnets: [ { name: 'pe', properties: { addressPrefix: '10.0.0.0/26' } } ]
  }
}

resource acr 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: 'acrapp${env}'
  location: resourceGroup().location
  sku: { name: 'Premium' }
  properties: {
    publicNetworkAccess: 'Disabled'
    policies: { exportPolicy: { status: 'disabled' } }
  }
}

resource zone 'Microsoft.Network/privateDnsZones@2020-06-01' = {
  name: 'privatelink.azurecr.io'
  location: 'global'
  resource link 'virtualNetworkLinks' = {
    name: 'link'
    location: 'global'
    properties: { registrationEnabled: false, virtualNetwork: { id: vnet.id } }
  }
}

resource pe 'Microsoft.Network/privateEndpoints@2023-11-01' = {
  name: 'pe-acr-${env}'
  location: resourceGroup().location
  properties: {
    subnet: { id: '${vnet.id}/subnets/pe' }
    privateLinkServiceConnections: [ { name: 'acr', properties: { privateLinkServiceId: acr.id, groupIds: ['registry'] } } ]
  }
  resource zg 'privateDnsZoneGroups' = {
    name: 'default'
    properties: { privateDnsZoneConfigs: [ { name: 'acr', properties: { privateDnsZoneId: zone.id } } ] }
  }
}
"#;

#[test]
fn files_loaded_as_yaml_or_with_a_path_filter() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(
        tmp.path().join("settings.yaml"),
        "# Registry settings.\nregistry:\n  name: contosoacr01\n  sku: Premium\n  network:\n    publicNetworkAccess: Enabled\n",
    )
    .unwrap();
    fs::write(
        tmp.path().join("settings.json"),
        r#"{ "environments": { "prod": { "access": "Disabled" }, "dev": { "access": "Enabled" } }, "list": [ { "a": "Enabled" } ] }"#,
    )
    .unwrap();
    let registry = |name: &str, sku: &str, access: &str| {
        format!("resource {name} 'Microsoft.ContainerRegistry/registries@2025-11-01' = {{\n  name: {sku}\n  location: 'westeurope'\n  sku: {{ name: 'Premium' }}\n  properties: {{ publicNetworkAccess: {access} }}\n}}\n")
    };
    let main = [
        "var settings = loadYamlContent('settings.yaml')\n".to_string(),
        "var network = loadYamlContent('settings.yaml', '$.registry.network')\n".into(),
        "var prod = loadJsonContent('settings.json', '$.environments.prod')\n".into(),
        "var first = loadJsonContent('settings.json', '$[\\'list\\'][0].a')\n".into(),
        "var missing = loadJsonContent('settings.json', '$.environments.test')\n".into(),
        registry("a", "settings.registry.name", "network.publicNetworkAccess"),
        registry("b", "'b'", "prod.access"),
        registry("c", "'c'", "first"),
        registry("d", "'d'", "missing.access"),
        registry("e", "'e'", "loadTextContent('access.txt', 'utf-16')"),
    ]
    .concat();
    fs::write(tmp.path().join("main.bicep"), main).unwrap();
    // A file in another encoding, decoded as the compiler decodes it.
    let utf16: Vec<u8> = "Enabled"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    fs::write(tmp.path().join("access.txt"), utf16).unwrap();
    let (code, json) = check_json(tmp.path(), tmp.path(), &[".", "--select", "ACR001"]);
    assert_eq!(code, 1, "{json:#}");
    // The YAML document and the parts the path filters select are read; `prod` is private.
    assert_eq!(
        located(&json, "findings"),
        [
            "ACR001 main.bicep:10",
            "ACR001 main.bicep:22",
            "ACR001 main.bicep:34"
        ],
        "{json:#}"
    );
    assert_eq!(located(&json, "undetermined"), ["ACR001 main.bicep:28"]);
    assert_eq!(
        text(&json["undetermined"][0], "depends_on"),
        "the path filter '$.environments.test' of loadJsonContent('settings.json')"
    );
    assert!(json["errors"].as_array().unwrap().is_empty(), "{json:#}");
}

/// `--parameters X.bicepparam`, as `az deployment` takes it: the root its `using` names is
/// analysed with that file only, wherever the file is; one that names a file not checked says
/// its values go nowhere.
#[test]
fn a_bicepparam_file_given_with_parameters() {
    let dir = tempfile::tempdir().unwrap();
    let write = |path: &str, text: &str| common::write(&dir.path().join(path), text);
    write(
        "app/main.bicep",
        "param access string = 'Disabled'\nresource acr 'Microsoft.ContainerRegistry/registries@2025-11-01' = {\n  name: 'contosoacr01'\n  location: 'westeurope'\n  sku: { name: 'Premium' }\n  properties: { publicNetworkAccess: access }\n}\n",
    );
    write(
        "app/dev.bicepparam",
        "using './main.bicep'\nparam access = 'Enabled'\n",
    );
    write(
        "app/prod.bicepparam",
        "using './main.bicep'\nparam access = 'Disabled'\n",
    );
    write(
        "env/test.bicepparam",
        "using '../app/main.bicep'\nparam access = 'Enabled'\n",
    );
    write("other/x.bicep", "param unused string = ''\n");
    let acr001 = |json: &Value| {
        let findings = json["findings"].as_array().unwrap();
        (findings.iter())
            .filter(|f| text(f, "rule") == "ACR001")
            .map(|f| text(f, "message"))
            .collect::<Vec<_>>()
    };
    let home = dir.path();
    // Found beside the root: both files, each named.
    let (_, all) = check_json(dir.path(), home, &["app"]);
    assert_eq!(acr001(&all).len(), 1);
    assert!(
        acr001(&all)[0].ends_with("(with app/dev.bicepparam)"),
        "{all}"
    );
    // Given: that file only, in place of those beside the root.
    let (code, prod) = check_json(
        dir.path(),
        home,
        &["app/main.bicep", "--parameters", "app/prod.bicepparam"],
    );
    assert_eq!((code, acr001(&prod).len()), (0, 0), "{prod}");
    let (code, test) = check_json(
        dir.path(),
        home,
        &["app", "--parameters", "env/test.bicepparam"],
    );
    assert_eq!(code, 1, "{test}");
    assert_eq!(acr001(&test).len(), 1, "{test}");
    assert_eq!(
        test["errors"],
        Value::Array(vec![]),
        "not read as an ARM parameter file"
    );
    // Its root not checked: a warning, and nothing else from it.
    let (_, other) = check_json(
        dir.path(),
        home,
        &["other", "--parameters", "env/test.bicepparam"],
    );
    let warnings = other["warnings"].to_string();
    assert!(
        warnings.contains("app/main.bicep, which is not a Bicep file checked here"),
        "{warnings}"
    );
    assert!(acr001(&other).is_empty());
}
