//! Map loaded resources onto the common model. This is the one place that knows attribute names:
//! azurerm (across provider majors), azapi, and ARM. Rules see only the typed views.

use super::*;
use crate::load::{Mode, Resource};
use crate::model::ids::{normalize, ResourceId};
use crate::value::{Node, Value};

pub fn build(resources: &[Resource]) -> Model {
    let mut model = Model {
        resource_count: resources.len(),
        ..Model::default()
    };
    let origins = std::cell::RefCell::default();
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
            (Origin::Terraform, "azurerm_private_dns_a_record") => {
                model.a_records.push(r.tf_a_record())
            }
            (Origin::Arm, t) => r.arm(t, &mut model),
            _ => {}
        }
    }
    attach_arm_zone_groups(resources, &mut model, &origins);
    model.origins = origins.into_inner();
    model
}

/// Reads the fields of one resource, turning absent values into defaults spanned at the header.
struct Reader<'a> {
    res: &'a Resource,
    body: &'a Node,
    /// Origins of the values read (see `Model::origins`), collected as fields are converted.
    origins: &'a std::cell::RefCell<rustc_hash::FxHashMap<Span, Span>>,
}

/// Terraform blocks load as lists of objects; take the first (azurerm's MaxItems 1 blocks).
fn block(node: Option<&Node>) -> Option<&Node> {
    match node.map(|n| &n.value) {
        Some(Value::List(items)) => items.first(),
        Some(Value::Object(_)) => node,
        _ => None,
    }
}

/// Every block of a repeatable block type (or the items of a list attribute).
fn blocks(node: Option<&Node>) -> Vec<&Node> {
    match node.map(|n| &n.value) {
        Some(Value::List(items)) => items.iter().collect(),
        Some(Value::Object(_)) => node.into_iter().collect(),
        _ => Vec::new(),
    }
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
    match v.as_str()?.to_ascii_lowercase().as_str() {
        "enabled" => Some(true),
        "disabled" => Some(false),
        _ => None,
    }
}

fn string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn strings(v: &Value) -> Option<Vec<String>> {
    match v {
        Value::List(items) => items.iter().map(|n| string(&n.value)).collect(),
        _ => None,
    }
}

fn action(v: &Value) -> Option<DefaultAction> {
    match v.as_str()?.to_ascii_lowercase().as_str() {
        "allow" => Some(DefaultAction::Allow),
        "deny" => Some(DefaultAction::Deny),
        _ => None,
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
        other => other.first_unknown().cloned().unwrap_or_else(|| {
            Unknown::new(
                format!("a {} value", other.type_name()),
                "is not a value acrlint understands here",
            )
        }),
    }
}

/// A value that looks like a resource id rather than a bare name.
fn is_id(s: &str) -> bool {
    s.starts_with('/') && s.to_ascii_lowercase().contains("/providers/")
}

