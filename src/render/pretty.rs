//! `pretty`: miette's graphical diagnostics, with the code snippet, a label on the offending value,
//! the related locations (each in its own file's snippet), the help, and a one-line summary.

use std::fmt::{self, Write};
use std::sync::Arc;

use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource};

use super::{findings_phrase, locate, plural, RenderOptions};
use crate::diagnostic::{Finding, Severity};
use crate::report::Report;
use crate::source::Span;

/// Below this miette cannot lay out a snippet (and nested layouts subtract from the width).
const MIN_WIDTH: usize = 40;

pub fn render(report: &Report, opts: &RenderOptions) -> String {
    let theme = if opts.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(opts.width.max(MIN_WIDTH))
        .with_urls(false);
    let mut out = String::new();
    for f in &report.findings {
        emit(&handler, &mut out, &finding(report, f), || {
            fallback_finding(report, f)
        });
    }
    for e in &report.errors {
        let path = report.sources.get(e.file).display().to_string();
        let diag = match e.span {
            Some(span) => Diag {
                code: Some("error".into()),
                ..Diag::at(report, Severity::High, e.message.clone(), span, "here")
            },
            None => Diag {
                code: Some("error".into()),
                ..Diag::new(Severity::High, format!("{path}: {}", e.message))
            },
        };
        emit(&handler, &mut out, &diag, || {
            format!("{path}: error: {}\n", e.message)
        });
    }
    for w in &report.warnings {
        let diag = Diag {
            code: Some("warning".into()),
            ..Diag::new(Severity::Medium, format!("{}: {}", w.path, w.message))
        };
        emit(&handler, &mut out, &diag, || {
            format!("{}: warning: {}\n", w.path, w.message)
        });
    }
    if opts.show_unknown {
        for u in &report.undetermined {
            // Headed like a finding, by the rule and the resource, and marked undetermined.
            let label = format!("depends on {}", u.depends_on);
            let code = match crate::rules::meta(u.rule) {
                Some(meta) => format!("{} {} (undetermined)", u.rule, meta.name),
                None if u.rule == "*" => "undetermined".to_string(),
                None => format!("{} (undetermined)", u.rule),
            };
            let message = format!("{} ({})", u.message, u.resource);
            let diag = Diag {
                code: Some(code),
                ..Diag::at(report, Severity::Info, message, u.span, &label)
            };
            emit(&handler, &mut out, &diag, || {
                format!("info: {}\n", u.message)
            });
        }
    }
    if opts.show_suppressed && !report.suppressed.is_empty() {
        out.push_str("Suppressed:\n");
        for s in &report.suppressed {
            let f = &s.finding;
            let loc = locate(report, f.primary.span);
            let _ = writeln!(
                out,
                "  {}:{}:{}: {} ({}) [{}] ({})",
                loc.path,
                loc.pos.start_line,
                loc.pos.start_column,
                f.message,
                f.resource,
                f.rule,
                s.reason
            );
        }
        out.push('\n');
    }
    out.push_str(&summary(report, opts));
    out.push('\n');
    out
}

/// Render one diagnostic, or a plain line if miette cannot lay it out.
fn emit(
    handler: &GraphicalReportHandler,
    out: &mut String,
    diag: &Diag,
    fallback: impl FnOnce() -> String,
) {
    let mut text = String::new();
    match handler.render_report(&mut text, diag) {
        Ok(()) => out.push_str(&text),
        Err(_) => out.push_str(&fallback()),
    }
    out.push('\n');
}

fn fallback_finding(report: &Report, f: &Finding) -> String {
    let loc = locate(report, f.primary.span);
    format!(
        "{}:{}:{}: {}: {} [{}]\n",
        loc.path, loc.pos.start_line, loc.pos.start_column, f.severity, f.message, f.rule
    )
}

/// Related locations at most this many lines from the primary one share its snippet.
const NEARBY_LINES: u32 = 8;

