//! Map loaded resources onto the common model. This is the one place that knows attribute names:
//! azurerm (across provider majors), azapi, and ARM. Rules see only the typed views.

use super::*;
use crate::load::{Mode, Resource};
use crate::model::ids::{same_id, ResourceId};
use crate::value::{Node, Value};

pub fn build(resources: &[Resource]) -> Model<'_> {
    let mut model = Model { ..Model::default() };
    let origins = Origins::default();
    let mut dns_settings = Vec::new();
    for res in resources {
        let r = Reader::new(res, &origins);
        match (res.origin, res.rtype.as_str()) {
            (Origin::Terraform, "azurerm_container_registry") => {
                model.registries.push(r.tf_registry())
            }
            (Origin::Terraform, "azapi_resource") => r.azapi(&mut model),
            (Origin::Terraform, "azurerm_private_endpoint") => {
                model.endpoints.push(r.tf_endpoint())
            }
            (Origin::Terraform, "azurerm_private_dns_zone") => model.zones.push(r.tf_zone()),
            (Origin::Terraform, "azurerm_private_dns_zone_virtual_network_link") => {
                model.vnet_links.push(r.tf_vnet_link())
            }
            (Origin::Terraform, "azurerm_virtual_network") => model.vnets.push(r.tf_vnet()),
            (Origin::Terraform, "azurerm_subnet") => model.subnets.push(r.tf_subnet()),
            (Origin::Terraform, "azurerm_virtual_network_dns_servers") => {
                dns_settings.push(r.tf_dns_servers())
            }
            (Origin::Terraform, "azurerm_private_dns_a_record") => {
                model.a_records.push(r.tf_a_record())
            }
            (o, t) if o.is_arm() => r.arm(t, &mut model),
            _ => {}
        }
    }
    apply_dns_settings(&mut model, dns_settings);
    attach_arm_zone_groups(resources, &mut model, &origins);
    attach_arm_replicas(resources, &mut model, &origins);
    attach_azapi_zone_groups(resources, &mut model, &origins);
    model.origins = origins.into_inner();
    model.blocks = resources.iter().filter_map(|r| r.body.span).collect();
    model.blocks.sort_unstable();
    model
}

/// DNS servers that a resource of their own sets on a VNet.
struct DnsSetting<'a> {
    vnet: LinkRef<'a>,
    /// Where its VNet is named.
    at: Span,
    addr: &'a str,
    dns_servers: Field<Vec<Str<'a>>>,
    custom_dns: Field<bool>,
}

/// The VNets' DNS servers as `azurerm_virtual_network_dns_servers` sets them. One whose VNet is
/// not a reference to a VNet here may set them on any VNet: those on Azure-provided DNS become
/// unknown, so that no VNet is judged to use Azure DNS when it may not.
fn apply_dns_settings<'a>(model: &mut Model<'a>, settings: Vec<DnsSetting<'a>>) {
    for s in settings {
        let target = match &s.vnet {
            LinkRef::Ref(r, _) => {
                (model.vnets.iter()).position(|v| v.meta.tf_addr == Some(r.addr.as_str()))
            }
            _ => None,
        };
        if let Some(v) = target {
            let vnet = &mut model.vnets[v];
            (vnet.dns_servers, vnet.custom_dns) = (s.dns_servers, s.custom_dns);
            continue;
        }
        let why = match &s.vnet {
            LinkRef::Unknown(u, _) => Unknown::new(
                u.depends_on.clone(),
                format!(
                    "{}, and names the VNet that {} sets DNS servers on",
                    u.reason, s.addr
                ),
            ),
            _ => Unknown::new(s.addr, "sets DNS servers on a VNet that may be this one"),
        };
        for vnet in &mut model.vnets {
            if !matches!(vnet.custom_dns, Field::Known(true, _)) {
                vnet.custom_dns = Field::Unknown(why.clone(), s.at);
            }
        }
    }
}

/// The value at `path` in `node`; an unknown on the way is the value: an object that is unknown
/// as a whole (an azapi body that `jsonencode` made of an unknown, ARM `properties` from a
/// parameter nobody gave) holds every member unknown, none absent.
fn lookup<'a>(node: &'a Node, path: &[&str]) -> Option<&'a Node> {
    let mut node = node;
    for k in path {
        if matches!(node.value, Value::Unknown(_)) {
            return Some(node);
        }
        node = node.get(k)?;
    }
    Some(node)
}

const REPLICA_TYPE: &str = "Microsoft.ContainerRegistry/registries/replications";

/// ARM geo-replicas, child resources of their registry (by `parent`, id or `registry/replica`
/// name). One whose registry is not known may belong to any registry deployed here: their
/// replicas become unknown.
fn attach_arm_replicas<'a>(resources: &'a [Resource], model: &mut Model<'a>, origins: &Origins) {
    for res in resources {
        if !res.origin.is_arm() || !res.rtype.eq_ignore_ascii_case(REPLICA_TYPE) {
            continue;
        }
        let r = Reader::new(res, origins);
        let location = r.required(r.node(&["location"]), "location", region);
        let parent_id = res.id.as_deref().and_then(ResourceId::parent_id);
        let name = r.node(&["name"]);
        let parent = name.and_then(|n| n.value.as_str()?.rsplit_once('/').map(|(p, _)| p));
        let registry = model.registries.iter_mut().find(|g| {
            g.meta.origin.is_arm()
                && (res.parent.as_deref() == Some(g.meta.addr)
                    || matches!((g.meta.arm_id, parent_id), (Some(a), Some(b)) if same_id(a, b))
                    || matches!((&g.name, parent), (Field::Known(n, _), Some(p)) if n.eq_ignore_ascii_case(p)))
        });
        match registry {
            Some(g) => {
                if let Field::Known(list, _) | Field::Default(list, _) = &mut g.replicas {
                    list.push(location);
                }
                if let Field::Default(list, _) = &g.replicas {
                    g.replicas = Field::Known(list.clone(), res.header);
                }
            }
            None => {
                let why = Unknown::new(
                    res.addr.as_str(),
                    "is a geo-replica whose registry is not known",
                );
                for g in model
                    .registries
                    .iter_mut()
                    .filter(|g| g.meta.origin.is_arm())
                {
                    g.replicas = Field::Unknown(why.clone(), res.header);
                }
            }
        }
    }
}

const ZONE_GROUP_TYPE: &str = "Microsoft.Network/privateEndpoints/privateDnsZoneGroups";

type Origins = std::cell::RefCell<rustc_hash::FxHashMap<Span, Span>>;

/// Reads the fields of one resource, turning absent values into defaults spanned at the header.
#[derive(Clone, Copy)]
struct Reader<'a, 'o> {
    res: &'a Resource,
    body: &'a Node,
    /// Origins of the values read (see `Model::origins`), collected as fields are converted.
    origins: &'o Origins,
}

/// Every block of a repeatable block type (or the items of a list attribute).
fn blocks(node: Option<&Node>) -> &[Node] {
    match node {
        Some(Node {
            value: Value::List(items),
            ..
        }) => items,
        Some(
            n @ Node {
                value: Value::Object(_),
                ..
            },
        ) => std::slice::from_ref(n),
        _ => &[],
    }
}

/// The `name` of each block that has a string one, spanned there (else at `fallback`).
fn names(blocks: &[Node], fallback: Span) -> Vec<(Str<'_>, Span)> {
    blocks
        .iter()
        .filter_map(|b| {
            let n = b.get("name")?;
            Some((Str::Borrowed(n.value.as_str()?), n.span.unwrap_or(fallback)))
        })
        .collect()
}

fn tf_bool(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        // Terraform converts the strings "true"/"false" to bool.
        Value::String(s) if s == "true" => Some(true),
        Value::String(s) if s == "false" => Some(false),
        _ => None,
    }
}

fn enabled_str(v: &Value) -> Option<bool> {
    let s = v.as_str()?;
    if s.eq_ignore_ascii_case("enabled") {
        Some(true)
    } else if s.eq_ignore_ascii_case("disabled") {
        Some(false)
    } else {
        None
    }
}

