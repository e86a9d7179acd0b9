//! Renderers: one per output format, over the same report. They return text and never print, and
//! their output depends only on the report (no timestamps, no absolute paths of the machine).

mod azure_devops;
mod compact;
mod diagram;
mod dot;
mod github;
mod gitlab;
mod json;
mod junit;
pub mod markdown;
mod pretty;
mod report_md;
mod sarif;
#[cfg(test)]
mod testutil;

use std::borrow::Cow;

use rustc_hash::FxHashMap;

use crate::diagnostic::{Finding, Severity};
use crate::report::Report;
use crate::source::{LineCol, Span};

/// The `--format` values (fixed command line).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Pretty,
    Compact,
    Json,
    Sarif,
    Github,
    AzureDevops,
    Junit,
    Gitlab,
    /// A report for people (pull request comments, job summaries), with Mermaid chain diagrams.
    Markdown,
    /// The chain diagrams as one Graphviz graph.
    Dot,
}

impl Format {
    /// Every format, in the order the command line documents them.
    pub const ALL: [Format; 10] = [
        Format::Pretty,
        Format::Compact,
        Format::Json,
        Format::Sarif,
        Format::Github,
        Format::AzureDevops,
        Format::Junit,
        Format::Gitlab,
        Format::Markdown,
        Format::Dot,
    ];

    /// Whether the format draws each registry's chain ([`crate::check::CheckOptions::chains`]).
    pub fn draws_chains(self) -> bool {
        matches!(self, Format::Markdown | Format::Dot)
    }

    /// Whether the format carries findings' fixes (JSON `fix`, SARIF `fixes`).
    pub fn shows_fixes(self) -> bool {
        matches!(self, Format::Json | Format::Sarif)
    }

    /// Parse a command-line name (`pretty`, `azure-devops`, ...).
    pub fn parse(name: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.name() == name)
    }

    pub fn name(self) -> &'static str {
        match self {
            Format::Pretty => "pretty",
            Format::Compact => "compact",
            Format::Json => "json",
            Format::Sarif => "sarif",
            Format::Github => "github",
            Format::AzureDevops => "azure-devops",
            Format::Junit => "junit",
            Format::Gitlab => "gitlab",
            Format::Markdown => "markdown",
            Format::Dot => "dot",
        }
    }
}

impl std::str::FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> Result<Format, String> {
        Format::parse(s).ok_or_else(|| {
            let names: Vec<&str> = Format::ALL.iter().map(|f| f.name()).collect();
            format!(
                "unknown format `{s}` (expected one of {})",
                names.join(", ")
            )
        })
    }
}

#[derive(Clone, Debug)]
pub struct RenderOptions {
    /// ANSI colours in `pretty` output.
    pub color: bool,
    /// Terminal width for `pretty` output.
    pub width: usize,
    /// Also show undetermined results (`--show-unknown`).
    pub show_unknown: bool,
    /// Also show suppressed findings (`--show-suppressed`).
    pub show_suppressed: bool,
    pub tool_version: &'static str,
}

impl Default for RenderOptions {
    fn default() -> RenderOptions {
        RenderOptions {
            color: false,
            width: 100,
            show_unknown: false,
            show_suppressed: false,
            tool_version: env!("CARGO_PKG_VERSION"),
        }
    }
}

pub const TOOL_NAME: &str = "acrlint";

/// Render the whole report in one format.
pub fn render(format: Format, report: &Report, opts: &RenderOptions) -> String {
    match format {
        Format::Pretty => pretty::render(report, opts),
        Format::Compact => compact::render(report, opts),
        Format::Json => json::render(report, opts),
        Format::Sarif => sarif::render(report, opts, crate::rules::all_meta()),
        Format::Github => github::render(report, opts),
        Format::AzureDevops => azure_devops::render(report, opts),
        Format::Junit => junit::render(report, crate::rules::all_meta()),
        Format::Gitlab => gitlab::render(report),
        Format::Markdown => report_md::render(report),
        Format::Dot => dot::render(report),
    }
}

