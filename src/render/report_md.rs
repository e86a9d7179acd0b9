//! `markdown`: a report for people, to post as a pull request comment or append to
//! `$GITHUB_STEP_SUMMARY`. A one-line verdict, a table of findings, one section per registry that
//! has findings with a Mermaid diagram of its chain, then undetermined and suppressed results in
//! collapsed blocks. The output depends only on the report (sorted, no timestamps), so a bot can
//! update its comment only when it changed. (`markdown.rs` is the terminal renderer of rule docs.)

use std::fmt::Write;

use super::diagram::{self, Style, RED};
use super::{findings_phrase, locate, plural};
use crate::chain::Chain;
use crate::report::Report;
use crate::source::Span;

/// The first line of every report: a bot finds its earlier comment by it.
pub const MARKER: &str = "<!-- acrlint report -->";

pub fn render(report: &Report) -> String {
    let mut out = format!("{MARKER}\n{}\n", verdict(report));
    if !report.findings.is_empty() {
        out.push_str(
            "\n| Severity | Rule | Resource | Location | Message |\n|---|---|---|---|---|\n",
        );
        for f in &report.findings {
            let _ = writeln!(
                out,
                "| {} | {} {} | {} | {} | {} |",
                f.severity,
                f.rule,
                code(f.name),
                code(&f.resource),
                link(report, f.primary.span),
                text(&f.message)
            );
        }
    }
    if !report.errors.is_empty() || !report.warnings.is_empty() {
        out.push_str("\n**Not analysed**\n\n");
        for e in &report.errors {
            let at = match e.span {
                Some(span) => link(report, span),
                None => text(&report.sources.get(e.file).display().replace('\\', "/")),
            };
            let _ = writeln!(out, "- {at}: error: {}", text(&e.message));
        }
        for w in &report.warnings {
            let _ = writeln!(out, "- {}: warning: {}", text(&w.path), text(&w.message));
        }
    }
    for chain in &report.chains {
        section(&mut out, report, chain);
    }
    if !report.undetermined.is_empty() {
        let _ = write!(
            out,
            "\n<details><summary>{} (a value depends on input nobody gave)</summary>\n\n\
             | Rule | Resource | Location | Why |\n|---|---|---|---|\n",
            plural(report.undetermined.len(), "undetermined result")
        );
        for u in &report.undetermined {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                u.rule,
                code(&u.resource),
                link(report, u.span),
                text(&u.message)
            );
        }
        out.push_str("\n</details>\n");
    }
    if !report.suppressed.is_empty() {
        let _ = write!(
            out,
            "\n<details><summary>{}</summary>\n\n\
             | Rule | Resource | Location | Message | Suppressed by |\n|---|---|---|---|---|\n",
            plural(report.suppressed.len(), "suppressed finding")
        );
        for s in &report.suppressed {
            let f = &s.finding;
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                f.rule,
                code(&f.resource),
                link(report, f.primary.span),
                text(&f.message),
                text(&s.reason)
            );
        }
        out.push_str("\n</details>\n");
    }
    out
}

/// `**acrlint: 6 findings** (4 high, 2 medium) in 7 files, 30 resources; 1 error`.
fn verdict(report: &Report) -> String {
    let scope = format!(
        "in {}, {}",
        plural(report.files, "file"),
        plural(report.resources, "resource")
    );
    let mut line = if report.findings.is_empty() {
        format!("**acrlint: no findings** {scope}")
    } else {
        format!("**acrlint: {}** {scope}", findings_phrase(&report.findings))
    };
    if !report.errors.is_empty() {
        let _ = write!(line, "; {}", plural(report.errors.len(), "error"));
    }
    if !report.warnings.is_empty() {
        let _ = write!(line, "; {}", plural(report.warnings.len(), "warning"));
    }
    if !report.undetermined.is_empty() {
        let _ = write!(line, "; {} undetermined", report.undetermined.len());
    }
    if !report.suppressed.is_empty() {
        let _ = write!(line, "; {} suppressed", report.suppressed.len());
    }
    line
}

/// A registry's section: heading, where it is declared, and its diagram.
fn section(out: &mut String, report: &Report, chain: &Chain) {
    let registry = chain.registry();
    let _ = writeln!(out, "\n### Registry {}\n", code(&registry.title));
    if let Some(span) = registry.span {
        let _ = writeln!(out, "Declared at {}.\n", link(report, span));
    }
    out.push_str(&mermaid(chain));
}

