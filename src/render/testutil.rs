//! A hand-built report shared by the renderer tests: two Terraform files with findings of every
//! severity, a related location in the other file, an error with and one without a location, an
//! undetermined result and a suppressed finding.

use std::sync::Arc;

use crate::diagnostic::{Finding, Label, Severity, Undetermined};
use crate::load::LoadError;
use crate::report::{Report, Suppressed};
use crate::rules::RuleMeta;
use crate::source::{FileId, SourceFile, SourceMap, Span};

pub const MAIN_TF: &str = r#"resource "azurerm_container_registry" "acr" {
  name                          = "contosoacr"
  resource_group_name           = "rg-shared"
  location                      = "westeurope"
  sku                           = "Standard"
  admin_enabled                 = true
  public_network_access_enabled = true
}
"#;

pub const ENDPOINT_TF: &str = r#"resource "azurerm_private_endpoint" "acr" {
  name      = "pe-contosoacr"
  subnet_id = var.subnet_id

  private_service_connection {
    name                           = "acr"
    private_connection_resource_id = azurerm_container_registry.acr.id
    subresource_names              = ["registry"]
    is_manual_connection           = true
  }
}
"#;

const BROKEN_TF: &str = "resource \"azurerm_container_registry\" \"x\" {\n  sku \"Premium\"\n}\n";

/// The byte span of the first occurrence of `needle` in `text`.
fn span_of(file: FileId, text: &str, needle: &str) -> Span {
    let start = text.find(needle).expect("fixture needle");
    Span::new(file, start..start + needle.len())
}

fn add(sources: &SourceMap, display: &str, text: &str) -> FileId {
    sources.add(SourceFile::new(
        display.into(),
        display.into(),
        Arc::from(text),
    ))
}

fn finding(
    (rule, name, severity): (&'static str, &'static str, Severity),
    resource: &str,
    attribute: &str,
    primary: Label,
    related: Vec<Label>,
    help: &str,
) -> Finding {
    let mut depends_on_files: Vec<_> = std::iter::once(&primary)
        .chain(&related)
        .map(|l| l.span.file)
        .collect();
    depends_on_files.sort();
    depends_on_files.dedup();
    Finding {
        rule,
        name,
        severity,
        message: primary.message.clone(),
        resource: resource.into(),
        header: primary.span,
        attribute: attribute.into(),
        primary,
        related,
        help: help.into(),
        depends_on_files,
        fix_intent: None,
        fix: None,
    }
}

pub fn report() -> Report {
    report_at("endpoint.tf", "main.tf")
}