/// A finding as a miette diagnostic. Related locations near the primary one are labels in its
/// snippet; the others (far away, or in other files) become related diagnostics with their own
/// snippet, so every link of a chain is shown without printing the whole file between them.
fn finding(report: &Report, f: &Finding) -> Diag {
    // The header carries the whole message; the label at the value only its first clause.
    let short = f
        .primary
        .message
        .split(": ")
        .next()
        .unwrap_or(&f.primary.message);
    let mut diag = Diag::at(
        report,
        f.severity,
        format!("{} ({})", f.message, f.resource),
        f.primary.span,
        short,
    );
    let source = report.sources.get(f.primary.span.file);
    let line = |span: Span| source.position(span.start).0;
    let primary_line = line(f.primary.span);
    diag.code = Some(format!("{} {} ({})", f.rule, f.name, f.severity));
    diag.help = (!f.help.is_empty()).then(|| f.help.clone());
    for label in &f.related {
        if label.span.file == f.primary.span.file
            && line(label.span).abs_diff(primary_line) <= NEARBY_LINES
        {
            diag.labels
                .push(labeled(report, label.span, &label.message, false));
        } else {
            diag.related.push(Diag {
                code: Some("related location".into()),
                ..Diag::at(
                    report,
                    Severity::Info,
                    label.message.clone(),
                    label.span,
                    "here",
                )
            });
        }
    }
    diag
}

/// A byte span as a miette label, clamped to the file's text on character boundaries so that a
/// stale span can never make the renderer fail.
fn labeled(report: &Report, span: Span, text: &str, primary: bool) -> LabeledSpan {
    let file = report.sources.get(span.file);
    let clamp = |offset: u32| crate::source::char_floor(&file.text, offset as usize);
    let (start, end) = (clamp(span.start), clamp(span.end));
    let range = start..end.max(start);
    if primary {
        LabeledSpan::new_primary_with_span(Some(text.to_string()), range)
    } else {
        LabeledSpan::new_with_span(Some(text.to_string()), range)
    }
}

/// "5 findings (2 high, 1 medium) in 4 files; 1 error; 1 warning; 1 undetermined;
/// 1 suppressed".
/// Undetermined results and suppressed findings that are hidden say how to see them.
fn summary(report: &Report, opts: &RenderOptions) -> String {
    let files = plural(report.files, "file");
    let mut text = if report.findings.is_empty() {
        format!("No findings in {files}")
    } else {
        format!("{} in {files}", findings_phrase(&report.findings))
    };
    if !report.errors.is_empty() {
        let _ = write!(text, "; {}", plural(report.errors.len(), "error"));
    }
    if !report.warnings.is_empty() {
        let _ = write!(text, "; {}", plural(report.warnings.len(), "warning"));
    }
    if !report.undetermined.is_empty() {
        let _ = write!(text, "; {} undetermined", report.undetermined.len());
        if !opts.show_unknown {
            text.push_str(" (--show-unknown lists them)");
        }
    }
    if !report.suppressed.is_empty() {
        let _ = write!(text, "; {} suppressed", report.suppressed.len());
        if !opts.show_suppressed {
            text.push_str(" (--show-suppressed lists them)");
        }
    }
    text
}

/// One diagnostic for miette: a message, optionally with a snippet of one file and labels in it.
#[derive(Debug)]
struct Diag {
    message: String,
    code: Option<String>,
    severity: miette::Severity,
    help: Option<String>,
    source: Option<NamedSource<Arc<str>>>,
    labels: Vec<LabeledSpan>,
    related: Vec<Diag>,
}

impl Diag {
    fn new(severity: Severity, message: String) -> Diag {
        Diag {
            message,
            code: None,
            severity: match severity {
                Severity::Critical | Severity::High => miette::Severity::Error,
                Severity::Medium | Severity::Low => miette::Severity::Warning,
                Severity::Info => miette::Severity::Advice,
            },
            help: None,
            source: None,
            labels: Vec::new(),
            related: Vec::new(),
        }
    }