fn string(v: &Value) -> Option<Str<'_>> {
    match v {
        Value::String(_) | Value::Symbolic(_) => v.as_str().map(Str::Borrowed),
        Value::Number(n) => Some(Str::Owned(n.to_string())),
        Value::Bool(true) => Some(Str::Borrowed("true")),
        Value::Bool(false) => Some(Str::Borrowed("false")),
        _ => None,
    }
}

/// A region, as [`string`]; a Terraform data source's `location` is the region of a resource
/// that exists already: some region of the cloud deployed to, a deployment-time term as ARM's
/// `resourceGroup().location` is, not an input.
fn region(v: &Value) -> Option<Str<'_>> {
    match v {
        Value::Ref(r) if r.attr == ["location"] && is_data_source(&r.addr) => Some(Str::Owned(
            crate::symbolic::encode_term(&format!("{}.location", r.addr)),
        )),
        _ => string(v),
    }
}

/// Whether a Terraform address names a data source (`data.x.y`, `module.net.data.x.y`).
fn is_data_source(addr: &str) -> bool {
    let mut parts = addr.split('.');
    while let Some(part) = parts.next() {
        if part != "module" {
            return part == "data";
        }
        parts.next();
    }
    false
}

fn strings(v: &Value) -> Option<Vec<Str<'_>>> {
    match v {
        Value::List(items) => items.iter().map(|n| string(&n.value)).collect(),
        _ => None,
    }
}

/// Whether a list has any item, known or not.
fn non_empty(v: &Value) -> Option<bool> {
    match v {
        Value::List(items) => Some(!items.is_empty()),
        _ => None,
    }
}

fn action(v: &Value) -> Option<DefaultAction> {
    let s = v.as_str()?;
    if s.eq_ignore_ascii_case("allow") {
        Some(DefaultAction::Allow)
    } else if s.eq_ignore_ascii_case("deny") {
        Some(DefaultAction::Deny)
    } else {
        None
    }
}

/// The unknown that stands for a value acrlint cannot judge, with what it depends on.
fn unknown_of(value: &Value) -> Unknown {
    match value {
        Value::Unknown(u) => u.clone(),
        Value::Ref(r) => Unknown::new(
            format!("{}.{}", r.addr, r.attr.join(".")),
            "is only known after apply",
        ),
        Value::Symbolic(s) => Unknown::new(s.to_string(), "is known only at deployment time"),
        // A list of strings with one that is not known: that one.
        Value::List(items) => match items.iter().map(|n| &n.value).find(|v| string(v).is_none()) {
            Some(v) if !matches!(v, Value::List(_) | Value::Object(_)) => unknown_of(v),
            _ => unknown_within(value),
        },
        other => unknown_within(other),
    }
}

/// The first unknown inside `value`; else the value is of a kind acrlint does not judge here.
fn unknown_within(value: &Value) -> Unknown {
    value.first_unknown().cloned().unwrap_or_else(|| {
        Unknown::new(
            format!("a {} value", value.type_name()),
            "is not a value acrlint understands here",
        )
    })
}

/// A value that looks like a resource id rather than a bare name.
fn is_id(s: &str) -> bool {
    const PROVIDERS: &[u8] = b"/providers/";
    let b = s.as_bytes();
    s.starts_with('/')
        && b.iter().enumerate().any(|(i, &c)| {
            c == b'/'
                && b.get(i..i + PROVIDERS.len())
                    .is_some_and(|w| w.eq_ignore_ascii_case(PROVIDERS))
        })
}

impl<'a, 'o> Reader<'a, 'o> {
    fn new(res: &'a Resource, origins: &'o Origins) -> Reader<'a, 'o> {
        Reader {
            res,
            body: &res.body,
            origins,
        }
    }

    fn at(&self, root: &'a Node) -> Reader<'a, 'o> {
        Reader {
            body: root,
            ..*self
        }
    }

    fn header(&self) -> Span {
        self.res.header
    }

