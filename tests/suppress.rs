//! Inline suppressions through the public API, over a realistic module and template: every form
//! (resource, attribute, expiry, missing reason, Checkov, ARM metadata, unknown id).

use std::sync::Arc;

use acrlint::diagnostic::{Finding, Label, Severity};
use acrlint::report::Report;
use acrlint::source::{FileId, SourceFile, SourceMap, Span};
use acrlint::suppress::{apply, Date, SuppressOptions};

const REGISTRY_TF: &str = r#"# The shared registry of the platform team.
# acrlint:ignore ACR010 the legacy build agents log in with the admin user until=2026-12-31
resource "azurerm_container_registry" "acr" {
  name                = "contosoacr"
  sku                 = "Premium"
  #checkov:skip=CKV_AZURE_139:pulled by partners over the internet
  public_network_access_enabled = true

  /* acrlint:ignore ACR011 public mirror of open-source images */
  anonymous_pull_enabled = true

  // acrlint:ignore ACR012 until=2026-01-31 data export is being migrated
  export_policy_enabled = true

  admin_enabled = true
}

# acrlint:ignore ACR004
resource "azurerm_private_endpoint" "acr" {
  name = "pe-acr"
}

// acrlint:ignore ACR404,ACR007 typo in the id
resource "azurerm_private_endpoint" "other" {
  name = "pe-other"
}
"#;

const TEMPLATE: &str = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "resources": [
    {
      "type": "Microsoft.ContainerRegistry/registries",
      "apiVersion": "2023-07-01",
      "name": "contosoacr",
      "location": "westeurope",
      "sku": { "name": "Premium" },
      "metadata": {
        "acrlint": {
          "ignore": [
            { "rule": "ACR001", "reason": "reviewed by the security team", "until": "2027-03-31" },
            { "rule": "ACR012" }
          ]
        }
      },
      "properties": {
        "publicNetworkAccess": "Enabled",
        // acrlint:ignore ACR010 bootstrap only
        "adminUserEnabled": true,
        "policies": { "exportPolicy": { "status": "enabled" } }
      }
    }
  ]
}
"#;

fn today() -> Date {
    Date::parse("2026-06-15").unwrap()
}

fn options() -> SuppressOptions {
    let ids = (1..=12).map(|n| format!("ACR{n:03}")).collect();
    SuppressOptions { known_rules: ids }
}

struct Fixture {
    sources: Arc<SourceMap>,
}

impl Fixture {
    fn new(files: &[(&str, &str)]) -> (Fixture, Vec<FileId>) {
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
        (Fixture { sources }, ids)
    }

    fn span(&self, file: FileId, needle: &str, nth: usize) -> Span {
        let text = self.sources.get(file).text.clone();
        let at = text
            .match_indices(needle)
            .nth(nth)
            .unwrap_or_else(|| panic!("`{needle}` #{nth} not in the fixture"))
            .0;
        Span::new(file, at..at + needle.len())
    }

    /// A finding of `rule` on the resource whose header is the `nth` match of `header`, at the
    /// first match of `attribute` after it (or on the header).
    fn finding(
        &self,
        file: FileId,
        rule: &'static str,
        header: (&str, usize),
        attribute: &str,
    ) -> Finding {
        let header = self.span(file, header.0, header.1);
        let primary = if attribute.is_empty() {
            header
        } else {
            let text = self.sources.get(file).text.clone();
            let at = header.start as usize + text[header.start as usize..].find(attribute).unwrap();
            Span::new(file, at..at + attribute.len())
        };
        Finding {
            rule,
            name: "rule-name",
            severity: Severity::High,
            message: format!("{rule} message"),
            resource: format!("resource at {}", header.start),
            header,
            attribute: attribute.trim_matches('"').to_string(),
            primary: Label::new(primary, "here"),
            related: vec![],
            help: String::new(),
            depends_on_files: vec![file],
            fix_intent: None,
            fix: None,
        }
    }

    fn report(&self, findings: Vec<Finding>) -> Report {
        Report {
            sources: self.sources.clone(),
            findings,
            ..Report::default()
        }
    }
}

fn rules(findings: &[Finding]) -> Vec<&str> {
    findings.iter().map(|f| f.rule).collect()
}

/// `(rule, reason)` of each suppressed finding.
fn suppressed(report: &Report) -> Vec<(&str, &str)> {
    report
        .suppressed
        .iter()
        .map(|s| (s.finding.rule, s.reason.as_str()))
        .collect()
}

