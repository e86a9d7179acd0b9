//! `gitlab`: a GitLab Code Quality report (a JSON array of issues), shown in merge requests.

use serde_json::{json, Value};

use super::{locate, Messages};
use crate::diagnostic::Severity;
use crate::fingerprint::{fingerprint, fingerprint_of};
use crate::report::Report;

pub fn render(report: &Report) -> String {
    let messages = Messages::new(report);
    let mut issues: Vec<Value> = report
        .findings
        .iter()
        .map(|f| {
            let loc = locate(report, f.primary.span);
            issue(
                &messages.of(f.primary.span, f.rule, &f.message, &f.resource),
                f.rule,
                &fingerprint(&report.sources, f),
                severity(f.severity),
                &loc.path,
                loc.pos.start_line,
            )
        })
        .collect();
    // A file that could not be read is reported too: its findings are missing from the report.
    issues.extend(report.errors.iter().map(|e| {
        let path = report.sources.get(e.file).display().to_string();
        let line = e.span.map_or(1, |span| locate(report, span).pos.start_line);
        let fingerprint = fingerprint_of(&["error", &path.replace('\\', "/"), &e.message]);
        issue(
            &e.message,
            "acrlint-error",
            &fingerprint,
            "major",
            &path,
            line,
        )
    }));
    // So is a file named on the command line that was not analysed.
    issues.extend(report.warnings.iter().map(|w| {
        let fingerprint = fingerprint_of(&["warning", &w.path, &w.message]);
        issue(
            &w.message,
            "acrlint-warning",
            &fingerprint,
            "info",
            &w.path,
            1,
        )
    }));
    let mut text = serde_json::to_string_pretty(&issues).unwrap_or_default();
    text.push('\n');
    text
}

fn issue(
    description: &str,
    check_name: &str,
    fingerprint: &str,
    severity: &str,
    path: &str,
    line: u32,
) -> Value {
    json!({
        "description": description,
        "check_name": check_name,
        "fingerprint": fingerprint,
        "severity": severity,
        "location": { "path": path.replace('\\', "/"), "lines": { "begin": line } },
    })
}

/// GitLab's severities, one step per acrlint severity.
fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Info => "info",
        Severity::Low => "minor",
        Severity::Medium => "major",
        Severity::High => "critical",
        Severity::Critical => "blocker",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::testutil;

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(render(&testutil::report()));
    }

    #[test]
    fn issues_have_the_fields_gitlab_reads() {
        let report = testutil::report();
        let v: Value = serde_json::from_str(&render(&report)).unwrap();
        let issues = v.as_array().unwrap();
        assert_eq!(
            issues.len(),
            report.findings.len() + report.errors.len() + report.warnings.len()
        );
        let last = issues.last().unwrap();
        assert_eq!(last["check_name"], "acrlint-warning");
        assert_eq!(last["severity"], "info");
        assert_eq!(last["location"]["path"], "infra/registry.bicep");
        for (i, f) in issues.iter().zip(&report.findings) {
            assert_eq!(i["description"], f.message.as_str());
            assert_eq!(i["check_name"], f.rule);
            assert_eq!(i["fingerprint"], fingerprint(&report.sources, f).as_str());
            assert_eq!(i["severity"], severity(f.severity));
            let loc = locate(&report, f.primary.span);
            assert_eq!(i["location"]["path"], loc.path.as_str());
            assert_eq!(i["location"]["lines"]["begin"], loc.pos.start_line);
        }
        let allowed = ["info", "minor", "major", "critical", "blocker"];
        assert!(issues
            .iter()
            .all(|i| allowed.contains(&i["severity"].as_str().unwrap())));
        // Fingerprints must be unique within a report.
        let mut prints: Vec<&str> = issues
            .iter()
            .map(|i| i["fingerprint"].as_str().unwrap())
            .collect();
        prints.sort_unstable();
        prints.dedup();
        assert_eq!(prints.len(), issues.len());
        assert_eq!(issues.last().unwrap()["location"]["lines"]["begin"], 1);
    }

    #[test]
    fn severities_map_one_to_one() {
        assert_eq!(severity(Severity::Critical), "blocker");
        assert_eq!(severity(Severity::High), "critical");
        assert_eq!(severity(Severity::Medium), "major");
        assert_eq!(severity(Severity::Low), "minor");
        assert_eq!(severity(Severity::Info), "info");
    }
}
