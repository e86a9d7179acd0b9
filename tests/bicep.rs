//! Bicep: each fixture under `testdata/rules/<ID>/bicep/` holds the Bicep source and the template
//! the compiler emits for it; both must give the same results (rule, resource, message), which
//! is the test that the lowering of Bicep to a template is right. Also: bad input, modules, and a
//! pre-commit-style run on one file.

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
        let bicep = scan_with(dir, &["--exclude", "*.json", "--show-unknown"]);
        let json = scan_with(
            dir,
            &[
                "--exclude",
                "*.bicep",
                "--exclude",
                "*.bicepparam",
                "--show-unknown",
            ],
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
