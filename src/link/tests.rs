//! Linking through the real loaders, on small configurations.

use super::*;
use crate::model::testutil::terraform_model;

fn arm_model(resources: &str) -> Model<'static> {
    crate::model::testutil::arm_model("{}", resources)
}

const TF_CHAIN: &str = r#"
resource "azurerm_virtual_network" "spoke" {
  name                = "spoke"
  resource_group_name = "rg"
  dns_servers         = []
}
resource "azurerm_virtual_network" "hub" {
  name                = "hub"
  resource_group_name = "rg"
}
resource "azurerm_subnet" "pe" {
  name                 = "pe"
  resource_group_name  = "rg"
  virtual_network_name = azurerm_virtual_network.spoke.name
}
resource "azurerm_container_registry" "acr" {
  name     = "contosoacr"
  sku      = "Premium"
  location = "westeurope"
}
data "azurerm_container_registry" "shared" {
  name                = "sharedacr"
  resource_group_name = "shared"
}
resource "azurerm_private_dns_zone" "acr" {
  name                = "privatelink.azurecr.io"
  resource_group_name = "rg"
}
resource "azurerm_private_dns_zone_virtual_network_link" "by_name" {
  name                  = "hub"
  resource_group_name   = "rg"
  private_dns_zone_name = "privatelink.azurecr.io"
  virtual_network_id    = azurerm_virtual_network.hub.id
}
resource "azurerm_private_dns_zone_virtual_network_link" "by_id" {
  name                  = "spoke"
  private_dns_zone_id   = azurerm_private_dns_zone.acr.id
  virtual_network_id    = azurerm_virtual_network.spoke.id
}
resource "azurerm_private_endpoint" "own" {
  name      = "pe-own"
  location  = "westeurope"
  subnet_id = azurerm_subnet.pe.id
  private_service_connection {
    name                           = "c"
    private_connection_resource_id = azurerm_container_registry.acr.id
    subresource_names              = ["registry"]
    is_manual_connection           = false
  }
  private_dns_zone_group {
    name                 = "g"
    private_dns_zone_ids = [azurerm_private_dns_zone.acr.id, "/subscriptions/s/resourceGroups/hub/providers/Microsoft.Network/privateDnsZones/privatelink.blob.core.windows.net"]
  }
}
resource "azurerm_private_endpoint" "shared" {
  name      = "pe-shared"
  location  = "westeurope"
  subnet_id = "/subscriptions/s/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/remote/subnets/pe"
  private_service_connection {
    name                           = "c"
    private_connection_resource_id = data.azurerm_container_registry.shared.id
    is_manual_connection           = true
  }
}
resource "azurerm_private_endpoint" "literal" {
  name      = "pe-literal"
  location  = "westeurope"
  subnet_id = azurerm_virtual_network.hub.subnet[0].id
  private_service_connection {
    name                           = "c"
    private_connection_resource_id = "/subscriptions/s/resourceGroups/x/providers/Microsoft.ContainerRegistry/registries/elsewhere"
    subresource_names              = ["registry"]
    is_manual_connection           = false
  }
}
resource "azurerm_private_endpoint" "zones_by_literal_id" {
  name      = "pe-zones"
  location  = "westeurope"
  subnet_id = azurerm_subnet.pe.id
  private_service_connection {
    name                           = "c"
    private_connection_resource_id = azurerm_container_registry.acr.id
    subresource_names              = ["registry"]
    is_manual_connection           = false
  }
  private_dns_zone_group {
    name = "g"
    private_dns_zone_ids = [
      "/subscriptions/s/resourceGroups/hub/providers/Microsoft.Network/privateDnsZones/privatelink.azurecr.io",
      "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/privateDnsZones/privatelink.azurecr.io",
    ]
  }
}
resource "azurerm_private_endpoint" "storage" {
  name      = "pe-storage"
  location  = "westeurope"
  subnet_id = azurerm_subnet.pe.id
  private_service_connection {
    name                           = "c"
    private_connection_resource_id = azurerm_storage_account.sa.id
    subresource_names              = ["blob"]
    is_manual_connection           = false
  }
}
"#;

