//! The chain of each registry that has findings, from the linked model: plain data
//! ([`crate::chain`]) that renderers draw without knowing rules or formats.
//!
//! Structure comes from the graph: the endpoints that target the registry, their zone groups and
//! zones, the zones' VNet links and VNets, and each endpoint's subnet and VNet. Findings are
//! placed by the resource they are about (its header) and the attribute they name, which is the
//! same for every input format: a finding about an endpoint's `private_dns_zone_group` is drawn as
//! a missing zone group, one about a zone's `virtual_network_link` as a missing edge from the zone
//! to the VNet of the endpoint its related locations name, one about the zone ids of a zone group
//! on the edge to the zone its primary location is, one about the subresources on the edge from
//! the registry; any other is a mark on its resource's node. Nothing is guessed: a value or a
//! target that depends on input nobody gave is an unknown node or fact.

use rustc_hash::FxHashMap;

use super::{EndpointLinks, Graph, Target};
use crate::chain::{Chain, Edge, Fact, FactValue, FindingKey, Mark, Node, NodeKind, Presence};
use crate::diagnostic::Finding;
use crate::model::ids::ResourceId;
use crate::model::{Field, LinkRef, Meta, Model, Str};
use crate::source::Span;
use crate::symbolic;

/// Attributes of findings that are drawn as edges (see the module documentation).
const ZONE_GROUP: &str = "private_dns_zone_group";
const ZONE_IDS: &str = "private_dns_zone_group.private_dns_zone_ids";
const SUBRESOURCES: &str = "private_service_connection.subresource_names";
const VNET_LINK: &str = "virtual_network_link";

/// The chains of the registries (in the model or only referenced by endpoints) that some finding
/// is about, in model order.
pub fn build(model: &Model, graph: &Graph, findings: &[Finding]) -> Vec<Chain> {
    if findings.is_empty() {
        return Vec::new();
    }
    let endpoint_headers: Vec<Span> = model.endpoints.iter().map(|e| e.meta.header).collect();
    let mut roots: Vec<(Root, Vec<usize>)> = (0..model.registries.len())
        .map(|r| (Root::InScope(r), graph.endpoints_of(r).collect()))
        .collect();
    // Registry endpoints whose registry is not one of the model: grouped by the registry's name
    // when its id tells it, and together when nothing does.
    for (e, links) in graph.endpoints.iter().enumerate() {
        if links.registry.is_some() || !(links.targets_registry || links.is_registry_endpoint) {
            continue;
        }
        let root = match &links.registry_name {
            Some(name) => Root::Named(symbolic::display(name).into_owned()),
            None => Root::Unknown,
        };
        match roots.iter_mut().find(|(r, _)| *r == root) {
            Some((_, list)) => list.push(e),
            None => roots.push((root, vec![e])),
        }
    }
    roots
        .into_iter()
        .filter_map(|(root, endpoints)| {
            let mut b = Builder {
                model,
                graph,
                findings,
                endpoint_headers: &endpoint_headers,
                chain_endpoints: endpoints.iter().map(|&e| endpoint_headers[e]).collect(),
                nodes: Vec::new(),
                edges: Vec::new(),
                keys: FxHashMap::default(),
                drawn: Vec::new(),
            };
            b.registry(&root);
            for &e in &endpoints {
                b.endpoint(e);
            }
            b.finish()
        })
        .collect()
}

#[derive(Clone, Debug, PartialEq)]
enum Root {
    InScope(usize),
    /// Known by its id only.
    Named(String),
    Unknown,
}

/// What a node stands for, so that a resource reached twice is one node.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Key {
    Registry,
    Endpoint(usize),
    ZoneGroup(usize, usize),
    Zone(usize),
    ExternalZone(String),
    Link(usize),
    Vnet(usize),
    ExternalVnet(String),
    Subnet(usize),
    /// The subnet of endpoint `e` when it is not a subnet resource of the model.
    SubnetOf(usize),
    /// A node that depends on an input: kind and what it depends on.
    Unknown(NodeKind, String),
    /// A node that a finding says is missing, for one endpoint.
    Missing(NodeKind, usize),
}