    /// A diagnostic with a snippet of the span's file and a primary label on the span.
    fn at(report: &Report, severity: Severity, message: String, span: Span, label: &str) -> Diag {
        let file = report.sources.get(span.file);
        Diag {
            source: Some(NamedSource::new(file.display(), file.text.clone())),
            labels: vec![labeled(report, span, label, true)],
            ..Diag::new(severity, message)
        }
    }
}

impl fmt::Display for Diag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Diag {}

impl Diagnostic for Diag {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.code
            .as_ref()
            .map(|c| Box::new(c) as Box<dyn fmt::Display>)
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.as_ref().map(|s| s as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.labels.is_empty() {
            None
        } else {
            Some(Box::new(self.labels.iter().cloned()))
        }
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        if self.related.is_empty() {
            None
        } else {
            Some(Box::new(self.related.iter().map(|d| d as &dyn Diagnostic)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::testutil;

    fn opts() -> RenderOptions {
        RenderOptions {
            width: 100,
            ..RenderOptions::default()
        }
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(render(&testutil::report(), &opts()));
    }

    #[test]
    fn snapshot_with_unknown_and_suppressed() {
        let opts = RenderOptions {
            show_unknown: true,
            show_suppressed: true,
            ..opts()
        };
        insta::assert_snapshot!(render(&testutil::report(), &opts));
    }

    #[test]
    fn colour_only_when_asked() {
        let report = testutil::report();
        assert!(!render(&report, &opts()).contains('\u{1b}'));
        let coloured = RenderOptions {
            color: true,
            ..opts()
        };
        assert!(render(&report, &coloured).contains('\u{1b}'));
    }

    #[test]
    fn lines_fit_the_width() {
        let report = testutil::report();
        for width in [60, 100] {
            let out = render(&report, &RenderOptions { width, ..opts() });
            // Snippets show source lines as they are; messages and help must wrap.
            let prose = out.lines().filter(|l| {
                let t = l.trim_start();
                ["×", "⚠", "☞", "help:"].iter().any(|p| t.starts_with(p)) || l.starts_with("  │ ")
            });
            let mut count = 0;
            for line in prose {
                count += 1;
                assert!(line.chars().count() <= width, "{width}: {line:?}");
            }
            assert!(count > report.findings.len(), "{out}");
        }
        // A width too small for miette still renders.
        let tiny = render(&report, &RenderOptions { width: 0, ..opts() });
        assert!(tiny.contains("ACR001"));
    }

    #[test]
    fn related_location_in_another_file_shows_its_own_snippet() {
        let out = render(&testutil::report(), &opts());
        assert!(out.contains("[endpoint.tf:7:5]"), "{out}");
        assert!(out.contains("a private endpoint targets this registry"));
    }

    #[test]
    fn summary_counts_everything() {
        let report = testutil::report();
        let shown = RenderOptions {
            show_unknown: true,
            show_suppressed: true,
            ..opts()
        };
        assert_eq!(
            summary(&report, &shown),
            "5 findings (2 high, 1 medium, 1 low, 1 info) in 4 files; 2 errors; 1 warning; 1 undetermined; 1 suppressed"
        );
        assert_eq!(
            summary(&report, &opts()),
            "5 findings (2 high, 1 medium, 1 low, 1 info) in 4 files; 2 errors; 1 warning; 1 undetermined (--show-unknown lists them); 1 suppressed (--show-suppressed lists them)"
        );
        let empty = Report {
            files: 1,
            ..Report::default()
        };
        assert_eq!(summary(&empty, &opts()), "No findings in 1 file");
    }

    #[test]
    fn stale_spans_are_clamped() {
        let report = testutil::report();
        let mut f = report.findings[0].clone();
        f.primary.span.start = 10_000;
        f.primary.span.end = 20_000;
        let mut out = String::new();
        let handler = GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor());
        assert!(handler
            .render_report(&mut out, &finding(&report, &f))
            .is_ok());
    }
}