fn endpoint<'m>(model: &'m Model, graph: &'m Graph<'m>, name: &str) -> &'m EndpointLinks<'m> {
    let i = model
        .endpoints
        .iter()
        .position(|e| e.meta.addr.ends_with(name))
        .unwrap_or_else(|| panic!("no endpoint {name}"));
    &graph.endpoints[i]
}

fn index_of<T>(items: &[T], addr: impl Fn(&T) -> &str, name: &str) -> usize {
    items.iter().position(|t| addr(t).ends_with(name)).unwrap()
}

#[test]
fn terraform_endpoints_link_to_registries_in_and_out_of_scope() {
    let model = terraform_model(TF_CHAIN);
    let graph = link(&model);
    let acr = index_of(
        &model.registries,
        |r| r.meta.addr,
        "azurerm_container_registry.acr",
    );
    let shared = index_of(
        &model.registries,
        |r| r.meta.addr,
        "data.azurerm_container_registry.shared",
    );

    let own = endpoint(&model, &graph, ".own");
    assert_eq!(own.registry, Some(acr));
    assert!(own.targets_registry && own.is_registry_endpoint);
    assert_eq!(own.registry_name.as_deref(), Some("contosoacr"));

    // A data source is a target in the model, but not created here.
    let to_shared = endpoint(&model, &graph, ".shared");
    assert_eq!(to_shared.registry, Some(shared));
    assert!(!model.registries[shared].meta.managed);
    assert!(
        to_shared.is_registry_endpoint,
        "manual connections count too"
    );

    // A literal registry id outside the scope still names a registry.
    let literal = endpoint(&model, &graph, ".literal");
    assert_eq!(literal.registry, None);
    assert!(literal.targets_registry);
    assert_eq!(literal.registry_name.as_deref(), Some("elsewhere"));

    // A reference to something that is not a registry.
    let storage = endpoint(&model, &graph, ".storage");
    assert!(!storage.targets_registry && !storage.is_registry_endpoint);
}

#[test]
fn terraform_zones_vnets_and_links() {
    let model = terraform_model(TF_CHAIN);
    let graph = link(&model);
    let zone = index_of(
        &model.zones,
        |z| z.meta.addr,
        "azurerm_private_dns_zone.acr",
    );
    let spoke = index_of(&model.vnets, |v| v.meta.addr, ".spoke");
    let hub = index_of(&model.vnets, |v| v.meta.addr, ".hub");

    let own = endpoint(&model, &graph, ".own");
    // Through azurerm_subnet.virtual_network_name.
    assert_eq!(own.vnet, Target::InScope(spoke));
    // A zone in scope by reference, and a hub zone by literal id whose name is still known.
    assert_eq!(own.zones.len(), 2);
    assert_eq!(own.zones[0].target, Target::InScope(zone));
    assert_eq!(
        own.zones[0].name.as_deref().ok(),
        Some("privatelink.azurecr.io")
    );
    assert!(matches!(own.zones[1].target, Target::External(_)));
    assert_eq!(
        own.zones[1].name.as_deref().ok(),
        Some("privatelink.blob.core.windows.net")
    );

    // Links by zone name and resource group (azurerm ≤ 4) and by zone id (5.x) both resolve.
    let mut linked: Vec<&Target> = graph.zone_links[zone].iter().map(|(_, t)| t).collect();
    linked.sort_by_key(|t| format!("{t:?}"));
    assert_eq!(linked, [&Target::InScope(spoke), &Target::InScope(hub)]);

    // A subnet id of a VNet outside the scope, and an inline subnet of a VNet in scope.
    let shared = endpoint(&model, &graph, ".shared");
    assert_eq!(
        shared.vnet,
        Target::External("/subscriptions/s/resourcegroups/net/providers/microsoft.network/virtualnetworks/remote".into())
    );
    assert_eq!(
        endpoint(&model, &graph, ".literal").vnet,
        Target::InScope(hub)
    );
}

