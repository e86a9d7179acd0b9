# One endpoint per subnet of the application VNet, for each subnet data source
# (`for_each = data.azurerm_subnet.pe`, `subnet_id = each.value.id`): whichever subnets are
# given, each endpoint is in that VNet, which the zone is linked to. The endpoints are switched
# by a variable (`var.endpoints ? data.azurerm_subnet.pe : {}`): none, or one per subnet.

variable "endpoints" {
  description = "Whether the registry gets private endpoints."
  type        = bool
}

variable "subnets" {
  description = "Names of the subnets of vnet-app that hold an endpoint."
  type        = set(string)
}

resource "azurerm_virtual_network" "app" {
  name                = "vnet-app"
  location            = "westeurope"
  resource_group_name = "rg-acr"
  address_space       = ["10.0.0.0/16"]
}

data "azurerm_subnet" "pe" {
  for_each             = var.subnets
  name                 = each.value
  virtual_network_name = azurerm_virtual_network.app.name
  resource_group_name  = "rg-acr"
}

resource "azurerm_container_registry" "acr" {
  name                          = "contosoacr01"
  resource_group_name           = "rg-acr"
  location                      = "westeurope"
  sku                           = "Premium"
  public_network_access_enabled = false
  admin_enabled                 = false
  anonymous_pull_enabled        = false
  export_policy_enabled         = false
}

resource "azurerm_private_dns_zone" "acr" {
  name                = "privatelink.azurecr.io"
  resource_group_name = "rg-acr"
}

resource "azurerm_private_dns_zone_virtual_network_link" "app" {
  name                  = "link-vnet-app"
  resource_group_name   = "rg-acr"
  private_dns_zone_name = azurerm_private_dns_zone.acr.name
  virtual_network_id    = azurerm_virtual_network.app.id
  registration_enabled  = false
}

resource "azurerm_private_endpoint" "acr" {
  for_each            = var.endpoints ? data.azurerm_subnet.pe : {}
  name                = "pe-acr-${each.key}"
  location            = "westeurope"
  resource_group_name = "rg-acr"
  subnet_id           = each.value.id

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
