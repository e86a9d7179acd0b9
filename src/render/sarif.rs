//! `sarif`: SARIF 2.1.0 for GitHub code scanning and Azure DevOps. Rule descriptors come from the
//! rule documents; findings are results, suppressed findings are results with a suppression,
//! undetermined ones (with `--show-unknown`) are `review` results, and load errors are tool
//! execution notifications.

use serde_json::{json, Map, Value};

use super::{locate, RenderOptions, TOOL_NAME};
use crate::diagnostic::{Finding, Severity};
use crate::fingerprint::fingerprint;
use crate::report::Report;
use crate::rules::RuleMeta;
use crate::source::Span;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// Base of every relative artifact URI: the directory acrlint ran in, which is the checkout root in
/// CI. GitHub resolves relative URIs against the repository root.
const SRCROOT: &str = "%SRCROOT%";
/// The key of our fingerprint in `partialFingerprints`; bump the version if its inputs change.
const FINGERPRINT_KEY: &str = "acrlintFingerprint/v1";

/// Where users learn about the tool: the package's repository (or homepage) from Cargo.toml.
fn information_uri() -> Option<&'static str> {
    [env!("CARGO_PKG_REPOSITORY"), env!("CARGO_PKG_HOMEPAGE")]
        .into_iter()
        .find(|u| !u.is_empty())
}

pub fn render(report: &Report, opts: &RenderOptions, rules: &[RuleMeta]) -> String {
    let mut driver = Map::new();
    driver.insert("name".into(), json!(TOOL_NAME));
    driver.insert("version".into(), json!(opts.tool_version));
    driver.insert("semanticVersion".into(), json!(opts.tool_version));
    if let Some(uri) = information_uri() {
        driver.insert("informationUri".into(), json!(uri));
    }
    driver.insert(
        "rules".into(),
        Value::Array(rules.iter().map(rule_descriptor).collect()),
    );

    let mut results: Vec<Value> = report
        .findings
        .iter()
        .map(|f| finding_result(report, rules, f))
        .collect();
    for s in &report.suppressed {
        let mut result = finding_result(report, rules, &s.finding);
        // Inline comments live in the source; config and baseline entries outside it.
        let (kind, reason) = match s.reason.strip_prefix("inline:") {
            Some(reason) => ("inSource", reason.trim()),
            None => ("external", s.reason.as_str()),
        };
        result["suppressions"] = json!([{ "kind": kind, "justification": reason }]);
        results.push(result);
    }
    if opts.show_unknown {
        for u in &report.undetermined {
            let mut result = json!({
                "ruleId": u.rule,
                "kind": "review",
                "level": "none",
                "message": { "text": sentence(&u.message) },
                "locations": [location(report, u.span, &u.resource)],
            });
            if let Some(index) = rules.iter().position(|r| r.id == u.rule) {
                result["ruleIndex"] = json!(index);
            }
            results.push(result);
        }
    }

    let mut notifications: Vec<Value> = report
        .errors
        .iter()
        .map(|e| {
            let physical = match e.span {
                Some(span) => physical_location(report, span),
                None => {
                    json!({ "artifactLocation": artifact(report.sources.get(e.file).display()) })
                }
            };
            json!({
                "level": "error",
                "message": { "text": sentence(&e.message) },
                "locations": [{ "physicalLocation": physical }],
            })
        })
        .collect();
    // A file named on the command line that was not analysed: a warning-level notification.
    notifications.extend(report.warnings.iter().map(|w| {
        json!({
            "level": "warning",
            "message": { "text": sentence(&w.message) },
            "locations": [{ "physicalLocation": { "artifactLocation": artifact(&w.path) } }],
        })
    }));
    // The run completed; a file that failed to load is an error-level notification, which tells
    // consumers that the results may be incomplete (SARIF 2.1.0 appendix I).
    let mut invocation = json!({ "executionSuccessful": true });
    if !notifications.is_empty() {
        invocation["toolExecutionNotifications"] = Value::Array(notifications);
    }

    let doc = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": driver },
            "invocations": [invocation],
            "originalUriBaseIds": {
                SRCROOT: {
                    "description": { "text": "The directory acrlint was run from; result paths are relative to it." }
                }
            },
            "results": results,
            "columnKind": "unicodeCodePoints",
        }],
    });
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}