#[test]
fn arm_children_and_ids_link_like_terraform_references() {
    let model = arm_model(
        r#"[
      { "type": "Microsoft.ContainerRegistry/registries", "apiVersion": "2023-07-01", "name": "contosoacr",
        "location": "westeurope", "sku": { "name": "Premium" } },
      { "type": "Microsoft.Network/virtualNetworks", "apiVersion": "2024-05-01", "name": "vnet",
        "properties": { "dhcpOptions": { "dnsServers": ["10.0.0.4"] },
                        "subnets": [ { "name": "pe", "properties": {} } ] } },
      { "type": "Microsoft.Network/privateDnsZones", "apiVersion": "2020-06-01", "name": "privatelink.azurecr.io",
        "resources": [
          { "type": "virtualNetworkLinks", "apiVersion": "2020-06-01", "name": "link",
            "properties": { "virtualNetwork": { "id": "[resourceId('Microsoft.Network/virtualNetworks', 'vnet')]" } } } ] },
      { "type": "Microsoft.Network/privateEndpoints", "apiVersion": "2024-05-01", "name": "pe",
        "properties": {
          "subnet": { "id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'pe')]" },
          "privateLinkServiceConnections": [ { "name": "c", "properties": {
            "privateLinkServiceId": "[resourceId('Microsoft.ContainerRegistry/registries', 'contosoacr')]",
            "groupIds": ["registry"] } } ] } },
      { "type": "Microsoft.Network/privateEndpoints/privateDnsZoneGroups", "apiVersion": "2024-05-01",
        "name": "pe/default",
        "properties": { "privateDnsZoneConfigs": [ { "name": "z", "properties": {
          "privateDnsZoneId": "[resourceId('Microsoft.Network/privateDnsZones', 'privatelink.azurecr.io')]" } } ] } }
    ]"#,
    );
    let graph = link(&model);
    let pe = &graph.endpoints[0];
    assert_eq!(pe.registry, Some(0));
    // The flat child zone group is attached to its endpoint, and its zone id resolves.
    assert_eq!(
        model.endpoints[0].zone_groups.value().map(Vec::len),
        Some(1)
    );
    assert_eq!(pe.zones[0].target, Target::InScope(0));
    // The subnet id leads to the VNet, whose custom DNS servers are recorded.
    assert_eq!(pe.vnet, Target::InScope(0));
    assert_eq!(
        model.vnets[0].dns_servers.value(),
        Some(&vec![Str::from("10.0.0.4")])
    );
    // The nested child link belongs to its zone and points at the VNet.
    assert_eq!(graph.zone_links[0], vec![(0, Target::InScope(0))]);
}

#[test]
fn endpoints_with_unknown_connections_or_target_may_target_any_registry() {
    let model = terraform_model(
        r#"
variable "connections" {}
variable "target" {}
resource "azurerm_container_registry" "acr" {
  name = "contosoacr"
}
resource "azurerm_private_endpoint" "open" {
  dynamic "private_service_connection" {
    for_each = var.connections
    content {
      private_connection_resource_id = private_service_connection.value
    }
  }
}
resource "azurerm_private_endpoint" "target" {
  private_service_connection {
    private_connection_resource_id = var.target
    subresource_names              = ["registry"]
  }
}
resource "azurerm_private_endpoint" "own" {
  private_service_connection {
    private_connection_resource_id = azurerm_container_registry.acr.id
    subresource_names              = ["registry"]
  }
}
"#,
    );
    let graph = link(&model);
    let depends = |l: &Option<(Unknown, Span)>| l.as_ref().map(|(u, _)| u.depends_on.clone());
    // Unknown connections: maybe a registry endpoint, and maybe to the registry in scope.
    let open = endpoint(&model, &graph, ".open");
    assert!(!open.is_registry_endpoint && open.connection_is_registry.is_empty());
    assert_eq!(
        depends(&open.maybe_registry),
        Some("var.connections".into())
    );
    assert_eq!(
        depends(&open.unknown_registry),
        Some("var.connections".into())
    );
    // A registry endpoint whose target is unknown may target it too.
    let target = endpoint(&model, &graph, ".target");
    assert!(target.is_registry_endpoint && target.maybe_registry.is_none());
    assert_eq!(depends(&target.unknown_registry), Some("var.target".into()));
    // A known target leaves nothing open.
    assert_eq!(endpoint(&model, &graph, ".own").unknown_registry, None);
    assert_eq!(
        graph.unknown_endpoint().map(|(u, _)| u.depends_on.as_str()),
        Some("var.connections")
    );
}