impl<'a> Reader<'a> {
    fn new(
        res: &'a Resource,
        origins: &'a std::cell::RefCell<rustc_hash::FxHashMap<Span, Span>>,
    ) -> Reader<'a> {
        Reader {
            res,
            body: &res.body,
            origins,
        }
    }

    fn at(&self, root: &'a Node) -> Reader<'a> {
        Reader {
            body: root,
            ..*self
        }
    }

    fn header(&self) -> Span {
        self.res.header
    }

    fn meta(&self) -> Meta {
        let res = self.res;
        Meta {
            addr: res.addr.clone(),
            origin: res.origin,
            header: res.header,
            tf_addr: (res.origin == Origin::Terraform).then(|| res.addr.clone()),
            arm_id: res.id.as_deref().map(normalize),
            managed: res.mode == Mode::Managed,
            existence: res.existence.clone(),
        }
    }

    fn node(&self, path: &[&str]) -> Option<&'a Node> {
        self.body.path(path)
    }

    /// A field with a default that applies when the value is absent or null.
    fn field<T>(
        &self,
        node: Option<&Node>,
        default: T,
        conv: impl Fn(&Value) -> Option<T>,
    ) -> Field<T> {
        self.field_in(node, default, self.header(), conv)
    }

    /// Like `field`, with the default spanned at `default_span` (the enclosing block).
    fn field_in<T>(
        &self,
        node: Option<&Node>,
        default: T,
        default_span: Span,
        conv: impl Fn(&Value) -> Option<T>,
    ) -> Field<T> {
        match node {
            Some(n) if n.value != Value::Null => self.convert(n, conv),
            _ => Field::Default(default, default_span),
        }
    }

    /// A field without a default: absent is unknown ("is not set").
    fn required<T>(
        &self,
        node: Option<&Node>,
        what: &str,
        conv: impl Fn(&Value) -> Option<T>,
    ) -> Field<T> {
        match node {
            Some(n) if n.value != Value::Null => self.convert(n, conv),
            _ => Field::Unknown(Unknown::new(what, "is not set"), self.header()),
        }
    }

    fn convert<T>(&self, n: &Node, conv: impl Fn(&Value) -> Option<T>) -> Field<T> {
        let span = n.span.unwrap_or(self.header());
        if let Some(origin) = n.origin {
            self.origins.borrow_mut().insert(span, origin);
        }
        match conv(&n.value) {
            Some(v) => Field::Known(v, span),
            None => Field::Unknown(unknown_of(&n.value), span),
        }
    }

    fn link(&self, node: Option<&Node>) -> LinkRef {
        let Some(n) = node else {
            return LinkRef::Absent;
        };
        let span = n.span.unwrap_or(self.header());
        match &n.value {
            Value::Null => LinkRef::Absent,
            Value::Ref(r) => LinkRef::Ref(r.clone(), span),
            Value::String(s) if is_id(s) => LinkRef::Id(s.clone(), span),
            Value::String(s) => LinkRef::Name(s.clone(), span),
            other => LinkRef::Unknown(unknown_of(other), span),
        }
    }

    /// Terraform's `resource_group_name` (required).
    fn resource_group(&self) -> Field<String> {
        self.required(
            self.node(&["resource_group_name"]),
            "resource_group_name",
            string,
        )
    }

    /// An ARM resource's resource group: the deployment's, not known statically.
    fn deployment_resource_group(&self) -> Field<String> {
        Field::Unknown(
            Unknown::new("resourceGroup()", "is the deployment's"),
            self.header(),
        )
    }

    fn name(&self) -> Field<String> {
        self.required(self.node(&["name"]), "name", string)
    }

    // ---- Terraform (azurerm) ----

    fn tf_registry(&self) -> Registry {
        let rules = block(self.node(&["network_rule_set"]));
        let network_rule_set = match rules {
            None => Field::Default(None, self.header()),
            Some(set) => {
                let span = set.span.unwrap_or(self.header());
                let ip_rules = blocks(set.get("ip_rule"))
                    .into_iter()
                    .map(|r| {
                        let value = r.get("ip_range");
                        match value.map(|v| &v.value) {
                            Some(Value::String(s)) => {
                                Ok((s.clone(), value.and_then(|v| v.span).unwrap_or(span)))
                            }
                            Some(other) => Err((
                                unknown_of(other),
                                value.and_then(|v| v.span).unwrap_or(span),
                            )),
                            None => Ok((String::new(), r.span.unwrap_or(span))),
                        }
                    })
                    .collect::<Result<Vec<_>, _>>();
                Field::Known(
                    Some(NetworkRuleSet {
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
                    }),
                    span,
                )
            }
        };
        Registry {
            meta: self.meta(),
            name: self.name(),
            location: self.required(self.node(&["location"]), "location", string),
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
        }
    }

    fn tf_endpoint(&self) -> PrivateEndpoint {
        let connections = blocks(self.node(&["private_service_connection"]))
            .into_iter()
            .map(|c| {
                let span = c.span.unwrap_or(self.header());
                let target = match c.get("private_connection_resource_id") {
                    Some(n) => self.link(Some(n)),
                    // Connections by alias name a private link service, never a registry in scope.
                    None => LinkRef::Absent,
                };
                ServiceConnection {
                    span,
                    manual: c
                        .get("is_manual_connection")
                        .and_then(|n| tf_bool(&n.value))
                        .unwrap_or(false),
                    target,
                    subresources: match c.get("subresource_names") {
                        None => Field::Default(Vec::new(), span),
                        Some(n) => self.convert(n, strings),
                    },
                }
            })
            .collect();
        let zone_groups = blocks(self.node(&["private_dns_zone_group"]))
            .into_iter()
            .map(|g| ZoneGroup {
                span: g.span.unwrap_or(self.header()),
                addr: self.res.addr.clone(),
                zones: self.zone_ids(g.get("private_dns_zone_ids")),
            })
            .collect();
        PrivateEndpoint {
            meta: self.meta(),
            name: self.name(),
            location: self.required(self.node(&["location"]), "location", string),
            subnet: self.link(self.node(&["subnet_id"])),
            connections,
            zone_groups,
        }
    }

    fn zone_ids(&self, node: Option<&Node>) -> Vec<LinkRef> {
        match node.map(|n| &n.value) {
            Some(Value::List(items)) => items.iter().map(|n| self.link(Some(n))).collect(),
            Some(_) => vec![self.link(node)],
            None => Vec::new(),
        }
    }

    fn tf_zone(&self) -> DnsZone {
        DnsZone {
            meta: self.meta(),
            name: self.name(),
            resource_group: self.resource_group(),
        }
    }

    fn tf_vnet_link(&self) -> VnetLink {
        // azurerm 5.x links by zone id; ≤ 4.x by zone name and the zone's resource group.
        let zone = match self.node(&["private_dns_zone_id"]) {
            Some(n) => self.link(Some(n)),
            None => self.link(self.node(&["private_dns_zone_name"])),
        };
        VnetLink {
            meta: self.meta(),
            zone,
            zone_rg: self.resource_group(),
            vnet: self.link(self.node(&["virtual_network_id"])),
        }
    }

    fn tf_vnet(&self) -> Vnet {
        Vnet {
            meta: self.meta(),
            name: self.name(),
            resource_group: self.resource_group(),
            dns_servers: if self.res.mode == Mode::Managed {
                self.field(self.node(&["dns_servers"]), Vec::new(), strings)
            } else {
                // A data source's DNS servers live in Azure, not in this configuration.
                Field::Unknown(
                    Unknown::new(self.res.addr.clone(), "is read from Azure"),
                    self.header(),
                )
            },
            inline_subnets: blocks(self.node(&["subnet"]))
                .into_iter()
                .filter_map(|s| {
                    let n = s.get("name")?;
                    Some((
                        n.value.as_str()?.to_string(),
                        n.span.unwrap_or(self.header()),
                    ))
                })
                .collect(),
        }
    }

    fn tf_subnet(&self) -> Subnet {
        Subnet {
            meta: self.meta(),
            name: self.name(),
            vnet: self.link(self.node(&["virtual_network_name"])),
        }
    }

    fn tf_a_record(&self) -> ARecord {
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

    fn azapi(&self, model: &mut Model) {
        let Some(rtype) = self.node(&["type"]).and_then(|n| n.value.as_str()) else {
            return;
        };
        let rtype = rtype.split('@').next().unwrap_or(rtype);
        let decoded;
        let body = match self.node(&["body"]) {
            Some(n) => match &n.value {
                Value::String(s) => match serde_json::from_str::<serde_json::Value>(s) {
                    Ok(json) => {
                        decoded = Node::new(Value::from_json(&json, n.span), n.span);
                        &decoded
                    }
                    Err(_) => n,
                },
                _ => n,
            },
            None => return,
        };
        let arm = ArmView {
            reader: self.at(body),
            name: self.name(),
            location: self.required(self.node(&["location"]), "location", string),
        };
        if rtype.eq_ignore_ascii_case("Microsoft.ContainerRegistry/registries") {
            model.registries.push(arm.registry(self.meta()));
        } else if rtype.eq_ignore_ascii_case("Microsoft.Network/virtualNetworks") {
            model.vnets.push(arm.vnet(self.meta()));
        }
    }

    // ---- ARM ----

    fn arm(&self, rtype: &str, model: &mut Model) {
        let arm = ArmView {
            reader: self.at(self.body),
            name: self.name(),
            location: self.required(self.node(&["location"]), "location", string),
        };
        let t = rtype.to_ascii_lowercase();
        let meta = self.meta();
        match t.as_str() {
            "microsoft.containerregistry/registries" => model.registries.push(arm.registry(meta)),
            "microsoft.network/privateendpoints" => model.endpoints.push(arm.endpoint(meta)),
            "microsoft.network/privatednszones" => model.zones.push(DnsZone {
                meta,
                name: arm.name.clone(),
                resource_group: self.deployment_resource_group(),
            }),
            "microsoft.network/privatednszones/virtualnetworklinks" => {
                model.vnet_links.push(VnetLink {
                    zone: arm.parent_link(),
                    zone_rg: self.deployment_resource_group(),
                    vnet: self.link(self.node(&["properties", "virtualNetwork", "id"])),
                    meta,
                })
            }
            "microsoft.network/privatednszones/a" => model.a_records.push(ARecord {
                name: arm.child_name(),
                zone: arm.parent_link(),
                zone_rg: self.deployment_resource_group(),
                meta,
            }),
            "microsoft.network/virtualnetworks" => model.vnets.push(arm.vnet(meta)),
            "microsoft.network/virtualnetworks/subnets" => model.subnets.push(Subnet {
                name: arm.child_name(),
                vnet: arm.parent_link(),
                meta,
            }),
            _ => {}
        }
    }
}