#[test]
fn terraform_forms() {
    let (fx, ids) = Fixture::new(&[("infra/registry.tf", REGISTRY_TF)]);
    let acr = ("resource \"azurerm_container_registry\"", 0);
    let pe = ("resource \"azurerm_private_endpoint\"", 0);
    let mut report = fx.report(vec![
        fx.finding(ids[0], "ACR001", acr, "public_network_access_enabled"),
        fx.finding(ids[0], "ACR002", acr, "public_network_access_enabled"),
        fx.finding(ids[0], "ACR003", acr, "sku"),
        fx.finding(ids[0], "ACR010", acr, "admin_enabled"),
        fx.finding(ids[0], "ACR011", acr, "anonymous_pull_enabled"),
        fx.finding(ids[0], "ACR012", acr, "export_policy_enabled"),
        fx.finding(ids[0], "ACR004", pe, ""),
    ]);
    apply(&mut report, today(), &options());

    assert_eq!(
        suppressed(&report),
        [
            ("ACR001", "inline: pulled by partners over the internet"),
            ("ACR002", "inline: pulled by partners over the internet"),
            (
                "ACR010",
                "inline: the legacy build agents log in with the admin user"
            ),
            ("ACR011", "inline: public mirror of open-source images"),
        ]
    );
    // ACR003 was never suppressed; ACR012's suppression expired; ACR004's has no reason.
    assert_eq!(rules(&report.findings), ["ACR003", "ACR012", "ACR004"]);
    assert_eq!(
        report.findings[1].message,
        "ACR012 message (suppression expired on 2026-01-31)"
    );
    assert_eq!(report.findings[2].message, "ACR004 message");

    let errors: Vec<(u32, &str)> = report
        .errors
        .iter()
        .map(|e| {
            let line = fx.sources.get(e.file).position(e.span.unwrap().start).0;
            (line, e.message.as_str())
        })
        .collect();
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert_eq!(errors[0].0, 18);
    assert!(errors[0].1.contains("no reason"));
    assert_eq!(errors[1].0, 23);
    assert!(errors[1].1.contains("unknown rule id `ACR404`"));
}

#[test]
fn the_unknown_id_does_not_void_the_known_one() {
    let (fx, ids) = Fixture::new(&[("registry.tf", REGISTRY_TF)]);
    let other = ("resource \"azurerm_private_endpoint\"", 1);
    let mut report = fx.report(vec![fx.finding(ids[0], "ACR007", other, "")]);
    apply(&mut report, today(), &options());
    assert_eq!(rules(&report.findings), Vec::<&str>::new());
    assert_eq!(report.suppressed[0].reason, "inline: typo in the id");
}

#[test]
fn expiry_is_judged_against_the_given_day() {
    let (fx, ids) = Fixture::new(&[("registry.tf", REGISTRY_TF)]);
    let acr = ("resource \"azurerm_container_registry\"", 0);
    let mut report = fx.report(vec![fx.finding(
        ids[0],
        "ACR012",
        acr,
        "export_policy_enabled",
    )]);
    apply(&mut report, Date::parse("2026-01-31").unwrap(), &options());
    assert_eq!(report.suppressed.len(), 1);
}

#[test]
fn arm_metadata_and_json_comments() {
    let (fx, ids) = Fixture::new(&[("arm/azuredeploy.json", TEMPLATE)]);
    let header = ("\"type\": \"Microsoft.ContainerRegistry/registries\"", 0);
    let mut report = fx.report(vec![
        fx.finding(ids[0], "ACR001", header, "\"publicNetworkAccess\""),
        fx.finding(ids[0], "ACR010", header, "\"adminUserEnabled\""),
        fx.finding(ids[0], "ACR012", header, "\"exportPolicy\""),
    ]);
    apply(&mut report, today(), &options());
    assert_eq!(
        suppressed(&report),
        [
            ("ACR001", "metadata: reviewed by the security team"),
            ("ACR010", "inline: bootstrap only"),
        ]
    );
    assert_eq!(rules(&report.findings), ["ACR012"]);
    assert_eq!(report.errors.len(), 1);
    let e = &report.errors[0];
    assert!(e.message.contains("reason"), "{}", e.message);
    let (line, _) = fx.sources.get(e.file).position(e.span.unwrap().start);
    assert_eq!(line, 15);
}

#[test]
fn problems_are_reported_in_files_without_findings() {
    let (fx, _) = Fixture::new(&[
        ("a.tf", "# acrlint:ignore ACR001\nresource \"x\" \"y\" {}\n"),
        (
            "b.tf",
            "resource \"x\" \"z\" {} # acrlint:ignore ACR001 same line\n",
        ),
    ]);
    let mut report = fx.report(vec![]);
    apply(&mut report, today(), &options());
    let files: Vec<FileId> = report.errors.iter().map(|e| e.file).collect();
    assert_eq!(files, [FileId(0), FileId(1)]);
}

/// `acrlint check` of a folder, through the library.
fn check_folder(dir: &std::path::Path) -> Report {
    let opts = acrlint::check::CheckOptions {
        paths: vec![dir.to_path_buf()],
        ..Default::default()
    };
    acrlint::check::check(&opts).unwrap()
}