/// What an unknown name leaves open: never "another resource", never "no name".
#[test]
fn unknown_names_leave_links_open() {
    let model = terraform_model(
        r#"
variable "zone" {}
variable "vnet" {}
variable "link_zone" {}
resource "azurerm_virtual_network" "app" {
  name                = var.vnet
  resource_group_name = "rg"
}
resource "azurerm_private_dns_zone" "acr" {
  name                = var.zone
  resource_group_name = "rg"
}
data "azurerm_private_dns_zone" "hub" {
  name                = "privatelink.azurecr.io"
  resource_group_name = "rg"
}
resource "azurerm_private_dns_zone_virtual_network_link" "any" {
  name                  = "any"
  resource_group_name   = "rg"
  private_dns_zone_name = var.link_zone
  virtual_network_id    = azurerm_virtual_network.app.id
}
resource "azurerm_private_endpoint" "pe" {
  subnet_id = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet-app/subnets/pe"
  private_service_connection {
    private_connection_resource_id = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/contosoacr"
    subresource_names              = ["registry"]
  }
  private_dns_zone_group {
    name = "default"
    private_dns_zone_ids = [
      azurerm_private_dns_zone.acr.id,
      "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/privateDnsZones/privatelink.azurecr.io",
    ]
  }
}
"#,
    );
    let graph = link(&model);
    let pe = endpoint(&model, &graph, ".pe");
    let depends = |name: &Result<&str, (Unknown, Span)>| match name {
        Ok(n) => n.to_string(),
        Err((u, _)) => u.depends_on.clone(),
    };
    // The zone of the model, whose name is unknown: its name says why.
    assert_eq!(pe.zones[0].target, Target::InScope(0));
    assert_eq!(depends(&pe.zones[0].name), "var.zone");
    // A literal id that names the data source's zone may name the created zone instead.
    assert!(
        matches!(&pe.zones[1].target, Target::Unknown(u, _) if u.depends_on == "var.zone"),
        "{:?}",
        pe.zones[1].target
    );
    // The VNet of the subnet id may be the VNet whose name is unknown.
    assert!(
        matches!(&pe.vnet, Target::Unknown(u, _) if u.depends_on == "var.vnet"),
        "{:?}",
        pe.vnet
    );
    // A link whose zone is unknown may link any zone.
    assert!(graph.zone_links.iter().all(Vec::is_empty));
    assert!(
        matches!(&graph.unknown_zone_links[..], [(0, Target::InScope(0), u, _)] if u.depends_on == "var.link_zone"),
        "{:?}",
        graph.unknown_zone_links
    );
}

