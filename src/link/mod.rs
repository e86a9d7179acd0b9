//! Linking: resolve the references between model objects into a graph, format-free.
//! registry ◄─ private endpoint ─► zone group ─► private DNS zone ◄─ VNet link ─► VNet ◄─ subnet
//!
//! A reference resolves to an object of the model (which may itself be a data source or an
//! `existing` resource: in scope for linking, but not created here), or stays external with what
//! its text tells (a literal id names its type and its last segment names the resource).

use crate::model::ids::{normalize, ResourceId};
use crate::model::{DnsZone, Field, LinkRef, Meta, Model, Registry, Subnet, Vnet};
use crate::source::Span;
use crate::value::Unknown;

/// Where a reference points.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Target {
    /// An object of the model, by index into its list.
    InScope(usize),
    /// Outside the scope: a normalised resource id, or the Terraform address referenced.
    External(String),
    Unknown(Unknown, Span),
    /// Not given at all.
    #[default]
    Missing,
}

#[derive(Clone, Debug, Default)]
pub struct EndpointLinks {
    /// The registry the endpoint targets, when it is one of the model (possibly a data source).
    pub registry: Option<usize>,
    /// The endpoint's target is known to be a registry (in the model or by its id).
    pub targets_registry: bool,
    /// A registry endpoint: it targets a registry, or its target is unknown and its subresource
    /// is `registry`.
    pub is_registry_endpoint: bool,
    /// Parallel to the endpoint's connections: whether each targets a registry.
    pub connection_is_registry: Vec<bool>,
    /// The target registry's name, when known (from the model or the last segment of its id).
    pub registry_name: Option<String>,
    /// Zones of its zone groups: target, the zone name when known, and the span of the zone id.
    pub zones: Vec<ZoneUse>,
    /// The VNet of the endpoint's subnet.
    pub vnet: Target,
}

#[derive(Clone, Debug)]
pub struct ZoneUse {
    pub target: Target,
    pub name: Option<String>,
    pub span: Span,
}

#[derive(Clone, Debug, Default)]
pub struct Graph {
    /// Parallel to `model.endpoints`.
    pub endpoints: Vec<EndpointLinks>,
    /// Parallel to `model.zones`: the VNet links of each zone, with the VNet each points at.
    pub zone_links: Vec<Vec<(usize, Target)>>,
    /// Parallel to `model.zones`: the A records in each zone.
    pub zone_records: Vec<Vec<usize>>,
}

impl Graph {
    /// Endpoints whose target is the registry `index`.
    pub fn endpoints_of(&self, registry: usize) -> impl Iterator<Item = usize> + '_ {
        self.endpoints
            .iter()
            .enumerate()
            .filter(move |(_, e)| e.registry == Some(registry))
            .map(|(i, _)| i)
    }
}

const REGISTRY_TYPE: &str = "Microsoft.ContainerRegistry/registries";

pub fn link(model: &Model) -> Graph {
    let endpoints = model
        .endpoints
        .iter()
        .map(|e| {
            let mut links = EndpointLinks::default();
            let mut target_unknown = e.connections.is_empty();
            for c in &e.connections {
                let is_registry = match resolve(&c.target, &model.registries) {
                    Target::InScope(i) => {
                        links.registry.get_or_insert(i);
                        if links.registry_name.is_none() {
                            links.registry_name = name(&model.registries[i]).map(str::to_string);
                        }
                        true
                    }
                    Target::External(id) => match ResourceId::parse(&id) {
                        Some(p) if p.is_type(REGISTRY_TYPE) => {
                            links.registry_name.get_or_insert(p.name().to_string());
                            true
                        }
                        _ => false,
                    },
                    Target::Unknown(..) | Target::Missing => {
                        target_unknown = true;
                        false
                    }
                };
                links.targets_registry |= is_registry;
                links.connection_is_registry.push(is_registry);
            }
            let names_registry = e.connections.iter().any(|c| {
                c.subresources
                    .value()
                    .is_some_and(|s| s.iter().any(|g| g.eq_ignore_ascii_case("registry")))
            });
            links.is_registry_endpoint =
                links.targets_registry || (target_unknown && names_registry);
            links.zones = e
                .zone_groups
                .iter()
                .flat_map(|g| &g.zones)
                .map(|z| {
                    let target = resolve(z, &model.zones);
                    let name = match (&target, z) {
                        (Target::InScope(i), _) => known(&model.zones[*i].name).map(str::to_string),
                        (_, LinkRef::Id(id, _)) => {
                            ResourceId::parse(id).map(|p| p.name().to_string())
                        }
                        _ => None,
                    };
                    ZoneUse {
                        target,
                        name,
                        span: z.span().unwrap_or(e.meta.header),
                    }
                })
                .collect();
            links.vnet = endpoint_vnet(model, &e.subnet);
            links
        })
        .collect();

    let mut zone_links = vec![Vec::new(); model.zones.len()];
    for (i, l) in model.vnet_links.iter().enumerate() {
        if let Target::InScope(z) = resolve_zone(model, &l.zone, &l.zone_rg) {
            zone_links[z].push((i, resolve(&l.vnet, &model.vnets)));
        }
    }
    let mut zone_records = vec![Vec::new(); model.zones.len()];
    for (i, a) in model.a_records.iter().enumerate() {
        if let Target::InScope(z) = resolve_zone(model, &a.zone, &a.zone_rg) {
            zone_records[z].push(i);
        }
    }
    Graph {
        endpoints,
        zone_links,
        zone_records,
    }
}

