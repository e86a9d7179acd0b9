# An azapi endpoint whose service connection properties come from an input nobody gave: it may
# target the registry or not, so ACR008 (and ACR007 on the endpoint) cannot be decided.

variable "connection_properties" {
  type        = any
  description = "Properties of the service connection: the target and its group ids."
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

resource "azapi_resource" "pe_subnet" {
  type      = "Microsoft.Network/virtualNetworks/subnets@2023-11-01"
  name      = "snet-pe"
  parent_id = azurerm_virtual_network.app.id
  body = {
    properties = {
      addressPrefix = "10.0.1.0/24"
    }
  }
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
  body = {
    properties = {
      subnet = {
        id = azapi_resource.pe_subnet.id
      }
      privateLinkServiceConnections = [{
        name = "pe-acr"
        properties = var.connection_properties
      }]
    }
  }
}

resource "azapi_resource" "pe_zone_group" {
  type      = "Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2023-11-01"
  name      = "default"
  parent_id = azapi_resource.pe.id
  body = {
    properties = {
      privateDnsZoneConfigs = [{
        name = "acr"
        properties = {
          privateDnsZoneId = azurerm_private_dns_zone.acr.id
        }
      }]
    }
  }
}
