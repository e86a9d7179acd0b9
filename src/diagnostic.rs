//! What rules produce and renderers consume.

use crate::source::{FileId, Span};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    // Ordered from most to least severe.
    Critical,
    High,
    Medium,
    Low,
    Info,
}

impl Severity {
    pub fn parse(s: &str) -> Option<Severity> {
        Some(match s.to_ascii_lowercase().as_str() {
            "critical" => Severity::Critical,
            "high" => Severity::High,
            "medium" => Severity::Medium,
            "low" => Severity::Low,
            "info" => Severity::Info,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Critical => "critical",
            Severity::High => "high",
            Severity::Medium => "medium",
            Severity::Low => "low",
            Severity::Info => "info",
        }
    }

    /// At or above `threshold` (critical is the most severe).
    pub fn at_least(self, threshold: Severity) -> bool {
        self <= threshold
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A span with a message: the primary location of a finding, or one of its related locations.
#[derive(Clone, Debug, PartialEq)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

impl Label {
    /// A label; names and ids in the message that hold deployment-time values are shown as
    /// their expressions (`acr{uniqueString(resourceGroup().id)}`).
    pub fn new(span: Span, message: impl Into<String>) -> Label {
        let message = message.into();
        let message = match crate::symbolic::display(&message) {
            std::borrow::Cow::Borrowed(_) => message,
            std::borrow::Cow::Owned(shown) => shown,
        };
        Label { span, message }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    pub rule: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub message: String,
    /// Address of the resource the finding is about.
    pub resource: String,
    /// The resource's header (where resource-level suppressions are written).
    pub header: Span,
    /// The attribute the finding is about, named the same for every input format
    /// (`public_network_access`, `sku`, `network_rule_set.default_action`); empty when it is about
    /// the resource as a whole. Stable across line shifts, for fingerprints.
    pub attribute: String,
    pub primary: Label,
    pub related: Vec<Label>,
    pub help: String,
    /// The files the finding depends on, sorted (`link::depends`): a run on files passed one by
    /// one reports it when any of them is passed.
    pub depends_on_files: Vec<FileId>,
    /// What the rule proposes to fix it, until [`crate::fix::attach`] makes it `fix`.
    pub fix_intent: Option<crate::fix::Intent>,
    /// The fix, as edits of the files read.
    pub fix: Option<crate::fix::Fix>,
}

/// A rule that could not decide because a value is unknown.
#[derive(Clone, Debug, PartialEq)]
pub struct Undetermined {
    pub rule: &'static str,
    pub resource: String,
    /// The input the decision depends on (`var.allow_public`).
    pub depends_on: String,
    /// Full sentence for `--show-unknown`.
    pub message: String,
    pub span: Span,
    /// The files the result depends on, sorted, as for findings.
    pub depends_on_files: Vec<FileId>,
}