fn known(f: &Field<String>) -> Option<&str> {
    f.value().map(String::as_str)
}

/// A model object that references can point at.
trait Linkable {
    /// The ARM type of the objects, for matching literal ids.
    const ARM_TYPE: &'static str;
    fn meta(&self) -> &Meta;
    fn name_field(&self) -> &Field<String>;
    /// The resource group, when the model knows it.
    fn resource_group(&self) -> Option<&str> {
        None
    }
}

macro_rules! linkable {
    ($($t:ty => $arm:literal $(, $rg:ident)?);* $(;)?) => {$(
        impl Linkable for $t {
            const ARM_TYPE: &'static str = $arm;
            fn meta(&self) -> &Meta {
                &self.meta
            }
            fn name_field(&self) -> &Field<String> {
                &self.name
            }
            $(fn resource_group(&self) -> Option<&str> {
                known(&self.$rg)
            })?
        }
    )*};
}
linkable! {
    Registry => "Microsoft.ContainerRegistry/registries";
    DnsZone => "Microsoft.Network/privateDnsZones", resource_group;
    Vnet => "Microsoft.Network/virtualNetworks", resource_group;
    Subnet => "Microsoft.Network/virtualNetworks/subnets";
}

fn meta<T: Linkable>(t: &T) -> &Meta {
    t.meta()
}

fn name<T: Linkable>(t: &T) -> Option<&str> {
    known(t.name_field())
}

/// Resolve a reference among `items`: by Terraform address, by resource id, or by name.
fn resolve<T: Linkable>(link: &LinkRef, items: &[T]) -> Target {
    match link {
        LinkRef::Ref(r, _) => items
            .iter()
            .position(|t| meta(t).tf_addr.as_deref() == Some(r.addr.as_str()))
            .map_or_else(|| Target::External(r.addr.clone()), Target::InScope),
        LinkRef::Id(id, _) => {
            let id = normalize(id);
            items
                .iter()
                .position(|t| meta(t).arm_id.as_deref() == Some(id.as_str()))
                .or_else(|| {
                    // A literal id of a top-level resource that Terraform manages cannot match by
                    // id (Terraform ids are only known after apply): match it by type and name,
                    // and by resource group where both are known, when exactly one object fits.
                    let parsed = ResourceId::parse(&id)?;
                    if !parsed.is_type(T::ARM_TYPE) || parsed.names.len() != 1 {
                        return None;
                    }
                    unique(items, |t| {
                        let same_rg = match (t.resource_group(), parsed.resource_group.as_deref()) {
                            (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
                            _ => true,
                        };
                        meta(t).arm_id.is_none()
                            && same_rg
                            && name(t).is_some_and(|n| n.eq_ignore_ascii_case(parsed.name()))
                    })
                })
                .map_or(Target::External(id), Target::InScope)
        }
        LinkRef::Name(n, _) => items
            .iter()
            .position(|t| name(t).is_some_and(|x| x.eq_ignore_ascii_case(n)))
            .map_or_else(|| Target::External(n.clone()), Target::InScope),
        LinkRef::Unknown(u, span) => Target::Unknown(u.clone(), *span),
        LinkRef::Absent => Target::Missing,
    }
}

fn unique<T>(items: &[T], pred: impl Fn(&T) -> bool) -> Option<usize> {
    let mut found = items.iter().enumerate().filter(|(_, t)| pred(t));
    let first = found.next()?.0;
    found.next().is_none().then_some(first)
}

/// A zone referenced by id, reference, or (azurerm ≤ 4) by name within a resource group.
fn resolve_zone(model: &Model, zone: &LinkRef, rg: &Field<String>) -> Target {
    if let LinkRef::Name(name, _) = zone {
        let same_rg = |z: &crate::model::DnsZone| match (rg.value(), z.resource_group.value()) {
            (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
            _ => true,
        };
        return model
            .zones
            .iter()
            .position(|z| {
                known(&z.name).is_some_and(|n| n.eq_ignore_ascii_case(name)) && same_rg(z)
            })
            .map_or_else(|| Target::External(name.clone()), Target::InScope);
    }
    resolve(zone, &model.zones)
}

/// The VNet of an endpoint's subnet: through a subnet resource, a VNet's inline subnet, or the
/// VNet part of a subnet id.
fn endpoint_vnet(model: &Model, subnet: &LinkRef) -> Target {
    match resolve(subnet, &model.subnets) {
        Target::InScope(s) => resolve(&model.subnets[s].vnet, &model.vnets),
        Target::External(_) => match subnet {
            // `azurerm_virtual_network.x.subnet[...]`: an inline subnet of a VNet in scope.
            LinkRef::Ref(r, span) => {
                let vnet = LinkRef::Ref(r.clone(), *span);
                resolve(&vnet, &model.vnets)
            }
            LinkRef::Id(id, span) => match ResourceId::parent_id(id) {
                Some(parent)
                    if ResourceId::parse(id).is_some_and(|p| {
                        p.is_type("Microsoft.Network/virtualNetworks/subnets")
                    }) =>
                {
                    resolve(&LinkRef::Id(parent.to_string(), *span), &model.vnets)
                }
                _ => Target::External(normalize(id)),
            },
            LinkRef::Name(n, span) => Target::Unknown(
                Unknown::new(n.clone(), "does not name a subnet acrlint can follow"),
                *span,
            ),
            LinkRef::Unknown(u, span) => Target::Unknown(u.clone(), *span),
            LinkRef::Absent => Target::Missing,
        },
        other => other,
    }
}

#[cfg(test)]
mod tests;
