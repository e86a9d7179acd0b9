# The spoke network exists already and is read as a data source: its DNS servers are known only
# from Azure. The zone is linked to it: with Azure DNS that resolves the registry privately, and
# custom DNS servers are judged outside the configuration. A pass either way, not undetermined.

variable "vnet_name" {}
variable "network_rg" {}
variable "location" { default = "westeurope" }

resource "azurerm_resource_group" "rg" {
  name     = "rg-acr"
  location = var.location
}

data "azurerm_virtual_network" "spoke" {
  name                = var.vnet_name
  resource_group_name = var.network_rg
}

data "azurerm_subnet" "pe" {
  name                 = "snet-pe"
  virtual_network_name = data.azurerm_virtual_network.spoke.name
  resource_group_name  = var.network_rg
}

resource "azurerm_container_registry" "acr" {
  name                          = "contosoacr01"
  resource_group_name           = azurerm_resource_group.rg.name
  location                      = azurerm_resource_group.rg.location
  sku                           = "Premium"
  public_network_access_enabled = false
  admin_enabled                 = false
  export_policy_enabled         = false
}

resource "azurerm_private_dns_zone" "acr" {
  name                = "privatelink.azurecr.io"
  resource_group_name = azurerm_resource_group.rg.name
}

resource "azurerm_private_dns_zone_virtual_network_link" "spoke" {
  name                  = "spoke"
  resource_group_name   = azurerm_resource_group.rg.name
  private_dns_zone_name = azurerm_private_dns_zone.acr.name
  virtual_network_id    = data.azurerm_virtual_network.spoke.id
}

resource "azurerm_private_endpoint" "acr" {
  name                = "pe-acr"
  location            = azurerm_resource_group.rg.location
  resource_group_name = azurerm_resource_group.rg.name
  subnet_id           = data.azurerm_subnet.pe.id

  private_service_connection {
    name                           = "acr"
    private_connection_resource_id = azurerm_container_registry.acr.id
    subresource_names              = ["registry"]
    is_manual_connection           = false
  }

  private_dns_zone_group {
    name                 = "default"
    private_dns_zone_ids = [azurerm_private_dns_zone.acr.id]
  }
}