#[test]
fn subnet_ids_built_from_a_vnet_reference() {
    // `"${azurerm_virtual_network.x.id}/subnets/name"`: the subnet resource of that name in that
    // VNet when there is one, else an inline subnet; the VNet either way.
    let model = terraform_model(
        r#"
resource "azurerm_virtual_network" "spoke" {
  name                = "spoke"
  resource_group_name = "rg"
}
resource "azurerm_virtual_network" "hub" {
  name                = "hub"
  resource_group_name = "rg"
  subnet {
    name = "pe"
  }
}
resource "azurerm_subnet" "pe" {
  name                 = "pe"
  resource_group_name  = "rg"
  virtual_network_name = azurerm_virtual_network.spoke.name
}
resource "azurerm_private_endpoint" "in_spoke" {
  name      = "pe-spoke"
  subnet_id = "${azurerm_virtual_network.spoke.id}/subnets/pe"
}
resource "azurerm_private_endpoint" "in_hub" {
  name      = "pe-hub"
  subnet_id = "${azurerm_virtual_network.hub.id}/subnets/pe"
}
variable "subnet" {
  type = string
}
resource "azurerm_private_endpoint" "named_by_input" {
  name      = "pe-input"
  subnet_id = "${azurerm_virtual_network.hub.id}/subnets/${var.subnet}"
}
resource "azurerm_private_endpoint" "formatted" {
  name      = "pe-formatted"
  subnet_id = format("%s/subnets/%s", azurerm_virtual_network.spoke.id, "pe")
}
resource "azurerm_private_endpoint" "elsewhere" {
  name      = "pe-elsewhere"
  subnet_id = "${azurerm_virtual_network.other.id}/subnets/pe"
}
"#,
    );
    let graph = link(&model);
    let spoke = index_of(&model.vnets, |v| v.meta.addr, ".spoke");
    let hub = index_of(&model.vnets, |v| v.meta.addr, ".hub");
    let in_spoke = endpoint(&model, &graph, ".in_spoke");
    assert_eq!(in_spoke.vnet, Target::InScope(spoke));
    assert_eq!(in_spoke.subnet, Some(0));
    let in_hub = endpoint(&model, &graph, ".in_hub");
    assert_eq!(in_hub.vnet, Target::InScope(hub));
    assert_eq!(in_hub.subnet, None);
    // Only the subnet's name is an input nobody gave: still a subnet of that VNet.
    let named_by_input = endpoint(&model, &graph, ".named_by_input");
    assert_eq!(named_by_input.vnet, Target::InScope(hub));
    let formatted = endpoint(&model, &graph, ".formatted");
    assert_eq!(formatted.vnet, Target::InScope(spoke));
    assert_eq!(formatted.subnet, Some(0));
    // A VNet the configuration does not declare: not linked to anything here.
    let elsewhere = endpoint(&model, &graph, ".elsewhere");
    assert!(!matches!(elsewhere.vnet, Target::InScope(_)));
}

#[test]
fn a_link_named_after_its_zone_and_a_hash_of_an_input_belongs_to_the_zone() {
    // The machine-learning quickstart's `'${zone.name}/${uniqueString(registry.id)}'`, with a
    // zone named for every cloud and a registry named by a parameter nobody gave.
    let zone = "[concat('privatelink', environment().suffixes.acrLoginServer)]";
    let model = crate::model::testutil::arm_model(
        r#"{ "prefix": { "type": "string" } }"#,
        &format!(
            r#"[
      {{ "type": "Microsoft.Network/virtualNetworks", "apiVersion": "2024-05-01", "name": "vnet" }},
      {{ "type": "Microsoft.Network/privateDnsZones", "apiVersion": "2020-06-01", "name": "{zone}" }},
      {{ "type": "Microsoft.Network/privateDnsZones/virtualNetworkLinks", "apiVersion": "2020-06-01",
        "name": "[format('{{0}}/{{1}}', {}, uniqueString(resourceId('Microsoft.ContainerRegistry/registries', parameters('prefix'))))]",
        "properties": {{ "virtualNetwork": {{ "id": "[resourceId('Microsoft.Network/virtualNetworks', 'vnet')]" }} }} }},
      {{ "type": "Microsoft.Network/privateDnsZones/virtualNetworkLinks", "apiVersion": "2020-06-01",
        "name": "[format('{{0}}/link', parameters('prefix'))]",
        "properties": {{ "virtualNetwork": {{ "id": "[resourceId('Microsoft.Network/virtualNetworks', 'vnet')]" }} }} }}
    ]"#,
            &zone[1..zone.len() - 1]
        ),
    );
    let graph = link(&model);
    assert_eq!(graph.zone_links[0], vec![(0, Target::InScope(0))]);
    // A zone named by the input itself is still unknown.
    assert!(
        matches!(&graph.unknown_zone_links[..], [(1, Target::InScope(0), u, _)] if u.depends_on == "parameters('prefix')"),
        "{:?}",
        graph.unknown_zone_links
    );
}