/// The chain as a Mermaid `flowchart LR` in a fenced block.
pub(super) fn mermaid(chain: &Chain) -> String {
    let mut out = String::from("```mermaid\nflowchart LR\n");
    let mut classes: Vec<(&str, Vec<String>)> = vec![
        ("finding", Vec::new()),
        ("missing", Vec::new()),
        ("external", Vec::new()),
        ("unknown", Vec::new()),
    ];
    for (i, node) in chain.nodes.iter().enumerate() {
        let lines: Vec<String> = diagram::node_lines(node)
            .iter()
            .map(|l| escape(&diagram::one_line(l)))
            .collect();
        let _ = writeln!(out, "  n{i}[\"{}\"]", lines.join("<br/>"));
        let class = match diagram::style(node) {
            Style::Plain => None,
            Style::Finding => Some(0),
            Style::Missing => Some(1),
            Style::External => Some(2),
            Style::Unknown => Some(3),
        };
        if let Some(c) = class {
            classes[c].1.push(format!("n{i}"));
        }
    }
    let mut red = Vec::new();
    for (i, edge) in chain.edges.iter().enumerate() {
        let arrow = if edge.missing { "-.->" } else { "-->" };
        let label = diagram::edge_label(edge);
        if diagram::broken(edge) {
            red.push(i.to_string());
        }
        if label.is_empty() {
            let _ = writeln!(out, "  n{} {arrow} n{}", edge.from, edge.to);
        } else {
            let label = escape(&diagram::one_line(&label));
            let _ = writeln!(out, "  n{} {arrow}|\"{label}\"| n{}", edge.from, edge.to);
        }
    }
    let _ = writeln!(out, "  classDef finding stroke:{RED},stroke-width:3px");
    let _ = writeln!(
        out,
        "  classDef missing stroke:{RED},stroke-dasharray:5 5,color:{RED}"
    );
    out.push_str("  classDef external stroke-dasharray:5 5\n");
    out.push_str("  classDef unknown fill:#eeeeee,stroke:#888888,stroke-dasharray:2 2\n");
    for (class, nodes) in &classes {
        if !nodes.is_empty() {
            let _ = writeln!(out, "  class {} {class}", nodes.join(","));
        }
    }
    if !red.is_empty() {
        let _ = writeln!(
            out,
            "  linkStyle {} stroke:{RED},color:{RED}",
            red.join(",")
        );
    }
    out.push_str("```\n");
    out
}

/// Escape text for a quoted Mermaid label: characters Mermaid or HTML would read become entity
/// codes (`#quot;`, `#35;`), which Mermaid turns back into the characters.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '#' => out.push_str("#35;"),
            '"' => out.push_str("#quot;"),
            '&' => out.push_str("#amp;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '`' => out.push_str("#96;"),
            '|' => out.push_str("#124;"),
            c => out.push(c),
        }
    }
    out
}

/// `[path:line](path#Lline)`: a link relative to where acrlint ran (the repository root in CI).
fn link(report: &Report, span: Span) -> String {
    let loc = locate(report, span);
    let path = loc.path.replace('\\', "/");
    let line = loc.pos.start_line;
    format!("[{}:{line}]({}#L{line})", text(&path), url_path(&path))
}

/// A path in a link target: every byte but unreserved characters and `/` percent-encoded.
fn url_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'/' | b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// Text in a table cell, shown as written: Markdown punctuation escaped, HTML characters as
/// entities, on one line.
fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' | '#' | '!' | '$' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A code span in a table cell: fenced with more backticks than the text holds, `|` escaped (the
/// table would split there otherwise), on one line.
fn code(s: &str) -> String {
    let s = diagram::one_line(s).replace('|', "\\|");
    let mut longest = 0;
    let mut run = 0;
    for c in s.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    if longest > 0 || s.starts_with(' ') || s.ends_with(' ') {
        format!("{fence} {s} {fence}")
    } else {
        format!("{fence}{s}{fence}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Errors, files not analysed, undetermined and suppressed results, on a report without chains
    /// (the chains are snapshotted end to end in `tests/report.rs`).
    #[test]
    fn snapshot_of_everything_but_chains() {
        let out = render(&super::super::testutil::report());
        assert!(out.starts_with(MARKER));
        assert!(out.contains("<details><summary>1 suppressed finding</summary>"));
        insta::assert_snapshot!(out);
    }

    #[test]
    fn mermaid_labels_hold_any_text() {
        assert_eq!(
            escape(r#"a["b"]<c>&#d`|"#),
            "a[#quot;b#quot;]#lt;c#gt;#amp;#35;d#96;#124;"
        );
    }

    #[test]
    fn cells_and_code_spans_keep_the_table_whole() {
        assert_eq!(text("a|b_c <d>\n"), r"a\|b\_c &lt;d&gt; ");
        assert_eq!(code("x.y"), "`x.y`");
        assert_eq!(code("a`b|c"), r"`` a`b\|c ``");
        assert_eq!(url_path("dir name/ä.tf"), "dir%20name/%C3%A4.tf");
    }
}
