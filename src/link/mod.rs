//! Linking: resolve the references between model objects into a graph, format-free.
//! registry ◄─ private endpoint ─► zone group ─► private DNS zone ◄─ VNet link ─► VNet ◄─ subnet
//!
//! A reference resolves to an object of the model (which may itself be a data source or an
//! `existing` resource: in scope for linking, but not created here), or stays external with what
//! its text tells (a literal id names its type and its last segment names the resource).

pub mod chain;
pub mod depends;

use std::borrow::Cow;

use crate::model::ids::{same_id, ResourceId};
use crate::model::{DnsZone, Field, LinkRef, Meta, Model, Registry, Str, Subnet, Vnet};
use crate::source::Span;
use crate::symbolic::{self, is_symbolic};
use crate::value::Unknown;

/// Where a reference points.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Target<'m> {
    /// An object of the model, by index into its list.
    InScope(usize),
    /// Outside the scope: a normalised resource id, or the Terraform address referenced.
    External(Str<'m>),
    Unknown(Unknown, Span),
    /// Not given at all.
    #[default]
    Missing,
}

impl Target<'_> {
    /// Whether both point at the same thing: equal, or both unknown ids made the same way of the
    /// same input nobody gave (`.../virtualNetworks/{parameters('vnet')}`), whatever its value.
    pub fn same(&self, other: &Target) -> bool {
        match (self, other) {
            (Target::Unknown(a, _), Target::Unknown(b, _)) => {
                matches!((&a.identity, &b.identity), (Some(x), Some(y)) if same_id(x, y))
            }
            _ => self == other,
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct EndpointLinks<'m> {
    /// The registry the endpoint targets, when it is one of the model (possibly a data source).
    pub registry: Option<usize>,
    /// The endpoint's target is known to be a registry (in the model or by its id).
    pub targets_registry: bool,
    /// A registry endpoint: it targets a registry, or its target is unknown and its subresource
    /// is `registry`.
    pub is_registry_endpoint: bool,
    /// Why it is not known whether this is a registry endpoint: its connections are unknown, or
    /// their target and subresources both are. `None` when `is_registry_endpoint` is decided.
    pub maybe_registry: Option<(Unknown, Span)>,
    /// Why it may target a registry of the model that `registry` does not name: its
    /// connections, or the target of one that is or may be a registry connection, are unknown.
    pub unknown_registry: Option<(Unknown, Span)>,
    /// Parallel to the endpoint's connections: whether each targets a registry.
    pub connection_is_registry: Vec<bool>,
    /// Parallel to the endpoint's connections: why the target of each is not known (then it
    /// may be a registry), `None` when it is.
    pub connection_unknown: Vec<Option<(Unknown, Span)>>,
    /// The target registry's name, when known (from the model or the last segment of its id), or
    /// the identity of the input that names it ([`crate::model::named`]).
    pub registry_name: Option<Str<'m>>,
    /// Zones of its zone groups: target, the zone name when known, and the span of the zone id.
    /// Unknown zone groups are one unknown zone.
    pub zones: Vec<ZoneUse<'m>>,
    /// The VNet of the endpoint's subnet.
    pub vnet: Target<'m>,
    /// The endpoint's subnet, when it is a subnet resource of the model.
    pub subnet: Option<usize>,
}

#[derive(Clone, Debug)]
pub struct ZoneUse<'m> {
    pub target: Target<'m>,
    /// The zone's name, or why it is not known (an unknown zone id, a zone of the model whose
    /// name is unknown, a reference acrlint cannot follow).
    pub name: Result<&'m str, (Unknown, Span)>,
    pub span: Span,
}