    fn meta(&self) -> Meta<'a> {
        let res = self.res;
        Meta {
            addr: &res.addr,
            origin: res.origin,
            header: res.header,
            tf_addr: (res.origin == Origin::Terraform).then_some(res.addr.as_str()),
            arm_id: res.id.as_deref(),
            managed: res.mode == Mode::Managed,
            existence: res.existence.as_ref(),
            body: &res.body,
            callers: &res.callers,
        }
    }

    fn node(&self, path: &[&str]) -> Option<&'a Node> {
        lookup(self.body, path)
    }

    /// A field with a default that applies when the value is absent or null.
    fn field<T>(
        &self,
        node: Option<&'a Node>,
        default: T,
        conv: impl Fn(&'a Value) -> Option<T>,
    ) -> Field<T> {
        self.field_in(node, default, self.header(), conv)
    }

    /// Like `field`, with the default spanned at `default_span` (the enclosing block).
    fn field_in<T>(
        &self,
        node: Option<&'a Node>,
        default: T,
        default_span: Span,
        conv: impl Fn(&'a Value) -> Option<T>,
    ) -> Field<T> {
        match node {
            Some(n) if n.value != Value::Null => self.convert(n, conv),
            _ => Field::Default(default, default_span),
        }
    }

    /// A field without a default: absent is unknown ("is not set"); so is null, where it is
    /// written (`location = var.location`, the variable null by default).
    fn required<T>(
        &self,
        node: Option<&'a Node>,
        what: &str,
        conv: impl Fn(&'a Value) -> Option<T>,
    ) -> Field<T> {
        match node {
            Some(n) if n.value != Value::Null => self.convert(n, conv),
            Some(n) => Field::Unknown(
                Unknown::new(
                    what,
                    "is null here, but is required: the deployment is rejected until it is set",
                ),
                n.span.unwrap_or(self.header()),
            ),
            None => Field::Unknown(Unknown::new(what, "is not set"), self.header()),
        }
    }

    fn convert<T>(&self, n: &'a Node, conv: impl Fn(&'a Value) -> Option<T>) -> Field<T> {
        let span = n.span.unwrap_or(self.header());
        if let Some(origin) = n.origin {
            self.origins.borrow_mut().insert(span, origin);
        }
        match conv(&n.value) {
            Some(v) => Field::Known(v, span),
            None => Field::Unknown(unknown_of(&n.value), span),
        }
    }

    /// The blocks of a repeatable block type (or the items of a list attribute, or of a copy
    /// loop): absent is `Default` (none). A list that cannot be evaluated (a `dynamic` block
    /// with an unknown `for_each`, an unknown expression or copy count) is `Unknown`, not none.
    fn block_list(&self, node: Option<&'a Node>) -> Field<&'a [Node]> {
        let Some(n) = node.filter(|n| n.value != Value::Null) else {
            return Field::Default(&[], self.header());
        };
        let span = n.span.unwrap_or(self.header());
        match &n.value {
            Value::List(items) => Field::Known(items, span),
            Value::Object(_) => Field::Known(std::slice::from_ref(n), span),
            other => Field::Unknown(unknown_of(other), span),
        }
    }

    fn link(&self, node: Option<&'a Node>) -> LinkRef<'a> {
        let Some(n) = node else {
            return LinkRef::Absent;
        };
        let span = n.span.unwrap_or(self.header());
        if let Some(origin) = n.origin {
            self.origins.borrow_mut().insert(span, origin);
        }
        match &n.value {
            Value::Null => LinkRef::Absent,
            Value::Ref(r) => LinkRef::Ref(r, span),
            Value::String(_) | Value::Symbolic(_) => match n.value.as_str() {
                Some(s) if is_id(s) => LinkRef::Id(Str::Borrowed(s), span),
                Some(s) => LinkRef::Name(Str::Borrowed(s), span),
                None => LinkRef::Absent,
            },
            other => LinkRef::Unknown(unknown_of(other), span),
        }
    }

    /// Terraform's `resource_group_name` (required).
    fn resource_group(&self) -> Field<Str<'a>> {
        self.required(
            self.node(&["resource_group_name"]),
            "resource_group_name",
            string,
        )
    }

    /// An ARM resource's resource group: the one its deployment targets (a module's `scope`, a
    /// nested deployment's `resourceGroup`), else the deployment's own, known at deployment.
    fn deployment_resource_group(&self) -> Field<Str<'a>> {
        match &self.res.group {
            Some(group) => Field::Default(Str::Borrowed(group), self.header()),
            None => Field::Unknown(
                Unknown::new("resourceGroup()", "is the deployment's"),
                self.header(),
            ),
        }
    }

    fn name(&self) -> Field<Str<'a>> {
        self.required(self.node(&["name"]), "name", string)
    }

    // ---- Terraform (azurerm) ----

    fn tf_registry(&self) -> Registry<'a> {
        // A MaxItems 1 block: the first, if any.
        let network_rule_set = self
            .block_list(self.node(&["network_rule_set"]))
            .map(|sets| sets.first().map(|set| self.tf_rule_set(set)));
        Registry {
            meta: self.meta(),
            name: self.name(),
            location: self.required(self.node(&["location"]), "location", region),
            sku: self.required(self.node(&["sku"]), "sku", |v| v.as_str().map(Sku::parse)),
            public_network_access: self.field(
                self.node(&["public_network_access_enabled"]),
                true,
                tf_bool,
            ),
            network_rule_set,
            admin_user: self.field(self.node(&["admin_enabled"]), false, tf_bool),
            anonymous_pull: self.field(self.node(&["anonymous_pull_enabled"]), false, tf_bool),
            export_enabled: self.field(self.node(&["export_policy_enabled"]), true, tf_bool),
            data_endpoint: self.field(self.node(&["data_endpoint_enabled"]), false, tf_bool),
            replicas: self
                .block_list(self.node(&["georeplications"]))
                .map(|blocks| {
                    (blocks.iter())
                        .map(|b| self.required(b.get("location"), "location", region))
                        .collect()
                }),
        }
    }

    fn tf_rule_set(&self, set: &'a Node) -> NetworkRuleSet<'a> {
        let span = set.span.unwrap_or(self.header());
        let ip_rules = match self.block_list(set.get("ip_rule")) {
            Field::Unknown(u, s) => Err((u, s)),
            Field::Known(rules, _) | Field::Default(rules, _) => rules
                .iter()
                .map(|r| {
                    let value = r.get("ip_range");
                    match value.map(|v| &v.value) {
                        Some(Value::String(s)) => Ok((
                            Str::Borrowed(s.as_str()),
                            value.and_then(|v| v.span).unwrap_or(span),
                        )),
                        Some(other) => Err((
                            unknown_of(other),
                            value.and_then(|v| v.span).unwrap_or(span),
                        )),
                        None => Ok((Str::Borrowed(""), r.span.unwrap_or(span))),
                    }
                })
                .collect::<Result<Vec<_>, _>>(),
        };
        NetworkRuleSet {
            span,
            default_action: self.field_in(
                set.get("default_action"),
                DefaultAction::Allow,
                span,
                action,
            ),
            ip_rules: match ip_rules {
                Ok(v) => Field::Known(v, span),
                Err((u, s)) => Field::Unknown(u, s),
            },
        }
    }

    fn tf_endpoint(&self) -> PrivateEndpoint<'a> {
        let connections = self
            .block_list(self.node(&["private_service_connection"]))
            .map(|list| list.iter().map(|c| self.tf_connection(c)).collect());
        let zone_groups: Field<Vec<ZoneGroup>> = self
            .block_list(self.node(&["private_dns_zone_group"]))
            .map(|list| {
                list.iter()
                    .map(|g| ZoneGroup {
                        span: g.span.unwrap_or(self.header()),
                        addr: &self.res.addr,
                        body: g,
                        zones: self.zone_ids(g.get("private_dns_zone_ids")),
                    })
                    .collect()
            });
        // No zone group, and Terraform told to leave it alone: something else writes it (Azure
        // Policy, in the landing zones that manage private DNS centrally).
        let zone_groups = match (zone_groups, self.ignored("private_dns_zone_group")) {
            (Field::Default(groups, _) | Field::Known(groups, _), Some(span)) if groups.is_empty() => {
                Field::Unknown(
                    Unknown::new(
                        "lifecycle.ignore_changes",
                        "leaves the zone group to something outside Terraform (Azure Policy, for example)",
                    ),
                    span,
                )
            }
            (groups, _) => groups,
        };
        PrivateEndpoint {
            meta: self.meta(),
            name: self.name(),
            location: self.required(self.node(&["location"]), "location", region),
            subnet: self.link(self.node(&["subnet_id"])),
            connections,
            zone_groups,
        }
    }

    /// Where `lifecycle.ignore_changes` names `attribute` (or `all`).
    fn ignored(&self, attribute: &str) -> Option<Span> {
        let list = self.node(&["lifecycle", "ignore_changes"])?;
        let Value::List(items) = &list.value else {
            return None;
        };
        items
            .iter()
            .any(|n| matches!(n.value.as_str(), Some(a) if a == attribute || a == "all"))
            .then(|| list.span.unwrap_or(self.header()))
    }

    fn tf_connection(&self, c: &'a Node) -> ServiceConnection<'a> {
        let span = c.span.unwrap_or(self.header());
        let target = match c.get("private_connection_resource_id") {
            Some(n) => self.link(Some(n)),
            // Connections by alias name a private link service, never a registry in scope.
            None => LinkRef::Absent,
        };
        ServiceConnection {
            span,
            target,
            subresources: match c.get("subresource_names") {
                None => Field::Default(Vec::new(), span),
                Some(n) => self.convert(n, strings),
            },
        }
    }

    fn zone_ids(&self, node: Option<&'a Node>) -> Vec<LinkRef<'a>> {
        match node.map(|n| &n.value) {
            Some(Value::List(items)) => items.iter().map(|n| self.link(Some(n))).collect(),
            Some(_) => vec![self.link(node)],
            None => Vec::new(),
        }
    }

    /// The zone ids of an ARM zone group body (`properties.privateDnsZoneConfigs`); a list that
    /// cannot be evaluated is one unknown id.
    fn zone_configs(&self) -> Vec<LinkRef<'a>> {
        match self.block_list(self.node(&["properties", "privateDnsZoneConfigs"])) {
            Field::Unknown(u, span) => vec![LinkRef::Unknown(u, span)],
            Field::Known(configs, _) | Field::Default(configs, _) => configs
                .iter()
                .map(|c| self.link(lookup(c, &["properties", "privateDnsZoneId"])))
                .collect(),
        }
    }

    fn tf_zone(&self) -> DnsZone<'a> {
        DnsZone {
            meta: self.meta(),
            name: self.name(),
            resource_group: self.resource_group(),
        }
    }

    /// A VNet's DNS servers: the addresses (to show), and whether it has any (to judge: a list
    /// that is not empty, whatever addresses are known only after apply).
    fn dns_servers(&self, node: Option<&'a Node>) -> (Field<Vec<Str<'a>>>, Field<bool>) {
        (
            self.field(node, Vec::new(), strings),
            self.field(node, false, non_empty),
        )
    }

    fn tf_vnet_link(&self) -> VnetLink<'a> {
        // azurerm 5.x links by zone id; ≤ 4.x by zone name and the zone's resource group.
        let zone = match self.node(&["private_dns_zone_id"]) {
            Some(n) => self.link(Some(n)),
            None => self.link(self.node(&["private_dns_zone_name"])),
        };
        VnetLink {
            meta: self.meta(),
            name: self.name(),
            zone,
            zone_rg: self.resource_group(),
            vnet: self.link(self.node(&["virtual_network_id"])),
        }
    }

    fn tf_vnet(&self) -> Vnet<'a> {
        let (dns_servers, custom_dns) = match self.res.mode {
            Mode::Managed => self.dns_servers(self.node(&["dns_servers"])),
            // A data source's DNS servers live in Azure, not in this configuration.
            _ => dns_in_azure(self.res.addr.as_str(), self.header()),
        };
        Vnet {
            meta: self.meta(),
            name: self.name(),
            resource_group: self.resource_group(),
            dns_servers,
            custom_dns,
            inline_subnets: names(blocks(self.node(&["subnet"])), self.header()),
        }
    }

    /// `azurerm_virtual_network_dns_servers`: DNS servers set on a VNet from outside it.
    fn tf_dns_servers(&self) -> DnsSetting<'a> {
        let (dns_servers, custom_dns) = self.dns_servers(self.node(&["dns_servers"]));
        let vnet = self.node(&["virtual_network_id"]);
        DnsSetting {
            vnet: self.link(vnet),
            at: vnet.and_then(|n| n.span).unwrap_or(self.header()),
            addr: self.res.addr.as_str(),
            dns_servers,
            custom_dns,
        }
    }

    fn tf_subnet(&self) -> Subnet<'a> {
        Subnet {
            meta: self.meta(),
            name: self.name(),
            vnet: self.link(self.node(&["virtual_network_name"])),
        }
    }

    fn tf_a_record(&self) -> ARecord<'a> {
        let zone = match self.node(&["private_dns_zone_id"]) {
            Some(n) => self.link(Some(n)),
            None => self.link(self.node(&["zone_name"])),
        };
        ARecord {
            meta: self.meta(),
            name: self.name(),
            zone,
            zone_rg: self.resource_group(),
        }
    }

    // ---- azapi: the ARM payload in `body` (an object in azapi 2.x, a JSON string in 1.x) ----

    /// The ARM type of an azapi resource, without its API version; `Err` when it depends on
    /// input nobody gave.
    fn azapi_type(&self) -> Option<Result<&'a str, &'a Unknown>> {
        match &self.node(&["type"])?.value {
            Value::Unknown(u) => Some(Err(u)),
            v => {
                let rtype = v.as_str()?;
                Some(Ok(rtype.split('@').next().unwrap_or(rtype)))
            }
        }
    }

    /// An azapi resource's identity. Whether a resource of the type it is read as is created is
    /// not known when its type is not.
    fn azapi_meta(&self) -> Meta<'a> {
        let meta = self.meta();
        let unknown_type = self.azapi_type().and_then(Result::err);
        Meta {
            existence: meta.existence.or(unknown_type),
            ..meta
        }
    }

    /// The resource an azapi resource is created in (`parent_id`): its resource group, or for a
    /// child type its parent resource.
    fn azapi_parent(&self) -> LinkRef<'a> {
        self.link(self.node(&["parent_id"]))
    }

    /// The resource group that `parent_id` names (the resource group's id, or the parent's).
    fn azapi_resource_group(&self) -> Field<Str<'a>> {
        let node = self.node(&["parent_id"]);
        match self.required(node, "parent_id", string) {
            Field::Known(id, span) => {
                let rg = id
                    .split('/')
                    .skip_while(|s| !s.eq_ignore_ascii_case("resourceGroups"))
                    .nth(1)
                    .filter(|rg| !rg.is_empty());
                match rg {
                    Some(rg) => Field::Known(Str::Owned(rg.to_string()), span),
                    None => Field::Unknown(
                        Unknown::new(crate::symbolic::display(&id), "names no resource group"),
                        span,
                    ),
                }
            }
            other => other,
        }
    }

    fn azapi(&self, model: &mut Model<'a>) {
        // An unknown type is read as what its body says it can be (`AzapiKind::of_body`).
        let rtype = match self.azapi_type() {
            Some(Ok(rtype)) => Some(rtype),
            Some(Err(_)) => None,
            None => return,
        };
        let is = |t: &str| rtype.is_some_and(|r| r.eq_ignore_ascii_case(t));
        let meta = self.azapi_meta();
        // A child is named by `name` alone, under the resource `parent_id` names.
        if is("Microsoft.Network/privateDnsZones") {
            model.zones.push(DnsZone {
                meta,
                name: self.name(),
                resource_group: self.azapi_resource_group(),
            });
        } else if is("Microsoft.Network/privateDnsZones/A") {
            model.a_records.push(ARecord {
                meta,
                name: self.name(),
                zone: self.azapi_parent(),
                zone_rg: self.azapi_resource_group(),
            });
        } else if is("Microsoft.Network/virtualNetworks/subnets") {
            model.subnets.push(Subnet {
                meta,
                name: self.name(),
                vnet: self.azapi_parent(),
            });
        } else {
            let kind = rtype.map(AzapiKind::of);
            // A type the model has no place for.
            if matches!(kind, Some(None)) {
                return;
            }
            match self.azapi_body(kind.flatten()) {
                Some(Azapi::Registry(r)) => model.registries.push(*r),
                Some(Azapi::Vnet(v)) => model.vnets.push(Vnet {
                    resource_group: self.azapi_resource_group(),
                    ..v
                }),
                Some(Azapi::Endpoint(e)) => model.endpoints.push(e),
                Some(Azapi::LinkedVnet(vnet)) => model.vnet_links.push(VnetLink {
                    meta,
                    name: self.name(),
                    zone: self.azapi_parent(),
                    zone_rg: self.azapi_resource_group(),
                    vnet,
                }),
                // Attached to their endpoints once all are read (`attach_azapi_zone_groups`).
                Some(Azapi::ZoneIds(_)) | None => {}
            }
        }
    }

    /// What the azapi `body` of a resource of `kind` (when its type is not known, what the body
    /// says it can be) says, read as the ARM resource body it is. `None` without a body.
    fn azapi_body(&self, kind: Option<AzapiKind>) -> Option<Azapi<'a>> {
        let body = self.node(&["body"])?;
        let name = self.name();
        let location = self.required(self.node(&["location"]), "location", region);
        let json = match &body.value {
            Value::String(s) => crate::load::json::parse(s).ok(),
            _ => None,
        };
        let Some(json) = json else {
            let kind = kind.or_else(|| AzapiKind::of_body(body))?;
            let arm = ArmView::new(self.at(body), name, location);
            return Some(kind.read(&arm, self.azapi_meta()));
        };
        // The decoded body lives only here: what the model keeps of it is copied out.
        let decoded = Node::new(Value::from_json(&json, body.span), body.span);
        let reader = Reader {
            body: &decoded,
            ..*self
        };
        let kind = kind.or_else(|| AzapiKind::of_body(&decoded))?;
        let arm = ArmView::new(reader, name, location);
        Some(
            kind.read(&arm, self.azapi_meta())
                .detached(self.azapi_meta()),
        )
    }

    // ---- ARM ----

    fn arm(&self, rtype: &str, model: &mut Model<'a>) {
        let arm = ArmView::new(
            *self,
            self.name(),
            self.required(self.node(&["location"]), "location", region),
        );
        let meta = self.meta();
        let is = |t: &str| rtype.eq_ignore_ascii_case(t);
        if is("microsoft.containerregistry/registries") {
            model.registries.push(arm.registry(meta))
        } else if is("microsoft.network/privateendpoints") {
            model.endpoints.push(arm.endpoint(meta))
        } else if is("microsoft.network/privatednszones") {
            model.zones.push(DnsZone {
                meta,
                name: arm.name,
                resource_group: self.deployment_resource_group(),
            })
        } else if is("microsoft.network/privatednszones/virtualnetworklinks") {
            model.vnet_links.push(VnetLink {
                name: arm.child_name(),
                zone: arm.parent_link(),
                zone_rg: self.deployment_resource_group(),
                vnet: self.link(self.node(&["properties", "virtualNetwork", "id"])),
                meta,
            })
        } else if is("microsoft.network/privatednszones/a") {
            model.a_records.push(ARecord {
                name: arm.child_name(),
                zone: arm.parent_link(),
                zone_rg: self.deployment_resource_group(),
                meta,
            })
        } else if is("microsoft.network/virtualnetworks") {
            model.vnets.push(arm.vnet(meta))
        } else if is("microsoft.network/virtualnetworks/subnets") {
            model.subnets.push(Subnet {
                name: arm.child_name(),
                vnet: arm.parent_by_id(),
                meta,
            })
        }
    }
}

