# Two registry zones of the same name, chosen by the cloud a variable names, in two resource
# groups. The endpoint's zone group uses the one in rg-dns; the only VNet link belongs to the one
# in rg-spoke (it names its zone by reference), so the zone the endpoint uses is linked nowhere.
variable "cloud" {
  type = string
}

locals {
  acr_zone = var.cloud == "usgovernment" ? "privatelink.azurecr.us" : "privatelink.azurecr.io"
}

resource "azurerm_resource_group" "dns" {
  name     = "rg-dns"
  location = "westeurope"
}

resource "azurerm_resource_group" "spoke" {
  name     = "rg-spoke"
  location = "westeurope"
}

resource "azurerm_virtual_network" "spoke" {
  name                = "vnet-spoke"
  location            = azurerm_resource_group.spoke.location
  resource_group_name = azurerm_resource_group.spoke.name
  address_space       = ["10.1.0.0/16"]
}

resource "azurerm_subnet" "pe" {
  name                 = "snet-pe"
  resource_group_name  = azurerm_resource_group.spoke.name
  virtual_network_name = azurerm_virtual_network.spoke.name
  address_prefixes     = ["10.1.1.0/24"]
}

resource "azurerm_container_registry" "acr" {
  name                          = "contosoacr01"
  resource_group_name           = azurerm_resource_group.spoke.name
  location                      = azurerm_resource_group.spoke.location
  sku                           = "Premium"
  public_network_access_enabled = false
  export_policy_enabled         = false
}

resource "azurerm_private_dns_zone" "hub" {
  name                = local.acr_zone
  resource_group_name = azurerm_resource_group.dns.name
}

resource "azurerm_private_dns_zone" "spoke" {
  name                = local.acr_zone
  resource_group_name = azurerm_resource_group.spoke.name
}

resource "azurerm_private_dns_zone_virtual_network_link" "spoke" {
  name                  = "link-spoke"
  resource_group_name   = azurerm_resource_group.spoke.name
  private_dns_zone_name = azurerm_private_dns_zone.spoke.name
  virtual_network_id    = azurerm_virtual_network.spoke.id
}

resource "azurerm_private_endpoint" "acr" {
  name                = "pe-acr"
  location            = azurerm_resource_group.spoke.location
  resource_group_name = azurerm_resource_group.spoke.name
  subnet_id           = azurerm_subnet.pe.id

  private_service_connection {
    name                           = "acr"
    private_connection_resource_id = azurerm_container_registry.acr.id
    subresource_names              = ["registry"]
    is_manual_connection           = false
  }

  private_dns_zone_group {
    name                 = "default"
    private_dns_zone_ids = [azurerm_private_dns_zone.hub.id]
  }
}