struct Builder<'a, 'm> {
    model: &'a Model<'m>,
    graph: &'a Graph<'a>,
    findings: &'a [Finding],
    endpoint_headers: &'a [Span],
    /// The headers of this chain's endpoints.
    chain_endpoints: Vec<Span>,
    nodes: Vec<Node>,
    edges: Vec<Edge>,
    keys: FxHashMap<Key, usize>,
    /// Findings drawn on an edge (not marks on their resource's node).
    drawn: Vec<usize>,
}

impl Builder<'_, '_> {
    fn node(&mut self, key: Key, make: impl FnOnce() -> Node) -> (usize, bool) {
        if let Some(&i) = self.keys.get(&key) {
            return (i, false);
        }
        self.nodes.push(make());
        let i = self.nodes.len() - 1;
        self.keys.insert(key, i);
        (i, true)
    }

    fn edge(&mut self, from: usize, to: usize) -> usize {
        match self.edges.iter().position(|e| e.from == from && e.to == to) {
            Some(i) => i,
            None => {
                self.edges.push(Edge {
                    from,
                    to,
                    marks: Vec::new(),
                    missing: false,
                });
                self.edges.len() - 1
            }
        }
    }

    /// Findings about the resource whose header is `header` with attribute `attribute`.
    fn findings_on(&self, header: Span, attribute: &str) -> Vec<usize> {
        (self.findings.iter().enumerate())
            .filter(|(_, f)| f.header == header && f.attribute == attribute)
            .map(|(i, _)| i)
            .collect()
    }

    fn mark(&mut self, finding: usize, text: &'static str) -> Mark {
        self.drawn.push(finding);
        let f = &self.findings[finding];
        Mark {
            rule: f.rule,
            text,
            finding: FindingKey::of(f),
        }
    }

    fn registry(&mut self, root: &Root) {
        let node = match root {
            Root::InScope(r) => {
                let reg = &self.model.registries[*r];
                let mut node = resource_node(NodeKind::Registry, &reg.meta);
                node.facts = vec![fact("name", &reg.name, |n| {
                    symbolic::display(n).into_owned()
                })];
                // A data source or `existing` registry is configured elsewhere: its settings
                // here would be defaults, not what it has.
                if reg.meta.managed {
                    node.facts
                        .push(fact("SKU", &reg.sku, |s| s.name().to_string()));
                    node.facts.push(fact(
                        "public network access",
                        &reg.public_network_access,
                        |&b| if b { "enabled" } else { "disabled" }.to_string(),
                    ));
                }
                node
            }
            Root::Named(name) => Node {
                kind: NodeKind::Registry,
                title: name.clone(),
                presence: Presence::External,
                facts: Vec::new(),
                marks: Vec::new(),
                span: None,
            },
            Root::Unknown => Node {
                kind: NodeKind::Registry,
                title: "a registry that is not known".into(),
                presence: Presence::Unknown,
                facts: Vec::new(),
                marks: Vec::new(),
                span: None,
            },
        };
        self.node(Key::Registry, || node);
    }

    fn endpoint(&mut self, e: usize) {
        let model = self.model;
        let graph = self.graph;
        let endpoint = &model.endpoints[e];
        let links = &graph.endpoints[e];
        let (pe, _) = self.node(Key::Endpoint(e), || {
            resource_node(NodeKind::Endpoint, &endpoint.meta)
        });
        let to_pe = self.edge(0, pe);
        for f in self.findings_on(endpoint.meta.header, SUBRESOURCES) {
            let mark = self.mark(f, "wrong subresource");
            self.edges[to_pe].marks.push(mark);
        }
        if self.nodes[0].presence == Presence::Unknown {
            if let Some((u, _)) = &links.unknown_registry {
                let value = FactValue::Unknown(symbolic::display(&u.depends_on).into_owned());
                if !self.nodes[0].facts.iter().any(|f| f.value == value) {
                    self.nodes[0].facts.push(Fact {
                        name: "target",
                        value,
                    });
                }
            }
        }
        self.zone_groups(e, pe, links);
        self.subnet(e, pe, links);
    }