/// The azapi types read from their `body` (those read from `name` and `parent_id` alone aside).
#[derive(Clone, Copy)]
enum AzapiKind {
    Registry,
    Vnet,
    Endpoint,
    VnetLink,
    ZoneGroup,
}

impl AzapiKind {
    fn of(rtype: &str) -> Option<AzapiKind> {
        let is = |t: &str| rtype.eq_ignore_ascii_case(t);
        Some(if is("Microsoft.ContainerRegistry/registries") {
            AzapiKind::Registry
        } else if is("Microsoft.Network/virtualNetworks") {
            AzapiKind::Vnet
        } else if is("Microsoft.Network/privateEndpoints") {
            AzapiKind::Endpoint
        } else if is("Microsoft.Network/privateDnsZones/virtualNetworkLinks") {
            AzapiKind::VnetLink
        } else if is(ZONE_GROUP_TYPE) {
            AzapiKind::ZoneGroup
        } else {
            return None;
        })
    }

    /// What a body can be by its properties, for a resource whose type is not known (the
    /// provider validates the body against the type).
    fn of_body(body: &Node) -> Option<AzapiKind> {
        let has = |key: &str| body.path(&["properties", key]).is_some();
        Some(
            if has("privateLinkServiceConnections") || has("manualPrivateLinkServiceConnections") {
                AzapiKind::Endpoint
            } else if has("privateDnsZoneConfigs") {
                AzapiKind::ZoneGroup
            } else if has("virtualNetwork") {
                AzapiKind::VnetLink
            } else if [
                "adminUserEnabled",
                "anonymousPullEnabled",
                "dataEndpointEnabled",
            ]
            .iter()
            .any(|p| has(p))
            {
                // Properties only a container registry has.
                AzapiKind::Registry
            } else {
                return None;
            },
        )
    }