/// A span resolved to the path users see and 1-based line and character columns.
#[derive(Clone, Debug, PartialEq)]
struct Location {
    path: String,
    pos: LineCol,
}

fn locate(report: &Report, span: Span) -> Location {
    let file = report.sources.get(span.file);
    Location {
        path: file.display().to_string(),
        pos: file.line_col(span),
    }
}

/// Messages for the line formats (and the editor), which show a place and a message but not the
/// resource: where several results of one rule share a place (a resource in a module called
/// more than once), each message also names its resource, as `pretty` always does, so that the
/// lines differ.
pub(crate) struct Messages {
    at: FxHashMap<(Span, &'static str), usize>,
}

impl Messages {
    pub(crate) fn new(report: &Report) -> Messages {
        let mut at: FxHashMap<(Span, &'static str), usize> = FxHashMap::default();
        let places = (report.findings.iter().map(|f| (f.primary.span, f.rule)))
            .chain(report.undetermined.iter().map(|u| (u.span, u.rule)));
        for place in places {
            *at.entry(place).or_default() += 1;
        }
        Messages { at }
    }

    pub(crate) fn of<'a>(
        &self,
        span: Span,
        rule: &'static str,
        message: &'a str,
        resource: &str,
    ) -> Cow<'a, str> {
        if self.at.get(&(span, rule)).is_some_and(|&n| n > 1) {
            Cow::Owned(format!("{message} ({resource})"))
        } else {
            Cow::Borrowed(message)
        }
    }
}

/// What an annotation reports, from which each CI format picks its own level.
#[derive(Clone, Copy, Debug, PartialEq)]
enum AnnotationKind {
    Finding(Severity),
    LoadError,
    /// A file named on the command line that is not analysed.
    Warning,
    Undetermined,
}

/// One line of a CI annotation format (`github`, `azure-devops`), before its syntax and escaping.
struct Annotation<'a> {
    kind: AnnotationKind,
    /// The rule; `None` for a load error.
    rule: Option<&'a str>,
    /// The displayed path, with forward slashes.
    path: String,
    /// `None` for an error about a whole file.
    pos: Option<LineCol>,
    message: Cow<'a, str>,
    /// A finding's related locations, `path:line:col: message` each: annotations are placed at
    /// the primary location, and name the others in their text.
    related: Vec<String>,
    /// A finding's help; empty for the others.
    help: &'a str,
}

impl Annotation<'_> {
    /// The message followed by the related locations, one per line.
    fn message_with_related(&self) -> String {
        let mut text = self.message.to_string();
        if !self.related.is_empty() {
            text.push_str("\nRelated locations:");
            for r in &self.related {
                text.push_str("\n  ");
                text.push_str(r);
            }
        }
        text
    }
}

