//! The rule registry, the rule documents and the fixtures must stay in step: every `rules/ACRnnn.md`
//! parses, has every section, is registered, has Terraform and ARM fixtures that fire and that stay
//! silent, and its examples behave as tagged when the binary runs them.

// Only the scanner is used here; the rest of the module serves the fixture tests.
#[allow(dead_code)]
mod common;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use acrlint::rules::{all_meta, RuleMeta, RULES};

const SECTIONS: &[&str] = &[
    "What it flags",
    "Why it matters",
    "How to fix (Terraform)",
    "How to fix (Bicep/ARM)",
    "Examples",
];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `rules/ACR*.md`, as (file stem, path), sorted.
fn rule_docs() -> Vec<(String, PathBuf)> {
    let mut docs: Vec<(String, PathBuf)> = fs::read_dir(root().join("rules"))
        .expect("read rules/")
        .map(|entry| entry.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .filter_map(|p| {
            let stem = p.file_stem()?.to_str()?.to_string();
            stem.starts_with("ACR").then_some((stem, p))
        })
        .collect();
    docs.sort();
    docs
}

fn parse(path: &Path) -> Result<RuleMeta, String> {
    let text = fs::read_to_string(path).map_err(|e| format!("cannot read: {e}"))?;
    RuleMeta::parse(&text)
}

fn report(failures: Vec<String>) {
    assert!(
        failures.is_empty(),
        "{} problem(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Case folders (`fail_x`, `pass_y`) under `testdata/rules/<id>/<format>/`.
fn cases(id: &str, format: &str) -> Vec<String> {
    let dir = root().join("testdata/rules").join(id).join(format);
    fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .filter(|e| e.path().is_dir())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn every_rule_document_is_complete() {
    let docs = rule_docs();
    assert!(!docs.is_empty(), "no rules/ACR*.md documents");
    let mut failures = Vec::new();
    for (stem, path) in &docs {
        let meta = match parse(path) {
            Ok(meta) => meta,
            Err(e) => {
                failures.push(format!("rules/{stem}.md: {e}"));
                continue;
            }
        };
        let mut fail = |msg: String| failures.push(format!("rules/{stem}.md: {msg}"));
        if meta.id != *stem {
            fail(format!("id `{}` does not match the file name", meta.id));
        }
        let valid_id = stem.len() == 6 && stem[3..].bytes().all(|b| b.is_ascii_digit());
        if !valid_id {
            fail("file name is not ACRnnn.md".to_string());
        }
        let kebab = !meta.name.is_empty()
            && meta
                .name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !kebab {
            fail(format!("name `{}` is not kebab-case", meta.name));
        }
        for (key, value) in [
            ("summary", &meta.summary),
            ("help_terraform", &meta.help_terraform),
            ("help_arm", &meta.help_arm),
            ("help_bicep", &meta.help_bicep),
        ] {
            if value.is_empty() {
                fail(format!("`{key}` is empty"));
            }
        }
        if meta.references.is_empty() {
            fail("no references".to_string());
        }
        for url in &meta.references {
            if !url.starts_with("https://learn.microsoft.com/")
                && !url.starts_with("https://registry.terraform.io/")
            {
                fail(format!(
                    "reference `{url}` is not a learn.microsoft.com or registry.terraform.io page"
                ));
            }
        }
        for section in SECTIONS {
            if meta.section(section).is_none_or(str::is_empty) {
                fail(format!("section `## {section}` is missing or empty"));
            }
        }
        for format in ["terraform", "arm"] {
            let cases = cases(stem, format);
            for kind in ["fail_", "pass_"] {
                if !cases.iter().any(|c| c.starts_with(kind)) {
                    fail(format!("no testdata/rules/{stem}/{format}/{kind}* fixture"));
                }
            }
        }
    }
    report(failures);
}

#[test]
fn registered_rules_match_documents() {
    let documented: BTreeSet<String> = rule_docs().into_iter().map(|(stem, _)| stem).collect();
    let registered: BTreeSet<String> = all_meta().iter().map(|m| m.id.clone()).collect();
    let mut failures = Vec::new();
    for id in documented.difference(&registered) {
        failures.push(format!("rules/{id}.md is documented but not registered"));
    }
    for id in registered.difference(&documented) {
        failures.push(format!("{id} is registered but has no rules/{id}.md"));
    }
    for ((key, _, _), meta) in RULES.iter().zip(all_meta()) {
        if *key != meta.id {
            failures.push(format!(
                "registry entry {key} embeds the document of {}",
                meta.id
            ));
        }
    }
    report(failures);
}

/// A fenced example in the `## Examples` section: its language (`hcl`/`json`), tag and code.
struct Example {
    lang: String,
    fails: bool,
    code: String,
}

fn examples(section: &str) -> Vec<Example> {
    let mut found = Vec::new();
    let mut lines = section.lines();
    while let Some(line) = lines.next() {
        let Some(info) = line.trim_start().strip_prefix("```") else {
            continue;
        };
        let mut words = info.split_whitespace();
        let (lang, tag) = (words.next().unwrap_or(""), words.next().unwrap_or(""));
        let code: Vec<&str> = lines
            .by_ref()
            .take_while(|l| l.trim_start() != "```")
            .collect();
        if (lang == "hcl" || lang == "json") && (tag == "fail" || tag == "pass") {
            found.push(Example {
                lang: lang.to_string(),
                fails: tag == "fail",
                code: code.join("\n") + "\n",
            });
        }
    }
    found
}

/// Rule ids of the findings when the binary scans `code` as main.tf or main.json.
fn run_example(example: &Example) -> Result<Vec<String>, String> {
    let tmp = tempfile::tempdir().map_err(|e| format!("tempdir: {e}"))?;
    let file = if example.lang == "hcl" {
        "main.tf"
    } else {
        "main.json"
    };
    fs::write(tmp.path().join(file), &example.code).map_err(|e| format!("write: {e}"))?;
    let got = common::scan_with(tmp.path(), &[])?;
    if !got.errors.is_empty() {
        return Err(format!("the example does not load: {:?}", got.errors));
    }
    // `RULE file:line resource`: the rule id is the first word.
    Ok(got
        .findings
        .iter()
        .filter_map(|f| f.split(' ').next())
        .map(str::to_string)
        .collect())
}

#[test]
fn documented_examples_behave_as_tagged() {
    let mut failures = Vec::new();
    for (stem, path) in rule_docs() {
        let Ok(meta) = parse(&path) else {
            continue; // every_rule_document_is_complete reports it
        };
        let examples = examples(meta.section("Examples").unwrap_or(""));
        for lang in ["hcl", "json"] {
            for fails in [true, false] {
                if !examples.iter().any(|e| e.lang == lang && e.fails == fails) {
                    let tag = if fails { "fail" } else { "pass" };
                    failures.push(format!("rules/{stem}.md: no ```{lang} {tag} example"));
                }
            }
        }
        for (n, example) in examples.iter().enumerate() {
            let tag = if example.fails { "fail" } else { "pass" };
            let what = format!(
                "rules/{stem}.md example {} (```{} {tag})",
                n + 1,
                example.lang
            );
            match run_example(example) {
                Err(e) => failures.push(format!("{what}: {e}")),
                Ok(rules) => {
                    let fired = rules.contains(&meta.id);
                    if example.fails && !fired {
                        failures.push(format!(
                            "{what}: {} did not fire (found {rules:?})",
                            meta.id
                        ));
                    }
                    if !example.fails && fired {
                        failures.push(format!("{what}: {} fired", meta.id));
                    }
                }
            }
        }
    }
    report(failures);
}