    fn zone_groups(&mut self, e: usize, pe: usize, links: &EndpointLinks) {
        let endpoint = &self.model.endpoints[e];
        let header = endpoint.meta.header;
        let groups = match &endpoint.zone_groups {
            Field::Unknown(u, _) => {
                let depends = symbolic::display(&u.depends_on).into_owned();
                let (g, _) = self.node(Key::Unknown(NodeKind::ZoneGroup, depends.clone()), || {
                    unknown_node(NodeKind::ZoneGroup, "zone groups", depends)
                });
                self.edge(pe, g);
                return;
            }
            Field::Known(groups, _) | Field::Default(groups, _) => groups,
        };
        if groups.is_empty() {
            for f in self.findings_on(header, ZONE_GROUP) {
                let (g, _) = self.node(Key::Missing(NodeKind::ZoneGroup, e), || Node {
                    kind: NodeKind::ZoneGroup,
                    title: "no DNS zone group".into(),
                    presence: Presence::Missing,
                    facts: Vec::new(),
                    marks: Vec::new(),
                    span: None,
                });
                let edge = self.edge(pe, g);
                self.edges[edge].missing = true;
                let mark = self.mark(f, "no zone group");
                self.edges[edge].marks.push(mark);
            }
            self.record_zones(pe, header);
        }
        let wrong_zone = self.findings_on(header, ZONE_IDS);
        let mut uses = links.zones.iter();
        for (gi, group) in groups.iter().enumerate() {
            let (g, _) = self.node(Key::ZoneGroup(e, gi), || {
                let name = group.body.get("name").and_then(|n| n.value.as_str());
                // A Terraform zone group is a block of the endpoint: it has the endpoint's address.
                let title = if group.addr == endpoint.meta.addr {
                    format!(
                        "{}: {}",
                        group.addr,
                        name.unwrap_or("private_dns_zone_group")
                    )
                } else {
                    group.addr.to_string()
                };
                Node {
                    kind: NodeKind::ZoneGroup,
                    title: symbolic::display(&title).into_owned(),
                    presence: if endpoint.meta.managed {
                        Presence::Created
                    } else {
                        Presence::External
                    },
                    facts: Vec::new(),
                    marks: Vec::new(),
                    span: Some(group.span),
                }
            });
            self.edge(pe, g);
            for _ in &group.zones {
                let Some(zone_use) = uses.next() else { break };
                let Some((z, new)) = self.zone(&zone_use.target, &zone_use.name) else {
                    continue;
                };
                let edge = self.edge(g, z);
                if let Some(model_zone) = new {
                    self.zone_links(model_zone, z);
                }
                for &f in &wrong_zone {
                    if self.findings[f].primary.span == zone_use.span {
                        let mark = self.mark(f, "wrong zone");
                        self.edges[edge].marks.push(mark);
                    }
                }
            }
        }
    }

    /// The zones an endpoint without zone groups (node `pe`, at `header`) uses through manual
    /// A records, as the findings that a zone is not linked for it say: an edge to each, and the
    /// zone's links.
    fn record_zones(&mut self, pe: usize, header: Span) {
        for z in 0..self.model.zones.len() {
            let zone_header = self.model.zones[z].meta.header;
            let names_endpoint = (self.findings_on(zone_header, VNET_LINK).iter())
                .any(|&f| self.findings[f].related.iter().any(|l| l.span == header));
            if !names_endpoint {
                continue;
            }
            if let Some((n, new)) = self.zone(&Target::InScope(z), &Ok("")) {
                self.edge(pe, n);
                if let Some(model_zone) = new {
                    self.zone_links(model_zone, n);
                }
            }
        }
    }