/// The same report with other display paths for the two Terraform files.
pub fn report_at(endpoint_path: &str, main_path: &str) -> Report {
    let sources = SourceMap::default();
    let endpoint = add(&sources, endpoint_path, ENDPOINT_TF);
    let main = add(&sources, main_path, MAIN_TF);
    let broken = add(&sources, "broken.tf", BROKEN_TF);
    let binary = add(&sources, "images/logo.tf", "\u{fffd}PNG");
    let acr = "azurerm_container_registry.acr";
    let pe = "azurerm_private_endpoint.acr";
    let header = span_of(
        main,
        MAIN_TF,
        r#"resource "azurerm_container_registry" "acr""#,
    );

    let findings = vec![
        finding(
            ("ACR013", "private-endpoint-manual-approval", Severity::Info),
            pe,
            "private_service_connection.is_manual_connection",
            Label::new(
                span_of(
                    endpoint,
                    ENDPOINT_TF,
                    "is_manual_connection           = true",
                ),
                "the connection waits for manual approval",
            ),
            vec![],
            "Approve the connection on the registry, or set is_manual_connection = false.",
        ),
        finding(
            ("ACR012", "registry-export-allowed", Severity::Low),
            acr,
            "export_policy_enabled",
            Label::new(header, "export_policy_enabled defaults to true"),
            vec![],
            "Set export_policy_enabled = false.",
        ),
        finding(
            (
                "ACR003",
                "registry-private-networking-requires-premium",
                Severity::High,
            ),
            acr,
            "sku",
            Label::new(
                span_of(main, MAIN_TF, "\"Standard\""),
                "SKU \"Standard\" does not support private endpoints",
            ),
            vec![Label::new(
                span_of(
                    endpoint,
                    ENDPOINT_TF,
                    "private_connection_resource_id = azurerm_container_registry.acr.id",
                ),
                "a private endpoint targets this registry",
            )],
            "Set sku = \"Premium\".",
        ),
        finding(
            ("ACR010", "registry-admin-user-enabled", Severity::Medium),
            acr,
            "admin_enabled",
            Label::new(
                span_of(main, MAIN_TF, "admin_enabled                 = true"),
                "the admin user is enabled: 100% of pushes share one password",
            ),
            vec![],
            "Set admin_enabled = false and use Microsoft Entra identities.",
        ),
        finding(
            ("ACR001", "registry-public-network-access", Severity::High),
            acr,
            "public_network_access_enabled",
            Label::new(
                span_of(main, MAIN_TF, "public_network_access_enabled = true"),
                "public network access is enabled",
            ),
            vec![Label::new(header, "no network_rule_set denies by default")],
            "Set public_network_access_enabled = false.",
        ),
    ];
    let suppressed = vec![Suppressed {
        finding: finding(
            (
                "ACR011",
                "registry-anonymous-pull-enabled",
                Severity::Medium,
            ),
            acr,
            "anonymous_pull_enabled",
            Label::new(header, "anonymous pull is enabled"),
            vec![],
            "Set anonymous_pull_enabled = false.",
        ),
        reason: "inline: public base images mirror".into(),
    }];
    let subnet = span_of(endpoint, ENDPOINT_TF, "var.subnet_id");
    Report {
        sources: Arc::new(sources),
        findings,
        undetermined: vec![Undetermined {
            rule: "ACR008",
            resource: pe.into(),
            depends_on: "var.subnet_id".into(),
            message: "ACR008 could not be decided: the subnet depends on var.subnet_id, which has no default (set it in a .tfvars file, with --var or with TF_VAR_subnet_id)".into(),
            span: subnet,
            depends_on_files: vec![subnet.file],
        }],
        suppressed,
        errors: vec![
            LoadError {
                file: broken,
                span: Some(span_of(broken, BROKEN_TF, "\"Premium\"")),
                message: "expected `=` after attribute name".into(),
            },
            LoadError {
                file: binary,
                span: None,
                message: "file is not valid UTF-8".into(),
            },
        ],
        warnings: vec![crate::report::Warning {
            path: "infra/registry.bicep".into(),
            message: "not analysed: Bicep files are not read yet".into(),
        }],
        files: 4,
        resources: 2,
        baseline_stale: Vec::new(),
        chains: Vec::new(),
        scopes: Vec::new(),
    }
}

/// Rule documents for the fixture's rules (the crate's `rules/` may be empty on this branch).
/// ACR013 is left out on purpose: a finding whose rule has no metadata must still render.
pub fn rules() -> Vec<RuleMeta> {
    [
        ("ACR001", "registry-public-network-access", "high"),
        (
            "ACR003",
            "registry-private-networking-requires-premium",
            "high",
        ),
        ("ACR008", "private-endpoint-subnet", "medium"),
        ("ACR010", "registry-admin-user-enabled", "medium"),
        ("ACR011", "registry-anonymous-pull-enabled", "medium"),
        ("ACR012", "registry-export-allowed", "low"),
    ]
    .into_iter()
    .map(|(id, name, severity)| {
        let doc = format!(
            "---\nid: {id}\nname: {name}\nseverity: {severity}\nsummary: Summary of {id}.\n\
             help_terraform: Fix it in Terraform.\nhelp_arm: Fix it in ARM.\nhelp_bicep: Fix it in Bicep.\nreferences:\n  \
             - https://learn.microsoft.com/azure/container-registry/\n---\n\n\
             ## What it flags\nWhat {id} flags.\n\n## Why it matters\nWhy {id} matters.\n"
        );
        RuleMeta::parse(&doc).expect("fixture rule document")
    })
    .collect()
}

/// The `k=v` properties of an annotation command, split at `sep` and unescaped, as a CI runner
/// reads them.
pub fn parse_props(text: &str, sep: char, unescape: fn(&str) -> String) -> Vec<(String, String)> {
    text.split(sep)
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').expect("k=v");
            (k.to_string(), unescape(v))
        })
        .collect()
}

/// The value of property `key`.
pub fn prop<'a>(props: &'a [(String, String)], key: &str) -> Option<&'a str> {
    props
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}