fn rule_descriptor(rule: &RuleMeta) -> Value {
    let full: Vec<&str> = ["What it flags", "Why it matters"]
        .into_iter()
        .filter_map(|h| rule.section(h))
        .filter(|s| !s.is_empty())
        .collect();
    let full = if full.is_empty() {
        rule.summary.clone()
    } else {
        full.join("\n\n")
    };
    let mut help = rule.body.clone();
    if !rule.references.is_empty() {
        help.push_str("\n\n## References\n");
        for r in &rule.references {
            help.push_str(&format!("- {r}\n"));
        }
    }
    let help = if help.trim().is_empty() {
        rule.summary.clone()
    } else {
        help.trim().to_string()
    };
    json!({
        "id": rule.id,
        "name": pascal_case(&rule.name),
        "shortDescription": { "text": sentence(&rule.summary) },
        "fullDescription": { "text": sentence(&full) },
        "help": { "text": help, "markdown": help },
        "defaultConfiguration": { "enabled": rule.default, "level": level(rule.severity) },
        "properties": {
            "security-severity": security_severity(rule.severity),
            "tags": ["security", "azure", "container-registry", "networking"],
        },
    })
}

fn finding_result(report: &Report, rules: &[RuleMeta], f: &Finding) -> Value {
    let related: Vec<Value> = f
        .related
        .iter()
        .enumerate()
        .map(|(i, l)| {
            json!({
                "id": i + 1,
                "physicalLocation": physical_location(report, l.span),
                "message": { "text": sentence(&l.message) },
            })
        })
        .collect();
    let mut result = Map::new();
    result.insert("ruleId".into(), json!(f.rule));
    if let Some(index) = rules.iter().position(|r| r.id == f.rule) {
        result.insert("ruleIndex".into(), json!(index));
    }
    result.insert("level".into(), json!(level(f.severity)));
    result.insert("message".into(), json!({ "text": sentence(&f.message) }));
    result.insert(
        "locations".into(),
        json!([location(report, f.primary.span, &f.resource)]),
    );
    if !related.is_empty() {
        result.insert("relatedLocations".into(), Value::Array(related));
    }
    if let Some(fix) = &f.fix {
        result.insert("fixes".into(), json!([sarif_fix(report, fix)]));
    }
    result.insert(
        "partialFingerprints".into(),
        json!({ FINGERPRINT_KEY: fingerprint(&report.sources, f) }),
    );
    result.insert(
        "properties".into(),
        json!({ "severity": f.severity, "resource": f.resource, "help": f.help }),
    );
    Value::Object(result)
}

fn location(report: &Report, span: Span, resource: &str) -> Value {
    json!({
        "physicalLocation": physical_location(report, span),
        "logicalLocations": [{ "fullyQualifiedName": resource, "kind": "resource" }],
    })
}

/// A fix (SARIF 2.1.0 §3.55): one artifact change per file, each edit a replacement of a region.
fn sarif_fix(report: &Report, fix: &crate::fix::Fix) -> Value {
    let mut changes: Vec<(crate::source::FileId, Vec<Value>)> = Vec::new();
    for e in &fix.edits {
        let region = physical_location(report, Span::new(e.file, e.start..e.end))["region"].clone();
        let replacement = json!({ "deletedRegion": region, "insertedContent": { "text": e.text } });
        match changes.iter_mut().find(|(f, _)| *f == e.file) {
            Some((_, list)) => list.push(replacement),
            None => changes.push((e.file, vec![replacement])),
        }
    }
    let changes: Vec<Value> = changes
        .into_iter()
        .map(|(file, replacements)| {
            let path = report.sources.get(file).display().to_string();
            json!({ "artifactLocation": artifact(&path), "replacements": replacements })
        })
        .collect();
    let applicability = fix.applicability.as_str();
    json!({
        "description": { "text": sentence(&fix.title) },
        "artifactChanges": changes,
        "properties": { "applicability": applicability },
    })
}

fn physical_location(report: &Report, span: Span) -> Value {
    let loc = locate(report, span);
    json!({
        "artifactLocation": artifact(&loc.path),
        "region": {
            "startLine": loc.pos.start_line,
            "startColumn": loc.pos.start_column,
            "endLine": loc.pos.end_line,
            "endColumn": loc.pos.end_column,
        },
    })
}

