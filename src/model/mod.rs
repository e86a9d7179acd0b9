//! The common resource model: typed, format-free views of the resources the rules reason about.
//! `build` maps Terraform and ARM attribute names onto these views; rules see nothing else.

mod build;
pub mod ids;
#[cfg(test)]
pub(crate) mod testutil;

pub use build::build;

use std::borrow::Cow;

use crate::load::Origin;
use crate::source::{FileId, Span};
use crate::value::{Node, ResourceRef, Unknown};

/// A field of a model object.
#[derive(Clone, Debug, PartialEq)]
pub enum Field<T> {
    /// Written in the configuration (span of the value).
    Known(T, Span),
    /// Absent: the provider or API default applies (span of the resource header).
    Default(T, Span),
    /// Depends on input nobody gave (span of the expression).
    Unknown(Unknown, Span),
}

impl<T> Field<T> {
    pub fn value(&self) -> Option<&T> {
        match self {
            Field::Known(v, _) | Field::Default(v, _) => Some(v),
            Field::Unknown(..) => None,
        }
    }

    pub fn span(&self) -> Span {
        match self {
            Field::Known(_, s) | Field::Default(_, s) | Field::Unknown(_, s) => *s,
        }
    }

    /// How a message states the value: "is X" when written, "defaults to X" when absent.
    pub fn stated(&self, what: &str) -> String {
        if matches!(self, Field::Default(..)) {
            format!("defaults to {what}")
        } else {
            format!("is {what}")
        }
    }

    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Field<U> {
        match self {
            Field::Known(v, s) => Field::Known(f(v), s),
            Field::Default(v, s) => Field::Default(f(v), s),
            Field::Unknown(u, s) => Field::Unknown(u, s),
        }
    }
}

/// Text of the model: borrowed from the loaded resources, owned only when it was computed
/// (a number written for a string, a decoded JSON body).
pub type Str<'a> = Cow<'a, str>;