#[derive(Clone, Debug, Default)]
pub struct Graph<'m> {
    /// Parallel to `model.endpoints`.
    pub endpoints: Vec<EndpointLinks<'m>>,
    /// Parallel to `model.zones`: the VNet links of each zone, with the VNet each points at.
    pub zone_links: Vec<Vec<(usize, Target<'m>)>>,
    /// Parallel to `model.zones`: the A records in each zone.
    pub zone_records: Vec<Vec<usize>>,
    /// VNet links whose zone is not known (any zone may be it): link, its VNet, and why.
    pub unknown_zone_links: Vec<(usize, Target<'m>, Unknown, Span)>,
    /// A records whose zone is not known (any zone may be it): record, and why.
    pub unknown_zone_records: Vec<(usize, Unknown, Span)>,
    /// A records in a zone of this name that is not in the model (a hub's zone, written to by
    /// name or id): record, and the zone's name.
    pub external_zone_records: Vec<(usize, Str<'m>)>,
    /// Parallel to `model.a_records`: the endpoint a record is made from, when its name is an
    /// attribute of that endpoint known only after apply (`for_each` over its
    /// `custom_dns_configs`): one of that endpoint's own records.
    pub record_endpoints: Vec<Option<usize>>,
}

impl Graph<'_> {
    /// Endpoints whose target is the registry `index`.
    pub fn endpoints_of(&self, registry: usize) -> impl Iterator<Item = usize> + '_ {
        self.endpoints
            .iter()
            .enumerate()
            .filter(move |(_, e)| e.registry == Some(registry))
            .map(|(i, _)| i)
    }

    /// Why some endpoint may target any registry of the model: the first `unknown_registry`.
    pub fn unknown_endpoint(&self) -> Option<&(Unknown, Span)> {
        self.endpoints
            .iter()
            .find_map(|e| e.unknown_registry.as_ref())
    }
}

const REGISTRY_TYPE: &str = "Microsoft.ContainerRegistry/registries";
const ZONE_TYPE: &str = "Microsoft.Network/privateDnsZones";

pub fn link<'m>(model: &'m Model<'_>) -> Graph<'m> {
    let endpoints = model
        .endpoints
        .iter()
        .map(|e| {
            let mut links = EndpointLinks::default();
            let connections = match &e.connections {
                // Unknown connections may target anything, a registry of the model included.
                Field::Unknown(u, span) => {
                    links.maybe_registry = Some((u.clone(), *span));
                    links.unknown_registry = Some((u.clone(), *span));
                    &[][..]
                }
                Field::Known(list, _) | Field::Default(list, _) => list.as_slice(),
            };
            let mut target_unknown = connections.is_empty();
            let mut unknown_target = None;
            for c in connections {
                let is_registry = match resolve(&c.target, &model.registries) {
                    Target::InScope(i) => {
                        links.registry.get_or_insert(i);
                        if links.registry_name.is_none() {
                            let named = crate::model::named(&model.registries[i].name);
                            links.registry_name = named.map(Str::Borrowed);
                        }
                        true
                    }
                    Target::External(id) => match id_name(&id, REGISTRY_TYPE) {
                        Some(n) => {
                            links.registry_name.get_or_insert(n);
                            true
                        }
                        None => false,
                    },
                    // An id of a registry that may or may not be one of the model (its name
                    // is unknown, or known only at deployment): a registry either way.
                    Target::Unknown(u, span) if registry_id(&c.target).is_some() => {
                        if let Some(n) = registry_id(&c.target) {
                            links.registry_name.get_or_insert(n);
                        }
                        links.unknown_registry.get_or_insert((u, span));
                        true
                    }
                    // An id of another type, whatever its name (`kv.id`, the Key Vault's name
                    // an input nobody gave): not a registry.
                    Target::Unknown(u, _) if of_other_type(&u) => false,
                    Target::Unknown(u, span) => {
                        target_unknown = true;
                        unknown_target.get_or_insert((u.clone(), span));
                        links.connection_unknown.push(Some((u, span)));
                        links.connection_is_registry.push(false);
                        continue;
                    }
                    Target::Missing => {
                        target_unknown = true;
                        false
                    }
                };
                links.connection_unknown.push(None);
                links.targets_registry |= is_registry;
                links.connection_is_registry.push(is_registry);
            }
            let names_registry = connections.iter().any(|c| {
                c.subresources
                    .value()
                    .is_some_and(|s| s.iter().any(|g| g.eq_ignore_ascii_case("registry")))
            });
            links.is_registry_endpoint =
                links.targets_registry || (target_unknown && names_registry);
            let subresources_unknown = connections
                .iter()
                .any(|c| matches!(c.subresources, Field::Unknown(..)));
            if !links.is_registry_endpoint && subresources_unknown {
                links.maybe_registry = unknown_target.clone();
            }
            // A registry endpoint (or maybe one, or one whose subresources name a registry's,
            // right or wrong) whose target is unknown may target any registry.
            let mentions_registry = connections.iter().any(|c| {
                c.subresources.value().is_some_and(|s| {
                    s.iter()
                        .any(|g| g.to_ascii_lowercase().contains("registry"))
                })
            });
            if links.registry.is_none()
                && links.unknown_registry.is_none()
                && (links.is_registry_endpoint
                    || links.maybe_registry.is_some()
                    || mentions_registry)
            {
                links.unknown_registry = unknown_target;
            }
            links.zones = match &e.zone_groups {
                Field::Unknown(u, span) => vec![ZoneUse {
                    target: Target::Unknown(u.clone(), *span),
                    name: Err((u.clone(), *span)),
                    span: *span,
                }],
                Field::Known(groups, _) | Field::Default(groups, _) => groups
                    .iter()
                    .flat_map(|g| &g.zones)
                    .map(|z| {
                        let target = resolve(z, &model.zones);
                        let span = z.span().unwrap_or(e.meta.header);
                        ZoneUse {
                            name: zone_name(model, z, &target, span),
                            target,
                            span,
                        }
                    })
                    .collect(),
            };
            (links.subnet, links.vnet) = endpoint_vnet(model, &e.subnet);
            links
        })
        .collect();

    let mut zone_links = vec![Vec::new(); model.zones.len()];
    let mut unknown_zone_links = Vec::new();
    for (i, l) in model.vnet_links.iter().enumerate() {
        match resolve_zone(model, &l.zone, known(&l.zone_rg)) {
            Target::InScope(z) => zone_links[z].push((i, resolve(&l.vnet, &model.vnets))),
            // A link whose zone is unknown may link any zone.
            Target::Unknown(u, span) => {
                unknown_zone_links.push((i, resolve(&l.vnet, &model.vnets), u, span))
            }
            _ => {}
        }
    }
    let mut zone_records = vec![Vec::new(); model.zones.len()];
    let mut unknown_zone_records = Vec::new();
    let mut external_zone_records = Vec::new();
    let record_endpoints = (model.a_records.iter())
        .map(|a| match &a.name {
            Field::Unknown(u, _) => model.endpoints.iter().position(|e| {
                (u.depends_on.strip_prefix(e.meta.addr)).is_some_and(|rest| rest.starts_with('.'))
            }),
            _ => None,
        })
        .collect();
    for (i, a) in model.a_records.iter().enumerate() {
        match resolve_zone(model, &a.zone, known(&a.zone_rg)) {
            Target::InScope(z) => zone_records[z].push(i),
            Target::Unknown(u, span) => unknown_zone_records.push((i, u, span)),
            Target::External(zone) => match &a.zone {
                LinkRef::Name(..) => external_zone_records.push((i, zone)),
                _ => external_zone_records.extend(id_name(&zone, ZONE_TYPE).map(|n| (i, n))),
            },
            Target::Missing => {}
        }
    }
    Graph {
        endpoints,
        zone_links,
        zone_records,
        unknown_zone_links,
        unknown_zone_records,
        external_zone_records,
        record_endpoints,
    }
}

