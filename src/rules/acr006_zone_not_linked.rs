//! ACR006 private-dns-zone-not-linked: the registry zone is not linked to the endpoint's VNet.

use super::{Ctx, Rule};
use crate::diagnostic::Label;
use crate::link::Target;
use crate::model::{is_registry_zone, Field, Vnet};
use crate::source::Span;
use crate::value::Unknown;

pub struct ZoneNotLinked;

/// The link to add from zone `z` to VNet `v`: after the zone's last link in the zone's file (or
/// after the zone), named after the VNet (the fix writes it where the syntax and the resources
/// allow).
fn link_fix(cx: &Ctx, z: usize, v: usize, named: &[usize]) -> Option<crate::fix::Intent> {
    if !cx.fixes() {
        return None;
    }
    let zone = &cx.model.zones[z];
    let vnet = &cx.model.vnets[v];
    let after = cx.graph.zone_links[z]
        .iter()
        .map(|(l, _)| cx.model.vnet_links[*l].meta.header)
        .filter(|h| h.file == zone.meta.header.file)
        .max_by_key(|h| h.start)
        .unwrap_or(zone.meta.header);
    let vnet_name = vnet
        .name
        .value()
        .filter(|n| !crate::symbolic::is_symbolic(n))
        .map(|n| n.to_string());
    cx.fix_add(
        after,
        &format!("link the zone to {}", vnet_addr(cx, v, named, true)),
        crate::fix::Setting::VnetLink {
            zone: cx.declared(&zone.meta),
            vnet: cx.declared(&vnet.meta),
            vnet_name,
            links: cx.model.vnet_links.iter().map(|l| cx.declared(&l.meta)).collect(),
            taken: (cx.graph.zone_links[z].iter())
                .filter_map(|(l, _)| cx.model.vnet_links[*l].name.value())
                .map(|n| n.to_string())
                .collect(),
        },
    )
}

/// How a message names VNet `v`: by its address (in backticks when `quoted`), with its
/// resource group when another VNet the message names (`named`) has the same address
/// (`vnet-app` in two groups: ARM and Bicep addresses are type and name).
fn vnet_addr(cx: &Ctx, v: usize, named: &[usize], quoted: bool) -> String {
    let vnets = &cx.model.vnets;
    let addr = vnets[v].meta.addr;
    let addr_text = match quoted {
        true => format!("`{addr}`"),
        false => addr.to_string(),
    };
    let alike = (named.iter()).any(|&o| o != v && vnets[o].meta.addr.eq_ignore_ascii_case(addr));
    match (alike, vnets[v].resource_group.value()) {
        (true, Some(group)) => format!("{addr_text} (resource group `{}`)", crate::symbolic::display(group)),
        _ => addr_text,
    }
}