/// How one model object points at another, before linking resolves it.
#[derive(Clone, Debug, PartialEq)]
pub enum LinkRef<'a> {
    /// Terraform reference to a resource attribute (`azurerm_container_registry.acr.id`).
    Ref(&'a ResourceRef, Span),
    /// A resource id string (ARM `resourceId()`, a literal id, a parameter value).
    Id(Str<'a>, Span),
    /// A bare resource name (azurerm ≤ 4 `private_dns_zone_name`, `virtual_network_name`).
    Name(Str<'a>, Span),
    /// The resource a nested ARM child is written in, by its address.
    Parent(&'a str, Span),
    Unknown(Unknown, Span),
    Absent,
}

impl LinkRef<'_> {
    pub fn span(&self) -> Option<Span> {
        match self {
            LinkRef::Ref(_, s)
            | LinkRef::Id(_, s)
            | LinkRef::Name(_, s)
            | LinkRef::Parent(_, s)
            | LinkRef::Unknown(_, s) => Some(*s),
            LinkRef::Absent => None,
        }
    }
}

/// Identity shared by all model objects.
#[derive(Clone, Debug)]
pub struct Meta<'a> {
    pub addr: &'a str,
    pub origin: Origin,
    pub header: Span,
    /// Terraform address (for `Ref` links) or ARM id as written (for `Id` links; compare with
    /// `ids::same_id`).
    pub tf_addr: Option<&'a str>,
    pub arm_id: Option<&'a str>,
    /// Created here (false for data sources and `existing` resources).
    pub managed: bool,
    /// Why it is not known whether it is created (unknown count, for_each, copy or condition).
    pub existence: Option<&'a Unknown>,
    /// The evaluated body, whose values' `origin`s tell which other files it depends on.
    pub body: &'a Node,
    /// The files of the module calls that create it (`load::Resource::callers`).
    pub callers: &'a [FileId],
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Sku {
    Basic,
    Standard,
    Premium,
    Other(String),
}

impl Sku {
    /// SKU names are compared case-insensitively, as azurerm (`EqualFold`) and ARM do.
    pub fn parse(s: &str) -> Sku {
        if s.eq_ignore_ascii_case("basic") {
            Sku::Basic
        } else if s.eq_ignore_ascii_case("standard") {
            Sku::Standard
        } else if s.eq_ignore_ascii_case("premium") {
            Sku::Premium
        } else {
            Sku::Other(s.to_string())
        }
    }

    pub fn name(&self) -> &str {
        match self {
            Sku::Basic => "Basic",
            Sku::Standard => "Standard",
            Sku::Premium => "Premium",
            Sku::Other(s) => s,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DefaultAction {
    Allow,
    Deny,
}

#[derive(Clone, Debug, PartialEq)]
pub struct NetworkRuleSet<'a> {
    /// Span of the block or object.
    pub span: Span,
    pub default_action: Field<DefaultAction>,
    /// IP rules (value and span); `Unknown` when the list cannot be evaluated (an expression,
    /// a `dynamic` block or a copy loop over input nobody gave), never empty for that.
    pub ip_rules: Field<Vec<(Str<'a>, Span)>>,
}

#[derive(Clone, Debug)]
pub struct Registry<'a> {
    pub meta: Meta<'a>,
    pub name: Field<Str<'a>>,
    pub location: Field<Str<'a>>,
    pub sku: Field<Sku>,
    pub public_network_access: Field<bool>,
    /// `Known(None, _)`/`Default(None, _)`: no rule set, so the default action Allow applies.
    /// `Unknown`: whether there is one is not known (an expression or a `dynamic` block).
    pub network_rule_set: Field<Option<NetworkRuleSet<'a>>>,
    pub admin_user: Field<bool>,
    pub anonymous_pull: Field<bool>,
    pub export_enabled: Field<bool>,
    pub data_endpoint: Field<bool>,
    /// The regions of its geo-replicas (each has a data endpoint of its own).
    pub replicas: Field<Vec<Field<Str<'a>>>>,
}

#[derive(Clone, Debug)]
pub struct ServiceConnection<'a> {
    pub span: Span,
    pub target: LinkRef<'a>,
    pub subresources: Field<Vec<Str<'a>>>,
}

#[derive(Clone, Debug)]
pub struct ZoneGroup<'a> {
    pub span: Span,
    pub addr: &'a str,
    /// The block or resource it is read from.
    pub body: &'a Node,
    /// Each zone id as written (Ref, Id or Unknown); a list that cannot be evaluated is one
    /// Unknown id.
    pub zones: Vec<LinkRef<'a>>,
}

#[derive(Clone, Debug)]
pub struct PrivateEndpoint<'a> {
    pub meta: Meta<'a>,
    pub name: Field<Str<'a>>,
    pub location: Field<Str<'a>>,
    pub subnet: LinkRef<'a>,
    /// `Unknown` when the connections cannot be evaluated (an expression, a `dynamic` block or
    /// a copy loop over input nobody gave): the endpoint may then target anything.
    pub connections: Field<Vec<ServiceConnection<'a>>>,
    /// Zone groups written inline (Terraform) or as separate child resources (ARM), merged.
    /// `Unknown` when a `dynamic` block leaves them open or an ARM zone group may not be
    /// created: not the same as none.
    pub zone_groups: Field<Vec<ZoneGroup<'a>>>,
}

#[derive(Clone, Debug)]
pub struct DnsZone<'a> {
    pub meta: Meta<'a>,
    pub name: Field<Str<'a>>,
    pub resource_group: Field<Str<'a>>,
}

#[derive(Clone, Debug)]
pub struct VnetLink<'a> {
    pub meta: Meta<'a>,
    /// Its name (in ARM, the child's): a link that a fix adds to the zone must not take it.
    pub name: Field<Str<'a>>,
    /// The zone, by id/reference (azurerm 5, ARM) or by name (azurerm ≤ 4, with `zone_rg`).
    pub zone: LinkRef<'a>,
    pub zone_rg: Field<Str<'a>>,
    pub vnet: LinkRef<'a>,
}

