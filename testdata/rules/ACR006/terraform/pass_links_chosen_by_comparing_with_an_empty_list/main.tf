# The links are a local list of VNet ids known after apply, chosen over a fallback by
# comparing it with []: a list of one element is never equal to an empty one.
resource "azurerm_virtual_network" "spoke" {
  name                = "vnet-spoke"
  location            = "westeurope"
  resource_group_name = "rg-spoke"
  address_space       = ["10.1.0.0/22"]
}

resource "azurerm_subnet" "pe" {
  name                 = "snet-pep"
  resource_group_name  = "rg-spoke"
  virtual_network_name = azurerm_virtual_network.spoke.name
  address_prefixes     = ["10.1.2.0/27"]
}

locals {
  given_links    = [{ name = "spoke", id = azurerm_virtual_network.spoke.id }]
  fallback_links = [{ name = "other", id = "/subscriptions/0000/resourceGroups/rg-x/providers/Microsoft.Network/virtualNetworks/other" }]
  # a non-empty list is never equal to [] (Terraform decides this at plan time)
  links = local.given_links != [] ? local.given_links : local.fallback_links
}

resource "azurerm_container_registry" "acr" {
  name                          = "acrspoke01"
  resource_group_name           = "rg-spoke"
  location                      = "westeurope"
  sku                           = "Premium"
  public_network_access_enabled = false
  export_policy_enabled         = false
}

resource "azurerm_private_dns_zone" "acr" {
  name                = "privatelink.azurecr.io"
  resource_group_name = "rg-spoke"
}

resource "azurerm_private_dns_zone_virtual_network_link" "link" {
  for_each              = { for l in local.links : l.name => l }
  name                  = each.key
  resource_group_name   = "rg-spoke"
  private_dns_zone_name = azurerm_private_dns_zone.acr.name
  virtual_network_id    = each.value.id
}

resource "azurerm_private_endpoint" "acr" {
  name                = "pe-acr"
  location            = "westeurope"
  resource_group_name = "rg-spoke"
  subnet_id           = azurerm_subnet.pe.id

  private_service_connection {
    name                           = "acr"
    private_connection_resource_id = azurerm_container_registry.acr.id
    is_manual_connection           = false
    subresource_names              = ["registry"]
  }

  private_dns_zone_group {
    name                 = "default"
    private_dns_zone_ids = [azurerm_private_dns_zone.acr.id]
  }
}