/// The name of the zone that a zone group's zone id `z` names, or why it is not known.
fn zone_name<'m>(
    model: &'m Model<'_>,
    z: &'m LinkRef<'_>,
    target: &Target<'m>,
    span: Span,
) -> Result<&'m str, (Unknown, Span)> {
    // An id made of inputs nobody gave but whose zone name is written
    // (`/subscriptions/${var.hub}/.../privateDnsZones/privatelink.azurecr.io`): the zone is not
    // known, its name is.
    if let LinkRef::Unknown(u, _) = z {
        let parsed = u.identity.as_deref().and_then(ResourceId::parse);
        if let Some(name) = parsed
            .map(|p| p.name())
            .filter(|n| !symbolic::is_symbolic(n))
        {
            return Ok(name);
        }
    }
    match (target, z) {
        (Target::InScope(i), _) => match &model.zones[*i].name {
            Field::Known(n, _) | Field::Default(n, _) => Ok(n.as_ref()),
            Field::Unknown(u, s) => Err((u.clone(), *s)),
        },
        (Target::Unknown(u, s), _) => Err((u.clone(), *s)),
        (_, LinkRef::Id(id, _)) => ResourceId::parse(id).map(|p| p.name()).ok_or_else(|| {
            (
                Unknown::new(
                    symbolic::display(id),
                    "is not a resource id acrlint can read",
                ),
                span,
            )
        }),
        (_, LinkRef::Ref(r, _)) => Err((
            Unknown::new(
                format!("{}.{}", r.addr, r.attr.join(".")),
                "is not a DNS zone of this configuration",
            ),
            span,
        )),
        (_, LinkRef::Name(n, _)) => Ok(n.as_ref()),
        (_, LinkRef::Parent(..) | LinkRef::Unknown(..) | LinkRef::Absent) => {
            Err((Unknown::new("the zone id", "is not set"), span))
        }
    }
}