#[derive(Clone, Debug)]
pub struct Vnet<'a> {
    pub meta: Meta<'a>,
    pub name: Field<Str<'a>>,
    pub resource_group: Field<Str<'a>>,
    /// Custom DNS servers; an empty list means Azure-provided DNS.
    pub dns_servers: Field<Vec<Str<'a>>>,
    /// Whether it has custom DNS servers: a list that is not empty, whatever the addresses in it
    /// (which may be known only after apply).
    pub custom_dns: Field<bool>,
    /// Names of subnets declared inline.
    pub inline_subnets: Vec<(Str<'a>, Span)>,
}

#[derive(Clone, Debug)]
pub struct Subnet<'a> {
    pub meta: Meta<'a>,
    pub name: Field<Str<'a>>,
    /// The VNet, by reference/id or by name (`virtual_network_name`).
    pub vnet: LinkRef<'a>,
}

/// A DNS A record set in a private zone (manual DNS for an endpoint).
#[derive(Clone, Debug)]
pub struct ARecord<'a> {
    pub meta: Meta<'a>,
    /// Relative record name, e.g. `contosoacr` or `contosoacr.westeurope.data`.
    pub name: Field<Str<'a>>,
    pub zone: LinkRef<'a>,
    pub zone_rg: Field<Str<'a>>,
}

/// Everything one scope defines, in a format-free shape.
#[derive(Clone, Debug, Default)]
pub struct Model<'a> {
    /// Registries created here and, with `managed` false, those known only through a data source
    /// or `existing`: those can be link targets but are not judged.
    pub registries: Vec<Registry<'a>>,
    /// Private endpoints to any service; the linker finds those that target a registry.
    pub endpoints: Vec<PrivateEndpoint<'a>>,
    pub zones: Vec<DnsZone<'a>>,
    pub vnet_links: Vec<VnetLink<'a>>,
    pub vnets: Vec<Vnet<'a>>,
    pub subnets: Vec<Subnet<'a>>,
    pub a_records: Vec<ARecord<'a>>,
    /// For a field's span, where its value was written when that is elsewhere (a `.tfvars`
    /// file, a module argument): findings show it as a related location.
    pub origins: rustc_hash::FxHashMap<Span, Span>,
    /// The span of every resource's block or object (of any type), sorted: a value spanned in
    /// one was read from that resource (a reference), not written as an input.
    pub blocks: Vec<Span>,
    /// Modules and deployments that are not read (remote modules not downloaded, linked
    /// templates, registry modules not in the cache), with what they receive.
    pub unread: &'a [crate::load::Note],
    pub cloud: Cloud,
}

