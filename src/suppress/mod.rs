//! Suppression, applied in one place after the rules: inline comments and ARM metadata
//! ([`apply`]), and the baseline file ([`baseline`]).
//!
//! Where a suppression applies:
//! - the comment block directly above a resource header covers every finding of that resource;
//!   Checkov's `checkov:skip=` also counts in the comment block directly below the header (at the
//!   top of the body), where Checkov users usually write it;
//! - the comment block directly above the finding's primary location (an attribute) covers that
//!   finding only;
//! - ARM: the comment block above the resource object's `{` or its `type` line, and
//!   `metadata.acrlint.ignore` on the resource object;
//! - Terraform JSON: a comment property (`"//": "acrlint:ignore ..."`) in the resource's body.
//!
//! Malformed suppressions become errors in `Report.errors` (exit code 2) and do not suppress.

pub mod baseline;
pub mod date;
pub mod inline;
pub mod metadata;
pub mod property;

use std::sync::Arc;

use rayon::prelude::*;

use crate::diagnostic::Finding;
use crate::load::LoadError;
use crate::report::{Report, Suppressed};
use crate::source::{FileId, SourceFile, SourceMap};
pub use date::Date;
use inline::{Directive, FileComments, Kind, Problem};
use metadata::ArmFile;
use property::PropertyFile;

#[derive(Clone, Debug)]
pub struct SuppressOptions {
    /// Rule ids a suppression may name (upper case); any other id is reported.
    pub known_rules: Vec<String>,
}

impl Default for SuppressOptions {
    /// The rules of the registry.
    fn default() -> SuppressOptions {
        SuppressOptions {
            known_rules: crate::rules::ids()
                .iter()
                .map(|id| id.to_ascii_uppercase())
                .collect(),
        }
    }
}

/// Move the findings that a valid, unexpired suppression covers to `report.suppressed`. A finding
/// whose only matching suppression has expired stays, and its message says so. Every malformed
/// suppression in the scanned files is added to `report.errors`.
///
/// Call it after the rules and before dropping findings of files not passed explicitly, so that
/// problems are reported only for the files the user asked about.
pub fn apply(report: &mut Report, today: Date, cfg: &SuppressOptions) {
    let sources = Arc::clone(&report.sources);
    // Files are scanned in parallel; each keeps its own problems until the merge.
    let (files, problems): (Vec<Scanned>, Vec<Vec<Problem>>) = (0..sources.len())
        .into_par_iter()
        .map(|i| {
            let mut problems = Vec::new();
            let file = Scanned::new(FileId(i as u32), &sources, &cfg.known_rules, &mut problems);
            (file, problems)
        })
        .unzip();
    let problems = problems.into_iter().flatten();
    report
        .errors
        .extend(problems.into_iter().map(|p: Problem| LoadError {
            file: p.span.file,
            span: Some(p.span),
            message: p.message,
        }));
    for mut finding in std::mem::take(&mut report.findings) {
        let matching: Vec<&Directive> = candidates(&finding, &files)
            .into_iter()
            .filter(|d| d.rules.iter().any(|r| r.eq_ignore_ascii_case(finding.rule)))
            .collect();
        let active = matching.iter().find(|d| d.until.is_none_or(|u| u >= today));
        if let Some(d) = active {
            let reason = match d.kind {
                Kind::Metadata => format!("metadata: {}", d.reason),
                Kind::Acrlint | Kind::Checkov => format!("inline: {}", d.reason),
            };
            report.suppressed.push(Suppressed { finding, reason });
            continue;
        }
        if let Some(expired) = matching.iter().filter_map(|d| d.until).max() {
            finding
                .message
                .push_str(&format!(" (suppression expired on {expired})"));
        }
        report.findings.push(finding);
    }
}

/// What one file holds in suppressions.
struct Scanned {
    source: Arc<SourceFile>,
    comments: FileComments,
    arm: Option<ArmFile>,
    properties: Option<PropertyFile>,
}

