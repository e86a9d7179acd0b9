//! `compact`: one gcc-style line per finding, `path:line:col: severity: message [RULE]`, which
//! editors and problem matchers parse. What is not a finding never carries a severity word:
//! undetermined results are `note:` lines, suppressed findings `suppressed:`, files not analysed
//! `warning:` without a position, so the README's matchers pick up findings only.

use std::fmt::Write;

use super::{locate, Messages, RenderOptions};
use crate::report::Report;

pub fn render(report: &Report, opts: &RenderOptions) -> String {
    let mut out = String::new();
    let messages = Messages::new(report);
    for f in &report.findings {
        let at = position(report, f.primary.span);
        let _ = writeln!(
            out,
            "{at}: {}: {} [{}]",
            f.severity,
            one_line(&messages.of(f.primary.span, f.rule, &f.message, &f.resource)),
            f.rule
        );
    }
    for e in &report.errors {
        let at = match e.span {
            Some(span) => position(report, span),
            None => report.sources.get(e.file).display().to_string(),
        };
        let _ = writeln!(out, "{at}: error: {}", one_line(&e.message));
    }
    for w in &report.warnings {
        let _ = writeln!(out, "{}: warning: {}", w.path, one_line(&w.message));
    }
    if opts.show_unknown {
        for u in &report.undetermined {
            let at = position(report, u.span);
            let message = messages.of(u.span, u.rule, &u.message, &u.resource);
            let _ = writeln!(out, "{at}: note: {} [{}]", one_line(&message), u.rule);
        }
    }
    if opts.show_suppressed {
        for s in &report.suppressed {
            let f = &s.finding;
            let at = position(report, f.primary.span);
            let _ = writeln!(
                out,
                "{at}: suppressed: {} [{}] ({})",
                one_line(&f.message),
                f.rule,
                one_line(&s.reason)
            );
        }
    }
    out
}

fn position(report: &Report, span: crate::source::Span) -> String {
    let loc = locate(report, span);
    format!(
        "{}:{}:{}",
        loc.path, loc.pos.start_line, loc.pos.start_column
    )
}

/// Line-oriented consumers read one diagnostic per line, so a message never spans two.
fn one_line(text: &str) -> String {
    text.replace("\r\n", " ").replace(['\r', '\n'], " ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::testutil;

    #[test]
    fn snapshot() {
        let opts = RenderOptions::default();
        insta::assert_snapshot!(render(&testutil::report(), &opts));
    }

    #[test]
    fn snapshot_with_unknown_and_suppressed() {
        let opts = RenderOptions {
            show_unknown: true,
            show_suppressed: true,
            ..RenderOptions::default()
        };
        insta::assert_snapshot!(render(&testutil::report(), &opts));
    }

    #[test]
    fn every_finding_line_parses_back() {
        let report = testutil::report();
        let out = render(&report, &RenderOptions::default());
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(
            lines.len(),
            report.findings.len() + report.errors.len() + report.warnings.len()
        );
        for (line, f) in lines.iter().zip(&report.findings) {
            let mut parts = line.splitn(5, ": ");
            let at = parts.next().unwrap();
            let (path, rest) = at.split_once(':').unwrap();
            let (line_no, col) = rest.split_once(':').unwrap();
            let loc = locate(&report, f.primary.span);
            assert_eq!(path, loc.path);
            assert_eq!(line_no.parse::<u32>().unwrap(), loc.pos.start_line);
            assert_eq!(col.parse::<u32>().unwrap(), loc.pos.start_column);
            assert_eq!(parts.next(), Some(f.severity.as_str()));
            let tail = parts.collect::<Vec<_>>().join(": ");
            assert_eq!(tail, format!("{} [{}]", f.message, f.rule));
        }
        assert_eq!(
            lines[lines.len() - 2],
            "images/logo.tf: error: file is not valid UTF-8"
        );
        assert_eq!(
            lines.last(),
            Some(&"infra/registry.bicep: warning: not analysed: Bicep files are not read yet")
        );
    }

    #[test]
    fn messages_stay_on_one_line() {
        assert_eq!(one_line("a\nb\r\nc\rd"), "a b c d");
    }
}
