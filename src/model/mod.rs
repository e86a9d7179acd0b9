//! The common resource model: typed, format-free views of the resources the rules reason about.
//! `build` maps Terraform and ARM attribute names onto these views; rules see nothing else.

mod build;
pub mod ids;

pub use build::build;

use crate::load::Origin;
use crate::source::Span;
use crate::value::{ResourceRef, Unknown};

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

/// How one model object points at another, before linking resolves it.
#[derive(Clone, Debug, PartialEq)]
pub enum LinkRef {
    /// Terraform reference to a resource attribute (`azurerm_container_registry.acr.id`).
    Ref(ResourceRef, Span),
    /// A resource id string (ARM `resourceId()`, a literal id, a parameter value).
    Id(String, Span),
    /// A bare resource name (azurerm ≤ 4 `private_dns_zone_name`, `virtual_network_name`).
    Name(String, Span),
    Unknown(Unknown, Span),
    Absent,
}

impl LinkRef {
    pub fn span(&self) -> Option<Span> {
        match self {
            LinkRef::Ref(_, s)
            | LinkRef::Id(_, s)
            | LinkRef::Name(_, s)
            | LinkRef::Unknown(_, s) => Some(*s),
            LinkRef::Absent => None,
        }
    }
}

/// Identity shared by all model objects.
#[derive(Clone, Debug)]
pub struct Meta {
    pub addr: String,
    pub origin: Origin,
    pub header: Span,
    /// Terraform address (for `Ref` links) or ARM id, lower-cased (for `Id` links).
    pub tf_addr: Option<String>,
    pub arm_id: Option<String>,
    /// Created here (false for data sources and `existing` resources).
    pub managed: bool,
    /// Why it is not known whether it is created (unknown count, for_each, copy or condition).
    pub existence: Option<Unknown>,
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
        match s.to_ascii_lowercase().as_str() {
            "basic" => Sku::Basic,
            "standard" => Sku::Standard,
            "premium" => Sku::Premium,
            _ => Sku::Other(s.to_string()),
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
pub struct NetworkRuleSet {
    /// Span of the block or object.
    pub span: Span,
    pub default_action: Field<DefaultAction>,
    /// IP rules (value and span); `Unknown` when the list cannot be evaluated.
    pub ip_rules: Field<Vec<(String, Span)>>,
}

#[derive(Clone, Debug)]
pub struct Registry {
    pub meta: Meta,
    pub name: Field<String>,
    pub location: Field<String>,
    pub sku: Field<Sku>,
    pub public_network_access: Field<bool>,
    /// `Known(None, _)`/`Default(None, _)`: no rule set, so the default action Allow applies.
    pub network_rule_set: Field<Option<NetworkRuleSet>>,
    pub admin_user: Field<bool>,
    pub anonymous_pull: Field<bool>,
    pub export_enabled: Field<bool>,
    pub data_endpoint: Field<bool>,
}

#[derive(Clone, Debug)]
pub struct ServiceConnection {
    pub span: Span,
    pub manual: bool,
    pub target: LinkRef,
    pub subresources: Field<Vec<String>>,
}

#[derive(Clone, Debug)]
pub struct ZoneGroup {
    pub span: Span,
    pub addr: String,
    /// Each zone id as written (Ref, Id or Unknown).
    pub zones: Vec<LinkRef>,
}

#[derive(Clone, Debug)]
pub struct PrivateEndpoint {
    pub meta: Meta,
    pub name: Field<String>,
    pub location: Field<String>,
    pub subnet: LinkRef,
    pub connections: Vec<ServiceConnection>,
    /// Zone groups written inline (Terraform) or as separate child resources (ARM), merged.
    pub zone_groups: Vec<ZoneGroup>,
}

#[derive(Clone, Debug)]
pub struct DnsZone {
    pub meta: Meta,
    pub name: Field<String>,
    pub resource_group: Field<String>,
}

#[derive(Clone, Debug)]
pub struct VnetLink {
    pub meta: Meta,
    /// The zone, by id/reference (azurerm 5, ARM) or by name (azurerm ≤ 4, with `zone_rg`).
    pub zone: LinkRef,
    pub zone_rg: Field<String>,
    pub vnet: LinkRef,
}

#[derive(Clone, Debug)]
pub struct Vnet {
    pub meta: Meta,
    pub name: Field<String>,
    pub resource_group: Field<String>,
    /// Custom DNS servers; an empty list means Azure-provided DNS.
    pub dns_servers: Field<Vec<String>>,
    /// Names of subnets declared inline.
    pub inline_subnets: Vec<(String, Span)>,
}

#[derive(Clone, Debug)]
pub struct Subnet {
    pub meta: Meta,
    pub name: Field<String>,
    /// The VNet, by reference/id or by name (`virtual_network_name`).
    pub vnet: LinkRef,
}

/// A DNS A record set in a private zone (manual DNS for an endpoint).
#[derive(Clone, Debug)]
pub struct ARecord {
    pub meta: Meta,
    /// Relative record name, e.g. `contosoacr` or `contosoacr.westeurope.data`.
    pub name: Field<String>,
    pub zone: LinkRef,
    pub zone_rg: Field<String>,
}

/// Everything one scope defines, in a format-free shape.
#[derive(Clone, Debug, Default)]
pub struct Model {
    pub registries: Vec<Registry>,
    /// Registries known only through a data source or `existing`: they can be targets but are not judged.
    pub endpoints: Vec<PrivateEndpoint>,
    pub zones: Vec<DnsZone>,
    pub vnet_links: Vec<VnetLink>,
    pub vnets: Vec<Vnet>,
    pub subnets: Vec<Subnet>,
    pub a_records: Vec<ARecord>,
    /// Number of resources of any type seen in the scope.
    pub resource_count: usize,
    /// For a field's span, where its value was written when that is elsewhere (a `.tfvars`
    /// file, a module argument): findings show it as a related location.
    pub origins: rustc_hash::FxHashMap<Span, Span>,
}

/// The registry private link zones of every cloud (reference §8.1).
pub const REGISTRY_ZONES: [&str; 3] = [
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
    let loc = loc.to_ascii_lowercase().replace([' ', '-'], "");
    if loc.starts_with("usgov") || loc.starts_with("usdod") {
        &REGISTRY_ZONES[1..2]
    } else if loc.starts_with("china") {
        &REGISTRY_ZONES[2..3]
    } else if loc.contains('{') {
        // A deployment-scope placeholder such as `{resourceGroup().location}`: the cloud is unknown.
        &REGISTRY_ZONES
    } else {
        &REGISTRY_ZONES[0..1]
    }
}

pub fn is_registry_zone(name: &str) -> bool {
    REGISTRY_ZONES.iter().any(|z| z.eq_ignore_ascii_case(name))
}
