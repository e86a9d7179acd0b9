//! The baseline file on disk: written, read back, and matched after the code moved.

use std::sync::Arc;

use acrlint::diagnostic::{Finding, Label, Severity};
use acrlint::fingerprint::fingerprint;
use acrlint::report::Report;
use acrlint::source::{SourceFile, SourceMap, Span};
use acrlint::suppress::baseline::{self, Baseline};

fn report(path: &str, text: &str, found: &[(&'static str, &str, &str)]) -> Report {
    let sources = Arc::new(SourceMap::default());
    let file = sources.add(SourceFile::new(path.into(), path.into(), text.into()));
    let findings = found
        .iter()
        .map(|(rule, resource, attribute)| {
            let at = text.find(attribute).unwrap_or(0);
            let span = Span::new(file, at..at + attribute.len());
            Finding {
                rule,
                name: "rule-name",
                severity: Severity::High,
                message: format!("{rule} on {resource}"),
                resource: resource.to_string(),
                header: span,
                attribute: attribute.to_string(),
                primary: Label::new(span, "here"),
                related: vec![],
                help: String::new(),
                depends_on_files: vec![span.file],
                fix_intent: None,
                fix: None,
            }
        })
        .collect();
    Report {
        sources,
        findings,
        ..Report::default()
    }
}

const ACR: &str = "azurerm_container_registry.acr";
const PUBLIC_ACCESS: (&str, &str, &str) = ("ACR001", ACR, "public_network_access_enabled");

const BEFORE: &str = r#"resource "azurerm_container_registry" "acr" {
  public_network_access_enabled = true
  admin_enabled                 = true
}
"#;

const AFTER: &str = r#"locals {
  tags = { team = "platform" }
}

resource "azurerm_container_registry" "acr" {
  tags                          = local.tags
  public_network_access_enabled = true
  anonymous_pull_enabled        = true
}
"#;

#[test]
fn write_read_and_match_after_lines_moved() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("acrlint-baseline.json");

    let before = report(
        "infra/main.tf",
        BEFORE,
        &[PUBLIC_ACCESS, ("ACR010", ACR, "admin_enabled")],
    );
    std::fs::write(&file, Baseline::from_report(&before).to_json()).unwrap();
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.starts_with("{\n  \"version\": 1,"), "{text}");
    assert!(text.contains("\"path\": \"infra/main.tf\""));

    let loaded = Baseline::load(&file).unwrap();
    assert_eq!(loaded, Baseline::from_report(&before));

    let mut after = report(
        "infra/main.tf",
        AFTER,
        &[PUBLIC_ACCESS, ("ACR011", ACR, "anonymous_pull_enabled")],
    );
    let stale = baseline::apply(&mut after, &loaded);
    assert_eq!(after.findings.len(), 1);
    assert_eq!(after.findings[0].rule, "ACR011");
    assert_eq!(after.suppressed.len(), 1);
    assert_eq!(after.suppressed[0].finding.rule, "ACR001");
    assert_eq!(after.suppressed[0].reason, "baseline");
    assert_eq!(stale.len(), 1);
    assert_eq!(
        (stale[0].rule.as_str(), stale[0].attribute.as_str()),
        ("ACR010", "admin_enabled")
    );

    // Written again, the baseline shrinks to what is left.
    let mut rewritten = report("infra/main.tf", AFTER, &[PUBLIC_ACCESS]);
    let smaller = Baseline::from_report(&rewritten);
    assert_eq!(smaller.entries.len(), 1);
    assert!(baseline::apply(&mut rewritten, &smaller).is_empty());
    assert!(rewritten.findings.is_empty());
}

#[test]
fn fingerprints_follow_the_file_path() {
    let a = report("a/main.tf", BEFORE, &[PUBLIC_ACCESS]);
    let b = report("b/main.tf", BEFORE, &[PUBLIC_ACCESS]);
    assert_ne!(
        fingerprint(&a.sources, &a.findings[0]),
        fingerprint(&b.sources, &b.findings[0])
    );
    let mut b = b;
    let stale = baseline::apply(&mut b, &Baseline::from_report(&a));
    assert_eq!(b.findings.len(), 1);
    // a/main.tf was not scanned in b's run: its entry is not reported as gone.
    assert!(stale.is_empty());
}

#[test]
fn malformed_file_is_an_error_with_location() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("baseline.json");
    std::fs::write(
        &file,
        "{\n  \"version\": 1,\n  \"findings\": [\n    { \"rule\": \"ACR001\" ]\n}\n",
    )
    .unwrap();
    let e = Baseline::load(&file).unwrap_err();
    assert_eq!(e.line, 4);
    assert!(
        e.to_string().starts_with(&format!("{}:4:", file.display())),
        "{e}"
    );

    let e = Baseline::load(&tmp.path().join("missing.json")).unwrap_err();
    assert_eq!(e.line, 0);
    assert!(e.message.contains("cannot read the baseline"));
}