impl Model<'_> {
    /// The registry private link zones right for an endpoint in `location`: the zone of the
    /// cloud the provider names, else those of the region's cloud ([`registry_zones_for`]).
    pub fn registry_zones_at(&self, location: &Field<Str<'_>>) -> &'static [&'static str] {
        match self.cloud {
            Cloud::Set(zone) => {
                let i = REGISTRY_ZONES.iter().position(|z| *z == zone).unwrap_or(0);
                &REGISTRY_ZONES[i..=i]
            }
            _ => registry_zones_for(location.value().map(|l| l.as_ref())),
        }
    }

    /// A module or deployment that is not read and receives the resource of `meta` (its
    /// Terraform address, its id, or its `name`): it may act on it where acrlint cannot see. A
    /// resource whose name is unknown may be the one that anything unknown it receives names.
    pub fn unread_receiving(&self, meta: &Meta, name: &Field<Str>) -> Option<&crate::load::Note> {
        let name = match name {
            Field::Unknown(..) => None,
            known => Some(known.value().map_or("", |n| n.as_ref())),
        };
        let names = |s: &str| {
            meta.tf_addr
                .is_some_and(|a| s == a || s.strip_prefix(a).is_some_and(|k| k.starts_with('[')))
                || meta
                    .arm_id
                    .is_some_and(|id| crate::model::ids::same_id(s, id))
                || match name {
                    Some(n) => !n.is_empty() && s.eq_ignore_ascii_case(n),
                    // A resource of unknown name may be named by what is not known either (an
                    // input, text known at deployment), not by a text written in full.
                    None => crate::symbolic::is_symbolic(s),
                }
        };
        self.unread
            .iter()
            .find(|n| n.receives.iter().any(|s| names(s)))
    }

    /// Whether `span` lies in the block of a resource (of any type, modelled or not).
    pub fn in_resource_block(&self, span: Span) -> bool {
        let key = (span.file, span.start);
        let after = self.blocks.partition_point(|b| (b.file, b.start) <= key);
        // Terraform blocks do not nest; an ARM child lies inside its parent, in one file.
        self.blocks[..after]
            .iter()
            .rev()
            .take_while(|b| b.file == span.file)
            .any(|b| b.end >= span.end)
    }
}

/// The cloud a configuration deploys to, where something sets it: Terraform's azurerm provider
/// (its `environment`, else `ARM_ENVIRONMENT`). Otherwise the region tells it (a Government
/// region is deployed to with an environment set where the deployment runs), as in ARM and Bicep.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Cloud {
    /// The cloud deployed to, which nothing in the configuration can name (ARM, Bicep).
    #[default]
    Deployment,
    /// Terraform's azurerm provider names no cloud (no `environment`, no `ARM_ENVIRONMENT`):
    /// the region tells, as for [`Cloud::Deployment`], unless one of those is given.
    Provider,
    /// The provider's `environment` depends on this (written at the span).
    Unknown(crate::value::Unknown, Span),
    /// Set: the registry private link zone of that cloud.
    Set(&'static str),
}

impl Cloud {
    /// An azurerm `environment` name (reference §7.4); one without a registry zone here (the
    /// closed `german` cloud) leaves the cloud to the region.
    pub fn azurerm(name: &str) -> Cloud {
        let name = name.to_ascii_lowercase();
        match name.as_str() {
            "public" => Cloud::Set(REGISTRY_ZONES[0]),
            "china" => Cloud::Set(REGISTRY_ZONES[2]),
            n if n.starts_with("usgovernment") => Cloud::Set(REGISTRY_ZONES[1]),
            _ => Cloud::Deployment,
        }
    }
}

/// The registry private link zones of every cloud (reference §8.1).
pub static REGISTRY_ZONES: [&str; 3] = [
    "privatelink.azurecr.io",
    "privatelink.azurecr.us",
    "privatelink.azurecr.cn",
];

/// The registry private link zones acceptable for an endpoint in `location`: that cloud's zone when
/// the region is known, any cloud's when it is not.
pub fn registry_zones_for(location: Option<&str>) -> &'static [&'static str] {
    let Some(loc) = location else {
        return &REGISTRY_ZONES;
    };
    // Compared with spaces and dashes dropped, case-insensitively ("US Gov Virginia").
    let squashed = || loc.bytes().filter(|b| !matches!(b, b' ' | b'-'));
    let starts_with = |prefix: &str| {
        let mut rest = squashed();
        prefix
            .bytes()
            .all(|p| rest.next().is_some_and(|b| b.eq_ignore_ascii_case(&p)))
    };
    if starts_with("usgov") || starts_with("usdod") {
        &REGISTRY_ZONES[1..2]
    } else if starts_with("china") {
        &REGISTRY_ZONES[2..3]
    } else if crate::symbolic::is_symbolic(loc) {
        // Known only at deployment (`resourceGroup().location`): so is the cloud.
        &REGISTRY_ZONES
    } else {
        &REGISTRY_ZONES[0..1]
    }
}