/// A link written with a full, literal VNet id may or may not name an existing VNet of the
/// deployment's own resource group: undecided, and the message says which side is unknown.
#[test]
fn a_literal_id_that_may_name_an_existing_resource_says_which_is_unknown() {
    let model = arm_model(
        r#"[
      { "type": "Microsoft.Network/virtualNetworks", "apiVersion": "2024-05-01", "name": "vnet-spoke",
        "existing": true },
      { "type": "Microsoft.Network/privateDnsZones", "apiVersion": "2020-06-01", "name": "privatelink.azurecr.io",
        "resources": [
          { "type": "virtualNetworkLinks", "apiVersion": "2020-06-01", "name": "link",
            "properties": { "virtualNetwork": { "id": "/subscriptions/0/resourceGroups/rg-spoke/providers/Microsoft.Network/virtualNetworks/vnet-spoke" } } } ] }
    ]"#,
    );
    let graph = link(&model);
    let Target::Unknown(u, _) = &graph.zone_links[0][0].1 else {
        panic!("{:?}", graph.zone_links[0]);
    };
    assert!(u
        .depends_on
        .ends_with("rg-spoke/providers/Microsoft.Network/virtualNetworks/vnet-spoke"));
    assert_eq!(
        u.reason,
        "may or may not be Microsoft.Network/virtualNetworks/vnet-spoke, whose id is known only at deployment time"
    );
}

/// Two zones of one name deployed by modules into two resource groups (the module's resources
/// read `resourceGroup()`): a link deployed beside one of them is that one's, as their ids say.
#[test]
fn a_link_belongs_to_the_zone_of_its_own_resource_group() {
    let module = |rg: &str, link: bool| {
        let link = if link {
            r#", { "type": "Microsoft.Network/privateDnsZones/virtualNetworkLinks", "apiVersion": "2020-06-01",
              "name": "privatelink.azurecr.io/link", "location": "global",
              "properties": { "virtualNetwork": { "id": "/subscriptions/s/resourceGroups/rg-app/providers/Microsoft.Network/virtualNetworks/vnet" } } }"#
        } else {
            ""
        };
        format!(
            r#"{{ "type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "zone-{rg}",
          "resourceGroup": "{rg}",
          "properties": {{ "mode": "Incremental", "expressionEvaluationOptions": {{ "scope": "inner" }},
            "template": {{ "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
              "contentVersion": "1.0.0.0",
              "resources": [ {{ "type": "Microsoft.Network/privateDnsZones", "apiVersion": "2020-06-01",
                "name": "privatelink.azurecr.io", "location": "global" }}{link} ] }} }} }}"#
        )
    };
    let model = arm_model(&format!(
        "[{}, {}]",
        module("rg-hub", false),
        module("rg-spoke", true)
    ));
    let graph = link(&model);
    let zone = |rg: &str| {
        let found = model
            .zones
            .iter()
            .position(|z| z.meta.addr.starts_with(&format!("zone-{rg}/")));
        found.unwrap_or_else(|| {
            panic!(
                "no zone in {rg}: {:?}",
                model.zones.iter().map(|z| z.meta.addr).collect::<Vec<_>>()
            )
        })
    };
    assert!(
        graph.zone_links[zone("rg-hub")].is_empty(),
        "{:?}",
        graph.zone_links
    );
    assert_eq!(
        graph.zone_links[zone("rg-spoke")].len(),
        1,
        "{:?}",
        graph.zone_links
    );
}
