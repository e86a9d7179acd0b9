//! `json`: the fixed machine-readable report of design.md, plus `undetermined` and `suppressed`.
//! Typed documents that borrow from the report; fields serialize in declaration order, which is
//! the documented order.

use serde::Serialize;

use super::{locate, RenderOptions, TOOL_NAME};
use crate::diagnostic::Severity;
use crate::report::Report;
use crate::source::Span;

/// The `version` of the JSON document; bump it only on an incompatible change.
const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    tool: Tool<'a>,
    findings: Vec<Finding<'a>>,
    errors: Vec<Error<'a>>,
    warnings: Vec<Warning<'a>>,
    undetermined: Vec<Undetermined<'a>>,
    suppressed: Vec<Suppressed<'a>>,
    summary: Summary,
}

#[derive(Serialize)]
struct Tool<'a> {
    name: &'a str,
    version: &'a str,
}

#[derive(Serialize)]
struct Finding<'a> {
    rule: &'a str,
    name: &'a str,
    severity: Severity,
    message: &'a str,
    resource: &'a str,
    location: Location,
    related: Vec<Related<'a>>,
    help: &'a str,
    /// Display paths of the files the finding depends on, sorted.
    depends_on_files: Vec<String>,
    /// What `--fix` would change, when the finding has a fix.
    #[serde(skip_serializing_if = "Option::is_none")]
    fix: Option<Fix<'a>>,
}

#[derive(Serialize)]
struct Fix<'a> {
    title: &'a str,
    applicability: crate::fix::Applicability,
    edits: Vec<Edit<'a>>,
}

/// Replace the text at `location` by `content`.
#[derive(Serialize)]
struct Edit<'a> {
    location: Location,
    content: &'a str,
}

#[derive(Serialize)]
struct Related<'a> {
    message: &'a str,
    location: Location,
}

#[derive(Serialize)]
struct Error<'a> {
    path: String,
    message: &'a str,
    location: Option<Location>,
}

/// A file named on the command line that was not analysed.
#[derive(Serialize)]
struct Warning<'a> {
    path: &'a str,
    message: &'a str,
}

#[derive(Serialize)]
struct Undetermined<'a> {
    rule: &'a str,
    resource: &'a str,
    depends_on: &'a str,
    message: &'a str,
    location: Location,
    depends_on_files: Vec<String>,
}

#[derive(Serialize)]
struct Suppressed<'a> {
    rule: &'a str,
    resource: &'a str,
    reason: &'a str,
    location: Location,
}

#[derive(Serialize)]
struct Summary {
    files: usize,
    resources: usize,
    findings: usize,
    unknown: usize,
    suppressed: usize,
    warnings: usize,
}

#[derive(Serialize)]
struct Location {
    path: String,
    start_line: u32,
    start_column: u32,
    end_line: u32,
    end_column: u32,
}