impl Scanned {
    fn new(
        id: FileId,
        sources: &SourceMap,
        known: &[String],
        problems: &mut Vec<Problem>,
    ) -> Scanned {
        use crate::classify::Comments;
        let source = sources.get(id);
        let json = source
            .path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"));
        let syntax = crate::classify::comments(&source.path);
        // Most files hold no suppression at all: skip scanning (and, for JSON, parsing again)
        // those that never mention one.
        let mentions = |s: &str| source.text.contains(s);
        let marked = mentions("acrlint") || mentions("checkov:skip");
        let comments = match syntax {
            Some(syntax @ (Comments::Hash | Comments::Slash)) if marked => {
                let slash = syntax == Comments::Slash;
                FileComments::scan(id, &source.text, slash, known, problems)
            }
            _ => FileComments::default(),
        };
        let arm = match syntax {
            Some(Comments::Slash) if json && marked => {
                ArmFile::scan(id, &source.text, known, problems)
            }
            _ => None,
        };
        let properties = match syntax {
            Some(Comments::Property) if marked => {
                PropertyFile::scan(id, &source.text, known, problems)
            }
            _ => None,
        };
        Scanned {
            source,
            comments,
            arm,
            properties,
        }
    }

    /// 0-based line of a byte offset.
    fn line(&self, offset: u32) -> usize {
        self.source.position(offset).0.saturating_sub(1) as usize
    }
}