    /// The node of a zone of a zone group, and the zone of the model it is when it was not drawn
    /// yet (its links are drawn then, after the edge to it).
    fn zone(
        &mut self,
        target: &Target,
        name: &Result<&str, (crate::value::Unknown, Span)>,
    ) -> Option<(usize, Option<usize>)> {
        let model = self.model;
        match target {
            Target::InScope(z) => {
                let zone = &model.zones[*z];
                let (n, new) = self.node(Key::Zone(*z), || {
                    let mut node = resource_node(NodeKind::Zone, &zone.meta);
                    node.facts = vec![fact("name", &zone.name, |n| {
                        symbolic::display(n).into_owned()
                    })];
                    node
                });
                Some((n, new.then_some(*z)))
            }
            Target::External(id) => {
                let title = match name {
                    Ok(name) => symbolic::display(name).into_owned(),
                    Err(_) => id_title(id),
                };
                let (n, _) = self.node(Key::ExternalZone(id.to_string()), || {
                    external_node(NodeKind::Zone, title)
                });
                Some((n, None))
            }
            Target::Unknown(u, _) => {
                let depends = symbolic::display(&u.depends_on).into_owned();
                // The zone is not known, its name may be (written in an id made of inputs).
                let title = name
                    .as_ref()
                    .ok()
                    .map(|n| symbolic::display(n).into_owned());
                let key = match &title {
                    Some(t) => format!("{depends} {t}"),
                    None => depends.clone(),
                };
                let (n, _) = self.node(Key::Unknown(NodeKind::Zone, key), || {
                    let mut node = unknown_node(NodeKind::Zone, "zone", depends);
                    node.title = title.unwrap_or(node.title);
                    node
                });
                Some((n, None))
            }
            Target::Missing => None,
        }
    }

    /// The VNet links of zone `z` (drawn as node `n`) and their VNets.
    fn zone_links(&mut self, z: usize, n: usize) {
        let model = self.model;
        for (l, vnet) in &self.graph.zone_links[z] {
            let link = &model.vnet_links[*l];
            let (ln, _) = self.node(Key::Link(*l), || {
                resource_node(NodeKind::VnetLink, &link.meta)
            });
            self.edge(n, ln);
            if let Some(v) = self.vnet(vnet) {
                self.edge(ln, v);
            }
        }
        self.missing_links(z, n);
    }

    /// Findings that zone `z` is not linked where an endpoint of this chain needs it: an edge
    /// from the zone to that VNet, drawn missing.
    fn missing_links(&mut self, z: usize, zone_node: usize) {
        let model = self.model;
        for f in self.findings_on(model.zones[z].meta.header, VNET_LINK) {
            let related: Vec<Span> = self.findings[f].related.iter().map(|l| l.span).collect();
            // The endpoints it is about, among this chain's; none: not this chain's finding.
            let endpoints: Vec<usize> = (0..model.endpoints.len())
                .filter(|&e| {
                    related.contains(&self.endpoint_headers[e])
                        && self.chain_endpoints.contains(&self.endpoint_headers[e])
                })
                .collect();
            if endpoints.is_empty() {
                continue;
            }
            let named_vnet =
                (0..model.vnets.len()).find(|&v| related.contains(&model.vnets[v].meta.header));
            let mut targets = Vec::new();
            match named_vnet {
                Some(v) => targets.extend(self.vnet(&Target::InScope(v))),
                None => {
                    for &e in &endpoints {
                        let vnet = &self.graph.endpoints[e].vnet;
                        let node = match self.vnet(vnet) {
                            Some(n) => n,
                            None => {
                                self.node(Key::Missing(NodeKind::Vnet, e), || Node {
                                    kind: NodeKind::Vnet,
                                    title: "the private endpoint's VNet".into(),
                                    presence: Presence::Missing,
                                    facts: Vec::new(),
                                    marks: Vec::new(),
                                    span: None,
                                })
                                .0
                            }
                        };
                        targets.push(node);
                    }
                }
            }
            for to in targets {
                let edge = self.edge(zone_node, to);
                self.edges[edge].missing = true;
                let mark = self.mark(f, "no link");
                self.edges[edge].marks.push(mark);
            }
        }
    }