impl Rule for ZoneNotLinked {
    fn check(&self, cx: &mut Ctx) {
        for (z, zone) in cx.model.zones.iter().enumerate() {
            // A zone whose name is unknown is judged too, for the endpoints whose zone group
            // uses it: if it is the registry zone it must be linked, and if it is not, it is the
            // wrong zone (ACR005); either way, an endpoint's VNet that it is not linked to does
            // not resolve the registry privately.
            let zone_name = match &zone.name {
                Field::Unknown(u, _) => Err(u),
                f => Ok(f.value().map_or("", |n| n.as_ref())),
            };
            if !zone.meta.managed || zone_name.is_ok_and(|n| !is_registry_zone(n)) {
                continue;
            }
            let links = &cx.graph.zone_links[z];
            // A module or deployment that is not read and receives the zone may link it.
            let unread = cx.model.unread_receiving(&zone.meta, &zone.name);
            // VNets already reported for this zone, so two endpoints in one VNet give one finding.
            let mut reported: Vec<&Target> = Vec::new();
            for (e, endpoint) in cx.model.endpoints.iter().enumerate() {
                let el = &cx.graph.endpoints[e];
                if !endpoint.meta.managed || (!el.is_registry_endpoint && el.maybe_registry.is_none()) {
                    continue;
                }
                // What is unknown about whether this endpoint needs the zone linked: decided
                // last, so that a zone that is linked anyway needs no input.
                let unknown = match self.uses(cx, e, z) {
                    Use::No => continue,
                    Use::Maybe(u, span) => Some(("whether the private endpoint uses the zone", u, span)),
                    Use::Yes if el.is_registry_endpoint => None,
                    Use::Yes => el.maybe_registry.as_ref().map(|(u, span)| ("whether the private endpoint targets a registry", u, *span)),
                };
                let linked = links.iter().any(|(_, t)| t.same(&el.vnet));
                // The VNets a finding names: the endpoint's and those the zone is linked to.
                let named: Vec<usize> = (links.iter().map(|(_, t)| t))
                    .chain([&el.vnet])
                    .filter_map(|t| match t {
                        Target::InScope(v) => Some(*v),
                        _ => None,
                    })
                    .collect();
                // A link whose VNet is unknown may be the link to the endpoint's VNet.
                let unknown_link = links.iter().find_map(|(_, t)| match t {
                    Target::Unknown(u, span) => Some((u, *span)),
                    _ => None,
                });
                if let (false, Some((u, span))) = (linked, unknown_link) {
                    cx.undetermined(&zone.meta, "the VNet of the zone's virtual network link", u, span);
                    continue;
                }
                // A link whose zone is unknown may be this zone's link to the endpoint's VNet.
                let any_zone_link = cx.graph.unknown_zone_links.iter().find(|(_, t, _, _)| {
                    *t == el.vnet || !matches!(t, Target::InScope(_)) || !matches!(el.vnet, Target::InScope(_))
                });
                if let (false, Some((_, _, u, span))) = (linked, any_zone_link) {
                    cx.undetermined(&zone.meta, "the zone of a virtual network link", u, *span);
                    continue;
                }
                if let (false, Some(n)) = (linked, unread) {
                    cx.undetermined(&zone.meta, "whether a module or deployment that acrlint cannot read links the zone", &n.unknown, n.span);
                    continue;
                }
                // The zone has no link at all, and the endpoint's VNet resolves through custom
                // DNS servers: no resolver can reach the zone, wherever it is (and a link to the
                // endpoint's VNet would not be used).
                let mut custom_dns = false;
                let vnet_label = match &el.vnet {
                    Target::InScope(v) => {
                        let vnet = &cx.model.vnets[*v];
                        match &vnet.custom_dns {
                            // Custom DNS forwards resolution elsewhere: whether it reaches this
                            // zone is decided outside the configuration, when the zone is linked
                            // to some VNet (a private zone answers only the VNets linked to it).
                            Field::Known(true, _) if !links.is_empty() => continue,
                            Field::Known(true, _) => {
                                // A link whose zone is unknown, to any VNet, may be its link.
                                if let Some((_, _, u, span)) = cx.graph.unknown_zone_links.first() {
                                    cx.undetermined(&zone.meta, "the zone of a virtual network link", u, *span);
                                    continue;
                                }
                                custom_dns = true;
                                Some(Label::new(vnet.meta.header, format!("VNet {} uses custom DNS servers: the resolver they forward to must be in a VNet linked to the zone", vnet_addr(cx, *v, &named, false))))
                            }
                            // Linked, it passes with or without custom DNS.
                            _ if linked => continue,
                            Field::Unknown(u, span) if !links.is_empty() => {
                                // Named by inputs nobody gave, the zone's VNet may be this one
                                // (which says more than its DNS servers).
                                match maybe_same_vnet(&cx.model.vnets, *v, links) {
                                    Some((u, span)) => cx.undetermined(&zone.meta, "the VNet of the zone's virtual network link", u, span),
                                    None => cx.undetermined(&zone.meta, "the DNS servers of the endpoint's VNet", u, *span),
                                }
                                continue;
                            }
                            _ => {
                                // Named by inputs nobody gave, the zone's VNet may be this one.
                                if let Some((u, span)) = maybe_same_vnet(&cx.model.vnets, *v, links) {
                                    cx.undetermined(&zone.meta, "the VNet of the zone's virtual network link", u, span);
                                    continue;
                                }
                                Some(Label::new(vnet.meta.header, format!("VNet {} has no link to the zone", vnet_addr(cx, *v, &named, false))))
                            }
                        }
                    }
                    // The VNet is not in scope or not known: fire only when the zone has no link at all.
                    Target::External(_) | Target::Unknown(..) if linked => continue,
                    // An unknown VNet may be one the zone is linked to.
                    Target::Unknown(u, span) if !links.is_empty() => {
                        cx.undetermined(&zone.meta, "the VNet of the private endpoint's subnet", u, *span);
                        continue;
                    }
                    _ if !links.is_empty() => continue,
                    _ => None,
                };
                if reported.contains(&&el.vnet) && !matches!(el.vnet, Target::Unknown(..) | Target::Missing) {
                    continue;
                }
                if let Some((what, u, span)) = unknown {
                    cx.undetermined(&zone.meta, what, u, span);
                    continue;
                }
                reported.push(&el.vnet);
                let no_link_anywhere = custom_dns || vnet_label.is_none();
                let where_ = match (&vnet_label, &el.vnet) {
                    _ if no_link_anywhere => "any virtual network".to_string(),
                    (_, Target::InScope(v)) => format!("VNet {}", vnet_addr(cx, *v, &named, false)),
                    _ => "the endpoint's VNet".to_string(),
                };
                let mut related = vec![Label::new(endpoint.meta.header, format!("private endpoint {} uses this zone", endpoint.meta.addr))];
                related.extend(vnet_label);
                // The links the zone has, to other VNets: the lines to change.
                let (others, link_labels) = self.existing_links(cx, links, &named);
                related.extend(link_labels);
                related.extend(cx.target_registry_label(e));
                let message = match zone_name {
                    Ok(name) if no_link_anywhere => format!("private DNS zone `{name}` is not linked to any virtual network: no DNS resolver reaches it, so clients resolve the registry to its public address instead of the private endpoint"),
                    Ok(name) => format!("private DNS zone `{name}` is not linked to {where_}{others}: clients there resolve the registry to its public address instead of the private endpoint"),
                    Err(u) => format!(
                        "private DNS zone {}, whose name depends on {}, is not linked to {where_}{others}: whatever its name, clients there do not resolve the registry to the private endpoint",
                        zone.meta.addr,
                        crate::symbolic::display(&u.depends_on)
                    ),
                };
                let fix = match &el.vnet {
                    Target::InScope(v) if !custom_dns => link_fix(cx, z, *v, &named),
                    _ => None,
                };
                if let Some(f) = cx.report(&zone.meta, "virtual_network_link", Label::new(zone.meta.header, message), related) {
                    f.fix_intent = fix;
                }
            }
        }
    }
}