fn known<'m>(f: &'m Field<Str<'_>>) -> Option<&'m str> {
    f.value().map(|s| s.as_ref())
}

/// `id` with a trailing `/` removed and lower-cased (`ids::normalize`), borrowed when it already is.
fn normalized(id: &str) -> Str<'_> {
    let id = id.trim_end_matches('/');
    if id.bytes().any(|b| b.is_ascii_uppercase()) {
        Str::Owned(id.to_ascii_lowercase())
    } else {
        Str::Borrowed(id)
    }
}

/// The name of the resource the id `text` names, when its type is `rtype`.
fn id_name<'m>(text: &Str<'m>, rtype: &str) -> Option<Str<'m>> {
    match text {
        Str::Borrowed(t) => ResourceId::parse(t)
            .filter(|p| p.is_type(rtype))
            .map(|p| Str::Borrowed(p.name())),
        Str::Owned(t) => ResourceId::parse(t)
            .filter(|p| p.is_type(rtype))
            .map(|p| Str::Owned(p.name().to_string())),
    }
}

/// Whether an unknown connection target is the id of a resource of another type than a
/// registry: its type is written, only its name or scope is unknown.
fn of_other_type(u: &Unknown) -> bool {
    let id = u.identity.as_deref().and_then(ResourceId::parse);
    id.is_some_and(|id| id.type_is_known() && !id.is_type(REGISTRY_TYPE))
}

/// The registry name in a connection target written as a registry id.
fn registry_id<'m>(target: &'m LinkRef<'_>) -> Option<Str<'m>> {
    match target {
        LinkRef::Id(id, _) => ResourceId::parse(id)
            .filter(|p| p.is_type(REGISTRY_TYPE))
            .map(|p| Str::Borrowed(p.name())),
        _ => None,
    }
}

/// A model object that references can point at.
trait Linkable {
    /// The ARM type of the objects, for matching literal ids.
    const ARM_TYPE: &'static str;
    fn meta(&self) -> &Meta<'_>;
    fn name_field(&self) -> &Field<Str<'_>>;
    /// The resource group, when the model knows it.
    fn resource_group(&self) -> Option<&str> {
        None
    }
}

macro_rules! linkable {
    ($($t:ty => $arm:literal $(, $rg:ident)?);* $(;)?) => {$(
        impl Linkable for $t {
            const ARM_TYPE: &'static str = $arm;
            fn meta(&self) -> &Meta<'_> {
                &self.meta
            }
            fn name_field(&self) -> &Field<Str<'_>> {
                &self.name
            }
            $(fn resource_group(&self) -> Option<&str> {
                known(&self.$rg)
            })?
        }
    )*};
}
linkable! {
    Registry<'_> => "Microsoft.ContainerRegistry/registries";
    DnsZone<'_> => "Microsoft.Network/privateDnsZones", resource_group;
    Vnet<'_> => "Microsoft.Network/virtualNetworks", resource_group;
    Subnet<'_> => "Microsoft.Network/virtualNetworks/subnets";
}

fn meta<T: Linkable>(t: &T) -> &Meta<'_> {
    t.meta()
}

fn name<T: Linkable>(t: &T) -> Option<&str> {
    known(t.name_field())
}

/// Resolve a reference among `items`: by Terraform address, by resource id, or by name. An id or
/// name known only at deployment that matches none exactly but may turn out to be one of them is
/// unknown, never "another resource".
fn resolve<'m, T: Linkable>(link: &'m LinkRef<'_>, items: &[T]) -> Target<'m> {
    match link {
        LinkRef::Ref(r, span) => match find_ref(&r.addr, items) {
            Some(i) => read_back(items, i, *span),
            None => Target::External(Str::Borrowed(&r.addr)),
        },
        LinkRef::Id(id, span) => match find_id(id, items) {
            Some(i) => created_instead(items, i, |t| may_be_id(t, id), id, *span),
            None => match items.iter().find(|t| may_be_id(*t, id)) {
                Some(t) => undecided(t, id, *span),
                None => Target::External(normalized(id)),
            },
        },
        LinkRef::Name(n, span) => match find_name(n, items).or_else(|| same_choice(n, None, items))
        {
            Some(i) => created_instead(items, i, |t| may_be_named(t, n), n, *span),
            None => match items.iter().find(|t| may_be_named(*t, n)) {
                Some(t) => undecided(t, n, *span),
                None => Target::External(Str::Borrowed(n)),
            },
        },
        LinkRef::Parent(addr, _) => items
            .iter()
            .position(|t| meta(t).addr == *addr)
            .map_or(Target::Missing, Target::InScope),
        LinkRef::Unknown(u, span) => {
            match u.identity.as_deref().and_then(|id| find_input(id, items)) {
                Some(i) => Target::InScope(i),
                None => Target::Unknown(u.clone(), *span),
            }
        }
        LinkRef::Absent => Target::Missing,
    }
}

