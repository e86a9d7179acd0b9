# Hub-and-spoke DNS: every private DNS zone is linked to every VNet through setproduct(),
# so the endpoint's spoke VNet resolves the registry privately.
locals {
  zones = ["privatelink.azurecr.io", "privatelink.blob.core.windows.net"]
  vnets = {
    hub   = "10.0.0.0/16"
    spoke = "10.1.0.0/16"
  }
  zone_links = {
    for pair in setproduct(local.zones, keys(local.vnets)) :
    "${pair[0]}-${pair[1]}" => { zone = pair[0], vnet = pair[1] }
  }
}

resource "azurerm_resource_group" "rg" {
  name     = "rg-acr"
  location = "westeurope"
}

resource "azurerm_virtual_network" "net" {
  for_each            = local.vnets
  name                = "vnet-${each.key}"
  location            = "westeurope"
  resource_group_name = azurerm_resource_group.rg.name
  address_space       = [each.value]
}

resource "azurerm_subnet" "pe" {
  name                 = "snet-pe"
  resource_group_name  = azurerm_resource_group.rg.name
  virtual_network_name = azurerm_virtual_network.net["spoke"].name
  address_prefixes     = ["10.1.1.0/24"]
}

resource "azurerm_container_registry" "acr" {
  name                          = "contosoacr01"
  resource_group_name           = azurerm_resource_group.rg.name
  location                      = "westeurope"
  sku                           = "Premium"
  public_network_access_enabled = false
  admin_enabled                 = false
  anonymous_pull_enabled        = false
  export_policy_enabled         = false
}

resource "azurerm_private_dns_zone" "zone" {
  for_each            = toset(local.zones)
  name                = each.value
  resource_group_name = azurerm_resource_group.rg.name
}

resource "azurerm_private_dns_zone_virtual_network_link" "link" {
  for_each              = local.zone_links
  name                  = each.key
  resource_group_name   = azurerm_resource_group.rg.name
  private_dns_zone_name = azurerm_private_dns_zone.zone[each.value.zone].name
  virtual_network_id    = azurerm_virtual_network.net[each.value.vnet].id
}

resource "azurerm_private_endpoint" "acr" {
  name                = "pe-acr"
  location            = "westeurope"
  resource_group_name = azurerm_resource_group.rg.name
  subnet_id           = azurerm_subnet.pe.id

  private_service_connection {
    name                           = "pe-acr"
    private_connection_resource_id = azurerm_container_registry.acr.id
    subresource_names              = ["registry"]
    is_manual_connection           = false
  }

  private_dns_zone_group {
    name                 = "default"
    private_dns_zone_ids = [azurerm_private_dns_zone.zone["privatelink.azurecr.io"].id]
  }
}