    fn vnet(&mut self, target: &Target) -> Option<usize> {
        let model = self.model;
        Some(match target {
            Target::InScope(v) => {
                let vnet = &model.vnets[*v];
                self.node(Key::Vnet(*v), || {
                    let mut node = resource_node(NodeKind::Vnet, &vnet.meta);
                    node.facts = vec![fact("name", &vnet.name, |n| {
                        symbolic::display(n).into_owned()
                    })];
                    match &vnet.dns_servers {
                        _ if !vnet.meta.managed => {}
                        Field::Known(servers, _) if !servers.is_empty() => node.facts.push(Fact {
                            name: "DNS servers",
                            value: FactValue::Known(
                                servers
                                    .iter()
                                    .map(|s| symbolic::display(s))
                                    .collect::<Vec<_>>()
                                    .join(", "),
                            ),
                        }),
                        Field::Unknown(u, _) => node.facts.push(Fact {
                            name: "DNS servers",
                            value: FactValue::Unknown(
                                symbolic::display(&u.depends_on).into_owned(),
                            ),
                        }),
                        _ => {}
                    }
                    node
                })
                .0
            }
            Target::External(id) => {
                let title = id_title(id);
                self.node(Key::ExternalVnet(id.to_string()), || {
                    external_node(NodeKind::Vnet, title)
                })
                .0
            }
            Target::Unknown(u, _) => {
                let depends = symbolic::display(&u.depends_on).into_owned();
                self.node(Key::Unknown(NodeKind::Vnet, depends.clone()), || {
                    unknown_node(NodeKind::Vnet, "VNet", depends)
                })
                .0
            }
            Target::Missing => return None,
        })
    }

    fn subnet(&mut self, e: usize, pe: usize, links: &EndpointLinks) {
        let model = self.model;
        let endpoint = &model.endpoints[e];
        let subnet = match (links.subnet, &endpoint.subnet) {
            (Some(s), _) => {
                let subnet = &model.subnets[s];
                Some(self.node(Key::Subnet(s), || {
                    let mut node = resource_node(NodeKind::Subnet, &subnet.meta);
                    node.facts = vec![fact("name", &subnet.name, |n| {
                        symbolic::display(n).into_owned()
                    })];
                    node
                }))
            }
            (None, LinkRef::Ref(r, _)) => {
                // `azurerm_virtual_network.x.subnet[...]`: an inline subnet of a VNet.
                let title = format!("{}.{}", r.addr, r.attr.join("."));
                Some(self.node(Key::SubnetOf(e), || {
                    let mut node = external_node(NodeKind::Subnet, title);
                    if let Target::InScope(_) = links.vnet {
                        node.presence = Presence::Created;
                    }
                    node
                }))
            }
            // A subnet id, or `"${azurerm_virtual_network.x.id}/subnets/pe"` of a VNet here.
            (None, LinkRef::Id(id, _)) | (None, LinkRef::Name(id, _))
                if matches!(links.vnet, Target::InScope(_))
                    || matches!(endpoint.subnet, LinkRef::Id(..)) =>
            {
                let name = id
                    .trim_end_matches('/')
                    .rsplit('/')
                    .next()
                    .unwrap_or_default();
                let title = symbolic::display(name).into_owned();
                // A subnet declared inline in a VNet of the model is created here.
                let inline = match links.vnet {
                    Target::InScope(v) => (model.vnets[v].inline_subnets.iter())
                        .find(|(n, _)| n.eq_ignore_ascii_case(&title))
                        .map(|(_, span)| *span),
                    _ => None,
                };
                Some(self.node(Key::SubnetOf(e), || {
                    let mut node = external_node(NodeKind::Subnet, title);
                    if let Some(span) = inline {
                        node.presence = Presence::Created;
                        node.span = Some(span);
                    }
                    node
                }))
            }
            (None, LinkRef::Name(n, _) | LinkRef::Id(n, _)) => {
                let title = symbolic::display(n).into_owned();
                Some(self.node(Key::SubnetOf(e), || external_node(NodeKind::Subnet, title)))
            }
            (None, LinkRef::Unknown(u, _)) => {
                let depends = symbolic::display(&u.depends_on).into_owned();
                Some(
                    self.node(Key::Unknown(NodeKind::Subnet, depends.clone()), || {
                        unknown_node(NodeKind::Subnet, "subnet", depends)
                    }),
                )
            }
            (None, LinkRef::Parent(..) | LinkRef::Absent) => None,
        };
        let Some((s, _)) = subnet else { return };
        self.edge(pe, s);
        if let Some(v) = self.vnet(&links.vnet) {
            self.edge(s, v);
        }
    }