/// The item an unknown id names when both depend on the same input: an id whose name is the
/// input (`resourceId('...privateDnsZones', parameters('zone'))`) names the resource whose name
/// is that input (`[parameters('zone')]`), whatever value the input gets. A child's parent
/// ([`LinkRef`] from a `parent/child` name) is that input as a name.
fn find_input<T: Linkable>(id: &str, items: &[T]) -> Option<usize> {
    find_input_in(id, None, items)
}

/// [`find_input`], in the resource group `rg` (a zone link's) or the id's, when known: the same
/// name in another resource group is another resource.
fn find_input_in<T: Linkable>(id: &str, rg: Option<&str>, items: &[T]) -> Option<usize> {
    let (name, id_rg) = match ResourceId::parse(id) {
        Some(p) if p.is_type(T::ARM_TYPE) => (p.name(), p.resource_group),
        Some(_) => return None,
        None if !id.starts_with('/') => (id, None),
        None => return None,
    };
    let rg = rg.or(id_rg);
    let named = |t: &T| matches!(t.name_field(), Field::Unknown(u, _) if u.identity.as_deref() == Some(name));
    // The one in that group for certain; else the only one that may be (created, else any);
    // else not known.
    let maybe = |t: &T| named(t) && same_group(rg, t.resource_group()) != Some(false);
    first_created(items, |t| {
        named(t) && same_group(rg, t.resource_group()) == Some(true)
    })
    .or_else(|| unique(items, |t| meta(t).managed && maybe(t)))
    .or_else(|| unique(items, maybe))
}

/// The item named by a choice the deployment makes, written again (the zone of a `zone/link`
/// name, chosen by the cloud's name) in the resource group `rg`: its name is unknown, with that
/// choice as its identity.
fn same_choice<T: Linkable>(name: &str, rg: Option<&str>, items: &[T]) -> Option<usize> {
    is_symbolic(name)
        .then(|| find_input_in(name, rg, items))
        .flatten()
}

/// A reference that `t` may or may not be: unknown, because of `t`'s unknown name or because
/// `text` or `t` hold values known only at deployment.
fn undecided<'m, T: Linkable>(t: &T, text: &str, span: Span) -> Target<'m> {
    if let Field::Unknown(u, _) = t.name_field() {
        return Target::Unknown(u.clone(), span);
    }
    // Written out in full, the text is known: what is not is the id of `t` (an existing
    // resource in the deployment's resource group).
    let reason = match symbolic::is_symbolic(text) {
        true => "is known only at deployment time, and may or may not name a resource of this configuration".to_string(),
        false => format!(
            "may or may not be {}, whose id is known only at deployment time",
            t.meta().addr
        ),
    };
    Target::Unknown(Unknown::new(symbolic::display(text), reason), span)
}

/// `items[found]` matched by name or id; when it is not created here (an `existing` resource or
/// a data source), a created resource whose name is unknown may be the one it names.
fn created_instead<'m, T: Linkable>(
    items: &[T],
    found: usize,
    may_be: impl Fn(&T) -> bool,
    text: &str,
    span: Span,
) -> Target<'m> {
    match created_twin(items, found, may_be) {
        Some(t) => undecided(t, text, span),
        None => Target::InScope(found),
    }
}

/// When `items[found]` is not created here, a created item that `may_be` the same resource: its
/// name is unknown, or its id holds deployment-time values that may make it this one (a VNet of
/// the same name in the deployment's resource group, which may be the group named).
fn created_twin<T: Linkable>(items: &[T], found: usize, may_be: impl Fn(&T) -> bool) -> Option<&T> {
    if meta(&items[found]).managed {
        return None;
    }
    (items.iter()).find(|t| meta(*t).managed && may_be(t))
}