    /// Read the body in `arm` with the ARM readers. A body that is not an object (an expression
    /// acrlint cannot evaluate) leaves what it would say unknown.
    fn read<'a>(self, arm: &ArmView<'a, '_>, meta: Meta<'a>) -> Azapi<'a> {
        let r = &arm.reader;
        let opaque = match &r.body.value {
            Value::Object(_) => None,
            other => Some((unknown_of(other), r.body.span.unwrap_or(r.header()))),
        };
        match (self, opaque) {
            (AzapiKind::Registry, _) => Azapi::Registry(Box::new(arm.registry(meta))),
            (AzapiKind::Vnet, _) => Azapi::Vnet(arm.vnet(meta)),
            (AzapiKind::Endpoint, None) => Azapi::Endpoint(arm.endpoint(meta)),
            (AzapiKind::Endpoint, Some((u, span))) => Azapi::Endpoint(PrivateEndpoint {
                connections: Field::Unknown(u, span),
                ..arm.endpoint(meta)
            }),
            (AzapiKind::VnetLink, None) => {
                Azapi::LinkedVnet(r.link(arm.props(&["virtualNetwork", "id"])))
            }
            (AzapiKind::VnetLink, Some((u, span))) => Azapi::LinkedVnet(LinkRef::Unknown(u, span)),
            (AzapiKind::ZoneGroup, None) => Azapi::ZoneIds(r.zone_configs()),
            (AzapiKind::ZoneGroup, Some((u, span))) => {
                Azapi::ZoneIds(vec![LinkRef::Unknown(u, span)])
            }
        }
    }
}

/// What an azapi body says, by `AzapiKind`.
enum Azapi<'a> {
    // Boxed: by far the largest, and read once per registry.
    Registry(Box<Registry<'a>>),
    Vnet(Vnet<'a>),
    Endpoint(PrivateEndpoint<'a>),
    /// A VNet link's VNet (its zone is its parent).
    LinkedVnet(LinkRef<'a>),
    /// A zone group's zone ids.
    ZoneIds(Vec<LinkRef<'a>>),
}

impl Azapi<'_> {
    /// The same with its text owned, under `meta`.
    fn detached<'m>(self, meta: Meta<'m>) -> Azapi<'m> {
        match self {
            Azapi::Registry(r) => Azapi::Registry(Box::new(r.detached(meta))),
            Azapi::Vnet(v) => Azapi::Vnet(v.detached(meta)),
            Azapi::Endpoint(e) => Azapi::Endpoint(e.detached(meta)),
            Azapi::LinkedVnet(l) => Azapi::LinkedVnet(owned_link(l)),
            Azapi::ZoneIds(ids) => Azapi::ZoneIds(ids.into_iter().map(owned_link).collect()),
        }
    }
}

/// A link read from a decoded JSON body, with its text owned.
fn owned_link(link: LinkRef<'_>) -> LinkRef<'static> {
    match link {
        LinkRef::Id(id, span) => LinkRef::Id(owned(id), span),
        LinkRef::Name(name, span) => LinkRef::Name(owned(name), span),
        LinkRef::Unknown(u, span) => LinkRef::Unknown(u, span),
        // JSON holds no Terraform references and no nesting of ARM children.
        LinkRef::Ref(..) | LinkRef::Parent(..) | LinkRef::Absent => LinkRef::Absent,
    }
}

impl PrivateEndpoint<'_> {
    /// The endpoint with its text owned, under `meta`; its zone groups (child resources, not
    /// in its body) are attached later.
    fn detached<'m>(self, meta: Meta<'m>) -> PrivateEndpoint<'m> {
        let owned_list = |list: Vec<Str>| list.into_iter().map(owned).collect();
        PrivateEndpoint {
            meta,
            name: self.name.map(owned),
            location: self.location.map(owned),
            subnet: owned_link(self.subnet),
            connections: self.connections.map(|list| {
                list.into_iter()
                    .map(|c| ServiceConnection {
                        span: c.span,
                        target: owned_link(c.target),
                        subresources: c.subresources.map(owned_list),
                    })
                    .collect()
            }),
            zone_groups: self.zone_groups.map(|_| Vec::new()),
        }
    }
}

/// A copy of text read from a body that does not outlive the build (a decoded azapi body).
fn owned(s: Str<'_>) -> Str<'static> {
    Str::Owned(s.into_owned())
}

impl Registry<'_> {
    /// The registry with its text owned, under `meta`.
    fn detached<'m>(self, meta: Meta<'m>) -> Registry<'m> {
        Registry {
            meta,
            name: self.name.map(owned),
            location: self.location.map(owned),
            sku: self.sku,
            public_network_access: self.public_network_access,
            network_rule_set: self.network_rule_set.map(|set| {
                set.map(|set| NetworkRuleSet {
                    span: set.span,
                    default_action: set.default_action,
                    ip_rules: set
                        .ip_rules
                        .map(|rules| rules.into_iter().map(|(s, sp)| (owned(s), sp)).collect()),
                })
            }),
            admin_user: self.admin_user,
            anonymous_pull: self.anonymous_pull,
            export_enabled: self.export_enabled,
            data_endpoint: self.data_endpoint,
            replicas: self
                .replicas
                .map(|list| list.into_iter().map(|l| l.map(owned)).collect()),
        }
    }
}

impl Vnet<'_> {
    /// The VNet with its text owned, under `meta`.
    fn detached<'m>(self, meta: Meta<'m>) -> Vnet<'m> {
        Vnet {
            meta,
            name: self.name.map(owned),
            resource_group: self.resource_group.map(owned),
            dns_servers: self
                .dns_servers
                .map(|servers| servers.into_iter().map(owned).collect()),
            custom_dns: self.custom_dns,
            inline_subnets: self
                .inline_subnets
                .into_iter()
                .map(|(s, sp)| (owned(s), sp))
                .collect(),
        }
    }
}

/// ARM resource body (also azapi `body`): `sku`, `properties`, with name and location read by the caller.
struct ArmView<'a, 'o> {
    reader: Reader<'a, 'o>,
    /// The body's `properties`, looked up once.
    properties: Option<&'a Node>,
    name: Field<Str<'a>>,
    location: Field<Str<'a>>,
}