pub fn render(report: &Report, opts: &RenderOptions) -> String {
    let files = |files: &[crate::source::FileId]| {
        let mut paths: Vec<String> = files
            .iter()
            .map(|&f| report.sources.get(f).display().to_string())
            .collect();
        paths.sort();
        paths.dedup();
        paths
    };
    let location = |span: Span| {
        let loc = locate(report, span);
        Location {
            path: loc.path,
            start_line: loc.pos.start_line,
            start_column: loc.pos.start_column,
            end_line: loc.pos.end_line,
            end_column: loc.pos.end_column,
        }
    };
    let doc = Document {
        version: SCHEMA_VERSION,
        tool: Tool {
            name: TOOL_NAME,
            version: opts.tool_version,
        },
        findings: report
            .findings
            .iter()
            .map(|f| Finding {
                rule: f.rule,
                name: f.name,
                severity: f.severity,
                message: &f.message,
                resource: &f.resource,
                location: location(f.primary.span),
                related: f
                    .related
                    .iter()
                    .map(|l| Related {
                        message: &l.message,
                        location: location(l.span),
                    })
                    .collect(),
                help: &f.help,
                depends_on_files: files(&f.depends_on_files),
                fix: f.fix.as_ref().map(|fix| Fix {
                    title: &fix.title,
                    applicability: fix.applicability,
                    edits: fix
                        .edits
                        .iter()
                        .map(|e| Edit {
                            location: location(Span::new(e.file, e.start..e.end)),
                            content: &e.text,
                        })
                        .collect(),
                }),
            })
            .collect(),
        errors: report
            .errors
            .iter()
            .map(|e| Error {
                path: report.sources.get(e.file).display().to_string(),
                message: &e.message,
                location: e.span.map(location),
            })
            .collect(),
        warnings: report
            .warnings
            .iter()
            .map(|w| Warning {
                path: &w.path,
                message: &w.message,
            })
            .collect(),
        undetermined: report
            .undetermined
            .iter()
            .map(|u| Undetermined {
                rule: u.rule,
                resource: &u.resource,
                depends_on: &u.depends_on,
                message: &u.message,
                location: location(u.span),
                depends_on_files: files(&u.depends_on_files),
            })
            .collect(),
        suppressed: report
            .suppressed
            .iter()
            .map(|s| Suppressed {
                rule: s.finding.rule,
                resource: &s.finding.resource,
                reason: &s.reason,
                location: location(s.finding.primary.span),
            })
            .collect(),
        summary: Summary {
            files: report.files,
            resources: report.resources,
            findings: report.findings.len(),
            unknown: report.undetermined.len(),
            suppressed: report.suppressed.len(),
            warnings: report.warnings.len(),
        },
    };
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::testutil;
    use serde_json::{json, Value};

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(render(&testutil::report(), &RenderOptions::default()));
    }

    fn keys(v: &Value) -> Vec<&str> {
        v.as_object().unwrap().keys().map(String::as_str).collect()
    }

    #[test]
    fn has_the_fixed_shape_in_order() {
        let report = testutil::report();
        let v: Value = serde_json::from_str(&render(&report, &RenderOptions::default())).unwrap();
        assert_eq!(
            keys(&v),
            [
                "version",
                "tool",
                "findings",
                "errors",
                "warnings",
                "undetermined",
                "suppressed",
                "summary"
            ]
        );
        assert_eq!(v["version"], 1);
        assert_eq!(v["tool"]["name"], "acrlint");
        assert_eq!(v["tool"]["version"], env!("CARGO_PKG_VERSION"));
        let f = &v["findings"][1];
        assert_eq!(
            keys(f),
            [
                "rule",
                "name",
                "severity",
                "message",
                "resource",
                "location",
                "related",
                "help",
                "depends_on_files"
            ]
        );
        assert_eq!(f["rule"], "ACR012");
        assert_eq!(f["severity"], "low");
        assert_eq!(
            keys(&f["location"]),
            [
                "path",
                "start_line",
                "start_column",
                "end_line",
                "end_column"
            ]
        );
        assert_eq!(f["location"]["path"], "main.tf");
        assert_eq!(f["location"]["start_line"], 1);
        assert_eq!(f["location"]["start_column"], 1);
        assert_eq!(f["location"]["end_column"], 44);
        // The related location of ACR003 is in the other file.
        let related = &v["findings"][2]["related"][0];
        assert_eq!(keys(related), ["message", "location"]);
        assert_eq!(related["location"]["path"], "endpoint.tf");
        assert_eq!(related["location"]["start_line"], 7);
        assert_eq!(
            v["findings"][2]["depends_on_files"],
            json!(["endpoint.tf", "main.tf"])
        );
        assert_eq!(
            v["findings"].as_array().unwrap().len(),
            report.findings.len()
        );

        assert_eq!(keys(&v["errors"][0]), ["path", "message", "location"]);
        assert_eq!(v["errors"][0]["location"]["start_line"], 2);
        assert_eq!(v["errors"][1]["path"], "images/logo.tf");
        assert!(v["errors"][1]["location"].is_null());

        let u = &v["undetermined"][0];
        assert_eq!(
            keys(u),
            [
                "rule",
                "resource",
                "depends_on",
                "message",
                "location",
                "depends_on_files"
            ]
        );
        assert_eq!(u["depends_on"], "var.subnet_id");
        let s = &v["suppressed"][0];
        assert_eq!(keys(s), ["rule", "resource", "reason", "location"]);
        assert_eq!(s["rule"], "ACR011");

        assert_eq!(
            v["summary"],
            json!({"files": 4, "resources": 2, "findings": 5, "unknown": 1, "suppressed": 1, "warnings": 1})
        );
        let w = &v["warnings"][0];
        assert_eq!(keys(w), ["path", "message"]);
        assert_eq!(w["path"], "infra/registry.bicep");
    }
}