    /// Marks on nodes for the findings not drawn on an edge, and the chain's findings; `None`
    /// when no finding is about the chain.
    fn finish(mut self) -> Option<Chain> {
        let chain_resources: Vec<Span> = self.nodes.iter().filter_map(|n| n.span).collect();
        let mut keys = Vec::new();
        for (i, f) in self.findings.iter().enumerate() {
            let drawn = self.drawn.contains(&i);
            if !drawn && !chain_resources.contains(&f.header) {
                continue;
            }
            // A finding about a shared resource (a zone) that names endpoints is about theirs.
            let names_endpoints = f
                .related
                .iter()
                .any(|l| self.endpoint_headers.contains(&l.span));
            let names_ours = f
                .related
                .iter()
                .any(|l| self.chain_endpoints.contains(&l.span));
            let ours = drawn
                || Some(f.header) == self.nodes[0].span
                || self.chain_endpoints.contains(&f.header)
                || !names_endpoints
                || names_ours;
            if !ours {
                continue;
            }
            keys.push(FindingKey::of(f));
            if !drawn {
                let mark = Mark {
                    rule: f.rule,
                    text: "",
                    finding: FindingKey::of(f),
                };
                if let Some(node) = self.nodes.iter_mut().find(|n| n.span == Some(f.header)) {
                    node.marks.push(mark);
                }
            }
        }
        if keys.is_empty() {
            return None;
        }
        Some(Chain {
            nodes: self.nodes,
            edges: self.edges,
            findings: keys,
        })
    }
}

fn resource_node(kind: NodeKind, meta: &Meta) -> Node {
    Node {
        kind,
        title: symbolic::display(meta.addr).into_owned(),
        presence: if meta.managed {
            Presence::Created
        } else {
            Presence::External
        },
        facts: Vec::new(),
        marks: Vec::new(),
        span: Some(meta.header),
    }
}

fn external_node(kind: NodeKind, title: String) -> Node {
    Node {
        kind,
        title,
        presence: Presence::External,
        facts: Vec::new(),
        marks: Vec::new(),
        span: None,
    }
}

/// A node whose resource depends on input nobody gave: `what` depends on `depends`.
fn unknown_node(kind: NodeKind, what: &'static str, depends: String) -> Node {
    Node {
        kind,
        title: format!("{what}: unknown"),
        presence: Presence::Unknown,
        facts: vec![Fact {
            name: "depends on",
            value: FactValue::Known(depends),
        }],
        marks: Vec::new(),
        span: None,
    }
}

fn fact<T>(name: &'static str, field: &Field<T>, show: impl Fn(&T) -> String) -> Fact {
    Fact {
        name,
        value: match field {
            Field::Known(v, _) => FactValue::Known(show(v)),
            Field::Default(v, _) => FactValue::Default(show(v)),
            Field::Unknown(u, _) => {
                FactValue::Unknown(symbolic::display(&u.depends_on).into_owned())
            }
        },
    }
}

/// How a resource known only by its id is named: the name it ends with.
fn id_title(id: &Str) -> String {
    let name = ResourceId::parse(id).map_or(id.as_ref(), |p| p.name());
    symbolic::display(name).into_owned()
}