/// A name as text: the name when known, or, for one that is an input nobody gave (or made of
/// one, `"${var.name}.westeurope.data"`), its identity, the same text wherever it is read.
pub fn named<'m>(name: &'m Field<Str<'_>>) -> Option<&'m str> {
    match name {
        Field::Unknown(u, _) => u.identity.as_deref(),
        known => known.value().map(|s| s.as_ref()),
    }
}

pub fn is_registry_zone(name: &str) -> bool {
    REGISTRY_ZONES.iter().any(|z| z.eq_ignore_ascii_case(name)) || fits_every_cloud(name)
}

/// Whether a zone name is the registry zone of whichever cloud it is deployed to:
/// `'privatelink${environment().suffixes.acrLoginServer}'`.
pub fn fits_every_cloud(zone: &str) -> bool {
    let suffix = crate::resolve::arm::ACR_SUFFIX_PLACEHOLDER;
    zone.len() == "privatelink".len() + suffix.len()
        && zone
            .get(.."privatelink".len())
            .is_some_and(|p| p.eq_ignore_ascii_case("privatelink"))
        && zone.ends_with(suffix)
}

/// Whether a zone name is one of the `wanted` registry zones, or the one of every cloud.
pub fn is_zone_of(zone: &str, wanted: &[&str]) -> bool {
    fits_every_cloud(zone) || wanted.iter().any(|w| w.eq_ignore_ascii_case(zone))
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOCATION_TERM: &str = crate::resolve::arm::LOCATION_PLACEHOLDER;

    #[test]
    fn registry_zones_follow_the_cloud_of_the_region() {
        let all = &REGISTRY_ZONES[..];
        let (public, government, china) = (&all[0..1], &all[1..2], &all[2..3]);
        for (region, zones) in [
            (None, all),
            (Some("westeurope"), public),
            (Some("US Gov Virginia"), government),
            (Some("usdod-east"), government),
            (Some("China-North 2"), china),
            (Some("us"), public),
            // Not known before deployment: any cloud's zone.
            (Some(LOCATION_TERM), all),
            (Some("{not a term}"), public),
        ] {
            assert_eq!(registry_zones_for(region), zones, "{region:?}");
        }
        assert_eq!(Sku::parse("PREMIUM"), Sku::Premium);
        assert_eq!(Sku::parse("Gold"), Sku::Other("Gold".into()));
    }

    #[test]
    fn azurerm_environments_name_their_cloud() {
        for (name, cloud) in [
            ("public", Cloud::Set("privatelink.azurecr.io")),
            ("USGovernment", Cloud::Set("privatelink.azurecr.us")),
            ("usgovernmentl5", Cloud::Set("privatelink.azurecr.us")),
            ("china", Cloud::Set("privatelink.azurecr.cn")),
            // Closed, with no registry zone here: the region decides.
            ("german", Cloud::Deployment),
        ] {
            assert_eq!(Cloud::azurerm(name), cloud, "{name}");
        }
    }

    #[test]
    fn a_zone_named_after_the_cloud_suffix_is_the_registry_zone_of_every_cloud() {
        let suffix = crate::resolve::arm::ACR_SUFFIX_PLACEHOLDER;
        let zone = format!("PrivateLink{suffix}");
        assert!(is_registry_zone(&zone));
        for wanted in [
            &REGISTRY_ZONES[0..1],
            &REGISTRY_ZONES[1..2],
            &REGISTRY_ZONES[2..3],
        ] {
            assert!(is_zone_of(&zone, wanted));
            assert!(!is_zone_of("privatelink.blob.core.windows.net", wanted));
        }
        assert!(!is_zone_of("privatelink.azurecr.us", &REGISTRY_ZONES[0..1]));
        for other in [
            format!("privatelink{suffix}x"),
            format!("x{suffix}"),
            suffix.to_string(),
        ] {
            assert!(!is_registry_zone(&other), "{other:?}");
        }
    }
}
