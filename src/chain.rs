//! The private networking chain of a registry, as plain data for people: registry → private
//! endpoint → DNS zone group → private DNS zone → VNet link → VNet, and endpoint → subnet → VNet.
//!
//! `link::chain` builds it from the linked model and the findings of a scope; the report carries
//! it; `--format markdown` and `--format dot` draw it. Renderers see nodes, edges and marks (a
//! rule id and a few words), never a rule's internals or a file format.

use crate::diagnostic::Finding;
use crate::source::Span;

/// The chain of one registry that has findings.
#[derive(Clone, Debug, PartialEq)]
pub struct Chain {
    /// `nodes[0]`, the registry (in the configuration, or known only by its id or not at all).
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
    /// The findings about this chain's resources (its registry, its endpoints, and the zones,
    /// links and VNets on its endpoints' path), whether or not a mark draws them.
    pub findings: Vec<FindingKey>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NodeKind {
    Registry,
    Endpoint,
    ZoneGroup,
    Zone,
    VnetLink,
    Vnet,
    Subnet,
}

impl NodeKind {
    /// What people call it, as a node's first line.
    pub fn label(self) -> &'static str {
        match self {
            NodeKind::Registry => "container registry",
            NodeKind::Endpoint => "private endpoint",
            NodeKind::ZoneGroup => "DNS zone group",
            NodeKind::Zone => "private DNS zone",
            NodeKind::VnetLink => "VNet link",
            NodeKind::Vnet => "virtual network",
            NodeKind::Subnet => "subnet",
        }
    }
}

/// Whether the resource a node stands for is there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Presence {
    /// Created by this configuration.
    Created,
    /// Referenced but not created here: a data source, an `existing` resource, a literal id.
    External,
    /// Which resource it is depends on input nobody gave.
    Unknown,
    /// Not there: what a finding says is missing (a zone group, a link).
    Missing,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub kind: NodeKind,
    /// The resource's address as findings name it, or its name when it is known only by an id;
    /// for a missing or unknown node, what it stands for ("no DNS zone group").
    pub title: String,
    pub presence: Presence,
    /// Key values, in a fixed order per kind.
    pub facts: Vec<Fact>,
    /// Findings about the resource as a whole or an attribute of it.
    pub marks: Vec<Mark>,
    /// Where it is declared, when it is in the configuration.
    pub span: Option<Span>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Fact {
    pub name: &'static str,
    pub value: FactValue,
}

#[derive(Clone, Debug, PartialEq)]
pub enum FactValue {
    /// Written in the configuration.
    Known(String),
    /// Not written; the provider or API default applies.
    Default(String),
    /// Depends on input nobody gave: what it depends on.
    Unknown(String),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Edge {
    /// Indices into `Chain::nodes`.
    pub from: usize,
    pub to: usize,
    /// Findings that say this edge is wrong or missing.
    pub marks: Vec<Mark>,
    /// The edge is what a finding says is not there (a missing zone group, a missing link).
    pub missing: bool,
}

/// A finding drawn on a node or an edge.
#[derive(Clone, Debug, PartialEq)]
pub struct Mark {
    pub rule: &'static str,
    /// A few words on an edge ("no link", "wrong zone"); empty on a node.
    pub text: &'static str,
    pub finding: FindingKey,
}

/// What identifies a finding among a run's, before and after suppression.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct FindingKey {
    pub rule: &'static str,
    pub resource: String,
    pub attribute: String,
    pub span: Span,
}

impl FindingKey {
    pub fn of(f: &Finding) -> FindingKey {
        FindingKey {
            rule: f.rule,
            resource: f.resource.clone(),
            attribute: f.attribute.clone(),
            span: f.primary.span,
        }
    }
}

impl Chain {
    /// The chain as the findings `kept` leave it (after suppression and the choice of files):
    /// marks of other findings are dropped, with the missing nodes and edges only they drew.
    /// `None` when none of its findings is kept.
    pub fn retain(mut self, kept: impl Fn(&FindingKey) -> bool) -> Option<Chain> {
        self.findings.retain(&kept);
        if self.findings.is_empty() {
            return None;
        }
        for node in &mut self.nodes {
            node.marks.retain(|m| kept(&m.finding));
        }
        for edge in &mut self.edges {
            edge.marks.retain(|m| kept(&m.finding));
        }
        self.edges.retain(|e| !e.missing || !e.marks.is_empty());
        // Missing nodes that no edge reaches any more go, and the indices of the rest follow.
        let reached: Vec<bool> = (0..self.nodes.len())
            .map(|i| {
                i == 0
                    || self.nodes[i].presence != Presence::Missing
                    || self.edges.iter().any(|e| e.to == i || e.from == i)
            })
            .collect();
        let mut new_index = Vec::with_capacity(self.nodes.len());
        let mut next = 0;
        for &keep in &reached {
            new_index.push(next);
            next += usize::from(keep);
        }
        let mut keep = reached.iter();
        self.nodes.retain(|_| *keep.next().unwrap_or(&true));
        for edge in &mut self.edges {
            edge.from = new_index[edge.from];
            edge.to = new_index[edge.to];
        }
        Some(self)
    }

    pub fn registry(&self) -> &Node {
        &self.nodes[0]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(kind: NodeKind, title: &str, presence: Presence) -> Node {
        Node {
            kind,
            title: title.into(),
            presence,
            facts: Vec::new(),
            marks: Vec::new(),
            span: None,
        }
    }

    fn key(rule: &'static str) -> FindingKey {
        FindingKey {
            rule,
            resource: "r".into(),
            attribute: String::new(),
            span: Span::new(crate::source::FileId(0), 0..1),
        }
    }

    /// registry → endpoint -ACR004-> (missing zone group); endpoint → subnet; ACR001 on the registry.
    fn chain() -> Chain {
        let mark = |rule| Mark {
            rule,
            text: "",
            finding: key(rule),
        };
        let mut registry = node(NodeKind::Registry, "acr", Presence::Created);
        registry.marks.push(mark("ACR001"));
        let edge = |from, to| Edge {
            from,
            to,
            marks: Vec::new(),
            missing: false,
        };
        let mut missing = edge(1, 2);
        missing.missing = true;
        missing.marks.push(mark("ACR004"));
        Chain {
            nodes: vec![
                registry,
                node(NodeKind::Endpoint, "pe", Presence::Created),
                node(NodeKind::ZoneGroup, "no zone group", Presence::Missing),
                node(NodeKind::Subnet, "snet", Presence::External),
            ],
            edges: vec![edge(0, 1), missing, edge(1, 3)],
            findings: vec![key("ACR001"), key("ACR004")],
        }
    }

    #[test]
    fn what_a_suppressed_finding_drew_goes_with_it() {
        let kept = chain().retain(|k| k.rule == "ACR001").expect("ACR001 kept");
        let titles: Vec<&str> = kept.nodes.iter().map(|n| n.title.as_str()).collect();
        assert_eq!(titles, ["acr", "pe", "snet"]);
        // The edge to the subnet follows its node's new index.
        let edges: Vec<(usize, usize)> = kept.edges.iter().map(|e| (e.from, e.to)).collect();
        assert_eq!(edges, [(0, 1), (1, 2)]);
        assert_eq!(kept.findings, [key("ACR001")]);

        let kept = chain().retain(|k| k.rule == "ACR004").expect("ACR004 kept");
        assert!(kept.nodes[0].marks.is_empty());
        assert_eq!(kept.nodes.len(), 4);
        assert_eq!(kept.edges[1].marks[0].rule, "ACR004");

        assert_eq!(chain().retain(|_| false), None);
    }
}