/// Whether an endpoint uses a zone.
enum Use<'g> {
    Yes,
    No,
    /// A zone of its zone groups is unknown (or the groups are), or a record of the zone is named
    /// by a value not known: it may be this one.
    Maybe(&'g Unknown, Span),
}

impl ZoneNotLinked {
    /// What a message says of the links a zone has (none of them to the VNet it needs):
    /// ``, only to `a` and `b` `` (empty without links), and a related label at each link's VNet,
    /// the value to change.
    fn existing_links(&self, cx: &Ctx, links: &[(usize, Target)], named: &[usize]) -> (String, Vec<Label>) {
        let vnets: Vec<String> = links.iter().map(|(_, t)| self.vnet_name(cx, t, named)).collect();
        let labels = links
            .iter()
            .zip(&vnets)
            .map(|((l, _), vnet)| {
                let link = &cx.model.vnet_links[*l];
                let message = match links.len() {
                    1 => format!("the zone's only link goes to {vnet}, here"),
                    _ => format!("a link of the zone goes to {vnet}, here"),
                };
                Label::new(link.vnet.span().unwrap_or(link.meta.header), message)
            })
            .collect();
        let others = match vnets.split_last() {
            None => String::new(),
            Some((last, [])) => format!(", only to {last}"),
            Some((last, rest)) => format!(", only to {} and {last}", rest.join(", ")),
        };
        (others, labels)
    }

    /// How a message names the VNet a link points at.
    fn vnet_name(&self, cx: &Ctx, target: &Target, named: &[usize]) -> String {
        match target {
            Target::InScope(v) => vnet_addr(cx, *v, named, true),
            Target::External(id) => match crate::model::ids::ResourceId::parse(id) {
                Some(parsed) => format!("`{}` (not in this configuration)", parsed.name()),
                None => format!("`{id}` (not in this configuration)"),
            },
            Target::Unknown(u, _) => format!("a VNet that depends on {}", crate::symbolic::display(&u.depends_on)),
            Target::Missing => "no VNet (its virtual network is not set)".to_string(),
        }
    }

    /// Does endpoint `e` use zone `z`, through its zone group or through manual records?
    fn uses<'g>(&self, cx: &Ctx<'g>, e: usize, z: usize) -> Use<'g> {
        let el = &cx.graph.endpoints[e];
        if el.zones.iter().any(|u| u.target == Target::InScope(z)) {
            return Use::Yes;
        }
        if let Some((u, span)) = el.zones.iter().find_map(|u| match &u.target {
            Target::Unknown(u, span) => Some((u, *span)),
            _ => None,
        }) {
            return Use::Maybe(u, span);
        }
        let endpoint = &cx.model.endpoints[e];
        let no_groups = matches!(&endpoint.zone_groups, Field::Known(g, _) | Field::Default(g, _) if g.is_empty());
        if !no_groups {
            return Use::No;
        }
        // Manual records: one named after the registry is the endpoint's, and so is one made
        // from the endpoint itself. Any other record of unknown name may be one of its records.
        let mut maybe = None;
        let registry = |n: &str| el.registry_name.as_deref().is_some_and(|r| n.eq_ignore_ascii_case(r));
        for &a in &cx.graph.zone_records[z] {
            let name = &cx.model.a_records[a].name;
            match name {
                _ if crate::model::named(name).is_some_and(registry) => return Use::Yes,
                _ if cx.graph.record_endpoints[a] == Some(e) => return Use::Yes,
                Field::Unknown(u, span) => maybe = maybe.or(Some((u, *span))),
                _ => {}
            }
        }
        match maybe {
            Some((u, span)) => Use::Maybe(u, span),
            None => Use::No,
        }
    }
}

/// When the endpoint's VNet `v` is named by an input nobody gave, the unknown name of a VNet the
/// zone is linked to that is named so too: the two declarations (two `existing` references, say)
/// may be one network, as their names may be one text.
fn maybe_same_vnet<'c>(vnets: &'c [Vnet], v: usize, links: &[(usize, Target)]) -> Option<(&'c Unknown, Span)> {
    let unknown_name = |v: usize| match &vnets[v].name {
        Field::Unknown(u, span) => Some((u, *span)),
        _ => None,
    };
    unknown_name(v)?;
    links.iter().find_map(|(_, t)| match t {
        Target::InScope(w) if *w != v => unknown_name(*w),
        _ => None,
    })
}
