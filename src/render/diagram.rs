//! What the chain diagrams say, shared by Mermaid (`markdown`) and Graphviz (`dot`): the lines
//! of a node's label, the text of an edge, and how each is styled. Each format escapes the text
//! its own way; ids are generated from indices, never from names, so that any name renders.

use crate::chain::{Edge, FactValue, Node, Presence};

/// How a node is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Style {
    Plain,
    /// A finding is about it.
    Finding,
    /// A finding says it is not there.
    Missing,
    /// Referenced, not created here.
    External,
    /// Which resource it is is not known.
    Unknown,
}

pub(super) fn style(node: &Node) -> Style {
    match node.presence {
        Presence::Missing => Style::Missing,
        _ if !node.marks.is_empty() => Style::Finding,
        Presence::Unknown => Style::Unknown,
        Presence::External => Style::External,
        Presence::Created => Style::Plain,
    }
}

/// The lines of a node's label, unescaped: kind, title, key values, rules.
pub(super) fn node_lines(node: &Node) -> Vec<String> {
    let kind = match node.presence {
        Presence::External => format!("{} (not created here)", node.kind.label()),
        Presence::Created | Presence::Unknown | Presence::Missing => node.kind.label().to_string(),
    };
    let mut lines = vec![kind, node.title.clone()];
    for fact in &node.facts {
        lines.push(match &fact.value {
            FactValue::Known(v) => format!("{}: {v}", fact.name),
            FactValue::Default(v) => format!("{}: {v} (default)", fact.name),
            FactValue::Unknown(d) => format!("{}: unknown (depends on {d})", fact.name),
        });
    }
    let mut rules: Vec<&str> = node.marks.iter().map(|m| m.rule).collect();
    rules.sort_unstable();
    rules.dedup();
    if !rules.is_empty() {
        lines.push(format!("⚠ {}", rules.join(", ")));
    }
    lines
}

/// An edge's label: `ACR006: no link` for each finding drawn on it; empty for a sound edge.
pub(super) fn edge_label(edge: &Edge) -> String {
    let mut marks: Vec<String> = edge
        .marks
        .iter()
        .map(|m| format!("{}: {}", m.rule, m.text))
        .collect();
    marks.sort();
    marks.dedup();
    marks.join("; ")
}

/// Whether an edge is drawn red: a finding is on it.
pub(super) fn broken(edge: &Edge) -> bool {
    !edge.marks.is_empty()
}

/// One line, for labels: control characters (line breaks included) become spaces.
pub(super) fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// The red of findings, in both formats.
pub(super) const RED: &str = "#d1242f";