impl<'a, 'o> ArmView<'a, 'o> {
    fn new(reader: Reader<'a, 'o>, name: Field<Str<'a>>, location: Field<Str<'a>>) -> Self {
        ArmView {
            properties: lookup(reader.body, &["properties"]),
            reader,
            name,
            location,
        }
    }

    fn props(&self, path: &[&str]) -> Option<&'a Node> {
        lookup(self.properties?, path)
    }

    fn registry(&self, meta: Meta<'a>) -> Registry<'a> {
        let r = &self.reader;
        let network_rule_set = match self.props(&["networkRuleSet"]) {
            None => Field::Default(None, r.header()),
            Some(n) if n.value == Value::Null => Field::Default(None, r.header()),
            Some(set) if !matches!(set.value, Value::Object(_)) => {
                Field::Unknown(unknown_of(&set.value), set.span.unwrap_or(r.header()))
            }
            Some(set) => {
                let span = set.span.unwrap_or(r.header());
                let ip_rules = match set.get("ipRules") {
                    None => Field::Known(Vec::new(), span),
                    Some(list) => match &list.value {
                        Value::List(items) => items
                            .iter()
                            .map(|item| match item.get("value") {
                                Some(Node {
                                    value: Value::String(s),
                                    span: s_span,
                                    ..
                                }) => Ok((Str::Borrowed(s.as_str()), s_span.unwrap_or(span))),
                                Some(other) => {
                                    Err((unknown_of(&other.value), other.span.unwrap_or(span)))
                                }
                                None => Err((unknown_of(&item.value), item.span.unwrap_or(span))),
                            })
                            .collect::<Result<Vec<_>, _>>()
                            .map_or_else(
                                |(u, s)| Field::Unknown(u, s),
                                |v| Field::Known(v, list.span.unwrap_or(span)),
                            ),
                        Value::Null => Field::Known(Vec::new(), span),
                        other => Field::Unknown(unknown_of(other), list.span.unwrap_or(span)),
                    },
                };
                Field::Known(
                    Some(NetworkRuleSet {
                        span,
                        default_action: r.field_in(
                            set.get("defaultAction"),
                            DefaultAction::Allow,
                            span,
                            action,
                        ),
                        ip_rules,
                    }),
                    span,
                )
            }
        };
        Registry {
            meta,
            name: self.name.clone(),
            location: self.location.clone(),
            sku: r.required(r.node(&["sku", "name"]), "sku.name", |v| {
                v.as_str().map(Sku::parse)
            }),
            public_network_access: r.field(self.props(&["publicNetworkAccess"]), true, enabled_str),
            network_rule_set,
            admin_user: r.field(self.props(&["adminUserEnabled"]), false, tf_bool),
            anonymous_pull: r.field(self.props(&["anonymousPullEnabled"]), false, tf_bool),
            export_enabled: r.field(
                self.props(&["policies", "exportPolicy", "status"]),
                true,
                enabled_str,
            ),
            data_endpoint: r.field(self.props(&["dataEndpointEnabled"]), false, tf_bool),
            // Child resources of their own (`registries/replications`), attached after.
            replicas: Field::Default(Vec::new(), r.header()),
        }
    }

    fn endpoint(&self, meta: Meta<'a>) -> PrivateEndpoint<'a> {
        let r = &self.reader;
        let mut connections = Vec::new();
        let mut unknown = None;
        for key in [
            "privateLinkServiceConnections",
            "manualPrivateLinkServiceConnections",
        ] {
            let list = match r.block_list(self.props(&[key])) {
                Field::Unknown(u, span) => {
                    unknown.get_or_insert((u, span));
                    continue;
                }
                Field::Known(list, _) | Field::Default(list, _) => list,
            };
            for c in list {
                let span = c.span.unwrap_or(r.header());
                connections.push(ServiceConnection {
                    span,
                    target: r.link(lookup(c, &["properties", "privateLinkServiceId"])),
                    subresources: match lookup(c, &["properties", "groupIds"]) {
                        None => Field::Default(Vec::new(), span),
                        Some(n) => r.convert(n, strings),
                    },
                });
            }
        }
        PrivateEndpoint {
            meta,
            name: self.name.clone(),
            location: self.location.clone(),
            subnet: r.link(self.props(&["subnet", "id"])),
            // Either list unknown leaves them all unknown.
            connections: match unknown {
                Some((u, span)) => Field::Unknown(u, span),
                None => Field::Known(connections, r.header()),
            },
            // Child resources, attached by `attach_arm_zone_groups`.
            zone_groups: Field::Known(Vec::new(), r.header()),
        }
    }

    fn vnet(&self, meta: Meta<'a>) -> Vnet<'a> {
        let r = &self.reader;
        let (dns_servers, custom_dns) = match meta.managed {
            true => r.dns_servers(self.props(&["dhcpOptions", "dnsServers"])),
            // An `existing` VNet's DNS servers live in Azure, as a Terraform data source's.
            false => dns_in_azure(meta.addr, r.header()),
        };
        Vnet {
            meta,
            name: self.name.clone(),
            resource_group: r.deployment_resource_group(),
            dns_servers,
            custom_dns,
            inline_subnets: names(blocks(self.props(&["subnets"])), r.header()),
        }
    }

    /// A child's parent: the resource it is nested in, else by the parent part of its
    /// `parent/child` name.
    fn parent_link(&self) -> LinkRef<'a> {
        if let Some(parent) = &self.reader.res.parent {
            return LinkRef::Parent(parent, self.reader.header());
        }
        match &self.name {
            Field::Known(name, span) => match name.rfind('/') {
                Some(slash) => LinkRef::Name(slice(name, ..slash), *span),
                None => LinkRef::Unknown(
                    Unknown::new(name.as_ref(), "is not a child resource name"),
                    *span,
                ),
            },
            Field::Default(_, span) => LinkRef::Unknown(Unknown::new("name", "is not set"), *span),
            // Named by an input nobody gave (`format('{0}/link', parameters('zone'))`): the
            // parent is the resource that input names.
            Field::Unknown(u, span) => {
                // Only the child's own name unknown (`format('{0}/to_{1}', 'privatelink.azurecr.io',
                // parameters('vnet'))`): the parent is named plainly.
                if let Some(parent) = u.known_parent() {
                    return LinkRef::Name(Str::Owned(parent.to_string()), *span);
                }
                let identity = u.parent_identity().map(Into::into);
                LinkRef::Unknown(
                    Unknown {
                        identity,
                        ..u.clone()
                    },
                    *span,
                )
            }
        }
    }

    /// The parent of a child whose id is known, by the id it is under: two parents of one name
    /// in two resource groups are not confused (a subnet of an `existing` VNet in another
    /// group). Otherwise as [`Self::parent_link`].
    fn parent_by_id(&self) -> LinkRef<'a> {
        let parent = self
            .reader
            .res
            .id
            .as_deref()
            .and_then(ResourceId::parent_id);
        match parent {
            Some(id) if self.reader.res.parent.is_none() => {
                LinkRef::Id(Str::Borrowed(id), self.reader.header())
            }
            _ => self.parent_link(),
        }
    }

    /// The last segment of a `parent/child` name.
    fn child_name(&self) -> Field<Str<'a>> {
        self.name
            .clone()
            .map(|n| slice(&n, n.rfind('/').map_or(0, |slash| slash + 1)..))
    }
}

/// The DNS servers (and whether they are custom) of a VNet that is read, not made, here: in
/// Azure.
fn dns_in_azure<'a>(addr: &str, at: Span) -> (Field<Vec<Str<'a>>>, Field<bool>) {
    let azure = Unknown::new(addr, "is read from Azure");
    (Field::Unknown(azure.clone(), at), Field::Unknown(azure, at))
}

/// `text[range]`, borrowed as long as `text` is (`range` is at char boundaries: around a `/`).
fn slice<'a>(text: &Str<'a>, range: impl std::slice::SliceIndex<str, Output = str>) -> Str<'a> {
    match text {
        Str::Borrowed(t) => Str::Borrowed(t.get(range).unwrap_or_default()),
        Str::Owned(t) => Str::Owned(t.get(range).unwrap_or_default().to_string()),
    }
}

