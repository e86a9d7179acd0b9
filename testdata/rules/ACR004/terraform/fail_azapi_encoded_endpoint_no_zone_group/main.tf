# A registry endpoint written with azapi 1.x, its body encoded with jsonencode() around the subnet's
# id (known after apply), without a DNS zone group: only the subnet is unknown, the rest is read.

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

resource "azurerm_private_dns_zone_virtual_network_link" "app" {
  name                  = "link-app"
  resource_group_name   = azurerm_resource_group.rg.name
  private_dns_zone_name = azurerm_private_dns_zone.acr.name
  virtual_network_id    = azurerm_virtual_network.app.id
  registration_enabled  = false
}

resource "azapi_resource" "pe" {
  type      = "Microsoft.Network/privateEndpoints@2023-11-01"
  name      = "pe-acr"
  parent_id = azurerm_resource_group.rg.id
  location  = "westeurope"
  body = jsonencode({
    properties = {
      subnet = {
        id = azurerm_subnet.pe.id
      }
      privateLinkServiceConnections = [{
        name = "pe-acr"
        properties = {
          privateLinkServiceId = azurerm_container_registry.acr.id
          groupIds             = ["registry"]
        }
      }]
    }
  })
}