/// Could `t` turn out to be the resource with id `id`: either holds deployment-time values, or
/// `t`'s name is unknown?
fn may_be_id<T: Linkable>(t: &T, id: &str) -> bool {
    match meta(t).arm_id {
        Some(a) => (is_symbolic(a) || is_symbolic(id)) && symbolic::may_equal_id(a, id),
        None => ResourceId::parse(id)
            .is_some_and(|p| p.is_type(T::ARM_TYPE) && p.depth() == 1 && may_be_named(t, p.name())),
    }
}

fn may_be_named<T: Linkable>(t: &T, n: &str) -> bool {
    match t.name_field() {
        Field::Unknown(..) => true,
        f => f
            .value()
            .is_some_and(|x| (is_symbolic(x) || is_symbolic(n)) && symbolic::may_equal(x, n)),
    }
}

fn find_ref<T: Linkable>(addr: &str, items: &[T]) -> Option<usize> {
    items.iter().position(|t| meta(t).tf_addr == Some(addr))
}

/// The resource that `items[found]` reads back: a data source that names, by name and resource
/// group, the one resource of that name this configuration creates (a VNet created in a module
/// and read back in the root) is that resource. One that may name a created resource (a name or
/// resource group known only later) is unknown; anything else is itself.
fn read_back<'m, T: Linkable>(items: &[T], found: usize, span: Span) -> Target<'m> {
    let data = &items[found];
    if meta(data).managed {
        return Target::InScope(found);
    }
    // Whether `t`'s resource group is the data source's: `None` when either is not known.
    let same_rg = |t: &T| match (data.resource_group(), t.resource_group()) {
        (Some(a), Some(b)) => Some(a.eq_ignore_ascii_case(b)),
        _ => None,
    };
    let named = |t: &T, n: &str| name(t).is_some_and(|x| x.eq_ignore_ascii_case(n));
    if let Some(n) = name(data) {
        let same = |t: &T| meta(t).managed && named(t, n) && same_rg(t) == Some(true);
        if let Some(i) = unique(items, same) {
            return Target::InScope(i);
        }
    }
    // A name that is not known (`may_be_named`) may be the data source's.
    let may_be = |t: &T| {
        meta(t).managed
            && same_rg(t) != Some(false)
            && name(data).is_none_or(|n| named(t, n) || may_be_named(t, n))
    };
    let Some(t) = items.iter().find(|t| may_be(t)) else {
        return Target::InScope(found);
    };
    let why = [data.name_field(), t.name_field()]
        .into_iter()
        .find_map(|f| match f {
            Field::Unknown(u, _) => Some(u.clone()),
            _ => None,
        });
    Target::Unknown(
        why.unwrap_or_else(|| {
            Unknown::new(
                meta(data).addr,
                "reads a resource back by a resource group known only later, and may read one this configuration creates",
            )
        }),
        span,
    )
}

/// The first item that `is`, preferring one created here: an `existing` resource (or data
/// source) that names a resource this configuration creates is that resource, so links through
/// it reach the created one and its rules apply.
fn first_created<T: Linkable>(items: &[T], is: impl Fn(&T) -> bool) -> Option<usize> {
    items
        .iter()
        .position(|t| meta(t).managed && is(t))
        .or_else(|| items.iter().position(is))
}

fn find_name<T: Linkable>(n: &str, items: &[T]) -> Option<usize> {
    first_created(items, |t| {
        name(t).is_some_and(|x| x.eq_ignore_ascii_case(n))
    })
}