/// Findings, then load errors, then warnings, then (with `--show-unknown`) undetermined results.
fn annotations<'a>(report: &'a Report, opts: &RenderOptions) -> Vec<Annotation<'a>> {
    let messages = Messages::new(report);
    let located = |kind, rule, span, message, help| {
        let loc = locate(report, span);
        Annotation {
            kind,
            rule,
            path: loc.path.replace('\\', "/"),
            pos: Some(loc.pos),
            message,
            related: Vec::new(),
            help,
        }
    };
    let mut out: Vec<Annotation> = report
        .findings
        .iter()
        .map(|f| {
            let mut a = located(
                AnnotationKind::Finding(f.severity),
                Some(f.rule),
                f.primary.span,
                messages.of(f.primary.span, f.rule, &f.message, &f.resource),
                &f.help,
            );
            a.related = (f.related.iter())
                .map(|l| {
                    let loc = locate(report, l.span);
                    format!(
                        "{}:{}:{}: {}",
                        loc.path.replace('\\', "/"),
                        loc.pos.start_line,
                        loc.pos.start_column,
                        l.message
                    )
                })
                .collect();
            a
        })
        .collect();
    out.extend(report.errors.iter().map(|e| match e.span {
        Some(span) => located(
            AnnotationKind::LoadError,
            None,
            span,
            Cow::from(&e.message),
            "",
        ),
        None => Annotation {
            kind: AnnotationKind::LoadError,
            rule: None,
            path: report.sources.get(e.file).display().replace('\\', "/"),
            pos: None,
            message: Cow::from(&e.message),
            related: Vec::new(),
            help: "",
        },
    }));
    out.extend(report.warnings.iter().map(|w| Annotation {
        kind: AnnotationKind::Warning,
        rule: None,
        path: w.path.clone(),
        pos: None,
        message: Cow::from(&w.message),
        related: Vec::new(),
        help: "",
    }));
    if opts.show_unknown {
        out.extend(report.undetermined.iter().map(|u| {
            located(
                AnnotationKind::Undetermined,
                Some(u.rule),
                u.span,
                messages.of(u.span, u.rule, &u.message, &u.resource),
                "",
            )
        }));
    }
    out
}

/// `k=v` pairs joined by `sep`, each value escaped for the format.
fn properties(props: &[(&str, String)], sep: &str, escape: fn(&str) -> String) -> String {
    let props: Vec<String> = props
        .iter()
        .map(|(k, v)| format!("{k}={}", escape(v)))
        .collect();
    props.join(sep)
}

/// Counts of findings per severity, most severe first, omitting zeros: `[(High, 2), (Medium, 1)]`.
fn severity_counts(findings: &[Finding]) -> Vec<(Severity, usize)> {
    [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
        Severity::Info,
    ]
    .into_iter()
    .map(|s| (s, findings.iter().filter(|f| f.severity == s).count()))
    .filter(|(_, n)| *n > 0)
    .collect()
}

/// `3 findings (2 high, 1 medium)`: how many findings, and of which severities.
fn findings_phrase(findings: &[Finding]) -> String {
    let counts: Vec<String> = severity_counts(findings)
        .iter()
        .map(|(s, n)| format!("{n} {s}"))
        .collect();
    format!(
        "{} ({})",
        plural(findings.len(), "finding"),
        counts.join(", ")
    )
}

/// `1 finding`, `2 findings`.
fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_round_trip_through_their_names() {
        for f in Format::ALL {
            assert_eq!(Format::parse(f.name()), Some(f));
            assert_eq!(f.name().parse::<Format>(), Ok(f));
        }
        assert_eq!(Format::parse("azure-devops"), Some(Format::AzureDevops));
        assert_eq!(Format::parse("Pretty"), None);
        assert!("xml".parse::<Format>().unwrap_err().contains("gitlab"));
    }

    /// The line-shift half is tested end to end (`tests/cli.rs`,
    /// `fingerprints_survive_a_real_line_shift`); here, what sets findings apart.
    #[test]
    fn fingerprints_tell_findings_apart() {
        use crate::fingerprint::fingerprint;
        let report = testutil::report();
        let first = &report.findings[0];
        let mut other = first.clone();
        other.attribute = "sku".into();
        assert_ne!(
            fingerprint(&report.sources, first),
            fingerprint(&report.sources, &other)
        );
        let mut other_rule = first.clone();
        other_rule.rule = "ACR999";
        assert_ne!(
            fingerprint(&report.sources, first),
            fingerprint(&report.sources, &other_rule)
        );
    }

    #[test]
    fn severity_counts_skip_zeros() {
        let report = testutil::report();
        let counts = severity_counts(&report.findings);
        assert_eq!(
            counts,
            vec![
                (Severity::High, 2),
                (Severity::Medium, 1),
                (Severity::Low, 1),
                (Severity::Info, 1)
            ]
        );
        assert_eq!(plural(1, "file"), "1 file");
        assert_eq!(plural(0, "file"), "0 files");
    }
}