/// ARM zone groups are child resources (`privateEndpoints/privateDnsZoneGroups`): attach each to
/// its endpoint by the parent part of its name.
fn attach_arm_zone_groups<'a>(resources: &'a [Resource], model: &mut Model<'a>, origins: &Origins) {
    for res in resources {
        if !res.origin.is_arm() || !res.rtype.eq_ignore_ascii_case(ZONE_GROUP_TYPE) {
            continue;
        }
        let r = Reader::new(res, origins);
        let zones = r.zone_configs();
        let group = ZoneGroup {
            span: res.header,
            addr: &res.addr,
            body: &res.body,
            zones,
        };
        // Known, or only the group's own name unknown (the parent part of its identity is plain).
        let parent = r.node(&["name"]).and_then(|n| match &n.value {
            Value::Unknown(u) => u.known_parent(),
            v => v.as_str().and_then(|n| n.rsplit_once('/')).map(|(p, _)| p),
        });
        let parent_id = res.id.as_deref().and_then(ResourceId::parent_id);
        // A parent named by an input nobody gave (`format('{0}/default', parameters('peName'))`)
        // is the endpoint named by that same input.
        let parent_input = r.node(&["name"]).and_then(|n| match &n.value {
            Value::Unknown(u) => u.parent_identity(),
            _ => None,
        });
        let endpoint = model.endpoints.iter_mut().find(|e| {
            e.meta.origin.is_arm()
                && (res.parent.as_deref() == Some(e.meta.addr)
                    || matches!((e.meta.arm_id, parent_id), (Some(a), Some(b)) if same_id(a, b))
                    || matches!((&e.name, &parent), (Field::Known(n, _), Some(p)) if n.eq_ignore_ascii_case(p))
                    || matches!((&e.name, parent_input), (Field::Unknown(u, _), Some(p)) if u.identity.as_deref().is_some_and(|i| i.eq_ignore_ascii_case(p))))
        });
        let Some(endpoint) = endpoint else {
            // Its endpoint is not known for sure: when the group's parent name, or an
            // endpoint's own name, is unknown, the group may belong to any such endpoint, whose
            // zone groups are then unknown (never read as none).
            let group_name = r.node(&["name"]);
            let unknown_parent = match group_name.map(|n| &n.value) {
                Some(v) if v.as_str().is_none() && res.parent.is_none() => Some((
                    unknown_of(v),
                    group_name.and_then(|n| n.span).unwrap_or(res.header),
                )),
                _ => None,
            };
            for e in model.endpoints.iter_mut() {
                if !e.meta.origin.is_arm() || matches!(e.zone_groups, Field::Unknown(..)) {
                    continue;
                }
                let why = match (&unknown_parent, &e.name) {
                    (Some((u, span)), _) => (u.clone(), *span),
                    (None, Field::Unknown(u, _)) if e.meta.arm_id.is_none() => {
                        (u.clone(), res.header)
                    }
                    _ => continue,
                };
                e.zone_groups = Field::Unknown(why.0, why.1);
            }
            continue;
        };
        add_zone_group(endpoint, group, res.existence.as_ref(), res.header);
    }
}

/// Attach `group` (whose resource's creation depends on `existence`, declared at `header`) to
/// `endpoint`.
fn add_zone_group<'a>(
    endpoint: &mut PrivateEndpoint<'a>,
    group: ZoneGroup<'a>,
    existence: Option<&Unknown>,
    header: Span,
) {
    // A group that may not be created (its own unknown condition or copy count, not its
    // endpoint's) leaves the endpoint's zone groups unknown: maybe none.
    let maybe = existence.filter(|u| endpoint.meta.existence != Some(*u));
    match (&mut endpoint.zone_groups, maybe) {
        (Field::Unknown(..), _) => {}
        (groups, Some(u)) => *groups = Field::Unknown(u.clone(), header),
        (Field::Known(groups, _) | Field::Default(groups, _), None) => groups.push(group),
    }
}

/// azapi zone groups are child resources too: attach each to the endpoint its `parent_id` names,
/// by reference, or for a literal id by the endpoint's name.
fn attach_azapi_zone_groups<'a>(
    resources: &'a [Resource],
    model: &mut Model<'a>,
    origins: &Origins,
) {
    for res in resources {
        if res.origin != Origin::Terraform || res.rtype != "azapi_resource" {
            continue;
        }
        let r = Reader::new(res, origins);
        let kind = match r.azapi_type() {
            Some(Ok(t)) if t.eq_ignore_ascii_case(ZONE_GROUP_TYPE) => Some(AzapiKind::ZoneGroup),
            // Its type is not known: a zone group if its body says it can be one.
            Some(Err(_)) => None,
            _ => continue,
        };
        let Some(Azapi::ZoneIds(zones)) = r.azapi_body(kind) else {
            continue;
        };
        let group = ZoneGroup {
            span: res.header,
            addr: &res.addr,
            body: &res.body,
            zones,
        };
        let endpoints = &mut model.endpoints;
        let found = match r.azapi_parent() {
            LinkRef::Ref(parent, _) => endpoints
                .iter()
                .position(|e| e.meta.tf_addr == Some(parent.addr.as_str())),
            LinkRef::Id(id, _) => {
                let name = ResourceId::parse(&id)
                    .filter(|p| p.is_type("Microsoft.Network/privateEndpoints") && p.depth() == 1)
                    .map(|p| p.name());
                let mut named = endpoints.iter().enumerate().filter(|(_, e)| {
                    e.meta.arm_id.is_some_and(|a| same_id(a, &id))
                        || matches!((&e.name, name), (Field::Known(n, _), Some(p)) if n.eq_ignore_ascii_case(p))
                });
                match (named.next(), named.next()) {
                    (Some((i, _)), None) => Some(i),
                    _ => None,
                }
            }
            // Its endpoint is not known: any endpoint without a zone group may be it (an
            // endpoint has at most one), whose zone groups are then unknown, never none.
            LinkRef::Unknown(u, span) => {
                for e in endpoints.iter_mut() {
                    if matches!(&e.zone_groups, Field::Known(g, _) | Field::Default(g, _) if g.is_empty())
                    {
                        e.zone_groups = Field::Unknown(u.clone(), span);
                    }
                }
                None
            }
            // An endpoint of another configuration.
            LinkRef::Name(..) | LinkRef::Parent(..) | LinkRef::Absent => None,
        };
        if let Some(e) = found {
            let existence = r.azapi_meta().existence;
            add_zone_group(&mut endpoints[e], group, existence, res.header);
        }
    }
}

#[cfg(test)]
mod tests {
    //! Lists of blocks through the real loaders: none, several, or unknown (never read as none).

    use super::*;
    use crate::model::testutil::terraform_model;

