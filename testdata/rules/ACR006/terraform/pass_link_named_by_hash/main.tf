# The zone is linked to the endpoint's VNet by a link named the way the CAF enterprise-scale
# module names its links: the VNet's name and a name-based UUID of its id. The VNet ids are
# strings known at plan time, so Terraform knows the for_each keys, and so must acrlint.

variable "subscription_id" {
  type    = string
  default = "00000000-0000-0000-0000-000000000000"
}

locals {
  rg_id = "/subscriptions/${var.subscription_id}/resourceGroups/rg-acr"
  dns_vnet_ids = [
    "${local.rg_id}/providers/Microsoft.Network/virtualNetworks/vnet-app",
  ]
  zone_links = {
    for id in local.dns_vnet_ids :
    "${basename(id)}-${uuidv5("url", id)}" => id
  }
}

resource "azurerm_resource_group" "rg" {
  name     = "rg-acr"
  location = "westeurope"
}

resource "azurerm_virtual_network" "app" {
  name                = "vnet-app"
  location            = "westeurope"
  resource_group_name = azurerm_resource_group.rg.name
  address_space       = ["10.0.0.0/16"]
}

resource "azurerm_subnet" "pe" {
  name                 = "snet-pe"
  resource_group_name  = azurerm_resource_group.rg.name
  virtual_network_name = azurerm_virtual_network.app.name
  address_prefixes     = ["10.0.1.0/24"]
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

resource "azurerm_private_dns_zone" "acr" {
  name                = "privatelink.azurecr.io"
  resource_group_name = azurerm_resource_group.rg.name
}

resource "azurerm_private_dns_zone_virtual_network_link" "vnet" {
  for_each              = local.zone_links
  name                  = each.key
  resource_group_name   = azurerm_resource_group.rg.name
  private_dns_zone_name = azurerm_private_dns_zone.acr.name
  virtual_network_id    = each.value
  registration_enabled  = false
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
    private_dns_zone_ids = [azurerm_private_dns_zone.acr.id]
  }
}