/// An artifact location for a displayed path: relative to `%SRCROOT%` when relative, a `file:` URI
/// when absolute (a path outside the current directory).
fn artifact(path: &str) -> Value {
    let path = path.replace('\\', "/");
    let drive = path.len() >= 2
        && path.as_bytes()[0].is_ascii_alphabetic()
        && path.as_bytes()[1] == b':'
        && (path.len() == 2 || path.as_bytes()[2] == b'/');
    if drive {
        // `C:/x` → `file:///C:/x`: the drive's colon is part of the path.
        json!({ "uri": format!("file:///{}:{}", &path[..1], percent_encode(&path[2..])) })
    } else if path.starts_with('/') {
        json!({ "uri": format!("file://{}", percent_encode(&path)) })
    } else {
        let relative = path.trim_start_matches("./");
        json!({ "uri": percent_encode(relative), "uriBaseId": SRCROOT })
    }
}

/// Percent-encode a path for a URI: everything but unreserved characters and `/` is encoded as
/// UTF-8 bytes. `:` is encoded too, so a relative path can never read as a scheme.
fn percent_encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Critical | Severity::High => "error",
        Severity::Medium | Severity::Low => "warning",
        Severity::Info => "note",
    }
}

/// GitHub ranks code scanning alerts by this number, given as a string.
fn security_severity(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "9.0",
        Severity::High => "7.0",
        Severity::Medium => "5.0",
        Severity::Low => "3.0",
        Severity::Info => "0.0",
    }
}