/// Through the real pipeline: the loaders' header and attribute spans are where suppressions look.
#[test]
fn end_to_end_with_the_loaders_and_rules() {
    let tmp = tempfile::tempdir().unwrap();
    let tf = tmp.path().join("tf");
    let arm = tmp.path().join("arm");
    std::fs::create_dir_all(&tf).unwrap();
    std::fs::create_dir_all(&arm).unwrap();
    std::fs::write(
        tf.join("variables.tf"),
        "variable \"public_access\" {\n  type    = bool\n  default = true\n}\n",
    )
    .unwrap();
    std::fs::write(
        tf.join("main.tf"),
        r#"# acrlint:ignore ACR001 partners pull over the internet
resource "azurerm_container_registry" "acr" {
  name                          = "contosoacr"
  resource_group_name           = "rg"
  location                      = "westeurope"
  sku                           = "Premium"
  public_network_access_enabled = var.public_access
  # acrlint:ignore ACR010 the legacy agents use the admin user
  admin_enabled                 = true
}
"#,
    )
    .unwrap();
    std::fs::write(
        arm.join("azuredeploy.json"),
        r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "resources": [
    {
      "type": "Microsoft.ContainerRegistry/registries",
      "apiVersion": "2023-07-01",
      "name": "contosoacr",
      "location": "westeurope",
      "sku": { "name": "Premium" },
      "metadata": { "acrlint": { "ignore": [ { "rule": "ACR001", "reason": "partners" } ] } },
      "properties": {
        "publicNetworkAccess": "Enabled",
        // acrlint:ignore ACR010 bootstrap only
        "adminUserEnabled": true
      }
    }
  ]
}
"#,
    )
    .unwrap();

    // `check` applies suppressions itself, after the rules.
    let report = check_folder(tmp.path());
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    let fired = |report: &Report, rule: &str, file: &str| {
        report
            .findings
            .iter()
            .filter(|f| f.rule == rule)
            .filter(|f| report.sources.get(f.primary.span.file).path.ends_with(file))
            .count()
    };
    for file in ["main.tf", "azuredeploy.json"] {
        assert_eq!(fired(&report, "ACR001", file), 0, "ACR001 in {file}");
        assert_eq!(fired(&report, "ACR010", file), 0, "ACR010 in {file}");
    }
    let mut reasons: Vec<&str> = report
        .suppressed
        .iter()
        .map(|s| s.reason.as_str())
        .collect();
    reasons.sort();
    assert_eq!(
        reasons,
        [
            "inline: bootstrap only",
            "inline: partners pull over the internet",
            "inline: the legacy agents use the admin user",
            "metadata: partners",
        ]
    );
}

/// Terraform JSON has no comments: a comment property of the resource's body (which Terraform
/// ignores) holds its suppressions, a string or a list of them.
#[test]
fn terraform_json_comment_properties() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("main.tf.json"),
        r#"{
  "resource": {
    "azurerm_container_registry": {
      "acr": {
        "//": [
          "generated by cdktf",
          "acrlint:ignore ACR001 partners pull over the internet",
          "acrlint:ignore ACR010"
        ],
        "name": "contosoacr",
        "resource_group_name": "rg",
        "location": "westeurope",
        "sku": "Premium",
        "public_network_access_enabled": true,
        "admin_enabled": true
      },
      "other": {
        "//": "acrlint:ignore ACR010 bootstrap only until=2099-01-01",
        "name": "otheracr",
        "resource_group_name": "rg",
        "location": "westeurope",
        "sku": "Premium",
        "public_network_access_enabled": true,
        "admin_enabled": true
      }
    }
  }
}
"#,
    )
    .unwrap();
    let report = check_folder(tmp.path());
    let mut fired: Vec<(&str, &str)> = report
        .findings
        .iter()
        .map(|f| (f.rule, f.resource.as_str()))
        .collect();
    fired.sort();
    // ACR001 of `acr` is suppressed; its ACR010 suppression has no reason: an error, and the
    // finding stays. `other`'s ACR010 is suppressed, not its ACR001.
    assert_eq!(
        fired,
        [
            ("ACR001", "azurerm_container_registry.other"),
            ("ACR010", "azurerm_container_registry.acr"),
        ]
    );
    let reasons: Vec<&str> = report
        .suppressed
        .iter()
        .map(|s| s.reason.as_str())
        .collect();
    assert_eq!(
        reasons,
        [
            "inline: partners pull over the internet",
            "inline: bootstrap only"
        ]
    );
    assert_eq!(report.errors.len(), 1, "{:?}", report.errors);
    let e = &report.errors[0];
    assert!(e.message.contains("reason"), "{}", e.message);
    let (line, _) = report.sources.get(e.file).position(e.span.unwrap().start);
    assert_eq!(line, 8);
}