/// Every directive placed where it could cover `finding` (before matching the rule id).
fn candidates<'a>(finding: &Finding, files: &'a [Scanned]) -> Vec<&'a Directive> {
    let mut out: Vec<&Directive> = Vec::new();
    let header = finding.header;
    if let Some(file) = files.get(header.file.0 as usize) {
        let line = file.line(header.start);
        out.extend(file.comments.above(line));
        out.extend(
            file.comments
                .below(line)
                .iter()
                .filter(|d| d.kind == Kind::Checkov),
        );
        if let Some(properties) = &file.properties {
            out.extend(properties.directives_at(header.start as usize));
        }
        if let Some(resource) = file
            .arm
            .as_ref()
            .and_then(|a| a.resource_at(header.start as usize))
        {
            let open = file.line(resource.span.start as u32);
            if open != line {
                out.extend(file.comments.above(open));
            }
            out.extend(
                file.arm
                    .iter()
                    .flat_map(|a| a.directives(resource.span.start)),
            );
        }
    }
    let primary = finding.primary.span;
    if let Some(file) = files.get(primary.file.0 as usize) {
        let line = file.line(primary.start);
        let on_header = primary.file == header.file
            && files
                .get(header.file.0 as usize)
                .is_some_and(|h| h.line(header.start) == line);
        if !on_header {
            out.extend(file.comments.above(line));
        }
    }
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::diagnostic::{Label, Severity};
    use crate::source::Span;

    pub(crate) const KNOWN: [&str; 5] = ["ACR001", "ACR002", "ACR009", "ACR010", "ACR011"];

    pub(crate) fn options() -> SuppressOptions {
        SuppressOptions {
            known_rules: KNOWN.map(String::from).to_vec(),
        }
    }

    /// A finding of `rule` on the resource whose header is the first line containing `header`,
    /// located at the first occurrence of `at` (or on the header).
    pub(crate) fn finding(
        sources: &SourceMap,
        file: FileId,
        rule: &'static str,
        header: &str,
        at: &str,
    ) -> Finding {
        let text = sources.get(file).text.clone();
        let h = text.find(header).expect("header in text");
        let header = Span::new(file, h..h + header.len());
        let primary = match text.find(at) {
            Some(p) if !at.is_empty() => Span::new(file, p..p + at.len()),
            _ => header,
        };
        Finding {
            rule,
            name: "test-rule",
            severity: Severity::High,
            message: format!("{rule} fired"),
            resource: "azurerm_container_registry.acr".into(),
            header,
            attribute: at.split(' ').next().unwrap_or("").into(),
            primary: Label::new(primary, "here"),
            related: Vec::new(),
            help: String::new(),
            depends_on_files: vec![file],
            fix_intent: None,
            fix: None,
        }
    }

    /// One file with a [`finding`] for each `(rule, at)`, all on the resource under `header`,
    /// after [`apply`] on `day`.
    fn applied(
        file: (&str, &str),
        header: &str,
        found: &[(&'static str, &str)],
        day: Date,
    ) -> Report {
        let (mut r, ids) = report(&[file]);
        r.findings = found
            .iter()
            .map(|(rule, at)| finding(&r.sources, ids[0], rule, header, at))
            .collect();
        apply(&mut r, day, &options());
        r
    }

    /// `(rule, reason)` of each suppressed finding.
    pub(crate) fn suppressed(r: &Report) -> Vec<(&'static str, &str)> {
        r.suppressed
            .iter()
            .map(|s| (s.finding.rule, s.reason.as_str()))
            .collect()
    }

    pub(crate) fn report(files: &[(&str, &str)]) -> (Report, Vec<FileId>) {
        let sources = Arc::new(SourceMap::default());
        let ids = files
            .iter()
            .map(|(path, text)| {
                sources.add(SourceFile::new(
                    path.into(),
                    path.to_string(),
                    (*text).into(),
                ))
            })
            .collect();
        (
            Report {
                sources,
                ..Report::default()
            },
            ids,
        )
    }

    fn today() -> Date {
        Date::parse("2026-06-15").unwrap()
    }

    const TF_HEADER: &str = "resource \"azurerm_container_registry\"";
    const TF: &str = r#"# acrlint:ignore ACR001,ACR010 the hub team reviewed this registry
resource "azurerm_container_registry" "acr" {
  sku = "Premium"
  # acrlint:ignore ACR009 the rules document intent until=2026-12-31
  network_rule_set {
    default_action = "Allow"
  }
  # acrlint:ignore ACR011 anonymous pull for the public mirror until=2026-01-01
  anonymous_pull_enabled = true
  public_network_access_enabled = true
}
"#;

    #[test]
    fn resource_comment_covers_every_finding_of_the_resource() {
        let r = applied(
            ("main.tf", TF),
            TF_HEADER,
            &[
                ("ACR001", "public_network_access_enabled = true"),
                ("ACR010", ""),
                ("ACR002", "public_network_access_enabled = true"),
            ],
            today(),
        );
        assert!(r.errors.is_empty(), "{:?}", r.errors);
        let suppressed: Vec<_> = r.suppressed.iter().map(|s| s.finding.rule).collect();
        assert_eq!(suppressed, ["ACR001", "ACR010"]);
        assert_eq!(
            r.suppressed[0].reason,
            "inline: the hub team reviewed this registry"
        );
        assert_eq!(r.findings.len(), 1);
        assert_eq!(r.findings[0].rule, "ACR002");
    }

    #[test]
    fn attribute_comment_covers_only_that_attribute() {
        let r = applied(
            ("main.tf", TF),
            TF_HEADER,
            &[
                // ACR009 on the network_rule_set block: suppressed (until is in the future).
                ("ACR009", "network_rule_set {"),
                // ACR009 elsewhere in the same resource: not covered.
                ("ACR009", "default_action = \"Allow\""),
            ],
            today(),
        );
        assert_eq!(r.suppressed.len(), 1);
        assert_eq!(r.suppressed[0].finding.attribute, "network_rule_set");
        assert_eq!(r.findings.len(), 1);
        assert_eq!(r.findings[0].attribute, "default_action");
    }

    #[test]
    fn expired_suppression_keeps_the_finding_and_says_so() {
        let anonymous_pull = [("ACR011", "anonymous_pull_enabled = true")];
        let r = applied(("main.tf", TF), TF_HEADER, &anonymous_pull, today());
        assert!(r.suppressed.is_empty());
        assert_eq!(
            r.findings[0].message,
            "ACR011 fired (suppression expired on 2026-01-01)"
        );
        // On its last day it still suppresses.
        let last_day = Date::parse("2026-01-01").unwrap();
        let r = applied(("main.tf", TF), TF_HEADER, &anonymous_pull, last_day);
        assert_eq!(r.suppressed.len(), 1);
    }

    #[test]
    fn missing_reason_is_an_error_and_does_not_suppress() {
        let text = "# acrlint:ignore ACR001\nresource \"azurerm_container_registry\" \"acr\" {}\n";
        let r = applied(("main.tf", text), "resource", &[("ACR001", "")], today());
        assert_eq!(r.findings.len(), 1);
        assert_eq!(r.errors.len(), 1);
        let e = &r.errors[0];
        assert!(e.message.contains("no reason"));
        let span = e.span.unwrap();
        assert_eq!(r.sources.get(e.file).position(span.start), (1, 3));
    }

    #[test]
    fn unknown_id_is_an_error_even_without_findings() {
        let text = "// acrlint:ignore ACR404 not a rule\nresource \"a\" \"b\" {}\n";
        let (mut r, _) = report(&[("main.tf", text)]);
        apply(&mut r, today(), &options());
        assert_eq!(r.errors.len(), 1);
        assert!(r.errors[0].message.contains("`ACR404`"));
    }

    #[test]
    fn checkov_skip_above_or_at_the_top_of_the_body() {
        let text = r#"resource "azurerm_container_registry" "acr" {
  #checkov:skip=CKV_AZURE_139:Premium is too expensive for the lab
  #checkov:skip=CKV_AZURE_165:single region
  public_network_access_enabled = true
  admin_enabled = true
}
"#;
        let r = applied(
            ("main.tf", text),
            "resource",
            &[
                ("ACR001", "public_network_access_enabled"),
                ("ACR002", "public_network_access_enabled"),
                ("ACR010", "admin_enabled"),
            ],
            today(),
        );
        assert!(r.errors.is_empty());
        let suppressed: Vec<_> = r.suppressed.iter().map(|s| s.finding.rule).collect();
        assert_eq!(suppressed, ["ACR001", "ACR002"]);
        assert_eq!(
            r.suppressed[0].reason,
            "inline: Premium is too expensive for the lab"
        );
        assert_eq!(r.findings[0].rule, "ACR010");
    }

    #[test]
    fn acrlint_comment_inside_the_body_is_not_resource_wide() {
        let text = "resource \"a\" \"b\" {\n  # acrlint:ignore ACR010 reviewed\n  sku = \"Basic\"\n  admin_enabled = true\n}\n";
        let r = applied(
            ("main.tf", text),
            "resource",
            &[("ACR010", "admin_enabled")],
            today(),
        );
        assert!(r.suppressed.is_empty());
    }

    const ARM: &str = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "resources": [
    // acrlint:ignore ACR010 the build agents still use the admin user
    {
      "type": "Microsoft.ContainerRegistry/registries",
      "apiVersion": "2023-07-01",
      "name": "acr",
      "metadata": { "acrlint": { "ignore": [
        { "rule": "ACR001", "reason": "public by design", "until": "2027-03-31" },
        { "rule": "ACR011", "reason": "mirror", "until": "2025-01-01" }
      ] } },
      "properties": {
        "publicNetworkAccess": "Enabled",
        "anonymousPullEnabled": true,
        "adminUserEnabled": true
      }
    }
  ]
}"#;

    #[test]
    fn arm_metadata_and_comments() {
        let r = applied(
            ("azuredeploy.json", ARM),
            "\"type\": \"Microsoft.ContainerRegistry/registries\"",
            &[
                ("ACR001", "\"publicNetworkAccess\""),
                ("ACR010", "\"adminUserEnabled\""),
                ("ACR011", "\"anonymousPullEnabled\""),
                ("ACR002", "\"publicNetworkAccess\""),
            ],
            today(),
        );
        assert!(r.errors.is_empty(), "{:?}", r.errors);
        assert_eq!(
            suppressed(&r),
            [
                ("ACR001", "metadata: public by design"),
                (
                    "ACR010",
                    "inline: the build agents still use the admin user"
                ),
            ]
        );
        let kept: Vec<_> = r.findings.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(
            kept,
            [
                "ACR011 fired (suppression expired on 2025-01-01)",
                "ACR002 fired"
            ]
        );
    }

    #[test]
    fn arm_metadata_problems_are_errors() {
        let text = r#"{ "resources": [ { "type": "Microsoft.ContainerRegistry/registries",
  "metadata": { "acrlint": { "ignore": [ { "rule": "ACR001" } ] } } } ] }"#;
        let r = applied(("t.json", text), "\"type\"", &[("ACR001", "")], today());
        assert_eq!(r.findings.len(), 1);
        assert_eq!(r.errors.len(), 1);
        assert!(r.errors[0].message.contains("reason"));
    }

    #[test]
    fn primary_in_another_file() {
        let vars = "# acrlint:ignore ACR001 set by the platform team\npublic = true\n";
        let main = "resource \"azurerm_container_registry\" \"acr\" {}\n";
        let (mut r, ids) = report(&[("main.tf", main), ("terraform.tfvars", vars)]);
        let mut f = finding(&r.sources, ids[0], "ACR001", "resource", "");
        let at = vars.find("public").unwrap();
        f.primary.span = Span::new(ids[1], at..at + 6);
        r.findings = vec![f];
        apply(&mut r, today(), &options());
        assert_eq!(r.suppressed.len(), 1);
    }
}
