resource "azurerm_private_dns_zone" "acr" {
  name                = "privatelink.azurecr.io"
  resource_group_name = azurerm_resource_group.rg.name
}

# Only the app VNet is linked: clients in vnet-staging resolve the staging registry
# through public DNS, and its public endpoint is closed.
resource "azurerm_private_dns_zone_virtual_network_link" "app" {
  name                  = "app"
  resource_group_name   = azurerm_resource_group.rg.name
  private_dns_zone_name = azurerm_private_dns_zone.acr.name
  virtual_network_id    = azurerm_virtual_network.app.id
  registration_enabled  = false
}
