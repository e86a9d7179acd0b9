//! `dot`: the chain of each registry that has findings, as one Graphviz graph with a cluster per
//! registry. The same graph as the Mermaid diagrams of `markdown` (`diagram` says what each node
//! and edge shows).

use std::fmt::Write;

use super::diagram::{self, Style, RED};
use crate::report::Report;

pub fn render(report: &Report) -> String {
    let mut out = String::from("digraph acrlint {\n  rankdir=LR;\n  node [shape=box];\n");
    for (c, chain) in report.chains.iter().enumerate() {
        let _ = writeln!(out, "  subgraph cluster_{c} {{");
        let _ = writeln!(out, "    label={};", quote(&chain.registry().title));
        for (i, node) in chain.nodes.iter().enumerate() {
            let label: Vec<String> = diagram::node_lines(node)
                .iter()
                .map(|l| escape(&diagram::one_line(l)))
                .collect();
            let style = match diagram::style(node) {
                Style::Plain => String::new(),
                Style::Finding => format!(", color=\"{RED}\", penwidth=2"),
                Style::Missing => format!(", style=dashed, color=\"{RED}\", fontcolor=\"{RED}\""),
                Style::External => ", style=dashed".to_string(),
                Style::Unknown => ", style=\"dashed,filled\", fillcolor=\"#eeeeee\"".to_string(),
            };
            let _ = writeln!(
                out,
                "    c{c}_n{i} [label=\"{}\"{style}];",
                label.join("\\n")
            );
        }
        for edge in &chain.edges {
            let mut attrs = Vec::new();
            if edge.missing {
                attrs.push("style=dashed".to_string());
            }
            if diagram::broken(edge) {
                attrs.push(format!("color=\"{RED}\", fontcolor=\"{RED}\""));
                attrs.push(format!("label={}", quote(&diagram::edge_label(edge))));
            }
            let attrs = if attrs.is_empty() {
                String::new()
            } else {
                format!(" [{}]", attrs.join(", "))
            };
            let _ = writeln!(out, "    c{c}_n{} -> c{c}_n{}{attrs};", edge.from, edge.to);
        }
        out.push_str("  }\n");
    }
    out.push_str("}\n");
    out
}

/// A DOT double-quoted string.
fn quote(text: &str) -> String {
    format!("\"{}\"", escape(&diagram::one_line(text)))
}

/// Escape for a DOT double-quoted string: only `"` and `\` are special (a backslash would start an
/// escape such as `\n` or `\N` in a label).
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '"' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_and_backslashes_are_escaped() {
        assert_eq!(escape(r#"a "b" \N"#), r#"a \"b\" \\N"#);
        assert_eq!(quote("x\ny"), "\"x y\"");
    }
}