    fn arm_model(resources: &str) -> Model<'static> {
        let parameters = r#"{ "items": { "type": "array" }, "flag": { "type": "bool" } }"#;
        crate::model::testutil::arm_model(parameters, resources)
    }

    /// How many items a list field holds, or what it depends on when unknown.
    fn count<T>(f: &Field<Vec<T>>) -> Result<usize, &str> {
        match f {
            Field::Known(v, _) | Field::Default(v, _) => Ok(v.len()),
            Field::Unknown(u, _) => Err(&u.depends_on),
        }
    }

    fn endpoint<'m>(model: &'m Model, addr: &str) -> &'m PrivateEndpoint<'m> {
        let found = model.endpoints.iter().find(|e| e.meta.addr.ends_with(addr));
        found.unwrap_or_else(|| panic!("no endpoint {addr}"))
    }

    /// The endpoint of the azapi resource `name`.
    fn endpoint_of<'m>(model: &'m Model, name: &str) -> &'m PrivateEndpoint<'m> {
        endpoint(model, &format!("azapi_resource.{name}"))
    }

    fn registry<'m>(model: &'m Model, addr: &str) -> &'m Registry<'m> {
        let found = model
            .registries
            .iter()
            .find(|r| r.meta.addr.ends_with(addr));
        found.unwrap_or_else(|| panic!("no registry {addr}"))
    }

    #[test]
    fn terraform_dynamic_blocks_are_none_several_or_unknown() {
        let mut text = String::from(
            r#"
variable "none" { default = [] }
variable "two" { default = ["a", "b"] }
variable "open" {}
"#,
        );
        for name in ["none", "two", "open"] {
            text += &format!(
                r#"
resource "azurerm_private_endpoint" "{name}" {{
  dynamic "private_service_connection" {{
    for_each = var.{name}
    content {{
      name              = private_service_connection.value
      subresource_names = ["registry"]
    }}
  }}
  dynamic "private_dns_zone_group" {{
    for_each = var.{name}
    content {{
      name                 = private_dns_zone_group.value
      private_dns_zone_ids = ["/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/privateDnsZones/privatelink.azurecr.io"]
    }}
  }}
}}
resource "azurerm_container_registry" "{name}" {{
  dynamic "network_rule_set" {{
    for_each = var.{name}
    content {{
      default_action = "Deny"
    }}
  }}
}}
resource "azurerm_container_registry" "ips_{name}" {{
  network_rule_set {{
    dynamic "ip_rule" {{
      for_each = var.{name}
      content {{
        ip_range = ip_rule.value
      }}
    }}
  }}
}}
"#
            );
        }
        // A written block next to an unknown dynamic one: the list stays unknown.
        text += r#"
resource "azurerm_private_endpoint" "mixed" {
  private_dns_zone_group {
    name                 = "written"
    private_dns_zone_ids = []
  }
  dynamic "private_dns_zone_group" {
    for_each = var.open
    content {
      name                 = "dynamic"
      private_dns_zone_ids = []
    }
  }
}
"#;
        let model = terraform_model(&text);
        for (name, want) in [("none", Ok(0)), ("two", Ok(2)), ("open", Err("var.open"))] {
            let e = endpoint(&model, &format!(".{name}"));
            assert_eq!(count(&e.connections), want, "connections of {name}");
            assert_eq!(count(&e.zone_groups), want, "zone groups of {name}");
            let rules = &registry(&model, &format!("ips_{name}")).network_rule_set;
            let Some(Some(set)) = rules.value() else {
                panic!("ips_{name}: {rules:?}");
            };
            assert_eq!(count(&set.ip_rules), want, "IP rules of {name}");
        }
        // The rule set is a MaxItems 1 block: none, the first, or unknown.
        let set = |name: &str| &registry(&model, &format!("_registry.{name}")).network_rule_set;
        assert!(
            matches!(set("none"), Field::Default(None, _)),
            "{:?}",
            set("none")
        );
        assert!(
            matches!(set("two"), Field::Known(Some(_), _)),
            "{:?}",
            set("two")
        );
        assert!(
            matches!(set("open"), Field::Unknown(u, _) if u.depends_on == "var.open"),
            "{:?}",
            set("open")
        );
        assert_eq!(
            count(&endpoint(&model, ".mixed").zone_groups),
            Err("var.open")
        );
    }

    #[test]
    fn arm_lists_and_zone_groups_are_none_several_or_unknown() {
        let endpoint_with = |name: &str, connections: &str| {
            format!(
                r#"{{ "type": "Microsoft.Network/privateEndpoints", "apiVersion": "2024-05-01",
                     "name": "{name}", "properties": {{ {connections} }} }}"#
            )
        };
        let group = |endpoint: &str, extra: &str, configs: &str| {
            format!(
                r#"{{ "type": "Microsoft.Network/privateEndpoints/privateDnsZoneGroups",
                     "apiVersion": "2024-05-01", "name": "{endpoint}/default", {extra}
                     "properties": {{ {configs} }} }}"#
            )
        };
        let config = r#"{ "name": "c", "properties": { "privateDnsZoneId": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/privateDnsZones/privatelink.azurecr.io" } }"#;
        let copy = |name: &str, count: &str, input: &str| {
            format!(r#""copy": [ {{ "name": "{name}", "count": {count}, "input": {input} }} ]"#)
        };
        let connection = r#"{ "name": "c", "properties": { "groupIds": ["registry"] } }"#;
        let resources = [
            endpoint_with("none", r#""privateLinkServiceConnections": []"#),
            endpoint_with(
                "two",
                &copy("privateLinkServiceConnections", "2", connection),
            ),
            endpoint_with(
                "open",
                r#""privateLinkServiceConnections": "[parameters('items')]""#,
            ),
            endpoint_with(
                "open_copy",
                &copy(
                    "manualPrivateLinkServiceConnections",
                    r#""[length(parameters('items'))]""#,
                    connection,
                ),
            ),
            group("two", "", &copy("privateDnsZoneConfigs", "2", config)),
            group(
                "open",
                "",
                r#""privateDnsZoneConfigs": "[parameters('items')]""#,
            ),
            group(
                "open_copy",
                r#""condition": "[parameters('flag')]","#,
                &format!(r#""privateDnsZoneConfigs": [{config}]"#),
            ),
        ];
        let model = arm_model(&format!("[{}]", resources.join(",")));
        let items = Err("parameters('items')");
        for (name, connections, groups) in [
            ("none", Ok(0), Ok(0)),
            ("two", Ok(2), Ok(1)),
            ("open", items, Ok(1)),
            // A zone group that may not be created leaves the zone groups unknown.
            ("open_copy", items, Err("parameters('flag')")),
        ] {
            let e = endpoint(&model, &format!("/{name}"));
            assert_eq!(count(&e.connections), connections, "connections of {name}");
            assert_eq!(count(&e.zone_groups), groups, "zone groups of {name}");
        }
        // Zone configs from a copy loop, and an unknown list of them as one unknown zone id.
        let zones = |name: &str| match &endpoint(&model, &format!("/{name}")).zone_groups {
            Field::Known(groups, _) => groups[0].zones.clone(),
            other => panic!("{other:?}"),
        };
        assert_eq!(zones("two").len(), 2);
        assert!(
            matches!(&zones("open")[..], [LinkRef::Unknown(u, _)] if u.depends_on == "parameters('items')"),
            "{:?}",
            zones("open")
        );
    }

    #[test]
    fn azapi_zone_groups_attach_by_parent_id() {
        let endpoint = |name: &str| {
            format!(
                r#"
resource "azapi_resource" "{name}" {{
  type      = "Microsoft.Network/privateEndpoints@2023-11-01"
  name      = "{name}"
  parent_id = "/subscriptions/s/resourceGroups/rg"
  body      = jsonencode({{ properties = {{ privateLinkServiceConnections = [] }} }})
}}"#
            )
        };
        let group = |name: &str, parent: &str| {
            format!(
                r#"
resource "azapi_resource" "{name}" {{
  type      = "Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2023-11-01"
  name      = "default"
  parent_id = {parent}
  body = {{
    properties = {{ privateDnsZoneConfigs = [{{ name = "z", properties = {{ privateDnsZoneId = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/privateDnsZones/privatelink.azurecr.io" }} }}] }}
  }}
}}"#
            )
        };
        let literal = r#""/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/privateEndpoints/by_id""#;
        let text = [
            endpoint("by_ref"),
            endpoint("by_id"),
            endpoint("other"),
            group("g_ref", "azapi_resource.by_ref.id"),
            group("g_id", literal),
        ]
        .concat();
        let model = terraform_model(&text);
        for (name, want) in [("by_ref", Ok(1)), ("by_id", Ok(1)), ("other", Ok(0))] {
            assert_eq!(
                count(&endpoint_of(&model, name).zone_groups),
                want,
                "{name}"
            );
        }
        // A JSON string body is read as the object it encodes.
        assert_eq!(count(&endpoint_of(&model, "other").connections), Ok(0));
        // A group whose endpoint is an input nobody gave may be that of any endpoint without one.
        let text = format!("variable \"pe\" {{}}\n{text}{}", group("g_var", "var.pe"));
        let model = terraform_model(&text);
        assert_eq!(count(&endpoint_of(&model, "by_ref").zone_groups), Ok(1));
        assert_eq!(
            count(&endpoint_of(&model, "other").zone_groups),
            Err("var.pe")
        );
    }
}