/// ARM resource body (also azapi `body`): `sku`, `properties`, with name and location read by the caller.
struct ArmView<'a> {
    reader: Reader<'a>,
    name: Field<String>,
    location: Field<String>,
}

impl<'a> ArmView<'a> {
    fn props(&self, path: &[&str]) -> Option<&'a Node> {
        let mut full = vec!["properties"];
        full.extend_from_slice(path);
        self.reader.node(&full)
    }

    fn registry(&self, meta: Meta) -> Registry {
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
                                }) => Ok((s.clone(), s_span.unwrap_or(span))),
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
        }
    }

    fn endpoint(&self, meta: Meta) -> PrivateEndpoint {
        let r = &self.reader;
        let mut connections = Vec::new();
        for (key, manual) in [
            ("privateLinkServiceConnections", false),
            ("manualPrivateLinkServiceConnections", true),
        ] {
            for c in blocks(self.props(&[key])) {
                let span = c.span.unwrap_or(r.header());
                connections.push(ServiceConnection {
                    span,
                    manual,
                    target: r.link(c.path(&["properties", "privateLinkServiceId"])),
                    subresources: match c.path(&["properties", "groupIds"]) {
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
            connections,
            zone_groups: Vec::new(),
        }
    }

    fn vnet(&self, meta: Meta) -> Vnet {
        let r = &self.reader;
        Vnet {
            meta,
            name: self.name.clone(),
            resource_group: r.deployment_resource_group(),
            dns_servers: r.field(
                self.props(&["dhcpOptions", "dnsServers"]),
                Vec::new(),
                strings,
            ),
            inline_subnets: blocks(self.props(&["subnets"]))
                .into_iter()
                .filter_map(|s| {
                    let n = s.get("name")?;
                    Some((n.value.as_str()?.to_string(), n.span.unwrap_or(r.header())))
                })
                .collect(),
        }
    }

    /// A child's parent, by the parent part of its `parent/child` name.
    fn parent_link(&self) -> LinkRef {
        match &self.name {
            Field::Known(name, span) => match name.rsplit_once('/') {
                Some((parent, _)) => LinkRef::Name(parent.to_string(), *span),
                None => LinkRef::Unknown(
                    Unknown::new(name.clone(), "is not a child resource name"),
                    *span,
                ),
            },
            Field::Default(_, span) => LinkRef::Unknown(Unknown::new("name", "is not set"), *span),
            Field::Unknown(u, span) => LinkRef::Unknown(u.clone(), *span),
        }
    }

    /// The last segment of a `parent/child` name.
    fn child_name(&self) -> Field<String> {
        self.name
            .clone()
            .map(|n| n.rsplit('/').next().unwrap_or(&n).to_string())
    }
}

/// ARM zone groups are child resources (`privateEndpoints/privateDnsZoneGroups`): attach each to
/// its endpoint by the parent part of its name.
fn attach_arm_zone_groups(
    resources: &[Resource],
    model: &mut Model,
    origins: &std::cell::RefCell<rustc_hash::FxHashMap<Span, Span>>,
) {
    for res in resources {
        if res.origin != Origin::Arm
            || !res
                .rtype
                .eq_ignore_ascii_case("Microsoft.Network/privateEndpoints/privateDnsZoneGroups")
        {
            continue;
        }
        let r = Reader::new(res, origins);
        let zones = blocks(r.node(&["properties", "privateDnsZoneConfigs"]))
            .into_iter()
            .map(|c| r.link(c.path(&["properties", "privateDnsZoneId"])))
            .collect();
        let group = ZoneGroup {
            span: res.header,
            addr: res.addr.clone(),
            zones,
        };
        let parent = r
            .node(&["name"])
            .and_then(|n| n.value.as_str())
            .and_then(|n| n.rsplit_once('/'))
            .map(|(p, _)| p.to_string());
        let parent_id = res
            .id
            .as_deref()
            .and_then(ResourceId::parent_id)
            .map(normalize);
        let endpoint = model.endpoints.iter_mut().find(|e| {
            e.meta.origin == Origin::Arm
                && (parent_id.is_some() && e.meta.arm_id == parent_id
                    || matches!((&e.name, &parent), (Field::Known(n, _), Some(p)) if n.eq_ignore_ascii_case(p)))
        });
        if let Some(endpoint) = endpoint {
            endpoint.zone_groups.push(group);
        }
    }
}