fn find_id<T: Linkable>(id: &str, items: &[T]) -> Option<usize> {
    first_created(items, |t| meta(t).arm_id.is_some_and(|a| same_id(a, id))).or_else(|| {
        // A literal id of a top-level resource that Terraform manages cannot match by
        // id (Terraform ids are only known after apply): match it by type and name,
        // and by resource group where both are known, when exactly one object fits.
        let parsed = ResourceId::parse(id)?;
        if !parsed.is_type(T::ARM_TYPE) || parsed.depth() != 1 {
            return None;
        }
        unique(items, |t| {
            let same_rg = match (t.resource_group(), parsed.resource_group) {
                (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
                _ => true,
            };
            meta(t).arm_id.is_none()
                && same_rg
                && name(t).is_some_and(|n| n.eq_ignore_ascii_case(parsed.name()))
        })
    })
}

fn unique<T>(items: &[T], pred: impl Fn(&T) -> bool) -> Option<usize> {
    let mut found = items.iter().enumerate().filter(|(_, t)| pred(t));
    let first = found.next()?.0;
    found.next().is_none().then_some(first)
}

/// A zone referenced by id, reference, or (azurerm ≤ 4) by name within a resource group.
/// `rg` is the group of the link or record, which is its zone's.
fn resolve_zone<'m>(model: &Model, zone: &'m LinkRef<'_>, rg: Option<&str>) -> Target<'m> {
    // A zone named by an input nobody gave, or a choice, named again: in the link's group.
    if let LinkRef::Unknown(u, span) = zone {
        let Some(id) = u.identity.as_deref() else {
            return Target::Unknown(u.clone(), *span);
        };
        // An `existing` zone named so may be a created one whose name is unknown too: which
        // zone the link's is stays open (for the link's own reason, as when the compiled
        // template leaves the existing out).
        let found = find_input_in(id, rg, &model.zones);
        return match found.filter(|&i| created_twin(&model.zones, i, |_| true).is_none()) {
            Some(i) => Target::InScope(i),
            None => Target::Unknown(u.clone(), *span),
        };
    }
    if let LinkRef::Name(name, span) = zone {
        let same_rg = |z: &DnsZone| same_group(rg, z.resource_group()) != Some(false);
        let named = |z: &DnsZone| known(&z.name).is_some_and(|n| n.eq_ignore_ascii_case(name));
        let found = first_created(&model.zones, |z| named(z) && same_rg(z))
            .or_else(|| same_choice(name, rg, &model.zones));
        let may_be = |z: &DnsZone| same_rg(z) && may_be_named(z, name);
        let span = *span;
        return match found {
            // The zone of that name in a group that only the deployment names, and the link in
            // another one (a module scoped to `resourceGroup('rg-x')`): the same zone or not.
            Some(i) => match rg.zip(model.zones[i].resource_group()) {
                Some((link, zone)) if same_group(Some(link), Some(zone)).is_none() => {
                    Target::Unknown(groups_may_differ(zone, link), span)
                }
                _ => created_instead(&model.zones, i, may_be, name, span),
            },
            None => match model.zones.iter().find(|z| may_be(z)) {
                Some(z) => undecided(z, name, span),
                None => Target::External(Str::Borrowed(name)),
            },
        };
    }
    resolve(zone, &model.zones)
}

const SUBNETS: &str = "Microsoft.Network/virtualNetworks/subnets";

/// Why a link's zone is not known: its group and the zone's may or may not be one; it depends on
/// the one a deployment term names (the zone's, when both are).
fn groups_may_differ(zone: &str, link: &str) -> Unknown {
    let shown = |g: &str| {
        symbolic::whole_term(g)
            .unwrap_or_else(|| symbolic::display(g))
            .into_owned()
    };
    let (term, whose, other, others) = match is_symbolic(zone) {
        true => (zone, "zone", link, "link"),
        false => (link, "link", zone, "zone"),
    };
    Unknown::new(
        shown(term),
        format!(
            "names the {whose}'s resource group, which may or may not be `{}`, the {others}'s",
            shown(other)
        ),
    )
}

/// Whether two resource groups are one: for the same text, yes; for texts that cannot become
/// one, no; not known when either is, or when a deployment term may make them one.
fn same_group(a: Option<&str>, b: Option<&str>) -> Option<bool> {
    let (a, b) = a.zip(b)?;
    match a.eq_ignore_ascii_case(b) {
        true => Some(true),
        false => (!symbolic::may_equal(a, b)).then_some(false),
    }
}

/// `{input}/subnets/name`: the input, an id given whole, as the VNet's id.
fn subnet_of_input(id: &str) -> Option<&str> {
    let (vnet, name) = id.rsplit_once('/')?;
    let (vnet, subnets) = vnet.rsplit_once('/')?;
    let whole = crate::symbolic::whole_term(vnet).is_some();
    (whole && subnets.eq_ignore_ascii_case("subnets") && !name.is_empty()).then_some(vnet)
}

/// `"${azurerm_virtual_network.x.id}/subnets/pe"`: a subnet of a VNet of the model, written
/// inline in it or as a subnet resource of that name.
fn subnet_of_vnet_ref<'m>(model: &'m Model<'_>, text: &str) -> Option<(Option<usize>, Target<'m>)> {
    let vnet_term = crate::symbolic::whole_term(subnet_of_input(text)?)?;
    let v = find_ref(vnet_term.strip_suffix(".id")?, &model.vnets)?;
    let name = text.rsplit('/').next()?;
    let subnet = model.subnets.iter().position(|s| {
        known(&s.name).is_some_and(|n| n.eq_ignore_ascii_case(name))
            && matches!(resolve(&s.vnet, &model.vnets), Target::InScope(x) if x == v)
    });
    Some((subnet, Target::InScope(v)))
}