/// SARIF's convention for a rule's `name`: `registry-public-network-access` →
/// `RegistryPublicNetworkAccess`.
fn pascal_case(name: &str) -> String {
    name.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// SARIF messages are sentences that end with a period.
fn sentence(text: &str) -> String {
    let text = text.trim_end();
    if text.ends_with(['.', '!', '?']) {
        text.to_string()
    } else {
        format!("{text}.")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::testutil;

    fn sample() -> String {
        let opts = RenderOptions {
            show_unknown: true,
            ..RenderOptions::default()
        };
        render(&testutil::report(), &opts, &testutil::rules())
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(sample());
    }

    #[test]
    fn has_the_structure_code_scanning_reads() {
        let report = testutil::report();
        let rules = testutil::rules();
        let v: Value = serde_json::from_str(&sample()).unwrap();
        assert_eq!(v["version"], "2.1.0");
        let run = &v["runs"][0];
        let driver = &run["tool"]["driver"];
        assert_eq!(driver["name"], "acrlint");
        assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
        // Only a real address: Cargo.toml's `repository` (or `homepage`), else nothing.
        assert_eq!(
            driver.get("informationUri").and_then(Value::as_str),
            information_uri()
        );
        let descriptors = driver["rules"].as_array().unwrap();
        assert_eq!(descriptors.len(), rules.len());
        let acr001 = &descriptors[0];
        assert_eq!(acr001["id"], "ACR001");
        assert_eq!(acr001["name"], "RegistryPublicNetworkAccess");
        assert_eq!(acr001["shortDescription"]["text"], "Summary of ACR001.");
        assert_eq!(
            acr001["fullDescription"]["text"],
            "What ACR001 flags.\n\nWhy ACR001 matters."
        );
        assert!(acr001["help"]["markdown"]
            .as_str()
            .unwrap()
            .contains("## Why it matters"));
        assert_eq!(acr001["defaultConfiguration"]["level"], "error");
        assert_eq!(acr001["properties"]["security-severity"], "7.0");
        assert_eq!(descriptors[5]["properties"]["security-severity"], "3.0");

        let results = run["results"].as_array().unwrap();
        // Findings, then the suppressed one, then the undetermined one.
        assert_eq!(results.len(), report.findings.len() + 2);
        for (r, f) in results.iter().zip(&report.findings) {
            assert_eq!(r["ruleId"], f.rule);
            assert_eq!(r["level"], level(f.severity));
            let index = rules.iter().position(|m| m.id == f.rule);
            assert_eq!(r["ruleIndex"].as_u64().map(|i| i as usize), index);
            let region = &r["locations"][0]["physicalLocation"]["region"];
            let loc = locate(&report, f.primary.span);
            assert_eq!(region["startLine"], loc.pos.start_line);
            assert_eq!(region["endColumn"], loc.pos.end_column);
            let artifact = &r["locations"][0]["physicalLocation"]["artifactLocation"];
            assert_eq!(artifact["uri"], loc.path.as_str());
            assert_eq!(artifact["uriBaseId"], SRCROOT);
            assert_eq!(
                r["partialFingerprints"][FINGERPRINT_KEY],
                fingerprint(&report.sources, f).as_str()
            );
        }
        // ACR013 has no rule document: no ruleIndex, still a result.
        assert!(results[0].get("ruleIndex").is_none());
        // ACR003's related location is in the other file.
        let related = &results[2]["relatedLocations"][0];
        assert_eq!(related["id"], 1);
        assert_eq!(
            related["physicalLocation"]["artifactLocation"]["uri"],
            "endpoint.tf"
        );
        assert_eq!(
            results[5]["suppressions"][0],
            json!({"kind": "inSource", "justification": "public base images mirror"})
        );
        assert_eq!(results[6]["kind"], "review");
        assert_eq!(results[6]["level"], "none");

        let invocation = &run["invocations"][0];
        assert_eq!(invocation["executionSuccessful"], true);
        let notes = invocation["toolExecutionNotifications"].as_array().unwrap();
        assert_eq!(notes.len(), 3);
        assert_eq!(notes[0]["level"], "error");
        assert_eq!(notes[2]["level"], "warning");
        assert_eq!(
            notes[2]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "infra/registry.bicep"
        );
        assert_eq!(
            notes[0]["locations"][0]["physicalLocation"]["region"]["startLine"],
            2
        );
        assert!(notes[1]["locations"][0]["physicalLocation"]
            .get("region")
            .is_none());
        assert!(run["originalUriBaseIds"].get(SRCROOT).is_some());
    }

    #[test]
    fn unknown_results_only_when_asked() {
        let v: Value =
            serde_json::from_str(&render(&testutil::report(), &RenderOptions::default(), &[]))
                .unwrap();
        let results = v["runs"][0]["results"].as_array().unwrap();
        assert!(results.iter().all(|r| r["kind"] != "review"));
        assert!(results.iter().all(|r| r.get("ruleIndex").is_none()));
    }

    #[test]
    fn uris_are_relative_encoded_and_forward_slashed() {
        assert_eq!(
            artifact("envs\\prod eu\\main.tf"),
            json!({"uri": "envs/prod%20eu/main.tf", "uriBaseId": SRCROOT})
        );
        assert_eq!(
            artifact("./a:b#c%.tf"),
            json!({"uri": "a%3Ab%23c%25.tf", "uriBaseId": SRCROOT})
        );
        assert_eq!(artifact("ü.tf")["uri"], "%C3%BC.tf");
        assert_eq!(
            artifact("/srv/x y.tf"),
            json!({"uri": "file:///srv/x%20y.tf"})
        );
        assert_eq!(
            artifact("C:\\work\\main.tf"),
            json!({"uri": "file:///C:/work/main.tf"})
        );
    }

    #[test]
    fn names_and_sentences() {
        assert_eq!(
            pascal_case("registry-admin-user-enabled"),
            "RegistryAdminUserEnabled"
        );
        assert_eq!(sentence("a"), "a.");
        assert_eq!(sentence("a. "), "a.");
        assert_eq!(sentence("why?"), "why?");
    }

    /// Sample logs (one with paths that need encoding, one absolute) through Microsoft's validator.
    /// `.ci/run` installs it before the tests; where it is not installed (a developer machine
    /// without npm) the test says that it skips.
    #[test]
    fn sample_logs_validate() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let dir = root.join("target").join("render-samples");
        std::fs::create_dir_all(&dir).unwrap();
        let validator_installed = root
            .join(".ci/tools/node_modules/@microsoft/sarif-multitool/package.json")
            .is_file();
        let odd = testutil::report_at("/srv/infra code/endpoint.tf", "envs/prod eu/ü:main#1.tf");
        let opts = RenderOptions {
            show_unknown: true,
            ..RenderOptions::default()
        };
        let samples = [
            ("sample.sarif", sample()),
            (
                "sample-paths.sarif",
                render(&odd, &opts, &testutil::rules()),
            ),
        ];
        for (name, text) in samples {
            let path = dir.join(name);
            std::fs::write(&path, text).unwrap();
            if !validator_installed {
                eprintln!(
                    "skipped: SARIF validator not installed (.ci/run installs it); {} not validated",
                    path.display()
                );
                continue;
            }
            let mut validate =
                std::process::Command::new(root.join(".ci").join("sarif-validate.sh"));
            // As in `.ci/run`: without a public address there is no `informationUri`, and the
            // validator's advice to give one is expected.
            if env!("CARGO_PKG_REPOSITORY").is_empty() && env!("CARGO_PKG_HOMEPAGE").is_empty() {
                validate.env("SARIF_VALIDATE_ALLOW", "SARIF2005");
            }
            let status = validate.arg(&path).status().unwrap();
            assert!(
                status.success(),
                "SARIF validation failed for {}",
                path.display()
            );
        }
    }
}