/// The subnet resource of an endpoint (when it is one of the model) and the VNet of its subnet:
/// through a subnet resource, a VNet's inline subnet, or the VNet part of a subnet id.
fn endpoint_vnet<'m>(model: &'m Model<'_>, subnet: &'m LinkRef<'_>) -> (Option<usize>, Target<'m>) {
    let subnets = &model.subnets;
    // `"${azurerm_virtual_network.x.id}/subnets/pe"`, also when only the name is an input
    // nobody gave (`.../subnets/${var.name}`).
    let vnet_ref = match subnet {
        LinkRef::Name(n, _) => Some(&**n),
        LinkRef::Unknown(u, _) => u.identity.as_deref(),
        _ => None,
    };
    if let Some(found) = vnet_ref.and_then(|text| subnet_of_vnet_ref(model, text)) {
        return found;
    }
    let found = match subnet {
        LinkRef::Ref(r, _) => find_ref(&r.addr, subnets),
        LinkRef::Id(id, _) => find_id(id, subnets),
        LinkRef::Name(n, _) => find_name(n, subnets),
        LinkRef::Parent(..) => None,
        LinkRef::Unknown(u, span) => {
            // A subnet id made of an input nobody gave (`resourceId(..., parameters('vnet'),
            // 'pe')`) is in the VNet that input names: the one in scope, or, outside it, still
            // that VNet (the same input names it in a link).
            let vnet_id = u
                .identity
                .as_deref()
                .and_then(|id| match ResourceId::parse(id) {
                    Some(p) if p.is_type(SUBNETS) => ResourceId::parent_id(id).map(Cow::Borrowed),
                    Some(_) => None,
                    // A VNet id given whole (`"${var.vnet_id}/subnets/pe"`): the part before.
                    None => subnet_of_input(id).map(Cow::Borrowed).or_else(|| {
                        // A subnet id given whole: the VNet it names.
                        let whole = crate::symbolic::whole_term(id).is_some();
                        whole.then(|| Cow::Owned(crate::symbolic::vnet_of_subnet(id)))
                    }),
                });
            let vnet_id = vnet_id.as_deref();
            // Or, with only the subnet's name unknown, the VNet of the model that the rest names.
            let found = vnet_id
                .and_then(|id| find_input(id, &model.vnets).or_else(|| find_id(id, &model.vnets)));
            let target = match found {
                Some(v) => Target::InScope(v),
                None => Target::Unknown(
                    Unknown {
                        identity: vnet_id.map(Into::into),
                        ..u.clone()
                    },
                    *span,
                ),
            };
            return (None, target);
        }
        LinkRef::Absent => return (None, Target::Missing),
    };
    if let Some(s) = found {
        return (Some(s), resolve(&subnets[s].vnet, &model.vnets));
    }
    let vnet = match subnet {
        // `azurerm_virtual_network.x.subnet[...]`: an inline subnet of a VNet in scope.
        LinkRef::Ref(..) => resolve(subnet, &model.vnets),
        LinkRef::Id(id, span) => match ResourceId::parent_id(id) {
            Some(parent) if ResourceId::parse(id).is_some_and(|p| p.is_type(SUBNETS)) => {
                match find_id(parent, &model.vnets) {
                    Some(v) => {
                        created_instead(&model.vnets, v, |t| may_be_id(t, parent), parent, *span)
                    }
                    None => match model.vnets.iter().find(|t| may_be_id(*t, parent)) {
                        // A VNet whose name is unknown may be the endpoint's.
                        Some(t) => undecided(t, parent, *span),
                        None => Target::External(normalized(parent)),
                    },
                }
            }
            _ => Target::External(normalized(id)),
        },
        LinkRef::Name(n, span) => Target::Unknown(
            Unknown::new(n.as_ref(), "does not name a subnet acrlint can follow"),
            *span,
        ),
        LinkRef::Parent(..) | LinkRef::Unknown(..) | LinkRef::Absent => Target::Missing,
    };
    (None, vnet)
}

#[cfg(test)]
mod tests;
